"""Partial knowledge through the interpreter: what a merge with an unknown input still knows,
and that the KRS5xx rules report the first failure only, never its echoes."""

from __future__ import annotations

import ast
import textwrap

from flake8_keras.analysis import analyze_source
from flake8_keras.keras.construct import build_graph
from flake8_keras.keras.model import Shape

HEAD = "import keras\nfrom keras import layers\n"


def _shapes(body: str) -> dict[str, Shape | None]:
    """The output shape of each layer application, by the layer's name (the last one wins)."""
    graph = build_graph(ast.parse(HEAD + textwrap.dedent(body)))
    return {app.layer.name: app.output.shape if app.output else None for app in graph.apps}


def _codes(body: str) -> list[tuple[int, str]]:
    return [(d.line - 2, d.code) for d in analyze_source(HEAD + textwrap.dedent(body))]


def test_concatenate_with_an_unknown_input_keeps_the_rank() -> None:
    shapes = _shapes(
        """
        a = keras.Input(shape=(10, 8))
        unknown = layers.Lambda(lambda t: t)(a)
        joined = layers.Concatenate()([a, unknown])
        """
    )
    assert shapes["Concatenate"] == Shape((None, None, None))


def test_a_rank_fault_after_a_partial_merge_is_reported() -> None:
    assert _codes(
        """
        a = keras.Input(shape=(10, 8))
        joined = layers.concatenate([a, layers.Lambda(lambda t: t)(a)])
        out = layers.Conv2D(4, 3)(joined)
        """
    ) == [(4, "KRS501")]


def test_elementwise_merge_with_an_unknown_input_stays_unknown() -> None:
    # Add broadcasts across ranks: the unknown input may have more axes
    shapes = _shapes(
        """
        a = keras.Input(shape=(10, 8))
        added = layers.Add()([a, layers.Lambda(lambda t: t)(a)])
        """
    )
    assert shapes["Add"] is None


def test_only_the_first_failure_is_reported() -> None:
    assert _codes(
        """
        x = keras.Input(shape=(6, 6, 1))
        x = layers.Conv2D(4, 5)(x)
        x = layers.Conv2D(4, 3)(x)
        x = layers.MaxPooling2D(4)(x)
        x = layers.Reshape((7, 7))(x)
        """
    ) == [(4, "KRS502")]


def test_sizes_follow_strides_padding_and_upsampling() -> None:
    shapes = _shapes(
        """
        x = keras.Input(shape=(28, 28, 3))
        x = layers.Conv2D(8, 3, strides=2, padding="same")(x)
        x = layers.MaxPooling2D(pool_size=(2, 2))(x)
        x = layers.UpSampling2D((2, 3))(x)
        x = layers.ZeroPadding2D(((1, 0), (2, 2)))(x)
        x = layers.Cropping2D(1)(x)
        x = layers.Conv2DTranspose(5, 3, strides=2)(x)
        """
    )
    assert shapes["Conv2D"] == Shape((None, 14, 14, 8))
    assert shapes["MaxPooling2D"] == Shape((None, 7, 7, 8))
    assert shapes["UpSampling2D"] == Shape((None, 14, 21, 8))
    assert shapes["ZeroPadding2D"] == Shape((None, 15, 25, 8))
    assert shapes["Cropping2D"] == Shape((None, 13, 23, 8))
    assert shapes["Conv2DTranspose"] == Shape((None, 27, 47, 5))


def test_keras1_files_and_implicit_channels_first_are_silent_for_sizes() -> None:
    keras1 = """
        from keras.layers import Convolution2D, Dense
        from keras.models import Sequential
        m = Sequential()
        m.add(Convolution2D(8, 3, input_shape=(3, 3, 1)))
        m.add(Convolution2D(8, 5))
        m.add(Dense(2, init="uniform"))
        """
    assert _codes(keras1) == []
    assert _codes(keras1.replace(', init="uniform"', "")) == [(6, "KRS502")]
    first = """
        m = keras.Sequential([layers.Conv2D(8, 3, input_shape=(3, 8, 8)), layers.Conv2D(8, 9)])
        """
    assert _codes(first) == []
    explicit = first.replace("(3, 8, 8))", "(3, 8, 8), data_format='channels_first')")
    assert _codes(
        explicit.replace("layers.Conv2D(8, 9)", "layers.Conv2D(8, 9, data_format='channels_first')")
    ) == [(2, "KRS502")]


def test_tensor_functions_named_like_layers_are_not_layers() -> None:
    assert (
        _codes(
            """
            from keras import backend as K
            from keras import ops
            from keras.src.ops import numpy as knp

            x = keras.Input(shape=(4, 5))
            a = ops.subtract(x, 1.0)
            b = K.concatenate([x, keras.Input(shape=(3, 2))])
            c = knp.Reshape([3, 2])(x)
            d = K.dot(x, keras.Input(shape=(7, 7)))
            """
        )
        == []
    )


def test_bidirectional_without_merge_returns_two_tensors() -> None:
    source = """
        inputs = keras.Input(shape=(5, 3))
        forward, backward = layers.Bidirectional(layers.LSTM(4), merge_mode=None)(inputs)
        out = layers.Dense(2)(forward)
        joined = layers.Concatenate()([forward, backward])
        """
    shapes = _shapes(source)
    assert shapes["Dense"] == Shape((None, 2))
    assert shapes["Concatenate"] == Shape((None, 8))
    listed = _shapes(source.replace("forward, backward =", "both =").replace("(forward)", "(both)"))
    assert listed["Dense"] is None  # a list passed whole is not one tensor
