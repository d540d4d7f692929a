"""One-hot labels (n, 10) with sparse_categorical_crossentropy (raises: rank target.ndim - 1)."""

import numpy as np
from tensorflow import keras
from tensorflow.keras.utils import to_categorical

x_train = np.random.randint(0, 256, (64, 28, 28)).reshape(-1, 784) / 255.0
y_train = to_categorical(np.random.randint(0, 10, (64,)), 10)

model = keras.Sequential()
model.add(keras.layers.Dense(128, activation="relu", input_shape=(784,)))
model.add(keras.layers.Dense(10, activation="softmax"))
model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)  # bug
