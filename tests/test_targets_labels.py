"""The bound on integer label values (keras/label_values.py) as the rules see it on a fit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flake8_keras.analysis import analyze_source
from flake8_keras.keras.construct import build_graph
from flake8_keras.keras.label_values import count
from flake8_keras.keras.model import Tensor, ValueBound

HEAD = """
import numpy as np
import tensorflow as tf
from keras import Input, Sequential, layers
from sklearn.model_selection import train_test_split
m = Sequential([Input(shape=(4,)), layers.Dense(5)])
m.compile(loss="sparse_categorical_crossentropy")
y = np.random.randint(0, 10, size=(100,))
"""


def _labels(expression: str) -> Tensor:
    fit = build_graph(ast.parse(HEAD + f"m.fit(np.zeros((100, 4)), {expression})\n")).fits[-1]
    assert isinstance(fit.y, Tensor)
    return fit.y


@pytest.mark.parametrize(
    ("expression", "bound"),
    [
        ("y", ValueBound(0, 9, drawn=True)),
        ("np.random.randint(10, size=100)", ValueBound(0, 9, drawn=True)),
        ("np.random.randint(3, high=7, size=(100, 1))", ValueBound(3, 6, drawn=True)),
        ("np.random.default_rng(1).integers(2, 5, 100)", ValueBound(2, 4, drawn=True)),
        ("np.random.default_rng().integers(5, size=9, endpoint=True)", ValueBound(0, 5, True)),
        ('tf.random.uniform((100,), maxval=10, dtype="int32")', ValueBound(0, 9, drawn=True)),
        ("tf.random.uniform((100,), 2, 10, dtype=tf.int64)", ValueBound(2, 9, drawn=True)),
        ("np.array([[0], [3], [7]])", ValueBound(0, 7, drawn=False)),
        ("np.arange(10)", ValueBound(0, 9, drawn=False)),
        ("np.arange(2, 12, 3)", ValueBound(2, 11, drawn=False)),
        ("np.arange(10)[::-1].reshape(-1, 1)", ValueBound(0, 9, drawn=False)),
        ("y.astype(int)", ValueBound(0, 9, drawn=True)),
        ('y.astype("float32")[:50]', ValueBound(0, 9, drawn=True)),
        ("np.expand_dims(y[..., None][:, 0], -1)", ValueBound(0, 9, drawn=True)),
        ("np.asarray(y).copy().ravel()", ValueBound(0, 9, drawn=True)),
    ],
)
def test_the_bound_is_kept_by_what_moves_or_selects_values(
    expression: str, bound: ValueBound
) -> None:
    assert _labels(expression).values == bound


@pytest.mark.parametrize(
    "expression",
    [
        "y % 5",
        "y + 1",
        "y.astype(bool)",
        'y.astype("int8") * 2',
        "y[np.arange(3)]",  # fancy indexing may repeat any value
        "np.arange(10)[:4]",  # the literal's largest value is cut off
        "np.array([0, 1.5])",
        "np.array([0, True])",
        "np.random.randint(0, 10, size=(100,)).astype(np.bool_)",
        "tf.random.uniform((100,), maxval=10)",  # floats
        "np.random.randint(0, n, size=(100,))",
        "np.clip(y, 0, 4)",
        "np.load('y.npy')",
    ],
)
def test_anything_else_leaves_the_values_unknown(expression: str) -> None:
    source = HEAD + f"n = int(input())\nm.fit(np.zeros((100, 4)), {expression})\n"
    fit = build_graph(ast.parse(source)).fits[-1]
    assert not isinstance(fit.y, Tensor) or fit.y.values is None


def test_train_test_split_keeps_a_draw_with_the_smaller_part_as_its_count() -> None:
    source = HEAD + (
        "a, b, c, d = train_test_split(np.zeros((100, 4)), y, test_size=0.2)\n"
        "m.fit(a, c)\nm.fit(b, d)\n"
    )
    fits = build_graph(ast.parse(source)).fits
    for fit in fits[-2:]:
        assert isinstance(fit.y, Tensor) and fit.y.values is not None
        assert fit.y.values.drawn and count(fit.y) == 20


def test_train_test_split_drops_a_literal_whose_largest_value_may_go_either_way() -> None:
    source = HEAD + (
        "a, b, c, d = train_test_split(np.zeros((10, 4)), np.arange(10))\nm.fit(a, c)\n"
    )
    fit = build_graph(ast.parse(source)).fits[-1]
    assert isinstance(fit.y, Tensor) and fit.y.values is None


@pytest.mark.parametrize(
    "name", ["krs407_labels_out_of_range.py", "krs408_targets_keep_axes.py", "../../examples"]
)
def test_headlines_stay_within_120_characters_and_name_no_line(name: str) -> None:
    base = Path(__file__).parent / "fixtures" / name
    paths = sorted(base.glob("*.py")) if base.is_dir() else [base]
    found = [d for p in paths for d in analyze_source(p.read_text(encoding="utf-8"))]
    ours = [d for d in found if d.code in ("KRS407", "KRS408")]
    assert ours
    for d in ours:
        headline = d.message.removeprefix(f"{d.code} ")
        assert len(headline) <= 120 and "line" not in headline, d.message
