"""Integer labels (n,) with categorical_crossentropy (raises: target and output same rank)."""

import keras
import numpy as np
from keras import layers

x_train = np.random.random((64, 28, 28, 1)).astype("float32")
y_train = np.random.randint(0, 10, (64,))

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(16, 3, activation="relu")(inputs)
x = layers.GlobalMaxPooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)  # bug
