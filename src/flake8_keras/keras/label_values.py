"""The integer values an array of labels holds (``ValueBound``): known from random integer
draws with literal bounds, literal arrays and ``np.arange``, and kept by what only moves or
selects them (reshapes, ``astype`` to a numeric type, slices, ``train_test_split``).

Arithmetic, ``%``, data from files and parameters leave the bound unknown (None).
"""

from __future__ import annotations

import ast
from math import ceil, prod

from flake8_keras.engine.calls import CallArgs
from flake8_keras.engine.values import MISSING, Const, Items, SymbolRef, Value, literal_int
from flake8_keras.keras.model import Tensor, ValueBound

# Labels of a literal array walked for its bound: literal label arrays are short, and every
# ``np.array`` call of a big literal would otherwise walk it again (300 calls of a 3,000-item
# literal cost 0.3 s; measured).
MAX_LITERAL_LABELS = 256
# ``astype`` targets that keep small non-negative integers as they are (``bool`` does not).
_NUMERIC_NAMES = frozenset({"int", "float"})
_NUMERIC_PREFIXES = ("int", "uint", "float")


def half_open(low: int, high: int, size: Value, *, endpoint: bool = False) -> ValueBound | None:
    """Uniform integers in ``[low, high)`` (``[low, high]`` with ``endpoint``)."""
    top = high if endpoint else high - 1
    if top < low or size is MISSING:
        return None
    return ValueBound(low, top, drawn=True)


def randint(call: CallArgs, *, endpoint_key: bool = False) -> ValueBound | None:
    """``randint(low, high=None, size)``/``Generator.integers``: one bound means ``[0, low)``."""
    low, high = literal_int(call.value("low", 0)), call.value("high", 1)
    if low is None or call.is_open:
        return None
    endpoint = call.value("endpoint", 4) if endpoint_key else MISSING
    if endpoint not in (MISSING, Const(False), Const(True)):
        return None
    closed = endpoint == Const(True)
    size = call.value("size", 2)
    if high is MISSING or high == Const(None):
        return half_open(0, low, size, endpoint=closed)
    top = literal_int(high)
    return half_open(low, top, size, endpoint=closed) if top is not None else None


def tf_uniform(call: CallArgs) -> ValueBound | None:
    """``tf.random.uniform(shape, minval=0, maxval=10, dtype="int32")``: ``[minval, maxval)``."""
    dtype = call.value("dtype", 3)
    integer = (isinstance(dtype, Const) and dtype.value in ("int32", "int64")) or (
        isinstance(dtype, SymbolRef) and dtype.path in ("tensorflow.int32", "tensorflow.int64")
    )
    minval = call.value("minval", 1)
    low = 0 if minval is MISSING else literal_int(minval)
    high = literal_int(call.value("maxval", 2))
    if not integer or low is None or high is None or call.is_open:
        return None
    return half_open(low, high, Const(True))


def literal(source: Value, dims: tuple[int, ...] | None) -> ValueBound | None:
    """The smallest and largest int of a literal list of labels, ``(n,)`` or ``(n, 1)`` of
    ``dims``; None for other shapes, long lists, or any item that is not an int."""
    labels = dims is not None and (len(dims) == 1 or (len(dims) == 2 and dims[1] == 1))
    labels = labels and dims is not None and dims[0] <= MAX_LITERAL_LABELS
    if not labels or not isinstance(source, Const) or not isinstance(source.value, tuple):
        return None
    stack: list[object] = [source.value]
    low: int | None = None
    high: int | None = None
    for _ in range(2 * MAX_LITERAL_LABELS + 1):
        if not stack:
            break
        item = stack.pop()
        if isinstance(item, tuple):
            stack.extend(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            low = item if low is None else min(low, item)
            high = item if high is None else max(high, item)
        else:
            return None
    if stack or low is None or high is None:
        return None
    return ValueBound(low, high, drawn=False)


def arange(call: CallArgs) -> tuple[int, ValueBound | None] | None:
    """``np.arange(stop)``, ``np.arange(start, stop[, step])`` of literal ints: the length and
    the values (None when empty)."""
    if call.kwargs or call.is_open or not 1 <= len(call.args) <= 3:
        return None
    ints = [literal_int(a) for a in call.args]
    if None in ints:
        return None
    bounds = [i for i in ints if i is not None]
    numbers = range(*bounds) if len(bounds) > 1 else range(bounds[0])
    if len(bounds) == 3 and bounds[2] == 0:
        return None
    if not numbers:
        return (0, None)
    return (len(numbers), ValueBound(min(numbers), max(numbers), drawn=False))


def numeric_dtype(call: CallArgs, position: int | None = 0, *, absent: bool = False) -> bool:
    """``astype(int)``, ``astype("int32")``, ``astype(np.float32)``: small labels kept; an
    absent ``dtype`` counts as ``absent`` says."""
    value = call.value("dtype", position)
    if value is MISSING:
        return absent
    node = call.expression("dtype", position)
    if isinstance(node, ast.Name) and node.id in _NUMERIC_NAMES:
        return True
    name = value.value if isinstance(value, Const) else None
    if isinstance(value, SymbolRef) and value.path.startswith("numpy."):
        name = value.path.rsplit(".", 1)[1]
    return isinstance(name, str) and name.startswith(_NUMERIC_PREFIXES)


def keep(result: Value, source: Value) -> Value:
    """``result`` holds every value of ``source`` (a reshape, a copy): the bound kept."""
    bound = source.values if isinstance(source, Tensor) else None
    if bound is not None and isinstance(result, Tensor):
        result.values = bound
    return result


def cast(result: Value, source: Value, call: CallArgs) -> Value:
    """``astype``: the bound kept for a numeric dtype and labels in ``[0, 127]`` (every
    numeric dtype holds them; int8 wraps above 127, bool makes them 0 and 1)."""
    bound = source.values if isinstance(source, Tensor) else None
    if bound is None or not numeric_dtype(call, absent=False) or bound.low < 0 or bound.high > 127:
        return result
    return keep(result, source)


def select(result: Value, source: Value) -> Value:
    """``y[:100]``, ``y[..., None]``: a draw keeps its bound (fewer values); a literal keeps it
    only when every value is still there (the largest may have been cut off)."""
    bound = source.values if isinstance(source, Tensor) else None
    if bound is None or not isinstance(result, Tensor):
        return result
    if bound.drawn or _count(result) == _count(source):
        result.values = bound
    return result


def split(parts: Value, sources: tuple[Value, ...], call: CallArgs) -> Value:
    """``train_test_split``: each part of a draw keeps its bound, with the size of the smaller
    part (sklearn: ``ceil(test_size * n)`` test samples, 0.25 by default) as its least count."""
    if not isinstance(parts, Items) or len(parts.items) != 2 * len(sources):
        return parts
    for i, source in enumerate(sources):
        bound = source.values if isinstance(source, Tensor) else None
        if bound is None or not bound.drawn:
            continue
        least = _smaller_part(_count(source), call)
        for part in parts.items[2 * i : 2 * i + 2]:
            per_sample = _count(part, samples=False)
            if isinstance(part, Tensor) and least and per_sample:
                part.values = ValueBound(bound.low, bound.high, True, least * per_sample)
    return parts


def _smaller_part(count: int | None, call: CallArgs) -> int:
    if count is None or call.is_open or "train_size" in call.kwargs:
        return 0
    test = call.kwargs.get("test_size", MISSING)
    if test is MISSING or test == Const(None):
        fraction: float = 0.25
    elif isinstance(test, Const) and isinstance(test.value, float) and 0 < test.value < 1:
        fraction = test.value
    else:
        n_test = literal_int(test)
        return min(n_test, count - n_test) if n_test is not None and 0 < n_test < count else 0
    n_test = ceil(fraction * count)
    return max(0, min(n_test, count - n_test))


def _count(value: Value, *, samples: bool = True) -> int | None:
    """How many values an array holds (without its sample axis: per sample)."""
    if not isinstance(value, Tensor) or value.shape is None:
        return None
    dims = value.shape.dims if samples else value.shape.dims[1:]
    return None if None in dims else prod(dims)  # type: ignore[arg-type]


def count(value: Tensor) -> int | None:
    """How many values the array holds: from its shape, else the least its bound records."""
    known = _count(value)
    if known is not None:
        return known
    return value.values.least if value.values is not None and value.values.least else None
