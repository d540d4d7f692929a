"""Layers that return a list of tensors: recurrent layers with ``return_state=True`` (the
output, then one state per cell state: 2 for LSTM/ConvLSTM, 1 for GRU/SimpleRNN), and
``Bidirectional(merge_mode=None)`` (the forward and the backward outputs) or a Bidirectional
whose layer returns states (the merged output, then the forward and the backward states).

Measured in Keras 3.15 and tf_keras 2.21 (both agree).
"""

from __future__ import annotations

from flake8_keras.engine.calls import CallArgs
from flake8_keras.engine.values import MISSING, Value
from flake8_keras.keras.layers.registry import LAYERS
from flake8_keras.keras.model import Layer, Shape

Outputs = tuple["Shape | None", ...]

_STATES = {
    "LSTM": 2, "CuDNNLSTM": 2, "ConvLSTM1D": 2, "ConvLSTM2D": 2, "ConvLSTM3D": 2,
    "GRU": 1, "CuDNNGRU": 1, "SimpleRNN": 1,
}  # fmt: skip
_CELL_STATES = {"LSTMCell": 2, "GRUCell": 1, "SimpleRNNCell": 1}
# The only classes ``list_outputs`` may answer for: any other layer returns one tensor.
MAY_RETURN_LISTS = frozenset({"Bidirectional", "RNN", *_STATES})
# ...and those of them that may return a list although their spec inferred an output shape.
# Not the recurrent layers: ``recurrent_infer`` gives a shape only when ``return_state`` is
# certainly False (so no state list to ask for on most recurrent applications).
LISTS_WHEN_INFERRED = frozenset({"Bidirectional"})


def list_outputs(layer: Layer, inputs: list[Shape | None]) -> Outputs | None:
    """The shapes of the tensors a layer returns as a list; None when it returns one tensor
    (or when how many it returns is not known)."""
    if layer.name == "Bidirectional":
        return _bidirectional(layer, inputs)
    count = _state_count(layer)
    if count is None or layer.const("return_state", default=False) is not True:
        return None
    plain = _without(layer, "return_state")
    output = _shape(plain, inputs)
    last = _shape(_without(plain, "return_sequences"), inputs)
    return (output,) + (last,) * count


def _bidirectional(layer: Layer, inputs: list[Shape | None]) -> Outputs | None:
    inner = layer.inner()
    if inner is None or inner.name not in LAYERS:
        return None
    mode = layer.const("merge_mode", 1, default="concat")
    states = list_outputs(inner, inputs)
    if mode is None and states is None:
        one = _shape(inner, inputs)
        return (one, one)
    if states is None or mode is None:
        return None
    plain = _without(inner, "return_state")
    if "layer" in layer.kwargs:
        call = CallArgs(layer.args, {**layer.kwargs, "layer": plain})
    else:
        call = CallArgs((plain,) + layer.args[1:], dict(layer.kwargs))
    wrapper = Layer(layer.name, layer.node, call)
    return (_shape(wrapper, inputs),) + states[1:] * 2


def _state_count(layer: Layer) -> int | None:
    if layer.name == "RNN":
        cell = layer.arg("cell", 0)
        return _CELL_STATES.get(cell.name) if isinstance(cell, Layer) else None
    return _STATES.get(layer.name)


def _shape(layer: Layer, inputs: list[Shape | None]) -> Shape | None:
    out = LAYERS[layer.name].infer(layer, inputs)
    return out if isinstance(out, Shape) else None


def _without(layer: Layer, keyword: str) -> Layer:
    """The layer as if ``keyword`` were not passed (its default)."""
    if layer.arg(keyword) is MISSING:
        return layer
    kwargs: dict[str, Value] = {k: v for k, v in layer.kwargs.items() if k != keyword}
    return Layer(layer.name, layer.node, CallArgs(layer.args, kwargs))
