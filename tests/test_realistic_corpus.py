"""The realistic corpus (tests/realistic): correct programs stay clean, the corpus is honest.

``ok_*.py`` are correct Keras 3 programs written the way real projects write them: real flake8
must report nothing on them (a precision test). ``bug_*.py`` each hold one shape mistake marked
``# bug``, with a first docstring line that says what Keras does: ``(raises ...)`` or
``(silent ...)``. The TensorFlow tests run every file (one subprocess, TensorFlow imported once)
to prove it: every ok file and every silent bug runs to completion, every raising bug raises.
``python bench/recall.py`` measures the plugin's recall and precision on the corpus.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, flake8

CORPUS = ROOT / "tests" / "realistic"
OK_FILES = sorted(CORPUS.glob("ok_*.py"))
BUG_FILES = sorted(CORPUS.glob("bug_*.py"))
_BEHAVIOUR = re.compile(r"\((raises|silent)\b")
_BUG_MARK = re.compile(r"#\s*bug\s*$")


def behaviour(path: Path) -> str:
    """``raises`` or ``silent``, from the first line of the file's docstring."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    match = _BEHAVIOUR.search(doc.splitlines()[0] if doc else "")
    assert match, f"{path.name}: the first docstring line must say (raises ...) or (silent ...)"
    return match.group(1)


def test_corpus_size_and_marks() -> None:
    assert len(OK_FILES) >= 25 and len(BUG_FILES) >= 25
    for path in BUG_FILES:
        behaviour(path)
        lines = path.read_text(encoding="utf-8").splitlines()
        marks = [n for n, line in enumerate(lines, 1) if _BUG_MARK.search(line)]
        assert len(marks) == 1, f"{path.name}: exactly one line marked '# bug', got {marks}"
    for path in OK_FILES:
        assert "# bug" not in path.read_text(encoding="utf-8"), path.name


@pytest.fixture(scope="module")
def ok_report() -> dict[str, list[str]]:
    result = flake8(
        "--select", "KRS", "--format", "%(path)s::%(row)d: %(code)s %(text)s", *map(str, OK_FILES)
    )
    found: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        path, _, finding = line.partition("::")
        found.setdefault(Path(path).name, []).append(finding)
    assert result.returncode in (0, 1), result.stderr
    return found


@pytest.mark.parametrize("path", OK_FILES, ids=lambda p: p.name)
def test_ok_file_is_clean(path: Path, ok_report: dict[str, list[str]]) -> None:
    """Precision: real flake8 reports nothing on a correct program."""
    assert ok_report.get(path.name, []) == []


def test_no_internal_error_anywhere() -> None:
    result = flake8("--select", "KRS", str(CORPUS))
    assert result.returncode in (0, 1), result.stderr
    assert "KRS001" not in result.stdout
    assert result.stderr.strip() == ""


# Runs each file with runpy in one interpreter (TensorFlow imported once) and prints one JSON
# line: {path: [outcome, seconds, error]}. The files' own prints are swallowed.
_RUNNER = """
import contextlib, io, json, os, runpy, sys, time
import tensorflow  # noqa: F401  (import once, before the clock starts)
results = {}
for path in sys.argv[1:]:
    sys.argv = [path]
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            runpy.run_path(path, run_name="__main__")
        outcome, error = "ok", ""
    except BaseException as exc:  # the point: which files raise
        outcome, error = "raised", f"{type(exc).__name__}: {str(exc)[:300]}"
    results[path] = [outcome, round(time.perf_counter() - start, 2), error]
print("RESULTS " + json.dumps(results))
"""


@pytest.fixture(scope="module")
def executed() -> dict[str, list[object]]:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
    paths = [str(p) for p in OK_FILES + BUG_FILES]
    proc = subprocess.run(
        [sys.executable, "-c", _RUNNER, *paths],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=400,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULTS ")]
    assert lines, proc.stderr[-3000:]
    results: dict[str, list[object]] = json.loads(lines[-1][len("RESULTS ") :])
    return {Path(path).name: value for path, value in results.items()}


@pytest.mark.tensorflow
@pytest.mark.parametrize("path", OK_FILES, ids=lambda p: p.name)
def test_ok_file_runs(path: Path, executed: dict[str, list[object]]) -> None:
    outcome, _seconds, error = executed[path.name]
    assert outcome == "ok", error


@pytest.mark.tensorflow
@pytest.mark.parametrize("path", BUG_FILES, ids=lambda p: p.name)
def test_bug_file_behaves_as_its_docstring_says(
    path: Path, executed: dict[str, list[object]]
) -> None:
    outcome, _seconds, error = executed[path.name]
    if behaviour(path) == "raises":
        assert outcome == "raised", f"{path.name} says it raises but ran to completion"
        # a shape error, not a mistake in the corpus file itself (NameError, ImportError, ...)
        assert str(error).startswith(("ValueError", "InvalidArgumentError")), error
    else:
        assert outcome == "ok", f"{path.name} says it is silent but raised: {error}"
