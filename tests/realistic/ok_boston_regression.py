"""Boston-housing regression: (n, 13) features, rank-1 targets for Dense(1), mse/mae."""

import numpy as np
from tensorflow import keras

rng = np.random.default_rng(23)
# mimics keras.datasets.boston_housing.load_data(): ((404, 13), (404,)), ((102, 13), (102,))
train_data, train_targets = rng.random((404, 13)), rng.random((404,)) * 50
test_data, test_targets = rng.random((102, 13)), rng.random((102,)) * 50

mean = train_data.mean(axis=0)
std = train_data.std(axis=0)
train_data = (train_data - mean) / std
test_data = (test_data - mean) / std


def build_model():
    model = keras.Sequential(
        [
            keras.layers.Dense(64, activation="relu", input_shape=(train_data.shape[1],)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
    return model


model = build_model()
model.fit(train_data, train_targets, epochs=1, batch_size=16, verbose=0)
test_mse, test_mae = model.evaluate(test_data, test_targets, verbose=0)
print(test_mae)
