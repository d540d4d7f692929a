"""KRS402 one-hot-with-sparse-loss."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_keras.keras.image_pipelines import PipelineLabels
from flake8_keras.keras.model import ModelGraph
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.gate_words import TRAINING
from flake8_keras.rules.targets_head import RAISES, SPARSE, heads


class OneHotWithSparseLoss(Rule):
    """
    ## What it does
    Reports `sparse_categorical_crossentropy` trained on one-hot targets `(n, k)` whose width is
    the output's number of classes `k`.

    ## Why is this bad?
    A sparse loss expects one class index per sample, `(n,)` or `(n, 1)`. Against `(n, k)`
    targets Keras 3 raises at `fit` ("Argument `output` must have rank (ndim) `target.ndim -
    1`"), tf_keras "`labels.shape` must equal `logits.shape` except for the last dimension".

    ## Example

    ## Use instead
    Or keep the sparse loss and pass the class indices: `np.argmax(y, axis=1)`.

    ## Notes
    - `(n, 1)` labels with a sparse loss are correct and never reported.
    """

    code = "KRS402"
    name = "one-hot-with-sparse-loss"
    summary = "one-hot targets (n, k) trained with sparse_categorical_crossentropy"
    reported_at = (
        "the `y` argument of `fit` / `evaluate` / `train_on_batch`, or `validation_data`'s"
    )
    triggers = ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy")
    requires = (TRAINING,)
    message = "one-hot targets {targets} with a sparse loss: Keras raises at fit (fix: {fix})"
    explanation = (
        "the {method} targets {targets} are one-hot, for the {units} units of {made_by}, "
        "but sparse_categorical_crossentropy expects one class index per sample, (n,) or (n, 1): "
        "Keras raises at fit ('output must have rank target.ndim - 1') (fix: {fix_long})"
    )

    INVALID = (
        Invalid(
            """
            import numpy as np
            from tensorflow import keras
            from keras.utils import to_categorical

            model = keras.Sequential()
            model.add(keras.layers.Dense(64, activation="relu", input_shape=(784,)))
            model.add(keras.layers.Dense(10, activation="softmax"))
            model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
            y = to_categorical(np.random.randint(0, 10, size=(600,)), 10)
            model.fit(np.random.rand(600, 784), y, epochs=2)  # KRS402: 37
            """
        ),
    )
    VALID = (
        Valid(
            """
            import numpy as np
            from tensorflow import keras

            model = keras.Sequential([keras.layers.Dense(10, input_shape=(784,))])
            model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
            model.fit(np.random.rand(600, 784), np.random.randint(0, 10, size=(600, 1)))
            """
        ),
        Valid(
            # the loss is a parameter: not known
            """
            import numpy as np
            from tensorflow import keras

            def train(loss):
                model = keras.Sequential([keras.layers.Dense(10, input_shape=(784,))])
                model.compile(loss=loss, optimizer="adam")
                model.fit(np.zeros((600, 784)), np.zeros((600, 10)))
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for head in heads(graph):
            if head.loss != SPARSE or head.units < 2:
                continue
            y = head.fit.fit.y
            pipeline = y.pipeline if isinstance(y, PipelineLabels) and y.one_hot else None
            more: dict[str, object] = {
                "fix": "categorical_crossentropy or argmax",
                "fix_long": "compile with categorical_crossentropy, or pass np.argmax(y, axis=1)",
            }
            if pipeline is not None:
                # a pipeline's one-hot rows have one column per class folder (k >= 2 for a
                # model of several units): (n, k) is never a sparse loss's rank
                if head.width == 1:
                    continue
                fix = pipeline.class_index_labels()
                more = {
                    "fix": fix,
                    "fix_long": f"pass {fix} to {pipeline.function}, or compile with "
                    "categorical_crossentropy",
                    "targets": "(None, k)" if head.width is None else str(head.fit.targets),
                }
            elif head.width != head.units:
                continue
            yield self.report(
                head.fit.fit.y_node,
                head.args(behaviour=RAISES, encoding="one_hot", **more),
                fit=head.fit.fit,
                related=head.related(),
            )
