"""Pooling: Max/Average pooling (every alias) and their global forms, 1D-3D."""

from __future__ import annotations

from flake8_keras.keras.layers.spec import (
    Exactly,
    InferFn,
    Inferred,
    LayerSpec,
    batch,
    check_rank,
    first,
    spatial,
)
from flake8_keras.keras.model import Layer, Shape

POOLS = ("MaxPooling", "AveragePooling", "MaxPool", "AvgPool", "AveragePool")
GLOBAL_POOLS = ("GlobalMaxPooling", "GlobalAveragePooling", "GlobalMaxPool", "GlobalAvgPool")


def global_pool(n: int) -> InferFn:
    rule = Exactly(n + 2)

    def infer(layer: Layer, inputs: list[Shape | None]) -> Inferred:
        shape = first(inputs)
        fault = check_rank(layer, rule, shape)
        if fault is not None:
            return fault
        keepdims = layer.const("keepdims", default=False)
        channels = shape.dims[-1] if shape is not None else None
        if keepdims is False:
            return Shape((batch(shape), channels))
        if keepdims is True:
            return Shape((batch(shape),) + (1,) * n + (channels,))
        return None

    return infer


def _specs() -> dict[str, LayerSpec]:
    specs: dict[str, LayerSpec] = {}
    for n in (1, 2, 3):
        for pool in POOLS:
            specs[f"{pool}{n}D"] = LayerSpec(spatial(n, None), rank=Exactly(n + 2))
        for pool in GLOBAL_POOLS:
            specs[f"{pool}{n}D"] = LayerSpec(global_pool(n), rank=Exactly(n + 2))
    return specs


SPECS = _specs()
