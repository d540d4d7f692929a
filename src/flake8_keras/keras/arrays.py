"""Shapes of the arrays handed to ``fit``: numpy and TensorFlow constructors, reshapes, indexing.

Only what is built from literals and folded constants is known. Arrays loaded from files,
generators, ``tf.data``, pandas and function parameters stay UNKNOWN.
"""

from __future__ import annotations

import ast
from math import prod
from typing import TYPE_CHECKING

from flake8_keras.engine.budget import range_length
from flake8_keras.engine.values import MISSING, UNKNOWN, BoundMethod, Const, Items, SymbolRef, Value
from flake8_keras.keras.model import Dim, Shape, Tensor

if TYPE_CHECKING:
    from flake8_keras.engine.interpreter import Interpreter
    from flake8_keras.engine.scope import Scope

_SAME_SHAPE_METHODS = frozenset({"astype", "copy", "numpy"})
_ARRAY_METHODS = _SAME_SHAPE_METHODS | {"reshape", "flatten", "ravel"}

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
_SHAPE_FIRST = {
    "numpy.zeros", "numpy.ones", "numpy.empty", "numpy.full",
    "tensorflow.zeros", "tensorflow.ones", "tensorflow.fill",
    "tensorflow.random.normal", "tensorflow.random.uniform",
}  # fmt: skip


def array(dims: tuple[Dim, ...] | None) -> Value:
    return Tensor(Shape(dims)) if dims is not None else UNKNOWN


def shape_of(value: Value) -> tuple[Dim, ...] | None:
    """Dims from an int or a tuple of ints (``(1000, 64, 8)``, ``n``)."""
    if isinstance(value, Const):
        raw = value.value
        if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
            return (raw,)
        if isinstance(raw, tuple) and all(
            isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in raw
        ):
            return raw
    return None


def call_array_constructor(
    path: str, args: list[Value], kwargs: dict[str, Value], interp: Interpreter
) -> Value:
    if path in _SHAPE_FIRST:
        return array(shape_of(_arg(args, kwargs, "shape", 0)))
    if path in _SIZE_POSITION:
        size = _arg(args, kwargs, "size", _SIZE_POSITION[path])
        return array(shape_of(size)) if size is not MISSING else UNKNOWN
    if path in ("numpy.random.rand", "numpy.random.randn"):
        dims = [shape_of(a) for a in args]
        if kwargs or any(d is None or len(d) != 1 for d in dims):
            return UNKNOWN
        return array(tuple(d[0] for d in dims if d is not None))
    if path in (
        "numpy.array",
        "numpy.asarray",
        "tensorflow.constant",
        "tensorflow.convert_to_tensor",
    ):
        source = _arg(args, kwargs, "value", 0)
        if isinstance(source, Tensor):
            return Tensor(source.shape)
        if isinstance(source, Const) and isinstance(source.value, tuple):
            # measured once when the literal was folded (a shared nested tuple is a DAG)
            return array(interp.tuple_sizes.of(source).dims)
        return UNKNOWN
    if path in ("numpy.zeros_like", "numpy.ones_like", "numpy.empty_like", "numpy.full_like"):
        source = _arg(args, kwargs, "a", 0)
        return Tensor(source.shape) if isinstance(source, Tensor) else UNKNOWN
    if path in ("numpy.eye", "numpy.identity"):
        n = shape_of(_arg(args, kwargs, "N", 0))
        return array((n[0], n[0])) if n is not None and len(n) == 1 and len(args) <= 1 else UNKNOWN
    if path in ("numpy.reshape", "tensorflow.reshape"):
        source = _arg(args, kwargs, "a", 0)
        return (
            reshape(source, _arg(args, kwargs, "newshape", 1))
            if isinstance(source, Tensor)
            else UNKNOWN
        )
    if path in ("numpy.expand_dims", "tensorflow.expand_dims"):
        return _expand_dims(_arg(args, kwargs, "a", 0), _arg(args, kwargs, "axis", 1))
    if path == "numpy.stack":
        return _stack(_arg(args, kwargs, "arrays", 0), _arg(args, kwargs, "axis", 1))
    return UNKNOWN


def to_categorical(args: list[Value], kwargs: dict[str, Value]) -> Value:
    """Keras squeezes a trailing axis of size 1, then adds the class axis."""
    source = _arg(args, kwargs, "y", 0)
    if not isinstance(source, Tensor) or source.shape is None:
        return UNKNOWN
    dims = source.shape.dims
    if len(dims) > 1 and dims[-1] == 1:
        dims = dims[:-1]
    classes = _arg(args, kwargs, "num_classes", 1)
    count = classes.value if isinstance(classes, Const) and isinstance(classes.value, int) else None
    return Tensor(Shape(dims + (count,)))


def tensor_attribute(base: Tensor, node: ast.Attribute, interp: Interpreter) -> Value:
    if node.attr in _ARRAY_METHODS:
        return BoundMethod(base, node.attr, node.value)
    if node.attr == "T" and base.shape is not None:
        return Tensor(Shape(tuple(reversed(base.shape.dims))))
    if node.attr == "shape" and base.shape is not None and None not in base.shape.dims:
        return Const(base.shape.dims)
    return UNKNOWN


def call_tensor_method(
    base: Tensor, name: str, args: list[Value], kwargs: dict[str, Value]
) -> Value:
    if base.shape is None:
        return UNKNOWN
    if name in _SAME_SHAPE_METHODS:
        return Tensor(base.shape)
    if name in ("flatten", "ravel"):
        dims = base.shape.dims
        return Tensor(Shape((prod(dims) if None not in dims else None,)))  # type: ignore[arg-type]
    if name == "reshape":
        if kwargs and set(kwargs) - {"order"}:
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


def subscript(base: Tensor, index: ast.expr, scope: Scope, interp: Interpreter) -> Value:
    """``y[:960]``, ``y[..., np.newaxis]``, ``y[:, :, None]``, ``y[:, -1]``, ``np.eye(n)[y]``."""
    if base.shape is None:
        return UNKNOWN
    parts = index.elts if isinstance(index, ast.Tuple) else [index]
    dims = list(base.shape.dims)
    out: list[Dim] = []
    position = 0
    for i, part in enumerate(parts):
        if isinstance(part, ast.Slice):
            if position >= len(dims):
                return UNKNOWN
            out.append(_slice_length(part, dims[position], scope, interp))
            position += 1
            continue
        if isinstance(part, ast.Constant) and part.value is Ellipsis:
            remaining = sum(1 for p in parts[i + 1 :] if not _adds_axis(p, scope, interp))
            take = len(dims) - position - remaining
            if take < 0:
                return UNKNOWN
            out.extend(dims[position : position + take])
            position += take
            continue
        if _adds_axis(part, scope, interp):
            out.append(1)
            continue
        value = interp.eval(part, scope)
        if isinstance(value, Const) and isinstance(value.value, int) and position < len(dims):
            position += 1  # an integer index drops the axis
            continue
        if isinstance(value, Tensor) and value.shape is not None and len(parts) == 1:
            return Tensor(Shape(value.shape.dims + tuple(dims[1:])))
        return UNKNOWN
    return Tensor(Shape(tuple(out) + tuple(dims[position:])))


def _adds_axis(part: ast.expr, scope: Scope, interp: Interpreter) -> bool:
    if isinstance(part, ast.Constant):
        return part.value is None
    value = interp.eval(part, scope) if isinstance(part, (ast.Attribute, ast.Name)) else UNKNOWN
    return isinstance(value, SymbolRef) and value.path == "numpy.newaxis"


def _slice_length(part: ast.Slice, dim: Dim, scope: Scope, interp: Interpreter) -> Dim:
    bounds = [
        interp.eval(p, scope) if p is not None else Const(None)
        for p in (part.lower, part.upper, part.step)
    ]
    if dim is None or not all(
        isinstance(b, Const) and (b.value is None or isinstance(b.value, int)) for b in bounds
    ):
        return None
    lower, upper, step = (b.value for b in bounds)  # type: ignore[attr-defined]
    if step == 0:
        return None
    return range_length(*slice(lower, upper, step).indices(dim))


def _arg(args: list[Value], kwargs: dict[str, Value], key: str, pos: int) -> Value:
    if key in kwargs:
        return kwargs[key]
    return args[pos] if pos < len(args) else MISSING
