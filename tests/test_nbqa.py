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
        "tagger.ipynb:cell_3:3:5: KRS101 TimeDistributed(layers.Dense(15)) is redundant"
    )
    assert lines[0].endswith("(fix: Dense(15))")
    assert path.read_bytes() == before  # linting leaves the notebook alone
