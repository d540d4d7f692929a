"""KRS504 merge-shape-mismatch."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_keras.keras.model import LayerCall, ModelGraph
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.build_faults import doubtful_sizes, refusals
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.describe import describe
from flake8_keras.rules.gate_words import DECLARED_INPUT, RANK_WITHOUT_INPUT

_FIXES = {
    "Concatenate": "equal sizes off the axis",
    "Dot": "axes of equal size",
    "Subtract": "2 inputs",
}


class MergeShapeMismatch(Rule):
    """
    ## What it does
    Finds a merge layer (`Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`,
    `Concatenate`, `Dot`, and the functions `add([...])`, `concatenate([...])`...) whose inputs
    are known to have shapes Keras cannot merge: different sizes on an axis where neither is 1
    (elementwise merges broadcast), different ranks or different sizes off the axis
    (`Concatenate`), axes of different sizes (`Dot`), different batch sizes.

    ## Why is this bad?
    Keras refuses to build the model: "Inputs have incompatible shapes" or "A `Concatenate`
    layer requires inputs with matching shapes except for the concatenation axis". A residual
    `Add` whose branch changed the number of channels is the usual case.

    ## Example

    ## Use instead

    ## Notes
    Silent when a size that decides it is unknown, when an input's shape is unknown, and where
    sizes depend on a Keras 1 dialect or an implicit channels_first layout.
    """

    code = "KRS504"
    name = "merge-shape-mismatch"
    summary = "a merge layer on inputs of shapes it cannot merge"
    reported_at = "the merge layer's call"
    triggers = ("Add", "add", "Concatenate", "concatenate", "Multiply", "multiply", "Average",
                "average", "Maximum", "maximum", "Minimum", "minimum", "Subtract", "subtract",
                "Dot", "dot")  # fmt: skip
    requires = ((*DECLARED_INPUT, *RANK_WITHOUT_INPUT),)
    message = "{name} cannot merge {shapes}: {what} (fix: {fix})"
    explanation = (
        "{layer} on line {line} gets inputs of shapes {shapes}: {reason}. Keras refuses to "
        "build the model. The inputs come from {sources} (fix: {fix})"
    )

    INVALID = (
        Invalid(
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(32, 32, 16))
            x = layers.Conv2D(32, 3, padding="same")(inputs)
            x = layers.Add()([x, inputs])  # KRS504: 5
            """
        ),
        Invalid(
            """
            import keras
            from keras import layers

            a = keras.Input(shape=(10, 8))
            b = keras.Input(shape=(12, 4))
            merged = layers.concatenate([a, b])  # KRS504: 10
            """
        ),
    )
    VALID = (
        Valid(
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(32, 32, 16))
            x = layers.Conv2D(16, 3, padding="same")(inputs)
            x = layers.Add()([x, inputs])
            a = keras.Input(shape=(10, 8))
            b = keras.Input(shape=(10, 4))
            merged = layers.concatenate([a, b])
            scaled = layers.Multiply()([a, keras.Input(shape=(10, 1))])
            """
        ),
        Valid(
            # an unknown size, and an input of unknown shape
            """
            import keras
            from keras import layers

            def block(x):
                a = keras.Input(shape=(None, 8))
                return layers.Add()([a, keras.Input(shape=(10, 8))]), layers.Add()([a, x])
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for app, fault in refusals(graph):
            if fault.kind != "merge" or not app.inputs:
                continue
            if any(t.shape is None for t in app.inputs) or doubtful_sizes(graph, app):
                continue
            shapes = ", ".join(str(t.shape) for t in app.inputs)
            what = fault.reason.split(":")[0].removeprefix(app.layer.name).strip()
            yield self.report(
                _node(app),
                {
                    "layer": describe(app.layer),
                    "name": app.layer.name,
                    "line": getattr(_node(app), "lineno", 0),
                    "shapes": shapes,
                    "what": what,
                    "reason": fault.reason,
                    "sources": ", ".join(_source(t.producer) for t in app.inputs),
                    "fix": _FIXES.get(app.layer.name, "equal shapes"),
                },
                app=app,
                related=_related(app),
            )


def _node(app: LayerCall) -> ast.AST:
    return app.node if isinstance(app.node, ast.Call) else app.layer.node


def _source(producer: LayerCall | None) -> str:
    if producer is None:
        return "an unknown tensor"
    if producer.layer.name == "Input":
        return f"the model input on line {getattr(producer.node, 'lineno', 0)}"
    return f"{describe(producer.layer)} on line {getattr(producer.layer.node, 'lineno', 0)}"


def _related(app: LayerCall) -> tuple[tuple[str, ast.AST], ...]:
    out: list[tuple[str, ast.AST]] = []
    for tensor in app.inputs:
        producer = tensor.producer
        if producer is not None:
            out.append((f"makes the input {tensor.shape}", producer.node))
    return tuple(out)
