"""A rule's test cases (Fixit's VALID / INVALID) and their ``# KRS101: 7`` marks (bugbear's).

A mark is a trailing comment naming the code and the 1-based column flake8 prints for a
diagnostic on that line; several on one line are separated by commas (``# KRS101: 7, KRS103: 30``).
"""

from __future__ import annotations

import re
import textwrap

from flake8_keras.records import record

# the marks comment may be followed by another comment (a noqa for another tool, say)
_MARKS = re.compile(
    r"[ \t]*#[ \t]*(KRS\d{3}:[ \t]*\d+(?:[ \t]*,[ \t]*KRS\d{3}:[ \t]*\d+)*)(?=[ \t]*(?:#|$))"
)
_MARK = re.compile(r"(KRS\d{3}):[ \t]*(\d+)")

Mark = tuple[int, int, str]  # line (1-based), column (1-based, characters, as flake8), code


def _source(code: str) -> str:
    return textwrap.dedent(code).lstrip("\n")


@record(frozen=True)
class Valid:
    """A file the rule must stay silent on (marks of other rules may appear in it)."""

    code: str

    @property
    def source(self) -> str:
        return _source(self.code)


@record(frozen=True)
class Invalid:
    """A file with marks; a fixable rule's case carries what the fixer makes of it.

    ``fixed`` is the text after ``flake8-keras fix`` (the marks removed first); ``unsafe_fixed``
    the text after ``fix --unsafe-fixes`` when it differs from ``fixed``.
    """

    code: str
    fixed: str | None = None
    unsafe_fixed: str | None = None

    @property
    def source(self) -> str:
        return _source(self.code)

    @property
    def fixed_source(self) -> str | None:
        return None if self.fixed is None else _source(self.fixed)

    @property
    def unsafe_fixed_source(self) -> str | None:
        return None if self.unsafe_fixed is None else _source(self.unsafe_fixed)


def marks(text: str) -> set[Mark]:
    """Every (line, column, code) the text marks."""
    found: set[Mark] = set()
    for number, line in enumerate(text.split("\n"), start=1):
        match = _MARKS.search(line)
        if match:
            found.update((number, int(col), code) for code, col in _MARK.findall(match.group(1)))
    return found


def without_marks(text: str) -> str:
    """The text with its mark comments removed (what the fixer's output is compared against)."""
    return "\n".join(_MARKS.sub("", line) for line in text.split("\n"))


def for_reading(text: str) -> str:
    """The text as the docs show it: ``# KRS101: 7`` becomes ``# KRS101``."""
    lines = []
    for line in text.split("\n"):
        match = _MARKS.search(line)
        if match:
            codes = ", ".join(dict.fromkeys(code for code, _ in _MARK.findall(match.group(1))))
            line = f"{line[: match.start()]}  # {codes}{line[match.end() :]}"
        lines.append(line)
    return "\n".join(lines)
