"""The TimeDistributed import goes when nothing else uses it."""

from keras.layers import Dense, TimeDistributed, LSTM
from keras.layers import TimeDistributed as TD
from keras.models import Sequential
from keras.layers import (
    GRU,
    Input,
)

model = Sequential([
    Input(shape=(30, 4)),
    LSTM(16, return_sequences=True),
    TimeDistributed(Dense(8)),
    TD(Dense(1)),
])
