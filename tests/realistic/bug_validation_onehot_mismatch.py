"""Validation labels left as integers while training labels are one-hot (raises in validation)."""

import keras
import numpy as np
from keras import layers

rng = np.random.default_rng(122)
x_train, x_val = rng.random((64, 40)), rng.random((32, 40))
y_train_int, y_val = rng.integers(0, 4, (64,)), rng.integers(0, 4, (32,))
y_train = keras.utils.to_categorical(y_train_int, 4)

model = keras.Sequential([keras.Input(shape=(40,)), layers.Dense(4, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1, verbose=0, validation_data=(x_val, y_val))  # bug
