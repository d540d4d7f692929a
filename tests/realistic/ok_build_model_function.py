"""A build_model(...) function called with literals, then compiled and trained."""

import keras
import numpy as np
from keras import layers


def build_model(timesteps, n_features, units=64, n_classes=3, bidirectional=False):
    inputs = keras.Input(shape=(timesteps, n_features))
    rnn = layers.LSTM(units, return_sequences=True)
    x = layers.Bidirectional(rnn)(inputs) if bidirectional else rnn(inputs)
    x = layers.LSTM(units // 2)(x)
    x = layers.Dense(32, activation="relu")(x)
    outputs = layers.Dense(n_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


rng = np.random.default_rng(21)
X = rng.normal(size=(64, 50, 6)).astype("float32")
y = keras.utils.to_categorical(rng.integers(0, 3, (64,)), 3)

model = build_model(50, 6, units=32, n_classes=3, bidirectional=True)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, epochs=1, batch_size=16, verbose=0)
