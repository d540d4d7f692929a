"""Video classification: TimeDistributed(Conv2D) per frame, then an LSTM over the frames."""

import keras
import numpy as np
from keras.layers import (
    LSTM,
    Conv2D,
    Dense,
    Flatten,
    Input,
    MaxPooling2D,
    TimeDistributed,
)

n_frames, h, w, c, n_classes = 8, 32, 32, 3, 5
rng = np.random.default_rng(17)
videos = rng.random((24, n_frames, h, w, c)).astype("float32")
labels = keras.utils.to_categorical(rng.integers(0, n_classes, (24,)), n_classes)

clip = Input(shape=(n_frames, h, w, c))
x = TimeDistributed(Conv2D(16, (3, 3), activation="relu"))(clip)
x = TimeDistributed(MaxPooling2D((2, 2)))(x)
x = TimeDistributed(Flatten())(x)
x = LSTM(32)(x)
out = Dense(n_classes, activation="softmax")(x)
model = keras.Model(clip, out)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(videos, labels, batch_size=8, epochs=1, verbose=0)
