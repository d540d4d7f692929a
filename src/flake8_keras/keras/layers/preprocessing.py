"""Preprocessing layers that change shapes: Resizing and CenterCrop give (height, width).

Both also take unbatched images (rank 3); the model's batch axis makes that ambiguous here, so
only rank 4 is inferred. Shape-keeping preprocessing (Rescaling, Random*) is in ``core``.
"""

from __future__ import annotations

from flake8_keras.keras.layers.geometry import layout
from flake8_keras.keras.layers.spec import Inferred, LayerSpec, first, int_arg
from flake8_keras.keras.model import Layer, Shape


def to_size(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    shape = first(inputs)
    if shape is None or shape.rank != 4:
        return None
    form = layout(layer, 2)
    if form is None:
        return None
    height = int_arg(layer.const("height", 0))
    width = int_arg(layer.const("width", 1))
    return form.build(shape, (height, width), form.channels(shape))


SPECS = {name: LayerSpec(to_size) for name in ("Resizing", "CenterCrop")}
