"""Residual Add of 32 and 64 channels: the shortcut was not projected (raises: incompatible)."""

import keras
import numpy as np
from keras import layers

rng = np.random.default_rng(113)
x_train = rng.random((32, 32, 32, 3)).astype("float32")
y_train = rng.integers(0, 10, (32, 1))

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
shortcut = x
y = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
y = layers.Conv2D(64, 3, padding="same")(y)
x = layers.Add()([shortcut, y])  # bug
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1, verbose=0)
