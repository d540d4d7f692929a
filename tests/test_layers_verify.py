"""The KRS5xx checks against real Keras: a claim is confirmed only when Keras refuses the layer
for the claimed reason and the proposed fix builds; false claims are refuted."""

from __future__ import annotations

import ast

import pytest

from flake8_keras.analysis import analyze_source
from flake8_keras.keras.construct import build_graph
from flake8_keras.rules.base import Diagnostic
from flake8_keras.verify.checks import verify
from flake8_keras.verify.runtime import Runtime, load
from flake8_keras.verify.verdict import CONFIRMED, INCONCLUSIVE, REFUTED

pytestmark = pytest.mark.tensorflow

HEAD = "import keras\nfrom keras import layers\n"


@pytest.fixture(scope="module")
def runtime() -> Runtime:
    return load()


def _claim(code: str, source: str, name: str) -> Diagnostic:
    """A claim of ``code`` about the last application of layer ``name`` (true or not)."""
    apps = [a for a in build_graph(ast.parse(HEAD + source)).apps if a.layer.name == name]
    return Diagnostic(code, apps[-1].layer.node, f"{code} a claim", app=apps[-1])


def test_a_true_window_claim_quotes_keras_and_the_control(runtime: Runtime) -> None:
    source = "x = layers.Conv2D(4, 5)(keras.Input(shape=(3, 9, 1)))\n"
    [claim] = analyze_source(HEAD + source)
    result = verify(claim, runtime)
    assert result.verdict == CONFIRMED, result.evidence
    assert "zero or negative" in result.evidence
    assert "which receives (None, 3, 9, 1)" in result.evidence
    assert "with the fix (padding='same') it builds: (None, 3, 9, 4)" in result.evidence


@pytest.mark.parametrize(
    ("code", "source", "name"),
    [
        ("KRS501", "x = layers.Conv2D(4, 3)(keras.Input(shape=(8, 8, 1)))\n", "Conv2D"),
        ("KRS502", "x = layers.MaxPooling2D()(keras.Input(shape=(2, 2, 1)))\n", "MaxPooling2D"),
        ("KRS503", "x = layers.Reshape((4, 4))(keras.Input(shape=(16,)))\n", "Reshape"),
        (
            "KRS504",
            "a = keras.Input(shape=(4, 3))\nx = layers.Add()([a, keras.Input(shape=(1, 3))])\n",
            "Add",
        ),
    ],
)
def test_a_false_claim_is_refuted(runtime: Runtime, code: str, source: str, name: str) -> None:
    result = verify(_claim(code, source, name), runtime)
    assert result.verdict == REFUTED, result.evidence
    assert "builds" in result.evidence


def test_a_refusal_for_another_reason_is_not_confirmed(runtime: Runtime) -> None:
    # Keras refuses this Reshape (element count), but the claim says the rank is wrong
    source = "x = layers.Reshape((3, 5))(keras.Input(shape=(4, 4)))\n"
    result = verify(_claim("KRS501", source, "Reshape"), runtime)
    assert result.verdict == INCONCLUSIVE, result.evidence
    assert "another reason" in result.evidence


def test_a_fix_that_does_not_build_is_not_confirmed(runtime: Runtime) -> None:
    # Conv2D(4, 9) on rank 2: the rank claim is right, but the control input (None, 8, 8, 1)
    # is too small for the 9x9 window, so the proposed fix is not shown to build
    source = "x = layers.Conv2D(4, 9)(keras.Input(shape=(8,)))\n"
    [claim] = analyze_source(HEAD + source)
    assert claim.code == "KRS501"
    result = verify(claim, runtime)
    assert result.verdict == INCONCLUSIVE, result.evidence
    assert "the control build with the fix fails" in result.evidence


def test_cropping_control_crops_nothing(runtime: Runtime) -> None:
    source = "x = layers.Cropping1D((2, 3))(keras.Input(shape=(5, 2)))\n"
    [claim] = analyze_source(HEAD + source)
    result = verify(claim, runtime)
    assert result.verdict == CONFIRMED, result.evidence
    assert "with the fix (cropping=0) it builds: (None, 5, 2)" in result.evidence
