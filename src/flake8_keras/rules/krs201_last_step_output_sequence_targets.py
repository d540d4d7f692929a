"""KRS201 last-step-output-sequence-targets."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_keras.keras.layers import sequence_layer
from flake8_keras.keras.model import ModelGraph, Shape
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.describe import (
    HEADLINE_BEHAVIOUR,
    describe,
    dropped_last_step,
    line_of,
    line_of_node,
    targets_of,
)
from flake8_keras.rules.fit_targets import (
    claimed_behaviour,
    consequence,
    sparse_options,
    trained,
)
from flake8_keras.rules.gate_words import TRAINING


class LastStepOutputSequenceTargets(Rule):
    """
    ## What it does
    Compares the model's output with the targets passed to `fit(x, y)` / `fit(y=...)`,
    `validation_data=(x, y)`, `evaluate` and `train_on_batch`. Reports an output without a time
    axis (because a recurrent layer had `return_sequences=False`) trained on targets that have
    one, such as `(n, T, k)` against `(n, k)`, or `(n, T)` labels with a sparse loss.

    ## Why is this bad?
    What happens depends on the loss, and the message says which:

    | compiled loss | what Keras does |
    |---|---|
    | `categorical_crossentropy`, `binary_crossentropy`, `sparse_categorical_crossentropy` (and the other crossentropies, hinge, KL) | raises at `fit`: "Arguments `target` and `output` must have the same rank" |
    | `mse`, `mae`, `huber`, `mape`, `msle`, `log_cosh` | raises "Incompatible shapes" on most batches but **trains silently on broadcast targets** when the batch size is 1 or equals the number of timesteps; `Dense(1)` against `(n, T, 1)` **always broadcasts silently** |
    | not compiled in the file, or not a literal | "may train on broadcast targets" |

    ## Example

    ## Use instead
    Or train on per-sample targets of shape `(1000, 8)`.

    ## Notes
    - Loss-aware: sparse losses expect one axis fewer than the output; every other loss the
      same rank, with a trailing axis of size 1 added or squeezed as Keras does.
    - Not reported for the multi-step design `Dense(T)` against `(n, T, 1)` or `(n, T)` with
      the same `T` and a non-sparse loss.
    - Targets whose shape is known: numpy `zeros/ones/empty/full`,
      `random.random/rand/randn/randint/normal/uniform`, `np.array` of literal lists, `reshape`
      (with -1), `expand_dims`, `x[..., None]`, rank-keeping slices, `np.eye(n)[labels]`,
      `np.stack`, `to_categorical`, `tf.zeros/ones/random.normal/random.uniform/constant`.
      Targets loaded from files, generators, `tf.data`, pandas or parameters are Unknown and
      never reported. So are models loaded from disk, passed in as parameters, built in other
      modules, and multi-output models.
    - The model a `fit` belongs to: the one built in the same scope, a model returned by a
      function of the file (evaluated with the call's literal arguments), and, after rebinding,
      the one bound at that point.
    """  # noqa: E501  (a markdown table row is one line)

    code = "KRS201"
    name = "last-step-output-sequence-targets"
    summary = "an output without a time axis (return_sequences=False) trained on sequence targets"
    reported_at = (
        "the `y` argument of `fit` / `evaluate` / `train_on_batch`, or `validation_data`'s"
    )
    triggers = ("LSTM", "GRU", "RNN")  # only a recurrent layer drops the time axis it reports
    requires = (TRAINING,)
    message = (
        "{owner} drops the time axis: output {output} vs {short_method} {targets}; "
        "{short_behaviour} (fix: return_sequences=True)"
    )
    explanation = (
        "the model's output {output} has no time axis because {recurrent} on line "
        "{recurrent_line} returns only its last step (return_sequences=False), but the {method} "
        "targets {targets} are sequences: {consequence} (fix: pass return_sequences=True to "
        "{owner} on line {owner_line}, or train on per-sample targets)"
    )

    INVALID = (
        Invalid(
            """
            import numpy as np
            from keras import Input, Sequential
            from keras.layers import GRU, Dense

            model = Sequential([Input(shape=(64, 15)), GRU(16), Dense(8)])
            model.compile(loss="mse", optimizer="adam")
            x = np.random.random((1000, 64, 15))
            model.fit(x, np.random.random((1000, 64, 8)))  # KRS201: 14
            """
        ),
        Invalid(
            """
            import numpy as np
            from keras import Input, Sequential
            from keras.layers import LSTM, Dense

            model = Sequential([Input(shape=(20, 4)), LSTM(16), Dense(3, activation="softmax")])
            model.compile(loss="categorical_crossentropy", optimizer="adam")
            x, y = np.zeros((256, 20, 4)), np.zeros((256, 20, 3))
            model.fit(x, y, validation_data=(x[:8], y[:8]))  # KRS201: 14, KRS201: 41
            """
        ),
    )
    VALID = (
        Valid(
            """
            import numpy as np
            from keras import Input, Sequential
            from keras.layers import GRU, Dense

            model = Sequential([Input(shape=(64, 15)), GRU(16, return_sequences=True), Dense(8)])
            model.compile(loss="mse", optimizer="adam")
            x = np.random.random((1000, 64, 15))
            model.fit(x, np.random.random((1000, 64, 8)))
            """
        ),
        Valid(
            # the multi-step design: Dense(T) predicts all T steps from the last one
            """
            import numpy as np
            from keras import Input, Sequential
            from keras.layers import LSTM, Dense

            model = Sequential([Input(shape=(20, 4)), LSTM(16), Dense(10)])
            model.compile(loss="mse", optimizer="adam")
            model.fit(np.zeros((256, 20, 4)), np.zeros((256, 10, 1)))
            """
        ),
        Valid(
            # targets read from a file: their shape is unknown
            """
            import numpy as np
            from keras import Input, Sequential
            from keras.layers import GRU, Dense

            model = Sequential([Input(shape=(64, 15)), GRU(16), Dense(8)])
            model.compile(loss="mse", optimizer="adam")
            model.fit(np.load("x.npy"), np.load("y.npy"))
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for t in trained(graph):
            recurrent = dropped_last_step(t.output)
            if recurrent is None or t.output_shape.rank != 2:
                continue
            if not all(_mismatch(t.output_shape, t.targets, s) for s in sparse_options(t.loss)):
                continue
            owner = sequence_layer(recurrent.layer)
            behaviour = claimed_behaviour(t.loss, t.output_shape, t.targets, False)
            yield self.report(
                t.fit.y_node,
                {
                    "output": t.output_shape,
                    "recurrent": describe(recurrent.layer),
                    "recurrent_line": line_of(recurrent),
                    "method": t.fit.method,
                    "targets": t.targets,
                    "loss": t.loss,
                    "behaviour": behaviour,
                    "consequence": consequence(t.loss, t.output_shape, t.targets, False),
                    "owner": owner.name,
                    "owner_line": line_of_node(owner),
                    "short_behaviour": HEADLINE_BEHAVIOUR[behaviour],
                    "short_method": targets_of(t.fit.method),
                },
                app=recurrent,
                related=((f"{owner.name} returns only its last step here", owner.node),),
                fit=t.fit,
            )


def _mismatch(out: Shape, y: Shape, sparse: bool) -> bool:
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
