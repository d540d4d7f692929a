"""The interpreter's values: constant folding and the shapes of training arrays."""

from __future__ import annotations

import ast

import pytest

from flake8_keras.engine.interpreter import Interpreter
from flake8_keras.engine.scope import Scope
from flake8_keras.engine.values import UNKNOWN, Const, Value
from flake8_keras.keras.construct import KerasSemantics
from flake8_keras.keras.model import Tensor

PRELUDE = """\
import numpy as np
import tensorflow as tf
from keras.utils import to_categorical
from keras.utils import np_utils
N, T = 1000, 64
base = np.zeros((N, T, 8))
labels = np.random.randint(0, 5, size=(N,))
"""


def value_of(expression: str, prelude: str = PRELUDE) -> Value:
    scope = Scope()
    Interpreter(KerasSemantics().hooks).exec_block(
        ast.parse(prelude + f"result = {expression}\n").body, scope
    )
    return scope.vars["result"]


def dims_of(expression: str) -> tuple[int | None, ...] | None:
    value = value_of(expression)
    assert isinstance(value, Tensor), value
    return None if value.shape is None else value.shape.dims


@pytest.mark.parametrize(
    ("expression", "dims"),
    [
        ("np.zeros((N, T, 8))", (1000, 64, 8)),
        ("np.ones([N, T])", (1000, 64)),
        ("np.empty(N)", (1000,)),
        ("np.full((N, 1), 0.5)", (1000, 1)),
        ("np.random.random((N, T, 1))", (1000, 64, 1)),
        ("np.random.rand(N, T)", (1000, 64)),
        ("np.random.randn(N, T, 2)", (1000, 64, 2)),
        ("np.random.randint(0, 5, size=(N, T))", (1000, 64)),
        ("np.random.normal(0, 1, size=(N, 3))", (1000, 3)),
        ("np.random.uniform(size=(N,))", (1000,)),
        ("np.array([[1, 2], [3, 4], [5, 6]])", (3, 2)),
        ("base.reshape(N, -1)", (1000, 512)),
        ("base.reshape((-1, 8))", (64000, 8)),
        ("np.reshape(base, (N, T * 8))", (1000, 512)),
        ("np.expand_dims(labels, -1)", (1000, 1)),
        ("labels[..., np.newaxis]", (1000, 1)),
        ("base[:, :, None]", (1000, 64, 1, 8)),
        ("base[:960]", (960, 64, 8)),
        ("base[:, -1]", (1000, 8)),
        ("np.eye(5)[labels]", (1000, 5)),
        ("np.stack([labels, labels], axis=1)", (1000, 2)),
        ("to_categorical(labels, 5)", (1000, 5)),
        ("to_categorical(labels[:, None], num_classes=5)", (1000, 5)),
        ("np_utils.to_categorical(np.zeros((N, T)), 5)", (1000, 64, 5)),
        ("tf.zeros((N, T))", (1000, 64)),
        ("tf.random.normal((N, 3))", (1000, 3)),
        ("tf.constant([[1.0], [2.0]])", (2, 1)),
        ("base.astype('float32')", (1000, 64, 8)),
    ],
)
def test_array_shapes(expression: str, dims: tuple[int, ...]) -> None:
    assert dims_of(expression) == dims


@pytest.mark.parametrize(
    "expression",
    [
        "np.load('y.npy')",
        "pd.read_csv('y.csv').values",
        "np.zeros(shape)",
        "np.random.random((N, width))",
        "base[mask]",
        "tf.data.Dataset.from_tensor_slices(base)",
        "np.array(rows)",
        "np.array([[1, 2], [3]])",
    ],
)
def test_unknown_arrays(expression: str) -> None:
    value = value_of(expression)
    assert value is UNKNOWN or (isinstance(value, Tensor) and value.shape is None)


@pytest.mark.parametrize(
    ("expression", "folded"),
    [
        ("N * 2 + 1", 2001),
        ("(T, 8) + (1,)", (64, 8, 1)),
        ("-T // 3", -22),
        ("2 ** 10", 1024),
        ("T if True else 3", 64),
        ("not False", True),
    ],
)
def test_constants_fold(expression: str, folded: object) -> None:
    assert value_of(expression) == Const(folded)


@pytest.mark.parametrize("expression", ["10 ** 100000", "N / 0", "len(x)", "os.environ['T']"])
def test_unfoldable_is_unknown(expression: str) -> None:
    assert value_of(expression) is UNKNOWN
