"""What Keras does when a model's output and its targets differ in rank, per loss.

``python bench/measure_losses.py keras|tf_keras``: one training step per loss, situation and batch
size (3, T and 1), eagerly and compiled; T=R for a step that raises, T for one that trains. The
loss tables of ``src/flake8_keras/rules/fit_targets.py`` follow this (docs/verify.md).
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

STEPS = 4
LOSSES = [
    "mse", "mae", "mape", "msle", "huber", "log_cosh", "logcosh", "cosine_similarity",
    "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
    "hinge", "squared_hinge", "categorical_hinge", "kl_divergence", "kld", "poisson",
    "binary_focal_crossentropy", "categorical_focal_crossentropy", "deserialize",
]  # fmt: skip
# (situation, output shape without the batch axis, target shape without the batch axis)
SITUATIONS = [
    ("KRS201 (b, 8) vs (b, T, 8)", (8,), (STEPS, 8)),
    ("KRS201 (b, 1) vs (b, T, 1)", (1,), (STEPS, 1)),
    ("KRS201 (b, 8) vs (b, T, 1)", (8,), (STEPS, 1)),
    ("KRS202 (b, T, 8) vs (b, 8)", (STEPS, 8), (8,)),
    ("KRS202 (b, T, 8) vs (b,)", (STEPS, 8), ()),
    ("KRS202 (b, T, 1) vs (b,)", (STEPS, 1), ()),
    ("KRS202 (b, T, 1) vs (b, 1)", (STEPS, 1), (1,)),
]


def model(keras: Any, out: tuple[int, ...]) -> Any:
    inputs = keras.Input(shape=(3,))
    size = 1
    for dim in out:
        size *= dim
    hidden = keras.layers.Dense(size, activation="sigmoid")(inputs)
    if len(out) > 1:
        hidden = keras.layers.Reshape(out)(hidden)
    return keras.Model(inputs, hidden)


def step(keras: Any, np: Any, loss: str, out: tuple[int, ...], y: tuple[int, ...], batch: int,
         eager: bool) -> str:  # fmt: skip
    rng = np.random.default_rng(0)
    m = model(keras, out)
    x = rng.uniform(0, 1, (batch, 3)).astype("float32")
    if loss.startswith("sparse"):
        targets = rng.integers(0, out[-1], (batch, *y)).astype("float32")
    else:
        targets = rng.uniform(0, 1, (batch, *y)).astype("float32")
    try:
        m.compile(optimizer="sgd", loss=loss, run_eagerly=eager)
        if eager:
            m.train_on_batch(x, targets)
        else:
            m.fit(x, targets, batch_size=batch, epochs=1, verbose=0)
    except Exception:
        return "R"
    return "T"


def main(module: str) -> None:
    keras = importlib.import_module(module)
    import numpy as np

    print(f"{module} {keras.__version__}; batch sizes 3, T={STEPS}, 1; e eager, c compiled")
    for loss in LOSSES:
        for name, out, y in SITUATIONS:
            cells = [
                f"b{batch}{'e' if eager else 'c'}:{step(keras, np, loss, out, y, batch, eager)}"
                for batch in (3, STEPS, 1)
                for eager in (True, False)
            ]
            print(f"{loss:32s} {name:28s} {' '.join(cells)}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "keras")
