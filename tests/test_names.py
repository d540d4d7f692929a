"""Import paths map to one canonical Keras name; anything else is not Keras."""

from __future__ import annotations

import pytest

from flake8_keras.keras.imports import canonical_module, keras_symbol


@pytest.mark.parametrize(
    ("path", "canonical"),
    [
        ("keras", "keras"),
        ("keras.layers.LSTM", "keras.layers.LSTM"),
        ("tensorflow.keras.layers.GRU", "keras.layers.GRU"),
        ("tensorflow.python.keras.layers.Dense", "keras.layers.Dense"),
        ("tf_keras.layers.TimeDistributed", "keras.layers.TimeDistributed"),
        ("keras.layers.recurrent.LSTM", "keras.layers.LSTM"),
        ("keras.layers.wrappers.TimeDistributed", "keras.layers.TimeDistributed"),
        ("keras.layers.core.Dense", "keras.layers.Dense"),
        ("keras.layers.embeddings.Embedding", "keras.layers.Embedding"),
        ("keras.utils.np_utils.to_categorical", "keras.utils.to_categorical"),
        ("keras.src.layers.LSTM", "keras.layers.LSTM"),
        ("numpy.random", "numpy.random"),
        ("tensorflow", "tensorflow"),
    ],
)
def test_canonical_module(path: str, canonical: str) -> None:
    assert canonical_module(path) == canonical


@pytest.mark.parametrize(
    "path", ["mylib.layers.Dense", "torch.nn.LSTM", "kerasx.layers", "sklearn"]
)
def test_other_libraries_are_not_keras(path: str) -> None:
    assert canonical_module(path) is None


def test_keras_symbol() -> None:
    assert keras_symbol("keras.layers.LSTM") == "LSTM"
    assert keras_symbol("keras") is None
    assert keras_symbol("numpy.zeros") is None
