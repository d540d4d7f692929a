"""KRS301 data-does-not-fit-input."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_keras.keras.image_pipelines import PipelineImages
from flake8_keras.keras.layers import apply
from flake8_keras.keras.model import ModelGraph, Shape
from flake8_keras.rules.base import Diagnostic, Rule
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.data_input import (
    Fed,
    declared_shape,
    fed,
    fix_for,
    flattened_size,
    from_array_shape,
    mismatch,
    one_sample,
    operand,
    shape_text,
    text,
)
from flake8_keras.rules.describe import brief
from flake8_keras.rules.gate_words import DATA_CALLS, DECLARED_INPUT


class DataDoesNotFitInput(Rule):
    """
    ## What it does
    Compares the arrays given to `fit`, `evaluate`, `predict`, `train_on_batch`,
    `test_on_batch`, `predict_on_batch`, `validation_data=(x, y)` and `model(x)` with the input
    the model declares (`Input(shape=)`, or `input_shape=`, `batch_input_shape=`, `input_dim=`
    on its first layer). Reports data whose rank or last axis differs, and images of another
    height or width when a `Flatten` into `Dense` fixes the size. For a `Sequential`
    without a declared input, reports data its first layer refuses (a `Conv2D` fed rank 3).
    Image pipelines read from directories (`image_dataset_from_directory`,
    `ImageDataGenerator().flow_from_directory`) are data too: their `color_mode` gives the
    channels, `image_size` / `target_size` the height and width (default 256 x 256).

    ## Why is this bad?
    Keras raises at `fit`, after the data was loaded and preprocessed, often minutes in (Keras 3
    and tf_keras alike). Keras adds a missing trailing axis of size 1 and squeezes an extra
    one: those are not reported.

    ## Example

    ## Use instead

    ## Notes
    Only arrays whose shape is known are compared: numpy and TensorFlow constructors,
    `keras.datasets.*.load_data()`, `pad_sequences(maxlen=)`, `train_test_split`, reshapes,
    `expand_dims`, `x[..., None]`, `/ 255.0`. Data from files, generators, `tf.data`, pandas or
    parameters, multi-input models, models whose first layers are not followed (`Lambda`,
    custom layers) and unknown dims are never reported.
    """

    code = "KRS301"
    name = "data-does-not-fit-input"
    summary = "the data's rank or last axis does not fit the model's declared input"
    reported_at = "the data argument (x)"
    triggers = DATA_CALLS
    requires = ((*DECLARED_INPUT, "Sequential"),)
    message = "data {data} does not fit {target}: {why} (fix: {fix})"  # about 100 characters
    explanation = (
        "{x} has shape {data}; given to {method}, it does not fit {target} ({where}): {why}. "
        "Keras 3 and tf_keras raise when the model is given this data; a missing or extra "
        "trailing axis of size 1 is the only difference Keras repairs (fix: {fix})"
    )

    INVALID = (
        Invalid(
            """
            import numpy as np
            from keras import layers, models

            x = np.zeros((100, 28, 28))
            y = np.zeros((100, 10))
            model = models.Sequential([
                layers.Conv2D(8, 3, input_shape=(28, 28, 3)),
                layers.Flatten(),
                layers.Dense(10, activation="softmax"),
            ])
            model.compile("adam", "categorical_crossentropy")
            model.fit(x, y)  # KRS301: 11
            """
        ),
        Invalid(
            """
            import numpy as np
            from tensorflow import keras

            inputs = keras.Input(shape=(20,))
            outputs = keras.layers.Dense(1)(inputs)
            model = keras.Model(inputs, outputs)
            model.compile(optimizer="adam", loss="mse")
            model.fit(np.random.rand(64, 30), np.random.rand(64, 1))  # KRS301: 11
            """
        ),
        Invalid(
            # no declared input: the first layer decides, and Conv2D needs rank 4
            """
            from keras.datasets import mnist
            from keras.models import Sequential
            from keras.layers import Conv2D, Flatten, Dense

            (x_train, y_train), (x_test, y_test) = mnist.load_data()
            x_train = x_train / 255.0
            model = Sequential()
            model.add(Conv2D(16, 3, activation="relu"))
            model.add(Flatten())
            model.add(Dense(10, activation="softmax"))
            model.compile("adam", "sparse_categorical_crossentropy")
            model.fit(x_train, y_train, epochs=1)  # KRS301: 11
            """
        ),
        Invalid(
            # the pipeline's default image size (256, 256), flattened into a Dense built for 64
            """
            import keras
            from keras import layers

            train_ds = keras.utils.image_dataset_from_directory("photos")
            model = keras.Sequential([
                keras.Input(shape=(64, 64, 3)),
                layers.Conv2D(8, 3, activation="relu"),
                layers.Flatten(),
                layers.Dense(3, activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy")
            model.fit(train_ds, epochs=5)  # KRS301: 11
            """
        ),
    )
    VALID = (
        Valid(
            # a missing trailing axis of size 1 is added by Keras
            """
            from keras.datasets import mnist
            from keras import layers, models

            (x_train, y_train), _ = mnist.load_data()
            model = models.Sequential([
                layers.Input(shape=(28, 28, 1)),
                layers.Conv2D(8, 3),
                layers.Flatten(),
                layers.Dense(10),
            ])
            model.compile("adam", "sparse_categorical_crossentropy")
            model.fit(x_train / 255.0, y_train)
            """
        ),
        Valid(
            # data from a parameter is not known
            """
            from keras import layers, models

            def train(x, y):
                model = models.Sequential([layers.Dense(1, input_shape=(20,))])
                model.compile("adam", "mse")
                model.fit(x, y)
            """
        ),
        Valid(
            # input_shape on a later layer is ignored by Keras (and here)
            """
            import numpy as np
            from keras import layers, models

            model = models.Sequential([layers.Dense(8), layers.Dense(1, input_shape=(99,))])
            model.compile("adam", "mse")
            model.fit(np.zeros((32, 20)), np.zeros((32, 1)))
            """
        ),
        Valid(
            # a global pooling head takes any image size
            """
            import keras
            from keras import layers

            train_ds = keras.utils.image_dataset_from_directory("photos")
            model = keras.Sequential([
                keras.Input(shape=(64, 64, 3)),
                layers.Conv2D(8, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3, activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy")
            model.fit(train_ds, epochs=5)
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for f in fed(graph):
            declared = declared_shape(f)
            if declared is not None:
                if one_sample(f) or from_array_shape(f.model_input) is not None:
                    continue  # KRS303, KRS302
                why = mismatch(f.data, declared)
                if why is not None:
                    target = f"the input {declared}"
                    fix = _pipeline_fix(f, declared) or fix_for(f.data, declared, operand(f.x_node))
                    yield self._report(f, target, why, fix, declared)
                elif (why := flattened_size(f, declared)) is not None:
                    target = f"the input {declared}"
                    fix = (
                        _pipeline_fix(f, declared)
                        or f"resize the data to {Shape(declared.dims[1:-1])}"
                    )
                    yield self._report(f, target, why, fix, declared)
            elif not f.model_input.declared and f.model_input.first is not None:
                first = f.model_input.first
                sample = Shape((None,) + f.data.dims[1:])
                fault = apply(first.layer, [sample]).rejected
                if fault is None or fault.kind != "rank":
                    continue
                why = f"rank {f.data.rank}, it takes {fault.expected}"
                wanted = fault.expected.lstrip(">= ")
                fix = (
                    f"{operand(f.x_node)}[..., None]"
                    if wanted == str(f.data.rank + 1)
                    else f"give the data rank {wanted} or declare the input"
                )
                yield self._report(f, f"the first layer {brief(first.layer)}", why, fix, None)

    def _report(
        self, f: Fed, target: str, why: str, fix: str, declared: Shape | None
    ) -> Diagnostic:
        producer = f.model_input.tensor.producer
        first = f.model_input.first
        related: tuple[tuple[str, ast.AST], ...] = ()
        where = "not declared in the file"
        if declared is not None and producer is not None:
            related = (("the model's declared input", producer.node),)
            where = f"declared on line {getattr(producer.node, 'lineno', '?')}"
        elif first is not None:
            related = (("the model's first layer", first.node),)
            where = f"the first layer, on line {getattr(first.node, 'lineno', '?')}"
        return self.report(
            f.x_node,
            {
                "data": shape_text(f.data),
                "x": text(f.x_node),
                "target": target,
                "where": where,
                "why": why,
                "fix": fix,
                "method": f.call.method,
                "data_call": f.call,
                "data_shape": f.data,
                "declared_shape": declared,
            },
            related=related,
        )


def _pipeline_fix(f: Fed, declared: Shape) -> str | None:
    """An image pipeline's own argument: ``color_mode="rgb"`` for a 3-channel input."""
    x = f.call.x
    if not isinstance(x, PipelineImages) or x.pipeline is None:
        return None
    if f.data.rank != declared.rank:
        return None
    if f.data.dims[-1] != declared.dims[-1]:
        return x.pipeline.color_mode(declared.dims[-1])
    return f"{x.pipeline.size_arg}={Shape(declared.dims[1:-1])}"
