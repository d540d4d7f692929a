"""build_model() puts TimeDistributed(Dense) after an LSTM that returns its last step (raises)."""

import numpy as np
from tensorflow.keras import Model
from tensorflow.keras.layers import LSTM, Dense, Input, TimeDistributed


def build_model(timesteps, n_features, units):
    inputs = Input(shape=(timesteps, n_features))
    x = LSTM(units)(inputs)
    outputs = TimeDistributed(Dense(n_features))(x)  # bug
    return Model(inputs, outputs)


X = np.random.rand(32, 12, 4).astype("float32")
model = build_model(12, 4, 64)
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=1, verbose=0)
