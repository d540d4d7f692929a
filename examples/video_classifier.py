"""A correct CNN-LSTM video classifier: TimeDistributed around Conv2D is what it is for."""

from tensorflow import keras
from tensorflow.keras import layers

frames = keras.Input(shape=(16, 64, 64, 3))
x = layers.TimeDistributed(layers.Conv2D(16, 3, activation="relu"))(frames)
x = layers.TimeDistributed(layers.MaxPooling2D())(x)
x = layers.TimeDistributed(layers.Flatten())(x)
x = layers.LSTM(32)(x)
outputs = layers.Dense(5, activation="softmax")(x)
classifier = keras.Model(frames, outputs)
classifier.compile(optimizer="adam", loss="categorical_crossentropy")
