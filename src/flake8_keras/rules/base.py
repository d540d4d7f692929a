"""What a rule is and what it reports."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from flake8_keras.graph.build import Graph
from flake8_keras.graph.values import FitCall, LayerApp


@dataclass(frozen=True)
class Diagnostic:
    """One finding: where (the node), what (code and message) and the claim's evidence.

    ``app`` or ``fit`` is the graph edge the claim is about, so the verifier can rebuild it and
    the fixer can rewrite it without analysing the file again.
    """

    code: str
    node: ast.AST
    message: str  # starts with the code
    app: LayerApp | None = None
    fit: FitCall | None = None
    unsafe_fix: tuple[str, ...] = field(default=())  # behaviour changes an unwrap would cause

    @property
    def line(self) -> int:
        return getattr(self.node, "lineno", 1)

    @property
    def byte_col(self) -> int:
        return getattr(self.node, "col_offset", 0)


class Rule:
    """A rule: its code, kebab-case name, one-line summary, and the check over a graph."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]

    def check(self, graph: Graph) -> Iterator[Diagnostic]:
        raise NotImplementedError
