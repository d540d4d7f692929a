"""Reshaping: Flatten, Reshape, Permute, RepeatVector, Cropping, ZeroPadding, UpSampling."""

from __future__ import annotations

from math import prod

from flake8_keras.keras.layers.geometry import ints, layout, legacy, pairs, window_fault
from flake8_keras.keras.layers.spec import (
    AtLeast,
    Exactly,
    Incompatible,
    InferFn,
    Inferred,
    LayerSpec,
    batch,
    check_rank,
    first,
    int_arg,
    rank_fault,
)
from flake8_keras.keras.model import Dim, Layer, Shape

# Keras builds Flatten on rank >= 1; ``batch_input_shape=()`` gives rank 0.
FLATTEN_RANK = AtLeast(1)
REPEAT_VECTOR_RANK = Exactly(2)


def flatten(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    shape = first(inputs)
    if shape is None:
        return Shape((None, None))
    if not FLATTEN_RANK.accepts(shape.rank):
        return rank_fault(layer, FLATTEN_RANK, shape)
    rest = shape.dims[1:]
    known = [d for d in rest if d is not None]
    size = prod(known) if len(known) == len(rest) else None
    return Shape((shape.dims[0], size))


def reshape(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    """The target shape; refused when the known element counts differ (one -1 is inferred)."""
    target = layer.const("target_shape", 0)
    if isinstance(target, list):
        target = tuple(target)
    if not isinstance(target, tuple) or not all(type(d) is int for d in target):
        return None
    if target.count(-1) > 1 or any(d < -1 for d in target):
        reason = f"Reshape target {target} may have at most one -1 and no other negative size"
        return Incompatible("argument", reason, "at most one -1", None)
    shape = first(inputs)
    dims: tuple[Dim, ...] = tuple(None if d == -1 else d for d in target)
    if shape is None or shape.rank == 0 or any(d is None for d in shape.dims[1:]):
        return Shape((batch(shape),) + dims)
    count = prod(d for d in shape.dims[1:] if d is not None)
    rest = prod(d for d in target if d != -1)
    if -1 in target:
        if rest and count % rest == 0:
            return Shape((batch(shape),) + tuple(count // rest if d == -1 else d for d in target))
        if rest == 0:
            return Shape((batch(shape),) + dims)
    elif rest == count:
        return Shape((batch(shape),) + dims)
    reason = (
        f"Reshape to {target} needs {rest} elements per sample"
        + (" times a whole number" if -1 in target else "")
        + f", but its input {shape} has {count}"
    )
    return Incompatible("elements", reason, f"{count} elements", shape)


def permute(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    order = layer.const("dims", 0)
    if not isinstance(order, tuple) or not all(isinstance(d, int) for d in order):
        return None
    shape = first(inputs)
    if shape is None:
        return Shape((None,) * (len(order) + 1))
    if shape.rank != len(order) + 1:
        return rank_fault(layer, Exactly(len(order) + 1), shape)
    if sorted(order) != list(range(1, shape.rank)):
        reason = f"Permute dims {order} are not a permutation of 1..{shape.rank - 1}"
        return Incompatible("argument", reason, f"a permutation of 1..{shape.rank - 1}", None)
    return Shape((shape.dims[0],) + tuple(shape.dims[d] for d in order))


def repeat_vector(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    shape = first(inputs)
    fault = check_rank(layer, REPEAT_VECTOR_RANK, shape)
    if fault is not None:
        return fault
    features = shape.dims[1] if shape is not None else None
    return Shape((batch(shape), int_arg(layer.const("n", 0)), features))


# Keras's defaults; Cropping's is 1 per side in 1D and 3D, 0 in 2D.
_DEFAULTS: dict[str, object] = {"UpSampling": 2, "ZeroPadding": 1}
_ARGUMENT = {"UpSampling": "size", "ZeroPadding": "padding", "Cropping": "cropping"}


def resize_axes(n: int, kind: str) -> InferFn:
    """UpSampling (size), ZeroPadding (padding) and Cropping (cropping) along the n spatial axes."""
    rule = Exactly(n + 2)

    def infer(layer: Layer, inputs: list[Shape | None]) -> Inferred:
        shape = first(inputs)
        fault = check_rank(layer, rule, shape)
        if fault is not None:
            return fault
        form = layout(layer, n, None if n == 1 else 1)
        if form is None:
            return None
        channels = form.channels(shape) if shape is not None else None
        unknown = form.build(shape, (None,) * n, channels)
        if shape is None or legacy(layer) or layer.open_args:
            return unknown
        default = (0 if n == 2 else 1) if kind == "Cropping" else _DEFAULTS[kind]
        value = layer.const(_ARGUMENT[kind], 0, default=default)
        sizes: list[Dim] = []
        if kind == "UpSampling":
            factors = ints(value, n)
            if factors is None:
                return unknown
            for size, factor in zip(form.spatial(shape), factors, strict=True):
                sizes.append(None if size is None else size * factor)
            return form.build(shape, tuple(sizes), channels)
        amounts = pairs(value, n)
        if amounts is None:
            return unknown
        for axis, (size, (before, after)) in enumerate(
            zip(form.spatial(shape), amounts, strict=True)
        ):
            if kind == "ZeroPadding":
                sizes.append(None if size is None else size + before + after)
                continue
            if size is not None and size - before - after <= 0:
                why = f"cropping {before}+{after} >= size {size}"
                return window_fault(layer, shape, axis, size, why)
            sizes.append(None if size is None else size - before - after)
        return form.build(shape, tuple(sizes), channels)

    return infer


def _specs() -> dict[str, LayerSpec]:
    specs = {
        "Flatten": LayerSpec(flatten),
        "Reshape": LayerSpec(reshape),
        "Permute": LayerSpec(permute),
        "RepeatVector": LayerSpec(repeat_vector, rank=REPEAT_VECTOR_RANK),
    }
    for n in (1, 2, 3):
        for name in (f"UpSampling{n}D", f"ZeroPadding{n}D", f"Cropping{n}D"):
            specs[name] = LayerSpec(resize_axes(n, name[:-2]), rank=Exactly(n + 2))
    return specs


SPECS = _specs()
