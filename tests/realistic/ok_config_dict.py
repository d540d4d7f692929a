"""Settings in a module-level config dict of literals, read when the model is built."""

import keras
import numpy as np
from keras import layers

CONFIG = {
    "img_size": 64,
    "channels": 3,
    "num_classes": 4,
    "filters": [16, 32, 64],
    "dense_units": 64,
    "lr": 1e-3,
    "batch_size": 16,
}


def build_cnn(cfg):
    inputs = keras.Input(shape=(cfg["img_size"], cfg["img_size"], cfg["channels"]))
    x = inputs
    for f in cfg["filters"]:
        x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    x = layers.Dense(cfg["dense_units"], activation="relu")(x)
    return keras.Model(inputs, layers.Dense(cfg["num_classes"], activation="softmax")(x))


rng = np.random.default_rng(22)
images = rng.random((32, CONFIG["img_size"], CONFIG["img_size"], CONFIG["channels"]))
labels = rng.integers(0, CONFIG["num_classes"], (32,))
model = build_cnn(CONFIG)
model.compile(
    optimizer=keras.optimizers.Adam(CONFIG["lr"]),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
model.fit(images, labels, batch_size=CONFIG["batch_size"], epochs=1, verbose=0)
