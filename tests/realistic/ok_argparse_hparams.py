"""Hyper-parameters from argparse with defaults, as a training script takes them."""

import argparse

import keras
import numpy as np
from keras import layers

parser = argparse.ArgumentParser(description="train a GRU sentiment model")
parser.add_argument("--vocab-size", type=int, default=5000)
parser.add_argument("--maxlen", type=int, default=60)
parser.add_argument("--units", type=int, default=32)
parser.add_argument("--epochs", type=int, default=1)
parser.add_argument("--batch-size", type=int, default=32)
parser.add_argument("--dropout", type=float, default=0.2)
args = parser.parse_args()

rng = np.random.default_rng(20)
x = rng.integers(1, args.vocab_size, (64, args.maxlen))
y = rng.integers(0, 2, (64,))

model = keras.Sequential(
    [
        keras.Input(shape=(args.maxlen,)),
        layers.Embedding(args.vocab_size, 64),
        layers.GRU(args.units, dropout=args.dropout, return_sequences=True),
        layers.GRU(args.units),
        layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=args.epochs, batch_size=args.batch_size, verbose=0)
