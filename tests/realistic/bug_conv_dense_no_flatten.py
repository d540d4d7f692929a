"""Conv2D -> Dense without Flatten: output (n, 26, 26, 10) vs labels (n, 10) (raises at fit)."""

import keras
import numpy as np
from keras import layers

x_train = np.random.random((64, 28, 28, 1)).astype("float32")
y_train = keras.utils.to_categorical(np.random.randint(0, 10, (64,)), 10)

model = keras.Sequential()
model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
model.add(layers.Dense(10, activation="softmax"))
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)  # bug
