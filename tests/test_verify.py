"""The runtime verifier against real TensorFlow: every claim of the fixtures and examples
confirmed, deliberately false claims refuted, the safety case, exit codes and the JSON schema.

TensorFlow is imported once per pytest session (``runtime.load`` memoises it); the CLI is run
in-process except where a fresh process is the point (stdin, a missing Keras).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE_FINDINGS
from flake8_keras.analysis import analyze_source
from flake8_keras.keras.construct import build_graph
from flake8_keras.keras.model import LayerCall
from flake8_keras.rules import RULES
from flake8_keras.rules.base import Applicability, Diagnostic
from flake8_keras.verify import cli
from flake8_keras.verify.checks import verify
from flake8_keras.verify.rebuild import meaningful, short
from flake8_keras.verify.runtime import Runtime, choose_module, load
from flake8_keras.verify.verdict import (
    CONFIRMED,
    CONFIRMED_WITH_DIFFERENCES,
    INCONCLUSIVE,
    REFUTED,
    VERDICTS,
)

pytestmark = pytest.mark.tensorflow  # runs real TensorFlow/Keras (CI runs it)

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "verify_cases"
CLAIM_FILES = sorted((ROOT / "tests" / "fixtures").glob("*.py")) + sorted(
    (ROOT / "examples").glob("*.py")
)
_VERDICT = re.compile(r"#\s*verdict:\s*(confirmed with differences|confirmed|refuted|inconclusive)")
_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>KRS\d{3}) (?P<verdict>"
                   + "|".join(VERDICTS) + r") - (?P<evidence>.+)$")  # fmt: skip

# the findings of examples/: each rule at least once (examples/*.py say which line)
EXAMPLE_CLAIMS = EXAMPLE_FINDINGS  # every finding is a claim the verifier checks


@pytest.fixture(scope="session")
def runtime() -> Runtime:
    return load()


def _claims(path: Path) -> list[Diagnostic]:
    return analyze_source(path.read_text(encoding="utf-8"))


# ----------------------------------------------------------- every real claim is confirmed


@pytest.mark.parametrize("path", CLAIM_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fixture_and_example_claim_is_confirmed(path: Path, runtime: Runtime) -> None:
    for d in _claims(path):
        result = verify(d, runtime)
        unsafe = d.fix is not None and d.fix.applicability is Applicability.UNSAFE
        expected = CONFIRMED_WITH_DIFFERENCES if unsafe else CONFIRMED
        assert result.verdict == expected, f"{path.name}:{d.line} {d.code}: {result.evidence}"


def test_the_gallery_is_not_empty() -> None:
    codes = {d.code for path in CLAIM_FILES for d in _claims(path)}
    assert {"KRS101", "KRS102", "KRS103", "KRS201", "KRS202"} <= codes


@pytest.mark.parametrize("path", sorted(CASES.glob("*.py")), ids=lambda p: p.name)
def test_verify_cases_give_the_marked_verdicts(path: Path, runtime: Runtime) -> None:
    """Each flagged line of tests/verify_cases carries ``# verdict: ...``; no other is flagged."""
    lines = path.read_text(encoding="utf-8").splitlines()
    marked = {n: m.group(1) for n, text in enumerate(lines, 1) if (m := _VERDICT.search(text))}
    got = {d.line: verify(d, runtime).verdict for d in _claims(path)}
    assert got == marked


# --------------------------------------------------------------- false claims are refuted


def _app(source: str, name: str, index: int = -1) -> LayerCall:
    apps = [a for a in build_graph(ast.parse(source)).apps if a.layer.name == name]
    return apps[index]


def _claim(code: str, app: LayerCall, unsafe: tuple[str, ...] = ()) -> Diagnostic:
    message = f"{code} deliberately false claim"
    return Diagnostic(code, app.layer.node, message, app=app, args={"unsafe": unsafe})


HEAD = "from tensorflow import keras\nfrom tensorflow.keras import layers\n"


def test_time_distributed_conv2d_claimed_equivalent_to_conv2d_is_refuted(runtime: Runtime) -> None:
    app = _app(
        HEAD + "x = keras.Input(shape=(5, 8, 8, 3))\n"
        "y = layers.TimeDistributed(layers.Conv2D(4, 3))(x)\n",
        "TimeDistributed",
    )
    result = verify(_claim("KRS101", app), runtime)
    assert result.verdict == REFUTED
    assert "Conv2D alone refuses the input (3, 5, 8, 8, 3)" in result.evidence


def test_rank3_input_claimed_rank2_is_refuted(runtime: Runtime) -> None:
    app = _app(
        HEAD + "x = keras.Input(shape=(30, 8))\n"
        "h = layers.LSTM(16, return_sequences=True)(x)\ny = layers.LSTM(4)(h)\n",
        "LSTM",
    )
    result = verify(_claim("KRS103", app), runtime)
    assert result.verdict == REFUTED
    assert result.evidence == (
        "keras builds the chain from the model input (None, 30, 8) through LSTM(4) on line 5: "
        "it receives (None, 30, 16) and outputs (None, 4)"
    )


def test_time_distributed_on_a_sequence_claimed_rank2_is_refuted(runtime: Runtime) -> None:
    app = _app(
        HEAD + "x = keras.Input(shape=(7, 3))\ny = layers.TimeDistributed(layers.Dense(2))(x)\n",
        "TimeDistributed",
    )
    assert verify(_claim("KRS102", app), runtime).verdict == REFUTED


def test_unnamed_behaviour_change_is_refuted(runtime: Runtime) -> None:
    """An activity_regularizer the claim does not mention: unwrapping is not a plain no-op."""
    app = _app(
        HEAD + "x = keras.Input(shape=(7, 3))\n"
        "y = layers.TimeDistributed(layers.Dense(2, activity_regularizer='l1'))(x)\n",
        "TimeDistributed",
    )
    result = verify(_claim("KRS101", app), runtime)
    assert result.verdict == REFUTED
    assert "activity_regularizer loss 0 wrapped vs" in result.evidence


def test_claimed_difference_that_does_not_exist_is_refuted(runtime: Runtime) -> None:
    app = _app(
        HEAD + "x = keras.Input(shape=(7, 3))\ny = layers.TimeDistributed(layers.Dense(2))(x)\n",
        "TimeDistributed",
    )
    result = verify(_claim("KRS101", app, unsafe=("dtype",)), runtime)
    assert result.verdict == REFUTED
    assert result.evidence.startswith("no difference measured for dtype")


def test_multi_step_design_claimed_as_mismatch_is_refuted(runtime: Runtime) -> None:
    """Dense(T) against (N, T, 1) targets is legitimate: Keras squeezes the trailing 1."""
    source = (
        "import numpy as np\n" + HEAD + "m = keras.Sequential([keras.Input(shape=(10, 3)), "
        "layers.LSTM(8), layers.Dense(10)])\nm.compile(optimizer='adam', loss='mse')\n"
        "m.fit(np.zeros((50, 10, 3)), np.zeros((50, 10, 1)))\n"
    )
    assert analyze_source(source) == []  # the linter does not make this claim...
    graph = build_graph(ast.parse(source))
    fit = graph.fits[0]
    lstm = next(a for a in graph.apps if a.layer.name == "LSTM")
    claim = Diagnostic("KRS201", fit.y_node, "KRS201 false", app=lstm, fit=fit)
    result = verify(claim, runtime)  # ...and the verifier shows it would be wrong
    assert result.verdict == REFUTED
    assert "(30 target values for 30 expected)" in result.evidence


def test_training_failing_for_another_reason_is_inconclusive(runtime: Runtime) -> None:
    """The control step: with targets that fit the output the step must train, else the error
    is not the targets' fault (here a loss name tf_keras knows and Keras 3 does not)."""
    source = (
        "import numpy as np\n" + HEAD + "m = keras.Sequential([keras.Input(shape=(10, 3)), "
        "layers.LSTM(8), layers.Dense(4)])\nm.compile(optimizer='adam', loss='logcosh')\n"
        "m.fit(np.zeros((50, 10, 3)), np.zeros((50, 10, 4)))\n"
    )
    graph = build_graph(ast.parse(source))
    fit = graph.fits[0]
    lstm = next(a for a in graph.apps if a.layer.name == "LSTM")
    result = verify(Diagnostic("KRS201", fit.y_node, "KRS201 x", app=lstm, fit=fit), runtime)
    assert result.verdict == INCONCLUSIVE
    assert result.evidence.startswith("training fails for another reason: ")
    assert "and also with targets (3, 4) that fit the output" in result.evidence
    assert "logcosh" in result.evidence
    assert result.measured["control_target_shape"] == [3, 4]


def test_error_quotes_drop_tracebacks_and_op_dumps() -> None:
    """Messages as tf_keras (through tf.function) and eager TensorFlow word them, captured from
    real runs; the quote is the message a user needs."""
    traced = ValueError(
        "in user code:\n\n"
        '    File "/venv/tf_keras/src/engine/training.py", line 1398, in train_function  *\n'
        "        return step_function(self, iterator)\n"
        '    File "/venv/tf_keras/src/backend.py", line 5575, in categorical_crossentropy\n'
        "        target.shape.assert_is_compatible_with(output.shape)\n\n"
        "    ValueError: Shapes (3, 64, 8) and (3, 8) are incompatible\n"
    )
    assert short(traced) == "Shapes (3, 64, 8) and (3, 8) are incompatible"
    eager = ValueError(
        "{{function_node __wrapped__Sub_device_/job:localhost/replica:0/task:0/device:CPU:0}} "
        "Incompatible shapes: [3,64,8] vs. [3,8] [Op:Sub] name: "
    )
    assert short(eager) == "Incompatible shapes: [3,64,8] vs. [3,8]"
    plain = ValueError("expected ndim=3, found ndim=2.\n\nArguments received by LSTM.call(): x")
    assert meaningful(plain) == "expected ndim=3, found ndim=2."


def test_unbuildable_claim_is_inconclusive_not_confirmed(runtime: Runtime) -> None:
    app = _app(
        HEAD + "def f(rate):\n    x = keras.Input(shape=(6, 2))\n"
        "    h = layers.Dropout(rate)(layers.LSTM(4)(x))\n    return layers.LSTM(2)(h)\n",
        "LSTM",
    )
    result = verify(_claim("KRS103", app), runtime)
    assert result.verdict == INCONCLUSIVE
    assert "Dropout's rate on line" in result.evidence


# ----------------------------------------------------------------------------- safety


def test_verifier_never_evaluates_the_users_expressions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES / "unsafe_args.py"
    marker = "verify_was_here.txt"
    # The test has teeth: each marked argument, if evaluated, creates the marker file.
    armed = tmp_path / "armed"
    armed.mkdir()
    monkeypatch.chdir(armed)
    tree = ast.parse(case.read_text(encoding="utf-8"))
    layer_calls = [
        n for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
        and isinstance(n.func.value, ast.Name) and n.func.value.id == "layers"
    ]  # fmt: skip
    arguments = [a for c in layer_calls for a in [*c.args, *(k.value for k in c.keywords)]]
    dangerous = [a for a in arguments if marker in ast.unparse(a) and a not in layer_calls]
    assert len(dangerous) == 3
    for node in dangerous:
        (armed / marker).unlink(missing_ok=True)
        try:
            eval(compile(ast.Expression(node), "<case>", "eval"))  # the point: show the danger
        except TypeError:
            pass
        assert (armed / marker).exists(), ast.unparse(node)
    # The verifier, run in a clean directory on the same file, creates nothing.
    clean = tmp_path / "clean"
    clean.mkdir()
    shutil.copy(case, clean / "unsafe_args.py")
    monkeypatch.chdir(clean)
    assert cli.main(["-q", "unsafe_args.py"]) == 0
    out = capsys.readouterr().out
    assert not (clean / marker).exists()
    assert sorted(p.name for p in clean.iterdir()) == ["unsafe_args.py"]
    assert "KRS101 confirmed" in out and "units on line 12 is not a literal: used 8" in out
    assert "KRS103 inconclusive - not rebuildable from literals: Dropout's rate" in out


def test_verifier_source_has_no_eval_or_exec() -> None:
    for path in (ROOT / "src" / "flake8_keras" / "verify").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call)
                  and isinstance(n.func, ast.Name)}  # fmt: skip
        assert not called & {"eval", "exec", "compile", "__import__"}, path.name


# ------------------------------------------------------------------ interface


def test_text_output_lines_and_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["-q", str(ROOT / "examples")]) == 0
    lines = capsys.readouterr().out.splitlines()
    parsed = [m.groupdict() for m in map(_LINE.match, lines[:-1]) if m]
    assert len(parsed) == len(lines) - 1 == EXAMPLE_CLAIMS
    assert {p["code"] for p in parsed} == {rule.code for rule in RULES}  # examples show each
    assert {p["verdict"] for p in parsed} == {CONFIRMED}
    n = EXAMPLE_CLAIMS
    assert re.fullmatch(rf"{n} claims: {n} confirmed with keras \S+, backend \w+ \(.*\)", lines[-1])


def _false_claim_cli() -> cli.Claim:
    app = _app(HEAD + "x = keras.Input(shape=(9, 2))\ny = layers.GRU(3)(x)\n", "GRU")
    return cli.Claim("false.py", 4, 5, _claim("KRS103", app))


def test_refuted_claim_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run([_false_claim_cli()], quiet=True) == 1
    out = capsys.readouterr().out
    assert out.startswith(
        "false.py:4:5: KRS103 refuted - keras builds the chain from the model input (None, 9, 2) "
        "through GRU(3) on line 4: it receives (None, 9, 2) and outputs (None, 3)"
    )
    assert "1 claim: 1 refuted" in out


def test_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    claims, _ = cli.collect([str(ROOT / "examples")], "stdin", sys.stderr)
    assert cli.run(claims + [_false_claim_cli()], fmt="json", quiet=True) == 1
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"version", "keras", "results", "summary"}
    assert report["version"] == 1
    assert set(report["keras"]) == {"module", "version", "backend"}
    keys = {
        "path",
        "line",
        "column",
        "code",
        "message",
        "verdict",
        "evidence",
        "measured",
        "seconds",
    }
    for result in report["results"]:
        assert set(result) == keys
        assert result["verdict"] in VERDICTS and result["message"].startswith(result["code"])
        assert isinstance(result["line"], int) and isinstance(result["column"], int)
        assert isinstance(result["measured"], dict) and result["seconds"] >= 0
    head = next(r for r in report["results"] if r["code"] == "KRS101")
    assert head["measured"]["params_wrapped"] == head["measured"]["params_unwrapped"] == 255
    assert head["measured"]["traced_ops_wrapped"] > head["measured"]["traced_ops_unwrapped"]
    summary = report["summary"]
    assert summary["claims"] == EXAMPLE_CLAIMS + 1 and summary["refuted"] == 1
    assert summary["confirmed"] == EXAMPLE_CLAIMS
    assert set(summary) == {"claims", *VERDICTS, "import_seconds", "seconds"}


def test_no_claims_needs_no_keras_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plain.py").write_text("import os\n")
    assert cli.main([str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == "no claims to verify"


@pytest.mark.parametrize("argv", [[], ["--format", "xml", "x.py"], ["--bogus", "x.py"]])
def test_usage_errors_exit_2(argv: list[str]) -> None:
    assert cli.main(argv) == 2


def test_missing_keras_module_exits_2_with_install_hint(tmp_path: Path) -> None:
    """The user asked for a Keras that cannot be imported (tf_keras shadowed in a fresh process)."""
    (tmp_path / "tf_keras.py").write_text("raise ImportError('not installed')\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    proc = subprocess.run(
        [sys.executable, "-m", "flake8_keras.cli", "verify", "--keras", "tf_keras",
         str(ROOT / "examples")],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "cannot import tf_keras" in proc.stderr
    assert "pip install 'flake8-keras[verify]'" in proc.stderr
    assert proc.stdout == ""


def test_legacy_keras_variable_selects_tf_keras(monkeypatch: pytest.MonkeyPatch) -> None:
    """TF_USE_LEGACY_KERAS=1 makes ``--keras auto`` pick tf_keras (it is installed here; the
    tf_keras runs themselves are in test_verify_backends.py)."""
    monkeypatch.setenv("TF_USE_LEGACY_KERAS", "1")
    assert choose_module("auto") == "tf_keras"
    monkeypatch.setenv("TF_USE_LEGACY_KERAS", "0")
    assert choose_module("auto") == "keras"


def test_no_keras_at_all_exits_2(tmp_path: Path) -> None:
    """A fresh process where neither keras nor tf_keras can be imported (shadowed on sys.path)."""
    for name in ("keras", "tf_keras", "tensorflow"):
        (tmp_path / f"{name}.py").write_text("raise ImportError('not installed')\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    proc = subprocess.run(
        [sys.executable, "-m", "flake8_keras.cli", "verify", str(ROOT / "examples")],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "pip install 'flake8-keras[verify]'" in proc.stderr
    assert proc.stdout == ""


def test_stdin_in_a_fresh_process() -> None:
    source = (ROOT / "examples" / "stacked_lstm.py").read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "flake8_keras.cli", "verify", "-", "--stdin-display-name", "m.py"],
        input=source, capture_output=True, timeout=300,
    )  # fmt: skip
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert out.startswith(
        "m.py:9:11: KRS103 confirmed - keras refuses the chain from the model input (None, 30, 8) "
        'at LSTM(32) on line 9, which receives (None, 64): "'
    )
    assert "expected ndim=3, found ndim=2" in out


def test_progress_on_stderr_when_many_claims(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([str(CASES / "rank_errors.py"), str(CASES / "targets.py")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("[1/6] ") and err[-1].startswith("[6/6] ")


def test_gradient_check_tells_rounding_from_a_real_difference(runtime: Runtime) -> None:
    """KRS101's gradient comparison is relative to what the gradient could be without
    cancellation (``_dense_gradient_bound``): the two heads' rounding stays far below the 1e-4
    threshold whatever the weights, and heads with other weights stay far above it."""
    import numpy as np

    from flake8_keras.verify.checks import _dense_gradient_bound, _gradient_diff

    keras = runtime.keras
    x = np.random.default_rng(0).standard_normal((3, 10, 8)).astype("float32")
    for seed in range(5):
        keras.utils.set_random_seed(seed)
        wrapped = keras.layers.TimeDistributed(keras.layers.Dense(1))
        plain = keras.layers.Dense(1)
        out = np.asarray(wrapped(x))
        plain(x)
        bound = _dense_gradient_bound(x, out)
        assert bound > 0
        plain.set_weights(wrapped.get_weights())
        same = _gradient_diff(runtime, wrapped, plain, x, bound)
        assert same is not None and same < 1e-5
        plain.set_weights([w * 1.5 + 0.1 for w in wrapped.get_weights()])
        other = _gradient_diff(runtime, wrapped, plain, x, bound)
        assert other is not None and other > 1e-2
