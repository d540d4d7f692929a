"""input_shape=X_train.shape includes the sample axis (raises at fit: expected ndim=3, found 2)."""

import numpy as np
from tensorflow import keras

# a CSV of 8 feature columns and a target column
data = np.random.rand(200, 9).astype("float32")
X_train, y_train = data[:, :-1], data[:, -1]

model = keras.Sequential(
    [
        keras.layers.Dense(64, activation="relu", input_shape=X_train.shape),  # bug
        keras.layers.Dense(1),
    ]
)
model.compile(optimizer="adam", loss="mse")
model.fit(X_train, y_train, epochs=1, batch_size=32, verbose=0)
