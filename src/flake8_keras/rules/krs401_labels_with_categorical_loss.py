"""KRS401 labels-with-categorical-loss."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_keras.keras.image_pipelines import PipelineLabels
from flake8_keras.keras.model import ModelGraph
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.gate_words import TRAINING
from flake8_keras.rules.targets_head import CATEGORICAL, RAISES, heads, one_per_sample


class LabelsWithCategoricalLoss(Rule):
    """
    ## What it does
    Reports `categorical_crossentropy` (the string or `CategoricalCrossentropy(...)`) trained on
    one label per sample, `(n,)` or `(n, 1)`, against an output of several units.

    ## Why is this bad?
    `categorical_crossentropy` expects one-hot targets of the output's shape `(n, k)`. Keras 3
    raises at `fit` ("Arguments `target` and `output` must have the same rank" or "... the same
    shape"), tf_keras "Shapes (n, 1) and (n, k) are incompatible", at every batch size.

    ## Example

    ## Use instead
    Or keep `categorical_crossentropy` and one-hot encode the labels: `to_categorical(y, 10)`.

    ## Notes
    - `(n,)` and `(n, 1)` labels with `sparse_categorical_crossentropy` are correct and never
      reported. Neither are targets whose shape is not known (files, generators, `tf.data`,
      parameters), multi-output models, or losses the file does not name.
    """

    code = "KRS401"
    name = "labels-with-categorical-loss"
    summary = "integer labels (n,) or (n, 1) trained with categorical_crossentropy"
    reported_at = (
        "the `y` argument of `fit` / `evaluate` / `train_on_batch`, or `validation_data`'s"
    )
    triggers = ("categorical_crossentropy", "CategoricalCrossentropy")
    requires = (TRAINING,)
    message = "labels {targets} with categorical_crossentropy: Keras raises at fit (fix: {fix})"
    explanation = (
        "the {method} targets {targets} hold one label per sample, but categorical_crossentropy "
        "expects one-hot targets shaped like the output {output} of {made_by}: Keras raises "
        "at fit ('target and output must have the same shape') (fix: {fix_long})"
    )

    INVALID = (
        Invalid(
            """
            import numpy as np
            from keras import Input, Sequential
            from keras.layers import Dense

            model = Sequential([Input(shape=(20,)), Dense(32), Dense(10, activation="softmax")])
            model.compile(optimizer="adam", loss="categorical_crossentropy")
            labels = np.random.randint(0, 10, size=(1000,))
            model.fit(np.random.rand(1000, 20), labels)  # KRS401: 37
            """
        ),
        Invalid(
            """
            import numpy as np
            import tensorflow as tf

            inputs = tf.keras.Input(shape=(8,))
            outputs = tf.keras.layers.Dense(3)(inputs)
            model = tf.keras.Model(inputs, outputs)
            model.compile("adam", tf.keras.losses.CategoricalCrossentropy(from_logits=True))
            model.fit(np.zeros((64, 8)), np.zeros((64, 1)))  # KRS401: 30
            """
        ),
    )
    VALID = (
        Valid(
            """
            import numpy as np
            from keras import Input, Sequential
            from keras.layers import Dense

            model = Sequential([Input(shape=(20,)), Dense(10, activation="softmax")])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
            model.fit(np.random.rand(1000, 20), np.random.randint(0, 10, size=(1000, 1)))
            """
        ),
        Valid(
            """
            import numpy as np
            from keras import Input, Sequential
            from keras.layers import Dense
            from keras.utils import to_categorical

            model = Sequential([Input(shape=(20,)), Dense(10, activation="softmax")])
            model.compile(optimizer="adam", loss="categorical_crossentropy")
            labels = np.random.randint(0, 10, size=(1000,))
            model.fit(np.random.rand(1000, 20), to_categorical(labels, 10))
            """
        ),
        Valid(
            # a loss the file does not name, and labels loaded from disk
            """
            import numpy as np
            from keras import Input, Sequential
            from keras.layers import Dense

            def build(loss):
                model = Sequential([Input(shape=(20,)), Dense(10, activation="softmax")])
                model.compile(optimizer="adam", loss=loss)
                model.fit(np.zeros((100, 20)), np.zeros((100,)))
                return model

            model = Sequential([Input(shape=(20,)), Dense(10, activation="softmax")])
            model.compile(optimizer="adam", loss="categorical_crossentropy")
            model.fit(np.zeros((100, 20)), np.load("labels.npy"))
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for head in heads(graph):
            if head.loss != CATEGORICAL or head.units < 2:
                continue
            if not one_per_sample(head.fit.targets):
                continue
            y = head.fit.fit.y
            pipeline = y.pipeline if isinstance(y, PipelineLabels) else None
            fix = "sparse_categorical_crossentropy"
            fix_long = (
                "compile with sparse_categorical_crossentropy, or one-hot encode the labels "
                f"with to_categorical(y, {head.units})"
            )
            if pipeline is not None:  # the pipeline's own argument makes one-hot labels
                fix = pipeline.one_hot_labels()
                fix_long = (
                    f"pass {fix} to {pipeline.function}, or compile with "
                    "sparse_categorical_crossentropy"
                )
            yield self.report(
                head.fit.fit.y_node,
                head.args(behaviour=RAISES, encoding="labels", fix=fix, fix_long=fix_long),
                fit=head.fit.fit,
                related=head.related(),
            )
