"""Pooling: Max/Average pooling (every alias) and their global forms, 1D-3D.

Sizes follow Keras from pool_size (default 2), strides (default pool_size), padding and
data_format when they are literals; a window larger than the map is refused ("window").
"""

from __future__ import annotations

from flake8_keras.keras.layers.geometry import conv_size, ints, layout, legacy, window_fault
from flake8_keras.keras.layers.spec import (
    Exactly,
    InferFn,
    Inferred,
    LayerSpec,
    check_rank,
    first,
)
from flake8_keras.keras.model import Dim, Layer, Shape

POOLS = ("MaxPooling", "AveragePooling", "MaxPool", "AvgPool", "AveragePool")
GLOBAL_POOLS = ("GlobalMaxPooling", "GlobalAveragePooling", "GlobalMaxPool", "GlobalAvgPool")


def pool(n: int) -> InferFn:
    rule = Exactly(n + 2)

    def infer(layer: Layer, inputs: list[Shape | None]) -> Inferred:
        shape = first(inputs)
        fault = check_rank(layer, rule, shape)
        if fault is not None:
            return fault
        form = layout(layer, n, 3)
        if form is None:
            return None
        channels = form.channels(shape) if shape is not None else None
        unknown = form.build(shape, (None,) * n, channels)
        if shape is None or legacy(layer) or layer.open_args:
            return unknown
        window = ints(layer.const("pool_size", 0, default=2), n)
        stride_value = layer.const("strides", 1, default=None)
        strides = window if stride_value is None else ints(stride_value, n)
        padding = layer.const("padding", 2, default="valid")
        if window is None or strides is None or padding not in ("valid", "same"):
            return unknown
        if min(window + strides) < 1:
            return unknown
        sizes: list[Dim] = []
        for axis, size in enumerate(form.spatial(shape)):
            out = conv_size(size, window[axis], strides[axis], 1, str(padding))
            if out is not None and out <= 0 and size is not None:
                why = f"pool {window[axis]} > size {size}"
                return window_fault(layer, shape, axis, size, why)
            sizes.append(out)
        return form.build(shape, tuple(sizes), channels)

    return infer


def global_pool(n: int) -> InferFn:
    rule = Exactly(n + 2)

    def infer(layer: Layer, inputs: list[Shape | None]) -> Inferred:
        shape = first(inputs)
        fault = check_rank(layer, rule, shape)
        if fault is not None:
            return fault
        form = layout(layer, n, 0)
        keepdims = layer.const("keepdims", default=False)
        if form is None or legacy(layer):
            return None
        channels = form.channels(shape) if shape is not None else None
        if keepdims is False:
            return Shape((shape.dims[0] if shape is not None else None, channels))
        if keepdims is True:
            return form.build(shape, (1,) * n, channels)
        return None

    return infer


def _specs() -> dict[str, LayerSpec]:
    specs: dict[str, LayerSpec] = {}
    for n in (1, 2, 3):
        for name in POOLS:
            specs[f"{name}{n}D"] = LayerSpec(pool(n), rank=Exactly(n + 2))
        for name in GLOBAL_POOLS:
            specs[f"{name}{n}D"] = LayerSpec(global_pool(n), rank=Exactly(n + 2))
    return specs


SPECS = _specs()
