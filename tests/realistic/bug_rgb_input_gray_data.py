"""input_shape=(28, 28, 3) but MNIST data is (n, 28, 28) grayscale (raises at fit)."""

import numpy as np
from keras import layers, models

x_train = np.random.randint(0, 256, (64, 28, 28), dtype=np.uint8) / 255.0
y_train = np.random.randint(0, 10, (64,))

model = models.Sequential()
model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 3)))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Flatten())
model.add(layers.Dense(10, activation="softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)  # bug
