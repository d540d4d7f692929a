"""A Python generator yielding (x, y) batches forever, fed to fit with steps_per_epoch."""

import numpy as np
from keras import Input, Model
from keras.layers import Conv1D, Dense, GlobalMaxPooling1D

seq_len, n_channels = 100, 3


def batch_generator(batch_size=16):
    rng = np.random.default_rng(13)
    while True:
        x = rng.normal(size=(batch_size, seq_len, n_channels)).astype("float32")
        y = (x.mean(axis=(1, 2)) > 0).astype("float32")
        yield x, y


inputs = Input(shape=(seq_len, n_channels))
h = Conv1D(16, 5, activation="relu")(inputs)
h = GlobalMaxPooling1D()(h)
outputs = Dense(1, activation="sigmoid")(h)
model = Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(batch_generator(), steps_per_epoch=4, epochs=1, verbose=0)
