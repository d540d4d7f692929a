"""The values the model-graph interpreter computes: shapes, layers, tensors, models.

Unknown is a first-class value: anything the interpreter cannot resolve from literals,
constants and Keras calls evaluates to ``UNKNOWN``, and no rule fires on it.
"""

from __future__ import annotations

import ast
from copy import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from flake8_keras.graph.scope import Scope

Dim = Union[int, None]


@dataclass(frozen=True)
class Shape:
    """A tensor or array shape; ``dims[0]`` is the batch (or sample) axis."""

    dims: tuple[Dim, ...]

    @property
    def rank(self) -> int:
        return len(self.dims)

    def __str__(self) -> str:
        inner = ", ".join("None" if d is None else str(d) for d in self.dims)
        return f"({inner},)" if len(self.dims) == 1 else f"({inner})"


class _Unknown:
    """The value of anything not known statically."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


class _Missing:
    """An argument that was not passed at all (so its documented default applies)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


@dataclass(frozen=True)
class Const:
    """A literal or a folded constant: int, float, bool, str, None, or a tuple of them."""

    value: object


@dataclass(frozen=True)
class KerasRef:
    """A module or symbol of Keras (canonical path ``keras.layers.LSTM``), TF or numpy."""

    path: str

    @property
    def symbol(self) -> str:
        return self.path.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Items:
    """A list or tuple literal whose items are not all constants (layers, tensors...)."""

    items: tuple[Value, ...]


@dataclass(eq=False)
class Layer:
    """A Keras layer object: the constructor call and its evaluated arguments."""

    name: str  # canonical class name, e.g. "LSTM"
    node: ast.Call
    args: tuple[Value, ...]
    kwargs: dict[str, Value]
    open_args: bool = False  # a *args was passed: later positions are unknown
    open_kwargs: bool = False  # a **kwargs was passed: absent keywords are unknown

    def arg(self, key: str, pos: int | None = None) -> Value:
        """The value passed for a parameter; MISSING when absent; UNKNOWN if it may be in */**."""
        if key in self.kwargs:
            return self.kwargs[key]
        if pos is not None:
            if pos < len(self.args):
                return self.args[pos]
            if self.open_args:
                return UNKNOWN
        return UNKNOWN if self.open_kwargs else MISSING

    def const(self, key: str, pos: int | None = None, default: object = None) -> object:
        """The literal value of a parameter, its default when absent, UNKNOWN otherwise."""
        value = self.arg(key, pos)
        if value is MISSING:
            return default
        if isinstance(value, Const):
            return value.value
        return UNKNOWN

    def inner(self) -> Layer | None:
        """The wrapped layer of a wrapper (TimeDistributed, Bidirectional)."""
        value = self.arg("layer", 0)
        return value if isinstance(value, Layer) else None


@dataclass(eq=False)
class LayerApp:
    """One application of a layer to its inputs: an edge of the model graph."""

    layer: Layer
    inputs: tuple[Tensor, ...]
    node: ast.AST  # the call that applied the layer (the constructor call in Sequential)
    output: Tensor | None = None


@dataclass(eq=False)
class Tensor:
    """A symbolic tensor (or a training array) of known or unknown shape."""

    shape: Shape | None
    producer: LayerApp | None = None
    # The last layer that decided whether there is a time axis: a recurrent layer keeping or
    # dropping it, Flatten or global pooling dropping it, RepeatVector creating it.
    time_event: LayerApp | None = None
    masked: bool = False
    broken: bool = False  # produced by (or downstream of) a layer that cannot build


@dataclass(eq=False)
class Model:
    """A Keras model: Sequential (layers applied in order), functional, or subclassed."""

    kind: str
    node: ast.AST
    output: Tensor | None  # None: the output is not known
    layer_count: int = 0
    loss: Value = MISSING

    def evolve(self, **changes: object) -> Model:
        """A copy with some fields changed (models are values: ``add`` makes a new one)."""
        new = copy(self)
        new.__dict__.update(changes)
        return new


@dataclass(eq=False)
class Function:
    """A function defined in the file; evaluated at call sites with literal arguments."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    scope: Scope  # where it was defined: its names as they are when it is called


@dataclass(eq=False)
class ClassDef:
    """A class defined in the file; ``model`` is set when it subclasses a Keras Model."""

    node: ast.ClassDef
    model_output: Tensor | None = None
    is_keras_model: bool = False


@dataclass(eq=False)
class Method:
    """An attribute lookup on a model or array, remembered until it is called."""

    owner: Value
    name: str
    target: ast.expr  # the expression the method was looked up on (to rebind ``model.add``)


@dataclass(eq=False)
class FitCall:
    """A training or evaluation call with its targets: ``fit``, ``evaluate``, ``train_on_batch``."""

    model: Model
    method: str
    y: Value
    y_node: ast.expr


Value = Union[
    _Unknown, _Missing, Const, KerasRef, Items, Layer, Tensor, Model, Function, ClassDef, Method
]
