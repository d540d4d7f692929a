"""KRS404 broadcast-targets."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_keras.keras.model import ModelGraph
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.gate_words import COMPILED, TRAINING
from flake8_keras.rules.targets_head import ELEMENTWISE, SILENT, heads


class BroadcastTargets(Rule):
    """
    ## What it does
    Reports an element-wise loss (`mse`, `mae`, `huber`, `log_cosh`, `mape`, `msle`) between an
    output `(batch, k)` and targets `(n, m)` where one of `k`, `m` is 1 and the other is not:
    `Dense(1)` against one-hot `(n, 2)`, or `Dense(10)` against `(n, 1)`.

    ## Why is this bad?
    Keras subtracts the targets from the output with numpy broadcasting: `(batch, 1)` against
    `(batch, 2)` becomes `(batch, 2)`, and the model trains without any error on an objective
    that is not the one meant (every unit pulled towards every target column). Measured in
    Keras 3 and tf_keras at every batch size.

    ## Example

    ## Use instead
    Give the output as many units as the targets have columns.

    ## Notes
    - `Dense(1)` with rank-1 targets `(n,)` is correct and never reported; neither is
      `Dense(k)` with `(n,)` targets (Keras 3 raises there, tf_keras broadcasts: the versions
      differ).
    """

    code = "KRS404"
    name = "broadcast-targets"
    summary = (
        "an element-wise loss broadcasts (batch, 1) against (n, m), or (batch, k) against (n, 1)"
    )
    reported_at = (
        "the `y` argument of `fit` / `evaluate` / `train_on_batch`, or `validation_data`'s"
    )
    triggers = TRAINING
    requires = (COMPILED,)
    message = (
        "{loss} broadcasts output {output} against targets {targets}: Keras trains silently "
        "(fix: {fix})"
    )
    explanation = (
        "{made_by} makes an output {output}, the {method} targets are {targets}, and {loss} "
        "subtracts one from the other with broadcasting: Keras trains silently on a "
        "(batch, {wide}) difference that compares every unit with every target column "
        "(fix: {fix})"
    )

    INVALID = (
        Invalid(
            """
            import numpy as np
            import tensorflow as tf

            model = tf.keras.Sequential([
                tf.keras.layers.Dense(16, activation="relu", input_shape=(4,)),
                tf.keras.layers.Dense(1),
            ])
            model.compile(optimizer="adam", loss="mse")
            y = tf.keras.utils.to_categorical(np.random.randint(0, 3, size=(150,)), 3)
            model.fit(np.random.rand(150, 4), y)  # KRS404: 35
            """
        ),
        Invalid(
            """
            import numpy as np
            from keras import Input, Model
            from keras.layers import Dense

            inputs = Input(shape=(13,))
            prices = Dense(10)(inputs)
            model = Model(inputs, prices)
            model.compile(optimizer="sgd", loss="mean_absolute_error")
            model.fit(np.random.rand(404, 13), np.random.rand(404, 1))  # KRS404: 36
            """
        ),
    )
    VALID = (
        Valid(
            """
            import numpy as np
            from keras import Input, Model
            from keras.layers import Dense

            inputs = Input(shape=(13,))
            model = Model(inputs, Dense(1)(inputs))
            model.compile(optimizer="sgd", loss="mse")
            model.fit(np.random.rand(404, 13), np.random.rand(404))
            model.fit(np.random.rand(404, 13), np.random.rand(404, 1))
            """
        ),
        Valid(
            # crossentropies raise instead (KRS403); a loss object of the file is unknown
            """
            import numpy as np
            from keras import Input, Model, losses
            from keras.layers import Dense

            inputs = Input(shape=(13,))
            model = Model(inputs, Dense(10)(inputs))
            model.compile(optimizer="sgd", loss=losses.Loss())
            model.fit(np.random.rand(404, 13), np.random.rand(404, 1))
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for head in heads(graph):
            m, k = head.width, head.units
            if m is None or not ELEMENTWISE.match(head.loss):
                continue
            if not ((k == 1 and m >= 2) or (k >= 2 and m == 1)):
                continue
            fix = f"{m} output unit" + ("s" if m > 1 else "")
            yield self.report(
                head.fit.fit.y_node,
                head.args(behaviour=SILENT, encoding="values", width=m, wide=max(k, m), fix=fix),
                fit=head.fit.fit,
                related=head.related(),
            )
