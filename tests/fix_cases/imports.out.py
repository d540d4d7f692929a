"""The TimeDistributed import goes when nothing else uses it."""

from keras.layers import Dense, LSTM
from keras.models import Sequential
from keras.layers import (
    GRU,
    Input,
)

model = Sequential([
    Input(shape=(30, 4)),
    LSTM(16, return_sequences=True),
    Dense(8),
    Dense(1),
])
