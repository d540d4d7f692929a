"""Subclassed classifier whose GRU returns sequences, trained on (n,) labels (raises at fit)."""

import keras
import numpy as np
from keras import layers


class SentimentModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.embed = layers.Embedding(5000, 64)
        self.rnn = layers.GRU(64, return_sequences=True)
        self.head = layers.Dense(2, activation="softmax")

    def call(self, inputs):
        return self.head(self.rnn(self.embed(inputs)))


rng = np.random.default_rng(115)
x_train = rng.integers(1, 5000, (64, 50))
y_train = rng.integers(0, 2, (64,))
model = SentimentModel()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)  # bug
