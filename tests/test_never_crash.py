"""Never crash (issue 2): every .py file of site-packages, and generated programs.

``analyze_tree`` is the engine path that raises on engine bugs (the flake8 plugin swallows them),
so it is what these tests call. Hangs become failures through a per-file alarm. The engine
isolates a failing statement and reports it as KRS001 instead of raising, so these tests also
fail on any KRS001: an internal error is a bug the fuzzer must find.
Longer local fuzzing: ``KRS_FUZZ_EXAMPLES=5000 pytest tests/test_never_crash.py -k fuzz``.
"""

from __future__ import annotations

import ast
import os
import signal
import sysconfig
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from flake8_keras.analysis import INTERNAL_ERROR, analyze_tree
from flake8_keras.keras.construct import build_graph
from flake8_keras.plugin import KerasChecker
from flake8_keras.rules import RULES, may_trigger
from flake8_keras.source import decode

SITE_PACKAGES = sysconfig.get_paths()["purelib"]
PER_FILE_SECONDS = 10  # generous: the slowest file takes well under a second here
FUZZ_EXAMPLES = int(os.environ.get("KRS_FUZZ_EXAMPLES", "60"))
# The Keras-shaped fuzzer found a crash at 1,500 examples (issue 9): it runs 5,000 in every
# suite run (about 15-30 s here), more with KRS_FUZZ_EXAMPLES.
KERAS_FUZZ_EXAMPLES = max(5_000, FUZZ_EXAMPLES * 5)


class Hang(Exception):
    pass


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    def fire(signum: int, frame: object) -> None:
        raise Hang(f"more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _files() -> list[str]:
    found = []
    for root, dirs, files in os.walk(SITE_PACKAGES):
        dirs.sort()
        found.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(".py"))
    return found


def _parse(text: str) -> ast.Module | None:
    """flake8's own parse of the file (None: flake8 reports E999 and runs no tree plugin)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _check(paths: list[str], whole_engine: bool) -> tuple[list[str], list[tuple[float, str]], int]:
    """Failures, per-file times and how many files were analysed, for one worker's share."""
    failures: list[str] = []
    times: list[tuple[float, str]] = []
    analysed = 0
    for path in paths:
        with open(path, "rb") as fh:
            text = decode(fh.read())
        if text is None or not (whole_engine or may_trigger(text)):
            continue
        tree = _parse(text)
        if tree is None:
            continue
        analysed += 1
        start = time.perf_counter()
        try:
            with deadline(PER_FILE_SECONDS):
                if whole_engine:  # the gate bypassed: the engine on code it never sees in flake8
                    graph = build_graph(tree)
                    for rule in RULES:
                        list(rule.check(graph))
                    errors = [f"line {s.lineno}: {kind}" for s, kind in graph.errors]
                else:
                    found = analyze_tree(tree, text)
                    lines = text.splitlines(keepends=True)
                    list(KerasChecker(tree, lines, path).run())
                    errors = [d.message for d in found if d.code == INTERNAL_ERROR]
            if errors:
                failures.append(f"{path}: internal errors {errors[:3]}")
        except Exception as exc:  # RecursionError included: flake8 parsed this file fine
            failures.append(f"{path}: {type(exc).__name__}: {str(exc)[:200]}")
        times.append((time.perf_counter() - start, path))
    return failures, times, analysed


def _run_parallel(whole_engine: bool) -> tuple[list[str], list[tuple[float, str]], int]:
    files = _files()
    shares = [files[i::2] for i in range(2)]
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_check, shares, [whole_engine] * 2))
    failures = [f for r in results for f in r[0]]
    times = sorted((t for r in results for t in r[1]), reverse=True)
    return failures, times, sum(r[2] for r in results)


def _summary(label: str, times: list[tuple[float, str]], analysed: int) -> None:
    print(f"\n{label}: {analysed} files analysed, {sum(t for t, _ in times):.1f} s in total")
    for seconds, path in times[:3]:
        print(f"  {seconds * 1000:.0f} ms {os.path.relpath(path, SITE_PACKAGES)}")


def test_site_packages_through_the_gate() -> None:
    """What flake8 runs: every file that passes the gate, through analyze_tree and the plugin."""
    failures, times, analysed = _run_parallel(whole_engine=False)
    _summary("site-packages, gated files", times, analysed)
    assert analysed > 50  # tensorflow and keras are installed there
    assert not failures, "\n".join(failures)
    assert times[0][0] < PER_FILE_SECONDS


def test_site_packages_whole_engine() -> None:
    """The graph builder and rules on every file, gate or not: engine bugs the gate hides today."""
    failures, times, analysed = _run_parallel(whole_engine=True)
    _summary("site-packages, every file through the engine", times, analysed)
    assert analysed > 1000
    assert not failures, "\n".join(failures)


KERAS_HEAD = "import keras\nfrom keras.layers import LSTM, GRU, Dense, TimeDistributed\n"


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(
    max_examples=FUZZ_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(hypothesmith.from_grammar())
def test_fuzz_hypothesmith_programs(source: str) -> None:
    text = KERAS_HEAD + source  # the header makes every program pass the gate
    tree = _parse(text)
    assume(tree is not None)
    assert tree is not None
    with deadline(PER_FILE_SECONDS):
        found = analyze_tree(tree, text)
        list(KerasChecker(tree, text.splitlines(keepends=True)).run())
    assert not [d.message for d in found if d.code == INTERNAL_ERROR]


# Keras-shaped programs: random layers, arguments and wiring, so the engine's Keras paths run.
_LAYER = st.sampled_from([
    "LSTM", "GRU", "Dense", "keras.layers.SimpleRNN", "keras.layers.Flatten",
    "keras.layers.GlobalAveragePooling1D", "keras.layers.RepeatVector", "keras.layers.Conv1D",
    "keras.layers.Reshape", "keras.layers.Embedding", "keras.layers.Bidirectional",
    "keras.layers.ConvLSTM2D", "keras.layers.Permute", "keras.layers.Concatenate",
    "keras.layers.MultiHeadAttention", "keras.layers.Dropout", "TimeDistributed",
])  # fmt: skip
_ATOM = st.sampled_from([
    "0", "1", "-3", "16", "None", "True", "False", "(10, 4)", "(None, 3)", "()", "(2, 0)",
    "x", "n", "[x, x]", "'same'", "1.5", "10**100", "(-1,)", "units", "LSTM(4)", "Dense(3)",
    "keras.Input(shape=(5, 2))",
])  # fmt: skip
_KWARG = st.sampled_from([
    "return_sequences", "input_shape", "units", "shape", "batch_input_shape", "input_dim",
    "input_length", "target_shape", "keepdims", "mask_zero", "output_dim", "dims", "axis",
])  # fmt: skip


@st.composite
def _call(draw: st.DrawFn) -> str:
    args = draw(st.lists(_ATOM, max_size=3))
    kwargs = draw(st.dictionaries(_KWARG, _ATOM, max_size=3))
    inner = ", ".join(args + [f"{k}={v}" for k, v in kwargs.items()])
    return f"{draw(_LAYER)}({inner})"


@st.composite
def keras_programs(draw: st.DrawFn) -> str:
    lines = [KERAS_HEAD, "n = 8\nunits = 4\nx = keras.Input(shape=(10, 4))\n"]
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.integers(0, 6))
        call = draw(_call())
        if kind == 0:
            lines.append(f"x = {call}(x)\n")
        elif kind == 1:
            lines.append(f"m = keras.Sequential([{call}, {draw(_call())}, {draw(_call())}])\n")
        elif kind == 2:
            lines.append(f"m = keras.Sequential()\nm.add({call})\nm.add({draw(_call())})\n")
        elif kind == 3:
            lines.append(f"layer = {call}\nx = TimeDistributed(layer)(x)\n")
        elif kind == 4:
            lines.append(
                f"m = keras.Model(x, {call}(x))\nm.compile(loss='mse')\nm.fit(x, {draw(_ATOM)})\n"
            )
        elif kind == 5:  # a sequence into TimeDistributed(Dense): the fixable KRS101 shape
            inner = draw(
                st.sampled_from(
                    [
                        "Dense(3)",
                        "Dense(units, activation='relu')",
                        "Dense(2, activity_regularizer='l2')",
                        "Dense(\n 4)",
                    ]
                )
            )
            lines.append(
                f"x = LSTM(n, return_sequences=True)(x)\n"
                f"y = TimeDistributed({inner})(x)  # {draw(_ATOM)}\n"
            )
        else:
            lines.append(f"if n > 3:\n    x = {call}(x)\nelse:\n    x = {draw(_call())}(x)\n")
    return "".join(lines)


@settings(max_examples=KERAS_FUZZ_EXAMPLES, derandomize=True, deadline=None)
@given(keras_programs())
def test_fuzz_keras_programs(text: str) -> None:
    tree = _parse(text)
    assert tree is not None
    with deadline(PER_FILE_SECONDS):
        found = analyze_tree(tree, text)
        reported = list(KerasChecker(tree, text.splitlines(keepends=True)).run())
    assert [(d.line, d.code) for d in found] == [(r[0], r[2].split(" ")[0]) for r in reported]
    for d in found:
        assert d.message.startswith(d.code + " ")
    assert not [d.message for d in found if d.code == INTERNAL_ERROR]


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-s"])
