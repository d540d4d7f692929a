from keras.layers import LSTM, Dense, TimeDistributed
from keras.layers import (
    Input,
    TimeDistributed as Wrap,
)
from keras.models import Sequential

model = Sequential([Input(shape=(9, 2)), LSTM(3, return_sequences=True), TimeDistributed(Dense(1))])
other = Sequential([Input(shape=(9, 2)), LSTM(3, return_sequences=True), Wrap(Dense(1))])
