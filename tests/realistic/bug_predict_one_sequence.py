"""predict(window) on one (5, 1) window of a (5, 1)-input model (silent: 5 predictions of (1,)).

Keras treats the 5 timesteps as 5 samples of shape (1,) (the missing trailing axis is added),
so predict returns shape (5, 1) instead of one forecast.
"""

import numpy as np
from keras import Input, Sequential
from keras.layers import Dense, SimpleRNN

rng = np.random.default_rng(119)
series = rng.random(200).astype("float32")
X = np.stack([series[i : i + 5] for i in range(150)]).reshape(150, 5, 1)
y = series[5:155]

model = Sequential([Input(shape=(5, 1)), SimpleRNN(16), Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=1, verbose=0)
window = X[-1]
forecast = model.predict(window, verbose=0)  # bug
print(forecast.shape)
