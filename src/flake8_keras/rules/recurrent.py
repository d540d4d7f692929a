"""KRS103 recurrent-needs-sequence."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_keras.graph.build import Graph
from flake8_keras.layers import LAYERS
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.describe import describe, missing_time_axis


class RecurrentNeedsSequence(Rule):
    code = "KRS103"
    name = "recurrent-needs-sequence"
    summary = "a recurrent layer whose input has no time axis"

    def check(self, graph: Graph) -> Iterator[Diagnostic]:
        for app in graph.apps:
            kind = LAYERS.get(app.layer.name)
            if kind is None or not kind.recurrent or kind.input_rank is None or not app.inputs:
                continue
            source = app.inputs[0]
            # One axis short of what the layer needs: the time axis is missing.
            if source.shape is None or source.shape.rank != kind.input_rank - 1:
                continue
            cause, fix = missing_time_axis(source)
            yield Diagnostic(
                self.code,
                app.layer.node,
                f"{self.code} {describe(app.layer)} needs a sequence input with "
                f"{kind.input_rank} axes (batch, timesteps, ...), but its input {source.shape} "
                f"has no time axis: {cause}, so the model fails when built (fix: {fix})",
                app=app,
            )
