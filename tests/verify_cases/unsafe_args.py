"""Safety case: evaluating any layer argument here would create a file. The verifier must not."""

from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    layers.LSTM(open("verify_was_here.txt", "w").write("x") + 7, input_shape=(10, 3)),
    layers.LSTM(4),  # verdict: confirmed
])
inputs = keras.Input(shape=(6, 2))
x = layers.GRU(5, return_sequences=True)(inputs)
y = layers.TimeDistributed(layers.Dense(__import__("os").system("touch verify_was_here.txt")))(x)  # verdict: confirmed
z = layers.Dropout(eval("open('verify_was_here.txt', 'w').write('x')"))(layers.LSTM(4)(inputs))
w = layers.LSTM(3)(z)  # verdict: inconclusive
