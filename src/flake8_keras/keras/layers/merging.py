"""Merging layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot.

Elementwise merges broadcast the non-batch axes aligned from the right (a size 1 or an unknown
size matches anything; Keras 3 leaves the result unknown where one is unknown). Concatenate
needs one rank and equal sizes off the axis; with an input of unknown shape the output still
has the known inputs' rank (Keras refuses other ranks), with its sizes unknown.
"""

from __future__ import annotations

from flake8_keras.keras.layers.spec import Incompatible, Inferred, LayerSpec
from flake8_keras.keras.model import Dim, Layer, Shape

# Functional merge helpers (``concatenate([a, b])``) behave like the layer of the same name.
MERGE_FUNCTIONS: dict[str, str] = {
    "concatenate": "Concatenate",
    "add": "Add",
    "subtract": "Subtract",
    "multiply": "Multiply",
    "average": "Average",
    "maximum": "Maximum",
    "minimum": "Minimum",
    "dot": "Dot",
}
ELEMENTWISE = ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")


def _mismatch(layer: Layer, shapes: list[Shape], what: str) -> Incompatible:
    listed = ", ".join(str(s) for s in shapes)
    return Incompatible("merge", f"{layer.name} {what}: {listed}", "matching shapes", shapes[-1])


def _batch(layer: Layer, shapes: list[Shape]) -> Dim | Incompatible:
    sizes = {s.dims[0] for s in shapes if s.rank and s.dims[0] is not None}
    if len(sizes) > 1:
        return _mismatch(layer, shapes, "cannot merge different batch sizes")
    return sizes.pop() if sizes else None


def elementwise(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    """Add, Multiply...: shapes broadcast (right-aligned) to one."""
    if not inputs or any(s is None for s in inputs):
        return None
    shapes = [s for s in inputs if s is not None]
    if layer.name == "Subtract" and len(shapes) != 2:
        return _mismatch(layer, shapes, "takes 2 inputs")
    if any(s.rank == 0 for s in shapes):
        return None
    batch = _batch(layer, shapes)
    if isinstance(batch, Incompatible):
        return batch
    out: tuple[Dim, ...] = shapes[0].dims[1:]
    for shape in shapes[1:]:
        other = shape.dims[1:]
        longer, shorter = (out, other) if len(out) >= len(other) else (other, out)
        head = longer[: len(longer) - len(shorter)]
        merged: list[Dim] = []
        for a, b in zip(longer[len(head) :], shorter, strict=True):
            if a is None or b is None:
                merged.append(None)
            elif a == 1 or b == 1 or a == b:
                merged.append(b if a == 1 else a)
            else:
                return _mismatch(layer, shapes, "sizes differ")
        out = head + tuple(merged)
    return Shape((batch,) + out)


def concatenate(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    shapes = [s for s in inputs if s is not None]
    if not shapes:
        return None
    ranks = sorted({s.rank for s in shapes})
    if len(ranks) != 1:
        reason = f"Concatenate ranks differ: {ranks}"
        return Incompatible("merge", reason, "one rank", shapes[-1])
    axis = layer.const("axis", 0, default=-1)
    rank = shapes[0].rank
    if not isinstance(axis, int) or isinstance(axis, bool):
        return None
    if not -rank <= axis < rank:
        reason = f"Concatenate axis {axis} is out of range for inputs of rank {rank}"
        return Incompatible("argument", reason, f"-{rank} <= axis < {rank}", None)
    axis %= rank
    batch = _batch(layer, shapes)
    if isinstance(batch, Incompatible):
        return batch
    dims: list[Dim] = []
    for index in range(rank):
        sizes = [s.dims[index] for s in shapes]
        known = {d for d in sizes if d is not None}
        if index == axis:
            complete = len(shapes) == len(inputs) and None not in sizes
            dims.append(sum(d for d in sizes if d is not None) if complete else None)
        elif len(known) > 1 and index > 0:
            return _mismatch(layer, shapes, f"sizes differ off axis {axis}")
        elif index == 0:
            dims.append(batch)
        else:
            # Keras 3 leaves a size unknown when one input's is (an unknown input's may be).
            complete = len(shapes) == len(inputs) and None not in sizes
            dims.append(known.pop() if complete and known else None)
    return Shape(tuple(dims))


def dot(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    """Dot(axes): a batched dot product of two inputs along one axis each."""
    if len(inputs) != 2 or inputs[0] is None or inputs[1] is None:
        return None
    a, b = inputs[0], inputs[1]
    axes = layer.const("axes", 0)
    if isinstance(axes, int) and not isinstance(axes, bool):
        pair = (axes, axes)
    elif isinstance(axes, (tuple, list)) and len(axes) == 2 and all(type(x) is int for x in axes):
        pair = (axes[0], axes[1])
    else:
        return None
    if (
        a.rank < 2
        or b.rank < 2
        or not all(-r <= x < r for x, r in zip(pair, (a.rank, b.rank), strict=True))
    ):
        return None
    i, j = pair[0] % a.rank, pair[1] % b.rank
    if i == 0 or j == 0:
        return None
    if a.dims[i] is not None and b.dims[j] is not None and a.dims[i] != b.dims[j]:
        return _mismatch(layer, [a, b], f"sizes differ on axes {pair}")
    out = a.dims[:i] + a.dims[i + 1 :] + b.dims[1:j] + b.dims[j + 1 :]
    return Shape(out if len(out) > 1 else out + (1,))


def _specs() -> dict[str, LayerSpec]:
    specs = {"Concatenate": LayerSpec(concatenate), "Dot": LayerSpec(dot)}
    for name in ELEMENTWISE:
        specs[name] = LayerSpec(elementwise)
    return specs


SPECS = _specs()
