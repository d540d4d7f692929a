"""KRS407 against real Keras: labels that reach the units raise with a sparse loss in Keras 3
and tf_keras; a false claim (labels below the units) is refuted. The fixture's claims are
confirmed by tests/test_targets_verify.py (every krs4*.py fixture)."""

from __future__ import annotations

import ast

import pytest

from flake8_keras.keras.construct import build_graph
from flake8_keras.rules.base import Diagnostic
from flake8_keras.verify.checks import verify
from flake8_keras.verify.runtime import Runtime, load
from flake8_keras.verify.verdict import CONFIRMED, REFUTED

pytestmark = pytest.mark.tensorflow

SOURCE = """
import numpy as np
from keras import Input, Sequential, layers
m = Sequential([Input(shape=(4,)), layers.Dense(5, activation="softmax")])
m.compile("sgd", "sparse_categorical_crossentropy")
m.fit(np.zeros((9, 4)), np.random.randint(0, 10, size=(9,)))
"""


@pytest.fixture(scope="session", params=["keras", "tf_keras"])
def runtime(request: pytest.FixtureRequest) -> Runtime:
    return load(request.param)


def _claim(high: int) -> Diagnostic:
    fit = build_graph(ast.parse(SOURCE)).fits[-1]
    args = {"high": high, "loss": "sparse_categorical_crossentropy", "behaviour": "raises"}
    return Diagnostic("KRS407", fit.y_node, "KRS407 claim", fit=fit, args=args)


def test_labels_reaching_the_units_raise_in_both_keras_lines(runtime: Runtime) -> None:
    result = verify(_claim(5), runtime)
    assert result.verdict == CONFIRMED, result.evidence
    assert "outside the valid range of [0, 5)" in result.evidence
    assert "below 5 train" in result.evidence


def test_a_claim_on_labels_below_the_units_is_refuted(runtime: Runtime) -> None:
    result = verify(_claim(4), runtime)
    assert result.verdict == REFUTED and "trains" in result.evidence
