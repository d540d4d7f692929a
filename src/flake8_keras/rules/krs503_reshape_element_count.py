"""KRS503 reshape-element-count."""

from __future__ import annotations

from collections.abc import Iterator
from math import prod

from flake8_keras.keras.model import ModelGraph
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.build_faults import doubtful_sizes, refusals, sizes_along
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.describe import brief, describe
from flake8_keras.rules.gate_words import DECLARED_INPUT, RANK_WITHOUT_INPUT


class ReshapeElementCount(Rule):
    """
    ## What it does
    Finds a `Reshape` whose target holds a different number of elements per sample than its
    input, when every size of the input is known (one `-1` in the target is allowed: then the
    input's count must be a multiple of the other sizes).

    ## Why is this bad?
    Keras refuses to build the model: "The total size of the tensor must be unchanged".

    ## Example

    ## Use instead

    ## Notes
    Silent when a size of the input is unknown (`Input(shape=(None, 8))`), when the target is
    not a literal, and where the sizes depend on a Keras 1 dialect or an implicit
    channels_first layout.
    """

    code = "KRS503"
    name = "reshape-element-count"
    summary = "a Reshape to a different number of elements"
    reported_at = "the `Reshape(` call"
    triggers = ("Reshape",)
    requires = ((*DECLARED_INPUT, *RANK_WITHOUT_INPUT),)
    message = "{brief} cannot take {shape}: {target_count} elements vs {count} (fix: {fix})"
    explanation = (
        "{layer} on line {line} reshapes each sample of {shape} ({count} elements) to {target}"
        '{target_note}, so Keras refuses to build the model ("The total size of the tensor '
        'must be unchanged"). Sizes along the way: {sizes} (fix: {fix})'
    )

    INVALID = (
        Invalid(
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(28, 28))
            x = layers.Reshape((28, 28, 3))(inputs)  # KRS503: 5
            """
        ),
        Invalid(
            """
            from keras.layers import Dense, Reshape
            from keras.models import Sequential

            model = Sequential()
            model.add(Dense(100, input_shape=(10,)))
            model.add(Reshape((3, -1)))  # KRS503: 11
            """
        ),
    )
    VALID = (
        Valid(
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(28, 28))
            x = layers.Reshape((28, 28, 1))(inputs)
            y = layers.Reshape((-1, 4))(inputs)
            """
        ),
        Valid(
            # an unknown size: the count is not known
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(None, 8))
            x = layers.Reshape((3, 5))(inputs)
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for app, fault in refusals(graph):
            got = fault.got
            if fault.kind != "elements" or got is None or not app.inputs:
                continue
            if doubtful_sizes(graph, app):
                continue
            target = app.layer.const("target_shape", 0)
            if isinstance(target, list):
                target = tuple(target)
            if not isinstance(target, tuple):
                continue
            count = prod(d for d in got.dims[1:] if d is not None)
            sized = prod(d for d in target if d != -1)
            free = -1 in target
            yield self.report(
                app.layer.node,
                {
                    "layer": describe(app.layer),
                    "brief": brief(app.layer),
                    "line": getattr(app.layer.node, "lineno", 0),
                    "shape": got,
                    "count": count,
                    "target": target,
                    "target_count": f"a multiple of {sized}" if free else sized,
                    "target_note": (
                        f" ({sized} elements times a whole number)"
                        if free
                        else f" ({sized} elements)"
                    ),
                    "sizes": sizes_along(app.inputs[0]),
                    "fix": f"sizes that multiply to {count}",
                },
                app=app,
            )
