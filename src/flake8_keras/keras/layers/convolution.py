"""Convolutions: Conv1D-3D, their transposes, separable and depthwise ones, and old names.

Sizes follow Keras's conv_output_length/deconv_output_length from kernel_size, strides,
padding, dilation_rate and data_format when they are literals. Only the first two positional
arguments are read (filters, kernel_size): Keras 1's ``Convolution2D(32, 3, 3)`` meant a 3x3
kernel where Keras 2.3+/3 read strides, so a third positional leaves the sizes unknown.
"""

from __future__ import annotations

from flake8_keras.keras.layers.geometry import (
    conv_size,
    ints,
    layout,
    legacy,
    transpose_size,
    window_fault,
)
from flake8_keras.keras.layers.spec import (
    Exactly,
    InferFn,
    Inferred,
    LayerSpec,
    check_rank,
    first,
    int_arg,
)
from flake8_keras.keras.model import Dim, Layer, Shape


def conv(n: int, kind: str) -> InferFn:
    """kind: "plain", "transpose", "separable" or "depthwise" (no filters argument)."""
    rule = Exactly(n + 2)
    shift = 1 if kind == "depthwise" else 0  # depthwise has no filters: kernel_size is first

    def infer(layer: Layer, inputs: list[Shape | None]) -> Inferred:
        shape = first(inputs)
        fault = check_rank(layer, rule, shape)
        if fault is not None:
            return fault
        form = layout(layer, n)
        if form is None:
            return None
        if kind == "depthwise":
            multiplier = int_arg(layer.const("depth_multiplier", default=1))
            inward = form.channels(shape) if shape is not None else None
            channels: Dim = None if multiplier is None or inward is None else inward * multiplier
        else:
            channels = int_arg(layer.const("filters", 0))
        unknown = form.build(shape, (None,) * n, channels)
        if shape is None or legacy(layer) or len(layer.args) > 2 - shift or layer.open_args:
            return unknown
        kernel = ints(layer.const("kernel_size", 1 - shift), n)
        strides = ints(layer.const("strides", default=1), n)
        dilation = ints(layer.const("dilation_rate", default=1), n)
        padding = layer.const("padding", default="valid")
        if kernel is None or strides is None or dilation is None:
            return unknown
        if padding not in ("valid", "same", "causal") or min(kernel + strides + dilation) < 1:
            return unknown
        extra_sizes = None
        if kind == "transpose":
            extra_value = layer.const("output_padding", default=None)
            extra_sizes = None if extra_value is None else ints(extra_value, n)
            if extra_value is not None and extra_sizes is None:
                return unknown
        sizes: list[Dim] = []
        for axis, size in enumerate(form.spatial(shape)):
            if kind == "transpose":
                extra = extra_sizes[axis] if extra_sizes is not None else None
                out = transpose_size(
                    size, kernel[axis], strides[axis], dilation[axis], str(padding), extra
                )
            else:
                out = conv_size(size, kernel[axis], strides[axis], dilation[axis], str(padding))
            if out is not None and out <= 0 and size is not None:
                span = dilation[axis] * (kernel[axis] - 1) + 1
                why = f"window {span} > size {size}"
                return window_fault(layer, shape, axis, size, why)
            sizes.append(out)
        return form.build(shape, tuple(sizes), channels)

    return infer


def _specs() -> dict[str, LayerSpec]:
    specs: dict[str, LayerSpec] = {}
    for n in (1, 2, 3):
        rank = Exactly(n + 2)
        for name in (f"Conv{n}D", f"Convolution{n}D"):
            specs[name] = LayerSpec(conv(n, "plain"), rank=rank)
        for name in (f"Conv{n}DTranspose", f"Convolution{n}DTranspose"):
            specs[name] = LayerSpec(conv(n, "transpose"), rank=rank)
        specs[f"SeparableConv{n}D"] = LayerSpec(conv(n, "separable"), rank=rank)
    for n in (1, 2):
        specs[f"SeparableConvolution{n}D"] = LayerSpec(conv(n, "separable"), rank=Exactly(n + 2))
        specs[f"DepthwiseConv{n}D"] = LayerSpec(conv(n, "depthwise"), rank=Exactly(n + 2))
    # Keras 1/2 names: Deconvolution2D(nb_filter, nb_row, nb_col, output_shape) in Keras 1,
    # Deconv2D = Conv2DTranspose in Keras 2; AtrousConvolution (Keras 1) sizes stay unknown.
    for n in (2, 3):
        specs[f"Deconvolution{n}D"] = LayerSpec(conv(n, "transpose"), rank=Exactly(n + 2))
        specs[f"Deconv{n}D"] = LayerSpec(conv(n, "transpose"), rank=Exactly(n + 2))
    for n in (1, 2):
        specs[f"AtrousConvolution{n}D"] = LayerSpec(conv(n, "atrous"), rank=Exactly(n + 2))
    return specs


SPECS = _specs()
