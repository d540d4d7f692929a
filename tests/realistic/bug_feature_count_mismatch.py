"""Model declares 20 features but the data has 30 columns (raises: expected axis -1 20, got 30)."""

import numpy as np
from keras import layers, models

n_features = 20
rng = np.random.default_rng(118)
X_train = rng.random((64, 30))
y_train = rng.integers(0, 2, (64,))

model = models.Sequential()
model.add(layers.Dense(32, activation="relu", input_shape=(n_features,)))
model.add(layers.Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(X_train, y_train, epochs=1, verbose=0)  # bug
