"""Issue 9 items 5-6 and issue 11, against real TensorFlow: the verifier's size caps, stand-ins,
per-claim memory limit and timeout; explanations that must match what Keras does; E999.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flake8_keras.analysis import analyze_source
from flake8_keras.keras.construct import build_graph
from flake8_keras.rules.base import Diagnostic
from flake8_keras.rules.fit_targets import RAISES, claimed_behaviour
from flake8_keras.verify import cli
from flake8_keras.verify.checks import verify
from flake8_keras.verify.isolation import Worker
from flake8_keras.verify.limits import MAX_TIMESTEPS
from flake8_keras.verify.runtime import Runtime, load
from flake8_keras.verify.verdict import CONFIRMED, INCONCLUSIVE, REFUTED

pytestmark = pytest.mark.tensorflow  # runs real TensorFlow/Keras (CI runs it)

HEAD = "import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n"


@pytest.fixture(scope="session")
def runtime() -> Runtime:
    return load("keras")


def _one(source: str) -> Diagnostic:
    (diagnostic,) = analyze_source(source)
    return diagnostic


def _fit_source(loss: str, output_units: int = 4, targets: str = "(50, 10, 4)") -> str:
    return (
        HEAD + "m = keras.Sequential([keras.Input(shape=(10, 3)), layers.LSTM(8), "
        f"layers.Dense({output_units})])\nm.compile(optimizer='adam', loss={loss})\n"
        f"m.fit(np.zeros((50, 10, 3)), np.zeros({targets}))\n"
    )


# ------------------------------------------------------------- item 5: caps and stand-ins


def test_twenty_thousand_timesteps_are_measured_at_a_stand_in(runtime: Runtime) -> None:
    """Was 288 s and 2 GB: Keras 3 traces one inner call per timestep."""
    d = _one(
        HEAD + "x = keras.Input(shape=(20000, 1))\ny = layers.TimeDistributed(layers.Dense(1))(x)\n"
    )
    start = time.perf_counter()
    result = verify(d, runtime)
    assert time.perf_counter() - start < 20
    assert result.verdict == CONFIRMED
    assert result.evidence.startswith(
        f"equivalent: measured at a stand-in (input (3, {MAX_TIMESTEPS}, 1) for (3, 20000, 1)): "
        "the equivalence holds at any size; "
    )
    assert result.measured["full_input_shape"] == [3, 20000, 1]


def test_wide_features_and_huge_units_are_measured_at_stand_ins(runtime: Runtime) -> None:
    """Were 4.5 GB (Input (2000, 40000)) and 7.3 GB (Dense(200000))."""
    source = (
        HEAD
        + "x = keras.Input(shape=(2000, 40000))\ny = layers.TimeDistributed(layers.Dense(4))(x)\n"
        "z = layers.TimeDistributed(layers.Dense(200000))(keras.Input(shape=(50, 16)))\n"
    )
    wide, units = (verify(d, runtime) for d in analyze_source(source))
    assert wide.verdict == units.verdict == CONFIRMED
    assert "(input (3, 64, 16) for (3, 2000, 40000))" in wide.evidence
    assert "(Dense units 16 for 200000)" in units.evidence
    assert units.measured["params_wrapped"] == 16 * 16 + 16


def test_silent_broadcast_demo_uses_stand_in_timesteps(runtime: Runtime) -> None:
    """Was 8.0 GB: the silent case trains at batch = T on (T, T, 8) targets."""
    d = _one(
        HEAD + "m = keras.Sequential([keras.Input(shape=(6000, 8)), layers.LSTM(8), "
        "layers.Dense(8)])\nm.compile(optimizer='adam', loss='mse')\n"
        "m.fit(np.zeros((100, 6000, 8)), np.zeros((100, 6000, 8)))\n"
    )
    result = verify(d, runtime)
    assert result.verdict == CONFIRMED, result.evidence
    assert (
        "measured at stand-in sizes (6000 as 7) in the model input and targets" in result.evidence
    )
    assert "with batch size 7 (= timesteps) it trains silently" in result.evidence
    assert result.measured["stand_in_sizes"] == {"6000": 7}


def test_a_size_fixed_by_a_layer_argument_is_too_large_to_rebuild(runtime: Runtime) -> None:
    """Dense(300) keeps 300 whatever the stand-ins: no smaller model makes the same claim."""
    d = _one(_fit_source("'mse'", 300, "(50, 10, 300)"))
    result = verify(d, runtime)
    assert result.verdict == INCONCLUSIVE
    assert result.evidence.startswith("too large to rebuild: sizes above 256 (300)")


def test_weights_above_the_cap_are_refused_before_allocating(runtime: Runtime) -> None:
    d = _one(
        HEAD + "m = keras.Sequential([keras.Input(shape=(10, 3000)), layers.LSTM(8), "
        "layers.Dense(3000)])\nm.compile(optimizer='adam', loss='mse')\n"
        "m.fit(np.zeros((50, 10, 3000)), np.zeros((50, 10, 3000)))\n"
    )
    result = verify(d, runtime)
    assert result.verdict == INCONCLUSIVE
    assert "too large to rebuild" in result.evidence


def test_a_claim_over_its_timeout_ends_only_its_worker() -> None:
    d = _one(
        HEAD + "x = keras.Input(shape=(9, 2))\ny = layers.TimeDistributed(layers.Dense(2))(x)\n"
    )
    worker = Worker("keras", timeout=0.05)
    try:
        worker.start()
        slow = worker.verify(d)
        assert slow.verdict == INCONCLUSIVE
        assert slow.evidence == (
            "too large to rebuild: the claim took longer than 0.05 s (its worker was stopped)"
        )
        worker.timeout = 120
        assert worker.verify(d).verdict == CONFIRMED  # a fresh worker takes the next claim
        assert worker.restarts == 1
    finally:
        worker.close()


def test_a_claim_over_its_memory_limit_ends_only_its_worker() -> None:
    d = _one(
        HEAD + "x = keras.Input(shape=(9, 2))\ny = layers.TimeDistributed(layers.Dense(2))(x)\n"
    )
    worker = Worker("keras", memory_mb=1)
    try:
        worker.start()
        starved = worker.verify(d)
        assert starved.verdict == INCONCLUSIVE
        assert starved.evidence.startswith("too large to rebuild: ")
        assert "1 MB memory limit" in starved.evidence or "memory limit" in starved.evidence
        worker.memory_mb = 2048
        assert worker.verify(d).verdict == CONFIRMED
    finally:
        worker.close()


# ------------------------------------------------- item 6: the explanation must be measured


@pytest.mark.parametrize("loss", ["categorical_hinge", "poisson", "kl_divergence"])
def test_elementwise_losses_are_explained_as_broadcasting(loss: str, runtime: Runtime) -> None:
    """These raise "Incompatible shapes" on most batches and train silently at batch = T; the
    message used to say Keras raises because the ranks differ."""
    d = _one(_fit_source(repr(loss)))
    assert "ranks differ" not in d.explanation
    assert "raises 'Incompatible shapes' on most batches but trains silently" in d.explanation
    result = verify(d, runtime)
    assert result.verdict == CONFIRMED, result.evidence
    assert result.measured["silent_batch_sizes"] == [10, 1]


def test_rank_comparing_loss_raises_at_every_batch_size(runtime: Runtime) -> None:
    d = _one(_fit_source("'categorical_crossentropy'"))
    assert "Keras raises at fit (the target and output ranks differ)" in d.explanation
    result = verify(d, runtime)
    assert result.verdict == CONFIRMED, result.evidence
    assert result.measured["raising_batch_sizes"] == [10, 1]


def test_kl_divergence_class_is_named_like_keras() -> None:
    d = _one(_fit_source("keras.losses.KLDivergence()"))
    assert "with kl_divergence Keras raises" in d.explanation
    assert "k_l_divergence" not in d.explanation


def test_a_non_loss_name_is_never_passed_to_keras(runtime: Runtime) -> None:
    """keras.losses.get('deserialize') is a function of the module, which compile would call."""
    d = _one(_fit_source("'deserialize'"))
    result = verify(d, runtime)
    assert result.verdict == INCONCLUSIVE
    assert result.evidence.startswith("'deserialize' is not a loss name the verifier knows")
    assert "target_shape" not in result.measured  # no training step ran


def test_rank1_targets_raise_unless_the_batch_is_one(runtime: Runtime) -> None:
    """Rank-1 targets against a sequence output of 4 units: Keras raises at batch = T too."""
    source = (
        HEAD + "m = keras.Sequential([keras.Input(shape=(10, 3)), "
        "layers.LSTM(4, return_sequences=True)])\nm.compile(optimizer='adam', loss='mse')\n"
        "m.fit(np.zeros((50, 10, 3)), np.zeros((50,)))\n"
    )
    d = _one(source)
    assert (
        d.code == "KRS202"
        and "raises 'Incompatible shapes' unless the batch size is 1" in d.explanation
    )
    result = verify(d, runtime)
    assert result.verdict == CONFIRMED, result.evidence
    assert result.measured["silent_batch_sizes"] == [1]


def test_squeezed_targets_raise_at_every_batch_size(runtime: Runtime) -> None:
    """(n, T, 1) targets are squeezed to (n, T), which no batch size broadcasts against (b, 4)."""
    d = _one(_fit_source("'mse'", 4, "(50, 10, 1)"))
    assert "with mse Keras raises at fit" in d.explanation
    result = verify(d, runtime)
    assert result.verdict == CONFIRMED, result.evidence
    assert result.measured["raising_batch_sizes"] == [10, 1]


def test_a_claim_whose_explanation_keras_contradicts_is_refuted(runtime: Runtime) -> None:
    """A deliberately false claim: the KRS201 situation claimed as KRS202, whose explanation
    says the model trains silently when the batch size is the output's axis 1 (4)."""
    real = _one(_fit_source("'mse'"))
    false = Diagnostic("KRS202", real.node, "KRS202 false", app=real.app, fit=real.fit)
    result = verify(false, runtime)
    assert result.verdict == REFUTED
    assert result.evidence.startswith("the message says Keras raises on most batches, but ")
    assert "with batch size 4 (= timesteps) it raises too" in result.evidence


def test_binary_crossentropy_per_sample_is_version_dependent() -> None:
    """Keras 3 raises; tf_keras broadcasts: the message says only what holds in both."""
    source = (
        HEAD + "m = keras.Sequential([keras.Input(shape=(10, 3)), "
        "layers.LSTM(1, return_sequences=True)])\n"
        "m.compile(optimizer='adam', loss='binary_crossentropy')\n"
        "m.fit(np.zeros((50, 10, 3)), np.zeros((50, 1)))\n"
    )
    d = _one(source)
    assert "with binary_crossentropy the model may train on broadcast targets" in d.explanation
    fit = build_graph(ast.parse(_fit_source("'binary_crossentropy'"))).fits[0]
    shape, y = fit.model.output.shape, fit.y.shape  # type: ignore[union-attr]
    assert claimed_behaviour("binary_crossentropy", shape, y, False) == RAISES  # type: ignore[arg-type]


def test_conv_lstm_output_is_not_called_a_sequence(runtime: Runtime) -> None:
    source = (
        HEAD + "x = keras.Input(shape=(6, 16, 16, 3))\nh = layers.ConvLSTM2D(8, (3, 3))(x)\n"
        "y = layers.TimeDistributed(layers.Dense(2))(h)\n"
    )
    d = _one(source)
    assert "already a sequence" not in d.message and "timestep" not in d.explanation
    assert (
        "has no time axis (ConvLSTM2D returns only its last step): its axis 1 is spatial, and "
        "Dense applies the same 18 parameters at every position; Keras 3 runs the wrapper once "
        "per index of axis 1, which is slower"
    ) in d.explanation
    assert verify(d, runtime).verdict == CONFIRMED


# ------------------------------------------------------------------ issue 11: E999


def test_unparsable_file_is_reported_like_flake8_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("from tensorflow import keras\nx = (\n")
    assert cli.main([str(broken)]) == 2
    out = capsys.readouterr().out.splitlines()
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select=E999", str(broken)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out[0] == flake8.stdout.strip()
    assert out[0] == f"{broken}:2:6: E999 SyntaxError: '(' was never closed"
    assert out[1] == "no claims to verify"
