"""Layer semantics: one spec per Keras layer class, one module per family, one registry.

A spec (``spec.LayerSpec``) says which input ranks the layer takes (``Exactly(3)``,
``AtLeast(3)``, ``OneOf(3, 4)``) and infers its output: a ``Shape``, ``None`` (unknown), or an
``Incompatible`` (Keras refuses to build it). Adding a layer is adding one spec to its family
module. A layer missing from the registry produces an unknown shape.
"""

from __future__ import annotations

from flake8_keras.keras.layers import (
    attention,
    convolution,
    core,
    merging,
    pooling,
    preprocessing,
    recurrent,
    reshaping,
    wrappers,
)
from flake8_keras.keras.layers.core import dense_params
from flake8_keras.keras.layers.lists import LISTS_WHEN_INFERRED, MAY_RETURN_LISTS, list_outputs
from flake8_keras.keras.layers.merging import MERGE_FUNCTIONS
from flake8_keras.keras.layers.recurrent import CELLS, recurrent_output
from flake8_keras.keras.layers.registry import LAYERS, register
from flake8_keras.keras.layers.spec import (
    AtLeast,
    Exactly,
    Incompatible,
    LayerResult,
    LayerSpec,
    OneOf,
    RankRule,
    rank_fault,
)
from flake8_keras.keras.model import Layer, Shape

_FAMILIES = (core, recurrent, convolution, pooling, reshaping, merging, wrappers, attention)
for _family in (*_FAMILIES, preprocessing):
    register(_family.SPECS)

# The classes ``is_recurrent`` says yes to, for a rule that reads only their applications.
RECURRENT_LAYERS = frozenset(name for name, spec in LAYERS.items() if spec.recurrent)

__all__ = [
    "CELLS",
    "LAYERS",
    "MERGE_FUNCTIONS",
    "RECURRENT_LAYERS",
    "AtLeast",
    "Exactly",
    "Incompatible",
    "LayerResult",
    "LayerSpec",
    "OneOf",
    "RankRule",
    "apply",
    "dense_params",
    "input_rank_rule",
    "min_input_rank",
    "is_recurrent",
    "recurrent_output",
    "sequence_layer",
]


def is_recurrent(layer: Layer) -> bool:
    return layer.name in RECURRENT_LAYERS


def input_rank_rule(layer: Layer) -> RankRule | None:
    """The ranks of its first input on which ``apply`` builds the layer (None: any rank)."""
    spec = LAYERS.get(layer.name)
    return spec.rank if spec is not None else None


def min_input_rank(layer: Layer) -> int | None:
    """The fewest axes the layer's first input must have to build (None: any rank)."""
    return _MIN_INPUT_RANKS.get(layer.name)


def _min_rank(rule: RankRule) -> int:
    return min(rule.ranks) if isinstance(rule, OneOf) else rule.rank


# Layer class -> ``min_input_rank``, from the specs once (the rules ask for every application).
_MIN_INPUT_RANKS = {
    name: _min_rank(spec.rank) for name, spec in LAYERS.items() if spec.rank is not None
}


def sequence_layer(layer: Layer) -> Layer:
    """The layer whose ``return_sequences`` decides the output (the inner one of Bidirectional)."""
    if layer.name == "Bidirectional":
        inner = layer.inner()
        if inner is not None:
            return inner
    return layer


def apply(layer: Layer, inputs: list[Shape | None]) -> LayerResult:
    """What Keras does when ``layer`` is called on inputs of these shapes (None: unknown).

    The one entry the interpreter uses for layer semantics. Only a first input of a rank the
    spec's ``rank`` excludes is ``rejected``; other refusals a spec finds are ``would_reject``.
    """
    name = layer.name
    spec = LAYERS.get(name)
    if spec is None:
        return _UNKNOWN_RESULT
    rule = spec.rank
    if rule is not None and inputs:  # ``check_rank`` inline: once per layer application
        shape = inputs[0]
        if shape is not None and not rule.accepts(shape.rank):
            return LayerResult(None, rank_fault(layer, rule, shape))
    out = spec.infer(layer, inputs)
    if isinstance(out, Incompatible):
        return LayerResult(None, would_reject=out)
    if name in MAY_RETURN_LISTS and (out is None or name in LISTS_WHEN_INFERRED):
        listed = list_outputs(layer, inputs)
        if listed is not None:
            return LayerResult(listed[0], extra=listed[1:])
    return LayerResult(out)


_UNKNOWN_RESULT = LayerResult(None)  # a layer without a spec (records are not changed)
