"""Shared wording for messages: how to name a layer, a shape, and why a time axis is missing."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from flake8_keras.keras.layers import is_recurrent, sequence_layer
from flake8_keras.keras.model import Layer, LayerCall, Tensor
from flake8_keras.records import record
from flake8_keras.rules.fit_targets import (
    MAY_BROADCAST,
    RAISES,
    RAISES_MOST,
    RAISES_UNLESS_ONE,
    SILENT,
)

_MAX_ARGS_TEXT = 48
# A headline names a layer in fewer characters: `LSTM(64, input_shape=...)`.
HEADLINE_ARGS_TEXT = 20
# `layers.`, `tf.keras.layers.` before a call's name
# `Dense(5, ` of `Dense(5, activity_regularizer="l2")`: a call and its first argument
_CALL_HEAD = re.compile(r"[\w.]+\((?:[^,()]*, )?")
_MODULE_PREFIX = re.compile(r"\b(?:[A-Za-z_]\w*\.)+(?=[A-Za-z_]\w*\()")


def describe(layer: Layer, limit: int = _MAX_ARGS_TEXT, *, bare_calls: bool = False) -> str:
    """``GRU(16, return_sequences=True)``: the canonical name and the call's own arguments,
    cut to ``limit`` characters; ``bare_calls`` names calls in them without their module
    (``Dense(15)`` for ``layers.Dense(15)``)."""
    parts = _arguments(layer.node)
    return _named(layer.name, _bare(parts) if bare_calls else parts, limit)


def brief(layer: Layer) -> str:
    """The layer as a headline names it: ``LSTM(64, input_shape=...)``,
    ``TimeDistributed(Dense(1))``."""
    return describe(layer, HEADLINE_ARGS_TEXT, bare_calls=True)


def describe_wrapped(wrapper: Layer, inner: Layer) -> tuple[str, str, str]:
    """``brief(wrapper)``, ``describe(inner)`` and ``brief(inner)``: the inner layer's
    arguments written once, and its whole call once when the wrapper's call holds it
    (``TimeDistributed(Dense(1))``; not ``TimeDistributed(head)``)."""
    inner_node = inner.node
    parts = _arguments(inner_node)
    wrapper_node = wrapper.node
    if wrapper_node.args and wrapper_node.args[0] is inner_node:
        written = f"{_text(inner_node.func)}({', '.join(parts)})"
        wrapper_parts = _arguments(wrapper_node, written)
    else:
        wrapper_parts = _arguments(wrapper_node)
    return (
        _named(wrapper.name, _bare(wrapper_parts), HEADLINE_ARGS_TEXT),
        _named(inner.name, parts, _MAX_ARGS_TEXT),
        _named(inner.name, _bare(parts), HEADLINE_ARGS_TEXT),
    )


def _arguments(node: ast.Call, first: str | None = None) -> list[str]:
    """The call's arguments as written: positional, then keywords (``first``: the first
    positional argument's text, already written)."""
    if first is None:
        parts = [_text(a) for a in node.args]
    else:
        parts = [first]
        parts += [_text(a) for a in node.args[1:]]
    for keyword in node.keywords:
        name = keyword.arg
        parts.append(f"{name}={_text(keyword.value)}" if name else f"**{_text(keyword.value)}")
    return parts


def _bare(parts: list[str]) -> list[str]:
    """The arguments with the calls in them named without their module."""
    # most arguments have no dot: no substitution to try (half of a brief)
    return [_MODULE_PREFIX.sub("", p) if "." in p else p for p in parts]


def _named(name: str, parts: list[str], limit: int) -> str:
    inner = ", ".join(parts)
    if len(inner) > limit:
        inner = _cut(parts, limit)
    return f"{name}({inner})"


def _cut(parts: list[str], limit: int) -> str:
    """The leading whole arguments that fit in ``limit``, then ``...``."""
    kept: list[str] = []
    for part in parts:
        if len(", ".join([*kept, part])) > limit - 5:
            break
        kept.append(part)
    if not kept:  # the first argument is longer than the limit: keep its head
        first = parts[0]
        call = _CALL_HEAD.match(first)
        return f"{call.group(0)}...)" if call else "..."
    return ", ".join([*kept, "..."])


def _text(node: ast.expr) -> str:
    # The common arguments by hand: ast.unparse is comparatively slow, and a file can have
    # hundreds of diagnostics. By exact type (a parsed tree has no subclasses of its nodes).
    kind = type(node)
    if kind is _CONSTANT:
        value = node.value  # type: ignore[attr-defined]
        if type(value) in _PLAIN_LITERALS:
            return repr(value)
    elif kind is _NAME:
        return node.id  # type: ignore[attr-defined]
    elif kind is _ATTRIBUTE:
        return f"{_text(node.value)}.{node.attr}"  # type: ignore[attr-defined]
    elif kind is _CALL:
        return f"{_text(node.func)}({', '.join(_arguments(node))})"  # type: ignore[attr-defined, arg-type]
    elif kind is _TUPLE and node.elts:  # type: ignore[attr-defined]
        elts = node.elts  # type: ignore[attr-defined]
        inner = ", ".join([_text(e) for e in elts])
        return f"({inner},)" if len(elts) == 1 else f"({inner})"
    try:
        return ast.unparse(node)
    except Exception:  # unparse of odd nodes must never break a lint run
        return "..."


_CONSTANT, _NAME, _ATTRIBUTE, _CALL, _TUPLE = (
    ast.Constant, ast.Name, ast.Attribute, ast.Call, ast.Tuple
)  # fmt: skip
_PLAIN_LITERALS = frozenset({int, float, str, bool})


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


@record(frozen=True)
class MissingTimeAxis:
    """Why a rank-2 tensor has no time axis, and how to fix it."""

    cause: str  # a clause for the long form; names lines
    fix: str  # the fix for the long form; names lines
    short_fix: str  # the fix for the headline; names no line
    related: tuple[tuple[str, ast.AST], ...]  # where the time axis was lost


def missing_time_axis(tensor: Tensor, *, long: bool = True) -> MissingTimeAxis:
    """Why ``tensor`` (rank 2) has no time axis, and the fix; without ``long``, the headline's
    part only (``cause`` and ``fix`` empty: they describe layers at length)."""
    recurrent = dropped_last_step(tensor)
    if recurrent is not None:
        owner = sequence_layer(recurrent.layer)
        return MissingTimeAxis(
            f"{describe(recurrent.layer)} on line {line_of(recurrent)} returns only its last step "
            "(return_sequences=False)"
            if long
            else "",
            f"pass return_sequences=True to {owner.name} on line {line_of_node(owner)}"
            if long
            else "",
            f"return_sequences=True on {brief(owner)}",
            ((f"{owner.name} returns only its last step here", owner.node),),
        )
    event = tensor.time_event
    if event is not None:
        return MissingTimeAxis(
            f"{describe(event.layer)} on line {line_of(event)} removed the time axis"
            if long
            else "",
            "keep the time axis, or drop the layer's sequence expectation" if long else "",
            f"keep the time axis {brief(event.layer)} removes",
            ((f"{event.layer.name} removes the time axis here", event.layer.node),),
        )
    cause = ""
    if long:
        producer = tensor.producer
        if producer is None or producer.layer.name == "Input":
            cause = f"it comes{origin(tensor)}, which has no time axis"
        else:
            cause = f"it comes{origin(tensor)}, and the model input has no time axis either"
    model_input = _model_input(tensor)
    return MissingTimeAxis(
        cause,
        "give the model an input of shape (timesteps, features)" if long else "",
        "a model input of shape (timesteps, features)",
        (("the model input, without a time axis", model_input.layer.node),)
        if model_input is not None
        else (),
    )


def explained_time_axis(key: str, layer: Layer, tensor: Tensor) -> dict[str, object]:
    """``{key: describe(layer)}`` and the long form's ``cause`` and ``fix`` of
    ``missing_time_axis``: a rule's ``details`` for a layer whose input has no time axis."""
    missing = missing_time_axis(tensor)
    return {key: describe(layer), "cause": missing.cause, "fix": missing.fix}


def _model_input(tensor: Tensor, budget: int = 1_000) -> LayerCall | None:
    """The ``Input`` call ``tensor`` comes from along first inputs, if the file has one."""
    producer = tensor.producer
    while producer is not None and budget > 0:
        if producer.layer.name == "Input":
            return producer
        if not producer.inputs:
            return None
        producer = producer.inputs[0].producer
        budget -= 1
    return None


def starved_of_time_axis(
    apps: list[LayerCall], needed_rank: Callable[[LayerCall], int | None]
) -> Iterator[tuple[LayerCall, Tensor, MissingTimeAxis]]:
    """Applications whose input is exactly one axis short of ``needed_rank``: the time axis.

    Yields the application, its input, and why the time axis is missing (the headline's part:
    ``explained_time_axis`` gives the rest).
    """
    for app in apps:
        rank = needed_rank(app)
        if rank is None or not app.inputs:
            continue
        source = app.inputs[0]
        if source.shape is not None and source.shape.rank == rank - 1:
            yield app, source, missing_time_axis(source, long=False)


def leading_axis(tensor: Tensor) -> tuple[str, str, str, str]:
    """What axis 1 of a rank >= 3 input of TimeDistributed is: (what the input is, where Dense
    applies its weights, what the wrapper loops over, what the input is in a headline).

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
            "has rank 3 or more",
        )
    return (
        "is already a sequence",
        "at every timestep",
        "once per timestep",
        "is already a sequence",
    )


# What Keras does with mismatched targets, as a headline says it (keys: fit_targets' behaviours).
HEADLINE_BEHAVIOUR = {
    RAISES: "Keras raises",
    RAISES_MOST: "raises or broadcasts",
    RAISES_UNLESS_ONE: "raises unless batch is 1",
    SILENT: "broadcasts silently",
    MAY_BROADCAST: "may broadcast",
}


def targets_of(method: str) -> str:
    """How a headline names the targets: ``y``, or ``validation y`` inside validation_data."""
    return "validation y" if "validation_data" in method else "y"
