"""flake8-compatible inline ``# noqa`` matching, shared by the fixer and the language server.

flake8 looks for ``# noqa`` anywhere on the physical line of the report (case-insensitive, exactly
one space after ``#``). ``# noqa`` alone silences everything; ``# noqa: KRS101,KRS103`` (the colon
may be followed by at most one whitespace) silences those codes and any code starting with one of
them (``# noqa: KRS1``). A colon followed by no valid code list is a blanket ``# noqa``.
"""

from __future__ import annotations

import re

_CODE = r"[A-Z]+[0-9]+"
_NOQA = re.compile(
    rf"# noqa(?::\s?(?P<codes>{_CODE}(?:[,\s]+{_CODE})*(?:[,\s]+)?))?", re.IGNORECASE
)
_SPLIT = re.compile(r"[,\s]+")


def noqa_codes(line: str) -> frozenset[str] | None:
    """None when the line has no ``# noqa``; an empty set for a blanket one; else its codes."""
    match = _NOQA.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    if codes is None:
        return frozenset()
    # flake8 compares codes case-sensitively even though it finds ``noqa`` in any case
    return frozenset(c for c in _SPLIT.split(codes) if c)


def is_suppressed(line: str, code: str) -> bool:
    """Whether flake8 would drop a ``code`` report on this physical line."""
    codes = noqa_codes(line)
    if codes is None:
        return False
    return not codes or code in codes or code.startswith(tuple(codes))
