"""KRS103 recurrent-needs-sequence."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_keras.keras.layers import LAYERS
from flake8_keras.keras.model import LayerCall, ModelGraph
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.describe import describe, starved_of_time_axis


class RecurrentNeedsSequence(Rule):
    code = "KRS103"
    name = "recurrent-needs-sequence"
    summary = "a recurrent layer whose input has no time axis"

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for app, source, cause, fix in starved_of_time_axis(graph.apps, _recurrent_rank):
            rank = _recurrent_rank(app)
            yield Diagnostic(
                self.code,
                app.layer.node,
                f"{self.code} {describe(app.layer)} needs a sequence input with "
                f"{rank} axes (batch, timesteps, ...), but its input {source.shape} "
                f"has no time axis: {cause}, so the model fails when built (fix: {fix})",
                app=app,
            )


def _recurrent_rank(app: LayerCall) -> int | None:
    kind = LAYERS.get(app.layer.name)
    return kind.input_rank if kind is not None and kind.recurrent else None
