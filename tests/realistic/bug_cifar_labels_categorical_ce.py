"""CIFAR-10 (n, 1) labels with categorical_crossentropy (raises: shapes (32, 1) vs (32, 10))."""

import keras
import numpy as np
from keras import layers

x_train = np.random.randint(0, 256, (64, 32, 32, 3)).astype("float32") / 255.0
y_train = np.random.randint(0, 10, (64, 1))

model = keras.Sequential(
    [
        keras.Input(shape=(32, 32, 3)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)  # bug
