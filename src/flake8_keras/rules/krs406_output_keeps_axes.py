"""KRS406 output-keeps-axes."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_keras.keras.layers import is_recurrent
from flake8_keras.keras.layers.core import POSITION_WISE
from flake8_keras.keras.model import LayerCall, ModelGraph, Shape, Tensor
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.describe import brief, describe, line_of
from flake8_keras.rules.fit_targets import trained
from flake8_keras.rules.gate_words import COMPILED, TRAINING
from flake8_keras.rules.targets_head import RAISES, SPARSE, raises_in_both

_BUDGET = 1_000  # layers walked back from the output


class OutputKeepsAxes(Rule):
    """
    ## What it does
    Reports a model whose output still has spatial or time axes, `(batch, 26, 26, 10)` or
    `(batch, 50, 10)`, trained on one target per sample: `(n, 10)` one-hot, `(n,)` or `(n, 1)`
    labels. The usual cause is a missing `Flatten` or `GlobalAveragePooling2D` between a
    convolution (or an `Embedding`) and the `Dense` head: `Dense` then runs at every position.

    ## Why is this bad?
    With `categorical_crossentropy`, `binary_crossentropy` and
    `sparse_categorical_crossentropy` Keras raises at `fit` in Keras 3 and tf_keras ("must have
    the same rank", "Shapes (n, 10) and (n, 26, 26, 10) are incompatible", "`labels.shape` must
    equal `logits.shape` except for the last dimension"). The message names the layer whose
    axes the output kept.

    ## Example

    ## Use instead
    Or `GlobalAveragePooling2D()` in place of `Flatten()`.

    ## Notes
    - A recurrent layer's time axis is KRS202's; per-position targets such as `(n, T)` against
      `(batch, T, 1)`, and other losses, are not reported.
    - `binary_crossentropy` only when the output layer applies `activation="sigmoid"` (else
      tf_keras broadcasts). Nor is an output `(batch, T, 1)` against `(n, 1)` with a
      non-sparse loss: tf_keras squeezes the output's last axis and trains on broadcast
      targets, Keras 3 raises.
    """

    code = "KRS406"
    name = "output-keeps-axes"
    summary = "an output that kept spatial or time axes, trained on one target per sample"
    reported_at = (
        "the `y` argument of `fit` / `evaluate` / `train_on_batch`, or `validation_data`'s"
    )
    triggers = TRAINING
    requires = (COMPILED,)
    message = (
        "{keeper} kept axes: output {output} vs targets {targets}, Keras raises at fit "
        "(fix: Flatten)"
    )
    explanation = (
        "the model's output {output} still has the axes {kept} of {keeper_long}, because "
        "{head} works at every position; the {method} targets {targets} have one value per "
        "sample, and {loss} needs them shaped like the output: Keras raises at fit (fix: {fix} "
        "before the head)"
    )

    INVALID = (
        Invalid(
            """
            import numpy as np
            from keras import Input, Sequential, layers
            from keras.utils import to_categorical

            model = Sequential([
                Input(shape=(28, 28, 1)),
                layers.Conv2D(32, 3, activation="relu"),
                layers.Dense(10, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="categorical_crossentropy")
            y = to_categorical(np.random.randint(0, 10, size=(600,)), 10)
            model.fit(np.random.rand(600, 28, 28, 1), y)  # KRS406: 43
            """
        ),
        Invalid(
            """
            import numpy as np
            import tensorflow as tf

            inputs = tf.keras.Input(shape=(100,))
            embedded = tf.keras.layers.Embedding(5000, 32)(inputs)
            outputs = tf.keras.layers.Dense(1, activation="sigmoid")(embedded)
            model = tf.keras.Model(inputs, outputs)
            model.compile(optimizer="adam", loss="binary_crossentropy")
            model.fit(np.zeros((64, 100)), np.zeros((64, 100, 1)))
            model.fit(np.zeros((64, 100)), np.zeros((64,)))  # KRS406: 32
            """
        ),
    )
    VALID = (
        Valid(
            """
            import numpy as np
            from keras import Input, Sequential, layers
            from keras.utils import to_categorical

            model = Sequential([
                Input(shape=(28, 28, 1)),
                layers.Conv2D(32, 3, activation="relu"),
                layers.Flatten(),
                layers.Dense(10, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="categorical_crossentropy")
            y = to_categorical(np.random.randint(0, 10, size=(600,)), 10)
            model.fit(np.random.rand(600, 28, 28, 1), y)
            """
        ),
        Valid(
            # per-pixel masks against a per-pixel output (segmentation), and a custom loss
            """
            import numpy as np
            from keras import Input, Sequential, layers

            model = Sequential([Input(shape=(32, 32, 3)), layers.Conv2D(1, 3, padding="same")])
            model.compile(optimizer="adam", loss="binary_crossentropy")
            model.fit(np.zeros((8, 32, 32, 3)), np.zeros((8, 32, 32)))
            model.compile(optimizer="adam", loss=lambda y, p: p)
            model.fit(np.zeros((8, 32, 32, 3)), np.zeros((8,)))
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for t in trained(graph):
            out, y = t.output_shape, t.targets
            loss = t.loss or ""
            if out.rank < 3 or not (loss == SPARSE or raises_in_both(loss, t.output)):
                continue
            event = t.output.time_event
            if event is not None and is_recurrent(event.layer):
                continue  # a recurrent layer's time axis: KRS201/KRS202
            if not _one_per_sample(out, y, sparse=t.loss == SPARSE):
                continue
            keeper, head = _keeper(t.output)
            kept = Shape(out.dims[1:-1])
            pooling = f"GlobalAveragePooling{out.rank - 2}D" if out.rank <= 5 else ""
            fix = "Flatten or " + pooling if pooling else "Flatten"
            yield self.report(
                t.fit.y_node,
                {
                    "output": out,
                    "targets": y,
                    "loss": t.loss,
                    "method": t.fit.method,
                    "kept": kept,
                    "keeper": _name(keeper, brief),
                    "keeper_long": _name(keeper, describe, lines=True),
                    "head": describe(head.layer) if head is not None else "the output layer",
                    "fix": fix,
                    "behaviour": RAISES,
                    "encoding": "labels" if t.loss == SPARSE else "one_hot",
                },
                fit=t.fit,
                related=_related(keeper),
            )


def _one_per_sample(out: Shape, y: Shape, sparse: bool) -> bool:
    """Targets with one value (or one one-hot row) per sample: ``(n,)``, ``(n, 1)``, or
    ``(n, k)`` whose width is the output's last axis for a non-sparse loss.

    Not when tf_keras can squeeze the output's last axis of 1 to meet targets of one rank
    less: ``(batch, 36, 1)`` against ``(n, 1)`` with binary_crossentropy trains there
    (broadcast) and raises in Keras 3 (measured)."""
    if not sparse and y.rank == out.rank - 1 and out.dims[-1] == 1:
        return False
    if y.rank == 1 or (y.rank == 2 and y.dims[1] == 1):
        return True
    return not sparse and y.rank == 2 and y.dims[1] is not None and y.dims[1] == out.dims[-1]


def _keeper(output: Tensor) -> tuple[LayerCall | None, LayerCall | None]:
    """The layer whose axes the output kept (None: the model input) and the position-wise layer
    after it (the head that should have come after a Flatten)."""
    tensor, head = output, None
    rank = output.shape.rank if output.shape is not None else 0
    for _ in range(_BUDGET):
        app = tensor.producer
        if app is None or app.layer.name not in POSITION_WISE or not app.inputs:
            break
        source = app.inputs[0]
        if source.shape is None or source.shape.rank != rank:
            break
        tensor, head = source, app
    app = tensor.producer
    return (None if app is None or app.layer.name == "Input" else app), head


def _name(app: LayerCall | None, how: object, lines: bool = False) -> str:
    if app is None:
        return "the model input"
    text = how(app.layer)  # type: ignore[operator]
    return f"{text} on line {line_of(app)}" if lines else str(text)


def _related(app: LayerCall | None) -> tuple[tuple[str, ast.AST], ...]:
    if app is None:
        return ()
    return ((f"{describe(app.layer)} makes the axes the output kept", app.layer.node),)
