"""TimeDistributed(Dense) on a sequence that Dense already handles (silent: same output, slower).

In Keras 3 the wrapper runs the Dense once per timestep (a bigger graph, slower steps); the
results are the same as Dense(n_tags) on the (batch, T, 64) sequence.
"""

import keras
import numpy as np
from keras import layers

vocab, n_tags, T = 3000, 7, 40
rng = np.random.default_rng(100)
X = rng.integers(1, vocab, (64, T))
y = rng.integers(0, n_tags, (64, T))

model = keras.Sequential(
    [
        keras.Input(shape=(T,)),
        layers.Embedding(vocab, 32),
        layers.Bidirectional(layers.LSTM(32, return_sequences=True)),
        layers.TimeDistributed(layers.Dense(n_tags, activation="softmax")),  # bug
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(X, y, epochs=1, batch_size=32, verbose=0)
