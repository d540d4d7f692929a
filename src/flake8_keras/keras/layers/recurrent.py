"""Recurrent layers: SimpleRNN, GRU, LSTM (and the CuDNN ones), RNN(cell), ConvLSTM1D-3D."""

from __future__ import annotations

from flake8_keras.engine.values import UNKNOWN
from flake8_keras.keras.layers.spec import (
    AtLeast,
    Exactly,
    InferFn,
    Inferred,
    LayerSpec,
    batch,
    check_rank,
    first,
    int_arg,
    rank_fault,
    units,
)
from flake8_keras.keras.model import Dim, Layer, Shape

# Cells are layer objects whose only use here is giving RNN(cell) its units.
CELLS = ("LSTMCell", "GRUCell", "SimpleRNNCell", "StackedRNNCells")


def recurrent_output(
    layer: Layer, shape: Shape | None, units: int | None, rank: int = 3
) -> Shape | None:
    """(batch, T, units) with return_sequences=True, else (batch, units); ConvLSTM keeps space.

    None when unknown or when the layer does not build on ``shape`` (see ``recurrent_infer``).
    """
    out = recurrent_infer(layer, shape, units, rank)
    return out if isinstance(out, Shape) else None


def recurrent_infer(
    layer: Layer, shape: Shape | None, units: int | None, rank: int = 3
) -> Inferred:
    if shape is not None and shape.rank != rank:  # ``check_rank``, without a rule made per call
        return rank_fault(layer, Exactly(rank), shape)  # apply rejects it first; KRS103 reports it
    if layer.const("return_state", default=False) is not False:
        return None  # a list of tensors
    sequences = layer.const("return_sequences", default=False)
    if sequences is UNKNOWN or not isinstance(sequences, bool):
        return None
    steps = shape.dims[1] if shape is not None else None
    middle: tuple[Dim, ...] = (None,) * (rank - 3)
    if sequences:
        return Shape((batch(shape), steps) + middle + (units,))
    return Shape((batch(shape),) + middle + (units,))


def rnn(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    return recurrent_infer(layer, first(inputs), units(layer))


def _cell_units(layer: Layer) -> int | None:
    cell = layer.arg("cell", 0)
    if isinstance(cell, Layer) and cell.name in ("LSTMCell", "GRUCell", "SimpleRNNCell"):
        return units(cell)
    return None


RNN_RANK = AtLeast(3)


def generic_rnn(layer: Layer, inputs: list[Shape | None]) -> Inferred:
    shape = first(inputs)
    fault = check_rank(layer, RNN_RANK, shape)
    if fault is not None:
        return fault
    if shape is not None and shape.rank > 3:
        shape = Shape(shape.dims[:2] + (None,))
    return recurrent_infer(layer, shape, _cell_units(layer))


def conv_lstm(n: int) -> InferFn:
    def infer(layer: Layer, inputs: list[Shape | None]) -> Inferred:
        filters = int_arg(layer.const("filters", 0))
        return recurrent_infer(layer, first(inputs), filters, rank=n + 3)

    return infer


def _specs() -> dict[str, LayerSpec]:
    specs = {
        name: LayerSpec(rnn, recurrent=True, rank=Exactly(3))
        for name in ("SimpleRNN", "GRU", "LSTM", "CuDNNGRU", "CuDNNLSTM")
    }
    # Keras 3 builds RNN(cell) on rank >= 3 (the cell sees (batch, ...) per step; tf_keras
    # refuses rank 4 in the cell): the output drops the middle axes like rank 3.
    specs["RNN"] = LayerSpec(generic_rnn, recurrent=True, rank=RNN_RANK)
    for n in (1, 2, 3):
        specs[f"ConvLSTM{n}D"] = LayerSpec(conv_lstm(n), recurrent=True, rank=Exactly(n + 3))
    return specs


SPECS = _specs()
