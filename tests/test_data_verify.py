"""KRS301-KRS303 against real Keras: the measured facts (DESIGN §1b) the rules stand on, every
fixture claim confirmed in Keras 3 and tf_keras, and false claims refuted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flake8_keras import records
from flake8_keras.analysis import analyze_source
from flake8_keras.rules.base import Diagnostic
from flake8_keras.rules.data_input import RAISES, SILENT_BATCH
from flake8_keras.verify.checks import verify
from flake8_keras.verify.runtime import Runtime, load
from flake8_keras.verify.verdict import CONFIRMED, REFUTED

pytestmark = pytest.mark.tensorflow

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATA_FIXTURES = sorted(FIXTURES.glob("krs30*.py"))
BACKENDS = ("keras", "tf_keras")


@pytest.fixture(scope="module", params=BACKENDS)
def runtime(request: pytest.FixtureRequest) -> Runtime:
    return load(request.param)


def _claims(path: Path) -> list[Diagnostic]:
    return [d for d in analyze_source(path.read_text(encoding="utf-8")) if d.code[:4] == "KRS3"]


def _outcome(keras: Any, model: Any, x: Any, predict: bool) -> str | int:
    """'raises', 'trains', or the number of rows predict returned."""
    import numpy as np

    try:
        if predict:
            return int(model.predict(x, verbose=0).shape[0])
        model.compile(optimizer="sgd", loss="mse")
        model.fit(x, np.zeros((len(x), 1)), epochs=1, batch_size=4, verbose=0)
        return "trains"
    except Exception:
        return "raises"


def _sequential(keras: Any, shape: tuple[int, ...] | None, *layers: Any) -> Any:
    head = [keras.Input(shape=shape)] if shape is not None else []
    return keras.Sequential([*head, *layers])


def test_measured_facts(runtime: Runtime) -> None:
    """The table the rules follow, measured on tiny arrays in this Keras."""
    import numpy as np

    k, n = runtime.keras, 8
    layers = k.layers
    dense = lambda s: _sequential(k, s, layers.Dense(1))  # noqa: E731
    conv = lambda s: _sequential(k, s, layers.Conv2D(2, 3), layers.Flatten(), layers.Dense(1))  # noqa: E731
    lstm = lambda s: _sequential(k, s, layers.LSTM(2), layers.Dense(1))  # noqa: E731
    facts = {
        "missing trailing 1 is added": _outcome(k, conv((28, 28, 1)), np.zeros((n, 28, 28)), False),
        "extra trailing 1 is squeezed": _outcome(k, dense((20,)), np.zeros((n, 20, 1)), False),
        "channels 3 declared, none given": _outcome(
            k, conv((28, 28, 3)), np.zeros((n, 28, 28)), False
        ),
        "no input, Conv2D fed rank 3": _outcome(k, conv(None), np.zeros((n, 28, 28)), False),
        "no input, Dense fed rank 2": _outcome(k, dense(None), np.zeros((n, 10)), False),
        "20 features declared, 30 given": _outcome(k, dense((20,)), np.zeros((n, 30)), False),
        "784 declared, images given": _outcome(k, dense((784,)), np.zeros((n, 28, 28)), False),
        "input_shape=X.shape": _outcome(k, dense((n, 20)), np.zeros((n, 20)), False),
        "predict x[0] on Dense (20,)": _outcome(k, dense((20,)), np.zeros((n, 20))[0], True),
        "predict (5, 1) sample, LSTM": _outcome(k, lstm((5, 1)), np.zeros((5, 1)), True),
        "predict (5, 1) sample, Dense": _outcome(k, dense((5, 1)), np.zeros((5, 1)), True),
        "predict x[:1]": _outcome(k, dense((20,)), np.zeros((n, 20))[:1], True),
    }
    assert facts == {
        "missing trailing 1 is added": "trains",
        "extra trailing 1 is squeezed": "trains",
        "channels 3 declared, none given": "raises",
        "no input, Conv2D fed rank 3": "raises",
        "no input, Dense fed rank 2": "trains",
        "20 features declared, 30 given": "raises",
        "784 declared, images given": "raises",
        "input_shape=X.shape": "raises",
        "predict x[0] on Dense (20,)": "raises",
        "predict (5, 1) sample, LSTM": 5,
        "predict (5, 1) sample, Dense": 5,
        "predict x[:1]": 1,
    }


@pytest.mark.parametrize("path", DATA_FIXTURES, ids=lambda p: p.name)
def test_every_fixture_claim_is_confirmed(path: Path, runtime: Runtime) -> None:
    claims = _claims(path)
    assert claims
    for d in claims:
        result = verify(d, runtime)
        assert result.verdict == CONFIRMED, f"{path.name}:{d.line} {d.code}: {result.evidence}"


def test_silent_predictions_are_counted(runtime: Runtime) -> None:
    path = FIXTURES / "krs303_predict_without_batch_axis.py"
    silent = [d for d in _claims(path) if d.args["behaviour"] == SILENT_BATCH]
    assert [d.line for d in silent] == [26, 33]
    result = verify(silent[0], runtime)
    assert result.measured["rows"] == 5 and "returns 5 predictions" in result.evidence


def test_false_claims_are_refuted(runtime: Runtime) -> None:
    """A claim Keras does not bear out is refuted: 'raises' on a silent sample, 'silent' on a
    raising one."""
    path = FIXTURES / "krs303_predict_without_batch_axis.py"
    claims = {d.line: d for d in _claims(path)}
    for line, wrong in ((26, RAISES), (14, SILENT_BATCH)):
        false = records.replace(claims[line], args={**claims[line].args, "behaviour": wrong})
        assert verify(false, runtime).verdict == REFUTED, line


def test_data_that_fits_refutes_a_krs301_claim(runtime: Runtime) -> None:
    from flake8_keras.keras.model import Shape

    path = FIXTURES / "krs301_data_does_not_fit_input.py"
    claim = next(d for d in _claims(path) if d.args["method"] == "train_on_batch")
    assert str(claim.args["data_shape"]) == "(256, 30)"  # into (None, 20)
    fits = records.replace(claim, args={**claim.args, "data_shape": Shape((256, 20))})
    assert verify(claim, runtime).verdict == CONFIRMED
    assert verify(fits, runtime).verdict == REFUTED


@pytest.mark.parametrize(
    "path", sorted((FIXTURES.parent / "verify_cases").glob("data_*.py")), ids=lambda p: p.name
)
def test_data_verify_cases_give_the_marked_verdicts(path: Path, runtime: Runtime) -> None:
    import re

    lines = path.read_text(encoding="utf-8").splitlines()
    marks = {
        n: m.group(1) for n, t in enumerate(lines, 1) if (m := re.search(r"# verdict: (\w+)", t))
    }
    assert marks
    assert {d.line: verify(d, runtime).verdict for d in _claims(path)} == marks
