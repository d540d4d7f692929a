"""Shape plumbing that adds up: Reshape, Permute, ZeroPadding2D, Cropping2D, UpSampling2D."""

import keras
import numpy as np
from keras import layers

rng = np.random.default_rng(18)
x = rng.random((32, 784)).astype("float32")
y = rng.random((32, 28, 28, 1)).astype("float32")

inp = keras.Input(shape=(784,))
h = layers.Reshape((28, 28, 1))(inp)
h = layers.ZeroPadding2D(padding=2)(h)  # 32 x 32
h = layers.Conv2D(8, 3, padding="same", activation="relu")(h)
h = layers.MaxPooling2D(2)(h)  # 16 x 16
h = layers.UpSampling2D(2)(h)  # 32 x 32
h = layers.Cropping2D(cropping=((2, 2), (2, 2)))(h)  # 28 x 28
h = layers.Permute((2, 1, 3))(h)
h = layers.Reshape((28, 28 * 8))(h)
h = layers.Dense(28 * 8, activation="relu")(h)
h = layers.Reshape((28, 28, 8))(h)
out = layers.Conv2D(1, 1, activation="sigmoid")(h)
model = keras.Model(inp, out)
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, batch_size=16, epochs=1, verbose=0)
