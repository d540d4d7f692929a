"""The Keras model graph: shapes, layers, their applications (edges), tensors, models, fits.

``ModelGraph`` is what rules read: every layer application and every training call of a file.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, Union

from flake8_keras.engine.calls import CallArgs
from flake8_keras.engine.values import MISSING, UNKNOWN, Const, Value, same
from flake8_keras.records import field, record

if TYPE_CHECKING:
    from flake8_keras.keras.layers.spec import Incompatible

Dim = Union[int, None]
_SAME: Any = object()  # ``Model.evolve``: the field keeps its value
_Derived = TypeVar("_Derived")


@record(frozen=True)
class Shape:
    """A tensor or array shape; ``dims[0]`` is the batch (or sample) axis."""

    dims: tuple[Dim, ...]

    def __init__(self, dims: tuple[Dim, ...]) -> None:
        # Its own constructor: mypy reads every assignment to a frozen field as an error.
        self.dims = dims  # type: ignore[misc]
        # len(dims), kept (not a field: derived): read a dozen times per layer application
        self.rank = len(dims)

    def __str__(self) -> str:
        inner = ", ".join(map(str, self.dims))  # an int, or None for an unknown size
        return f"({inner},)" if len(self.dims) == 1 else f"({inner})"


def dims_of(value: Value, *, unknown_dims: bool = False) -> tuple[Dim, ...] | None:
    """The dims a literal shape argument gives: an int or a tuple of non-negative ints (and
    ``None`` for an unknown size where ``unknown_dims``); None for anything else."""
    if not isinstance(value, Const):
        return None
    raw = value.value
    items = (raw,) if isinstance(raw, int) else raw
    if not isinstance(items, tuple):
        return None
    for d in items:
        known = isinstance(d, int) and not isinstance(d, bool) and d >= 0
        if not (known or (unknown_dims and d is None)):
            return None
    return items


@record(eq=False)
class Layer(Value):
    """A Keras layer object: the constructor call and its evaluated arguments."""

    name: str  # canonical class name, e.g. "LSTM"
    node: ast.Call
    call: CallArgs = field(default_factory=CallArgs)  # the constructor's arguments
    definition = True  # a layer object made in the module may be used by its functions

    @property
    def args(self) -> tuple[Value, ...]:
        return self.call.args

    @property
    def kwargs(self) -> Mapping[str, Value]:
        return self.call.kwargs

    @property
    def open_args(self) -> bool:
        """A ``*args`` was passed: later positions are unknown."""
        return self.call.open_args

    @property
    def open_kwargs(self) -> bool:
        """A ``**kwargs`` was passed: absent keywords are unknown."""
        return self.call.open_kwargs

    def arg(self, key: str, pos: int | None = None) -> Value:
        """The value passed for a parameter; MISSING when absent; UNKNOWN if it may be in */**."""
        return self.call.value(key, pos)

    def const(self, key: str, pos: int | None = None, default: object = None) -> object:
        """The literal value of a parameter, its default when absent, UNKNOWN otherwise."""
        value = self.call.value(key, pos)  # ``arg``, inline: layer specs read many constants
        if value is MISSING:
            return default
        if isinstance(value, Const):
            return value.value
        return UNKNOWN

    def inner(self) -> Layer | None:
        """The wrapped layer of a wrapper (TimeDistributed, Bidirectional)."""
        value = self.arg("layer", 0)
        return value if isinstance(value, Layer) else None


@record(eq=False)
class LayerCall:
    """One application of a layer to its inputs: an edge of the model graph."""

    layer: Layer
    inputs: tuple[Tensor, ...]
    node: ast.AST  # the call that applied the layer (the constructor call in Sequential)
    output: Tensor | None = None
    # What the layer's spec refused when it was applied to these inputs (None: nothing), kept
    # so that the KRS5xx rules do not apply every layer a second time.
    fault: Incompatible | None = None


# Steps followed back from a tensor to its model input (a chain of first inputs).
MAX_CHAIN = 1_000


def chain(tensor: Tensor) -> list[Tensor]:
    """The tensors from the model input to ``tensor`` along first inputs (input first)."""
    out = [tensor]
    current = tensor
    for _ in range(MAX_CHAIN):
        producer = current.producer
        if producer is None or not producer.inputs:
            break
        current = producer.inputs[0]
        out.append(current)
    return out[::-1]


@record(frozen=True)
class ValueBound:
    """The integers an array holds, all in ``[low, high]``: a literal (``high`` is one of them)
    or a uniform random draw (``drawn``: ``high`` is present only with some probability, and
    ``least`` is how many values the array holds at least when its shape does not say)."""

    low: int
    high: int
    drawn: bool
    least: int = 0


@record(eq=False)
class Tensor(Value):
    """A symbolic tensor (or a training array) of known or unknown shape."""

    shape: Shape | None
    producer: LayerCall | None = None
    # The last layer that decided whether there is a time axis: a recurrent layer keeping or
    # dropping it, Flatten or global pooling dropping it, RepeatVector creating it.
    time_event: LayerCall | None = None
    masked: bool = False
    broken: bool = False  # produced by (or downstream of) a layer that cannot build
    values: ValueBound | None = None  # the integer labels of a training array, when known

    def join(self, other: Value) -> Value:
        """The same array or tensor on both paths: equal shapes and the same history (the
        producing layer call is what rules cite, so it must be the same one).

        Sequences of the same rank on both paths (a loop that stacks ``LSTM(...,
        return_sequences=True)`` 0 or more times) keep their rank, the dims they agree on and
        the history they share; rules that explain a missing time axis need rank 2 and a
        history, so they stay silent on such a join."""
        if not isinstance(other, Tensor) or self.shape is None or other.shape is None:
            return UNKNOWN
        if (
            other.shape == self.shape
            and other.producer is self.producer
            and other.time_event is self.time_event
            and (other.masked, other.broken) == (self.masked, self.broken)
        ):
            values = self.values if other.values == self.values else None
            return Tensor(
                self.shape, self.producer, self.time_event, self.masked, self.broken, values
            )
        if self.shape.rank < 3 or other.shape.rank != self.shape.rank:
            return UNKNOWN
        if self.masked != other.masked:
            return UNKNOWN  # mask bookkeeping is a rule's evidence: not guessed
        dims = tuple(
            a if a == b else None for a, b in zip(self.shape.dims, other.shape.dims, strict=True)
        )
        return Tensor(
            Shape(dims),
            self.producer if other.producer is self.producer else None,
            self.time_event if other.time_event is self.time_event else None,
            self.masked,
            self.broken or other.broken,
        )

    def same(self, other: Value) -> bool:
        return (
            isinstance(other, Tensor)
            and other.shape == self.shape
            and other.producer is self.producer
            and other.time_event is self.time_event
            and (other.masked, other.broken) == (self.masked, self.broken)
            and other.values == self.values
        )


@record(eq=False)
class Model(Value):
    """A Keras model: Sequential (layers applied in order), functional, or subclassed."""

    kind: str
    node: ast.AST
    output: Tensor | None  # None: the output is not known
    mutable = True  # ``add``/``pop``/``compile`` change it: code not followed may call them
    layer_count: int = 0
    loss: Value = MISSING

    def join(self, other: Value) -> Value:
        """The same model on both paths (one constructor call), its output joined: a loop
        that adds layers 0 or more times keeps what every path agrees on."""
        if not isinstance(other, Model) or (other.kind, other.node) != (self.kind, self.node):
            return UNKNOWN
        output: Tensor | None = None
        if self.output is not None and other.output is not None:
            joined = self.output.join(other.output)
            output = joined if isinstance(joined, Tensor) else None
        loss = self.loss if same(self.loss, other.loss) else UNKNOWN
        # Layer counts are read only as "has a first layer" (whose ``input_shape=`` counts):
        # counts that differ join to 1, so a loop's rounds settle. Joined with 0 layers, the
        # output stays known only when an ``Input`` item gave it.
        counts = (self.layer_count, other.layer_count)
        count = counts[0] if counts[0] == counts[1] else 1
        return self.evolve(output=output, layer_count=count, loss=loss)

    def same(self, other: Value) -> bool:
        if not isinstance(other, Model) or (other.kind, other.node) != (self.kind, self.node):
            return False
        outputs = (self.output, other.output)
        return (
            (outputs == (None, None) or (None not in outputs and same(self.output, other.output)))  # type: ignore[arg-type]
            and self.layer_count == other.layer_count
            and same(self.loss, other.loss)
        )

    def evolve(
        self,
        *,
        output: Tensor | None = _SAME,
        layer_count: int = _SAME,
        loss: Value = _SAME,
    ) -> Model:
        """A copy with some fields changed (models are values: ``add`` makes a new one). Its
        own constructor call: copying ``__dict__`` made both objects' attribute dicts."""
        return Model(
            self.kind,
            self.node,
            self.output if output is _SAME else output,
            self.layer_count if layer_count is _SAME else layer_count,
            self.loss if loss is _SAME else loss,
        )


@record(eq=False)
class FitCall:
    """A training or evaluation call with its targets: ``fit``, ``evaluate``, ``train_on_batch``."""

    model: Model
    method: str
    y: Value
    y_node: ast.expr


@record(eq=False)
class DataCall:
    """A call that hands arrays to a model: ``fit``, ``evaluate``, ``predict``, the ``*_on_batch``
    methods, ``validation_data=(x, y)`` and ``model(x)``; x and y as passed (MISSING: absent)."""

    model: Model
    method: str  # "fit", "predict", "fit validation_data", "__call__"...
    x: Value
    x_node: ast.expr | None
    y: Value = MISSING
    y_node: ast.expr | None = None


@record(frozen=True, eq=False)
class ArrayShape(Const):
    """``X.shape`` of an array: its sample axis included (``None`` where the count is unknown),
    so a declared input built from it can be told from a literal one."""


@record
class ModelGraph:
    """Everything the rules need: the layer applications, the training calls, file-level facts."""

    apps: list[LayerCall] = field(default_factory=list)
    fits: list[FitCall] = field(default_factory=list)
    data: list[DataCall] = field(default_factory=list)  # every call that hands a model arrays
    keras1: bool = False  # the file uses Keras 1 APIs (Dense needed TimeDistributed then)
    # Statements whose analysis raised (an engine bug), with the exception's type name: each
    # cost only itself, and the consumers report it (KRS001) instead of dropping the file.
    errors: list[tuple[ast.stmt, str]] = field(default_factory=list)
    # What the rules derive from the finished graph (its fits with known shapes, its refusals),
    # kept so that the several rules asking the same question compute it once.
    _derived: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    # Every layer call made, recorded or not (a fixpoint round, a call evaluated for its value):
    # each points at its output and its output at it, a cycle that ``release`` breaks.
    _made: list[LayerCall] = field(default_factory=list, repr=False, compare=False)
    # Layer class -> the positions of its applications in ``apps`` (``record``, ``apps_of``)
    _by_layer: dict[str, list[int]] = field(default_factory=dict, repr=False, compare=False)
    # The applications whose spec refused something (``LayerCall.fault``), in order
    _faulty: list[LayerCall] = field(default_factory=list, repr=False, compare=False)

    def release(self) -> None:
        """Break the graph's cycles once the rules are done (a layer call and the tensor it
        made point at each other), so that its values are freed at once, not left to the
        collector: in a flake8 run each collection scans every tree flake8 holds."""
        for app in self._made:
            app.output = None
        self._made.clear()
        self._derived.clear()

    def made(self, app: LayerCall, output: Tensor, *, recorded: bool = False) -> None:
        """``app`` made ``output`` (see ``release``); ``recorded``: and it is one of ``apps``
        (``record``)."""
        app.output = output
        self._made.append(app)
        if recorded:
            self.record(app)

    def record(self, app: LayerCall) -> None:
        """Add an application to ``apps``, indexed by its layer's class as it is made (read
        again once the graph is done, every application would be a cache miss)."""
        positions = self._by_layer.get(app.layer.name)
        if positions is None:
            self._by_layer[app.layer.name] = [len(self.apps)]
        else:
            positions.append(len(self.apps))
        if app.fault is not None:
            self._faulty.append(app)
        self.apps.append(app)

    def faulty(self) -> list[LayerCall]:
        """The recorded applications with a ``fault``, in order (few: the KRS5xx rules read
        these, not every application again)."""
        return self._faulty

    def apps_of(self, names: Collection[str]) -> list[LayerCall]:
        """The applications of the layers of these classes, in order: a rule about one kind of
        layer tests its few applications, not every one of the file."""
        index = self._by_layer
        found = [index[name] for name in names if name in index]
        if len(found) == 1:
            return [self.apps[i] for i in found[0]]
        return [self.apps[i] for i in sorted(i for positions in found for i in positions)]

    def derived(self, key: str, compute: Callable[[ModelGraph], _Derived]) -> _Derived:
        """``compute(self)``, once per graph and key (call it only on a finished graph)."""
        if key not in self._derived:
            self._derived[key] = compute(self)
        return self._derived[key]  # type: ignore[return-value]
