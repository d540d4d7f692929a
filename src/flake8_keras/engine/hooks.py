"""Where a library teaches the interpreter its semantics (as mypy plugins do: a hook by full name).

The interpreter knows Python; what ``keras.layers.Dense(4)(x)`` or ``np.zeros((3, 4))`` means
comes from hooks registered here by the library side (``flake8_keras.keras.construct``):

- call hooks by canonical name (``numpy.zeros``), or from a provider that decides by the name
  (``get_function_hook(fullname)``), for calls of a ``SymbolRef``;
- method hooks by (value kind, name): ``model.fit(...)``, ``x.reshape(...)``, and ``__call__``
  for calling a library value (a layer applied to a tensor);
- attribute hooks by (value kind, name) for ``model.output`` and ``x.shape``;
- class hooks by a base class's canonical name: what calling a subclass defined in the file makes;
- subscript hooks by value kind, given the evaluated index parts;
- arithmetic hooks by value kind, for ``x / 255.0`` on a library value (either operand);
- module names (which imports are followed and their canonical paths), star imports, and
  observers that see every call (the file's dialect is read from them).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from flake8_keras.engine.calls import CallArgs
from flake8_keras.engine.values import BoundMethod, ClassDef, Value
from flake8_keras.records import field, fields, record


@record(frozen=True)
class SliceValue(Value):
    """One ``lower:upper:step`` part of a subscript, its bounds evaluated (absent: Const(None))."""

    lower: Value
    upper: Value
    step: Value


class Caller(Protocol):
    """The interpreter as a hook's call sees it: what it may do to the caller's state."""

    def rebind(self, target: ast.expr, value: Value, scope: Any) -> None: ...

    def literal_dims(self, value: Value) -> tuple[int, ...] | None: ...


@record(frozen=True, eq=False)
class CallContext:
    """What a hook sees of a call: its arguments, and what it may do to the caller's state."""

    args: CallArgs
    node: ast.Call
    # Diagnostics are recorded only where this is True (not while a function of the file is
    # evaluated for its return value at one call site).
    recording: bool
    caller: Caller
    scope: Any  # the caller's scope (the interpreter's; hooks never read it)

    def rebind(self, target: ast.expr, value: Value) -> None:
        """Rebind the expression a method was looked up on (``model.add`` makes a new model)."""
        self.caller.rebind(target, value, self.scope)

    def literal_dims(self, value: Value) -> tuple[int, ...] | None:
        """The array shape of a folded literal tuple (measured once, shared sub-tuples too)."""
        return self.caller.literal_dims(value)


CallHook = Callable[[CallContext], Value]
# A method hook gets the method as looked up: its owner, its name and the owner's expression.
MethodHook = Callable[[BoundMethod, CallContext], Value]
AttributeHook = Callable[[Value], Value]
ClassHook = Callable[[ClassDef, CallContext], Value]
# The index parts, evaluated only when the hook asks (none are evaluated on an unknown base).
SubscriptHook = Callable[[Value, Callable[[], list[Value]]], Value]
CallObserver = Callable[[ast.Call, Value, CallArgs], None]
ArithmeticHook = Callable[[ast.operator, Value, Value], Value]
_T = TypeVar("_T")
# A cache lookup's default: not looked up yet (a cached None means "looked up: none"). One
# sentinel for the engine's caches (hooks, expression and statement handlers).
UNRESOLVED: Any = object()


@record(frozen=True)
class MethodEntry:
    hook: MethodHook
    # The method only reads its arguments: a list or model passed to it is not forgotten.
    reads_arguments: bool


@record
class Hooks:
    """The registry the interpreter consults; empty, the interpreter is plain Python."""

    calls: dict[str, CallHook] = field(default_factory=dict)
    call_providers: list[Callable[[str], CallHook | None]] = field(default_factory=list)
    methods: dict[tuple[type, str], MethodEntry] = field(default_factory=dict)
    attributes: dict[tuple[type, str], AttributeHook] = field(default_factory=dict)
    class_providers: list[Callable[[str], ClassHook | None]] = field(default_factory=list)
    subscripts: dict[type, SubscriptHook] = field(default_factory=dict)
    arithmetic: dict[type, ArithmeticHook] = field(default_factory=dict)
    call_observers: list[CallObserver] = field(default_factory=list)
    # The keywords the observers look for in any call, whatever is called: when there are
    # some, a call that passes none of them (nor a ``**``) is not handed to the observers.
    observed_keywords: set[str] = field(default_factory=set)
    # Names without which a function body records nothing (the library's classes that make the
    # values it records): ``engine.relevance`` skips the standalone analysis of other bodies.
    # Empty: every body is analysed.
    recording_words: set[str] = field(default_factory=set)
    # Whether a body that names an import of this canonical path may record through it (a
    # Keras class or module may; numpy may not): the rest of ``engine.relevance``'s test.
    recording_symbol: Callable[[str], bool] = lambda path: True
    # A module path as imported -> its canonical path, None when its names are not followed.
    canonical_module: Callable[[str], str | None] = lambda path: None
    # A canonical module -> the names ``from it import *`` may bring in (None: not known).
    star_names: Callable[[str], frozenset[str] | None] = lambda module: None
    _resolved: dict[str, CallHook | None] = field(default_factory=dict, repr=False)
    # (value kind, method name) -> what ``method`` found; emptied when ``methods`` grows.
    _methods_found: dict[tuple[type, str], Any] = field(default_factory=dict, repr=False)

    def call_hook(self, fullname: str) -> CallHook | None:
        """The hook for a call of the symbol ``fullname``: by name, else from a provider."""
        hook = self._resolved.get(fullname, UNRESOLVED)  # one lookup: most calls are known
        if hook is not UNRESOLVED:
            return hook
        hook = self.calls.get(fullname)
        providers = iter(self.call_providers)
        while hook is None and (provider := next(providers, None)) is not None:
            hook = provider(fullname)
        if len(self._resolved) < 4096:  # a file names few symbols; bounded all the same
            self._resolved[fullname] = hook
        return hook

    def copy(self) -> Hooks:
        """A copy whose tables a file can add to without changing these (the library's hooks
        are registered once; each file adds its own, bound to its graph)."""
        tables: dict[str, Any] = {
            f.name: _copy_table(getattr(self, f.name))
            for f in fields(Hooks)
            # what a name resolves to may depend on the file's hooks
            if f.name not in ("_resolved", "_methods_found")
        }
        return Hooks(**tables)

    def method(self, owner: Value, name: str) -> MethodEntry | None:
        key = (type(owner), name)  # a method hook is looked up per value kind: once
        found = self._methods_found.get(key, _NOT_FOUND)
        if found is _NOT_FOUND:
            found = _by_kind(self.methods, owner, name)
            if len(self._methods_found) < 4096:
                self._methods_found[key] = found
        return found

    def attribute(self, owner: Value, name: str) -> AttributeHook | None:
        return _by_kind(self.attributes, owner, name)

    def class_hook(self, bases: Iterable[str]) -> ClassHook | None:
        """The hook of the first base class (by canonical name) that has one."""
        for base in bases:
            for provider in self.class_providers:
                hook = provider(base)
                if hook is not None:
                    return hook
        return None

    def subscript(self, base: Value) -> SubscriptHook | None:
        for kind in type(base).__mro__:
            if kind in self.subscripts:
                return self.subscripts[kind]
        return None

    def arithmetic_hook(self, left: Value, right: Value) -> ArithmeticHook | None:
        """The hook of the first operand whose kind has one."""
        for operand in (left, right):
            for kind in type(operand).__mro__:
                if kind in self.arithmetic:
                    return self.arithmetic[kind]
        return None

    def method_names(self, kind: type, names: Iterable[str], hook: MethodHook, reads: bool) -> None:
        """Register one hook for several methods of a value kind."""
        for name in names:
            self.methods[(kind, name)] = MethodEntry(hook, reads)
        self._methods_found.clear()


_NOT_FOUND: Any = object()  # not looked up yet


def _by_kind(table: dict[tuple[type, str], _T], owner: Value, name: str) -> _T | None:
    for kind in type(owner).__mro__:
        found = table.get((kind, name))
        if found is not None:
            return found
    return None


def _copy_table(value: object) -> object:
    """A table copied one level deep (its entries are immutable); anything else as it is."""
    if isinstance(value, (dict, list, set)):
        return type(value)(value)
    return value
