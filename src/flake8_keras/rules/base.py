"""What a rule is and what it reports."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping
from enum import Enum
from typing import ClassVar

from flake8_keras.keras.model import FitCall, LayerCall, ModelGraph
from flake8_keras.records import field, record
from flake8_keras.rules.cases import Invalid, Valid


class Applicability(str, Enum):
    """Whether a fix may be applied without asking (ruff's safe / unsafe fixes)."""

    SAFE = "safe"  # applied by `fix`, the LSP quick fix and source.fixAll
    UNSAFE = "unsafe"  # applied only with --unsafe-fixes; ``Fix.reason`` says what changes


@record(frozen=True)
class UnwrapCall:
    """Edit: replace the call ``node`` by its first positional argument (a wrapper's layer)."""

    node: ast.Call


Edit = UnwrapCall  # a union as more kinds of edit arrive


@record(frozen=True)
class Fix:
    """A rewrite a rule offers with its diagnostic; consumers apply ``edit``, never parse text."""

    title: str  # what the quick fix says: "Remove the redundant TimeDistributed around Dense(15)"
    edit: Edit
    applicability: Applicability = Applicability.SAFE
    reason: str = ""  # why it is unsafe: the behaviour it changes


class Args(Mapping[str, object]):
    """A diagnostic's arguments: the headline's, given, and the others (the explanation's, the
    fixer's, the verifier's), made by ``details`` the first time any of them is read. flake8
    prints headlines, and a generated 5,000-line file has hundreds of findings, each of whose
    explanation describes its layers at length (3% of such a file's analysis).

    ``details`` runs after the graph is released (``ModelGraph.release`` clears each layer
    application's ``output``): it may read layers, tensors and their producers, not outputs."""

    __slots__ = ("_given", "_details", "_all")

    def __init__(
        self, given: Mapping[str, object], details: Callable[[], Mapping[str, object]]
    ) -> None:
        self._given = given
        self._details: Callable[[], Mapping[str, object]] | None = details
        self._all: Mapping[str, object] | None = None

    def _complete(self) -> Mapping[str, object]:
        if self._all is None:
            details, self._details = self._details, None
            self._all = {**self._given, **(details() if details is not None else {})}
        return self._all

    def __getitem__(self, key: str) -> object:
        return self._complete()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._complete())

    def __len__(self) -> int:
        return len(self._complete())

    def __repr__(self) -> str:
        return repr(dict(self._complete()))


@record(frozen=True)
class Diagnostic:
    """One finding: where (the node), what (code and message) and the claim's evidence.

    ``app`` or ``fit`` is the graph edge the claim is about, so the verifier can rebuild it and
    the fixer can rewrite it without analysing the file again.
    """

    code: str
    node: ast.AST
    message: str  # the headline, starts with the code; names no line (stays true under nbqa)
    app: LayerCall | None = None
    fit: FitCall | None = None
    args: Mapping[str, object] = field(default_factory=dict)  # the message's structured arguments
    fix: Fix | None = None
    # other places the claim is about, as (what it is, node): the layer that dropped the time
    # axis, the compile call... Editors show them as relatedInformation, SARIF as relatedLocations.
    related: tuple[tuple[str, ast.AST], ...] = ()
    # The rule's explanation ("": none), filled from ``args`` only when read: most runs print
    # headlines, and a generated file has hundreds of findings.
    template: str = field(default="", repr=False, compare=False)
    # (line, byte column) of ``node``, read when the rule made the diagnostic (its node is in
    # cache then; sorting and printing hundreds of findings read it again): None, from the node
    position: tuple[int, int] | None = field(default=None, repr=False, compare=False)

    @property
    def explanation(self) -> str:
        """The long form, starting with the code, when the rule has one; else the headline."""
        if self.template:
            return f"{self.code} {self.template.format_map(self.args)}"
        return self.message

    @property
    def line(self) -> int:
        position = self.position
        return position[0] if position is not None else getattr(self.node, "lineno", 1)

    @property
    def byte_col(self) -> int:
        position = self.position
        return position[1] if position is not None else getattr(self.node, "col_offset", 0)


class Rule:
    """A rule, all in its own module: what the docs, the tests, the gate and the registry need.

    The class docstring is the rule's documentation in ruff's sections (``## What it does``,
    ``## Why is this bad?``, ``## Example``, ``## Use instead``, then ``## Notes`` and
    ``## Fix safety`` when they apply); ``scripts/document_rules.py`` puts the code of the first
    INVALID case under ``## Example`` and its fix (or the first VALID case) under
    ``## Use instead``, so every example in the docs is a tested case.
    """

    code: ClassVar[str]
    name: ClassVar[str]  # kebab-case
    summary: ClassVar[str]  # one line, for the README table and the report formats
    reported_at: ClassVar[str]  # where the diagnostic points, for the README table
    # The gate (``rules.may_trigger``) skips files that contain none of these substrings: a
    # file must mention one of them for the rule to report anything. The gate is their union.
    triggers: ClassVar[tuple[str, ...]]
    # ...and one word of each of these groups too (a rule on training calls needs a `fit` AND a
    # declared input): the gate then skips library code that only mentions a layer's name.
    requires: ClassVar[tuple[tuple[str, ...], ...]] = ()
    # str.format templates of the text after the code; keys are ``args``. ``message`` is the
    # headline flake8 prints: about 100 characters, the layer, the shapes and the fix, and no
    # "line N" (under nbqa and in editors a line number inside the text points elsewhere;
    # ``related`` carries the other places). ``explanation`` is the long form
    # (``--keras-long-messages``, ``flake8-keras rule``), which may say more and name lines.
    message: ClassVar[str]
    explanation: ClassVar[str] = ""
    fixable: ClassVar[bool] = False  # the diagnostic carries a ``Fix`` (docs: ``## Fix safety``)
    VALID: ClassVar[tuple[Valid, ...]] = ()  # files it must stay silent on (its own code)
    INVALID: ClassVar[tuple[Invalid, ...]] = ()  # files with ``# KRS101: col`` marks

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        raise NotImplementedError

    def report(
        self,
        node: ast.AST,
        args: Mapping[str, object],
        *,
        app: LayerCall | None = None,
        fit: FitCall | None = None,
        fix: Fix | None = None,
        related: tuple[tuple[str, ast.AST], ...] = (),
        details: Callable[[], Mapping[str, object]] | None = None,
    ) -> Diagnostic:
        """The diagnostic with ``message`` filled from ``args`` (and ``explanation`` when read);
        ``details``, the arguments only the explanation and the consumers read, when one of
        them is read (``Args``)."""
        code = self.code
        return Diagnostic(  # by position, in the fields' order (hundreds in a generated file)
            code,
            node,
            f"{code} {self.message.format_map(args)}",
            app,
            fit,
            args if details is None else Args(args, details),
            fix,
            related,
            self.explanation,
            (getattr(node, "lineno", 1), getattr(node, "col_offset", 0)),
        )
