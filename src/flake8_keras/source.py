"""Source text: the cheap gate, the one parse, and positions in characters.

The gate is a substring test that rejects, in microseconds, files that cannot trigger any rule:
every rule needs Keras and either TimeDistributed or a recurrent layer.
"""

from __future__ import annotations

import ast
import warnings

_NEEDS_ALL = ("keras",)
_NEEDS_ANY = ("TimeDistributed", "LSTM", "GRU", "RNN")


def may_trigger(text: str) -> bool:
    return all(word in text for word in _NEEDS_ALL) and any(word in text for word in _NEEDS_ANY)


def parse(text: str) -> ast.Module | None:
    """The module's tree, or None for anything that does not parse (syntax errors, Python 2...)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None


def char_col(lines: list[str], lineno: int, byte_col: int) -> int:
    """ast columns count UTF-8 bytes; flake8 and editors count characters."""
    if not 1 <= lineno <= len(lines):
        return byte_col
    line = lines[lineno - 1]
    if line.isascii():
        return byte_col
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="replace"))


def encoding_of(data: bytes) -> str | None:
    """The encoding of Python source bytes: a BOM, a PEP 263 coding cookie, else UTF-8."""
    import io
    import tokenize

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
