"""Attention layers: the output has the query's rank (its last size is left unknown)."""

from __future__ import annotations

from flake8_keras.keras.layers.spec import Inferred, LayerSpec, first
from flake8_keras.keras.model import Layer, Shape


def query_shaped(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    query = first(inputs)
    if query is None:
        return None
    return Shape(query.dims[:-1] + (None,))


SPECS = {
    name: LayerSpec(query_shaped)
    for name in ("Attention", "AdditiveAttention", "MultiHeadAttention")
}
