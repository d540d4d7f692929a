"""Predicting on one sample done right: x[None], x[:1] and np.expand_dims keep a batch axis."""

import keras
import numpy as np
from keras import layers

rng = np.random.default_rng(15)
x_train = rng.random((64, 20)).astype("float32")
y_train = rng.integers(0, 3, (64,))
seqs = rng.random((64, 5, 1)).astype("float32")

model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(16, "relu"), layers.Dense(3)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(x_train, y_train, epochs=1, verbose=0)

sample = x_train[0]
print(model.predict(sample[None], verbose=0).shape)
print(model.predict(x_train[:1], verbose=0).shape)
print(model.predict(np.expand_dims(sample, axis=0), verbose=0).shape)
print(model(x_train[3:4]).shape)

rnn = keras.Sequential([keras.Input(shape=(5, 1)), layers.SimpleRNN(8), layers.Dense(1)])
rnn.compile(optimizer="adam", loss="mse")
rnn.fit(seqs, seqs[:, -1, 0], epochs=1, verbose=0)
one = seqs[0]
print(rnn.predict(one.reshape(1, 5, 1), verbose=0).shape)
print(rnn.predict(np.expand_dims(one, 0), verbose=0).shape)
