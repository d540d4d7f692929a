"""Convolutions: Conv1D-3D, their transposes, separable and depthwise convolutions."""

from __future__ import annotations

from flake8_keras.keras.layers.spec import Exactly, LayerSpec, spatial


def _specs() -> dict[str, LayerSpec]:
    specs: dict[str, LayerSpec] = {}
    for n in (1, 2, 3):
        for name in (f"Conv{n}D", f"Conv{n}DTranspose", f"SeparableConv{n}D"):
            specs[name] = LayerSpec(spatial(n, "filters"), rank=Exactly(n + 2))
    # The channels are the input's times depth_multiplier; left as the input's, as before.
    specs["DepthwiseConv2D"] = LayerSpec(spatial(2, None), rank=Exactly(4))
    return specs


SPECS = _specs()
