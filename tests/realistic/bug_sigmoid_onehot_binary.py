"""Dense(1, sigmoid) + binary_crossentropy trained on one-hot (n, 2) labels (raises: same shape)."""

import numpy as np
from keras import layers, models, utils
from keras.utils import pad_sequences

reviews = [np.random.randint(1, 5000, np.random.randint(5, 120)) for _ in range(64)]
x_train = pad_sequences(reviews, maxlen=100)
y_train = utils.to_categorical(np.random.randint(0, 2, (64,)), 2)

model = models.Sequential()
model.add(layers.Input(shape=(100,)))
model.add(layers.Embedding(5000, 32))
model.add(layers.GlobalAveragePooling1D())
model.add(layers.Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)  # bug
