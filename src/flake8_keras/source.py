"""Source text: reading and decoding, the cheap gate, the one parse, physical lines, columns.

The gate is a substring test that rejects, in microseconds, files that cannot trigger any rule:
every rule needs Keras and one of its triggers (``Rule.triggers``; ``rules.TRIGGERS`` is their
union, ``rules.may_trigger`` the gate over them).
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
import warnings
from collections.abc import Collection, Iterable, Sequence

NEEDS_ALL = ("keras",)  # every rule reads a Keras model


# A rule's gate: (words one of which the file must contain, then groups of words: the file must
# also contain one word of each group).
Gate = tuple[Collection[str], Sequence[Collection[str]]]


def names_keras(text: str) -> bool:
    """The gate's first test, which needs no rule: a file that never names Keras has no model."""
    return all(word in text for word in NEEDS_ALL)


def may_trigger(text: str, gates: Iterable[Gate]) -> bool:
    """False when ``text`` cannot hold a finding: no Keras, or no rule's gate passes.

    Each distinct word is looked for at most once (the gates share most of their words)."""
    if not names_keras(text):
        return False
    seen: dict[str, bool] = {}

    def has(word: str) -> bool:
        found = seen.get(word)
        if found is None:
            found = seen[word] = word in text
        return found

    return any(
        any(has(w) for w in triggers) and all(any(has(w) for w in group) for group in requires)
        for triggers, requires in gates
    )


def parse(text: str) -> ast.Module | None:
    """The module's tree, or None for anything that does not parse (syntax errors, Python 2...)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None


# Python's tokenizer and flake8 end a line only at \r\n, \r or \n; str.splitlines also splits
# at \x0b, \x0c, \x1c-\x1e, \x85, \u2028 and \u2029, which would shift every later line number.
_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def physical_lines(text: str) -> list[str]:
    """The lines of ``text`` as ast and flake8 number them, each with its line ending."""
    return _PHYSICAL_LINE.findall(text)


def char_col(lines: list[str], lineno: int, byte_col: int) -> int:
    """ast columns count UTF-8 bytes; flake8 and editors count characters.

    ``lines`` must be physical lines (flake8's, or :func:`physical_lines`), not ``splitlines``.
    """
    if not 1 <= lineno <= len(lines):
        return byte_col
    line = lines[lineno - 1]
    if line.isascii():
        return byte_col
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="replace"))


Span = tuple[
    int, int, int, int
]  # start line, start char col, end line, end char col (0-based cols)


def span_of(node: ast.AST, lines: list[str]) -> Span:
    """Where a node is, in characters on physical lines (what editors and flake8 count)."""
    line = getattr(node, "lineno", 1)
    end_line = getattr(node, "end_lineno", None) or line
    col = char_col(lines, line, getattr(node, "col_offset", 0))
    end_col = char_col(lines, end_line, getattr(node, "end_col_offset", None) or 0)
    return line, col, end_line, end_col


def encoding_of(data: bytes) -> str | None:
    """The encoding of Python source bytes: a BOM, a PEP 263 coding cookie, else UTF-8."""
    try:
        return tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError:
        return None


def decode(data: bytes) -> str | None:
    """Bytes of a file (or stdin) to text, honouring a BOM and a PEP 263 coding cookie."""
    encoding = encoding_of(data)
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def read_source(path: str) -> str | None:
    """The text of a file, or of stdin for ``-``, decoded as Python source; None if unreadable."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                data = handle.read()
    except OSError:
        return None
    return decode(data)
