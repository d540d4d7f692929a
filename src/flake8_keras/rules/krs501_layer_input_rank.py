"""KRS501 layer-input-rank."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from flake8_keras.keras.layers import is_recurrent
from flake8_keras.keras.model import Layer, ModelGraph, Shape, Tensor
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.build_faults import refusals
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.describe import brief, describe, origin
from flake8_keras.rules.gate_words import DECLARED_INPUT, RANK_WITHOUT_INPUT

# Plain convolutions on a higher rank build in tf_keras (it folds the extra axes into the
# batch) and fail only in Keras 3: not reported (the rule reports what fails in both).
_BATCHED_IN_TF_KERAS = re.compile(r"Conv(olution)?[123]D$")
# tf_keras builds Flatten on rank 0 ((None, None)); Keras 3 refuses it.
_ANY_RANK_IN_TF_KERAS = frozenset({"Flatten"})
_SPATIAL = re.compile(r"([123])D")


class LayerInputRank(Rule):
    """
    ## What it does
    Finds a layer whose input is known to have a rank the layer cannot take: a `Conv2D` on
    `input_shape=(100, 100)` (no channel axis), a `Conv1D` or `MaxPooling2D` after `Flatten`,
    a `Dense` on rank 1, an `LSTM` on rank 4, a `RepeatVector` on rank 3.

    ## Why is this bad?
    Keras refuses to build the model ("expected min_ndim=4, found ndim=3"). With `Sequential`
    and no input shape the error comes only at `fit`, far from the layer.

    ## Example

    ## Use instead

    ## Notes
    Recurrent layers one axis short (KRS103) and `TimeDistributed` on rank 2 (KRS102) have
    their own rules. A plain `Conv1D/2D/3D` on a higher rank and `Flatten` on rank 0 build in
    tf_keras (not reported: only what fails in both Keras 3 and tf_keras is).
    Unknown layers, custom layers and `Lambda` are never reported.
    """

    code = "KRS501"
    name = "layer-input-rank"
    summary = "a layer whose input has a rank it cannot take"
    reported_at = "the layer's call"
    # the families of layers with a rank rule
    triggers = (
        "Conv",
        "Pool",
        "Dense",
        "LSTM",
        "GRU",
        "RNN",
        "Cropping",
        "Padding",
        "Sampling",
        "RepeatVector",
        "Permute",
        "Dropout",
    )
    requires = ((*DECLARED_INPUT, *RANK_WITHOUT_INPUT),)
    message = "{brief} needs {form} input, gets {shape} (fix: {fix})"
    explanation = (
        "{layer} on line {line} builds only on inputs of rank {expected} ({form}), but its input "
        '{shape} comes{source}. Keras refuses to build the model (Keras 3: "expected '
        'ndim={expected}, found ndim={rank}") (fix: {fix})'
    )

    INVALID = (
        Invalid(
            """
            from keras.layers import Conv2D, Dense, Flatten
            from keras.models import Sequential

            model = Sequential()
            model.add(Conv2D(32, 3, input_shape=(100, 100)))  # KRS501: 11
            model.add(Flatten())
            model.add(Dense(10))
            """
        ),
        Invalid(
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(28, 28, 1))
            x = layers.Flatten()(inputs)
            x = layers.MaxPooling2D()(x)  # KRS501: 5
            """
        ),
        Invalid(
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(10, 8, 8))
            out = layers.LSTM(4)(inputs)  # KRS501: 7
            """
        ),
    )
    VALID = (
        Valid(
            """
            from keras.layers import Conv2D, Dense, Flatten
            from keras.models import Sequential

            model = Sequential()
            model.add(Conv2D(32, 3, input_shape=(100, 100, 1)))
            model.add(Flatten())
            model.add(Dense(10))
            """
        ),
        Valid(
            # a custom layer and a Lambda: their output shapes are unknown
            """
            import keras
            from keras import layers

            class AddChannel(layers.Layer):
                def call(self, x):
                    return x[..., None]

            inputs = keras.Input(shape=(28, 28))
            x = AddChannel()(inputs)
            x = layers.Conv2D(8, 3)(x)
            y = layers.Lambda(lambda t: t[..., None])(inputs)
            y = layers.Conv2D(8, 3)(y)
            """
        ),
        Valid(
            # a plain Conv2D on rank 5 builds in tf_keras (extra axes join the batch)
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(4, 28, 28, 1))
            x = layers.Conv2D(8, 3)(inputs)
            """
        ),
        Valid(
            # the input's rank is unknown
            """
            import keras
            from keras import layers

            def block(x):
                return layers.Conv2D(8, 3)(x)
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for app, fault in refusals(graph):
            got = fault.got
            needed = _fewest(fault.expected)
            if fault.kind != "rank" or got is None or needed is None or not app.inputs:
                continue
            if not _reported(app.layer, got.rank, needed):
                continue
            source = app.inputs[0]
            yield self.report(
                app.layer.node,
                {
                    "layer": describe(app.layer),
                    "brief": brief(app.layer),
                    "line": getattr(app.layer.node, "lineno", 0),
                    "expected": fault.expected,
                    "form": _form(app.layer, needed),
                    "shape": got,
                    "rank": got.rank,
                    "source": origin(source),
                    "fix": _fix(app.layer, source, got, needed),
                },
                app=app,
                related=_related(source),
            )


def _fewest(expected: str) -> int | None:
    found = re.search(r"\d+", expected)
    return int(found.group()) if found else None


def _reported(layer: Layer, rank: int, needed: int) -> bool:
    if layer.name == "TimeDistributed" or layer.name in _ANY_RANK_IN_TF_KERAS:
        return False  # KRS102, or an inner layer on one step (Keras 3 does not check it)
    if is_recurrent(layer) and rank == needed - 1:
        return False  # KRS103
    return rank < needed or not _BATCHED_IN_TF_KERAS.search(layer.name)


def _form(layer: Layer, rank: int) -> str:
    name = layer.name
    if is_recurrent(layer):
        middle = ", ...spatial" if rank > 3 else ""
        return f"(batch, timesteps{middle}, features)"
    spatial = _SPATIAL.search(name)
    if spatial is not None and rank == int(spatial.group(1)) + 2:
        axes = {1: "steps", 2: "h, w", 3: "d, h, w"}[int(spatial.group(1))]
        return f"(batch, {axes}, channels)"
    if name == "Dense":
        return "(batch, ..., features)"
    if name == "RepeatVector":
        return "(batch, features)"
    return f"rank {rank}"


def _fix(layer: Layer, source: Tensor, got: Shape, needed: int) -> str:
    producer = source.producer
    from_input = producer is None or producer.layer.name == "Input"
    if got.rank < needed:
        if from_input and got.rank == needed - 1:
            added = Shape(got.dims[1:] + (1,))
            return f"input shape {added}"
        return f"Reshape to rank {needed}"
    if from_input:
        return f"declare an input of rank {needed}"
    return f"Reshape or pool to rank {needed}"


def _related(source: Tensor) -> tuple[tuple[str, ast.AST], ...]:
    producer = source.producer
    if producer is None:
        return ()
    if producer.layer.name == "Input":
        return ((f"the model input {source.shape}", producer.node),)
    return ((f"{describe(producer.layer)} makes the input {source.shape}", producer.node),)
