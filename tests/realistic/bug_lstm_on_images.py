"""LSTM on (28, 28, 1) image input, rank 4 (raises: expected ndim=3, found ndim=4)."""

import numpy as np
from keras.layers import LSTM, Dense, Input
from keras.models import Sequential

rng = np.random.default_rng(114)
x_train = rng.random((64, 28, 28, 1)).astype("float32")
y_train = rng.integers(0, 10, (64,))

model = Sequential()
model.add(Input(shape=(28, 28, 1)))
model.add(LSTM(128))  # bug
model.add(Dense(10, activation="softmax"))
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
model.fit(x_train, y_train, epochs=1, verbose=0)
