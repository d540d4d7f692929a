"""What a rule is and what it reports."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import ClassVar

from flake8_keras.keras.model import FitCall, LayerCall, ModelGraph


class Applicability(str, Enum):
    """Whether a fix may be applied without asking (ruff's safe / unsafe fixes)."""

    SAFE = "safe"  # applied by `fix`, the LSP quick fix and source.fixAll
    UNSAFE = "unsafe"  # applied only with --unsafe-fixes; ``Fix.reason`` says what changes


@dataclass(frozen=True)
class UnwrapCall:
    """Edit: replace the call ``node`` by its first positional argument (a wrapper's layer)."""

    node: ast.Call


Edit = UnwrapCall  # a union as more kinds of edit arrive


@dataclass(frozen=True)
class Fix:
    """A rewrite a rule offers with its diagnostic; consumers apply ``edit``, never parse text."""

    title: str  # what the quick fix says: "Replace TimeDistributed(Dense(15)) by Dense(15)"
    edit: Edit
    applicability: Applicability = Applicability.SAFE
    reason: str = ""  # why it is unsafe: the behaviour it changes


@dataclass(frozen=True)
class Diagnostic:
    """One finding: where (the node), what (code and message) and the claim's evidence.

    ``app`` or ``fit`` is the graph edge the claim is about, so the verifier can rebuild it and
    the fixer can rewrite it without analysing the file again.
    """

    code: str
    node: ast.AST
    message: str  # starts with the code
    app: LayerCall | None = None
    fit: FitCall | None = None
    unsafe_fix: tuple[str, ...] = field(default=())  # behaviour changes an unwrap would cause
    args: Mapping[str, object] = field(default_factory=dict)  # the message's structured arguments
    fix: Fix | None = None

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

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        raise NotImplementedError
