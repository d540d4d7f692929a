"""The classic question: is TimeDistributed(Dense(15)) different from Dense(15) after a GRU?"""

from tensorflow import keras
from tensorflow.keras import layers

TIMESTEPS, FEATURES = 64, 15

inputs = keras.Input(shape=(TIMESTEPS, FEATURES))
x = layers.GRU(16, return_sequences=True)(inputs)
wrapped = layers.TimeDistributed(layers.Dense(15))(x)  # 255 parameters
plain = layers.Dense(15)(x)  # the same 255 parameters, no per-timestep loop

model = keras.Model(inputs, wrapped)
model.compile(optimizer="adam", loss="mse")
