"""return_sequences=False output (n, 3) trained on (n, T, 3) targets (raises: Incompatible shapes).

With mse Keras 3 raises on this batch size; it trains silently (broadcast) when the batch size
is 1 or equals T.
"""

import numpy as np
import tensorflow as tf

T, k = 25, 3
X = np.random.rand(96, T, k).astype("float32")
Y = np.roll(X, -1, axis=1)

model = tf.keras.Sequential(
    [
        tf.keras.layers.Input(shape=(T, k)),
        tf.keras.layers.GRU(32),
        tf.keras.layers.Dense(k),
    ]
)
model.compile(optimizer="adam", loss="mse")
model.fit(X, Y, epochs=1, batch_size=32, verbose=0)  # bug
