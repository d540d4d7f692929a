"""Denoising convolutional autoencoder on MNIST-shaped images, trained with fit(x, x)."""

import keras
import numpy as np
from keras import layers

rng = np.random.default_rng(9)
x_train = rng.integers(0, 256, (64, 28, 28)).astype("float32") / 255.0
x_train = np.reshape(x_train, (len(x_train), 28, 28, 1))
noisy = np.clip(x_train + 0.3 * rng.normal(size=x_train.shape), 0.0, 1.0)

input_img = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(input_img)
x = layers.MaxPooling2D((2, 2), padding="same")(x)
x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(x)
encoded = layers.MaxPooling2D((2, 2), padding="same")(x)

x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(encoded)
x = layers.UpSampling2D((2, 2))(x)
x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(x)
x = layers.UpSampling2D((2, 2))(x)
decoded = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)

autoencoder = keras.Model(input_img, decoded)
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
autoencoder.fit(x_train, x_train, epochs=1, batch_size=32, shuffle=True, verbose=0)
autoencoder.fit(noisy, x_train, epochs=1, batch_size=32, verbose=0)
encoder = keras.Model(input_img, encoded)
codes = encoder.predict(x_train[:4], verbose=0)
print(codes.shape)
