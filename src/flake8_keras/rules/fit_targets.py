"""What KRS201 and KRS202 share: the fits to compare, and what each loss does with the ranks.

The model's output is compared with the targets the way Keras compares them: sparse losses
expect one axis fewer than the output; every other loss expects the same rank, and Keras squeezes
or adds a trailing axis of size 1 to make the ranks agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from flake8_keras.engine.values import Const, SymbolRef, Value
from flake8_keras.keras.model import FitCall, ModelGraph, Shape, Tensor
from flake8_keras.keras.training import input_of
from flake8_keras.records import record
from flake8_keras.rules.data_input import from_array_shape

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


def sparse_options(loss: str | None) -> tuple[bool, ...]:
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


@record(frozen=True)
class Trained:
    """A fit whose model output and targets both have a known shape."""

    fit: FitCall
    output: Tensor
    output_shape: Shape
    targets: Shape
    loss: str | None


def trained(graph: ModelGraph) -> list[Trained]:
    """The fits whose model output and targets have known shapes (once per graph)."""
    return graph.derived("trained", lambda g: list(_trained(g)))


def _trained(graph: ModelGraph) -> Iterator[Trained]:
    for fit in graph.fits:
        out = fit.model.output
        if out is None or out.shape is None or not isinstance(fit.y, Tensor):
            continue
        if fit.y.shape is None or fit.y.shape.rank == 0:
            continue
        if _declared_from_an_array_shape(graph, fit):
            continue  # the output's shape is wrong by construction: KRS302 names the cause
        yield Trained(fit, out, out.shape, fit.y.shape, loss_name(fit.model.loss))


def _declared_from_an_array_shape(graph: ModelGraph, fit: FitCall) -> bool:
    """The model's input was declared as ``X.shape`` (the sample axis included)."""
    taken = input_of(graph, fit.model)
    return taken is not None and from_array_shape(taken) is not None
