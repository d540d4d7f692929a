"""POS tagger, Sequential: stacked recurrent layers over every step, one-hot targets (n, T, k)."""

import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

vocab, n_tags, T = 4000, 12, 35
rng = np.random.default_rng(25)
X = rng.integers(1, vocab, (64, T))
Y = tf.keras.utils.to_categorical(rng.integers(0, n_tags, (64, T)), n_tags)

model = tf.keras.Sequential()
model.add(layers.InputLayer(shape=(T,)))
model.add(layers.Embedding(vocab, 64, mask_zero=True))
model.add(layers.Bidirectional(layers.GRU(32, return_sequences=True)))
model.add(layers.GRU(32, return_sequences=True))
model.add(layers.Dense(n_tags))
model.add(layers.Activation("softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(X, Y, batch_size=32, epochs=1, verbose=0)
