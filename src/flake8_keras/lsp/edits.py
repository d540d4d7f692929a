"""Positions and edits in the client's units (UTF-16 unless the client negotiated otherwise)."""

from __future__ import annotations

import difflib

from lsprotocol import types
from pygls.workspace import TextDocument

from flake8_keras.source import Span, physical_lines


def to_position(doc: TextDocument, lines: list[str], line0: int, char: int) -> types.Position:
    """A 0-based line and a character column -> an LSP position in the client's units."""
    text = lines[line0] if line0 < len(lines) else ""
    return types.Position(line=line0, character=doc.position_codec.client_num_units(text[:char]))


def to_range(doc: TextDocument, lines: list[str], span: Span) -> types.Range:
    return types.Range(
        start=to_position(doc, lines, span[0] - 1, span[1]),
        end=to_position(doc, lines, span[2] - 1, span[3]),
    )


def _line_start(doc: TextDocument, lines: list[str], index: int) -> types.Position:
    if index < len(lines) or not lines or lines[-1].endswith(("\n", "\r")):
        return types.Position(line=index, character=0)
    # the last line has no newline: "after it" is its end
    return to_position(doc, lines, len(lines) - 1, len(lines[-1]))


def text_edits(doc: TextDocument, old: str, new: str) -> list[types.TextEdit]:
    """Whole-line edits turning ``old`` into ``new``: only the lines the fix changed."""
    before, after = physical_lines(old), physical_lines(new)
    # the common head and tail are most of the file: diff only the middle (cost follows the fix)
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(before), len(after)) - head
        and before[len(before) - 1 - tail] == after[len(after) - 1 - tail]
    ):
        tail += 1
    edits = []
    matcher = difflib.SequenceMatcher(
        a=before[head : len(before) - tail], b=after[head : len(after) - tail], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
        edits.append(
            types.TextEdit(
                range=types.Range(
                    start=_line_start(doc, before, i1), end=_line_start(doc, before, i2)
                ),
                new_text="".join(after[j1:j2]),
            )
        )
    return edits
