"""TimeDistributed(Dense) with arguments Keras 3 ignores inside the wrapper."""

from tensorflow import keras
from tensorflow.keras import layers, regularizers

inputs = keras.Input(shape=(12, 6))
x = layers.LSTM(8, return_sequences=True)(inputs)
a = layers.TimeDistributed(layers.Dense(4, activity_regularizer="l2"))(x)  # verdict: confirmed with differences
b = layers.TimeDistributed(layers.Dense(4, dtype="float32"))(x)  # verdict: confirmed with differences; tf_keras: confirmed
c = layers.TimeDistributed(layers.Dense(4, activity_regularizer=regularizers.l2(0.1)))(x)  # verdict: confirmed with differences
