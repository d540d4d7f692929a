"""Wrapper keywords: name= and input_shape= move into an inline Dense; anything else is refused."""

from keras.layers import LSTM, Dense, Input, TimeDistributed
from keras.models import Model, Sequential

model = Sequential()
model.add(LSTM(16, return_sequences=True, input_shape=(20, 3)))
model.add(TimeDistributed(Dense(1), name="output"))

seq = Sequential([
    LSTM(4, return_sequences=True, input_shape=(10, 2)),
    TimeDistributed(Dense(
        2,
        activation="tanh",
    ), name="tagger"),
])

inp = Input(shape=(10, 2))
h = LSTM(4, return_sequences=True)(inp)
head = Dense(3)
named_elsewhere = TimeDistributed(head, name="head_td")(h)
frozen = TimeDistributed(Dense(3), trainable=False)(h)
twice = TimeDistributed(Dense(3, name="a"), name="b")(h)
fn = Model(inp, [named_elsewhere, frozen, twice])
