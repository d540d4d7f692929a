"""The same GRU model, but return_sequences=False, trained on per-timestep targets."""

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x_train = np.random.random((1000, 64, 15))
y_train = np.random.random((1000, 64, 8))

model = keras.Sequential([
    keras.Input(shape=(64, 15)),
    layers.GRU(16),
    layers.Dense(8),
])
model.compile(optimizer="adam", loss="mse")
model.fit(x_train, y_train, batch_size=32, epochs=2)
