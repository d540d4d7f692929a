"""Which function and method bodies may record anything: the others are not analysed standalone.

A body adds to what the hooks record (layer applications, training calls) only through a name
the library declared (``Hooks.recording_words``: the Keras classes that make layers and models,
``layers``, the keywords an observer watches) or through a definition it sees from the scope it
was defined in that may itself lead to a record: a Keras import (``from keras import layers as
L``), a function of the file whose own body may record (``build_model``), a class, a dict of
such definitions. A body sees nothing else of its module: a model or an array made at module
level is Unknown inside a function (``Scope.definitions_only``), and a constant, a numpy import or
a plotting helper cannot make a layer or reach a model. Such a body (a test of ``ops.add``, a
``set_seed``, a data loader) is not analysed standalone; evaluating it at a call site for its
value is not affected (that is how arrays reach ``fit``).

One search of the body's lines for identifiers decides. A word in a comment or a string only
keeps a body that could have been skipped: it costs time, never a finding. Without the source
text (or with line ends other than ``\\n`` and ``\\r\\n``) every body is relevant.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Iterator
from itertools import accumulate

from flake8_keras.engine.scope import Scope
from flake8_keras.engine.values import (
    UNKNOWN,
    ClassDef,
    Const,
    FrozenEntries,
    Function,
    SymbolRef,
    Value,
)
from flake8_keras.engine.word_lines import first_line, lines_end_at_newlines

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

# Methods whose effects on ``self`` every other method sees (the interpreter runs them first).
_SETUP = frozenset({"__init__", "build", "setUp"})
_MAX_DEPTH = 8  # functions naming functions naming functions: past it, relevant


class Relevance:
    """Which bodies of one file may record, from their words and what those words name."""

    def __init__(
        self,
        text: str | None,
        seeds: Collection[str],
        symbol_may_record: Callable[[str], bool] = lambda path: True,
    ) -> None:
        self.text = text
        self.seeds = frozenset(seeds)
        # Whether an import of this canonical path may lead to a record (a Keras module or
        # class: yes; numpy: no). The library knows; by default every import may.
        self.symbol_may_record = symbol_may_record
        self._starts: list[int] | None = None
        self._spaced: str | None = None  # the text with every ASCII non-word character a space
        self._words: dict[ast.stmt, frozenset[str] | None] = {}  # None: names a seed
        # (body, id of the scope it sees) -> the decision, with the scope kept alive so that
        # its id is not reused; None while being decided (a cycle: assumed relevant).
        self._decided: dict[tuple[ast.stmt, int], tuple[Scope, bool | None]] = {}
        # Off without text or seeds, and with a lone ``\r`` line end (lines would not match
        # ast's). Reading a body's words costs a few percent of analysing it, and most helper
        # functions of a script (seeding, plotting, loading files) are skipped.
        self.active = bool(text is not None and seeds) and lines_end_at_newlines(text or "")

    def may_record(self, node: ast.stmt, scope: Scope) -> bool:
        """Whether the definition (decorators included), seeing ``scope``, names a relevant
        word or a definition that may lead to a record."""
        return not self.active or self._may_record(node, scope, 0)

    def methods_to_run(
        self, methods: list[FunctionNode], whole: bool, setup: Collection[str], scope: Scope
    ) -> set[str]:
        """The methods of a class to analyse: all of them for a Keras subclass (``whole``: its
        ``call`` is what calling it returns) or when a set-up method is relevant (what it puts
        on ``self`` reaches every method); else the relevant ones, with the set-up methods."""
        names = {m.name for m in methods}
        if whole or not self.active:
            return names
        relevant = {m.name for m in methods if self.may_record(m, scope)}
        firsts = names & (_SETUP | set(setup))
        if relevant & firsts:
            return names
        return relevant | firsts if relevant else set()

    def spaced(self) -> str:
        """The text with every ASCII character that cannot be part of a name made a space:
        ``split()`` gives its words (made once per file)."""
        if self._spaced is None:
            self._spaced = (self.text or "").translate(_NOT_WORD)
        return self._spaced

    def clear(self) -> None:
        """Drop the scopes held for the decisions (the file is done)."""
        self._decided.clear()

    # ------------------------------------------------------------------ internals

    def _may_record(self, node: ast.stmt, scope: Scope, depth: int) -> bool:
        key = (node, id(scope))
        known = self._decided.get(key)
        if known is not None:
            return known[1] is not False  # None: being decided further up (a cycle)
        words = self._words_of(node)
        if words is None:
            return True  # it names a seed word
        if depth >= _MAX_DEPTH:
            return True
        self._decided[key] = (scope, None)
        found = any(self._definition_may_record(v, depth) for v in _seen(words, scope, node))
        self._decided[key] = (scope, found)
        return found

    def _definition_may_record(self, value: Value | None, depth: int) -> bool:
        """Whether a body that sees ``value`` by name may record through it. A body sees only
        definitions of the scopes around it (anything else is Unknown there)."""
        if value is None or value is UNKNOWN or not value.definition or isinstance(value, Const):
            return False
        if isinstance(value, SymbolRef):
            return self.symbol_may_record(value.path)
        if isinstance(value, Function):
            return self._may_record(value.node, value.scope, depth + 1)
        if isinstance(value, FrozenEntries):
            return any(self._definition_may_record(v, depth + 1) for v in value.values)
        if isinstance(value, ClassDef):
            return True  # its methods, its bases: not worth reading for the few there are
        return True  # a definition of the library's (a layer object made in the module)

    def _words_of(self, node: ast.stmt) -> frozenset[str] | None:
        """The words of the definition; None when one of them is a seed (found as the words
        are read: the bodies that name one, the big ones, are read only so far)."""
        if node in self._words:
            return self._words[node]
        begin, end = self._span(node)
        listed = self.spaced()[begin:end].split()
        words = None if not self.seeds.isdisjoint(listed) else frozenset(listed)
        self._words[node] = words
        return words

    def _span(self, node: ast.stmt) -> tuple[int, int]:
        """Where the statement's lines, its decorators' included, are in the text."""
        if self._starts is None:
            # The lengths of the lines before each line, summed; line k starts that many
            # characters plus its k - 1 ``\n`` in (``active``: no other line end).
            lengths = map(len, (self.text or "").split("\n"))
            self._starts = list(accumulate(lengths, initial=0))
        starts, size = self._starts, len(self.text or "")
        first, last = first_line(node), node.end_lineno or node.lineno
        begin = starts[first - 1] + first - 1 if first - 1 < len(starts) else size
        end = starts[last] + last if last < len(starts) else size
        return begin, end


def _seen(words: frozenset[str], scope: Scope, node: ast.stmt) -> Iterator[Value]:
    """What the words name in ``scope`` and the scopes around it (the innermost binding of
    each), but the definition's own name (its ``def`` line names it)."""
    done = {getattr(node, "name", "")}
    around: Scope | None = scope
    while around is not None:
        for word in words & around.vars.keys():  # a set operation: most words name nothing
            if word not in done:
                done.add(word)
                yield around.vars[word]
        around = around.parent


# Code separates its names with ASCII characters; words split at them (numbers too, which name
# nothing). A translation and a split: twice as fast as finding each identifier with a regex.
_NOT_WORD = {c: " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}
