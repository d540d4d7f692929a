"""Two stacked LSTMs: the first one forgot return_sequences=True."""

from keras.models import Sequential
from keras.layers import LSTM, Dense, Dropout

model = Sequential()
model.add(LSTM(64, input_shape=(30, 8)))
model.add(Dropout(0.2))
model.add(LSTM(32))
model.add(Dense(1))
model.compile(loss="mse", optimizer="adam")
