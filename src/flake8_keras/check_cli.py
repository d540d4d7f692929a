"""``flake8-keras check``: the KRS diagnostics without the rest of flake8 (stdin with ``-``)."""

from __future__ import annotations

import argparse
import sys

from flake8_keras.analysis import analyze_source
from flake8_keras.paths import python_files
from flake8_keras.source import char_col, decode


def read_text(path: str) -> str | None:
    """The text of a file or of stdin (``-``), decoded as Python source; None if unreadable."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                data = handle.read()
    except OSError:
        return None
    return decode(data)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="flake8-keras check")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--stdin-display-name", default="stdin")
    args = parser.parse_args(argv)
    found = errors = 0
    for path in python_files(args.paths):
        text = read_text(path)
        if text is None:
            print(f"{path}: cannot read", file=sys.stderr)
            errors += 1
            continue
        lines = text.splitlines(keepends=True)
        name = args.stdin_display_name if path == "-" else path
        for d in analyze_source(text):
            found += 1
            print(f"{name}:{d.line}:{char_col(lines, d.line, d.byte_col) + 1}: {d.message}")
    return 2 if errors else 1 if found else 0
