"""The engine side of KRS3xx: the data calls it records (x and y), the shapes of arrays from
the known data APIs, and the input a model declares (``keras.training.model_input``)."""

from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_keras.engine.values import MISSING
from flake8_keras.keras.construct import build_graph
from flake8_keras.keras.model import DataCall, Model, Shape, Tensor
from flake8_keras.keras.training import model_input

HEAD = """
import numpy as np
import tensorflow as tf
from keras import Input, Model, layers, models
from keras.datasets import boston_housing, cifar10, cifar100, fashion_mnist, imdb, mnist
from keras.preprocessing.sequence import pad_sequences
from keras.utils import to_categorical
from sklearn.model_selection import train_test_split

model = models.Sequential([layers.Dense(1, input_shape=(3,))])
x = np.zeros((100, 28, 28))
labels = np.zeros((100,), dtype=int)
"""


def _data(source: str) -> list[DataCall]:
    return build_graph(ast.parse(HEAD + textwrap.dedent(source))).data


def _shape(expression: str, setup: str = "") -> Shape | None:
    calls = _data(f"{setup}\nmodel.predict({expression})\n")
    assert len(calls) == 1
    value = calls[0].x
    return value.shape if isinstance(value, Tensor) else None


@pytest.mark.parametrize(
    ("expression", "setup", "dims"),
    [
        ("a", "(a, b), (c, d) = mnist.load_data()", (60000, 28, 28)),
        ("b", "(a, b), (c, d) = fashion_mnist.load_data()", (60000,)),
        ("c", "(a, b), (c, d) = cifar10.load_data()", (10000, 32, 32, 3)),
        ("d", "(a, b), (c, d) = cifar100.load_data()", (10000, 1)),
        ("a", "(a, b), (c, d) = boston_housing.load_data()", (404, 13)),
        ("a", "(a, b), _ = boston_housing.load_data(test_split=0.3)", (None, 13)),
        ("pad_sequences(a, maxlen=80)", "(a, b), _ = imdb.load_data(num_words=100)", (None, 80)),
        ("b", "(a, b), _ = imdb.load_data()", (None,)),
        ("to_categorical(labels, 10)", "", (100, 10)),
        ("np.eye(10)[labels]", "", (100, 10)),
        ("tf.one_hot(labels, 10)", "", (100, 10)),
        ("x.reshape(-1, 784)", "", (100, 784)),
        ("x.reshape((x.shape[0], 28, 28, 1))", "", (100, 28, 28, 1)),
        ("np.expand_dims(x, -1)", "", (100, 28, 28, 1)),
        ("x[..., None]", "", (100, 28, 28, 1)),
        ("x[None]", "", (1, 100, 28, 28)),
        ("x[:1]", "", (1, 28, 28)),
        ("x[0]", "", (28, 28)),
        ("np.transpose(x, (1, 2, 0))", "", (28, 28, 100)),
        ("x.transpose()", "", (28, 28, 100)),
        ("x.T", "", (28, 28, 100)),
        ("np.stack([x, x])", "", (2, 100, 28, 28)),
        ("np.concatenate([x, x])", "", (200, 28, 28)),
        ("np.concatenate([x, x], axis=-1)", "", (100, 28, 56)),
        ("x.astype('float32') / 255.0", "", (100, 28, 28)),
        ("1.0 - x", "", (100, 28, 28)),
        ("x", "x /= 255", (100, 28, 28)),
        ("np.zeros(x.shape[1:])", "", (28, 28)),
        ("np.zeros((x.shape[1], 5))", "", (28, 5)),
        ("xt", "xt, xv, yt, yv = train_test_split(x, labels, test_size=0.2)", (None, 28, 28)),
        ("yv", "xt, xv, yt, yv = train_test_split(x, labels, test_size=0.2)", (None,)),
        ("rng.integers(0, 256, (64, 28, 28))", "rng = np.random.default_rng(0)", (64, 28, 28)),
        ("rng.random((8, 3))", "rng = np.random.default_rng()", (8, 3)),
        ("rng.normal(0, 1, size=(8, 3))", "rng = np.random.default_rng(1)", (8, 3)),
    ],
)
def test_known_array_apis(expression: str, setup: str, dims: tuple[int | None, ...]) -> None:
    assert _shape(expression, setup) == Shape(dims)


@pytest.mark.parametrize(
    ("expression", "setup"),
    [
        ("a", "(a, b), _ = imdb.load_data()"),  # lists of token ids: no rank until padded
        ("pad_sequences(texts, maxlen=10)", "texts = tokenizer.texts_to_sequences(docs)"),
        ("np.load('x.npy')", ""),
        ("x * labels", ""),  # broadcasting is not followed
        ("np.concatenate([x, np.zeros((5, 3, 3))])", ""),  # numpy would raise
        ("np.zeros(x.shape)", "x = unknown()"),
        ("np.transpose(x, (0, 0, 1))", ""),
        # an empty list filled by append calls the interpreter does not follow
        ("np.array(rows)", "rows = []\nfor i in range(n):\n    rows.append(x[i])"),
    ],
)
def test_unknown_stays_unknown(expression: str, setup: str) -> None:
    assert _shape(expression, setup) is None


def test_every_call_keeps_x_and_y_positional_and_keyword() -> None:
    calls = _data(
        """
        y = np.zeros((100, 1))
        model.fit(x, y, validation_data=(x[:10], y[:10]))
        model.fit(x=x, y=y)
        model.evaluate(x, y)
        model.predict(x)
        model.train_on_batch(x, y)
        model.test_on_batch(x, y)
        model.predict_on_batch(x)
        model(x)
        model.fit_generator(gen(), validation_data=(x, y))
        """
    )
    methods = [c.method for c in calls]
    assert methods == [
        "fit", "fit validation_data", "fit", "evaluate", "predict", "train_on_batch",
        "test_on_batch", "predict_on_batch", "__call__", "fit_generator validation_data",
    ]  # fmt: skip
    shapes = [(c.x.shape, getattr(c.y, "shape", c.y)) for c in calls]  # type: ignore[attr-defined]
    assert shapes[1] == (Shape((10, 28, 28)), Shape((10, 1)))
    assert all(s[0] == Shape((100, 28, 28)) for i, s in enumerate(shapes) if i != 1)
    assert [c.y is MISSING for c in calls] == [
        m in ("predict", "predict_on_batch", "__call__") for m in methods
    ]


def test_fit_targets_still_recorded_for_krs2xx() -> None:
    graph = build_graph(ast.parse(HEAD + "model.fit(x, np.zeros((100, 1)))\n"))
    assert [(f.method, f.y.shape) for f in graph.fits] == [("fit", Shape((100, 1)))]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("build", "declared", "dims"),
    [
        ("models.Sequential([layers.Dense(1, input_shape=(3,))])", True, (None, 3)),
        ("models.Sequential([layers.Dense(1, batch_input_shape=(8, 3))])", True, (8, 3)),
        ("models.Sequential([layers.Dense(1, input_dim=7)])", True, (None, 7)),
        ("models.Sequential([layers.LSTM(1, input_dim=4, input_length=9)])", True, (None, 9, 4)),
        ("models.Sequential([Input(shape=(5, 2)), layers.Dense(1)])", True, (None, 5, 2)),
        ("models.Sequential([Input(batch_shape=(4, 5)), layers.Dense(1)])", True, (4, 5)),
        ("models.Sequential([layers.Dense(2), layers.Dense(1, input_shape=(99,))])", False, None),
    ],
)
def test_declared_input(build: str, declared: bool, dims: tuple[int | None, ...] | None) -> None:
    calls = _data(f"m = {build}\nm.predict(x)\n")
    taken = model_input(calls[0].model)
    assert taken is not None and taken.declared is declared
    assert taken.tensor.shape == (Shape(dims) if dims else None)


@pytest.mark.parametrize(
    "build",
    [
        # two inputs
        "Model([Input(shape=(3,)), Input(shape=(4,))], None)",
        # a layer not followed before the first known one
        "models.Sequential([layers.Lambda(lambda t: t), layers.Dense(1)])",
        "models.Sequential([custom_layer(), layers.Dense(1)])",
    ],
)
def test_no_single_known_input(build: str) -> None:
    calls = _data(f"m = {build}\nm.predict(x)\n")
    assert not calls or model_input(calls[0].model) is None


def test_functional_two_inputs_have_no_single_input() -> None:
    calls = _data(
        """
        a, b = Input(shape=(3,)), Input(shape=(4,))
        m = Model([a, b], layers.Dense(1)(layers.concatenate([a, b])))
        m.predict(x)
        """
    )
    assert model_input(calls[0].model) is None


def _models_of_corpus() -> list[Model]:
    """Every model handed data in the realistic programs, the fixtures and the examples."""
    from pathlib import Path

    root = Path(__file__).parent
    models: list[Model] = []
    for path in sorted([*root.glob("realistic/**/*.py"), *root.glob("fixtures/**/*.py")]):
        try:
            graph = build_graph(ast.parse(path.read_text(encoding="utf-8")))
        except (SyntaxError, ValueError):
            continue
        models.extend(call.model for call in graph.data)
    return models


def test_chain_walk_agrees_with_the_general_walk() -> None:
    """``model_input`` walks a chain of one-input layers without bookkeeping; on every model
    of the corpus (chains and graphs) it says what the general walk says."""
    from flake8_keras.keras.training import _graph_input

    models = _models_of_corpus()
    assert len(models) > 100
    chains = 0
    for model in models:
        if model.output is None:
            continue
        fast = model_input(model)
        general = _graph_input(model, model.output, 2048)
        assert fast == general
        chains += fast is not None
    assert chains > 50
    # a budget too small for the chain (3 tensors): both give up; one more step, both agree
    chain = _data(
        "m = models.Sequential([Input(shape=(3,)), layers.Dense(3), layers.Dense(3)])\n"
        "m.predict(x)\n"
    )[-1].model
    assert chain.output is not None
    assert model_input(chain, budget=3) is None and _graph_input(chain, chain.output, 3) is None
    found = model_input(chain, budget=4)
    assert found is not None and found == _graph_input(chain, chain.output, 4)
