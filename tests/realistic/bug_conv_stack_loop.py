"""Conv/pool blocks in a loop over 32x32 input: the sixth pool meets a 1x1 map (raises)."""

import keras
import numpy as np
from keras import layers

rng = np.random.default_rng(121)
x = rng.random((16, 32, 32, 3)).astype("float32")
y = rng.integers(0, 10, (16,))

inputs = keras.Input(shape=(32, 32, 3))
h = inputs
for filters in [16, 32, 64, 128, 256, 512]:
    h = layers.Conv2D(filters, 3, padding="same", activation="relu")(h)
    h = layers.MaxPooling2D(2)(h)  # bug
h = layers.Flatten()(h)
model = keras.Model(inputs, layers.Dense(10, activation="softmax")(h))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=1, verbose=0)
