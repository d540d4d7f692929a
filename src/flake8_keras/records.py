"""Record classes: what ``dataclasses.dataclass`` makes, for a fraction of its import cost.

flake8 imports the engine in every run that meets a Keras file. ``@dataclass`` compiles each
class's generated methods from source (one ``exec`` per method, four to six per class): for the
plugin's 50-odd record classes that was 20 ms of a 35 ms import, more than analysing a whole
200-line training script. ``record`` makes only ``__init__`` per class, the one method on a hot
path, from code compiled once at install (``record_inits``), and gives every record the same
``__eq__``, ``__hash__`` and ``__repr__``, written once here, which read the fields with
``operator.attrgetter``. mypy reads ``record`` as a dataclass (``dataclass_transform``); its
semantics are the subset of ``dataclass`` the plugin uses: defaults, ``field(default_factory=,
repr=, compare=, kw_only=)``, ``frozen``, ``eq``, inheritance from other records, methods the
class writes itself.

``frozen`` makes a record hashable by value and read-only for the type checker, which refuses
every assignment to its fields (``tests/test_records.py`` runs mypy on one); unlike
``dataclass``, it does not also refuse them at run time. That check made every record's
``__init__`` set each field through ``object.__setattr__``: 8% of the instructions of analysing
a training script, whose engine makes 15,000 records (constants, call arguments) per 40 files.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from types import FunctionType
from typing import TYPE_CHECKING, Any, TypeVar, overload

from flake8_keras.record_inits import PRECOMPILED

if TYPE_CHECKING:  # typing has it from Python 3.11; mypy checks for 3.10
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Callable[[_F], _F]:
        return lambda function: function


_C = TypeVar("_C")
_F = TypeVar("_F")
_R = TypeVar("_R")
_NOTHING: Any = object()  # no default

# The source of every record's ``__init__``, and whether its code came precompiled: what
# ``scripts/precompile_records.py`` writes, and what its test checks once the package is imported.
init_sources: dict[str, bool] = {}


class Field:
    """One field of a record: its name, default and what it takes part in."""

    __slots__ = ("name", "default", "default_factory", "repr", "compare", "kw_only")

    def __init__(
        self,
        default: Any = _NOTHING,
        default_factory: Any = _NOTHING,
        repr: bool = True,
        compare: bool = True,
        kw_only: bool = False,
    ) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare
        self.kw_only = kw_only


def field(
    *,
    default: Any = _NOTHING,
    default_factory: Callable[[], Any] = _NOTHING,
    repr: bool = True,
    compare: bool = True,
    kw_only: bool = False,
) -> Any:
    """A field with options, as ``dataclasses.field``."""
    return Field(default, default_factory, repr, compare, kw_only)


def fields(cls: type) -> tuple[Field, ...]:
    """The fields of a record class, in ``__init__`` order (inherited ones first)."""
    return tuple(cls.__dict__.get("__record_fields__", ()) or _inherited(cls))


@overload
@dataclass_transform(field_specifiers=(field, Field))
def record(cls: type[_C], /) -> type[_C]: ...
@overload
def record(*, frozen: bool = False, eq: bool = True) -> Callable[[type[_C]], type[_C]]: ...
def record(cls: Any = None, /, *, frozen: bool = False, eq: bool = True) -> Any:
    """Make ``cls`` a record: ``__init__`` from its annotated fields, ``__repr__``, and with
    ``eq`` value equality (hashable when ``frozen``; mypy refuses assigning a frozen field)."""

    def make(cls: type[_C]) -> type[_C]:
        _build(cls, frozen, eq)
        return cls

    return make if cls is None else make(cls)


def replace(obj: _R, **changes: Any) -> _R:
    """A copy of the record ``obj`` with some fields changed (``dataclasses.replace``)."""
    values = {f.name: getattr(obj, f.name) for f in fields(type(obj))}
    values.update(changes)
    return type(obj)(**values)


# ---------------------------------------------------------------------- internals


def _inherited(cls: type) -> list[Field]:
    found: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        for f in base.__dict__.get("__record_fields__", ()):
            found[f.name] = f
    return list(found.values())


def _own_fields(cls: type) -> list[Field]:
    own: list[Field] = []
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if str(annotation).replace("typing.", "").startswith("ClassVar"):
            continue
        value = cls.__dict__.get(name, _NOTHING)
        spec = value if isinstance(value, Field) else Field(default=value)
        spec.name = name
        if isinstance(value, Field):  # the class attribute is the default, as in dataclasses
            if spec.default is _NOTHING:
                delattr(cls, name)
            else:
                setattr(cls, name, spec.default)
        own.append(spec)
    return own


def _build(cls: type, frozen: bool, eq: bool) -> None:
    merged = {f.name: f for f in _inherited(cls)}
    merged.update({f.name: f for f in _own_fields(cls)})
    all_fields = tuple(merged.values())
    cls.__record_fields__ = all_fields  # type: ignore[attr-defined]
    body = cls.__dict__
    if "__init__" not in body:
        cls.__init__ = _init(cls, all_fields)  # type: ignore[misc]
    if "__repr__" not in body:
        shown = tuple(f.name for f in all_fields if f.repr)
        cls.__repr__ = _make_repr(shown)  # type: ignore[method-assign,assignment]
    if eq:
        key = _key([f.name for f in all_fields if f.compare])
        if body.get("__hash__") is None:  # none written (Python sets None with an __eq__)
            # Compared by value: hashable when frozen, unhashable when it may change.
            cls.__hash__ = _make_hash(key) if frozen else None  # type: ignore[method-assign,assignment]
        if "__eq__" not in body:
            cls.__eq__ = _make_eq(key)  # type: ignore[method-assign,assignment]


def _init(cls: type, all_fields: tuple[Field, ...]) -> Callable[..., None]:
    """``__init__``: records are made on every line the engine reads, so it is a function of its
    own, not a loop over the fields. Its code comes precompiled from ``record_inits`` (generated
    by ``scripts/precompile_records.py``) when the source matches; else it is compiled here."""
    source, defaults, kw_defaults, env = _init_parts(all_fields)
    code = PRECOMPILED.get(source)
    init_sources[source] = code is not None
    if code is None:
        namespace: dict[str, Any] = {}
        exec(source, {}, namespace)  # a ``def`` only: nothing runs, no name is looked up
        code = namespace["__init__"].__code__
    init = FunctionType(code, env, "__init__", defaults or None)
    init.__kwdefaults__ = kw_defaults or None
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _init_parts(
    all_fields: tuple[Field, ...],
) -> tuple[str, tuple[Any, ...], dict[str, Any], dict[str, Any]]:
    """The source of ``__init__`` (defaults are given to the function, not written in it, so
    records with the same fields share one code), its positional and keyword-only defaults and
    the globals its code reads (the factories)."""
    params: list[str] = []
    keyword_only: list[str] = []
    defaults: list[Any] = []
    kw_defaults: dict[str, Any] = {}
    lines: list[str] = []
    env: dict[str, Any] = {"_NOTHING": _NOTHING}
    for index, f in enumerate(all_fields):
        name = f.name
        value, default, has_default = name, f.default, f.default is not _NOTHING
        if f.default_factory is not _NOTHING:  # the default says "call the factory"
            env[f"_factory{index}"] = f.default_factory
            value = f"_factory{index}() if {name} is _NOTHING else {name}"
            default, has_default = _NOTHING, True
        if f.kw_only:
            keyword_only.append(name)
            if has_default:
                kw_defaults[name] = default
        else:
            if has_default:
                defaults.append(default)
            elif defaults:  # as ``dataclass`` says it
                raise TypeError(f"non-default argument {name!r} follows default argument")
            params.append(name)
        lines.append(f"    self.{name} = {value}")
    signature = ", ".join(["self", *params, *(["*", *keyword_only] if keyword_only else [])])
    source = f"def __init__({signature}):\n" + ("\n".join(lines) or "    pass") + "\n"
    return source, tuple(defaults), kw_defaults, env


def _key(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The compared fields of a record as one tuple."""
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return attrgetter(*names) if names else (lambda obj: ())


def _make_eq(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, object], Any]:
    def __eq__(self: Any, other: object) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return __eq__


def _make_hash(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(key(self))

    return __hash__


def _make_repr(shown: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        parts = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{type(self).__qualname__}({parts})"

    return __repr__
