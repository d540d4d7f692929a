from keras.layers import LSTM, Dense
from keras.layers import (
    Input,
)
from keras.models import Sequential

model = Sequential([Input(shape=(9, 2)), LSTM(3, return_sequences=True), Dense(1)])
other = Sequential([Input(shape=(9, 2)), LSTM(3, return_sequences=True), Dense(1)])
