"""Stacked LSTM forecaster built in a loop: every layer but the last returns sequences."""

import numpy as np
from keras import layers, models

n_layers = 3
units = 32
window, n_features = 24, 4


def make_windows(series, window):
    xs, ys = [], []
    for i in range(len(series) - window):
        xs.append(series[i : i + window])
        ys.append(series[i + window, 0])
    return np.array(xs), np.array(ys)


series = np.random.rand(200, n_features).astype("float32")
X, y = make_windows(series, window)

model = models.Sequential()
model.add(layers.Input(shape=(window, n_features)))
for i in range(n_layers):
    model.add(layers.LSTM(units, return_sequences=(i < n_layers - 1)))
    model.add(layers.Dropout(0.2))
model.add(layers.Dense(1))
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
model.fit(X, y, epochs=1, batch_size=32, verbose=0, shuffle=False)
next_value = model.predict(X[-1:], verbose=0)
print(next_value.shape)
