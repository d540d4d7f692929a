"""LSTM sequence autoencoder: encode to a vector, RepeatVector, decode every step, fit(x, x)."""

import numpy as np
from keras.layers import LSTM, Dense, Input, RepeatVector, TimeDistributed
from keras.models import Model

timesteps, n_features = 30, 3
X = np.random.rand(64, timesteps, n_features).astype("float32")

inputs = Input(shape=(timesteps, n_features))
encoded = LSTM(16)(inputs)
decoded = RepeatVector(timesteps)(encoded)
decoded = LSTM(16, return_sequences=True)(decoded)
decoded = Dense(n_features)(decoded)
autoencoder = Model(inputs, decoded)
autoencoder.compile(optimizer="adam", loss="mse")
autoencoder.fit(X, X, epochs=1, batch_size=16, verbose=0)

# the same model with a per-frame wrapper around an RNN is still a sequence (legitimate)
frames = Input(shape=(4, timesteps, n_features))
per_clip = TimeDistributed(LSTM(8))(frames)
summary = LSTM(8)(per_clip)
clip_model = Model(frames, Dense(1)(summary))
clip_model.compile(optimizer="adam", loss="mse")
clip_model.fit(np.random.rand(16, 4, timesteps, n_features), np.random.rand(16), verbose=0)
