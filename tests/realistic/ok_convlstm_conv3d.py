"""Next-frame prediction: stacked ConvLSTM2D over (frames, h, w, c) and a Conv3D head."""

import keras
import numpy as np
from keras import layers

frames, size = 10, 40
rng = np.random.default_rng(16)
movies = rng.random((16, frames, size, size, 1)).astype("float32")
shifted = np.roll(movies, -1, axis=1)

seq = keras.Sequential(
    [
        keras.Input(shape=(None, size, size, 1)),
        layers.ConvLSTM2D(filters=8, kernel_size=(3, 3), padding="same", return_sequences=True),
        layers.BatchNormalization(),
        layers.ConvLSTM2D(filters=8, kernel_size=(3, 3), padding="same", return_sequences=True),
        layers.BatchNormalization(),
        layers.Conv3D(filters=1, kernel_size=(3, 3, 3), activation="sigmoid", padding="same"),
    ]
)
seq.compile(loss="binary_crossentropy", optimizer="adadelta")
seq.fit(movies, shifted, batch_size=8, epochs=1, verbose=0)
next_frames = seq.predict(movies[:1], verbose=0)
print(next_frames.shape)
