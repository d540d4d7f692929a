"""Human-activity recognition: Conv1D over (timesteps, channels) windows, global pooling."""

import keras
import numpy as np
from keras import layers

n_timesteps, n_features, n_outputs = 128, 9, 6

rng = np.random.default_rng(8)
trainX = rng.normal(size=(80, n_timesteps, n_features)).astype("float32")
trainy = keras.utils.to_categorical(rng.integers(0, n_outputs, (80,)), n_outputs)

model = keras.Sequential(
    [
        layers.Input(shape=(n_timesteps, n_features)),
        layers.Conv1D(filters=64, kernel_size=3, activation="relu"),
        layers.Conv1D(filters=64, kernel_size=3, activation="relu"),
        layers.Dropout(0.5),
        layers.MaxPooling1D(pool_size=2),
        layers.Conv1D(filters=32, kernel_size=5, activation="relu"),
        layers.GlobalAveragePooling1D(),
        layers.Dense(100, activation="relu"),
        layers.Dense(n_outputs, activation="softmax"),
    ]
)
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(trainX, trainy, epochs=1, batch_size=32, verbose=0)
_, accuracy = model.evaluate(trainX, trainy, batch_size=32, verbose=0)
