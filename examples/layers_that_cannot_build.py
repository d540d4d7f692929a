"""Layers that cannot build: ranks, windows, element counts and merges."""

import keras
from keras import layers
from keras.models import Sequential

gray = Sequential()
gray.add(layers.Conv2D(32, 3, input_shape=(100, 100)))  # KRS501: no channel axis
gray.add(layers.Flatten())
gray.add(layers.Dense(10))

deep = Sequential()
deep.add(layers.Conv2D(32, 3, activation="relu", input_shape=(28, 28, 1)))
deep.add(layers.MaxPooling2D())
deep.add(layers.Conv2D(64, 3, activation="relu"))
deep.add(layers.MaxPooling2D())
deep.add(layers.Conv2D(128, 3, activation="relu"))
deep.add(layers.MaxPooling2D())
deep.add(layers.Conv2D(256, 3, activation="relu"))  # KRS502: the 1x1 map is smaller than 3x3
deep.add(layers.Flatten())
deep.add(layers.Dense(10))

inputs = keras.Input(shape=(28, 28))
image = layers.Reshape((28, 28, 3))(inputs)  # KRS503: 784 elements, not 2352

features = keras.Input(shape=(32, 32, 16))
x = layers.Conv2D(32, 3, padding="same")(features)
x = layers.Add()([x, features])  # KRS504: 32 channels plus 16
