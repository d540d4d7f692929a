"""Shapes of the arrays handed to ``fit``: numpy and TensorFlow constructors, reshapes, indexing.

Only what is built from literals and folded constants (and the known data APIs of
``datasets``) is known. Arrays loaded from files, generators, ``tf.data``, pandas and function
parameters stay UNKNOWN.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from functools import partial
from math import prod

from flake8_keras.engine.budget import range_length
from flake8_keras.engine.calls import CallArgs
from flake8_keras.engine.hooks import CallContext, Hooks, SliceValue
from flake8_keras.engine.values import (
    MISSING,
    UNKNOWN,
    BoundMethod,
    Const,
    Items,
    SymbolRef,
    Value,
    literal_int,
)
from flake8_keras.keras import datasets, label_values
from flake8_keras.keras.model import ArrayShape, Dim, Shape, Tensor, dims_of
from flake8_keras.records import record

_SAME_SHAPE_METHODS = frozenset({"astype", "copy", "numpy"})
# numpy functions whose result has the shape of their first argument (a shifted or flipped copy)
_SAME_SHAPE_FUNCTIONS = frozenset(
    {"numpy.roll", "numpy.flip", "numpy.copy", "numpy.abs", "numpy.sqrt", "numpy.log1p"}
)
_ARRAY_METHODS = _SAME_SHAPE_METHODS | {"reshape", "flatten", "ravel", "transpose"}
# Element-wise arithmetic with a scalar or an array of the same shape keeps the shape.
_ELEMENTWISE = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)

# numpy.random functions whose shape comes from ``size=`` (positional index of size).
_SIZE_POSITION = {
    "numpy.random.random": 0,
    "numpy.random.random_sample": 0,
    "numpy.random.sample": 0,
    "numpy.random.randint": 2,
    "numpy.random.normal": 2,
    "numpy.random.uniform": 2,
    "numpy.random.binomial": 2,
    "numpy.random.choice": 1,
}
# numpy.random.Generator methods (``np.random.default_rng().integers(...)``): size's position.
_GENERATOR_SIZE_POSITION = {
    "random": 0, "standard_normal": 0, "integers": 2, "normal": 2, "uniform": 2,
}  # fmt: skip


@record(frozen=True)
class RandomGenerator(Value):
    """``np.random.default_rng(seed)``: its methods make arrays of the ``size`` given."""


_SHAPE_FIRST = {
    "numpy.zeros", "numpy.ones", "numpy.empty", "numpy.full",
    "tensorflow.zeros", "tensorflow.ones", "tensorflow.fill",
    "tensorflow.random.normal", "tensorflow.random.uniform",
}  # fmt: skip


def array(dims: tuple[Dim, ...] | None) -> Value:
    return Tensor(Shape(dims)) if dims is not None else UNKNOWN


def register(hooks: Hooks) -> None:
    """numpy and TensorFlow array constructors, array methods, attributes and indexing."""
    for path in _CONSTRUCTORS:
        hooks.calls[path] = partial(_construct, path)
    hooks.method_names(Tensor, _ARRAY_METHODS, _call_method, reads=False)
    hooks.calls["numpy.random.default_rng"] = lambda context: RandomGenerator()
    hooks.method_names(RandomGenerator, _GENERATOR_SIZE_POSITION, _generate, reads=True)
    hooks.attributes[(Tensor, "T")] = _transpose
    hooks.attributes[(Tensor, "shape")] = _shape_attribute
    hooks.subscripts[Tensor] = _subscript
    hooks.subscripts[ArrayShape] = _shape_subscript
    hooks.arithmetic[Tensor] = _arithmetic
    hooks.calls["numpy.arange"] = _arange
    datasets.register(hooks)
    split = hooks.calls.get("sklearn.model_selection.train_test_split")
    if split is not None:
        hooks.calls["sklearn.model_selection.train_test_split"] = partial(_split_labels, split)


def _split_labels(split: Callable[[CallContext], Value], context: CallContext) -> Value:
    """``train_test_split`` (datasets' shapes) with the label bounds of its arrays kept."""
    return label_values.split(split(context), context.args.args, context.args)


def _arange(context: CallContext) -> Value:
    """``np.arange`` of literal ints: (length,) and its values."""
    known = label_values.arange(context.args)
    if known is None:
        return UNKNOWN
    length, bound = known
    return Tensor(Shape((length,)), values=bound)


def _construct(path: str, context: CallContext) -> Value:
    return call_array_constructor(path, context.args, context.literal_dims)


# Constructors of an array from a literal or another array; ``dtype`` is their second argument.
_ARRAY_OF = ("numpy.array", "numpy.asarray", "tensorflow.constant", "tensorflow.convert_to_tensor")
# Constructors whose result holds every value of their first argument.
_KEEP_VALUES = frozenset(
    {
        "numpy.array", "numpy.asarray", "tensorflow.constant", "tensorflow.convert_to_tensor",
        "numpy.copy", "numpy.roll", "numpy.flip", "numpy.reshape", "tensorflow.reshape",
        "numpy.expand_dims", "tensorflow.expand_dims", "numpy.transpose", "tensorflow.transpose",
    }
)  # fmt: skip


def call_array_constructor(
    path: str, call: CallArgs, literal_dims: Callable[[Value], tuple[int, ...] | None]
) -> Value:
    """The array a numpy/TF constructor makes, with the bound of its integer values if known."""
    result = _constructed(path, call, literal_dims)
    if not isinstance(result, Tensor):
        return result
    if path == "numpy.random.randint":
        result.values = label_values.randint(call)
    elif path == "tensorflow.random.uniform":
        result.values = label_values.tf_uniform(call)
    elif path in _KEEP_VALUES and label_values.numeric_dtype(
        call, 1 if path in _ARRAY_OF else None, absent=True
    ):
        source = call.value("value" if path.startswith("tensorflow.c") else "a", 0)
        if isinstance(source, Tensor):
            return label_values.keep(result, source)
        if path in _ARRAY_OF and result.shape is not None:
            result.values = label_values.literal(source, result.shape.dims)  # type: ignore[arg-type]
    return result


def _constructed(
    path: str, call: CallArgs, literal_dims: Callable[[Value], tuple[int, ...] | None]
) -> Value:
    args = call.args
    if path in _SHAPE_FIRST:
        return array(dims_of(call.value("shape", 0)))
    if path in _SIZE_POSITION:
        size = call.value("size", _SIZE_POSITION[path])
        return array(dims_of(size)) if size is not MISSING else UNKNOWN
    if path in ("numpy.random.rand", "numpy.random.randn"):
        dims = [dims_of(a) for a in args]
        if call.kwargs or call.is_open or any(d is None or len(d) != 1 for d in dims):
            return UNKNOWN
        return array(tuple(d[0] for d in dims if d is not None))
    if path in (
        "numpy.array",
        "numpy.asarray",
        "tensorflow.constant",
        "tensorflow.convert_to_tensor",
    ):
        source = call.value("value", 0)
        if isinstance(source, Tensor):
            return Tensor(source.shape)
        if isinstance(source, Const) and isinstance(source.value, tuple) and source.value:
            # measured once when the literal was folded (a shared nested tuple is a DAG); an
            # empty list is one filled by ``append`` calls the interpreter does not follow
            return array(literal_dims(source))
        return UNKNOWN
    if path in _SAME_SHAPE_FUNCTIONS:
        source = call.value("a", 0)
        return Tensor(source.shape) if isinstance(source, Tensor) else UNKNOWN
    if path in ("numpy.zeros_like", "numpy.ones_like", "numpy.empty_like", "numpy.full_like"):
        source = call.value("a", 0)
        return Tensor(source.shape) if isinstance(source, Tensor) else UNKNOWN
    if path in ("numpy.eye", "numpy.identity"):
        n = dims_of(call.value("N", 0))
        square = n is not None and len(n) == 1 and len(args) <= 1 and not call.open_args
        return array((n[0], n[0])) if square and n is not None else UNKNOWN
    if path in ("numpy.reshape", "tensorflow.reshape"):
        source = call.value("a", 0)
        return reshape(source, call.value("newshape", 1)) if isinstance(source, Tensor) else UNKNOWN
    if path in ("numpy.expand_dims", "tensorflow.expand_dims"):
        return _expand_dims(call.value("a", 0), call.value("axis", 1))
    if path == "numpy.stack":
        return _stack(call.value("arrays", 0), call.value("axis", 1))
    if path in ("numpy.concatenate", "tensorflow.concat"):
        key = "arrays" if path == "numpy.concatenate" else "values"
        return _concatenate(call.value(key, 0), call.value("axis", 1))
    if path in ("numpy.transpose", "tensorflow.transpose"):
        source = call.value("a", 0)
        axes = call.value("axes" if path == "numpy.transpose" else "perm", 1)
        return transpose(source, axes) if isinstance(source, Tensor) else UNKNOWN
    if path == "tensorflow.one_hot":
        return _one_hot(call)
    return UNKNOWN


_CONSTRUCTORS = (
    _SHAPE_FIRST
    | set(_SIZE_POSITION)
    | {"numpy.random.rand", "numpy.random.randn"}
    | {"numpy.array", "numpy.asarray", "tensorflow.constant", "tensorflow.convert_to_tensor"}
    | {"numpy.zeros_like", "numpy.ones_like", "numpy.empty_like", "numpy.full_like"}
    | {"numpy.eye", "numpy.identity", "numpy.reshape", "tensorflow.reshape"}
    | {"numpy.expand_dims", "tensorflow.expand_dims", "numpy.stack"}
    | {"numpy.concatenate", "tensorflow.concat", "numpy.transpose", "tensorflow.transpose"}
    | {"tensorflow.one_hot"}
    | _SAME_SHAPE_FUNCTIONS
)


def to_categorical(call: CallArgs) -> Value:
    """Keras squeezes a trailing axis of size 1, then adds the class axis."""
    source = call.value("y", 0)
    if not isinstance(source, Tensor) or source.shape is None:
        return UNKNOWN
    dims = source.shape.dims
    if len(dims) > 1 and dims[-1] == 1:
        dims = dims[:-1]
    classes = call.value("num_classes", 1)
    count = classes.value if isinstance(classes, Const) and isinstance(classes.value, int) else None
    return Tensor(Shape(dims + (count,)))


def _transpose(base: Value) -> Value:
    return transpose(base, MISSING)


def transpose(base: Value, axes: Value) -> Value:
    """Axes reversed, or permuted by a literal ``axes``."""
    if not isinstance(base, Tensor) or base.shape is None:
        return UNKNOWN
    dims = base.shape.dims
    if axes is MISSING or axes == Const(None):
        return Tensor(Shape(tuple(reversed(dims))))
    order = axes.value if isinstance(axes, Const) else None
    if not (
        isinstance(order, tuple)
        and all(isinstance(i, int) and not isinstance(i, bool) for i in order)
        and sorted(order) == list(range(len(dims)))
    ):
        return UNKNOWN
    return Tensor(Shape(tuple(dims[i] for i in order)))


def _shape_attribute(base: Value) -> Value:
    """``X.shape``: known where the dims are (``None`` for an unknown sample count)."""
    if isinstance(base, Tensor) and base.shape is not None and base.shape.rank:
        return ArrayShape(base.shape.dims)
    return UNKNOWN


def _shape_subscript(base: Value, evaluate: Callable[[], list[Value]]) -> Value:
    """``X.shape[1]``, ``X.shape[1:]``: a constant where every dim taken is known."""
    dims = base.value if isinstance(base, Const) else None
    parts = evaluate()
    if not isinstance(dims, tuple) or len(parts) != 1:
        return UNKNOWN
    part = parts[0]
    index = literal_int(part)
    if index is not None:
        if -len(dims) <= index < len(dims) and dims[index] is not None:
            return Const(dims[index])
        return UNKNOWN
    if isinstance(part, SliceValue):
        bounds = [
            b.value if isinstance(b, Const) else UNKNOWN
            for b in (part.lower, part.upper, part.step)
        ]
        if not all(b is None or isinstance(b, int) for b in bounds) or bounds[2] == 0:
            return UNKNOWN
        taken = dims[slice(*bounds)]  # type: ignore[arg-type]
        return Const(taken) if None not in taken else UNKNOWN
    return UNKNOWN


def _arithmetic(op: ast.operator, left: Value, right: Value) -> Value:
    """``x / 255.0``, ``x - mean``, ``a * b`` of one shape: the array's shape."""
    if not isinstance(op, _ELEMENTWISE):
        return UNKNOWN
    shapes = [
        v.shape if isinstance(v, Tensor) else "scalar" if _is_scalar(v) else None
        for v in (left, right)
    ]
    tensors = [s for s in shapes if isinstance(s, Shape)]
    if None in shapes or not tensors or len(set(tensors)) != 1:
        return UNKNOWN
    return Tensor(tensors[0])


def _is_scalar(value: Value) -> bool:
    return (
        isinstance(value, Const)
        and isinstance(value.value, (int, float))
        and not isinstance(value.value, bool)
    )


def _concatenate(arrays: Value, axis: Value) -> Value:
    """Arrays of one rank joined on a literal axis (0 by default)."""
    if not isinstance(arrays, Items) or not arrays.items:
        return UNKNOWN
    shapes = [a.shape for a in arrays.items if isinstance(a, Tensor) and a.shape is not None]
    if len(shapes) != len(arrays.items) or len({s.rank for s in shapes}) != 1:
        return UNKNOWN
    index = 0 if axis is MISSING else axis.value if isinstance(axis, Const) else None
    rank = shapes[0].rank
    if not isinstance(index, int) or isinstance(index, bool) or not -rank <= index < rank:
        return UNKNOWN
    index %= rank
    dims: list[Dim] = []
    for i in range(rank):
        column = [s.dims[i] for s in shapes]
        if i == index:
            dims.append(sum(column) if None not in column else None)  # type: ignore[arg-type]
        else:
            known = {d for d in column if d is not None}
            if len(known) > 1:
                return UNKNOWN  # numpy raises: not ours to guess
            dims.append(known.pop() if known else None)
    return Tensor(Shape(tuple(dims)))


def _one_hot(call: CallArgs) -> Value:
    """``tf.one_hot(indices, depth)``: a class axis appended (the default ``axis=-1``)."""
    source = call.value("indices", 0)
    depth = call.value("depth", 1)
    if call.value("axis", 4) not in (MISSING, Const(-1)) or call.is_open:
        return UNKNOWN
    if not isinstance(source, Tensor) or source.shape is None:
        return UNKNOWN
    count = depth.value if isinstance(depth, Const) and isinstance(depth.value, int) else None
    return Tensor(Shape(source.shape.dims + (count,)))


def _generate(method: BoundMethod, context: CallContext) -> Value:
    size = context.args.value("size", _GENERATOR_SIZE_POSITION[method.name])
    result = array(dims_of(size)) if size is not MISSING else UNKNOWN
    if method.name == "integers" and isinstance(result, Tensor):
        result.values = label_values.randint(context.args, endpoint_key=True)
    return result


def _call_method(method: BoundMethod, context: CallContext) -> Value:
    if not isinstance(method.owner, Tensor):
        return UNKNOWN
    return call_tensor_method(method.owner, method.name, context.args)


def call_tensor_method(base: Tensor, name: str, call: CallArgs) -> Value:
    """An array method's result, with the bound of the values it keeps."""
    result = _method_result(base, name, call)
    if name == "astype":
        return label_values.cast(result, base, call)
    return label_values.keep(result, base)


def _method_result(base: Tensor, name: str, call: CallArgs) -> Value:
    args, kwargs = call.args, call.kwargs
    if base.shape is None:
        return UNKNOWN
    if name in _SAME_SHAPE_METHODS:
        return Tensor(base.shape)
    if name == "transpose":
        if kwargs or call.is_open:
            return UNKNOWN
        if len(args) <= 1:
            return transpose(base, args[0] if args else MISSING)
        axes = [a.value if isinstance(a, Const) else None for a in args]
        return transpose(base, Const(tuple(axes)) if None not in axes else UNKNOWN)
    if name in ("flatten", "ravel"):
        dims = base.shape.dims
        return Tensor(Shape((prod(dims) if None not in dims else None,)))  # type: ignore[arg-type]
    if name == "reshape":
        if kwargs and set(kwargs) - {"order"} or call.is_open:
            return UNKNOWN
        if len(args) == 1:
            return reshape(base, args[0])
        parts = [a.value if isinstance(a, Const) else None for a in args]
        return reshape(base, Const(tuple(parts))) if None not in parts else UNKNOWN
    return UNKNOWN


def reshape(base: Tensor, new: Value) -> Value:
    if isinstance(new, Const) and isinstance(new.value, int):
        new = Const((new.value,))
    if not isinstance(new, Const) or not isinstance(new.value, tuple):
        return UNKNOWN
    target = new.value
    if not all(isinstance(d, int) and not isinstance(d, bool) and d >= -1 for d in target):
        return UNKNOWN
    if list(target).count(-1) > 1:
        return UNKNOWN
    if -1 in target:
        known = prod(d for d in target if d != -1)
        total = None
        if base.shape is not None and None not in base.shape.dims:
            total = prod(base.shape.dims)  # type: ignore[arg-type]
        fill = total // known if total is not None and known and total % known == 0 else None
        return Tensor(Shape(tuple(fill if d == -1 else d for d in target)))
    return Tensor(Shape(target))


def _expand_dims(source: Value, axis: Value) -> Value:
    if not isinstance(source, Tensor) or source.shape is None:
        return UNKNOWN
    if not isinstance(axis, Const) or not isinstance(axis.value, int):
        return UNKNOWN
    dims = list(source.shape.dims)
    index = axis.value if axis.value >= 0 else len(dims) + 1 + axis.value
    if not 0 <= index <= len(dims):
        return UNKNOWN
    dims.insert(index, 1)
    return Tensor(Shape(tuple(dims)))


def _stack(arrays: Value, axis: Value) -> Value:
    if not isinstance(arrays, Items) or not arrays.items:
        return UNKNOWN
    shapes = [a.shape for a in arrays.items if isinstance(a, Tensor)]
    if len(shapes) != len(arrays.items) or None in shapes or len(set(shapes)) != 1:
        return UNKNOWN
    index = axis.value if isinstance(axis, Const) else (0 if axis is MISSING else None)
    dims = list(shapes[0].dims)  # type: ignore[union-attr]
    if not isinstance(index, int) or not -len(dims) - 1 <= index <= len(dims):
        return UNKNOWN
    dims.insert(index if index >= 0 else len(dims) + 1 + index, len(shapes))
    return Tensor(Shape(tuple(dims)))


def _subscript(base: Value, evaluate: Callable[[], list[Value]]) -> Value:
    if not isinstance(base, Tensor) or base.shape is None:
        return UNKNOWN  # the index is not even evaluated
    parts = evaluate()
    result = subscript(base.shape, parts)
    if any(isinstance(part, Tensor) for part in parts):
        return result  # fancy indexing may repeat or pick any values
    return label_values.select(result, base)


def subscript(shape: Shape, parts: list[Value]) -> Value:
    """``y[:960]``, ``y[..., np.newaxis]``, ``y[:, :, None]``, ``y[:, -1]``, ``np.eye(n)[y]``,
    on the index parts the interpreter evaluated."""
    dims = list(shape.dims)
    out: list[Dim] = []
    position = 0
    for i, part in enumerate(parts):
        if isinstance(part, SliceValue):
            if position >= len(dims):
                return UNKNOWN
            out.append(_slice_length(part, dims[position]))
            position += 1
            continue
        if isinstance(part, Const) and part.value is Ellipsis:
            remaining = sum(1 for p in parts[i + 1 :] if not _adds_axis(p))
            take = len(dims) - position - remaining
            if take < 0:
                return UNKNOWN
            out.extend(dims[position : position + take])
            position += take
            continue
        if _adds_axis(part):
            out.append(1)
            continue
        if isinstance(part, Const) and isinstance(part.value, int) and position < len(dims):
            position += 1  # an integer index drops the axis
            continue
        if isinstance(part, Tensor) and part.shape is not None and len(parts) == 1:
            return Tensor(Shape(part.shape.dims + tuple(dims[1:])))
        return UNKNOWN
    return Tensor(Shape(tuple(out) + tuple(dims[position:])))


def _adds_axis(part: Value) -> bool:
    """``None`` or ``np.newaxis``."""
    if isinstance(part, Const):
        return part.value is None
    return isinstance(part, SymbolRef) and part.path == "numpy.newaxis"


def _slice_length(part: SliceValue, dim: Dim) -> Dim:
    bounds = (part.lower, part.upper, part.step)
    if dim is None or not all(
        isinstance(b, Const) and (b.value is None or isinstance(b.value, int)) for b in bounds
    ):
        return None
    lower, upper, step = (b.value for b in bounds)  # type: ignore[attr-defined]
    if step == 0:
        return None
    return range_length(*slice(lower, upper, step).indices(dim))
