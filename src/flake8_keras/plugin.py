"""The flake8 adapter: flake8's parsed tree and lines in, (line, col, message) tuples out.

It never opens files (editors lint stdin), never imports TensorFlow or Keras, and never raises.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

from flake8_keras import __version__
from flake8_keras.analysis import analyze_tree, internal_error
from flake8_keras.source import char_col


class KerasChecker:
    name = "flake8-keras"
    version = __version__

    def __init__(self, tree: ast.AST, lines: list[str], filename: str = "") -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        try:
            diagnostics = analyze_tree(self.tree, "".join(self.lines))
        except Exception as exc:  # the last resort: never break the user's flake8 run
            error = internal_error(type(exc).__name__, "while analysing this file")
            yield 1, 0, error.message, type(self)
            return
        for d in diagnostics:
            yield d.line, char_col(self.lines, d.line, d.byte_col), d.message, type(self)
