"""Concatenate of a (T, 64) sequence and a (64,) vector (raises: matching shapes required)."""

import keras
import numpy as np
from keras import layers

T, vocab = 30, 1000
rng = np.random.default_rng(112)
tokens = rng.integers(1, vocab, (32, T))
meta = rng.random((32, 5)).astype("float32")
y = rng.integers(0, 2, (32,))

tok_in = keras.Input(shape=(T,))
meta_in = keras.Input(shape=(5,))
seq = layers.Embedding(vocab, 64)(tok_in)
seq = layers.LSTM(64, return_sequences=True)(seq)
m = layers.Dense(64, activation="relu")(meta_in)
merged = layers.Concatenate()([seq, m])  # bug
out = layers.Dense(1, activation="sigmoid")(layers.Flatten()(merged))
model = keras.Model([tok_in, meta_in], out)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit([tokens, meta], y, epochs=1, verbose=0)
