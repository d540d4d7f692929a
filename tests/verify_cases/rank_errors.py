"""Sequence layers fed inputs without a time axis, in several API styles."""

import tensorflow as tf
from tensorflow.keras import layers

seq = tf.keras.Sequential([
    layers.Conv1D(8, 3, input_shape=(40, 2)),
    layers.GlobalMaxPooling1D(),
    layers.TimeDistributed(layers.Dense(4)),  # verdict: confirmed
])

inputs = tf.keras.Input(shape=(30, 5))
x = layers.Bidirectional(layers.LSTM(8))(inputs)
x = layers.GRU(4)(x)  # verdict: confirmed

flat = tf.keras.Sequential()
flat.add(layers.Flatten(input_shape=(10, 3)))
flat.add(layers.SimpleRNN(4))  # verdict: confirmed
