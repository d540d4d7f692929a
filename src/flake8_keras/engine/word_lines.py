"""Where names occur in a file's text, by line: a cheap way to skip statements that cannot
mention them (the call-site walk, the bodies the interpreter runs).

A word found in a comment or a string counts too: that only keeps a statement that could have
been skipped, it never skips one that mentions the name.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from collections.abc import Collection


def lines_naming(text: str, names: Collection[str]) -> list[int] | None:
    """The sorted numbers of the lines where one of ``names`` occurs as a word; None when the
    file ends a line with a lone ``\\r`` (counting ``\\n`` would not number lines as ast does)."""
    if not lines_end_at_newlines(text):
        return None
    starts: list[int] = []
    if len(names) * len(text) <= _FOUND_CHARACTERS:
        for name in names:  # str.find per name: 10x faster than a pass over every word
            at = text.find(name)
            while at >= 0:
                end = at + len(name)
                if not (at and _word_char(text[at - 1])) and not (
                    end < len(text) and _word_char(text[end])
                ):
                    starts.append(at)
                at = text.find(name, end)
    else:  # one pass over the words: a scan per name would be quadratic in the file
        wanted = set(names)
        starts = [m.start() for m in _WORD.finditer(text) if m.group() in wanted]
    return line_numbers(text, starts)


def line_numbers(text: str, positions: list[int]) -> list[int]:
    """The sorted, distinct numbers of the lines holding these positions of the text (each
    ``\n`` counted once, however many positions: not once per position)."""
    lines: list[int] = []
    line, counted = 1, 0
    for at in sorted(positions):
        line += text.count("\n", counted, at)
        counted = at
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def lines_end_at_newlines(text: str) -> bool:
    """Whether every line ends at ``\\n`` (or ``\\r\\n``): then counting ``\\n`` numbers lines as
    ast does; a lone ``\\r`` (old Mac files) ends a line for ast too."""
    return "\r" not in text or text.count("\r") == text.count("\r\n")


_FOUND_CHARACTERS = 4_000_000  # names x text length searched name by name
_WORD = re.compile(r"\w+")


def spans(stmt: ast.stmt, lines: list[int]) -> bool:
    """Whether one of ``lines`` (sorted) is among the statement's, its decorators' included."""
    at = bisect_left(lines, first_line(stmt))
    return at < len(lines) and lines[at] <= (stmt.end_lineno or stmt.lineno)


def first_line(stmt: ast.stmt) -> int:
    """The statement's first line: its first decorator's, if it has one."""
    first = stmt.lineno
    for decorator in getattr(stmt, "decorator_list", ()):
        first = min(first, decorator.lineno)
    return first


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"
