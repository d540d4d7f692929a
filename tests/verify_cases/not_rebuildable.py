"""Claims that depend on values the verifier will not guess: inconclusive, never confirmed."""

from tensorflow import keras
from tensorflow.keras import layers


def build(rate):
    return keras.Sequential([
        layers.LSTM(8, input_shape=(10, 3)),
        layers.Dropout(rate),
        layers.LSTM(4),  # verdict: inconclusive
    ])


def head(units):
    inputs = keras.Input(shape=(10, 3))
    return layers.TimeDistributed(layers.Dense(units))(inputs)  # verdict: confirmed
