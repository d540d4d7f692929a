"""What the KRS4xx rules share: a fit whose model ends in a ``(batch, units)`` head, and the
losses grouped by how Keras meets targets of another shape (measured in Keras 3.15 and
tf_keras 2.21, one training step, DESIGN §1b)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from flake8_keras.engine.values import Const
from flake8_keras.keras.model import ModelGraph, Shape, Tensor
from flake8_keras.records import record
from flake8_keras.rules.describe import brief, describe
from flake8_keras.rules.fit_targets import Trained, trained

# Element-wise losses: targets of another shape are broadcast against the output; (n, 1) vs
# (batch, 10) and (n, 2) vs (batch, 1) train silently in both Keras lines.
ELEMENTWISE = re.compile(
    r"^(mse|mae|mape|msle|huber|huber_loss|log_?cosh|"
    r"mean_(squared|absolute|absolute_percentage|squared_logarithmic)_error)$"
)
# Losses that need the targets' shape to equal the output's and raise at fit otherwise.
SAME_SHAPE = frozenset({"categorical_crossentropy", "binary_crossentropy"})
CATEGORICAL = "categorical_crossentropy"
SPARSE = "sparse_categorical_crossentropy"
# binary_crossentropy raises on a shape mismatch in tf_keras only on the logits path, when the
# output layer applies the sigmoid itself; otherwise tf_keras broadcasts (measured: Dense(1)
# against (n, 2) trains there, raises in Keras 3).
BINARY = "binary_crossentropy"
# What a KRS4xx message claims Keras does (the verifier checks exactly this).
RAISES = "raises"
SILENT = "trains silently"


@record(frozen=True)
class Head:
    """A fit of a single-output model whose output is ``(batch, units)``, with a named loss."""

    fit: Trained
    units: int

    @property
    def loss(self) -> str:
        return self.fit.loss or ""

    @property
    def width(self) -> int | None:
        """The targets' trailing size when they are ``(n, k)``."""
        return width(self.fit.targets)

    def layer(self, headline: bool = True) -> str:
        """The layer that makes the output: ``Dense(10, ...)``; the model input if none."""
        app = self.fit.output.producer
        if app is None or app.layer.name == "Input":
            return "the model input"
        return brief(app.layer) if headline else describe(app.layer)

    def made_by(self) -> str:
        """``Dense(10, activation='softmax') on line 12``, for the long message."""
        app = self.fit.output.producer
        if app is None or app.layer.name == "Input":
            return "the model input"
        return f"{describe(app.layer)} on line {getattr(app.layer.node, 'lineno', 0)}"

    def related(self) -> tuple[tuple[str, ast.AST], ...]:
        app = self.fit.output.producer
        if app is None or app.layer.name == "Input":
            return ()
        return ((f"{describe(app.layer)} makes the output", app.layer.node),)

    def args(self, **more: object) -> dict[str, object]:
        t = self.fit
        return {
            "output": t.output_shape,
            "targets": t.targets,
            "loss": self.loss,
            "units": self.units,
            "method": t.fit.method,
            "layer": self.layer(),
            "layer_long": self.layer(headline=False),
            "made_by": self.made_by(),
            **more,
        }


def heads(graph: ModelGraph) -> list[Head]:
    """The fits whose model output is ``(batch, units)`` with known units and a named loss."""
    return graph.derived("heads", lambda g: list(_heads(g)))


def _heads(graph: ModelGraph) -> Iterator[Head]:
    for t in trained(graph):
        units = t.output_shape.dims[-1]
        if t.output_shape.rank == 2 and isinstance(units, int) and units >= 1 and t.loss:
            yield Head(t, units)


def width(targets: Shape) -> int | None:
    """The trailing size of ``(n, k)`` targets; None for any other rank or an unknown size."""
    last = targets.dims[-1]
    return last if targets.rank == 2 and isinstance(last, int) else None


def one_per_sample(targets: Shape) -> bool:
    """``(n,)`` or ``(n, 1)``: one value per sample."""
    return targets.rank == 1 or (targets.rank == 2 and targets.dims[1] == 1)


def raises_in_both(loss: str, output: Tensor) -> bool:
    """Whether a same-shape loss raises on mismatched targets in Keras 3 and tf_keras."""
    return loss in SAME_SHAPE and (loss != BINARY or sigmoid_output(output))


def sigmoid_output(output: Tensor) -> bool:
    """The layer that makes ``output`` applies a literal ``activation="sigmoid"``."""
    app = output.producer
    if app is None or app.layer.open_args or app.layer.open_kwargs:
        return False
    position = {"Dense": 1, "Activation": 0}.get(app.layer.name)
    value = app.layer.arg("activation", position)
    return isinstance(value, Const) and value.value == "sigmoid"
