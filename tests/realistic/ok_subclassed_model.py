"""A subclassed keras.Model: layers created in __init__, wired in call, trained with fit."""

import keras
import numpy as np
from keras import layers


class TextClassifier(keras.Model):
    def __init__(self, vocab_size, embed_dim, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(vocab_size, embed_dim)
        self.gru = layers.GRU(32, return_sequences=True)
        self.pool = layers.GlobalMaxPooling1D()
        self.dropout = layers.Dropout(0.2)
        self.classifier = layers.Dense(num_classes, activation="softmax")

    def call(self, inputs, training=False):
        x = self.embedding(inputs)
        x = self.gru(x)
        x = self.pool(x)
        x = self.dropout(x, training=training)
        return self.classifier(x)


vocab_size, seq_len, num_classes = 3000, 40, 4
rng = np.random.default_rng(7)
x_train = rng.integers(1, vocab_size, (64, seq_len))
y_train = rng.integers(0, num_classes, (64,))

model = TextClassifier(vocab_size, 64, num_classes)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1, batch_size=16, verbose=0)
print(model.predict(x_train[:3], verbose=0).shape)
