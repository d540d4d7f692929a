"""Conv2D first layer with no declared input fed (n, 28, 28) (raises: expected min_ndim=4)."""

import numpy as np
from keras import layers, models

rng = np.random.default_rng(103)
x_train = rng.integers(0, 256, (64, 28, 28)).astype("float32") / 255.0
y_train = rng.integers(0, 10, (64,))

model = models.Sequential(
    [
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)  # bug
