"""Reshaping: Flatten, Reshape, Permute, RepeatVector, Cropping, ZeroPadding, UpSampling."""

from __future__ import annotations

from math import prod

from flake8_keras.keras.layers.spec import (
    AtLeast,
    Exactly,
    Incompatible,
    Inferred,
    LayerSpec,
    batch,
    check_rank,
    first,
    int_arg,
    rank_fault,
    spatial,
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
    # A target whose element count differs from the input's does not build in Keras; that
    # refusal is not expressed yet (apply returns the target shape, as before).
    target = layer.const("target_shape", 0)
    if not isinstance(target, tuple) or not all(isinstance(d, int) for d in target):
        return None
    dims: tuple[Dim, ...] = tuple(None if d == -1 else d for d in target)
    return Shape((batch(first(inputs)),) + dims)


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


def _specs() -> dict[str, LayerSpec]:
    specs = {
        "Flatten": LayerSpec(flatten),
        "Reshape": LayerSpec(reshape),
        "Permute": LayerSpec(permute),
        "RepeatVector": LayerSpec(repeat_vector, rank=REPEAT_VECTOR_RANK),
    }
    for n in (1, 2, 3):
        for name in (f"UpSampling{n}D", f"ZeroPadding{n}D", f"Cropping{n}D"):
            specs[name] = LayerSpec(spatial(n, None), rank=Exactly(n + 2))
    return specs


SPECS = _specs()
