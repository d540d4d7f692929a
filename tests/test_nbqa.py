"""Notebooks: ``nbqa flake8`` reports a KRS101 at the notebook cell and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat

CELLS = [
    "import keras\nfrom keras import layers",
    "# a markdown-free code cell without Keras layers\nTIMESTEPS = 64",
    "inputs = keras.Input(shape=(TIMESTEPS, 15))\n"
    "x = layers.GRU(16, return_sequences=True)(inputs)\n"
    "y = layers.TimeDistributed(layers.Dense(15))(x)\n"
    "model = keras.Model(inputs, y)",
]


def test_nbqa_flake8_reports_cell_and_line(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_markdown_cell("# Tagger"))
    notebook.cells.extend(nbformat.v4.new_code_cell(source) for source in CELLS)
    path = tmp_path / "tagger.ipynb"
    nbformat.write(notebook, path)
    before = path.read_bytes()
    run = subprocess.run(
        [sys.executable, "-m", "nbqa", "flake8", "tagger.ipynb", "--select", "KRS"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 1, run.stdout
    # nbqa counts code cells from 1 (markdown cells are skipped): the third code cell, line 3
    assert lines[0].startswith(
        "tagger.ipynb:cell_3:3:5: KRS101 TimeDistributed(Dense(15)) is redundant"
    )
    assert lines[0].endswith("(fix: Dense(15))")
    assert path.read_bytes() == before  # linting leaves the notebook alone


FIX_CELLS = [
    "import keras\nfrom keras import layers\nfrom keras.layers import TimeDistributed",
    "TIMESTEPS = 64",
    "inputs = keras.Input(shape=(TIMESTEPS, 15))\n"
    "x = layers.GRU(16, return_sequences=True)(inputs)\n"
    "y = TimeDistributed(layers.Dense(15))(x)  # one label per step\n"
    "model = keras.Model(inputs, y)",
]


def nbqa_fix(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # nbqa runs ``python -m <module>``: the fixer is ``flake8_keras fix``
    return subprocess.run(
        [sys.executable, "-m", "nbqa", "flake8_keras fix", path.name, *args],
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_nbqa_runs_the_fixer_on_the_cells(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_markdown_cell("# Tagger\nTimeDistributed(Dense)"))
    notebook.cells.extend(nbformat.v4.new_code_cell(source) for source in FIX_CELLS)
    notebook.cells[3].outputs = [nbformat.v4.new_output("stream", text="trained\n")]
    path = tmp_path / "tagger.ipynb"
    nbformat.write(notebook, path)
    before = path.read_bytes()

    check = nbqa_fix(path, "--check")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "tagger.ipynb:cell_3:3:5: KRS101 would unwrap: TimeDistributed(layers.Dense(15))" in (
        check.stdout + check.stderr
    )
    assert path.read_bytes() == before  # --check changes nothing

    run = nbqa_fix(path)
    assert run.returncode == 1, run.stdout + run.stderr  # 1: a file changed (pre-commit)
    fixed = nbformat.read(path, as_version=4)
    assert [c.source for c in fixed.cells] == [
        "# Tagger\nTimeDistributed(Dense)",  # markdown is never touched
        "import keras\nfrom keras import layers",  # the import nothing uses any more
        "TIMESTEPS = 64",
        "inputs = keras.Input(shape=(TIMESTEPS, 15))\n"
        "x = layers.GRU(16, return_sequences=True)(inputs)\n"
        "y = layers.Dense(15)(x)  # one label per step\n"
        "model = keras.Model(inputs, y)",
    ]
    assert fixed.cells[3].outputs[0]["text"] == "trained\n"  # outputs are kept

    again = nbqa_fix(path)
    assert again.returncode == 0, again.stdout + again.stderr
