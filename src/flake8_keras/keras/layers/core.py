"""Core layers: Dense, Embedding, Masking, activations, dropout and noise, normalization."""

from __future__ import annotations

from flake8_keras.keras.layers.spec import (
    AtLeast,
    Exactly,
    Inferred,
    LayerSpec,
    first,
    int_arg,
    rank_fault,
    same,
    units,
)
from flake8_keras.keras.model import Dim, Layer, Shape

# Keras builds Dense on rank >= 2 ("expected min_ndim=2").
DENSE_RANK = AtLeast(2)


def dense(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    shape = first(inputs)
    if shape is None:
        return None
    if not DENSE_RANK.accepts(shape.rank):
        return rank_fault(layer, DENSE_RANK, shape)
    return Shape(shape.dims[:-1] + (units(layer),))


def dense_params(layer: Layer, input_features: Dim) -> int | None:
    """Parameter count of a Dense layer on inputs with ``input_features`` features."""
    count = units(layer)
    bias = layer.const("use_bias", default=True)
    if count is None or input_features is None or not isinstance(bias, bool):
        return None
    return input_features * count + (count if bias else 0)


def embedding(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    shape = first(inputs)
    if shape is None:
        return None
    return Shape(shape.dims + (int_arg(layer.const("output_dim", 1)),))


ACTIVATIONS = ("Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "ThresholdedReLU", "Softmax")
NOISE = (
    "Dropout", "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization",
)  # fmt: skip
NORMALIZATION = (
    "BatchNormalization", "LayerNormalization", "GroupNormalization", "UnitNormalization",
    "RMSNormalization", "Normalization",
)  # fmt: skip
# Shape-keeping layers of other kinds: identity, rescaling, image augmentation.
KEEPS_SHAPE = (
    "Identity", "Rescaling", "RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation",
    "RandomContrast", "RandomBrightness",
)  # fmt: skip
# Layers that work on each position of their input's last axis and keep every other axis: the
# axes of their output come from the layer before them (the targets rules walk back through them).
POSITION_WISE = frozenset(
    ("Dense", "TimeDistributed") + ACTIVATIONS + NOISE + NORMALIZATION + KEEPS_SHAPE
)


def _specs() -> dict[str, LayerSpec]:
    specs = {
        "Dense": LayerSpec(dense, rank=DENSE_RANK),
        "Embedding": LayerSpec(embedding),
        "Masking": LayerSpec(same, masking=True),
    }
    for name in ACTIVATIONS + NOISE + NORMALIZATION + KEEPS_SHAPE:
        specs[name] = LayerSpec(same)
    for n in (1, 2, 3):
        specs[f"SpatialDropout{n}D"] = LayerSpec(same, rank=Exactly(n + 2))
    return specs


SPECS = _specs()
