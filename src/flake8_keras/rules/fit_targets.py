"""KRS201 last-step-output-sequence-targets and KRS202 sequence-output-per-sample-targets.

The model's output is compared with the targets the way Keras compares them: sparse losses
expect one axis fewer than the output; every other loss expects the same rank, and Keras squeezes
or adds a trailing axis of size 1 to make the ranks agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from flake8_keras.graph.build import Graph
from flake8_keras.graph.values import Const, FitCall, KerasRef, Shape, Tensor, Value
from flake8_keras.layers import is_recurrent, sequence_layer
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.describe import describe, dropped_last_step, line_of, line_of_node

_RAISING = re.compile(r"crossentropy|hinge|kl_?divergence|kld|poisson|focal")
_BROADCASTING = re.compile(r"squared|absolute|mse|mae|mape|msle|huber|log_?cosh|cosine")


def loss_name(loss: Value) -> str | None:
    """``"mse"``, ``keras.losses.MeanSquaredError()`` -> ``mean_squared_error``; None if unknown."""
    if isinstance(loss, Const) and isinstance(loss.value, str):
        return loss.value.lower()
    if isinstance(loss, KerasRef) and loss.path.startswith("keras.losses."):
        return re.sub(r"(?<!^)(?=[A-Z])", "_", loss.symbol).lower()
    return None


def _sparse_options(loss: str | None) -> tuple[bool, ...]:
    """Whether the loss is sparse; both when the loss is unknown (a claim must hold for both)."""
    if loss is None:
        return (True, False)
    return (loss.startswith("sparse"),)


def consequence(loss: str | None, output: Shape) -> str:
    if loss is None:
        return "the model may train on broadcast targets"
    if _RAISING.search(loss):
        return f"with {loss} Keras raises at fit (the target and output ranks differ)"
    if _BROADCASTING.search(loss):
        if output.dims[-1] == 1:
            return f"with {loss} the output is broadcast over the targets and trains silently"
        return (
            f"with {loss} Keras raises 'Incompatible shapes' on most batches but trains "
            "silently on broadcast targets when the batch size is 1 or equals the number of "
            "timesteps"
        )
    return f"with {loss} the model may train on broadcast targets"


def _last_step_mismatch(out: Shape, y: Shape, sparse: bool) -> bool:
    """A (batch, units) output against targets that keep a time axis."""
    if sparse:
        # expects (n,) or (n, 1): (n, T) with T > 1, or more axes, keeps a time axis
        return y.rank >= 3 or (y.rank == 2 and y.dims[1] is not None and y.dims[1] != 1)
    if y.rank >= 4:
        return True
    if y.rank != 3:
        return False
    steps, last = y.dims[1], y.dims[2]
    if last == 1:
        # (n, T, 1) squeezes to (n, T): fine for Dense(T) (the multi-step design), wrong otherwise
        units = out.dims[-1]
        return steps is not None and units is not None and steps != units
    return last is not None


def _per_sample_mismatch(out: Shape, y: Shape, sparse: bool) -> bool:
    """A (batch, T, units) output against targets without a time axis."""
    steps, units = out.dims[1], out.dims[-1]
    if sparse:
        return y.rank == 1 or (y.rank == 2 and y.dims[1] == 1 and steps != 1)
    if y.rank == 1:
        return True
    if y.rank != 2 or y.dims[1] is None or units is None:
        return False
    width = y.dims[1]
    if steps is not None and width == steps:
        return False  # one value per timestep: (n, T) squeezes against (batch, T, 1)
    if units == 1:
        # (n, 1) is one value per sample; (n, k) against an unknown T is ambiguous
        return steps is not None or width == 1
    return width == units  # (n, C) one-hot per sample against (batch, T, C)


class _TargetsRule(Rule):
    def fits(self, graph: Graph) -> Iterator[tuple[FitCall, Tensor, Shape, Shape, str | None]]:
        for fit in graph.fits:
            out = fit.model.output
            if out is None or out.shape is None or not isinstance(fit.y, Tensor):
                continue
            if fit.y.shape is None or fit.y.shape.rank == 0:
                continue
            yield fit, out, out.shape, fit.y.shape, loss_name(fit.model.loss)


class LastStepOutputSequenceTargets(_TargetsRule):
    code = "KRS201"
    name = "last-step-output-sequence-targets"
    summary = "an output without a time axis (return_sequences=False) trained on sequence targets"

    def check(self, graph: Graph) -> Iterator[Diagnostic]:
        for fit, out, shape, y, loss in self.fits(graph):
            recurrent = dropped_last_step(out)
            if recurrent is None or shape.rank != 2:
                continue
            if not all(_last_step_mismatch(shape, y, s) for s in _sparse_options(loss)):
                continue
            owner = sequence_layer(recurrent.layer)
            message = (
                f"{self.code} the model's output {shape} has no time axis because "
                f"{describe(recurrent.layer)} on line {line_of(recurrent)} returns only its last "
                f"step (return_sequences=False), but the {fit.method} targets {y} are sequences: "
                f"{consequence(loss, shape)} (fix: pass return_sequences=True to {owner.name} on "
                f"line {line_of_node(owner)}, or train on per-sample targets)"
            )
            yield Diagnostic(self.code, fit.y_node, message, app=recurrent, fit=fit)


class SequenceOutputPerSampleTargets(_TargetsRule):
    code = "KRS202"
    name = "sequence-output-per-sample-targets"
    summary = "a sequence output (return_sequences=True) trained on per-sample targets"

    def check(self, graph: Graph) -> Iterator[Diagnostic]:
        for fit, out, shape, y, loss in self.fits(graph):
            event = out.time_event
            if event is None or not is_recurrent(event.layer) or shape.rank != 3:
                continue
            if sequence_layer(event.layer).const("return_sequences", default=False) is not True:
                continue
            if not all(_per_sample_mismatch(shape, y, s) for s in _sparse_options(loss)):
                continue
            message = (
                f"{self.code} the model's output {shape} keeps the time axis because "
                f"{describe(event.layer)} on line {line_of(event)} returns every step "
                f"(return_sequences=True), but the {fit.method} targets {y} have one value per "
                f"sample: {consequence(loss, shape)} (fix: drop return_sequences=True from the "
                "last recurrent layer, or train on per-timestep targets)"
            )
            yield Diagnostic(self.code, fit.y_node, message, app=event, fit=fit)
