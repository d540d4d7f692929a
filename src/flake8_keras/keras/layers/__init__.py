"""The layer table: what each Keras layer does to a shape. Adding a layer is adding one row.

A shape function takes the layer (its evaluated constructor arguments) and the shapes of its
inputs (``None`` where unknown) and returns the output shape, or ``None`` when it is not known.
A layer missing from the table produces an unknown shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import prod

from flake8_keras.engine.values import UNKNOWN
from flake8_keras.keras.model import Dim, Layer, Shape

ShapeFn = Callable[[Layer, "list[Shape | None]"], "Shape | None"]


@dataclass(frozen=True)
class Incompatible:
    """Keras refuses to build the layer on these inputs: what kind of fault, and why."""

    kind: str  # "rank": the input rank is not one the layer takes
    reason: str
    expected: str  # e.g. "3", ">= 3"
    got: Shape


@dataclass(frozen=True)
class LayerResult:
    """A layer applied to its input shapes: the output shape (None: unknown), or a refusal."""

    shape: Shape | None
    rejected: Incompatible | None = None


@dataclass(frozen=True)
class LayerKind:
    shape: ShapeFn
    recurrent: bool = False  # needs (batch, timesteps, ...) input; may drop the time axis
    input_rank: int | None = None  # the rank the layer requires, when fixed
    masking: bool = False  # outputs a mask (Masking, Embedding(mask_zero=True))


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _first(inputs: list[Shape | None]) -> Shape | None:
    return inputs[0] if inputs else None


def _batch(shape: Shape | None) -> Dim:
    return shape.dims[0] if shape is not None and shape.rank else None


def _units(layer: Layer) -> int | None:
    value = layer.const("units", 0)
    if value is None:  # Keras 1 spelling
        value = layer.const("output_dim")
    return _int(value)


def _same(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
    return _first(inputs)


def _dense(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
    shape = _first(inputs)
    if shape is None or shape.rank < 2:
        return None
    return Shape(shape.dims[:-1] + (_units(layer),))


def recurrent_output(
    layer: Layer, shape: Shape | None, units: int | None, rank: int = 3
) -> Shape | None:
    """(batch, T, units) with return_sequences=True, else (batch, units); ConvLSTM keeps space."""
    if shape is not None and shape.rank != rank:
        return None  # it does not build; KRS103 reports it
    if layer.const("return_state", default=False) is not False:
        return None  # a list of tensors
    sequences = layer.const("return_sequences", default=False)
    if sequences is UNKNOWN or not isinstance(sequences, bool):
        return None
    batch = _batch(shape)
    steps = shape.dims[1] if shape is not None else None
    middle: tuple[Dim, ...] = (None,) * (rank - 3)
    if sequences:
        return Shape((batch, steps) + middle + (units,))
    return Shape((batch,) + middle + (units,))


def _rnn(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
    return recurrent_output(layer, _first(inputs), _units(layer))


def _cell_units(layer: Layer) -> int | None:
    cell = layer.arg("cell", 0)
    if isinstance(cell, Layer) and cell.name in ("LSTMCell", "GRUCell", "SimpleRNNCell"):
        return _units(cell)
    return None


def _generic_rnn(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
    return recurrent_output(layer, _first(inputs), _cell_units(layer))


def _conv_lstm(n: int) -> ShapeFn:
    def shape_fn(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
        return recurrent_output(layer, _first(inputs), _int(layer.const("filters", 0)), rank=n + 3)

    return shape_fn


def _bidirectional(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
    inner = layer.inner()
    if inner is None or inner.name not in LAYERS or not LAYERS[inner.name].recurrent:
        return None
    out = LAYERS[inner.name].shape(inner, inputs)
    if out is None:
        return None
    mode = layer.const("merge_mode", 1, default="concat")
    last = out.dims[-1]
    if mode == "concat":
        return Shape(out.dims[:-1] + (None if last is None else 2 * last,))
    if mode in ("sum", "mul", "ave"):
        return out
    return None


def _time_distributed(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
    shape = _first(inputs)
    inner = layer.inner()
    if shape is None or shape.rank < 3 or inner is None or inner.name not in LAYERS:
        return None
    step = LAYERS[inner.name].shape(inner, [Shape((shape.dims[0],) + shape.dims[2:])])
    if step is None:
        return None
    return Shape(shape.dims[:2] + step.dims[1:])


def _embedding(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
    shape = _first(inputs)
    if shape is None:
        return None
    return Shape(shape.dims + (_int(layer.const("output_dim", 1)),))


def _spatial(n: int, channels_from: str | None) -> ShapeFn:
    """Convolutions and pooling: rank n+2, spatial sizes left unknown."""

    def shape_fn(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
        shape = _first(inputs)
        if shape is not None and shape.rank != n + 2:
            return None
        if channels_from is None:
            channels = shape.dims[-1] if shape is not None else None
        else:
            channels = _int(layer.const(channels_from, 0))
        return Shape((_batch(shape),) + (None,) * n + (channels,))

    return shape_fn


def _global_pool(n: int) -> ShapeFn:
    def shape_fn(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
        shape = _first(inputs)
        if shape is not None and shape.rank != n + 2:
            return None
        keepdims = layer.const("keepdims", default=False)
        channels = shape.dims[-1] if shape is not None else None
        if keepdims is False:
            return Shape((_batch(shape), channels))
        if keepdims is True:
            return Shape((_batch(shape),) + (1,) * n + (channels,))
        return None

    return shape_fn


def _flatten(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
    shape = _first(inputs)
    if shape is None:
        return Shape((None, None))
    if shape.rank == 0:
        return None  # ``batch_input_shape=()``: Keras cannot build it; nothing to claim
    rest = shape.dims[1:]
    known = [d for d in rest if d is not None]
    size = prod(known) if len(known) == len(rest) else None
    return Shape((shape.dims[0], size))


def _reshape(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
    target = layer.const("target_shape", 0)
    if not isinstance(target, tuple) or not all(isinstance(d, int) for d in target):
        return None
    dims: tuple[Dim, ...] = tuple(None if d == -1 else d for d in target)
    return Shape((_batch(_first(inputs)),) + dims)


def _permute(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
    order = layer.const("dims", 0)
    if not isinstance(order, tuple) or not all(isinstance(d, int) for d in order):
        return None
    shape = _first(inputs)
    if shape is None:
        return Shape((None,) * (len(order) + 1))
    if shape.rank != len(order) + 1 or sorted(order) != list(range(1, shape.rank)):
        return None
    return Shape((shape.dims[0],) + tuple(shape.dims[d] for d in order))


def _repeat_vector(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
    shape = _first(inputs)
    if shape is not None and shape.rank != 2:
        return None
    features = shape.dims[1] if shape is not None else None
    return Shape((_batch(shape), _int(layer.const("n", 0)), features))


def _merge(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
    """Add, Multiply...: all inputs share one shape."""
    if not inputs or any(s is None for s in inputs):
        return None
    ranks = {s.rank for s in inputs if s is not None}
    return inputs[0] if len(ranks) == 1 else None


def _concatenate(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
    if not inputs or any(s is None for s in inputs):
        return None
    shapes = [s for s in inputs if s is not None]
    if len({s.rank for s in shapes}) != 1:
        return None
    axis = layer.const("axis", 0, default=-1)
    rank = shapes[0].rank
    if not isinstance(axis, int) or not -rank <= axis < rank:
        return None
    axis %= rank
    dims = list(shapes[0].dims)
    sizes = [s.dims[axis] for s in shapes]
    dims[axis] = sum(sizes) if all(d is not None for d in sizes) else None  # type: ignore[arg-type]
    return Shape(tuple(dims))


def _query(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
    """Attention layers: the output has the query's rank."""
    query = _first(inputs)
    if query is None:
        return None
    return Shape(query.dims[:-1] + (None,))


def _rows() -> dict[str, LayerKind]:
    table: dict[str, LayerKind] = {
        "Dense": LayerKind(_dense),
        "SimpleRNN": LayerKind(_rnn, recurrent=True, input_rank=3),
        "GRU": LayerKind(_rnn, recurrent=True, input_rank=3),
        "LSTM": LayerKind(_rnn, recurrent=True, input_rank=3),
        "CuDNNGRU": LayerKind(_rnn, recurrent=True, input_rank=3),
        "CuDNNLSTM": LayerKind(_rnn, recurrent=True, input_rank=3),
        "RNN": LayerKind(_generic_rnn, recurrent=True, input_rank=3),
        "Bidirectional": LayerKind(_bidirectional, recurrent=True, input_rank=3),
        "TimeDistributed": LayerKind(_time_distributed),
        "Embedding": LayerKind(_embedding),
        "Flatten": LayerKind(_flatten),
        "Reshape": LayerKind(_reshape),
        "Permute": LayerKind(_permute),
        "RepeatVector": LayerKind(_repeat_vector, input_rank=2),
        "Masking": LayerKind(_same, masking=True),
        "Concatenate": LayerKind(_concatenate),
        "Attention": LayerKind(_query),
        "AdditiveAttention": LayerKind(_query),
        "MultiHeadAttention": LayerKind(_query),
    }
    for n in (1, 2, 3):
        table[f"ConvLSTM{n}D"] = LayerKind(_conv_lstm(n), recurrent=True, input_rank=n + 3)
        for conv in (f"Conv{n}D", f"Conv{n}DTranspose", f"SeparableConv{n}D"):
            table[conv] = LayerKind(_spatial(n, "filters"), input_rank=n + 2)
        for pool in ("MaxPooling", "AveragePooling", "MaxPool", "AvgPool", "AveragePool"):
            table[f"{pool}{n}D"] = LayerKind(_spatial(n, None), input_rank=n + 2)
        for pool in ("GlobalMaxPooling", "GlobalAveragePooling", "GlobalMaxPool", "GlobalAvgPool"):
            table[f"{pool}{n}D"] = LayerKind(_global_pool(n), input_rank=n + 2)
        table[f"UpSampling{n}D"] = LayerKind(_spatial(n, None), input_rank=n + 2)
        table[f"ZeroPadding{n}D"] = LayerKind(_spatial(n, None), input_rank=n + 2)
        table[f"Cropping{n}D"] = LayerKind(_spatial(n, None), input_rank=n + 2)
        table[f"SpatialDropout{n}D"] = LayerKind(_same, input_rank=n + 2)
    table["DepthwiseConv2D"] = LayerKind(_spatial(2, None), input_rank=4)
    for name in (
        "Dropout", "Activation", "BatchNormalization", "LayerNormalization", "GroupNormalization",
        "UnitNormalization", "GaussianNoise", "GaussianDropout", "AlphaDropout",
        "ActivityRegularization", "ReLU", "LeakyReLU", "PReLU", "ELU", "ThresholdedReLU", "Softmax",
    ):  # fmt: skip
        table[name] = LayerKind(_same)
    for name in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"):
        table[name] = LayerKind(_merge)
    return table


LAYERS: dict[str, LayerKind] = _rows()

# Functional merge helpers (``concatenate([a, b])``) behave like the layer of the same name.
MERGE_FUNCTIONS: dict[str, str] = {
    "concatenate": "Concatenate",
    "add": "Add",
    "subtract": "Subtract",
    "multiply": "Multiply",
    "average": "Average",
    "maximum": "Maximum",
    "minimum": "Minimum",
}

# Cells are layer objects whose only use here is giving RNN(cell) its units.
CELLS = ("LSTMCell", "GRUCell", "SimpleRNNCell", "StackedRNNCells")


def is_recurrent(layer: Layer) -> bool:
    kind = LAYERS.get(layer.name)
    return kind is not None and kind.recurrent


def sequence_layer(layer: Layer) -> Layer:
    """The layer whose ``return_sequences`` decides the output (the inner one of Bidirectional)."""
    if layer.name == "Bidirectional":
        inner = layer.inner()
        if inner is not None:
            return inner
    return layer


def dense_params(layer: Layer, input_features: Dim) -> int | None:
    """Parameter count of a Dense layer on inputs with ``input_features`` features."""
    units = _units(layer)
    bias = layer.const("use_bias", default=True)
    if units is None or input_features is None or not isinstance(bias, bool):
        return None
    return input_features * units + (units if bias else 0)


def apply(layer: Layer, inputs: list[Shape | None]) -> LayerResult:
    """What Keras does when ``layer`` is called on inputs of these shapes (None: unknown).

    The one entry the interpreter uses for layer semantics.
    """
    rejected = _rejects(layer, inputs)
    if rejected is not None:
        return LayerResult(None, rejected)
    kind = LAYERS.get(layer.name)
    return LayerResult(kind.shape(layer, inputs) if kind is not None else None)


def _rejects(layer: Layer, shapes: list[Shape | None]) -> Incompatible | None:
    """Whether Keras refuses to build the layer on inputs of these (known) ranks."""
    first = shapes[0] if shapes else None
    if first is None:
        return None
    if layer.name == "TimeDistributed":
        expected, ok = ">= 3", first.rank >= 3
    else:
        kind = LAYERS.get(layer.name)
        if kind is None or kind.input_rank is None:
            return None
        expected, ok = str(kind.input_rank), first.rank == kind.input_rank
    if ok:
        return None
    reason = f"{layer.name} expects an input of rank {expected}, got rank {first.rank}"
    return Incompatible("rank", reason, expected, first)
