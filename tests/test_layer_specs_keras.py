"""Differential test: every layer spec against real Keras (Keras 3 on TensorFlow).

For each spec's layer, generated constructor arguments and input shapes of every rank 1-6
(including ones Keras refuses) are built in Keras: ``keras.layers.X(*args)`` called on
``keras.KerasTensor``s. The spec, through ``apply``, must agree: the same output shape where it
knows one (its None dims are unknown and not compared), or both refuse. A spec may stay silent
(unknown) where Keras refuses. The disagreements we know of are listed in KNOWN with why; the
test fails on a new one and on a KNOWN entry that no longer occurs.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from layer_cases import layer

from flake8_keras.keras.layers import LAYERS, apply
from flake8_keras.keras.model import Layer, Shape

pytestmark = pytest.mark.tensorflow


@dataclass(frozen=True)
class Ctor:
    """A constructor call written once, built both as a spec ``Layer`` and as a Keras layer."""

    name: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)

    def spec(self) -> Layer:
        def conv(v: Any) -> Any:
            return v.spec() if isinstance(v, Ctor) else v  # a list of layers stays unknown

        return layer(
            self.name, *map(conv, self.args), **{k: conv(v) for k, v in self.kwargs.items()}
        )

    def keras(self, keras: Any) -> Any:
        def conv(v: Any) -> Any:
            if isinstance(v, list):
                return [conv(item) for item in v]
            return v.keras(keras) if isinstance(v, Ctor) else v

        cls = getattr(keras.layers, self.name)
        return cls(*map(conv, self.args), **{k: conv(v) for k, v in self.kwargs.items()})

    def __str__(self) -> str:
        parts = [str(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{self.name}({', '.join(parts)})"


def C(name: str, *args: Any, **kwargs: Any) -> Ctor:
    return Ctor(name, args, kwargs)


Dims = tuple[int | None, ...]


def ranked(rank: int, size: int = 8) -> Dims:
    return (None,) + (size,) * (rank - 1)


SINGLE = [ranked(r) for r in range(1, 7)]


def _ctors() -> Iterator[tuple[Ctor, list[list[Dims]]]]:
    """Every registered layer with a few argument sets, and the input lists to try."""
    singles = [[s] for s in SINGLE]
    yield from (
        (c, singles)
        for c in [
            C("Dense", 4),
            C("Dense", units=4, use_bias=False),
            C("Embedding", 100, 16),
            C("Masking", 0.0),
            C("Activation", "relu"),
            C("BatchNormalization"),
            C("LayerNormalization"),
            C("GroupNormalization", groups=2),
            C("GroupNormalization"),
            C("UnitNormalization"),
            C("Flatten"),
            C("Reshape", (-1,)),
            C("Reshape", (2, -1)),
            C("Reshape", (3, 5)),
            C("Permute", (2, 1)),
            C("Permute", (3, 1, 2)),
            C("RepeatVector", 3),
            C("Attention"),
            C("AdditiveAttention"),
            C("MultiHeadAttention", 2, 4),
        ]
    )
    same = ["Dropout", "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization"]
    same += ["ReLU", "LeakyReLU", "PReLU", "ELU", "ThresholdedReLU", "Softmax"]
    for name in same:
        yield C(name, *([0.5] if "Dropout" in name or "Noise" in name else [])), singles
    for rnn in ("SimpleRNN", "GRU", "LSTM", "CuDNNGRU", "CuDNNLSTM"):
        yield C(rnn, 4), singles
        yield C(rnn, 4, return_sequences=True), singles
    for rnn in ("LSTM", "GRU", "SimpleRNN"):
        yield C(rnn, 4, return_state=True), singles
        yield C(rnn, 4, return_state=True, return_sequences=True), singles
    yield C("RNN", C("LSTMCell", 4), return_state=True), singles
    yield C("ConvLSTM2D", 4, 3, return_state=True), singles
    yield C("Bidirectional", C("LSTM", 4), merge_mode=None), singles
    yield C("Bidirectional", C("GRU", 4, return_sequences=True), merge_mode=None), singles
    yield C("Bidirectional", C("LSTM", 4, return_state=True)), singles
    yield C("Bidirectional", C("GRU", 4, return_state=True), merge_mode="sum"), singles
    yield C("RNN", C("LSTMCell", 4)), singles
    yield C("RNN", C("GRUCell", 4), return_sequences=True), singles
    yield C("RNN", C("StackedRNNCells", [C("LSTMCell", 4)])), singles
    for n in (1, 2, 3):
        yield C(f"ConvLSTM{n}D", 4, 3), singles
        yield C(f"ConvLSTM{n}D", 4, 3, return_sequences=True), singles
        yield C(f"SpatialDropout{n}D", 0.1), singles
        for conv in (f"Conv{n}D", f"Conv{n}DTranspose", f"SeparableConv{n}D"):
            yield C(conv, 4, 3), singles
        for pool in ("MaxPooling", "AveragePooling", "MaxPool", "AvgPool", "AveragePool"):
            yield C(f"{pool}{n}D", 2), singles  # Keras 3.15 AveragePooling has no default
        for pool in ("GlobalMaxPooling", "GlobalAveragePooling", "GlobalMaxPool", "GlobalAvgPool"):
            yield C(f"{pool}{n}D"), singles
            yield C(f"{pool}{n}D", keepdims=True), singles
        for name in (f"UpSampling{n}D", f"ZeroPadding{n}D", f"Cropping{n}D"):
            yield C(name), singles
    yield from _geometry()
    for n in (1, 2, 3):
        for name in (f"Convolution{n}D", f"Convolution{n}DTranspose"):
            yield C(name, 4, 3), singles + _maps(n)
    for n in (1, 2):
        yield C(f"SeparableConvolution{n}D", 4, 3), singles + _maps(n)
        yield C(f"DepthwiseConv{n}D", 3), singles + _maps(n)
        yield C(f"AtrousConvolution{n}D", 4, 3), singles
    for n in (2, 3):
        yield C(f"Deconvolution{n}D", 4, 3), singles
        yield C(f"Deconv{n}D", 4, 3), singles
    for name in ("Identity", "Rescaling", "RMSNormalization", "Normalization"):
        yield C(name, *([0.5] if name == "Rescaling" else [])), singles
    for name in ("RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation"):
        yield C(name, *{"RandomFlip": [], "RandomRotation": [0.1]}.get(name, [0.1, 0.1])), singles
    yield C("RandomContrast", 0.1), singles
    yield C("RandomBrightness", 0.1), singles
    images = [[(None, 9, 9, 3)], [(None, 4, 9, 3)], [(None, 3, 9, 9)]]
    for name in ("Resizing", "CenterCrop"):
        yield C(name, 5, 7), singles + images
        yield C(name, 5, 7, data_format="channels_first"), images
    yield C("RNN", C("SimpleRNNCell", 4)), singles
    dots = [[ranked(2, 4), ranked(2, 4)], [ranked(2, 4), ranked(2, 5)]]
    dots += [[(None, 3, 4), (None, 5, 4)], [(None, 3, 4), (None, 4, 5)]]
    yield C("Dot", axes=1), dots
    yield C("Dot", axes=(2, 2)), dots
    yield C("Dot", axes=(2, 1)), dots
    yield C("DepthwiseConv2D", 3), singles
    yield C("DepthwiseConv2D", 3, depth_multiplier=2), singles
    pairs = [[s, s] for s in SINGLE[1:4]] + [[ranked(2), ranked(3)], [ranked(3), (None, 5, 4)]]
    pairs += [[ranked(2), (None, 1)], [ranked(2), (None, None)], [(2, 8), (3, 8)]]
    pairs += [[(None, 5, 8), (None, 4, 8)], [(None, 5, 8), (None, 5, None)]]
    pairs += [[(None, None, 8), (None, 5, 3)], [ranked(3), ranked(3), ranked(3)]]
    for merge in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"):
        yield C(merge), pairs
    yield C("Concatenate"), pairs
    yield C("Concatenate", axis=1), pairs
    yield C("Concatenate", axis=3), pairs
    for inner in (C("Dense", 4), C("Conv2D", 4, 3), C("LSTM", 4), C("Flatten")):
        yield C("TimeDistributed", inner), singles
    for inner in (C("LSTM", 4), C("GRU", 4, return_sequences=True), C("Dense", 4)):
        yield C("Bidirectional", inner), singles
    yield C("Bidirectional", C("LSTM", 4), merge_mode="sum"), singles
    yield C("Bidirectional", C("LSTM", 4, return_sequences=True), merge_mode="ave"), singles


def _maps(n: int) -> list[list[Dims]]:
    """Feature maps of n spatial axes, from too small for any window to roomy, both layouts."""
    maps: list[list[Dims]] = [[(None,) + (size,) * n + (2,)] for size in (1, 2, 3, 5, 8)]
    maps.append([(None, 9) + (4,) * (n - 1) + (3,)])
    maps.append([(None, 2) + (7,) * n])  # channels_first-looking: 2 channels, 7x7
    maps.append([(None,) + (None,) * n + (2,)])
    maps.append([(None, None) + (3,) * (n - 1) + (2,)])
    return maps


def _geometry() -> Iterator[tuple[Ctor, list[list[Dims]]]]:
    """Convolutions, pooling, cropping, padding and upsampling with their sizing arguments."""
    first = {"data_format": "channels_first"}
    for n in (1, 2, 3):
        maps = [[s] for s in SINGLE] + _maps(n)
        for conv in (f"Conv{n}D", f"Conv{n}DTranspose", f"SeparableConv{n}D"):
            yield C(conv, 4, 3), maps
            yield C(conv, 4, 3, strides=2), maps
            yield C(conv, 4, 2, padding="same", strides=2), maps
            yield C(conv, 4, 3, dilation_rate=2), maps
            yield C(conv, 4, 3, **first), maps
        yield C(f"Conv{n}D", 4, 3, 2), maps  # Keras 1's kernel, Keras 3's strides: unknown
        yield C(f"Conv{n}DTranspose", 4, 3, strides=2, output_padding=1), maps
        yield C(f"Conv{n}DTranspose", 4, 3, strides=2, padding="same"), maps
        for pool in ("MaxPooling", "AveragePooling"):
            yield C(f"{pool}{n}D", 3), maps
            yield C(f"{pool}{n}D", 2, strides=1), maps
            yield C(f"{pool}{n}D", 4, padding="same"), maps
            yield C(f"{pool}{n}D", 2, **first), maps
        for pool in ("GlobalMaxPooling", "GlobalAveragePooling"):
            yield C(f"{pool}{n}D", keepdims=True, **first), maps
        yield C(f"UpSampling{n}D", 3), maps
        yield C(f"ZeroPadding{n}D", 2), maps
        yield C(f"Cropping{n}D", 1), maps
        if n > 1:
            yield C(f"UpSampling{n}D", 2, **first), maps
            yield C(f"ZeroPadding{n}D", ((1, 2),) * n, **first), maps
            yield C(f"Cropping{n}D", ((1, 2),) * n), maps
            yield C(f"Cropping{n}D", ((0, 1),) * n, **first), maps
    yield C("Conv1D", 4, 5, padding="causal"), _maps(1)
    yield C("DepthwiseConv2D", 3, strides=2, depth_multiplier=2), _maps(2)
    yield C("Cropping1D", (1, 2)), _maps(1)
    yield C("ZeroPadding1D", (1, 2)), _maps(1)
    for target in ((3, 5), (3, -1), (2, -1), (-1,), (4, 4, 4)):
        yield C("Reshape", target), [[(None, 4, 4)], [(None, 16)], [(None, None, 4)]]


@dataclass(frozen=True)
class Case:
    ctor: Ctor
    inputs: tuple[Dims, ...]

    def __str__(self) -> str:
        return f"{self.ctor} on {', '.join(map(str, self.inputs))}"


# Known disagreements, each: why, and which cases it covers (a predicate).
Known = tuple[str, Callable[[Case, str], bool]]


def _rank(case: Case) -> int:
    return len(case.inputs[0])


KNOWN: list[Known] = [
    (
        "Keras's symbolic TimeDistributed(LSTM) on rank >= 5 does not check the inner rank "
        "(the spec's inner LSTM refuses a step of rank >= 4: would_reject only)",
        lambda c, how: c.ctor.name == "TimeDistributed" and how == "spec refuses, Keras builds",
    ),
    (
        "normalization and attention on rank 1 (None,): Keras needs a known feature axis; "
        "the spec passes the shape through (or keeps the query's rank)",
        lambda c, how: (
            how == "spec has a shape, Keras refuses"
            and _rank(c) == 1
            and c.ctor.name
            in {"BatchNormalization", "LayerNormalization", "GroupNormalization"}
            | {"RMSNormalization", "Normalization"}
            | {"AdditiveAttention", "MultiHeadAttention"}
        ),
    ),
    (
        "convolutions need a known channel axis to make their kernel; the spec keeps an unknown "
        "channel size unknown instead of refusing (our None is 'not known here', not Keras's)",
        lambda c, how: (
            how == "spec has a shape, Keras refuses"
            and "Conv" in c.ctor.name
            and c.inputs[0][1 if c.ctor.kwargs.get("data_format") else -1] is None
        ),
    ),
    (
        "a third positional argument of a convolution is Keras 3's strides but Keras 1's kernel "
        "size: the spec leaves the sizes unknown, Keras refuses maps too small for the kernel",
        lambda c, how: (
            how == "spec has a shape, Keras refuses"
            and "Conv" in c.ctor.name
            and len(c.ctor.args) > 2
        ),
    ),
    (
        "GroupNormalization's default groups=32 must divide the channels (8 here)",
        lambda c, how: c.ctor.name == "GroupNormalization" and "groups" not in c.ctor.kwargs,
    ),
]


def _keras_call(keras: Any, case: Case) -> Any:
    """Build the layer and call it on symbolic inputs; raises where Keras refuses."""
    built = case.ctor.keras(keras)
    tensors = [keras.KerasTensor(dims) for dims in case.inputs]
    name = case.ctor.name
    if name == "MultiHeadAttention":
        return built(tensors[0], tensors[0])
    if name in ("Attention", "AdditiveAttention"):
        return built([tensors[0], tensors[0]])
    if len(tensors) > 1:
        return built(tensors)
    return built(tensors[0])


def _compare(keras: Any, case: Case) -> str:
    """One of: agree-shape, agree-refuse, spec-unknown, or a disagreement (see KNOWN)."""
    result = apply(case.ctor.spec(), [Shape(dims) for dims in case.inputs])
    spec_refuses = result.rejected is not None or result.would_reject is not None
    mine: list[Shape | None] = [result.shape, *(result.extra or ())]
    try:
        out = _keras_call(keras, case)
        outs = out if isinstance(out, (list, tuple)) else [out]
        theirs: list[Dims] = [tuple(o.shape) for o in outs]
        error = None
    except Exception as exc:  # Keras's refusal, whatever its exception type
        theirs, error = [], exc
    if error is not None:
        if spec_refuses:
            return "agree-refuse"
        return "spec-unknown" if result.shape is None else "spec has a shape, Keras refuses"
    if spec_refuses:
        return "spec refuses, Keras builds"
    if result.shape is None:
        return "spec-unknown"
    if len(mine) != len(theirs):
        return "shapes differ"  # a list where Keras returns one tensor, or a different count
    for spec_shape, got in zip(mine, theirs, strict=True):
        if spec_shape is None:
            continue
        if len(got) != spec_shape.rank:
            return "shapes differ"
        pairs = zip(spec_shape.dims, got, strict=True)
        if any(a is not None and a != b for a, b in pairs):
            return "shapes differ"
    return "agree-shape"


AGREE = ("agree-shape", "agree-refuse", "spec-unknown")


def test_specs_agree_with_keras(capsys: pytest.CaptureFixture[str]) -> None:
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    keras = pytest.importorskip("keras")
    outcomes: Counter[str] = Counter()
    absent: set[str] = set()
    tested: set[str] = set()
    unexplained: list[str] = []
    used: Counter[str] = Counter()
    ctors = 0
    for ctor, input_lists in _ctors():
        assert ctor.name in LAYERS, ctor.name
        if not hasattr(keras.layers, ctor.name):
            absent.add(ctor.name)  # a Keras 2 name (CuDNNLSTM, ThresholdedReLU...)
            continue
        ctors += 1
        tested.add(ctor.name)
        for inputs in input_lists:
            case = Case(ctor, tuple(inputs))
            how = _compare(keras, case)
            if how in AGREE:
                outcomes[how] += 1
                continue
            reasons = [why for why, covers in KNOWN if covers(case, how)]
            if reasons:
                outcomes["known disagreement"] += 1
                used[reasons[0]] += 1
            else:
                unexplained.append(f"{case}: {how}")
    with capsys.disabled():
        print(
            f"\nlayer specs vs Keras {keras.__version__}: {len(tested)} layers, {ctors} "
            f"argument sets, {sum(outcomes.values())} cases: {dict(sorted(outcomes.items()))}; "
            f"not in this Keras: {sorted(absent)}"
        )
        for why, count in used.most_common():
            print(f"  known ({count}): {why}")
    assert not unexplained, "\n".join(unexplained)
    assert tested | absent == set(LAYERS), set(LAYERS) - tested - absent
    stale = [why for why, covers in KNOWN if why not in used]
    assert not stale, stale


def test_refusals_the_rules_report_fail_in_tf_keras_too(capsys: pytest.CaptureFixture[str]) -> None:
    """KRS501-KRS504 report only what fails in both Keras lines: every refusal they would
    report on these cases must also be a refusal of tf_keras (Keras 2)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf_keras = pytest.importorskip("tf_keras")
    from flake8_keras.rules.krs501_layer_input_rank import _fewest, _reported

    counts: Counter[str] = Counter()
    built: list[str] = []
    for ctor, input_lists in _ctors():
        if not hasattr(tf_keras.layers, ctor.name):
            continue
        for inputs in input_lists:
            case = Case(ctor, tuple(inputs))
            result = apply(ctor.spec(), [Shape(dims) for dims in inputs])
            fault = result.rejected or result.would_reject
            if fault is None or fault.kind not in ("rank", "window", "elements", "merge"):
                continue
            if fault.kind == "rank":
                needed = _fewest(fault.expected)
                if fault.got is None or needed is None:
                    continue
                if not _reported(ctor.spec(), fault.got.rank, needed):
                    continue
            counts[fault.kind] += 1
            try:
                _keras_call(tf_keras, case)
            except Exception:  # tf_keras refuses it too
                continue
            built.append(str(case))
    with capsys.disabled():
        print(f"\nreported refusals also refused by tf_keras: {dict(sorted(counts.items()))}")
    assert sum(counts.values()) > 500
    assert not built, "\n".join(built)
