"""KRS405 softmax-over-one-unit."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_keras.engine.values import MISSING, Const, SymbolRef, Value
from flake8_keras.keras.model import LayerCall, ModelGraph
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.describe import brief, describe, line_of

# Layers whose ``activation`` argument is applied over their last axis, and its position.
_ACTIVATION_POSITION = {"Dense": 1, "Activation": 0}
_SOFTMAX_PATHS = frozenset({"keras.activations.softmax", "tensorflow.nn.softmax"})
_SOFTMAX_LAYERS = frozenset({"Softmax", *_ACTIVATION_POSITION})  # what may apply a softmax


class SoftmaxOverOneUnit(Rule):
    """
    ## What it does
    Reports a softmax over an axis of one unit: `Dense(1, activation="softmax")`, or an
    `Activation("softmax")` / `Softmax()` layer whose input has a last axis of size 1.

    ## Why is this bad?
    Softmax normalises over the last axis: with one unit every output is `exp(z) / exp(z)`,
    exactly 1.0 whatever the input, and no gradient reaches the weights. Keras trains without
    any error: with `categorical_crossentropy` the loss is 0 from the first step (tf_keras clips
    the output and reports 1.2e-07), with
    `binary_crossentropy` or `mse` the loss never moves (measured in Keras 3 and tf_keras).
    It does not depend on the loss, so the rule needs no `compile`.

    ## Example

    ## Use instead
    For two classes, one sigmoid unit with `binary_crossentropy`; for `k` classes,
    `Dense(k, activation="softmax")`.
    """

    code = "KRS405"
    name = "softmax-over-one-unit"
    summary = "softmax over an axis of one unit: the output is always 1.0"
    reported_at = "the layer's constructor call"
    triggers = ("softmax", "Softmax")
    requires = (("Dense(", "Activation(", "Softmax(", "Conv"),)
    message = (
        "{layer}: softmax over one unit is always 1.0, nothing to learn (fix: activation='sigmoid')"
    )
    explanation = (
        "{layer_long} on line {line} applies softmax over an axis of one unit (its output is "
        "{output}): every value is exp(z)/exp(z) = 1.0 whatever the input, so no gradient "
        "reaches the weights; Keras trains silently, with categorical_crossentropy at a loss "
        "of 0 (tf_keras: its clipping epsilon, 1.2e-07) (fix: one unit with "
        "activation='sigmoid' and binary_crossentropy for two classes, or one softmax unit per "
        "class)"
    )

    INVALID = (
        Invalid(
            """
            from keras import Input, Sequential
            from keras.layers import Dense

            model = Sequential([
                Input(shape=(30,)),
                Dense(16, activation="relu"),
                Dense(1, activation="softmax"),  # KRS405: 5
            ])
            model.compile(optimizer="adam", loss="binary_crossentropy")
            """
        ),
        Invalid(
            """
            import tensorflow as tf

            inputs = tf.keras.Input(shape=(8,))
            score = tf.keras.layers.Dense(1)(inputs)
            prob = tf.keras.layers.Softmax()(score)  # KRS405: 8
            """
        ),
    )
    VALID = (
        Valid(
            """
            from keras import Input, Sequential
            from keras.layers import Dense

            model = Sequential([Input(shape=(30,)), Dense(1, activation="sigmoid")])
            model.compile(optimizer="adam", loss="binary_crossentropy")
            """
        ),
        Valid(
            # two classes, or a number of units that is not known
            """
            from keras import Input, Sequential
            from keras.layers import Dense, Softmax

            def head(units):
                return Dense(units, activation="softmax")

            model = Sequential([Input(shape=(30,)), Dense(2, activation="softmax")])
            other = Sequential([Input(shape=(30,)), head(4)])
            Softmax(axis=1)(Dense(1)(Input(shape=(5, 3))))
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        seen: set[int] = set()
        for app in graph.apps_of(_SOFTMAX_LAYERS):
            if id(app.layer) in seen or not _softmax_over_one(app):
                continue
            seen.add(id(app.layer))
            output = app.output.shape if app.output is not None else None
            yield self.report(
                app.layer.node,
                {
                    "layer": brief(app.layer),
                    "layer_long": describe(app.layer),
                    "line": line_of(app),
                    "output": output,
                },
                app=app,
            )


def _softmax_over_one(app: LayerCall) -> bool:
    shape = app.output.shape if app.output is not None else None
    if shape is None or shape.rank < 2 or shape.dims[-1] != 1:
        return False
    layer = app.layer
    if layer.open_args or layer.open_kwargs:
        return False
    if layer.name == "Softmax":
        return layer.arg("axis", 0) in (MISSING, Const(-1), Const(shape.rank - 1))
    position = _ACTIVATION_POSITION.get(layer.name)
    if position is None:
        return False
    return _is_softmax(layer.arg("activation", position))


def _is_softmax(value: Value) -> bool:
    if isinstance(value, Const):
        return value.value == "softmax"
    return isinstance(value, SymbolRef) and value.path in _SOFTMAX_PATHS
