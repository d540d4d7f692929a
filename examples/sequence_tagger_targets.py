"""A tagger that keeps the time axis, trained on one label per sentence."""

import numpy as np
import tensorflow as tf

sentences = np.random.randint(1, 5000, size=(512, 40))
sentence_labels = np.random.randint(0, 3, size=(512,))

tagger = tf.keras.Sequential([
    tf.keras.Input(shape=(40,)),
    tf.keras.layers.Embedding(5000, 32),
    tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(32, return_sequences=True)),
    tf.keras.layers.Dense(3, activation="softmax"),
])
tagger.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
tagger.fit(sentences, sentence_labels, epochs=3)
