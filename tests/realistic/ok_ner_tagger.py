"""NER tagger: masked Embedding, BiLSTM over every step, a softmax per token, labels (n, T)."""

import keras
import numpy as np
from keras import layers

n_words, n_tags, max_len = 5000, 9, 50

rng = np.random.default_rng(4)
sentences = [rng.integers(1, n_words, rng.integers(5, max_len)) for _ in range(64)]
tags = [rng.integers(0, n_tags, len(s)) for s in sentences]
X = keras.utils.pad_sequences(sentences, maxlen=max_len, padding="post", value=0)
y = keras.utils.pad_sequences(tags, maxlen=max_len, padding="post", value=0)

word_input = keras.Input(shape=(max_len,), dtype="int32")
emb = layers.Embedding(input_dim=n_words, output_dim=50, mask_zero=True)(word_input)
emb = layers.SpatialDropout1D(0.1)(emb)
bilstm = layers.Bidirectional(layers.LSTM(64, return_sequences=True, recurrent_dropout=0.1))(emb)
out = layers.Dense(n_tags, activation="softmax")(bilstm)
model = keras.Model(word_input, out)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, batch_size=16, epochs=1, verbose=0)
pred = model.predict(X[:2], verbose=0)
print(np.argmax(pred, axis=-1).shape)
