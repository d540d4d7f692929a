"""Shared wording for messages: how to name a layer, a shape, and why a time axis is missing."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from flake8_keras.keras.layers import is_recurrent, sequence_layer
from flake8_keras.keras.model import Layer, LayerCall, Tensor

_MAX_ARGS_TEXT = 48


def describe(layer: Layer) -> str:
    """``GRU(16, return_sequences=True)``: the canonical name and the call's own arguments."""
    parts = [_text(a) for a in layer.node.args]
    parts += [
        f"{k.arg}={_text(k.value)}" if k.arg else f"**{_text(k.value)}" for k in layer.node.keywords
    ]
    inner = ", ".join(parts)
    if len(inner) > _MAX_ARGS_TEXT:
        inner = inner[: _MAX_ARGS_TEXT - 3].rstrip(", ") + "..."
    return f"{layer.name}({inner})"


def _text(node: ast.expr) -> str:
    # The common arguments by hand: ast.unparse is comparatively slow, and a file can have
    # hundreds of diagnostics.
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool)):
        return repr(node.value)
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_text(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        parts = [_text(a) for a in node.args]
        parts += [
            f"{k.arg}={_text(k.value)}" if k.arg else f"**{_text(k.value)}" for k in node.keywords
        ]
        return f"{_text(node.func)}({', '.join(parts)})"
    if isinstance(node, ast.Tuple) and node.elts:
        inner = ", ".join(_text(e) for e in node.elts)
        return f"({inner},)" if len(node.elts) == 1 else f"({inner})"
    try:
        return ast.unparse(node)
    except Exception:  # unparse of odd nodes must never break a lint run
        return "..."


def line_of(app: LayerCall) -> int:
    return line_of_node(app.layer)


def line_of_node(layer: Layer) -> int:
    return getattr(layer.node, "lineno", 0)


def origin(tensor: Tensor) -> str:
    """`` from GRU(16, return_sequences=True) on line 8`` or `` from the model input on line 3``."""
    producer = tensor.producer
    if producer is None:
        return " from the model input"
    if producer.layer.name == "Input":
        return f" from the model input on line {line_of(producer)}"
    return f" from {describe(producer.layer)} on line {line_of(producer)}"


def dropped_last_step(tensor: Tensor) -> LayerCall | None:
    """The recurrent layer whose ``return_sequences=False`` removed the time axis, if any."""
    event = tensor.time_event
    if event is None or not is_recurrent(event.layer):
        return None
    return (
        event
        if sequence_layer(event.layer).const("return_sequences", default=False) is False
        else None
    )


def missing_time_axis(tensor: Tensor) -> tuple[str, str]:
    """Why a rank-2 tensor has no time axis, and the fix: (cause, fix)."""
    recurrent = dropped_last_step(tensor)
    if recurrent is not None:
        owner = sequence_layer(recurrent.layer)
        return (
            f"{describe(recurrent.layer)} on line {line_of(recurrent)} returns only its last step "
            "(return_sequences=False)",
            f"pass return_sequences=True to {owner.name} on line {line_of_node(owner)}",
        )
    event = tensor.time_event
    if event is not None:
        return (
            f"{describe(event.layer)} on line {line_of(event)} removed the time axis",
            "keep the time axis, or drop the layer's sequence expectation",
        )
    producer = tensor.producer
    if producer is None or producer.layer.name == "Input":
        cause = f"it comes{origin(tensor)}, which has no time axis"
    else:
        cause = f"it comes{origin(tensor)}, and the model input has no time axis either"
    return (
        cause,
        "give the model an input of shape (timesteps, features)",
    )


def starved_of_time_axis(
    apps: list[LayerCall], needed_rank: Callable[[LayerCall], int | None]
) -> Iterator[tuple[LayerCall, Tensor, str, str]]:
    """Applications whose input is exactly one axis short of ``needed_rank``: the time axis.

    Yields the application, its input, why the time axis is missing, and the fix.
    """
    for app in apps:
        rank = needed_rank(app)
        if rank is None or not app.inputs:
            continue
        source = app.inputs[0]
        if source.shape is not None and source.shape.rank == rank - 1:
            cause, fix = missing_time_axis(source)
            yield app, source, cause, fix


def leading_axis(tensor: Tensor) -> tuple[str, str, str]:
    """What axis 1 of a rank >= 3 input of TimeDistributed is: (what the input is, where Dense
    applies its weights, what the wrapper loops over).

    A ConvLSTM with ``return_sequences=False`` drops the time axis and keeps its spatial ones, so
    the wrapper then loops over rows, not timesteps.
    """
    recurrent = dropped_last_step(tensor)
    if recurrent is not None and tensor.shape is not None and tensor.shape.rank >= 3:
        return (
            f"has no time axis ({recurrent.layer.name} returns only its last step): "
            "its axis 1 is spatial",
            "at every position",
            "once per index of axis 1",
        )
    return "is already a sequence", "at every timestep", "once per timestep"
