"""The flake8 adapter: flake8's parsed tree and lines in, (line, col, message) tuples out.

It never opens files (editors lint stdin), never imports TensorFlow or Keras, and never raises.
"""

from __future__ import annotations

import ast
import gc
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from flake8_keras import __version__
from flake8_keras.source import char_col, names_keras


class KerasChecker:
    name = "flake8-keras"
    version = __version__
    # --keras-long-messages: print each finding's full explanation instead of its headline
    long_messages = False

    @classmethod
    def add_options(cls, parser: Any) -> None:
        parser.add_option(
            "--keras-long-messages",
            action="store_true",
            default=False,
            parse_from_config=True,
            help="flake8-keras: print each finding's full explanation (what Keras does, the "
            "lines involved) instead of its one-line headline",
        )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        cls.long_messages = bool(getattr(options, "keras_long_messages", False))

    def __init__(self, tree: ast.AST, lines: list[str], filename: str = "") -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        text = "".join(self.lines)
        if not names_keras(text):
            return  # no Keras: the engine is not even imported (most files of most projects)
        engine = _engine()
        try:
            # The diagnostics hold the file's model graph: read and dropped before the cyclic
            # collector is back, or its next collection would walk the whole graph.
            with engine.no_cyclic_gc():
                found = [
                    (d.line, d.byte_col, d.explanation if self.long_messages else d.message)
                    for d in engine.analyze_tree(self.tree, text)
                ]
        except Exception as exc:  # the last resort: never break the user's flake8 run
            error = engine.internal_error(type(exc).__name__, "while analysing this file")
            yield 1, 0, error.message, type(self)
            return
        for line, byte_col, message in found:
            yield line, char_col(self.lines, line, byte_col), message, type(self)


def _engine() -> ModuleType:
    """The engine, imported at the first file that names Keras (13 ms that a run without one
    never pays). What the import makes (modules, classes, tables) lives as long as the process:
    it goes straight to the collector's oldest generation (frozen, then unfrozen there) instead
    of being counted as that many new long-lived objects, which brought flake8's next full
    collection forward (7 ms of a run over 40 training scripts). Not when the host has frozen
    objects of its own: unfreezing would hand those back to the collector."""
    loaded = sys.modules.get("flake8_keras.analysis")
    if loaded is not None:
        return loaded
    settle = gc.isenabled() and gc.get_freeze_count() == 0
    if settle:
        gc.freeze()
    try:
        import flake8_keras.analysis as engine
    finally:
        if settle:
            gc.freeze()
            gc.unfreeze()
    return engine
