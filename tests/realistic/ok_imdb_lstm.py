"""IMDB sentiment: padded token sequences, Embedding + LSTM, binary_crossentropy."""

import numpy as np
from keras import Sequential
from keras.layers import LSTM, Dense, Embedding, Input
from keras.utils import pad_sequences

max_features = 20000
maxlen = 80
batch_size = 32

# mimics keras.datasets.imdb.load_data(num_words=max_features): lists of word ids
rng = np.random.default_rng(3)
x_train = [list(rng.integers(1, max_features, rng.integers(10, 200))) for _ in range(64)]
x_test = [list(rng.integers(1, max_features, rng.integers(10, 200))) for _ in range(16)]
y_train = rng.integers(0, 2, (64,))
y_test = rng.integers(0, 2, (16,))

x_train = pad_sequences(x_train, maxlen=maxlen)
x_test = pad_sequences(x_test, maxlen=maxlen)
print("x_train shape:", x_train.shape)

model = Sequential()
model.add(Input(shape=(maxlen,)))
model.add(Embedding(max_features, 128))
model.add(LSTM(128, dropout=0.2, recurrent_dropout=0.2))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=batch_size, epochs=1, verbose=0)
score, acc = model.evaluate(x_test, y_test, batch_size=batch_size, verbose=0)
print("Test accuracy:", acc)
