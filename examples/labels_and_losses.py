"""Targets meet the output and the loss: label encodings, class counts, silent losses."""

import numpy as np
from keras import Input, Sequential, layers
from keras.utils import to_categorical

x = np.random.rand(1000, 20)
labels = np.random.randint(0, 10, size=(1000,))

model = Sequential([Input(shape=(20,)), layers.Dense(64, activation="relu"), layers.Dense(10)])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x, labels)  # KRS401: integer labels with a categorical loss

model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, to_categorical(labels, 10))  # KRS402: one-hot labels with a sparse loss

model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x, to_categorical(labels % 5, 5))  # KRS403: 10 units, 5 classes

regressor = Sequential([Input(shape=(20,)), layers.Dense(1)])
regressor.compile(optimizer="adam", loss="mse")
regressor.fit(x, np.random.rand(1000, 3))  # KRS404: (batch, 1) broadcast against 3 targets

detector = Sequential(
    [
        Input(shape=(20,)),
        layers.Dense(16, activation="relu"),
        layers.Dense(1, activation="softmax"),  # KRS405: always 1.0
    ]
)
detector.compile(optimizer="adam", loss="binary_crossentropy")

images = np.random.rand(600, 28, 28, 1)
cnn = Sequential(
    [
        Input(shape=(28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ]
)
cnn.compile(optimizer="adam", loss="categorical_crossentropy")
cnn.fit(images, to_categorical(labels[:600], 10))  # KRS406: no Flatten, (26, 26) kept

five = Sequential([Input(shape=(20,)), layers.Dense(5, activation="softmax")])
five.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
five.fit(x, labels)  # KRS407: labels up to 9, 5 units

pooled = Sequential(
    [
        Input(shape=(28, 28, 1)),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(10, activation="softmax"),
    ]
)
pooled.compile(optimizer="adam", loss="categorical_crossentropy")
pooled.fit(images, np.zeros((600, 28, 28, 10)))  # KRS408: per-pixel targets, pooled output
