"""Formatting and comments survive the unwrap: only the wrapper goes."""

from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(12, 6))
x = layers.LSTM(8, return_sequences=True)(inputs)
a = layers.TimeDistributed(layers.Dense(4, activation='relu'))(x)  # single quotes
b = layers.TimeDistributed(
    layers.Dense(
        3,  # three classes
        activation="softmax",  # probabilities
        name='head',
    ),
)(x)
c = layers.TimeDistributed(  # the wrapper's own comment stays
    layers.Dense(2)
)(x)
d = layers.TimeDistributed(layers.Dense(2)  # a comment after the layer
)(x)
e = (layers.TimeDistributed(layers.Dense(1)))(x)
f = layers.TimeDistributed(layers.Dense(1))(x)  # noqa: KRS101
g = layers.TimeDistributed(layers.Dense(1))(x)  # noqa: KRS1
h = layers.TimeDistributed(layers.Dense(1))(x)  # noqa
i = layers.TimeDistributed(layers.Dense(1))(x)  # noqa: E501
s = "é"; j = layers.TimeDistributed(layers.Dense(1))(x)
model = keras.Model(inputs, [a, b, c, d, e, f, g, h, i, j])
