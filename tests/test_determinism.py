"""Determinism: the same input gives the same diagnostics in the same order, whatever the job
count or hash seed (real flake8 subprocesses over several files)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from flake8_keras.analysis import analyze_source

sys.path.insert(0, str(ROOT / "bench"))
from corpus import script


def _write_corpus(tmp_path: Path) -> list[Path]:
    paths = []
    for n in range(6):
        path = tmp_path / f"script_{n}.py"
        path.write_text(script(100 + n, 400), encoding="utf-8")
        paths.append(path)
    quiet = tmp_path / "no_keras.py"
    quiet.write_text("def f(x):\n    return x + 1\n")
    broken = tmp_path / "py2.py"
    broken.write_text("import keras\nprint 'LSTM'\n")
    return paths + [quiet, broken]


def _flake8(tmp_path: Path, jobs: int, seed: str) -> list[str]:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=KRS,E999", f"-j{jobs}", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout.splitlines()


def test_same_output_with_one_and_two_jobs_and_any_hash_seed(tmp_path: Path) -> None:
    _write_corpus(tmp_path)
    first = _flake8(tmp_path, 1, "1")
    assert sum("KRS" in line for line in first) > 20
    assert any("E999" in line for line in first)
    assert _flake8(tmp_path, 2, "2") == first
    assert _flake8(tmp_path, 1, "3") == first


def test_diagnostics_are_ordered_and_repeatable() -> None:
    text = script(5, 2000)
    first = [(d.line, d.byte_col, d.code, d.message) for d in analyze_source(text)]
    assert first == sorted(first)
    assert len(first) > 20
    for _ in range(3):
        assert [(d.line, d.byte_col, d.code, d.message) for d in analyze_source(text)] == first
