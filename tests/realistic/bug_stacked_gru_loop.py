"""Stacked GRUs in a loop, none returning sequences (raises: expected ndim=3, found ndim=2)."""

import numpy as np
from keras import layers, models

n_layers, units = 3, 32
window, n_features = 30, 2
X = np.random.rand(64, window, n_features).astype("float32")
y = np.random.rand(64).astype("float32")

model = models.Sequential()
model.add(layers.Input(shape=(window, n_features)))
for i in range(n_layers):
    model.add(layers.GRU(units, name=f"gru_{i}"))  # bug
model.add(layers.Dense(1))
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=1, verbose=0)
