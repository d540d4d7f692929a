"""Declared input (28, 28, 1) fed (n, 28, 28) uint8 images: Keras adds the trailing 1 (legal)."""

import keras
import numpy as np
from keras import layers

rng = np.random.default_rng(24)
x_train = rng.integers(0, 256, (64, 28, 28), dtype=np.uint8)
y_train = rng.integers(0, 10, (64,))

model = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        layers.Rescaling(1.0 / 255),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)
probs = model.predict(x_train[:1], verbose=0)
