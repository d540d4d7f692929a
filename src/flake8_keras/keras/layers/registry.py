"""The one registry of layer specs, by canonical class name; each family module fills it."""

from __future__ import annotations

from flake8_keras.keras.layers.spec import LayerSpec

LAYERS: dict[str, LayerSpec] = {}


def register(specs: dict[str, LayerSpec]) -> None:
    """Add a family's specs; a name registered twice is a bug in the tables."""
    for name, spec in specs.items():
        if name in LAYERS:
            raise ValueError(f"layer spec {name} registered twice")
        LAYERS[name] = spec
