"""KRS103 recurrent-needs-sequence."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from flake8_keras.keras.layers import RECURRENT_LAYERS, is_recurrent, min_input_rank
from flake8_keras.keras.model import LayerCall, ModelGraph
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.describe import brief, explained_time_axis, starved_of_time_axis


class RecurrentNeedsSequence(Rule):
    """
    ## What it does
    Finds a recurrent layer (`SimpleRNN`, `GRU`, `LSTM`, `CuDNNGRU`, `CuDNNLSTM`, `RNN(cell)`,
    `Bidirectional(...)`, `ConvLSTM1D/2D/3D`) whose input is known to lack the time axis.

    ## Why is this bad?
    It cannot build: "expected ndim=3, found ndim=2". Usually the previous recurrent layer lacks
    `return_sequences=True`; a `Sequential` without an input shape fails only at `fit`, far from
    the mistake. The message names that layer and its line.

    ## Example

    ## Use instead

    ## Notes
    Not reported after `RepeatVector`, for an RNN wrapped in `TimeDistributed`, for a
    `ConvLSTM2D` without `return_sequences` followed by convolutions, or when `return_sequences`
    comes from a parameter or `**kwargs`.
    """

    code = "KRS103"
    name = "recurrent-needs-sequence"
    summary = "a recurrent layer whose input has no time axis"
    reported_at = "the recurrent layer's call"
    # every recurrent layer's name holds one: SimpleRNN, CuDNNGRU, ConvLSTM2D, RNN(cell)
    triggers = ("LSTM", "GRU", "RNN")
    message = "{layer} gets {shape}, which has no time axis (fix: {short_fix})"
    explanation = (
        "{long_layer} needs a sequence input with {rank} axes (batch, timesteps, ...), but its "
        "input {shape} has no time axis: {cause}, so the model fails when built (fix: {fix})"
    )

    INVALID = (
        Invalid(
            """
            from keras.layers import LSTM
            from keras.models import Sequential

            model = Sequential()
            model.add(LSTM(64, input_shape=(30, 8)))
            model.add(LSTM(32))  # KRS103: 11
            """
        ),
        Invalid(
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(8,))
            h = layers.Dense(16)(inputs)
            out = layers.GRU(4)(h)  # KRS103: 7
            """
        ),
    )
    VALID = (
        Valid(
            """
            from keras.layers import LSTM
            from keras.models import Sequential

            model = Sequential()
            model.add(LSTM(64, return_sequences=True, input_shape=(30, 8)))
            model.add(LSTM(32))
            """
        ),
        Valid(
            # return_sequences is a parameter: unknown, so silent
            """
            from keras.layers import LSTM
            from keras.models import Sequential

            def build(sequences):
                model = Sequential()
                model.add(LSTM(64, return_sequences=sequences, input_shape=(30, 8)))
                model.add(LSTM(32))
                return model
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for app, source, missing in starved_of_time_axis(
            graph.apps_of(RECURRENT_LAYERS), _recurrent_rank
        ):
            yield self.report(
                app.layer.node,
                {
                    "layer": brief(app.layer),
                    "rank": _recurrent_rank(app),
                    "shape": source.shape,
                    "short_fix": missing.short_fix,
                },
                app=app,
                related=missing.related,
                details=partial(explained_time_axis, "long_layer", app.layer, source),
            )


def _recurrent_rank(app: LayerCall) -> int | None:
    return min_input_rank(app.layer) if is_recurrent(app.layer) else None
