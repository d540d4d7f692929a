"""Which function and method bodies may record anything: the others are not analysed standalone.

A body adds to what the hooks record (layer applications, training calls) only through a name
the library declared (``Hooks.recording_words``: the Keras classes that make layers and models,
``layers``) or through a name the module binds (a model made at module level, a builder function,
an import of a Keras name). A body whose lines name none of these cannot make a layer or reach a
model: a test of ``ops.add``, a plotting helper, a data loader. Its standalone analysis is
skipped; evaluating it at a call site for its value is not (that is how arrays reach ``fit``).

One search of the body's lines for those words decides. A word in a comment or a string only
keeps a body that could have been skipped: it costs time, never a finding. Without the source
text (or with line ends other than ``\\n`` and ``\\r\\n``) every body is relevant.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator

from flake8_keras.engine.word_lines import lines_end_at_newlines

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

_NEWLINE = re.compile("\n")
MIN_FUNCTIONS = 16  # ``def`` in the text, for the bodies to be read at all
# Methods whose effects on ``self`` every other method sees (the interpreter runs them first).
_SETUP = frozenset({"__init__", "build", "setUp"})


class Relevance:
    """The words of one file that let a body record, found lazily at the first body asked about."""

    def __init__(self, tree: ast.Module, text: str | None, seeds: Collection[str]) -> None:
        self.tree = tree
        self.text = text
        self.seeds = frozenset(seeds)
        self._starts: list[int] | None = None
        self._names: set[str] | None = None  # what the module binds, read at the first need
        # Off without text or seeds, with a lone ``\r`` line end (lines would not match ast's),
        # and in a file of a few functions: reading a body's words costs about a fifth of
        # analysing it, so it pays only where most bodies can be skipped (a library module, a
        # test suite), not in a script whose functions all build or train the model.
        self.active = (
            bool(text is not None and seeds)
            and (text or "").count("def ") >= MIN_FUNCTIONS
            and lines_end_at_newlines(text or "")
        )

    def may_record(self, node: ast.stmt) -> bool:
        """Whether the definition's lines (decorators included) name a relevant word."""
        if not self.active:
            return True
        text, (begin, end) = self.text or "", self._span(node)
        words = set(_WORD.findall(text, begin, end))
        if not self.seeds.isdisjoint(words):
            return True
        if self._names is None:
            self._names = self._module_names()
        words.discard(getattr(node, "name", ""))  # its own ``def`` line names it
        return not self._names.isdisjoint(words)

    def methods_to_run(
        self, methods: list[FunctionNode], whole: bool, setup: Collection[str]
    ) -> set[str]:
        """The methods of a class to analyse: all of them for a Keras subclass (``whole``: its
        ``call`` is what calling it returns) or when a set-up method is relevant (what it puts
        on ``self`` reaches every method); else the relevant ones, with the set-up methods."""
        names = {m.name for m in methods}
        if whole or not self.active:
            return names
        relevant = {m.name for m in methods if self.may_record(m)}
        firsts = names & (_SETUP | set(setup))
        if relevant & firsts:
            return names
        return relevant | firsts if relevant else set()

    # ------------------------------------------------------------------ internals

    def _module_names(self) -> set[str]:
        """What the module binds: definitions, variables, and the names of imports that name a
        seed (``from keras import layers``; not ``from keras import ops``)."""
        names: set[str] = set()
        for stmt in _module_statements(self.tree.body):
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                begin, end = self._span(stmt)
                if not self.seeds.isdisjoint(_WORD.findall(self.text or "", begin, end)):
                    names.update((a.asname or a.name).split(".")[0] for a in stmt.names)
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(stmt.name)
            else:
                names.update(_stored_names(stmt))
        return names

    def _span(self, node: ast.stmt) -> tuple[int, int]:
        """Where the statement's lines, its decorators' included, are in the text."""
        if self._starts is None:
            self._starts = [0] + [m.end() for m in _NEWLINE.finditer(self.text or "")]
        starts, size = self._starts, len(self.text or "")
        first = node.lineno
        for decorator in getattr(node, "decorator_list", ()):
            first = min(first, decorator.lineno)
        last = node.end_lineno or node.lineno
        begin = starts[first - 1] if first - 1 < len(starts) else size
        end = starts[last] if last < len(starts) else size
        return begin, end


_WORD = re.compile(r"[A-Za-z_]\w*", re.ASCII)  # identifiers (ASCII: 40% faster)


def _module_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The module's statements, those in its ``if``/``try``/``with``/``for`` blocks too (not
    the bodies of its functions and classes)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, (ast.If, ast.For, ast.AsyncFor, ast.While)):
            yield from _module_statements(stmt.body + stmt.orelse)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            yield from _module_statements(stmt.body)
        elif isinstance(stmt, ast.Try):
            handlers = [s for h in stmt.handlers for s in h.body]
            yield from _module_statements(stmt.body + handlers + stmt.orelse + stmt.finalbody)


def _stored_names(stmt: ast.stmt) -> set[str]:
    """The names an assignment, ``for`` or ``with`` statement binds (not its blocks)."""
    if isinstance(stmt, ast.Assign):
        targets: list[ast.expr] = list(stmt.targets)
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
        targets = [stmt.target]
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        targets = [item.optional_vars for item in stmt.items if item.optional_vars is not None]
    else:
        return set()
    # Every name in a target: ``model``, ``a, b``, and ``cfg`` of ``cfg.model = ...``.
    return {
        node.id for target in targets for node in ast.walk(target) if isinstance(node, ast.Name)
    }
