"""Dense(10) output for a scalar target (n,) with mse (raises: Incompatible shapes).

Keras 3 raises unless the batch size happens to be 10; tf_keras broadcasts and trains silently.
"""

import numpy as np
from keras import Input, Sequential
from keras.layers import Dense

rng = np.random.default_rng(116)
X = rng.random((64, 13))
prices = rng.random((64,)) * 50

model = Sequential([Input(shape=(13,)), Dense(64, activation="relu"), Dense(10)])
model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
model.fit(X, prices, epochs=1, batch_size=32, verbose=0)  # bug
