"""Text classification with a Transformer block: MultiHeadAttention, Add, LayerNormalization."""

import keras
import numpy as np
from keras import layers


def transformer_block(x, embed_dim, num_heads, ff_dim, rate=0.1):
    attn = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)(x, x)
    attn = layers.Dropout(rate)(attn)
    out1 = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([x, attn]))
    ffn = layers.Dense(ff_dim, activation="relu")(out1)
    ffn = layers.Dense(embed_dim)(ffn)
    ffn = layers.Dropout(rate)(ffn)
    return layers.LayerNormalization(epsilon=1e-6)(layers.Add()([out1, ffn]))


vocab_size, maxlen, embed_dim = 2000, 64, 32
rng = np.random.default_rng(14)
x_train = rng.integers(0, vocab_size, (64, maxlen))
y_train = rng.integers(0, 2, (64,))

inputs = layers.Input(shape=(maxlen,))
x = layers.Embedding(vocab_size, embed_dim)(inputs)
x = transformer_block(x, embed_dim, num_heads=2, ff_dim=32)
x = layers.GlobalAveragePooling1D()(x)
x = layers.Dropout(0.1)(x)
outputs = layers.Dense(2, activation="softmax")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=32, epochs=1, verbose=0)
