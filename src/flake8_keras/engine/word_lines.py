"""Where names occur in a file's text, by line: a cheap way to skip statements that cannot
mention them (the call-site walk, the bodies the interpreter runs).

A word found in a comment or a string counts too: that only keeps a statement that could have
been skipped, it never skips one that mentions the name.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Collection
from operator import attrgetter


def lines_naming(text: str, names: Collection[str]) -> list[int] | None:
    """The sorted numbers of the lines where one of ``names`` occurs as a word; None when the
    file ends a line with a lone ``\\r`` (counting ``\\n`` would not number lines as ast does)."""
    if not lines_end_at_newlines(text):
        return None
    found = word_positions(text, names)
    if found is not None:
        starts = [at for positions in found.values() for at in positions]
    else:  # one pass over the words, whatever the names
        wanted = set(names)
        starts = [m.start() for m in _WORD.finditer(text) if m.group() in wanted]
    return line_numbers(text, starts)


def word_positions(text: str, names: Collection[str]) -> dict[str, list[int]] | None:
    """Where each name occurs as a word, by a search per family of names (``build_1`` to
    ``build_90`` are searched as ``build_`` once, each hit read as a whole word); None for more
    than ``_FOUND_NAMES`` names, or past an eighth as many hits (words or not) as the text has
    characters, so that ``a``, ``aa``... searched in ``aaaa...`` cost about what one pass over
    the words does."""
    if len(names) > _FOUND_NAMES:
        return None
    found: dict[str, list[int]] = {name: [] for name in names}
    families: dict[str, set[str]] = {}
    for name in names:
        families.setdefault(family(name), set()).add(name)
    left = hit_budget(text)
    for prefix, members in families.items():
        hits = words_starting(text, prefix, left)
        if hits is None:
            return None
        words, left = hits
        for at, word in words:
            if word in members:
                found[word].append(at)
    return found


def words_of_family(text: str, prefix: str) -> Counter[str] | None:
    """How many times each word that starts with ``prefix`` occurs: one search for the whole
    family; None past ``word_positions``' budget of hits."""
    hits = words_starting(text, prefix, hit_budget(text))
    return Counter(word for _, word in hits[0]) if hits is not None else None


def hit_budget(text: str) -> int:
    """How many hits the searches of one text may read: an eighth of its characters."""
    return len(text) // 8 + 64


def words_starting(text: str, prefix: str, budget: int) -> tuple[list[tuple[int, str]], int] | None:
    """Each word that starts with ``prefix`` and where it starts, with what is left of
    ``budget`` (one per hit of the search, words or not); None when the hits exhaust it."""
    words: list[tuple[int, str]] = []
    size = len(text)
    at = text.find(prefix)
    while at >= 0:
        budget -= 1
        if not budget:
            return None
        end = at + len(prefix)
        if not (at and word_char(text[at - 1])):
            if end < size and word_char(text[end]):  # a longer word: read it whole
                word = _WORD.match(text, at)
                end = word.end() if word is not None else end
            words.append((at, text[at:end]))
        at = text.find(prefix, end)
    return words, budget


def family(name: str) -> str:
    """What a name is searched as: without its trailing digits (``conv_12`` as ``conv_``)
    when at least three characters are left, else whole."""
    stem = name.rstrip("0123456789")
    return stem if len(stem) >= 3 else name


def line_numbers(text: str, positions: list[int]) -> list[int]:
    """The sorted, distinct numbers of the lines holding these positions of the text (each
    ``\\n`` counted once, however many positions: not once per position)."""
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


# Names searched by family (one search for ``build_1`` ... ``build_90``): str.find reads the text
# at ~0.4 ns a character, one pass over its words costs ~60 ns a character (measured on a
# 5,000-line file): up to 100 names, searches are faster, in a file of any length, even one
# per name; past that, the pass (a generated file's 650 names).
_FOUND_NAMES = 100
_WORD = re.compile(r"\w+")
_LINENO = attrgetter("lineno")


def spans(stmt: ast.stmt, lines: list[int]) -> bool:
    """Whether one of ``lines`` (sorted) is among the statement's, its decorators' included."""
    at = bisect_left(lines, first_line(stmt))
    return at < len(lines) and lines[at] <= (stmt.end_lineno or stmt.lineno)


def statements_on(body: list[ast.stmt], lines: list[int]) -> list[ast.AST]:
    """The statements of ``body`` (in line order, as a module's are) that span one of
    ``lines`` (sorted), their decorators included: a bisection per line, not a test per
    statement."""
    # Few lines: bisected on the statements themselves (a search reads ~11 of a generated
    # file's 1,800 statements); many: on the list of their first lines, read once.
    starts: list[int] | None = None
    if len(lines) * max(len(body), 1).bit_length() > len(body):
        starts = [stmt.lineno for stmt in body]
    found: list[ast.AST] = []
    for line in lines:
        # the last statement starting at or before it...
        if starts is None:
            at = bisect_right(body, line, key=_LINENO) - 1
        else:
            at = bisect_right(starts, line) - 1
        if at >= 0 and (body[at].end_lineno or body[at].lineno) >= line:
            stmt = body[at]
        elif at + 1 < len(body) and first_line(body[at + 1]) <= line:
            stmt = body[at + 1]  # ...or a decorator's line, before its definition's
        else:
            continue
        if not found or found[-1] is not stmt:
            found.append(stmt)
    return found


def first_line(stmt: ast.stmt) -> int:
    """The statement's first line: its first decorator's, if it has one."""
    decorators = getattr(stmt, "decorator_list", None)  # only definitions have some
    if not decorators:
        return stmt.lineno
    return min(stmt.lineno, *(decorator.lineno for decorator in decorators))


def word_char(char: str) -> bool:
    """Whether the character may be part of an identifier (ASCII or not)."""
    return char.isalnum() or char == "_"
