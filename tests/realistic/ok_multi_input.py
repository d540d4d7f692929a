"""Two inputs (tabular features + text) merged with Concatenate; fit([x1, x2], y)."""

import keras
import numpy as np
from keras import layers

n, n_num, seq_len, vocab = 96, 12, 30, 2000
rng = np.random.default_rng(10)
x_num = rng.normal(size=(n, n_num)).astype("float32")
x_text = rng.integers(1, vocab, (n, seq_len))
y = rng.integers(0, 2, (n, 1)).astype("float32")

num_in = keras.Input(shape=(n_num,), name="numeric")
text_in = keras.Input(shape=(seq_len,), name="text")
a = layers.Dense(32, activation="relu")(num_in)
b = layers.Embedding(vocab, 16)(text_in)
b = layers.LSTM(16)(b)
merged = layers.Concatenate()([a, b])
merged = layers.Dense(16, activation="relu")(merged)
out = layers.Dense(1, activation="sigmoid")(merged)

model = keras.Model(inputs=[num_in, text_in], outputs=out)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["AUC"])
model.fit([x_num, x_text], y, epochs=1, batch_size=32, verbose=0)
model.predict([x_num[:2], x_text[:2]], verbose=0)
