"""Every layer spec on its own, table-driven, without TensorFlow.

Each case: a layer, its input shapes, and what the spec infers: an output shape, ``None``
(unknown) or a refusal of the given kind. A second table pins what ``apply`` reports: only the
rank rules it enforced before specs existed are ``rejected``; other refusals are ``would_reject``.
"""

from __future__ import annotations

import pytest
from layer_cases import layer, shape

from flake8_keras.keras.layers import (
    CELLS,
    LAYERS,
    MERGE_FUNCTIONS,
    AtLeast,
    Exactly,
    Incompatible,
    OneOf,
    apply,
    dense_params,
    input_rank_rule,
    is_recurrent,
    recurrent_output,
    sequence_layer,
)
from flake8_keras.keras.layers.registry import register
from flake8_keras.keras.layers.spec import LayerSpec, same
from flake8_keras.keras.model import Layer, Shape

LSTM_SEQ = layer("LSTM", 8, return_sequences=True)

CASES: dict[str, tuple[Layer, list[Shape | None], object]] = {
    # core
    "Dense rank 3": (layer("Dense", 4), [shape(None, 5, 3)], (None, 5, 4)),
    "Dense rank 2": (layer("Dense", units=4), [shape(2, 3)], (2, 4)),
    "Dense Keras 1 output_dim": (layer("Dense", output_dim=4), [shape(None, 3)], (None, 4)),
    "Dense units not literal": (layer("Dense", "x"), [shape(None, 3)], (None, None)),
    "Dense rank 1 refused": (layer("Dense", 4), [shape(None)], "rank"),
    "Dense unknown input": (layer("Dense", 4), [None], None),
    "Embedding": (layer("Embedding", 100, 16), [shape(None, 7)], (None, 7, 16)),
    "Masking": (layer("Masking", 0.0), [shape(None, 7, 3)], (None, 7, 3)),
    "Dropout": (layer("Dropout", 0.5), [shape(None, 3)], (None, 3)),
    "Activation": (layer("Activation", "relu"), [shape(None, 2, 3)], (None, 2, 3)),
    "BatchNormalization": (layer("BatchNormalization"), [shape(None, 3)], (None, 3)),
    "SpatialDropout2D": (layer("SpatialDropout2D", 0.1), [shape(None, 4, 4, 3)], (None, 4, 4, 3)),
    # recurrent
    "LSTM last step": (layer("LSTM", 8), [shape(None, 5, 3)], (None, 8)),
    "LSTM sequences": (LSTM_SEQ, [shape(None, 5, 3)], (None, 5, 8)),
    "GRU rank 2 refused": (layer("GRU", 8), [shape(None, 3)], "rank"),
    "LSTM return_state": (layer("LSTM", 8, return_state=True), [shape(None, 5, 3)], None),
    "LSTM sequences unknown": (layer("LSTM", 8, return_sequences="x"), [shape(None, 5, 3)], None),
    "RNN(LSTMCell)": (layer("RNN", layer("LSTMCell", 6)), [shape(None, 5, 3)], (None, 6)),
    "RNN(other cell)": (layer("RNN", layer("Dense", 6)), [shape(None, 5, 3)], (None, None)),
    "ConvLSTM2D": (layer("ConvLSTM2D", 4, 3), [shape(None, 5, 8, 8, 1)], (None, None, None, 4)),
    "ConvLSTM1D sequences": (
        layer("ConvLSTM1D", 4, 3, return_sequences=True),
        [shape(None, 5, 8, 1)],
        (None, 5, None, 4),
    ),
    "ConvLSTM2D rank 4 refused": (layer("ConvLSTM2D", 4, 3), [shape(None, 5, 8, 1)], "rank"),
    # convolution
    "Conv2D": (layer("Conv2D", 16, 3), [shape(None, 28, 28, 1)], (None, 26, 26, 16)),
    "Conv2D strides dilation": (
        layer("Conv2D", 4, 3, strides=2, dilation_rate=(2, 1)),
        [shape(None, 9, 10, 1)],
        (None, 3, 4, 4),
    ),
    "Conv2D same": (
        layer("Conv2D", 4, 5, padding="same", strides=2),
        [shape(None, 1, 3, 1)],
        (None, 1, 2, 4),
    ),
    "Conv2D channels_first": (
        layer("Conv2D", 4, 3, data_format="channels_first"),
        [shape(None, 1, 8, 6)],
        (None, 4, 6, 4),
    ),
    "Conv2D data_format unknown": (
        layer("Conv2D", 4, 3, data_format="x"),
        [shape(None, 8, 8, 1)],
        None,
    ),
    "Conv2D window refused": (layer("Conv2D", 4, 3), [shape(None, 2, 9, 1)], "window"),
    "Conv2D unknown size": (layer("Conv2D", 4, 3), [shape(None, None, 9, 1)], (None, None, 7, 4)),
    "Conv2D Keras 1 positional": (
        layer("Conv2D", 4, 3, 3),
        [shape(None, 2, 2, 1)],
        (None, None, None, 4),
    ),
    "Convolution2D border_mode": (
        layer("Convolution2D", 4, 3, border_mode="same"),
        [shape(None, 2, 2, 1)],
        (None, None, None, 4),
    ),
    "Conv1D causal": (layer("Conv1D", 4, 5, padding="causal"), [shape(None, 3, 1)], (None, 3, 4)),
    "Conv2DTranspose": (
        layer("Conv2DTranspose", 4, 3, strides=2),
        [shape(None, 4, 5, 1)],
        (None, 9, 11, 4),
    ),
    "Conv2DTranspose output_padding": (
        layer("Conv2DTranspose", 4, 3, strides=2, output_padding=1),
        [shape(None, 4, 5, 1)],
        (None, 10, 12, 4),
    ),
    "SeparableConv2D": (layer("SeparableConv2D", 4, 3), [shape(None, 4, 5, 3)], (None, 2, 3, 4)),
    "Conv1D rank 4 refused": (layer("Conv1D", 16, 3), [shape(None, 8, 8, 1)], "rank"),
    "Conv3DTranspose": (layer("Conv3DTranspose", 2, 3), [None], (None, None, None, None, 2)),
    "DepthwiseConv2D": (layer("DepthwiseConv2D", 3), [shape(None, 8, 8, 5)], (None, 6, 6, 5)),
    "DepthwiseConv2D multiplier": (
        layer("DepthwiseConv2D", 3, depth_multiplier=2),
        [shape(None, 4, 5, 3)],
        (None, 2, 3, 6),
    ),
    # pooling
    "MaxPooling2D": (layer("MaxPooling2D"), [shape(2, 8, 7, 5)], (2, 4, 3, 5)),
    "MaxPooling2D 3 strides 1": (
        layer("MaxPooling2D", 3, 1),
        [shape(None, 5, 7, 1)],
        (None, 3, 5, 1),
    ),
    "MaxPooling2D window refused": (layer("MaxPooling2D"), [shape(None, 1, 1, 1)], "window"),
    "AveragePooling1D same": (
        layer("AveragePooling1D", 4, padding="same"),
        [shape(None, 5, 1)],
        (None, 2, 1),
    ),
    "MaxPooling1D Keras 1 pool_length": (
        layer("MaxPooling1D", pool_length=4),
        [shape(None, 2, 1)],
        (None, None, 1),
    ),
    "GlobalAveragePooling2D channels_first": (
        layer("GlobalAveragePooling2D", data_format="channels_first", keepdims=True),
        [shape(None, 3, 5, 5)],
        (None, 3, 1, 1),
    ),
    "AvgPool1D rank 2 refused": (layer("AvgPool1D"), [shape(None, 5)], "rank"),
    "GlobalAveragePooling1D": (layer("GlobalAveragePooling1D"), [shape(None, 5, 3)], (None, 3)),
    "GlobalMaxPool2D keepdims": (
        layer("GlobalMaxPool2D", keepdims=True),
        [shape(None, 5, 5, 3)],
        (None, 1, 1, 3),
    ),
    "GlobalMaxPool2D keepdims unknown": (
        layer("GlobalMaxPool2D", keepdims="x"),
        [shape(None, 5, 5, 3)],
        None,
    ),
    # reshaping
    "Flatten": (layer("Flatten"), [shape(None, 4, 5)], (None, 20)),
    "Flatten unknown dim": (layer("Flatten"), [shape(None, 4, None)], (None, None)),
    "Flatten unknown input": (layer("Flatten"), [None], (None, None)),
    "Flatten rank 1": (layer("Flatten"), [shape(None)], (None, 1)),
    "Flatten rank 0 refused": (layer("Flatten"), [shape()], "rank"),
    "Reshape": (layer("Reshape", (2, -1)), [shape(None, 6)], (None, 2, 3)),
    "Reshape unknown input size": (layer("Reshape", (3, 5)), [shape(None, None, 4)], (None, 3, 5)),
    "Reshape count refused": (layer("Reshape", (3, 5)), [shape(None, 4, 4)], "elements"),
    "Reshape -1 refused": (layer("Reshape", (3, -1)), [shape(None, 4, 4)], "elements"),
    "Reshape two -1 refused": (layer("Reshape", (-1, -1)), [shape(None, 4, 4)], "argument"),
    "Reshape target not literal": (layer("Reshape", "x"), [shape(None, 6)], None),
    "Permute": (layer("Permute", (2, 1)), [shape(None, 3, 4)], (None, 4, 3)),
    "Permute wrong rank refused": (layer("Permute", (2, 1)), [shape(None, 3, 4, 5)], "rank"),
    "Permute not a permutation": (layer("Permute", (1, 1)), [shape(None, 3, 4)], "argument"),
    "RepeatVector": (layer("RepeatVector", 5), [shape(None, 3)], (None, 5, 3)),
    "RepeatVector rank 3 refused": (layer("RepeatVector", 5), [shape(None, 2, 3)], "rank"),
    "UpSampling2D": (layer("UpSampling2D", (2, 3)), [shape(None, 4, 5, 3)], (None, 8, 15, 3)),
    "ZeroPadding1D": (layer("ZeroPadding1D"), [shape(None, 4, 3)], (None, 6, 3)),
    "ZeroPadding2D pairs": (
        layer("ZeroPadding2D", ((1, 2), (3, 4))),
        [shape(None, 4, 5, 1)],
        (None, 7, 12, 1),
    ),
    "Cropping2D": (layer("Cropping2D", ((2, 2), (1, 1))), [shape(None, 5, 5, 1)], (None, 1, 3, 1)),
    "Cropping2D refused": (layer("Cropping2D", ((2, 2), (1, 1))), [shape(None, 4, 5, 1)], "window"),
    "Cropping1D default refused": (layer("Cropping1D"), [shape(None, 2, 1)], "window"),
    # preprocessing
    "Resizing": (layer("Resizing", 5, 7), [shape(None, 9, 9, 3)], (None, 5, 7, 3)),
    "CenterCrop channels_first": (
        layer("CenterCrop", 5, 7, data_format="channels_first"),
        [shape(None, 3, 9, 9)],
        (None, 3, 5, 7),
    ),
    "Resizing unbatched rank 3": (layer("Resizing", 5, 7), [shape(9, 9, 3)], None),
    "Rescaling": (layer("Rescaling", 1 / 255), [shape(None, 9, 9, 3)], (None, 9, 9, 3)),
    "RNN(cell) rank 4": (layer("RNN", layer("LSTMCell", 6)), [shape(None, 5, 3, 2)], (None, 6)),
    "Cropping3D rank 4 refused": (layer("Cropping3D"), [shape(None, 4, 4, 3)], "rank"),
    # merging
    "Add": (layer("Add"), [shape(None, 3), shape(None, 3)], (None, 3)),
    "Add different ranks broadcast": (
        layer("Add"),
        [shape(None, 3), shape(None, 4, 3)],
        (None, 4, 3),
    ),
    "Add size 1 broadcasts": (layer("Add"), [shape(None, 8), shape(None, 1)], (None, 8)),
    "Add unknown size": (layer("Add"), [shape(None, 8), shape(None, None)], (None, None)),
    "Add sizes refused": (layer("Add"), [shape(None, 5, 8), shape(None, 4, 8)], "merge"),
    "Multiply batch sizes refused": (layer("Multiply"), [shape(2, 8), shape(3, 8)], "merge"),
    "Concatenate off-axis refused": (
        layer("Concatenate"),
        [shape(None, 5, 8), shape(None, 4, 8)],
        "merge",
    ),
    "Concatenate one unknown input keeps the rank": (
        layer("Concatenate"),
        [shape(None, 5, 8), None],
        (None, None, None),
    ),
    "Dot": (layer("Dot", axes=1), [shape(None, 4), shape(None, 4)], (None, 1)),
    "Dot rank 3": (layer("Dot", (2, 2)), [shape(None, 3, 4), shape(None, 5, 4)], (None, 3, 5)),
    "Dot refused": (layer("Dot", 1), [shape(None, 4), shape(None, 5)], "merge"),
    "Add one unknown": (layer("Add"), [shape(None, 3), None], None),
    "Concatenate": (layer("Concatenate"), [shape(None, 3), shape(None, 4)], (None, 7)),
    "Concatenate axis 1": (
        layer("Concatenate", axis=1),
        [shape(None, 2, 3), shape(None, 5, 3)],
        (None, 7, 3),
    ),
    "Concatenate unknown size": (
        layer("Concatenate"),
        [shape(None, None), shape(None, 4)],
        (None, None),
    ),
    "Concatenate ranks refused": (
        layer("Concatenate"),
        [shape(None, 3), shape(None, 4, 3)],
        "merge",
    ),
    "Concatenate axis refused": (
        layer("Concatenate", axis=3),
        [shape(None, 3), shape(None, 3)],
        "argument",
    ),
    # wrappers
    "TimeDistributed(Dense)": (
        layer("TimeDistributed", layer("Dense", 4)),
        [shape(None, 5, 3)],
        (None, 5, 4),
    ),
    "TimeDistributed(Conv2D)": (
        layer("TimeDistributed", layer("Conv2D", 4, 3)),
        [shape(None, 5, 8, 8, 1)],
        (None, 5, 6, 6, 4),
    ),
    "TimeDistributed rank 2 refused": (
        layer("TimeDistributed", layer("Dense", 4)),
        [shape(None, 3)],
        "rank",
    ),
    "TimeDistributed inner refuses a step": (
        layer("TimeDistributed", layer("Conv2D", 4, 3)),
        [shape(None, 5, 8)],
        "rank",
    ),
    "TimeDistributed(unknown layer)": (
        layer("TimeDistributed", layer("Custom")),
        [shape(None, 5, 3)],
        None,
    ),
    "Bidirectional concat": (
        layer("Bidirectional", LSTM_SEQ),
        [shape(None, 5, 3)],
        (None, 5, 16),
    ),
    "Bidirectional sum": (
        layer("Bidirectional", layer("GRU", 8), merge_mode="sum"),
        [shape(None, 5, 3)],
        (None, 8),
    ),
    "Bidirectional merge_mode None": (
        layer("Bidirectional", layer("GRU", 8), merge_mode=None),
        [shape(None, 5, 3)],
        None,
    ),
    "Bidirectional(Dense) refused": (
        layer("Bidirectional", layer("Dense", 8)),
        [shape(None, 5, 3)],
        "argument",
    ),
    # attention
    "Attention": (layer("Attention"), [shape(None, 5, 3)], (None, 5, None)),
    "MultiHeadAttention": (
        layer("MultiHeadAttention", 2, 4),
        [shape(None, 5, 3)],
        (None, 5, None),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_spec_infers(name: str) -> None:
    subject, inputs, expected = CASES[name]
    spec = LAYERS[subject.name]
    out = spec.infer(subject, inputs)
    if isinstance(expected, str):
        assert isinstance(out, Incompatible), out
        assert out.kind == expected
    elif expected is None:
        assert out is None
    else:
        assert isinstance(expected, tuple)
        assert out == Shape(expected)


def test_every_family_has_a_case() -> None:
    """Each family module (and the shared helpers) has at least one case above."""
    covered = {LAYERS[c[0].name].infer.__module__ for c in CASES.values()}
    assert covered == {spec.infer.__module__ for spec in LAYERS.values()}


# What apply reports: (layer, inputs) -> (shape, rejected expected rank, would_reject kind).
APPLY: dict[
    str, tuple[Layer, list[Shape | None], tuple[int | None, ...] | None, str | None, str | None]
] = {
    "LSTM rank 2": (layer("LSTM", 8), [shape(None, 3)], None, "3", None),
    "Bidirectional rank 4": (
        layer("Bidirectional", layer("LSTM", 8)),
        [shape(None, 2, 3, 4)],
        None,
        "3",
        None,
    ),
    "TimeDistributed rank 2": (
        layer("TimeDistributed", layer("Dense", 1)),
        [shape(None, 3)],
        None,
        ">= 3",
        None,
    ),
    "TimeDistributed of an unknown layer rank 2": (
        layer("TimeDistributed", layer("Custom")),
        [shape(None, 3)],
        None,
        ">= 3",
        None,
    ),
    "Conv2D rank 3": (layer("Conv2D", 4, 3), [shape(None, 8, 8)], None, "4", None),
    "RepeatVector rank 3": (layer("RepeatVector", 2), [shape(None, 8, 8)], None, "2", None),
    "SpatialDropout1D rank 2": (layer("SpatialDropout1D", 0.1), [shape(None, 8)], None, "3", None),
    "ConvLSTM3D rank 5": (layer("ConvLSTM3D", 2, 3), [shape(None, 1, 2, 3, 4)], None, "6", None),
    "rank of a later input is not checked": (
        layer("LSTM", 8),
        [shape(None, 4, 3), shape(None, 3)],
        (None, 8),
        None,
        None,
    ),
    "unknown first input": (layer("LSTM", 8), [None], (None, 8), None, None),
    "no inputs": (layer("LSTM", 8), [], (None, 8), None, None),
    "Dense rank 1": (layer("Dense", 4), [shape(None)], None, ">= 2", None),
    "Conv2D window: not rejected": (
        layer("Conv2D", 4, 3),
        [shape(None, 2, 2, 1)],
        None,
        None,
        "window",
    ),
    "Concatenate ranks: not rejected yet": (
        layer("Concatenate"),
        [shape(None, 3), shape(None, 4, 3)],
        None,
        None,
        "merge",
    ),
    "Bidirectional(Dense): not rejected yet": (
        layer("Bidirectional", layer("Dense", 8)),
        [shape(None, 5, 3)],
        None,
        None,
        "argument",
    ),
    "an unregistered layer": (layer("Custom"), [shape(None, 3)], None, None, None),
}


@pytest.mark.parametrize("name", sorted(APPLY))
def test_apply_rejects_only_the_enforced_ranks(name: str) -> None:
    subject, inputs, out_shape, expected, would = APPLY[name]
    result = apply(subject, inputs)
    assert result.shape == (None if out_shape is None else Shape(out_shape))
    if expected is None:
        assert result.rejected is None
    else:
        assert result.rejected is not None
        assert result.rejected.kind == "rank"
        assert result.rejected.expected == expected
        assert result.rejected.got == inputs[0]
        first = inputs[0]
        assert first is not None
        rank = first.rank
        assert result.rejected.reason == (
            f"{subject.name} expects an input of rank {expected}, got rank {rank}"
        )
    assert (result.would_reject.kind if result.would_reject else None) == would


def test_rank_rules() -> None:
    assert [Exactly(3).accepts(r) for r in (2, 3, 4)] == [False, True, False]
    assert [AtLeast(3).accepts(r) for r in (2, 3, 4)] == [False, True, True]
    assert [OneOf((3, 4)).accepts(r) for r in (2, 3, 4, 5)] == [False, True, True, False]
    assert (str(Exactly(3)), str(AtLeast(3)), str(OneOf((3, 4)))) == ("3", ">= 3", "3 or 4")


def test_input_rank_rule() -> None:
    """TimeDistributed's ">= 3" is written once, in its spec, and readable by the rules."""
    assert input_rank_rule(layer("TimeDistributed", layer("Dense", 1))) == AtLeast(3)
    assert input_rank_rule(layer("LSTM", 3)) == Exactly(3)
    assert input_rank_rule(layer("ConvLSTM2D", 3, 3)) == Exactly(5)
    assert input_rank_rule(layer("Dense", 3)) == AtLeast(2)
    assert input_rank_rule(layer("RNN", layer("LSTMCell", 3))) == AtLeast(3)
    assert input_rank_rule(layer("Lambda")) is None
    assert input_rank_rule(layer("Custom")) is None
    assert LAYERS["TimeDistributed"].input_rank is None  # the old "exact rank" view
    assert LAYERS["Conv2D"].input_rank == 4


def test_public_names_kept() -> None:
    """The names the interpreter, rules and verifier import from the package."""
    assert "LSTMCell" in CELLS and "LSTMCell" not in LAYERS
    assert MERGE_FUNCTIONS["concatenate"] == "Concatenate"
    assert is_recurrent(layer("Bidirectional", layer("LSTM", 2)))
    assert not is_recurrent(layer("Dense", 2))
    inner = layer("GRU", 2, return_sequences=True)
    assert sequence_layer(layer("Bidirectional", inner)) is inner
    assert dense_params(layer("Dense", 4), 3) == 16
    assert dense_params(layer("Dense", 4, use_bias=False), 3) == 12
    assert recurrent_output(layer("LSTM", 4), shape(None, 5, 3), 4) == Shape((None, 4))
    assert recurrent_output(layer("LSTM", 4), shape(None, 3), 4) is None


def test_registering_a_name_twice_fails() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        register({"Dense": LayerSpec(same)})


LISTS: dict[str, tuple[Layer, tuple[tuple[int | None, ...], ...] | None]] = {
    "LSTM return_state": (layer("LSTM", 4, return_state=True), ((None, 4),) * 3),
    "GRU return_state sequences": (
        layer("GRU", 4, return_state=True, return_sequences=True),
        ((None, 5, 4), (None, 4)),
    ),
    "RNN(LSTMCell) return_state": (
        layer("RNN", layer("LSTMCell", 4), return_state=True),
        ((None, 4),) * 3,
    ),
    "RNN(custom cell) return_state: count unknown": (
        layer("RNN", layer("Custom"), return_state=True),
        None,
    ),
    "return_state not literal": (layer("LSTM", 4, return_state="x"), None),
    "Bidirectional merge_mode None": (
        layer("Bidirectional", layer("LSTM", 4), merge_mode=None),
        ((None, 4), (None, 4)),
    ),
    "Bidirectional states": (
        layer("Bidirectional", layer("LSTM", 4, return_state=True)),
        ((None, 8),) + ((None, 4),) * 4,
    ),
    "Bidirectional concat": (layer("Bidirectional", layer("LSTM", 4)), None),
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_layers_returning_lists(name: str) -> None:
    """Measured in Keras 3 and tf_keras: the output first, then the states (or both directions)."""
    subject, expected = LISTS[name]
    result = apply(subject, [shape(None, 5, 3)])
    if expected is None:
        assert result.extra is None
    else:
        assert result.extra is not None
        assert (result.shape, *result.extra) == tuple(Shape(e) for e in expected)


@pytest.mark.parametrize("return_state", [True, False, "unknown"])
@pytest.mark.parametrize("return_sequences", [True, False])
@pytest.mark.parametrize(
    ("name", "args", "rank"),
    [
        ("LSTM", (4,), 3),
        ("GRU", (4,), 3),
        ("SimpleRNN", (4,), 3),
        ("CuDNNLSTM", (4,), 3),
        ("CuDNNGRU", (4,), 3),
        ("ConvLSTM1D", (4, 3), 4),
        ("ConvLSTM2D", (4, 3), 5),
        ("ConvLSTM3D", (4, 3), 6),
        ("RNN", ("cell",), 3),
    ],
)
def test_a_recurrent_layer_with_an_inferred_shape_returns_no_list(
    name: str, args: tuple[object, ...], rank: int, return_sequences: bool, return_state: object
) -> None:
    """``apply`` asks ``list_outputs`` of a recurrent layer only when its spec inferred no
    shape (``LISTS_WHEN_INFERRED``): a shape means that it returns one tensor."""
    from flake8_keras.engine.calls import CallArgs
    from flake8_keras.engine.values import UNKNOWN
    from flake8_keras.keras.layers.lists import (
        LISTS_WHEN_INFERRED,
        MAY_RETURN_LISTS,
        list_outputs,
    )
    from flake8_keras.keras.layers.registry import LAYERS

    assert name in MAY_RETURN_LISTS and name not in LISTS_WHEN_INFERRED
    arguments = tuple(layer("LSTMCell", 4) if a == "cell" else a for a in args)
    keywords: dict[str, object] = {"return_sequences": return_sequences}
    if return_state != "unknown":
        keywords["return_state"] = return_state
    made = layer(name, *arguments, **keywords)
    if return_state == "unknown":  # ``return_state=flag``, flag not known
        unknown = CallArgs(made.args, {**made.kwargs, "return_state": UNKNOWN})
        made = Layer(made.name, made.node, unknown)
    inputs = [shape(*([None, 7] + [5] * (rank - 2)))]
    inferred = LAYERS[name].infer(made, inputs)
    listed = list_outputs(made, inputs)
    assert (return_state is True) == (listed is not None)
    assert not (isinstance(inferred, Shape) and listed is not None)
    assert isinstance(inferred, Shape) == (return_state is False)
