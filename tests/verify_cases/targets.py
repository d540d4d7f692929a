"""Outputs and fit targets that disagree on the time axis."""

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x = np.zeros((200, 10, 3))
per_step = np.zeros((200, 10, 4))
per_sample = np.zeros((200, 4))

last = keras.Sequential([keras.Input(shape=(10, 3)), layers.LSTM(8), layers.Dense(4)])
last.compile(optimizer="adam", loss="categorical_crossentropy")
last.fit(x, per_step)  # verdict: confirmed

seq = keras.Sequential([keras.Input(shape=(10, 3)), layers.GRU(8, return_sequences=True), layers.Dense(4)])
seq.compile(optimizer="adam", loss="mae")
seq.fit(x, per_sample)  # verdict: confirmed

one = keras.Sequential([keras.Input(shape=(10, 3)), layers.LSTM(8), layers.Dense(1)])
one.compile(optimizer="adam", loss="mse")
one.fit(x, np.zeros((200, 10, 1)))  # verdict: confirmed
