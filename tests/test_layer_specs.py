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
    "Conv2D": (layer("Conv2D", 16, 3), [shape(None, 28, 28, 1)], (None, None, None, 16)),
    "Conv1D rank 4 refused": (layer("Conv1D", 16, 3), [shape(None, 8, 8, 1)], "rank"),
    "Conv3DTranspose": (layer("Conv3DTranspose", 2, 3), [None], (None, None, None, None, 2)),
    "DepthwiseConv2D": (layer("DepthwiseConv2D", 3), [shape(None, 8, 8, 5)], (None, None, None, 5)),
    # pooling
    "MaxPooling2D": (layer("MaxPooling2D"), [shape(2, 8, 8, 5)], (2, None, None, 5)),
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
    "Reshape": (layer("Reshape", (2, -1)), [shape(None, 6)], (None, 2, None)),
    "Reshape target not literal": (layer("Reshape", "x"), [shape(None, 6)], None),
    "Permute": (layer("Permute", (2, 1)), [shape(None, 3, 4)], (None, 4, 3)),
    "Permute wrong rank refused": (layer("Permute", (2, 1)), [shape(None, 3, 4, 5)], "rank"),
    "Permute not a permutation": (layer("Permute", (1, 1)), [shape(None, 3, 4)], "argument"),
    "RepeatVector": (layer("RepeatVector", 5), [shape(None, 3)], (None, 5, 3)),
    "RepeatVector rank 3 refused": (layer("RepeatVector", 5), [shape(None, 2, 3)], "rank"),
    "UpSampling2D": (layer("UpSampling2D"), [shape(None, 4, 4, 3)], (None, None, None, 3)),
    "ZeroPadding1D": (layer("ZeroPadding1D"), [shape(None, 4, 3)], (None, None, 3)),
    "Cropping3D rank 4 refused": (layer("Cropping3D"), [shape(None, 4, 4, 3)], "rank"),
    # merging
    "Add": (layer("Add"), [shape(None, 3), shape(None, 3)], (None, 3)),
    "Add different ranks": (layer("Add"), [shape(None, 3), shape(None, 4, 3)], None),
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
        "rank",
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
        (None, 5, None, None, 4),
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
    "Dense rank 1: not rejected yet": (layer("Dense", 4), [shape(None)], None, None, "rank"),
    "Concatenate ranks: not rejected yet": (
        layer("Concatenate"),
        [shape(None, 3), shape(None, 4, 3)],
        None,
        None,
        "rank",
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
    assert input_rank_rule(layer("Dense", 3)) is None  # not enforced by apply (yet)
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
