"""One image, two heads (digit class and a regression score) with dict losses and targets."""

import keras
import numpy as np
from keras import layers

rng = np.random.default_rng(11)
images = rng.random((64, 28, 28, 1)).astype("float32")
digits = rng.integers(0, 10, (64,))
scores = rng.random((64,)).astype("float32")

inp = keras.Input(shape=(28, 28, 1), name="image")
x = layers.Conv2D(16, 3, activation="relu")(inp)
x = layers.MaxPooling2D(2)(x)
x = layers.Conv2D(32, 3, activation="relu")(x)
x = layers.Flatten()(x)
x = layers.Dense(64, activation="relu")(x)
digit = layers.Dense(10, activation="softmax", name="digit")(x)
score = layers.Dense(1, name="score")(x)

model = keras.Model(inputs=inp, outputs={"digit": digit, "score": score})
model.compile(
    optimizer="adam",
    loss={"digit": "sparse_categorical_crossentropy", "score": "mse"},
    loss_weights={"digit": 1.0, "score": 0.5},
    metrics={"digit": "accuracy"},
)
model.fit(images, {"digit": digits, "score": scores}, epochs=1, batch_size=16, verbose=0)
