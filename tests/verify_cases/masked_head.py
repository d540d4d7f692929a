"""A masked sequence into a redundant TimeDistributed(Dense): the mask must propagate the same."""

from tensorflow import keras
from tensorflow.keras import layers

tokens = keras.Input(shape=(20,))
x = layers.Embedding(1000, 8, mask_zero=True)(tokens)
x = layers.GRU(6, return_sequences=True)(x)
tags = layers.TimeDistributed(layers.Dense(5, activation="softmax"))(x)  # verdict: confirmed
