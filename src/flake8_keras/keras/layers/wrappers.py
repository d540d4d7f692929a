"""Wrappers: TimeDistributed (the inner layer on every step) and Bidirectional."""

from __future__ import annotations

from flake8_keras.keras.layers.registry import LAYERS
from flake8_keras.keras.layers.spec import (
    AtLeast,
    Exactly,
    Incompatible,
    Inferred,
    LayerSpec,
    check_rank,
    first,
)
from flake8_keras.keras.model import Layer, Shape

# Keras: "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions".
TIME_DISTRIBUTED_RANK = AtLeast(3)
BIDIRECTIONAL_RANK = Exactly(3)


def time_distributed(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    shape = first(inputs)
    fault = check_rank(layer, TIME_DISTRIBUTED_RANK, shape)
    if fault is not None:
        return fault
    inner = layer.inner()
    if shape is None or inner is None or inner.name not in LAYERS:
        return None
    step = LAYERS[inner.name].infer(inner, [Shape((shape.dims[0],) + shape.dims[2:])])
    if not isinstance(step, Shape):
        return step  # unknown, or the inner layer refuses one step
    return Shape(shape.dims[:2] + step.dims[1:])


def bidirectional(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    inner = layer.inner()
    if inner is None:
        return None
    spec = LAYERS.get(inner.name)
    if spec is None:
        return None
    if not spec.recurrent:
        reason = f"Bidirectional wraps a recurrent layer, not {inner.name}"
        return Incompatible("argument", reason, "a recurrent layer", None)
    out = spec.infer(inner, inputs)
    if not isinstance(out, Shape):
        return out
    mode = layer.const("merge_mode", 1, default="concat")
    last = out.dims[-1]
    if mode == "concat":
        return Shape(out.dims[:-1] + (None if last is None else 2 * last,))
    if mode in ("sum", "mul", "ave"):
        return out
    return None


SPECS = {
    "TimeDistributed": LayerSpec(time_distributed, rank=TIME_DISTRIBUTED_RANK),
    "Bidirectional": LayerSpec(bidirectional, recurrent=True, rank=BIDIRECTIONAL_RANK),
}
