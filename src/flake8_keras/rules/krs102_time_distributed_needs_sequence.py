"""KRS102 time-distributed-needs-sequence."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from flake8_keras.keras.layers import min_input_rank
from flake8_keras.keras.model import LayerCall, ModelGraph
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.describe import brief, explained_time_axis, starved_of_time_axis


class TimeDistributedNeedsSequence(Rule):
    """
    ## What it does
    Finds `TimeDistributed(...)` whose input is known to have rank 2 (no time axis: after
    `return_sequences=False`, `Flatten`, global pooling).

    ## Why is this bad?
    The model fails when it is built: "`TimeDistributed` Layer should be passed an
    `input_shape` with at least 3 dimensions". The message names the layer that dropped the time
    axis.

    ## Example

    ## Use instead

    ## Notes
    `RepeatVector`, `Reshape`, `Embedding` and `GlobalPooling(keepdims=True)` restore or keep a
    time axis and are followed correctly.
    """

    code = "KRS102"
    name = "time-distributed-needs-sequence"
    summary = "TimeDistributed on an input without a time axis"
    reported_at = "the `TimeDistributed(` call"
    triggers = ("TimeDistributed",)
    message = "{wrapper} gets {shape}, which has no time axis (fix: {short_fix})"
    explanation = (
        "{long_wrapper} needs a sequence input (batch, timesteps, ...), but its input {shape} has "
        "no time axis: {cause}, so the model fails when built (fix: {fix})"
    )

    INVALID = (
        Invalid(
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(30, 8))
            last = layers.LSTM(16)(inputs)
            out = layers.TimeDistributed(layers.Dense(1))(last)  # KRS102: 7
            """
        ),
        Invalid(
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(10, 4))
            flat = layers.Flatten()(inputs)
            out = layers.TimeDistributed(layers.Dense(2))(flat)  # KRS102: 7
            """
        ),
    )
    VALID = (
        Valid(
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(30, 8))
            seq = layers.LSTM(16, return_sequences=True)(inputs)
            out = layers.Dense(1)(seq)
            """
        ),
        Valid(
            # RepeatVector gives the last step a time axis again (the Dense is then KRS101's)
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(30, 8))
            last = layers.LSTM(16)(inputs)
            steps = layers.RepeatVector(5)(last)
            out = layers.TimeDistributed(layers.Dense(1))(steps)  # KRS101: 7
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for app, source, missing in starved_of_time_axis(
            graph.apps_of(("TimeDistributed",)), _wrapper_rank
        ):
            yield self.report(
                app.layer.node,
                {
                    "wrapper": brief(app.layer),
                    "shape": source.shape,
                    "short_fix": missing.short_fix,
                },
                app=app,
                related=missing.related,
                details=partial(explained_time_axis, "long_wrapper", app.layer, source),
            )


def _wrapper_rank(app: LayerCall) -> int | None:
    """TimeDistributed needs (batch, timesteps, ...): its spec's rank rule says how many axes."""
    return min_input_rank(app.layer) if app.layer.name == "TimeDistributed" else None
