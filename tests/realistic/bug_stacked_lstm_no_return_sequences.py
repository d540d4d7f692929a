"""Stacked LSTM, the first without return_sequences=True (raises: expected ndim=3, found ndim=2)."""

import numpy as np
from keras.layers import LSTM, Dense, Dropout
from keras.models import Sequential

look_back, n_features = 20, 5
X = np.random.rand(100, look_back, n_features)
y = np.random.rand(100)

model = Sequential()
model.add(LSTM(50, input_shape=(look_back, n_features)))
model.add(Dropout(0.2))
model.add(LSTM(50))  # bug
model.add(Dense(1))
model.compile(loss="mean_squared_error", optimizer="adam")
model.fit(X, y, epochs=1, batch_size=32, verbose=0)
