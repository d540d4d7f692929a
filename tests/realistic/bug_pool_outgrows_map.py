"""Four conv/pool stages on 28x28: the last Conv2D window exceeds a 1x1 map (raises)."""

import keras
import numpy as np
from keras import layers

rng = np.random.default_rng(110)
x = rng.random((32, 28, 28, 1)).astype("float32")
y = rng.integers(0, 10, (32,))

model = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"),  # 26
        layers.MaxPooling2D(2),  # 13
        layers.Conv2D(64, 3, activation="relu"),  # 11
        layers.MaxPooling2D(2),  # 5
        layers.Conv2D(128, 3, activation="relu"),  # 3
        layers.MaxPooling2D(2),  # 1
        layers.Conv2D(256, 3, activation="relu"),  # bug
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=1, verbose=0)
