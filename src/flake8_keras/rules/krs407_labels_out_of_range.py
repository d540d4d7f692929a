"""KRS407 labels-out-of-range."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_keras.keras.label_values import count
from flake8_keras.keras.model import ModelGraph, Tensor, ValueBound
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.gate_words import TRAINING
from flake8_keras.rules.targets_head import RAISES, SPARSE, heads, one_per_sample

# A draw is reported only when all of its values staying below the units is less likely than
# this: ``randint(0, 10, size=(n,))`` against 5 units with n >= 20.
_NEVER_IN_RANGE = 1e-6


class LabelsOutOfRange(Rule):
    """
    ## What it does
    Reports integer labels known to reach the output's number of units, trained with
    `sparse_categorical_crossentropy`: `Dense(5)` against `np.random.randint(0, 10, size=(n,))`
    (labels up to 9), `np.arange(10)` or `np.array([0, 3, 7])`.

    ## Why is this bad?
    A sparse loss reads each label as the index of one of the output's units, `0` to
    `units - 1`. Keras 3 and tf_keras raise at `fit` (and `evaluate`, `train_on_batch`,
    `validation_data`) on the first batch that holds a larger one: "Received a label value of
    9 which is outside the valid range of [0, 5)" (InvalidArgumentError), with the loss name,
    a `SparseCategoricalCrossentropy()` object, `from_logits=True` or not. On the JAX backend
    Keras 3 trains instead, and each such label adds exactly 0 to the loss: those samples are
    silently ignored.

    ## Example

    ## Use instead
    Or keep the units and give labels below them.

    ## Notes
    - The labels' values are known from `np.random.randint` / `Generator.integers` (also
      `endpoint=True`) / `tf.random.uniform(..., dtype="int32")` with literal bounds, literal
      arrays and `np.arange`, through `reshape`, `astype(int)`, slices, `y[..., None]`,
      `np.expand_dims` and `train_test_split`. Arithmetic (`y % 5`), data from files and
      parameters are not followed: nothing is reported.
    - A random draw is reported only when it is sure to reach the units (its size makes the
      chance of every label staying below them less than one in a million).
    """

    code = "KRS407"
    name = "labels-out-of-range"
    summary = "integer labels reaching the output's units, with a sparse loss"
    reported_at = (
        "the `y` argument of `fit` / `evaluate` / `train_on_batch`, or `validation_data`'s"
    )
    triggers = ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy")
    requires = (TRAINING,)
    message = (
        "labels up to {high} but {layer} has {units} units: TF raises at fit, JAX ignores "
        "them (fix: {fix} or labels < {units})"
    )
    explanation = (
        "the {method} labels {targets} {origin}, but {made_by} gives {units} classes and "
        "{loss} takes labels 0 to {top} only: on TensorFlow (Keras 3 and tf_keras) Keras "
        "raises at fit on the first batch that holds a larger one ('Received a label value of "
        "{high} which is outside the valid range of [0, {units})'); on JAX such a label adds "
        "nothing to the loss and the model silently learns nothing from it (fix: {fix_long})"
    )

    INVALID = (
        Invalid(
            """
            import numpy as np
            from keras import Input, Sequential, layers

            model = Sequential([Input(shape=(20,)), layers.Dense(5, activation="softmax")])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
            y = np.random.randint(0, 10, size=(1000,))
            model.fit(np.random.rand(1000, 20), y)  # KRS407: 37
            """
        ),
        Invalid(
            """
            import numpy as np
            import tensorflow as tf

            inputs = tf.keras.Input(shape=(8,))
            outputs = tf.keras.layers.Dense(3)(inputs)
            model = tf.keras.Model(inputs, outputs)
            loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
            model.compile(optimizer="adam", loss=loss)
            model.evaluate(np.zeros((4, 8)), np.array([0, 1, 2, 3]))  # KRS407: 34
            """
        ),
    )
    VALID = (
        Valid(
            """
            import numpy as np
            from keras import Input, Sequential, layers

            model = Sequential([Input(shape=(20,)), layers.Dense(10, activation="softmax")])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
            model.fit(np.random.rand(1000, 20), np.random.randint(0, 10, size=(1000, 1)))
            """
        ),
        Valid(
            # arithmetic on the labels: their values are not followed
            """
            import numpy as np
            from keras import Input, Sequential, layers

            model = Sequential([Input(shape=(20,)), layers.Dense(5, activation="softmax")])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
            y = np.random.randint(0, 10, size=(1000,))
            model.fit(np.random.rand(1000, 20), y % 5)
            """
        ),
        Valid(
            # three draws from 0..9 may all stay below 5
            """
            import numpy as np
            from keras import Input, Sequential, layers

            model = Sequential([Input(shape=(20,)), layers.Dense(5, activation="softmax")])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
            model.fit(np.random.rand(3, 20), np.random.randint(0, 10, size=(3,)))
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for head in heads(graph):
            y = head.fit.fit.y
            if head.loss != SPARSE or not isinstance(y, Tensor) or y.values is None:
                continue
            bound = y.values
            if not one_per_sample(head.fit.targets) or not _reaches(y, bound, head.units):
                continue
            classes = bound.high + 1
            layer = head.fit.output.producer
            dense = layer is not None and layer.layer.name == "Dense"
            fix = f"Dense({classes})" if dense else f"{classes} units"
            yield self.report(
                head.fit.fit.y_node,
                head.args(
                    behaviour=RAISES,
                    encoding="labels",
                    high=bound.high,
                    top=head.units - 1,
                    origin=_origin(bound),
                    fix=fix,
                    fix_long=(
                        f"give the output layer {classes} units, one per class 0 to "
                        f"{bound.high}, or map the labels below {head.units}"
                    ),
                ),
                fit=head.fit.fit,
                related=head.related(),
            )


def _reaches(y: Tensor, bound: ValueBound, units: int) -> bool:
    """The labels certainly hold one of ``units`` or more."""
    if bound.high < units:
        return False
    if not bound.drawn or bound.low >= units:
        return True
    values = count(y)
    if not values:
        return False
    below = (units - bound.low) / (bound.high - bound.low + 1)
    return bool(below**values < _NEVER_IN_RANGE)


def _origin(bound: ValueBound) -> str:
    if bound.drawn:
        return f"are drawn from {bound.low} to {bound.high}"
    return f"hold the values {bound.low} to {bound.high}"
