"""KRS403 units-vs-classes."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_keras.keras.image_pipelines import PipelineLabels
from flake8_keras.keras.model import ModelGraph
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.gate_words import COMPILED, TRAINING
from flake8_keras.rules.targets_head import ELEMENTWISE, RAISES, heads, raises_in_both


class UnitsVsClasses(Rule):
    """
    ## What it does
    Reports an output of `k` units trained on `(n, m)` targets of another width: `Dense(10)`
    against one-hot targets of 5 classes, or `Dense(1, activation="sigmoid")` with
    `binary_crossentropy` against one-hot `(n, 2)`.

    ## Why is this bad?
    `categorical_crossentropy` and `binary_crossentropy` need the targets shaped like the
    output: Keras 3 raises at `fit` ("Arguments `target` and `output` must have the same
    shape"), tf_keras "Shapes ... are incompatible" or "`logits` and `labels` must have the
    same shape". `mse`/`mae` raise "Incompatible shapes" when neither width is 1 (KRS404 covers
    the widths of 1, which broadcast silently).

    ## Example

    ## Use instead
    Give the output one unit per class of the targets.

    ## Notes
    - `binary_crossentropy` is reported only when the output layer applies
      `activation="sigmoid"`: otherwise tf_keras broadcasts the targets instead of raising.
    - Binary targets belong in `(n,)` or `(n, 1)` for `Dense(1, activation="sigmoid")`; one-hot
      `(n, 2)` targets go with `Dense(2, activation="softmax")` and `categorical_crossentropy`.
    """

    code = "KRS403"
    name = "units-vs-classes"
    summary = "an output of k units trained on targets (n, m) with m != k"
    reported_at = (
        "the `y` argument of `fit` / `evaluate` / `train_on_batch`, or `validation_data`'s"
    )
    triggers = TRAINING
    requires = (COMPILED,)
    message = "output {output} vs targets {targets} with {loss}: Keras raises at fit (fix: {fix})"
    explanation = (
        "{made_by} makes an output {output} of {units_text}, but the {method} targets "
        "{targets} have {width} columns, and {loss} needs the targets shaped like the output: "
        "Keras raises at fit (fix: {fix_long})"
    )

    INVALID = (
        Invalid(
            """
            import numpy as np
            from keras import layers, models
            from keras.utils import to_categorical

            model = models.Sequential([layers.Input(shape=(32,)), layers.Dense(10)])
            model.compile(optimizer="adam", loss="categorical_crossentropy")
            y = to_categorical(np.random.randint(0, 5, size=(500,)), num_classes=5)
            model.fit(np.random.rand(500, 32), y)  # KRS403: 36
            """
        ),
        Invalid(
            """
            import numpy as np
            from keras import layers, models

            inputs = layers.Input(shape=(32,))
            outputs = layers.Dense(1, activation="sigmoid")(inputs)
            model = models.Model(inputs=inputs, outputs=outputs)
            model.compile(optimizer="adam", loss="binary_crossentropy")
            one_hot = np.eye(2)[np.random.randint(0, 2, size=(500,))]
            model.fit(np.random.rand(500, 32), one_hot)  # KRS403: 36
            """
        ),
    )
    VALID = (
        Valid(
            """
            import numpy as np
            from keras import layers, models
            from keras.utils import to_categorical

            model = models.Sequential([layers.Input(shape=(32,)), layers.Dense(5)])
            model.compile(optimizer="adam", loss="categorical_crossentropy")
            y = to_categorical(np.random.randint(0, 5, size=(500,)), num_classes=5)
            model.fit(np.random.rand(500, 32), y)
            """
        ),
        Valid(
            # Dense(1) with rank-1 binary targets
            """
            import numpy as np
            from keras import layers, models

            model = models.Sequential([layers.Input(shape=(32,)), layers.Dense(1)])
            model.compile(optimizer="adam", loss="binary_crossentropy")
            model.fit(np.random.rand(500, 32), np.random.randint(0, 2, size=(500,)))
            """
        ),
        Valid(
            # a custom loss may compare any shapes
            """
            import numpy as np
            from keras import layers, models

            def my_loss(y_true, y_pred):
                return y_pred[:, :5] - y_true

            model = models.Sequential([layers.Input(shape=(32,)), layers.Dense(10)])
            model.compile(optimizer="adam", loss=my_loss)
            model.fit(np.random.rand(500, 32), np.zeros((500, 5)))
            """
        ),
        Valid(
            # without a sigmoid on the output layer tf_keras broadcasts binary_crossentropy
            """
            import numpy as np
            from keras import layers, models

            model = models.Sequential([layers.Input(shape=(32,)), layers.Dense(1)])
            model.compile(optimizer="adam", loss="binary_crossentropy")
            model.fit(np.random.rand(500, 32), np.zeros((500, 2)))
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for head in heads(graph):
            m, k = head.width, head.units
            if m is None or m < 2 or m == k:
                continue
            if not (
                raises_in_both(head.loss, head.fit.output)
                or (ELEMENTWISE.match(head.loss) and k >= 2)
            ):
                continue
            if head.loss == "binary_crossentropy" and isinstance(head.fit.fit.y, PipelineLabels):
                continue  # tf_keras trains flow_from_directory's (n, m) against 1 sigmoid unit
            if head.loss == "binary_crossentropy" and k == 1 and m == 2:
                fix = "labels (n,)"
                fix_long = (
                    "train one sigmoid unit on binary labels (n,) or (n, 1), e.g. "
                    "np.argmax(y, axis=1), or use Dense(2, activation='softmax') with "
                    "categorical_crossentropy"
                )
            else:
                fix = f"{m} output units"
                fix_long = f"give the output layer {m} units, or encode the targets in {k} columns"
            yield self.report(
                head.fit.fit.y_node,
                head.args(
                    behaviour=RAISES,
                    encoding="one_hot",
                    width=m,
                    units_text=f"{k} unit" if k == 1 else f"{k} units",
                    fix=fix,
                    fix_long=fix_long,
                ),
                fit=head.fit.fit,
                related=head.related(),
            )
