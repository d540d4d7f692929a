"""The verifier on the other Kerases: tf_keras (Keras 2) and Keras 3 on JAX.

Each runs in a fresh process: this file run as a script,
``python tests/test_verify_backends.py KERAS FALSE_CLAIMS PATH...``, prints the JSON report of
the real claims of the paths plus the named deliberately false ones. Keras 3 reads
KERAS_BACKEND once, at import, so JAX needs its own process; tf_keras could share one with
Keras 3, but the pytest session's process already holds Keras 3's TensorFlow state, and a user
runs one of them. Both processes start together at the first test that needs one.

tf_keras runs the whole gallery (tests/fixtures, examples, tests/verify_cases); JAX compiles every
recurrent scan, about 1 s per claim, so it runs the examples and the cases that exercise what
differs on JAX (gradients through ``jax.grad``, jaxpr sizes instead of op counts, masks, the
behaviour-changing arguments). A Keras that is not installed is a skip, never a pass.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flake8_keras.rules import RULES

pytestmark = pytest.mark.tensorflow  # runs real TensorFlow/Keras (CI runs it)

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "verify_cases"
TF_KERAS_PATHS = [ROOT / "tests" / "fixtures", ROOT / "examples", CASES]
JAX_PATHS = [ROOT / "examples", CASES / "behaviour_changing.py", CASES / "masked_head.py"]
TIMEOUT = 600
_MARK = re.compile(
    r"#\s*verdict:\s*(?P<keras3>[a-z ]+?)\s*(?:;\s*tf_keras:\s*(?P<tf_keras>[a-z ]+))?$"
)

HEAD = "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
# Claims the linter never makes, most of them false: (name, code, source, layer name,
# the fix's unsafe reasons, verdict in Keras 3, verdict in tf_keras, a part of the evidence).
FALSE_CLAIMS = [
    (
        "td-flatten",
        "KRS101",
        HEAD
        + "x = keras.Input(shape=(5, 8, 3))\ny = layers.TimeDistributed(layers.Flatten())(x)\n",
        "TimeDistributed",
        (),
        "refuted",
        "refuted",
        "output shapes differ ((3, 5, 24) vs (3, 120))",
    ),
    (
        # Keras 3's Conv2D refuses a 5-D input; tf_keras's folds the extra axis into the batch,
        # so there the wrapper around Conv2D is as redundant as around Dense (measured).
        "td-conv2d",
        "KRS101",
        HEAD + "x = keras.Input(shape=(5, 8, 8, 3))\n"
        "y = layers.TimeDistributed(layers.Conv2D(4, 3))(x)\n",
        "TimeDistributed",
        (),
        "refuted",
        "confirmed",
        "(3, 5, 8, 8, 3)",
    ),
    (
        "rank3-as-rank2",
        "KRS103",
        HEAD + "x = keras.Input(shape=(30, 8))\n"
        "h = layers.LSTM(16, return_sequences=True)(x)\ny = layers.LSTM(4)(h)\n",
        "LSTM",
        (),
        "refuted",
        "refuted",
        "builds the chain from the model input (None, 30, 8) through LSTM(4) on line 5",
    ),
    (
        "dtype-not-passed",
        "KRS101",
        HEAD + "x = keras.Input(shape=(7, 3))\ny = layers.TimeDistributed(layers.Dense(2))(x)\n",
        "TimeDistributed",
        ("dtype",),
        "refuted",
        "refuted",
        "no difference measured for dtype",
    ),
]

ALL_FALSE = [c[0] for c in FALSE_CLAIMS]
# On JAX only the cheapest: the checks are the same code as on TensorFlow (test_verify.py), and
# every claim through a recurrent layer costs a compiled scan there.
JAX_FALSE = ["td-flatten"]


# ------------------------------------------------------------------- the child process


def _false_claims(names: set[str]) -> list[Any]:
    from flake8_keras.keras.construct import build_graph
    from flake8_keras.rules.base import Diagnostic
    from flake8_keras.verify import cli

    claims = []
    for name, code, source, layer, unsafe, *_ in FALSE_CLAIMS:
        if name not in names:
            continue
        apps = [a for a in build_graph(ast.parse(source)).apps if a.layer.name == layer]
        app = apps[-1]
        message = f"{code} deliberately false claim"
        d = Diagnostic(code, app.layer.node, message, app=app, args={"unsafe": unsafe})
        claims.append(cli.Claim(f"false:{name}", d.line, 1, d))
    return claims


def _child(argv: list[str]) -> int:
    from flake8_keras.verify import cli

    keras, names, paths = argv[0], set(argv[1].split(",")), argv[2:]
    claims, _ = cli.collect(paths, "stdin", sys.stderr)
    return cli.run(claims + _false_claims(names), keras=keras, fmt="json", quiet=True)


# ------------------------------------------------------------------ the parent process


class Run:
    """A child process writing to files, so neither waits on a pipe the other test reads."""

    def __init__(
        self, tmp: Path, keras: str, false: list[str], paths: list[Path], env: dict[str, str]
    ) -> None:
        self.out, self.err = tmp / "out.json", tmp / "err.txt"
        with self.out.open("w") as out, self.err.open("w") as err:
            self.proc = subprocess.Popen(
                [sys.executable, __file__, keras, ",".join(false), *map(str, paths)],
                stdout=out,
                stderr=err,
                cwd=ROOT,
                env={**os.environ, **env},
            )

    def report(self) -> dict[str, Any]:
        status = self.proc.wait(timeout=TIMEOUT)
        # 1: the false claims are refuted (0 would mean they were not).
        assert status == 1, self.err.read_text()[-3000:]
        report: dict[str, Any] = json.loads(self.out.read_text())
        return report

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Run]]:
    """Both processes, started at once: on two cores they take the time of the longer one."""
    started: dict[str, Run] = {}
    if _installed("tf_keras"):
        tmp = tmp_path_factory.mktemp("tf_keras")
        started["tf_keras"] = Run(tmp, "tf_keras", ALL_FALSE, TF_KERAS_PATHS, {})
    if _installed("jax"):
        tmp = tmp_path_factory.mktemp("jax")
        started["jax"] = Run(tmp, "keras", JAX_FALSE, JAX_PATHS, {"KERAS_BACKEND": "jax"})
    yield started
    for run in started.values():
        run.stop()


_REPORTS: dict[str, dict[str, Any]] = {}


def _report(runs: dict[str, Run], name: str) -> dict[str, Any]:
    if name not in _REPORTS:
        if name not in runs:
            pytest.skip(f"{name} is not installed")
        _REPORTS[name] = runs[name].report()
    return _REPORTS[name]


@pytest.fixture
def tf_keras_report(runs: dict[str, Run]) -> dict[str, Any]:
    return _report(runs, "tf_keras")


@pytest.fixture
def jax_report(runs: dict[str, Run]) -> dict[str, Any]:
    return _report(runs, "jax")


def _expected(paths: list[Path], keras3: bool) -> dict[tuple[str, int, int, str], str]:
    """The verdict each real claim must get: fixtures and examples are all true claims (with
    differences where the message names some); verify_cases carry ``# verdict:`` marks."""
    from flake8_keras.analysis import analyze_source
    from flake8_keras.fix.safety import changed_arguments
    from flake8_keras.paths import python_files
    from flake8_keras.source import char_col, physical_lines

    expected: dict[tuple[str, int, int, str], str] = {}
    for path in python_files([str(p) for p in paths]):
        text = Path(path).read_text(encoding="utf-8")
        lines = text.splitlines()
        with_ends = physical_lines(text)
        for d in analyze_source(text):
            mark = _MARK.search(lines[d.line - 1])
            if mark:
                verdict = mark["keras3"] if keras3 else (mark["tf_keras"] or mark["keras3"])
            elif keras3:
                verdict = "confirmed with differences" if changed_arguments(d) else "confirmed"
            else:
                # tf_keras divides an inner activity_regularizer by T (a difference); the dtype
                # of an inner Dense it keeps (no difference): DESIGN.md section 1.
                differs = "activity_regularizer" in changed_arguments(d)
                verdict = "confirmed with differences" if differs else "confirmed"
            column = char_col(with_ends, d.line, d.byte_col) + 1
            expected[(path, d.line, column, d.code)] = verdict
    return expected


def _real(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in report["results"] if not r["path"].startswith("false:")]


def _result(report: dict[str, Any], path: str, line: int, code: str = "KRS101") -> dict[str, Any]:
    found = [r for r in _real(report) if r["path"].endswith(path) and r["line"] == line]
    assert len(found) == 1 and found[0]["code"] == code, found
    return found[0]


def _check_verdicts(report: dict[str, Any], paths: list[Path], keras3: bool) -> None:
    expected = _expected(paths, keras3)
    key = lambda r: (r["path"], r["line"], r["column"], r["code"])  # noqa: E731
    got = {key(r): r["verdict"] for r in _real(report)}
    assert len(got) == len(_real(report))
    wrong = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
    evidence = {key(r): r["evidence"] for r in _real(report) if key(r) in wrong}
    assert not wrong and set(got) == set(expected), (wrong, evidence)


def _check_false_claims(report: dict[str, Any]) -> None:
    false = {r["path"]: r for r in report["results"] if r["path"].startswith("false:")}
    keras3 = report["keras"]["module"] == "keras"
    names = JAX_FALSE if report["keras"]["backend"] == "jax" else ALL_FALSE
    assert set(false) == {f"false:{name}" for name in names}
    for name, _, _, _, _, in_keras3, in_tf_keras, part in FALSE_CLAIMS:
        if name not in names:
            continue
        result = false[f"false:{name}"]
        assert result["verdict"] == (in_keras3 if keras3 else in_tf_keras), result["evidence"]
        assert part in result["evidence"], result["evidence"]


def _check_quotes(report: dict[str, Any]) -> None:
    """Quoted errors are Keras's message, not the traceback or op dump around it."""
    for r in report["results"]:
        for noise in ("in user code", 'File "', "{{function_node", "[Op:", "Traceback"):
            assert noise not in r["evidence"], r["evidence"]


# ------------------------------------------------------------------------ tf_keras


def test_tf_keras_confirms_every_claim_of_the_gallery(tf_keras_report: dict[str, Any]) -> None:
    assert tf_keras_report["keras"]["module"] == "tf_keras"
    assert tf_keras_report["keras"]["version"].startswith("2.")
    assert tf_keras_report["keras"]["backend"] == "tensorflow"
    _check_verdicts(tf_keras_report, TF_KERAS_PATHS, keras3=False)
    codes = {r["code"] for r in _real(tf_keras_report)}
    assert codes == {rule.code for rule in RULES}  # the gallery shows every rule


def test_tf_keras_refutes_the_false_claims(tf_keras_report: dict[str, Any]) -> None:
    _check_false_claims(tf_keras_report)


def test_tf_keras_errors_are_quoted_by_their_last_line(tf_keras_report: dict[str, Any]) -> None:
    _check_quotes(tf_keras_report)
    # tf_keras raises through tf.function "in user code"; the quote is the message at the end.
    last_step = _result(tf_keras_report, "examples/last_step_targets.py", 16, "KRS201")
    assert 'targets (3, 64, 8): "Incompatible shapes: [3,8] vs. [3,64,8]"' in last_step["evidence"]
    assert "with batch size 64 (= timesteps) it trains silently" in last_step["evidence"]
    cce = _result(tf_keras_report, "krs201_last_step_targets.py", 24, "KRS201")
    assert '"Shapes (3, 64, 5) and (3, 5) are incompatible"' in cce["evidence"]
    stacked = _result(tf_keras_report, "examples/stacked_lstm.py", 9, "KRS103")
    assert stacked["evidence"].startswith(
        "tf_keras refuses the chain from the model input (None, 30, 8) at LSTM(32) on line 9, "
        'which receives (None, 64): "Input 0 of layer "'
    )
    assert "expected ndim=3, found ndim=2" in stacked["evidence"]


def test_tf_keras_measures_its_own_time_distributed(tf_keras_report: dict[str, Any]) -> None:
    """tf_keras reshapes instead of looping: the op counts are its own, not Keras 3's."""
    head = _result(tf_keras_report, "examples/td_vs_dense.py", 10)
    m = head["measured"]
    assert m["params_wrapped"] == m["params_unwrapped"] == 255 and m["max_abs_diff"] == 0.0
    assert m["max_rel_grad_diff"] == 0.0  # bitwise in tf_keras
    assert m["traced_ops_wrapped"] - m["traced_ops_unwrapped"] < 64  # not once per timestep
    assert "tf_keras does not trace the inner layer per timestep" in head["evidence"]


def test_tf_keras_applies_the_activity_regularizer_at_one_over_t(
    tf_keras_report: dict[str, Any],
) -> None:
    head = _result(tf_keras_report, "krs101_functional.py", 34)
    m = head["measured"]
    steps = m["input_shape"][1]
    assert m["activity_loss_wrapped"] * steps == pytest.approx(m["activity_loss_unwrapped"])
    assert f"(1/{steps}: the wrapped loss is divided by the {steps} timesteps)" in head["evidence"]
    dtype = _result(tf_keras_report, "verify_cases/behaviour_changing.py", 9)
    assert dtype["verdict"] == "confirmed"
    assert dtype["measured"]["dtype_wrapped"] == dtype["measured"]["dtype_unwrapped"] == "float32"
    assert "the dtype difference the message names is Keras 3's" in dtype["evidence"]


# ----------------------------------------------------------------------------- JAX


def test_jax_confirms_the_claims(jax_report: dict[str, Any]) -> None:
    assert jax_report["keras"]["module"] == "keras"
    assert jax_report["keras"]["backend"] == "jax"
    _check_verdicts(jax_report, JAX_PATHS, keras3=True)
    # examples/ shows every rule, and the JAX backend confirms each
    assert {r["code"] for r in _real(jax_report)} == {rule.code for rule in RULES}
    _check_false_claims(jax_report)
    _check_quotes(jax_report)


def test_jax_compares_gradients_and_traced_programs(jax_report: dict[str, Any]) -> None:
    heads = [r for r in _real(jax_report) if r["code"] == "KRS101"]
    assert len(heads) == 5
    for head in heads:
        m = head["measured"]
        assert 0.0 <= m["max_rel_grad_diff"] < 1e-4, head["evidence"]
        assert m["jaxpr_eqns_wrapped"] > m["jaxpr_eqns_unwrapped"] > 0
        assert m["call_time_ratio"] > 0 and "traced_ops_wrapped" not in m
        assert "gradients max rel diff" in head["evidence"]
    big = _result(jax_report, "examples/td_vs_dense.py", 10)["measured"]
    assert big["jaxpr_eqns_wrapped"] > 64 * big["jaxpr_eqns_unwrapped"]  # a loop over T = 64
    masked = _result(jax_report, "verify_cases/masked_head.py", 9)["measured"]
    assert masked["masks_equal"] is True


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
