"""What a layer spec is: the input ranks a layer builds on, and a function from inputs to output.

An inference function takes the layer (its evaluated constructor arguments) and the shapes of
its inputs (``None`` where unknown) and returns one of:

- a ``Shape``: the output shape (``None`` dims are unknown sizes);
- ``None``: the output is not known (an argument is not a literal, the layer returns a list...);
- an ``Incompatible``: Keras refuses to build the layer on these inputs or arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Union

from flake8_keras.keras.model import Dim, Layer, Shape
from flake8_keras.records import record


@record(frozen=True)
class Exactly:
    """The layer builds only on inputs of this rank (LSTM: 3)."""

    rank: int

    def accepts(self, rank: int) -> bool:
        return rank == self.rank

    def __str__(self) -> str:
        return str(self.rank)


@record(frozen=True)
class AtLeast:
    """The layer builds on inputs of this rank or more (TimeDistributed: 3)."""

    rank: int

    def accepts(self, rank: int) -> bool:
        return rank >= self.rank

    def __str__(self) -> str:
        return f">= {self.rank}"


@record(frozen=True)
class OneOf:
    """The layer builds on inputs of any of these ranks."""

    ranks: tuple[int, ...]

    def accepts(self, rank: int) -> bool:
        return rank in self.ranks

    def __str__(self) -> str:
        return " or ".join(str(r) for r in self.ranks)


RankRule = Union[Exactly, AtLeast, OneOf]


@record(frozen=True)
class Incompatible:
    """Keras refuses to build the layer on these inputs: what kind of fault, and why."""

    kind: str  # "rank": the input rank is not one the layer takes; "shape", "argument"
    reason: str
    expected: str  # e.g. "3", ">= 3"
    got: Shape | None  # the offending input shape (None: the fault is in the arguments)


@record(frozen=True)
class LayerResult:
    """A layer applied to its input shapes: the output shape (None: unknown), or a refusal.

    ``would_reject`` is a refusal the spec knows of but that ``apply`` does not report yet
    (reporting it would mark downstream tensors broken and change today's diagnostics).
    """

    shape: Shape | None
    rejected: Incompatible | None = None
    would_reject: Incompatible | None = None
    # The layer returns a list: ``shape`` is its first tensor's, these the others' (states).
    extra: tuple[Shape | None, ...] | None = None


Inferred = Union[Shape, None, Incompatible]
InferFn = Callable[[Layer, "list[Shape | None]"], Inferred]


@record(frozen=True)
class LayerSpec:
    """One layer class: its inference function, the input ranks it takes, its traits."""

    infer: InferFn
    recurrent: bool = False  # needs (batch, timesteps, ...) input; may drop the time axis
    rank: RankRule | None = None  # the ranks of the first input that ``apply`` accepts
    masking: bool = False  # outputs a mask (Masking, Embedding(mask_zero=True))

    @property
    def input_rank(self) -> int | None:
        """The one rank the layer requires, when there is exactly one."""
        return self.rank.rank if isinstance(self.rank, Exactly) else None


def rank_fault(layer: Layer, rule: RankRule, shape: Shape) -> Incompatible:
    reason = f"{layer.name} expects an input of rank {rule}, got rank {shape.rank}"
    return Incompatible("rank", reason, str(rule), shape)


def check_rank(layer: Layer, rule: RankRule, shape: Shape | None) -> Incompatible | None:
    """The refusal of an input of the wrong rank (None: accepted, or the rank is unknown)."""
    if shape is None or rule.accepts(shape.rank):
        return None
    return rank_fault(layer, rule, shape)


# Helpers shared by the family modules.


def int_arg(value: object) -> int | None:
    """A non-negative int argument (not a bool), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def first(inputs: list[Shape | None]) -> Shape | None:
    return inputs[0] if inputs else None


def batch(shape: Shape | None) -> Dim:
    return shape.dims[0] if shape is not None and shape.rank else None


def units(layer: Layer) -> int | None:
    value = layer.const("units", 0)
    if value is None:  # Keras 1 spelling
        value = layer.const("output_dim")
    return int_arg(value)


def same(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    return first(inputs)
