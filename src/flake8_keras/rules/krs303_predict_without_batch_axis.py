"""KRS303 predict-without-batch-axis."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_keras.keras.layers import is_recurrent
from flake8_keras.keras.model import ModelGraph, Shape
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.data_input import (
    RAISES,
    SILENT_BATCH,
    Fed,
    declared_shape,
    fed,
    from_array_shape,
    one_sample,
    operand,
    shape_text,
    text,
)
from flake8_keras.rules.gate_words import DECLARED_INPUT


class PredictWithoutBatchAxis(Rule):
    """
    ## What it does
    Finds `predict`, `predict_on_batch` or `model(x)` given one sample, an array of exactly
    the model's sample shape (`x_test[0]`), without the batch axis.

    ## Why is this bad?
    Keras reads the first axis as the batch. When the model's input ends in an axis of
    size 1 it adds that axis back and **silently** predicts: a `(5, 1)` sample for a model
    declared `(5, 1)` gives 5 predictions instead of 1 (Keras 3 and tf_keras, with a recurrent
    or `Dense` first layer). Otherwise it raises. The message says which.

    ## Example

    ## Use instead

    ## Notes
    Only arrays whose shape is known and equals the declared sample shape are reported; for a
    model declared `(1,)` a sample `(1,)` is a correct batch of one and is not reported.
    """

    code = "KRS303"
    name = "predict-without-batch-axis"
    summary = "`predict` on one sample without its batch axis"
    reported_at = "the data argument (x)"
    triggers = ("predict(", "predict_on_batch(", "model(")
    requires = (DECLARED_INPUT,)
    message = "{method} on one sample {x} {data}, no batch axis: {outcome} (fix: {fix})"
    explanation = (
        "{x} has shape {data}, exactly the sample shape of the model declared on line "
        "{declared_line} ({declared} with the batch axis): one sample without its batch axis. "
        "Keras reads the first axis as the batch: {long_outcome}. A batch of one is the "
        "fix (fix: {fix})"
    )

    INVALID = (
        Invalid(
            """
            import numpy as np
            from keras import layers, models

            x_test = np.random.rand(100, 20)
            model = models.Sequential([layers.Dense(1, input_shape=(20,))])
            model.compile("adam", "mse")
            prediction = model.predict(x_test[0])  # KRS303: 28
            """
        ),
        Invalid(
            # silently five predictions of a one-step sequence
            """
            import numpy as np
            from tensorflow import keras

            series = np.random.rand(300, 5, 1)
            model = keras.Sequential([
                keras.Input(shape=(5, 1)),
                keras.layers.LSTM(16),
                keras.layers.Dense(1),
            ])
            model.compile(optimizer="adam", loss="mse")
            model.fit(series, np.random.rand(300, 1))
            next_value = model.predict(series[-1])  # KRS303: 28
            """
        ),
    )
    VALID = (
        Valid(
            """
            import numpy as np
            from keras import layers, models

            x_test = np.random.rand(100, 20)
            model = models.Sequential([layers.Dense(1, input_shape=(20,))])
            model.compile("adam", "mse")
            prediction = model.predict(x_test[:1])
            also = model.predict(x_test[0][None])
            again = model.predict(np.expand_dims(x_test[0], 0))
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for f in fed(graph):
            declared = declared_shape(f)
            if declared is None or not one_sample(f) or from_array_shape(f.model_input):
                continue  # KRS302 reports an input declared from the data's full shape
            behaviour = self._behaviour(f)
            if behaviour is None:
                continue
            rows = f.data.dims[0]
            if behaviour == RAISES:
                outcome = "Keras raises"
                long_outcome = "the axes no longer match the model's input and Keras raises"
            else:
                outcome = f"Keras silently makes {rows} predictions"
                long_outcome = (
                    f"it adds the trailing axis of 1 back and silently predicts {rows} samples "
                    f"of shape {Shape(f.data.dims[1:])}"
                )
            producer = f.model_input.tensor.producer
            related = (("the model's declared input", producer.node),) if producer else ()
            yield self.report(
                f.x_node,
                {
                    "method": f.call.method if f.call.method != "__call__" else "model(x)",
                    "x": text(f.x_node),
                    "data": shape_text(f.data),
                    "declared": str(declared),
                    "declared_line": getattr(producer.node if producer else None, "lineno", "?"),
                    "outcome": outcome,
                    "long_outcome": long_outcome,
                    "fix": _fix(f.x_node),
                    "behaviour": behaviour,
                    "one_sample": True,
                    "data_call": f.call,
                    "data_shape": f.data,
                },
                related=related,
            )

    @staticmethod
    def _behaviour(f: Fed) -> str | None:
        """What Keras does, as measured (DESIGN §1b); None where it was not measured."""
        declared = declared_shape(f)
        assert declared is not None
        if declared.dims[-1] != 1:
            return RAISES
        first = f.model_input.first
        if (
            declared.rank == 3
            and first is not None
            and (is_recurrent(first.layer) or first.layer.name == "Dense")
        ):
            return SILENT_BATCH
        return None


def _fix(node: ast.expr) -> str:
    """``x_test[i:i+1]`` for ``x_test[i]``; ``x[None]`` otherwise."""
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        index = node.slice.value
        if isinstance(index, int) and not isinstance(index, bool):
            end = "" if index == -1 else str(index + 1)
            return f"{operand(node.value)}[{index}:{end}]"
    return f"{operand(node)}[None]"
