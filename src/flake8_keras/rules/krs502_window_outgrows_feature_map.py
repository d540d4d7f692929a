"""KRS502 window-outgrows-feature-map."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_keras.keras.model import ModelGraph, Tensor
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.build_faults import doubtful_sizes, model_input, refusals, sizes_along
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.describe import brief, describe
from flake8_keras.rules.gate_words import DECLARED_INPUT


class WindowOutgrowsFeatureMap(Rule):
    """
    ## What it does
    Finds a convolution, pooling or cropping layer with `padding="valid"` whose window (or
    cropping) is larger than what is left of the feature map, following the sizes from the
    model input through every convolution, pooling, cropping, padding and upsampling layer
    (kernel size, strides, dilation, `data_format`).

    ## Why is this bad?
    Keras refuses to build the model: "Computed output size would be zero or negative" (or
    "Negative dimension size" in older versions). A stack of `Conv2D`/`MaxPooling2D` blocks
    copied from a 224x224 model onto 28x28 images runs out of pixels a few blocks in.

    ## Example

    ## Use instead

    ## Notes
    Silent with `padding="same"`, with an unknown size on the axis, with a non-literal argument,
    in Keras 1 files (`Convolution2D(32, 3, 3)` and `border_mode` meant other things) and when
    the model input looks channels_first (`(3, 32, 32)`) while a layer leaves `data_format` to
    the user's configuration.
    """

    code = "KRS502"
    name = "window-outgrows-feature-map"
    summary = "a conv/pool/cropping window larger than the feature map"
    reported_at = "the layer whose window does not fit"
    triggers = ("Conv", "Pool", "Cropping")
    requires = (DECLARED_INPUT,)
    message = "{brief} outgrows its input {shape}: {why} (fix: {fix})"
    explanation = (
        "{layer} on line {line} gets {shape}: {reason}, so it has no output and Keras refuses "
        'to build the model ("Computed output size would be zero or negative"). Sizes along '
        "the way: {sizes} (fix: {long_fix})"
    )

    INVALID = (
        Invalid(
            """
            from keras.layers import Conv2D, Dense, Flatten, MaxPooling2D
            from keras.models import Sequential

            model = Sequential()
            model.add(Conv2D(32, 3, activation="relu", input_shape=(28, 28, 1)))
            model.add(MaxPooling2D())
            model.add(Conv2D(64, 3, activation="relu"))
            model.add(MaxPooling2D())
            model.add(Conv2D(128, 3, activation="relu"))
            model.add(MaxPooling2D())
            model.add(Conv2D(256, 3, activation="relu"))  # KRS502: 11
            model.add(Flatten())
            model.add(Dense(10))
            """
        ),
        Invalid(
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(20, 8))
            x = layers.Conv1D(16, 5, strides=2)(inputs)
            x = layers.MaxPooling1D(4)(x)
            x = layers.Conv1D(16, 5)(x)  # KRS502: 5
            """
        ),
    )
    VALID = (
        Valid(
            # padding="same" keeps the map
            """
            from keras.layers import Conv2D, MaxPooling2D
            from keras.models import Sequential

            model = Sequential()
            model.add(Conv2D(32, 3, padding="same", input_shape=(4, 4, 1)))
            model.add(MaxPooling2D())
            model.add(Conv2D(64, 3, padding="same"))
            model.add(MaxPooling2D())
            """
        ),
        Valid(
            # channels_first: the spatial axes are the last two
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(3, 32, 32))
            x = layers.Conv2D(8, 3, data_format="channels_first")(inputs)
            x = layers.MaxPooling2D(data_format="channels_first")(x)
            """
        ),
        Valid(
            # no data_format on a (3, 32, 32) input: keras.json may say channels_first
            """
            from keras.layers import Conv2D, MaxPooling2D
            from keras.models import Sequential

            model = Sequential()
            model.add(Conv2D(32, (3, 3), input_shape=(3, 32, 32)))
            model.add(MaxPooling2D(pool_size=(2, 2)))
            """
        ),
        Valid(
            # Keras 1: Convolution2D(32, 3, 3) is a 3x3 kernel, border_mode its padding
            """
            from keras.layers import Convolution2D, Dense
            from keras.models import Sequential

            model = Sequential()
            model.add(Convolution2D(32, 3, 3, border_mode="valid", input_shape=(5, 5, 1)))
            model.add(Convolution2D(32, 3, 3))
            model.add(Dense(10, init="uniform"))
            model.fit(x, y, nb_epoch=2)
            """
        ),
        Valid(
            # the size along the axis is unknown
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(None, 8))
            x = layers.Conv1D(16, 5)(inputs)
            x = layers.MaxPooling1D(4)(x)
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for app, fault in refusals(graph):
            if fault.kind != "window" or fault.got is None or not app.inputs:
                continue
            if doubtful_sizes(graph, app):
                continue
            source = app.inputs[0]
            cropping = app.layer.name.startswith("Cropping")
            fix = "crop less" if cropping else "padding='same'"
            long_fix = fix if cropping else "padding='same', or fewer downsampling layers before it"
            yield self.report(
                app.layer.node,
                {
                    "layer": describe(app.layer),
                    "brief": brief(app.layer),
                    "line": getattr(app.layer.node, "lineno", 0),
                    "reason": fault.reason,
                    "why": fault.reason.split(" on spatial axis")[0],
                    "long_fix": long_fix,
                    "shape": fault.got,
                    "sizes": sizes_along(source),
                    "fix": fix,
                },
                app=app,
                related=_related(source),
            )


def _related(source: Tensor) -> tuple[tuple[str, ast.AST], ...]:
    first = model_input(source)
    if first.producer is None:
        return ()
    return ((f"the model input {first.shape}", first.producer.node),)
