"""A correct sequence-labelling model: nothing to report."""

import tensorflow as tf

model = tf.keras.Sequential([
    tf.keras.layers.Embedding(10000, 64, mask_zero=True),
    tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(64, return_sequences=True)),
    tf.keras.layers.LSTM(32, return_sequences=True),
    tf.keras.layers.Dense(5, activation="softmax"),
])
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
