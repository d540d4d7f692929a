"""Merging layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate."""

from __future__ import annotations

from flake8_keras.keras.layers.spec import Incompatible, Inferred, LayerSpec
from flake8_keras.keras.model import Layer, Shape

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


def elementwise(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    """Add, Multiply...: all inputs share one shape."""
    if not inputs or any(s is None for s in inputs):
        return None
    # Keras broadcasts inputs of different ranks; the broadcast shape is not computed here.
    ranks = {s.rank for s in inputs if s is not None}
    return inputs[0] if len(ranks) == 1 else None


def concatenate(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    if not inputs or any(s is None for s in inputs):
        return None
    shapes = [s for s in inputs if s is not None]
    ranks = sorted({s.rank for s in shapes})
    if len(ranks) != 1:
        reason = f"Concatenate needs inputs of one rank, got ranks {ranks}"
        return Incompatible("rank", reason, "one rank", shapes[-1])
    axis = layer.const("axis", 0, default=-1)
    rank = shapes[0].rank
    if not isinstance(axis, int):
        return None
    if not -rank <= axis < rank:
        reason = f"Concatenate axis {axis} is out of range for inputs of rank {rank}"
        return Incompatible("argument", reason, f"-{rank} <= axis < {rank}", None)
    axis %= rank
    dims = list(shapes[0].dims)
    sizes = [s.dims[axis] for s in shapes]
    dims[axis] = sum(sizes) if all(d is not None for d in sizes) else None  # type: ignore[arg-type]
    return Shape(tuple(dims))


def _specs() -> dict[str, LayerSpec]:
    specs = {"Concatenate": LayerSpec(concatenate)}
    for name in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"):
        specs[name] = LayerSpec(elementwise)
    return specs


SPECS = _specs()
