"""KRS101 redundant-time-distributed and KRS102 time-distributed-needs-sequence."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_keras.graph.build import Graph
from flake8_keras.graph.values import LayerApp
from flake8_keras.layers import dense_params
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.describe import describe, origin, starved_of_time_axis

# Dense arguments that Keras 3 ignores inside TimeDistributed (it calls the inner call() directly).
BEHAVIOUR_CHANGING_ARGS = ("activity_regularizer", "dtype")


class RedundantTimeDistributed(Rule):
    code = "KRS101"
    name = "redundant-time-distributed"
    summary = "TimeDistributed(Dense) on an input that is already a sequence"

    def check(self, graph: Graph) -> Iterator[Diagnostic]:
        if graph.keras1:
            return  # Keras 1's Dense refused rank-3 input: the wrapper was needed there
        for app in graph.apps:
            inner = app.layer.inner() if app.layer.name == "TimeDistributed" else None
            if inner is None or inner.name != "Dense" or not app.inputs:
                continue
            source = app.inputs[0]
            if source.shape is None or source.shape.rank < 3:
                continue
            params = dense_params(inner, source.shape.dims[-1])
            weights = f"the same {params} parameters" if params is not None else "the same weights"
            unsafe = tuple(a for a in BEHAVIOUR_CHANGING_ARGS if a in inner.kwargs)
            message = (
                f"{self.code} {describe(app.layer)} is redundant: its input {source.shape}"
                f"{origin(source)} is already a sequence, and Dense applies {weights} at every "
                "timestep; Keras 3 runs the wrapper once per timestep, which is slower"
            )
            if unsafe:
                message += (
                    f"; unwrapping changes behaviour: Keras 3 ignores the inner Dense's "
                    f"{' and '.join(unsafe)} inside TimeDistributed"
                )
            yield Diagnostic(
                self.code,
                app.layer.node,
                f"{message} (fix: {describe(inner)})",
                app=app,
                unsafe_fix=unsafe,
            )


class TimeDistributedNeedsSequence(Rule):
    code = "KRS102"
    name = "time-distributed-needs-sequence"
    summary = "TimeDistributed on an input without a time axis"

    def check(self, graph: Graph) -> Iterator[Diagnostic]:
        for app, source, cause, fix in starved_of_time_axis(graph.apps, _wrapper_rank):
            yield Diagnostic(
                self.code,
                app.layer.node,
                f"{self.code} {describe(app.layer)} needs a sequence input "
                f"(batch, timesteps, ...), but its input {source.shape} has no time axis: "
                f"{cause}, so the model fails when built (fix: {fix})",
                app=app,
            )


def _wrapper_rank(app: LayerApp) -> int | None:
    """TimeDistributed needs (batch, timesteps, ...): at least 3 axes."""
    return 3 if app.layer.name == "TimeDistributed" else None
