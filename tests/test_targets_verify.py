"""KRS401-KRS406 against real Keras: every fixture claim confirmed, false claims refuted.

tf_keras runs the same fixtures in tests/test_verify_backends.py (the whole gallery).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flake8_keras.analysis import analyze_source
from flake8_keras.keras.construct import build_graph
from flake8_keras.rules.base import Diagnostic
from flake8_keras.verify.checks import verify
from flake8_keras.verify.runtime import Runtime, load
from flake8_keras.verify.verdict import CONFIRMED, REFUTED

pytestmark = pytest.mark.tensorflow

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("krs4*.py"))


@pytest.fixture(scope="session")
def runtime() -> Runtime:
    return load()


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_krs4_fixture_claim_is_confirmed(path: Path, runtime: Runtime) -> None:
    claims = [d for d in analyze_source(path.read_text(encoding="utf-8")) if d.code >= "KRS4"]
    assert claims or "not_flagged" in path.name
    for d in claims:
        result = verify(d, runtime)
        assert result.verdict == CONFIRMED, f"{path.name}:{d.line} {d.code}: {result.evidence}"


def test_confirmed_evidence_quotes_keras_and_the_control(runtime: Runtime) -> None:
    path = FIXTURES[0].parent / "krs4_targets_sequential.py"
    found = {d.code: verify(d, runtime) for d in analyze_source(path.read_text(encoding="utf-8"))}
    assert "must have the same rank" in found["KRS401"].evidence
    assert "encoded as the fix says train" in found["KRS401"].evidence
    assert "target.ndim - 1" in found["KRS402"].evidence
    assert "trains silently" in found["KRS404"].evidence
    assert "broadcast difference (6, 3) of output (6, 1)" in found["KRS404"].evidence


HEAD = "import numpy as np\nfrom keras import Input, Sequential, layers\n"


def _fit_claim(source: str, code: str, **args: object) -> Diagnostic:
    fit = build_graph(ast.parse(HEAD + source)).fits[-1]
    return Diagnostic(code, fit.y_node, f"{code} deliberately false claim", fit=fit, args=args)


def test_a_raising_claim_on_legal_targets_is_refuted(runtime: Runtime) -> None:
    claim = _fit_claim(
        "m = Sequential([Input(shape=(4,)), layers.Dense(3, activation='softmax')])\n"
        "m.compile('sgd', 'categorical_crossentropy')\n"
        "m.fit(np.zeros((9, 4)), np.zeros((9, 3)))\n",
        "KRS401",
        behaviour="raises",
        loss="categorical_crossentropy",
        encoding="one_hot",
    )
    result = verify(claim, runtime)
    assert result.verdict == REFUTED and "trains" in result.evidence


def test_a_silent_claim_on_matching_targets_is_refuted(runtime: Runtime) -> None:
    claim = _fit_claim(
        "m = Sequential([Input(shape=(4,)), layers.Dense(2)])\n"
        "m.compile('sgd', 'mse')\n"
        "m.fit(np.zeros((9, 4)), np.zeros((9, 2)))\n",
        "KRS404",
        behaviour="trains silently",
        loss="mse",
        encoding="values",
    )
    result = verify(claim, runtime)
    assert result.verdict == REFUTED and "without broadcasting" in result.evidence


def test_a_sparse_loss_with_column_labels_is_refuted_as_one_hot(runtime: Runtime) -> None:
    claim = _fit_claim(
        "m = Sequential([Input(shape=(4,)), layers.Dense(5)])\n"
        "m.compile('sgd', 'sparse_categorical_crossentropy')\n"
        "m.fit(np.zeros((9, 4)), np.zeros((9, 1)))\n",
        "KRS402",
        behaviour="raises",
        loss="sparse_categorical_crossentropy",
        encoding="labels",
    )
    assert verify(claim, runtime).verdict == REFUTED  # (n, 1) labels are legal (DESIGN §1b)


def test_softmax_claim_on_a_sigmoid_unit_is_refuted(runtime: Runtime) -> None:
    graph = build_graph(
        ast.parse(
            HEAD + "m = Sequential([Input(shape=(4,)), layers.Dense(1, activation='sigmoid')])\n"
        )
    )
    app = graph.apps[-1]
    claim = Diagnostic("KRS405", app.layer.node, "KRS405 deliberately false claim", app=app)
    result = verify(claim, runtime)
    assert result.verdict == REFUTED and "the outputs vary" in result.evidence
