"""KRS302 input-shape-includes-samples."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_keras.keras.model import ModelGraph, Shape
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.data_input import fed, from_array_shape, shape_text, text
from flake8_keras.rules.gate_words import DATA_CALLS, DECLARED_INPUT


class InputShapeIncludesSamples(Rule):
    """
    ## What it does
    Finds a model input declared from an array's full shape, `input_shape=X.shape` or
    `Input(shape=X.shape)`, when that array is then given to the model.

    ## Why is this bad?
    `X.shape` includes the sample axis: the model expects samples of shape `(n, ...)`, one
    axis too many, and Keras 3 and tf_keras raise at the first `fit`, `evaluate` or `predict`.

    ## Example

    ## Use instead

    ## Notes
    Reported only when the array whose shape declared the input (or one of the same shape) is
    the data of a call on that model: `Input(shape=image.shape)` for one sample is legitimate.
    `batch_shape=X.shape` and `batch_input_shape=X.shape` are not reported (they name the batch
    axis on purpose).
    """

    code = "KRS302"
    name = "input-shape-includes-samples"
    summary = "the model's input shape is an array's full `.shape`, sample axis included"
    reported_at = "the `shape=` / `input_shape=` argument"
    triggers = (".shape",)
    requires = (DECLARED_INPUT, DATA_CALLS)
    message = (
        "input shape {expr} includes the sample axis of {array} {data} (fix: {array}.shape[1:])"
    )
    explanation = (
        "{expr} is {data}, the shape of the whole array {array} with its sample axis, so the "
        "model expects samples of shape {data} and inputs {declared}. Given {array} itself "
        "({method} on line {call_line}), Keras 3 and tf_keras raise. Declare the shape of one "
        "sample (fix: {array}.shape[1:])"
    )

    INVALID = (
        Invalid(
            """
            import numpy as np
            from keras import layers, models

            X = np.random.rand(500, 20)
            y = np.random.rand(500, 1)
            model = models.Sequential([
                layers.Dense(16, activation="relu", input_shape=X.shape),  # KRS302: 53
                layers.Dense(1),
            ])
            model.compile("adam", "mse")
            model.fit(X, y, epochs=5)
            """
        ),
        Invalid(
            """
            import numpy as np
            import tensorflow as tf

            X_train = np.random.rand(200, 10)
            inputs = tf.keras.Input(shape=X_train.shape)  # KRS302: 31
            x = tf.keras.layers.Dense(8)(inputs)
            model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(x))
            model.compile(optimizer="adam", loss="mse")
            model.predict(X_train)
            """
        ),
    )
    VALID = (
        Valid(
            """
            import numpy as np
            from keras import layers, models

            X = np.random.rand(500, 20)
            y = np.random.rand(500, 1)
            model = models.Sequential([
                layers.Dense(16, activation="relu", input_shape=X.shape[1:]),
                layers.Dense(1),
            ])
            model.compile("adam", "mse")
            model.fit(X, y, epochs=5)
            """
        ),
        Valid(
            # the shape of one sample: not the data given to the model
            """
            import numpy as np
            from keras import Input, Model, layers

            image = np.zeros((32, 32, 3))
            inputs = Input(shape=image.shape)
            model = Model(inputs, layers.Dense(1)(layers.Flatten()(inputs)))
            model.predict(np.zeros((8, 32, 32, 3)))
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        reported: set[int] = set()
        for f in fed(graph):
            found = from_array_shape(f.model_input)
            declared = f.model_input.tensor.shape
            if found is None or declared is None or f.data.dims != declared.dims[1:]:
                continue
            node, array = found
            if id(node) in reported:
                continue
            reported.add(id(node))
            yield self.report(
                node,
                {
                    "expr": text(node),
                    "array": array,
                    "data": shape_text(f.data),
                    "declared": str(Shape((None,) + f.data.dims)),
                    "method": f.call.method,
                    "call_line": getattr(f.x_node, "lineno", "?"),
                    "data_call": f.call,
                    "data_shape": f.data,
                    "samples_unknown": f.data.dims[0] is None,
                },
                related=(("the data given to the model", f.x_node),),
            )
