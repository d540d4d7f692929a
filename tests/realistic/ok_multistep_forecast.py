"""Multi-step forecaster: Dense(horizon) against targets (n, horizon, 1) with mse (legal)."""

import numpy as np
import tensorflow as tf

lookback, horizon = 48, 12
n = 120

data = np.sin(np.arange(n + lookback + horizon) / 10.0).astype("float32")
X = np.stack([data[i : i + lookback] for i in range(n)])[..., np.newaxis]
Y = np.stack([data[i + lookback : i + lookback + horizon] for i in range(n)])
Y = Y.reshape((n, horizon, 1))

model = tf.keras.Sequential(
    [
        tf.keras.layers.Input(shape=(lookback, 1)),
        tf.keras.layers.GRU(32),
        tf.keras.layers.Dense(horizon),
    ]
)
model.compile(optimizer="adam", loss="mse")
model.fit(X, Y, epochs=1, batch_size=16, verbose=0)
forecast = model.predict(X[-1:], verbose=0)
print(forecast.shape)
