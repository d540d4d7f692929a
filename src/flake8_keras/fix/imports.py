"""Remove a module-level ``from ...keras... import TimeDistributed`` that the fix left unused.

Only top-level ``from`` imports are touched: an import inside a function, ``if`` or ``try`` may
be a deliberate fallback, and removing it could leave an empty block.
"""

from __future__ import annotations

from collections.abc import Collection

import libcst as cst

from flake8_keras.keras.imports import canonical_module, is_keras

WRAPPER = "TimeDistributed"


def remove_unused_imports(module: cst.Module, names: Collection[str]) -> cst.Module:
    """``module`` without the import of each name of ``names`` that nothing uses any more."""
    usage = _Usage(set(names))
    module.visit(usage)
    unused = set(names) - usage.used
    if not unused:
        return module
    body = []
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            new = _without(statement, unused)
            if new is None:
                continue
            statement = new
        body.append(statement)
    return module.with_changes(body=body)


class _Usage(cst.CSTVisitor):
    """Which of the names are still referenced (a Name outside imports, or a string: __all__)."""

    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self.names = names
        self.used: set[str] = set()

    def visit_ImportAlias(self, node: cst.ImportAlias) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in self.names:
            self.used.add(node.value)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = node.evaluated_value
        if isinstance(value, str) and value in self.names:
            self.used.add(value)


def _binds(alias: cst.ImportAlias, unused: set[str]) -> bool:
    if not isinstance(alias.name, cst.Name) or alias.name.value != WRAPPER:
        return False
    bound = alias.asname.name if alias.asname is not None else alias.name
    return isinstance(bound, cst.Name) and bound.value in unused


def _is_keras_module(path: str) -> bool:
    """The same import-path resolution as the linter (``tensorflow.keras.layers`` is Keras)."""
    canonical = canonical_module(path)
    return canonical is not None and is_keras(canonical)


def _without(line: cst.SimpleStatementLine, unused: set[str]) -> cst.SimpleStatementLine | None:
    body: list[cst.BaseSmallStatement] = []
    for small in line.body:
        if (
            isinstance(small, cst.ImportFrom)
            and small.module is not None
            and not small.relative
            and _is_keras_module(cst.Module([]).code_for_node(small.module))
            and not isinstance(small.names, cst.ImportStar)
        ):
            aliases = list(small.names)
            keep = [a for a in aliases if not _binds(a, unused)]
            if not keep:
                continue
            if len(keep) < len(aliases):
                if keep[-1] is not aliases[-1]:
                    # the last alias went: the new last one takes its comma (none, or the
                    # trailing comma of a parenthesised list), so no dangling comma remains
                    keep[-1] = keep[-1].with_changes(comma=aliases[-1].comma)
                small = small.with_changes(names=keep)
        body.append(small)
    if not body:
        return None
    if len(body) < len(line.body):
        # the removed statement may have been the last one: drop a dangling semicolon
        body[-1] = body[-1].with_changes(semicolon=line.body[-1].semicolon)
    return line.with_changes(body=body)
