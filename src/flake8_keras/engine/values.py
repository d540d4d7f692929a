"""The values the Python interpreter computes, whatever the library: Unknown, literals, sequences.

Unknown is a first-class value: anything the interpreter cannot resolve from literals and
constants (or a library hook) evaluates to ``UNKNOWN``, and no rule fires on it. Library values
(Keras layers, tensors, models: ``flake8_keras.keras.model``) subclass ``Value`` too.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flake8_keras.engine.scope import Scope
    from flake8_keras.keras.model import Tensor


class Value:
    """The base of every value the interpreter computes."""

    __slots__ = ()


class _Unknown(Value):
    """The value of anything not known statically."""

    _instance: _Unknown | None = None

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


@dataclass(frozen=True)
class Const(Value):
    """A literal or a folded constant: int, float, bool, str, None, or a tuple of them."""

    value: object


@dataclass(frozen=True)
class SymbolRef(Value):
    """A module or symbol of Keras (canonical path ``keras.layers.LSTM``), TF or numpy."""

    path: str

    @property
    def symbol(self) -> str:
        return self.path.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Items(Value):
    """A list or tuple literal whose items are not all constants (layers, tensors...)."""

    items: tuple[Value, ...]


@dataclass(eq=False)
class Function(Value):
    """A function defined in the file; evaluated at call sites with literal arguments."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    scope: Scope  # where it was defined: its names as they are when it is called


@dataclass(eq=False)
class ClassDef(Value):
    """A class defined in the file; ``model`` is set when it subclasses a Keras Model."""

    node: ast.ClassDef
    model_output: Tensor | None = None
    is_keras_model: bool = False


@dataclass(eq=False)
class BoundMethod(Value):
    """An attribute lookup on a model or array, remembered until it is called."""

    owner: Value
    name: str
    target: ast.expr  # the expression the method was looked up on (to rebind ``model.add``)
