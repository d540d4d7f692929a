"""The checks of KRS501-KRS504: a layer that cannot build, rebuilt in Keras.

Each claim is rebuilt from the model input up to the failing layer (every layer before it must
build), then the failing layer is called on what it receives. ``confirmed`` only when Keras
refuses it for the claimed reason (the quoted message says so) and a control build with the
fix the message proposes succeeds: an input of the needed rank (KRS501), ``padding="same"`` or
no cropping (KRS502), a target of the input's element count (KRS503), equal input shapes
(KRS504).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from math import prod
from typing import Any

from flake8_keras.engine.calls import CallArgs
from flake8_keras.engine.values import Const
from flake8_keras.keras.layers import apply
from flake8_keras.keras.model import Layer, LayerCall, Shape
from flake8_keras.rules.base import Diagnostic
from flake8_keras.rules.describe import describe, line_of
from flake8_keras.verify.rebuild import Builder, NotRebuildable, short, takes_list
from flake8_keras.verify.runtime import Runtime
from flake8_keras.verify.verdict import CONFIRMED, INCONCLUSIVE, REFUTED, Verdict

# What Keras says for each kind of refusal (Keras 3 and tf_keras wordings).
RANK_ERROR = re.compile(r"ndim|at least \d+ dimensions|rank", re.IGNORECASE)
WINDOW_ERROR = re.compile(
    r"zero or negative|negative dimension|must be smaller than the input|cropping", re.IGNORECASE
)
ELEMENTS_ERROR = re.compile(r"total size|unchanged|cannot reshape|target_shape", re.IGNORECASE)
MERGE_ERROR = re.compile(
    r"incompatible (input )?shapes|matching shapes|exactly 2 inputs|batch sizes|axis values",
    re.IGNORECASE,
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Units and filters never decide whether a rank or a window fits.
_NEUTRAL = {"units": 8, "filters": 8}
# Where ``padding`` sits among the positional arguments of each kind of layer.
_PADDING_POSITION = (("Depthwise", 2), ("Pool", 2), ("Conv", 3))

# A control: (the Keras layer to call, what to call it on, what the fix was) or None.
Control = Callable[[Builder, LayerCall, list[Any]], "tuple[Any, Any, str] | None"]


def _quote(error: BaseException) -> str:
    return _ANSI.sub("", short(error)).strip()


def _dims(tensor: Any) -> tuple[int | None, ...]:
    return tuple(None if d is None else int(d) for d in tensor.shape)


def check_refusal(
    d: Diagnostic, rt: Runtime, *, pattern: re.Pattern[str], control: Control, neutral: bool
) -> Verdict:
    app = d.app
    if app is None or not app.inputs:
        return Verdict(INCONCLUSIVE, "the claim names no layer application")
    builder = Builder(rt, dict(_NEUTRAL) if neutral else None)
    sources = [builder.tensor(t) for t in app.inputs]  # raises NotRebuildable upstream
    shapes = [_dims(s) for s in sources]
    received = ", ".join(str(Shape(s)) for s in shapes)
    at = f"{describe(app.layer)} on line {line_of(app)}"
    notes = "".join(f"; {n}" for n in builder.notes)
    measured: dict[str, object] = {"input_shapes": [list(s) for s in shapes]}
    layer = builder.layer(app.layer, fresh=True)
    try:
        out = layer(sources if takes_list(app) else sources[0])
    except Exception as error:
        quote = _quote(error)
        measured["error"] = quote
        if not pattern.search(quote):
            return Verdict(
                INCONCLUSIVE,
                f"{rt.module} refuses {at}, which receives {received}, for another reason: "
                f'"{quote}"{notes}',
                measured,
            )
        fixed = _control(builder, app, sources, control)
        measured["control"] = fixed
        if fixed.startswith("fails"):
            return Verdict(
                INCONCLUSIVE,
                f'{rt.module} refuses {at}, which receives {received}: "{quote}"; but the '
                f"control build with the fix {fixed}{notes}",
                measured,
            )
        return Verdict(
            CONFIRMED,
            f'{rt.module} refuses {at}, which receives {received}: "{quote}"; with the fix '
            f"{fixed}{notes}",
            measured,
        )
    measured["output_shape"] = list(_dims(out))
    return Verdict(
        REFUTED,
        f"{rt.module} builds {at}: it receives {received} and outputs {Shape(_dims(out))}{notes}",
        measured,
    )


def _control(builder: Builder, app: LayerCall, sources: list[Any], control: Control) -> str:
    try:
        plan = control(builder, app, sources)
    except NotRebuildable as reason:
        return f"fails: {reason}"
    if plan is None:
        return "fails: no control build for this layer"
    layer, inputs, fix = plan
    try:
        out = layer(inputs)
    except Exception as error:
        return f"fails ({fix}): {_quote(error)}"
    return f"({fix}) it builds: {Shape(_dims(out))}"


def _variant(app: LayerCall, changes: dict[str, object], position: int | None) -> Layer:
    """The failing layer with some arguments replaced (positional at ``position`` if passed so)."""
    layer = app.layer
    args = list(layer.args)
    kwargs = dict(layer.kwargs)
    for key, value in changes.items():
        if position is not None and position < len(args):
            args[position] = Const(value)
        else:
            kwargs[key] = Const(value)
    return Layer(layer.name, layer.node, CallArgs(tuple(args), kwargs))


def control_rank(builder: Builder, app: LayerCall, sources: list[Any]) -> Any:
    needed = _needed_rank(app)
    if needed is None:
        return None
    dims = _dims(sources[0])
    if len(dims) < needed:
        # a channel axis of 1; any further missing axes spatial, roomy enough for a window
        fixed = dims + (8,) * (needed - len(dims) - 1) + (1,)
    else:
        fixed = dims[:1] + dims[len(dims) - needed + 1 :]
    feed = builder.rt.keras.Input(batch_shape=fixed)
    return builder.layer(app.layer, fresh=True), feed, f"an input of shape {Shape(fixed)}"


def _needed_rank(app: LayerCall) -> int | None:
    result = apply(app.layer, [t.shape for t in app.inputs])
    fault = result.rejected or result.would_reject
    found = re.search(r"\d+", fault.expected) if fault is not None else None
    return int(found.group()) if found else None


def control_window(builder: Builder, app: LayerCall, sources: list[Any]) -> Any:
    name = app.layer.name
    if name.startswith("Cropping"):
        layer = builder.layer(_variant(app, {"cropping": 0}, 0), fresh=True)
        return layer, sources[0], "cropping=0"
    position = next((p for family, p in _PADDING_POSITION if family in name), None)
    layer = builder.layer(_variant(app, {"padding": "same"}, position), fresh=True)
    return layer, sources[0], "padding='same'"


def control_elements(builder: Builder, app: LayerCall, sources: list[Any]) -> Any:
    dims = _dims(sources[0])[1:]
    if any(d is None for d in dims):
        return None
    count = prod(d for d in dims if d is not None)
    layer = builder.layer(_variant(app, {"target_shape": (count,)}, 0), fresh=True)
    return layer, sources[0], f"target_shape=({count},)"


def control_merge(builder: Builder, app: LayerCall, sources: list[Any]) -> Any:
    same = [sources[0]] * len(sources)
    if app.layer.name == "Subtract":
        same = [sources[0]] * 2
    shape = Shape(_dims(sources[0]))
    return builder.layer(app.layer, fresh=True), same, f"every input of shape {shape}"


def _check(pattern: re.Pattern[str], control: Control, neutral: bool) -> Any:
    def check(d: Diagnostic, rt: Runtime) -> Verdict:
        return check_refusal(d, rt, pattern=pattern, control=control, neutral=neutral)

    return check


LAYER_CHECKS: dict[str, Callable[[Diagnostic, Runtime], Verdict]] = {
    "KRS501": _check(RANK_ERROR, control_rank, True),
    "KRS502": _check(WINDOW_ERROR, control_window, True),
    "KRS503": _check(ELEMENTS_ERROR, control_elements, False),
    "KRS504": _check(MERGE_ERROR, control_merge, False),
}
