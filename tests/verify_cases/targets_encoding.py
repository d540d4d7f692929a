"""Targets against the output and the loss (KRS401-KRS406), each confirmed in both Kerases."""

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x = np.zeros((120, 6), dtype="float32")
labels = np.random.randint(0, 4, size=(120,))

clf = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(4, activation="softmax")])
clf.compile(optimizer="adam", loss="categorical_crossentropy")
clf.fit(x, labels)  # verdict: confirmed; tf_keras: confirmed
clf.fit(x, np.eye(4)[labels])
clf.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
clf.fit(x, np.eye(4)[labels])  # verdict: confirmed; tf_keras: confirmed
clf.fit(x, labels.reshape(-1, 1))

reg = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(4)])
reg.compile(optimizer="adam", loss="mse")
reg.fit(x, np.zeros((120, 1)))  # verdict: confirmed; tf_keras: confirmed
reg.fit(x, np.zeros((120, 2)))  # verdict: confirmed; tf_keras: confirmed

gate = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(1, activation="softmax")])  # verdict: confirmed; tf_keras: confirmed

seq = keras.Sequential([keras.Input(shape=(12,)), layers.Embedding(50, 8), layers.Dense(4, activation="softmax")])
seq.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
seq.fit(np.zeros((120, 12)), labels)  # verdict: confirmed; tf_keras: confirmed
seq.fit(np.zeros((120, 12)), np.zeros((120, 12)))
