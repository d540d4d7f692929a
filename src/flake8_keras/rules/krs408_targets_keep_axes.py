"""KRS408 targets-keep-axes."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_keras.keras.layers import is_recurrent
from flake8_keras.keras.layers.core import POSITION_WISE
from flake8_keras.keras.model import LayerCall, ModelGraph, Shape, Tensor
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.describe import describe, line_of
from flake8_keras.rules.fit_targets import trained
from flake8_keras.rules.gate_words import COMPILED, TRAINING
from flake8_keras.rules.targets_head import RAISES, SPARSE, raises_in_both

_BUDGET = 1_000  # layers walked back from the output


class TargetsKeepAxes(Rule):
    """
    ## What it does
    Reports a model whose output is `(batch, k)` trained on targets that still have spatial or
    time axes: `(n, 28, 28, 10)` or `(n, 50, 10)` one-hot targets, `(n, 28, 28)` labels. The
    output lost those axes in a `Flatten` or a global pooling layer (named in the message), or
    never had them (the model input is flat).

    ## Why is this bad?
    With `categorical_crossentropy`, `binary_crossentropy` (on a sigmoid output) and
    `sparse_categorical_crossentropy`, Keras 3 and tf_keras raise at `fit` at every batch size
    ("must have the same rank", "Shapes ... are incompatible", "`labels.shape` must equal
    `logits.shape` except for the last dimension"). Either the targets are per position (a
    segmentation mask, a label per timestep) and the head must keep the axes, or they are per
    sample and must lose them.

    ## Example

    ## Use instead
    Or keep per-sample targets `(n, 10)` and the pooling.

    ## Notes
    - A recurrent layer that returns only its last step is KRS201's.
    - Element-wise losses (`mse`, `mae`...) are not reported: they raise on most batch sizes
      but broadcast silently when the batch size is 1 or equals the targets' next-to-last size.
    - `(n, T, 1)` targets against `Dense(T)` (the multi-step design) are not reported.
    """

    code = "KRS408"
    name = "targets-keep-axes"
    summary = "an output (batch, k) trained on targets that kept spatial or time axes"
    reported_at = (
        "the `y` argument of `fit` / `evaluate` / `train_on_batch`, or `validation_data`'s"
    )
    triggers = TRAINING
    requires = (COMPILED,)
    message = (
        "{lost} the axes of targets {targets}: Keras raises at fit (fix: targets {per_sample})"
    )
    explanation = (
        "the model's output {output} has no axes between the samples and the {units} units "
        "({cause}), but the {method} targets {targets} keep the axes {kept}, and {loss} needs "
        "them {needs}: Keras raises at fit (fix: {fix_long})"
    )

    INVALID = (
        Invalid(
            """
            import numpy as np
            from keras import Input, Sequential, layers

            model = Sequential([
                Input(shape=(28, 28, 1)),
                layers.Conv2D(16, 3, padding="same", activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(10, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="categorical_crossentropy")
            masks = np.zeros((64, 28, 28, 10))
            model.fit(np.random.rand(64, 28, 28, 1), masks)  # KRS408: 42
            """
        ),
        Invalid(
            """
            import numpy as np
            import tensorflow as tf

            inputs = tf.keras.Input(shape=(50, 8))
            flat = tf.keras.layers.Flatten()(inputs)
            outputs = tf.keras.layers.Dense(4)(flat)
            model = tf.keras.Model(inputs, outputs)
            model.compile(optimizer="adam", loss="categorical_crossentropy")
            y = tf.keras.utils.to_categorical(np.random.randint(0, 4, size=(32, 50)), 4)
            model.fit(np.zeros((32, 50, 8)), y)  # KRS408: 34
            """
        ),
    )
    VALID = (
        Valid(
            """
            import numpy as np
            from keras import Input, Sequential, layers

            model = Sequential([
                Input(shape=(28, 28, 1)),
                layers.Conv2D(16, 3, padding="same", activation="relu"),
                layers.Conv2D(10, 1, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="categorical_crossentropy")
            model.fit(np.random.rand(64, 28, 28, 1), np.zeros((64, 28, 28, 10)))
            """
        ),
        Valid(
            # the multi-step design: Dense(T) against (n, T, 1); and mse (broadcasts at some
            # batch sizes, not reported)
            """
            import numpy as np
            from keras import Input, Sequential, layers

            model = Sequential([Input(shape=(30, 4)), layers.Flatten(), layers.Dense(7)])
            model.compile(optimizer="adam", loss="binary_crossentropy")
            model.fit(np.zeros((64, 30, 4)), np.zeros((64, 7, 1)))
            model.compile(optimizer="adam", loss="mse")
            model.fit(np.zeros((64, 30, 4)), np.zeros((64, 7, 3)))
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for t in trained(graph):
            out, y = t.output_shape, t.targets
            loss = t.loss or ""
            sparse = loss == SPARSE
            if out.rank != 2 or not (sparse or raises_in_both(loss, t.output)):
                continue
            kept = _kept_axes(out, y, sparse)
            if kept is None:
                continue
            known, dropper = _dropper(t.output)
            if not known or (dropper is not None and is_recurrent(dropper.layer)):
                continue  # a layer not followed, or a recurrent layer's last step (KRS201)
            per_sample = Shape((y.dims[0],) if sparse else (y.dims[0], out.dims[-1]))
            lost = (
                "the flat model input lacks" if dropper is None else f"{dropper.layer.name} dropped"
            )
            yield self.report(
                t.fit.y_node,
                {
                    "output": out,
                    "targets": y,
                    "loss": t.loss,
                    "units": out.dims[-1],
                    "method": t.fit.method,
                    "kept": kept,
                    "lost": lost,
                    "cause": _cause(dropper),
                    "needs": "as (n,) or (n, 1) labels" if sparse else "shaped like the output",
                    "per_sample": per_sample,
                    "fix_long": _fix_long(dropper, per_sample),
                    "behaviour": RAISES,
                    "encoding": "labels" if sparse else "one_hot",
                },
                fit=t.fit,
                related=_related(dropper),
            )


def _kept_axes(out: Shape, y: Shape, sparse: bool) -> Shape | None:
    """The axes between the samples and the classes that the targets have and a ``(batch, k)``
    output lacks, when one of them is known to be longer than 1; None otherwise."""
    if y.rank < 3:
        return None  # (n, k) targets: KRS402/KRS403/KRS404
    kept = y.dims[1:] if sparse else y.dims[1:-1]
    if sparse and y.dims[-1] == 1:
        kept = y.dims[1:-1]
    if not sparse and y.rank == 3 and y.dims[-1] == 1 and y.dims[1] == out.dims[-1]:
        return None  # (n, T, 1) squeezed to (n, T) against Dense(T): the multi-step design
    if not any(isinstance(d, int) and d > 1 for d in kept):
        return None
    return Shape(kept)


def _dropper(output: Tensor) -> tuple[bool, LayerCall | None]:
    """The layer that made the output rank 2 from a tensor with more axes, walking back
    through position-wise layers: (True, None) when the model input is rank 2 already,
    (False, None) when the walk meets a layer it does not know."""
    tensor = output
    for _ in range(_BUDGET):
        app = tensor.producer
        if app is None or app.layer.name == "Input":
            return (True, None)
        if not app.inputs or app.inputs[0].shape is None:
            return (False, None)
        source = app.inputs[0]
        if source.shape is not None and source.shape.rank > 2:
            return (True, app)
        if app.layer.name not in POSITION_WISE:
            return (False, None)
        tensor = source
    return (False, None)


def _cause(app: LayerCall | None) -> str:
    if app is None:
        return "the model input has none"
    return f"{describe(app.layer)} on line {line_of(app)} removed them"


def _fix_long(app: LayerCall | None, per_sample: Shape) -> str:
    keep = (
        "declare an input with those axes"
        if app is None
        else f"remove {describe(app.layer)} and end in a per-position layer"
    )
    return f"for per-position targets {keep}; for per-sample targets pass them as {per_sample}"


def _related(app: LayerCall | None) -> tuple[tuple[str, ast.AST], ...]:
    if app is None:
        return ()
    return ((f"{describe(app.layer)} drops the axes the targets keep", app.layer.node),)
