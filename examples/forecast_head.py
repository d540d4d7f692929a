"""A per-timestep forecasting head on an encoder that only returns its last step."""

import keras
from keras import layers

encoder_in = keras.Input(shape=(48, 6))
state = layers.LSTM(64)(encoder_in)
per_step = layers.TimeDistributed(layers.Dense(1))(state)
forecaster = keras.Model(encoder_in, per_step)
