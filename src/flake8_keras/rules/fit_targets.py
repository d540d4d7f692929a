"""KRS201 last-step-output-sequence-targets and KRS202 sequence-output-per-sample-targets.

The model's output is compared with the targets the way Keras compares them: sparse losses
expect one axis fewer than the output; every other loss expects the same rank, and Keras squeezes
or adds a trailing axis of size 1 to make the ranks agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from flake8_keras.engine.values import Const, SymbolRef, Value
from flake8_keras.keras.layers import is_recurrent, sequence_layer
from flake8_keras.keras.model import FitCall, ModelGraph, Shape, Tensor
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.describe import describe, dropped_last_step, line_of, line_of_node

# How Keras meets an output and targets whose ranks differ, measured per loss (Keras 3.15 and
# tf_keras 2.21, one training step eagerly and compiled, batch sizes 3, T and 1; docs/verify.md).
# Element-wise losses broadcast: "Incompatible shapes" on most batches, silent training when the
# batch size is 1 or T, and always silent against an output of one unit.
_BROADCASTING = re.compile(
    r"squared|absolute|mse|mae|mape|msle|huber|log_?cosh|cosine|hinge|kl_?divergence|kld|poisson"
)
# categorical_focal_crossentropy broadcasts in Keras 3 and raises in tf_keras; the binary
# crossentropies raise against a per-sample target in Keras 3 and broadcast in tf_keras.
_VERSION_DEPENDENT = re.compile(r"categorical_focal")
_VERSION_DEPENDENT_PER_SAMPLE = re.compile(r"binary")
# The other crossentropies compare the ranks and raise at every batch size in both.
_RAISING = re.compile(r"crossentropy|focal")
# The names the verifier passes to Keras: a string Keras does not know as a loss may resolve to
# any function of its losses module (``"deserialize"``), which compile would then call.
KNOWN_LOSSES = frozenset(
    {
        "mse", "mae", "mape", "msle", "kld", "huber", "huber_loss", "log_cosh", "logcosh",
        "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
        "mean_squared_logarithmic_error", "cosine_similarity", "hinge", "squared_hinge",
        "categorical_hinge", "kl_divergence", "kullback_leibler_divergence", "poisson",
        "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
        "binary_focal_crossentropy", "categorical_focal_crossentropy",
    }
)  # fmt: skip

# What a message claims Keras does (the verifier checks that it does exactly that).
RAISES = "raises"  # at every batch size
RAISES_MOST = "raises on most batches"  # trains silently when the batch size is 1 or T
# Rank-1 targets against a sequence of several units: silent only when the batch size is 1.
RAISES_UNLESS_ONE = "raises unless the batch size is 1"
SILENT = "trains silently"  # at every batch size
MAY_BROADCAST = "may train on broadcast targets"  # unknown loss, or Keras versions differ
# A class name in snake case: acronyms stay whole (KLDivergence -> kl_divergence).
_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def loss_name(loss: Value) -> str | None:
    """``"mse"``, ``keras.losses.MeanSquaredError()`` -> ``mean_squared_error``; None if unknown."""
    if isinstance(loss, Const) and isinstance(loss.value, str):
        return loss.value.lower()
    if isinstance(loss, SymbolRef) and loss.path.startswith("keras.losses."):
        return _WORD_START.sub("_", loss.symbol).lower()
    return None


def _sparse_options(loss: str | None) -> tuple[bool, ...]:
    """Whether the loss is sparse; both when the loss is unknown (a claim must hold for both)."""
    if loss is None:
        return (True, False)
    return (loss.startswith("sparse"),)


def claimed_behaviour(loss: str | None, output: Shape, targets: Shape, per_sample: bool) -> str:
    """What Keras does with this loss when the output and target ranks differ (one of RAISES,
    RAISES_MOST, RAISES_UNLESS_ONE, SILENT, MAY_BROADCAST); ``per_sample``: the targets lack the
    output's time axis (KRS202)."""
    if loss is None:
        return MAY_BROADCAST
    if _BROADCASTING.search(loss):
        if output.dims[-1] == 1:
            return SILENT
        if not per_sample and targets.rank == 3 and targets.dims[-1] == 1:
            return RAISES  # (n, T, 1) is squeezed to (n, T): against (batch, units) at any batch
        return RAISES_UNLESS_ONE if per_sample and targets.rank == 1 else RAISES_MOST
    if _VERSION_DEPENDENT.search(loss) or (
        per_sample and _VERSION_DEPENDENT_PER_SAMPLE.search(loss)
    ):
        return MAY_BROADCAST
    if _RAISING.search(loss):
        return RAISES
    return MAY_BROADCAST


def consequence(loss: str | None, output: Shape, targets: Shape, per_sample: bool) -> str:
    behaviour = claimed_behaviour(loss, output, targets, per_sample)
    if loss is None:
        return "the model may train on broadcast targets"
    if behaviour == RAISES:
        return f"with {loss} Keras raises at fit (the target and output ranks differ)"
    if behaviour == SILENT:
        return f"with {loss} the output is broadcast over the targets and trains silently"
    if behaviour == RAISES_MOST:
        return (
            f"with {loss} Keras raises 'Incompatible shapes' on most batches but trains "
            "silently on broadcast targets when the batch size is 1 or equals the number of "
            "timesteps"
        )
    if behaviour == RAISES_UNLESS_ONE:
        return (
            f"with {loss} Keras raises 'Incompatible shapes' unless the batch size is 1, where "
            "it trains silently on broadcast targets"
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
    def fits(self, graph: ModelGraph) -> Iterator[tuple[FitCall, Tensor, Shape, Shape, str | None]]:
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

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
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
                f"{consequence(loss, shape, y, False)} (fix: pass return_sequences=True to "
                f"{owner.name} on line {line_of_node(owner)}, or train on per-sample targets)"
            )
            yield Diagnostic(self.code, fit.y_node, message, app=recurrent, fit=fit)


class SequenceOutputPerSampleTargets(_TargetsRule):
    code = "KRS202"
    name = "sequence-output-per-sample-targets"
    summary = "a sequence output (return_sequences=True) trained on per-sample targets"

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
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
                f"sample: {consequence(loss, shape, y, True)} (fix: drop return_sequences=True "
                "from the last recurrent layer, or train on per-timestep targets)"
            )
            yield Diagnostic(self.code, fit.y_node, message, app=event, fit=fit)
