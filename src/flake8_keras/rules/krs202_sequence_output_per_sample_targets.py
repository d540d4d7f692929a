"""KRS202 sequence-output-per-sample-targets."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_keras.keras.layers import is_recurrent, sequence_layer
from flake8_keras.keras.model import ModelGraph, Shape
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.describe import HEADLINE_BEHAVIOUR, describe, line_of, targets_of
from flake8_keras.rules.fit_targets import (
    claimed_behaviour,
    consequence,
    sparse_options,
    trained,
)
from flake8_keras.rules.gate_words import TRAINING


class SequenceOutputPerSampleTargets(Rule):
    """
    ## What it does
    The reverse of KRS201: the output keeps the time axis (`return_sequences=True` on the last
    recurrent layer) and the targets have none: `(n, 1)` against `(n, T, 1)`, or `(n,)` labels
    against `(n, T, C)` with a sparse loss.

    ## Why is this bad?
    With mse/mae the targets broadcast over every timestep and the model trains silently on the
    wrong objective; crossentropies raise at `fit`. The message names the recurrent layer that
    kept the time axis.

    ## Example

    ## Use instead
    Or train on per-timestep targets of shape `(256, 20, 1)`.
    """

    code = "KRS202"
    name = "sequence-output-per-sample-targets"
    summary = "a sequence output (return_sequences=True) trained on per-sample targets"
    reported_at = "the same place as KRS201: the targets"
    triggers = ("LSTM", "GRU", "RNN")  # only a recurrent layer keeps the time axis it reports
    requires = (TRAINING,)
    message = (
        "{owner} keeps the time axis: output {output} vs {short_method} {targets}; "
        "{short_behaviour} (fix: return_sequences=False)"
    )
    explanation = (
        "the model's output {output} keeps the time axis because {recurrent} on line "
        "{recurrent_line} returns every step (return_sequences=True), but the {method} targets "
        "{targets} have one value per sample: {consequence} (fix: drop return_sequences=True "
        "from the last recurrent layer, or train on per-timestep targets)"
    )

    INVALID = (
        Invalid(
            """
            import numpy as np
            from keras import Sequential
            from keras.layers import LSTM, Dense

            model = Sequential([LSTM(16, return_sequences=True, input_shape=(20, 4)), Dense(1)])
            model.compile(loss="mse", optimizer="adam")
            model.fit(np.random.rand(256, 20, 4), np.random.rand(256, 1))  # KRS202: 39
            """
        ),
        Invalid(
            # one label per sample against a softmax per timestep
            """
            import numpy as np
            from keras import Input, Sequential
            from keras.layers import GRU, Dense

            model = Sequential([Input(shape=(20, 4)), GRU(8, return_sequences=True), Dense(5)])
            model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
            labels = np.random.randint(0, 5, size=(256,))
            model.fit(np.zeros((256, 20, 4)), labels)  # KRS202: 35
            """
        ),
    )
    VALID = (
        Valid(
            """
            import numpy as np
            from keras import Sequential
            from keras.layers import LSTM, Dense

            model = Sequential([LSTM(16, input_shape=(20, 4)), Dense(1)])
            model.compile(loss="mse", optimizer="adam")
            model.fit(np.random.rand(256, 20, 4), np.random.rand(256, 1))
            """
        ),
        Valid(
            # one value per timestep: (n, T) squeezes against (batch, T, 1)
            """
            import numpy as np
            from keras import Sequential
            from keras.layers import LSTM, Dense

            model = Sequential([LSTM(16, return_sequences=True, input_shape=(20, 4)), Dense(1)])
            model.compile(loss="mse", optimizer="adam")
            model.fit(np.random.rand(256, 20, 4), np.random.rand(256, 20))
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for t in trained(graph):
            event = t.output.time_event
            if event is None or not is_recurrent(event.layer) or t.output_shape.rank != 3:
                continue
            if sequence_layer(event.layer).const("return_sequences", default=False) is not True:
                continue
            if not all(_mismatch(t.output_shape, t.targets, s) for s in sparse_options(t.loss)):
                continue
            owner = sequence_layer(event.layer)
            behaviour = claimed_behaviour(t.loss, t.output_shape, t.targets, True)
            yield self.report(
                t.fit.y_node,
                {
                    "owner": owner.name,
                    "short_behaviour": HEADLINE_BEHAVIOUR[behaviour],
                    "short_method": targets_of(t.fit.method),
                    "output": t.output_shape,
                    "recurrent": describe(event.layer),
                    "recurrent_line": line_of(event),
                    "method": t.fit.method,
                    "targets": t.targets,
                    "loss": t.loss,
                    "behaviour": behaviour,
                    "consequence": consequence(t.loss, t.output_shape, t.targets, True),
                },
                app=event,
                fit=t.fit,
                related=((f"{owner.name} returns every step here", owner.node),),
            )


def _mismatch(out: Shape, y: Shape, sparse: bool) -> bool:
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
