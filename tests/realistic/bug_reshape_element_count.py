"""Reshape((7, 7, 64)) of a 128-unit Dense: 3136 != 128 elements (raises: total size unchanged)."""

import keras
import numpy as np
from keras import layers

latent_dim = 16
rng = np.random.default_rng(111)
z = rng.normal(size=(32, latent_dim)).astype("float32")
images = rng.random((32, 28, 28, 1)).astype("float32")

latent = keras.Input(shape=(latent_dim,))
x = layers.Dense(128, activation="relu")(latent)
x = layers.Reshape((7, 7, 64))(x)  # bug
x = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu")(x)
out = layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid")(x)
decoder = keras.Model(latent, out)
decoder.compile(optimizer="adam", loss="binary_crossentropy")
decoder.fit(z, images, epochs=1, verbose=0)
