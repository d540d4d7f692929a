"""The spatial arithmetic of convolutions, pooling, cropping, padding and upsampling.

Every size is known only when every argument that decides it is a literal; otherwise the size
is None (unknown). A window that leaves nothing of the feature map is an ``Incompatible`` of
kind ``"window"`` naming the axis and the sizes (Keras: "Computed output size would be zero or
negative", or an error from the op).
"""

from __future__ import annotations

from flake8_keras.engine.values import UNKNOWN
from flake8_keras.keras.layers.spec import Incompatible, batch
from flake8_keras.keras.model import Dim, Layer, Shape
from flake8_keras.records import record

# Keras 1 spellings of geometry (``border_mode=``, ``subsample=``, ``nb_row=``...) or the image
# ordering: with any of these the spec does not guess the sizes (the dialect decides them).
LEGACY_KEYWORDS = frozenset(
    {
        "border_mode", "subsample", "nb_row", "nb_col", "nb_filter", "filter_length",
        "subsample_length", "atrous_rate", "dim_ordering", "pool_length", "stride",
        "output_shape",
    }
)  # fmt: skip

Sizes = tuple[int, ...]


def ints(value: object, n: int) -> Sizes | None:
    """``3`` or ``(3, 3)`` as n sizes (None: not a literal of that form)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value,) * n
    if isinstance(value, (tuple, list)) and len(value) == n and all(type(v) is int for v in value):
        return tuple(value)
    return None


def pairs(value: object, n: int) -> tuple[tuple[int, int], ...] | None:
    """Cropping/ZeroPadding amounts: ``1``, ``(1, 2)`` (per axis, or before/after for 1D), or
    ``((1, 1), (2, 2))``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return ((value, value),) * n
    if not isinstance(value, (tuple, list)):
        return None
    if n == 1 and len(value) == 2 and all(type(v) is int for v in value):
        return ((value[0], value[1]),)
    if len(value) != n:
        return None
    out: list[tuple[int, int]] = []
    for item in value:
        if type(item) is int:
            out.append((item, item))
        elif (
            isinstance(item, (tuple, list)) and len(item) == 2 and all(type(v) is int for v in item)
        ):
            out.append((item[0], item[1]))
        else:
            return None
    return tuple(out)


@record(frozen=True)
class Layout:
    """Where the spatial axes and the channels are in a rank n+2 input."""

    n: int
    channels_first: bool

    def spatial(self, shape: Shape) -> tuple[Dim, ...]:
        return shape.dims[2:] if self.channels_first else shape.dims[1:-1]

    def channels(self, shape: Shape) -> Dim:
        return shape.dims[1] if self.channels_first else shape.dims[-1]

    def build(self, shape: Shape | None, spatial: tuple[Dim, ...], channels: Dim) -> Shape:
        if self.channels_first:
            return Shape((batch(shape), channels) + spatial)
        return Shape((batch(shape),) + spatial + (channels,))


def layout(layer: Layer, n: int, position: int | None = None) -> Layout | None:
    """The layer's data_format (None: not a literal). A missing one is channels_last, the
    default unless the user's keras.json says otherwise."""
    value = layer.const("data_format", position, default=None)
    if value is None or value == "channels_last":
        return Layout(n, False)
    if value == "channels_first":
        return Layout(n, True)
    return None


def legacy(layer: Layer) -> bool:
    """Keras 1 geometry keywords, or ``**kwargs``: the sizes are not this spec's to compute."""
    return layer.open_kwargs or any(k in LEGACY_KEYWORDS for k in layer.kwargs)


def window_fault(layer: Layer, shape: Shape, axis: int, size: int, why: str) -> Incompatible:
    """``why`` is what outgrows the map, e.g. "window 3 > size 2"."""
    reason = f"{why} on spatial axis {axis + 1}"
    return Incompatible("window", reason, "an output size > 0", shape)


def conv_size(size: Dim, kernel: int, stride: int, dilation: int, padding: str) -> Dim:
    """Keras's conv_output_length (may be <= 0: the caller refuses it)."""
    if size is None:
        return None
    if padding in ("same", "causal"):
        return -(-size // stride)
    span = dilation * (kernel - 1) + 1
    return -(-(size - span + 1) // stride) if size - span + 1 > 0 else size - span + 1


def transpose_size(
    size: Dim, kernel: int, stride: int, dilation: int, padding: str, extra: int | None
) -> Dim:
    """Keras's deconv_output_length."""
    if size is None:
        return None
    span = dilation * (kernel - 1) + 1
    if extra is None:
        return size * stride + max(span - stride, 0) if padding == "valid" else size * stride
    pad = 0 if padding == "valid" else span // 2
    return (size - 1) * stride + span - 2 * pad + extra


def known(value: object) -> bool:
    return value is not UNKNOWN
