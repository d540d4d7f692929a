"""Binary classifier with softmax over one unit (silent: output always 1.0, loss 0)."""

import numpy as np
from keras import layers, models

rng = np.random.default_rng(109)
X = rng.random((64, 12)).astype("float32")
y = rng.integers(0, 2, (64, 1)).astype("float32")

model = models.Sequential(
    [
        layers.Input(shape=(12,)),
        layers.Dense(16, activation="relu"),
        layers.Dense(1, activation="softmax"),  # bug
    ]
)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, epochs=1, batch_size=32, verbose=0)
