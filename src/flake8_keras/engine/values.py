"""The values the Python interpreter computes, whatever the library: Unknown, literals, sequences.

Unknown is a first-class value: anything the interpreter cannot resolve from literals and
constants (or a library hook) evaluates to ``UNKNOWN``, and no rule fires on it. Library values
(Keras layers, tensors, models: ``flake8_keras.keras.model``) subclass ``Value`` too, and say
through two class flags how the interpreter treats them, and through ``join`` how they merge.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any, ClassVar

from flake8_keras.records import field, record

if TYPE_CHECKING:
    from flake8_keras.engine.scope import Scope


class Value:
    """The base of every value the interpreter computes."""

    __slots__ = ()
    # Code the interpreter does not follow may change it in place (a list, a model): handing it
    # to such code makes the name that holds it Unknown.
    mutable: ClassVar[bool] = False
    # A definition a function body may see from the module it was defined in (a constant, an
    # import, a function, a layer object), unlike the module's changing state (models, tensors).
    definition: ClassVar[bool] = False

    def join(self, other: Value) -> Value:
        """This value where control flow merges with ``other`` (never ``self``): what both
        certainly are, Unknown unless that is provable. Kinds that can say more override it."""
        return UNKNOWN

    def same(self, other: Value) -> bool:
        """Whether ``other`` is certainly this value (a loop's fixpoint is reached when every
        name is the same as one round before). Kinds compared by identity override it."""
        return self == other


def same(a: Value, b: Value) -> bool:
    """``a`` and ``b`` are the same abstract value (the identical object, or equal in kind)."""
    return a is b or (type(a) is type(b) and a.same(b))


def join(a: Value, b: Value) -> Value:
    """The value after a merge of two paths that produced ``a`` and ``b`` (precision first)."""
    if a is b:
        return a
    if type(a) is not type(b):
        return UNKNOWN
    return a.join(b)


class _Unknown(Value):
    """The value of anything not known statically."""

    _instance: _Unknown | None = None
    definition = True

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


class _Missing(Value):
    """An argument that was not passed at all (so its documented default applies)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


@record(frozen=True)
class Const(Value):
    """A literal or a folded constant: int, float, bool, str, None, or a tuple of them."""

    value: object
    definition = True

    def join(self, other: Value) -> Value:
        return (
            self if isinstance(other, Const) and same_literal(self.value, other.value) else UNKNOWN
        )

    def same(self, other: Value) -> bool:
        return isinstance(other, Const) and same_literal(self.value, other.value)


def literal_int(value: Value) -> int | None:
    """The int a value is known to be (a bool is no int here: ``True`` folds as a flag)."""
    if isinstance(value, Const) and type(value.value) is int:
        return value.value
    return None


def same_literal(a: object, b: object) -> bool:
    """Equal and of the same types all the way down: ``1 == 1.0 == True`` fold differently.
    Folded tuples are bounded by ``budget.MAX_TUPLE_NODES``, so the walk is too."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(map(same_literal, a, b))
    return a == b


@record(frozen=True)
class SymbolRef(Value):
    """A module or symbol of Keras (canonical path ``keras.layers.LSTM``), TF or numpy."""

    path: str
    definition = True

    def join(self, other: Value) -> Value:
        return self if other == self else UNKNOWN

    @property
    def symbol(self) -> str:
        return self.path.rsplit(".", 1)[-1]


@record(frozen=True)
class Items(Value):
    """A list or tuple literal whose items are not all constants (layers, tensors...)."""

    items: tuple[Value, ...]
    mutable = True

    def join(self, other: Value) -> Value:
        """Item by item; a list whose items are not all known is Unknown as a whole."""
        if not isinstance(other, Items) or len(other.items) != len(self.items):
            return UNKNOWN
        return Items(tuple(join(a, b) for a, b in zip(self.items, other.items, strict=True)))

    def same(self, other: Value) -> bool:
        return (
            isinstance(other, Items)
            and len(other.items) == len(self.items)
            and all(map(same, self.items, other.items))
        )


@record(frozen=True)
class Entries(Value):
    """A dict literal whose keys are constants (``{"units": 64, "head": Dense(1)}``), in order."""

    keys: tuple[object, ...]
    values: tuple[Value, ...]
    mutable = True

    def get(self, key: object) -> Value | None:
        for known, value in zip(self.keys, self.values, strict=True):
            if same_literal(known, key):
                return value
        return None

    def join(self, other: Value) -> Value:
        """Key by key when both have the same keys in the same order; else Unknown."""
        if not isinstance(other, Entries) or len(other.keys) != len(self.keys):
            return UNKNOWN
        if not all(map(same_literal, self.keys, other.keys)):
            return UNKNOWN
        values = zip(self.values, other.values, strict=True)
        return Entries(self.keys, tuple(join(a, b) for a, b in values))

    def same(self, other: Value) -> bool:
        return (
            isinstance(other, Entries)
            and len(other.keys) == len(self.keys)
            and all(map(same_literal, self.keys, other.keys))
            and all(map(same, self.values, other.values))
        )


@record(frozen=True)
class FrozenEntries(Entries):
    """A module's dict of definitions that nothing in the file changes (``engine.callsites``):
    function bodies may read it."""

    mutable = False
    definition = True


@record(eq=False)
class Function(Value):
    """A function defined in the file; evaluated at call sites with literal arguments."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    scope: Scope  # where it was defined: its names as they are when it is called
    definition = True


@record(eq=False)
class ClassDef(Value):
    """A class defined in the file: its evaluated bases and what each method returned when it
    was analysed (a library hook keyed by a base's name decides what calling the class makes)."""

    node: ast.ClassDef
    bases: tuple[Value, ...] = ()
    returns: dict[str, tuple[Value, ...]] = field(default_factory=dict)
    definition = True


@record(eq=False)
class BoundMethod(Value):
    """An attribute lookup on a model or array, remembered until it is called."""

    owner: Value
    name: str
    target: ast.expr  # the expression the method was looked up on (to rebind ``model.add``)
    # The hook found when it was looked up (``Hooks.method``), kept so that the call does not
    # look it up again; None: look it up at the call.
    entry: Any = field(default=None, repr=False, compare=False)
