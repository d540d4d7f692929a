"""The layers that cannot build (KRS5xx): each application whose spec refuses its inputs.

A refusal is reported once, at the first layer that fails: a layer downstream of a broken one
sees unknown shapes. Layout and dialect doubts are decided here so each rule stays short.
"""

from __future__ import annotations

from collections.abc import Iterator

from flake8_keras.keras.layers import Incompatible
from flake8_keras.keras.model import LayerCall, ModelGraph, Shape, Tensor, chain
from flake8_keras.rules.describe import describe

# Layers that read data_format: without an explicit one, a channels_first keras.json (common in
# Keras 1/2 code, ``input_shape=(3, 32, 32)``) changes their sizes.
_IMAGE_FAMILIES = ("Conv", "Pool", "Cropping", "ZeroPadding", "UpSampling", "Resizing")
# (c, h, w) with c a usual channel count and w not: an image written channels_first.
_CHANNEL_COUNTS = (1, 3, 4)


def refusals(graph: ModelGraph) -> list[tuple[LayerCall, Incompatible]]:
    """Every layer application a spec refuses, with the refusal (never after a broken input);
    a layer object applied several times (a shared layer, a function called twice) is reported
    once per kind of refusal. Computed once per graph: the four KRS5xx rules each ask."""
    return graph.derived("refusals", lambda g: list(_refusals(g)))


def _refusals(graph: ModelGraph) -> Iterator[tuple[LayerCall, Incompatible]]:
    seen: set[tuple[int, str]] = set()
    for app in graph.faulty():
        fault = app.fault  # what the spec refused when the layer was applied to these shapes
        if fault is None or any(t.broken for t in app.inputs):
            continue
        shapes: list[Shape | None] = [t.shape for t in app.inputs]
        if not shapes or shapes[0] is None and len(shapes) == 1:
            continue
        key = (id(app.layer.node), fault.kind)
        if key not in seen:
            seen.add(key)
            yield app, fault


def sizes_along(tensor: Tensor) -> str:
    """``the input (None, 28, 28, 1) -> Conv2D(32, 3) (None, 26, 26, 32) -> ...``."""
    steps: list[str] = []
    for item in chain(tensor):
        producer = item.producer
        shape = "unknown" if item.shape is None else str(item.shape)
        if producer is None or producer.layer.name == "Input":
            steps.append(f"the input {shape}")
        else:
            steps.append(f"{describe(producer.layer)} {shape}")
    return " -> ".join(steps)


def model_input(tensor: Tensor) -> Tensor:
    return chain(tensor)[0]


def layout_doubt(tensor: Tensor, consumer: LayerCall) -> bool:
    """Whether sizes on the way through ``tensor`` into ``consumer`` depend on an image layout
    the file may configure: an image layer without ``data_format`` on a model input that looks
    channels_first."""
    calls = [t.producer for t in chain(tensor) if t.producer is not None] + [consumer]
    implicit = any(
        any(family in call.layer.name for family in _IMAGE_FAMILIES)
        and "data_format" not in call.layer.kwargs
        for call in calls
    )
    first = model_input(tensor).shape
    if first is None or first.rank < 4:
        return False
    looks_first = first.dims[1] in _CHANNEL_COUNTS and first.dims[-1] not in _CHANNEL_COUNTS
    return looks_first and implicit


def doubtful_sizes(graph: ModelGraph, app: LayerCall) -> bool:
    """Sizes (not ranks) may be computed under the wrong meaning: a Keras 1 file, or a layout
    the file may set globally. The size rules stay silent then."""
    if graph.keras1:
        return True
    return any(layout_doubt(t, app) for t in app.inputs)
