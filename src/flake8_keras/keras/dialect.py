"""The file's dialect: signs that it is Keras 1 code (where ``Dense`` needed ``TimeDistributed``).

Keras 1 code is recognisable by its keyword arguments: ``fit(nb_epoch=)``, ``Dense(output_dim=)``
or ``init=`` (on Dense and recurrent layers), ``merge(mode=)``, ``Model(input=, output=)``.
One observer sees every call the interpreter evaluates and records the sign in the graph.
"""

from __future__ import annotations

import ast

from flake8_keras.engine.calls import CallArgs
from flake8_keras.engine.values import SymbolRef, Value
from flake8_keras.keras.imports import keras_symbol
from flake8_keras.keras.layers import CELLS, LAYERS, MERGE_FUNCTIONS
from flake8_keras.keras.model import ModelGraph

_LAYER_KEYWORDS = ("output_dim", "init")
_MODEL_KEYWORDS = ("input", "output")
# Every sign is a keyword: a call without one of these is not Keras 1 (checked first: it is cheap).
SIGN_KEYWORDS = frozenset({"nb_epoch", "mode", *_LAYER_KEYWORDS, *_MODEL_KEYWORDS})


def is_keras1_call(node: ast.Call, func: Value, call: CallArgs) -> bool:
    """Whether this call is written the Keras 1 way."""
    kwargs = call.kwargs
    if SIGN_KEYWORDS.isdisjoint(kwargs):
        return False
    fit = isinstance(node.func, ast.Attribute) and node.func.attr in ("fit", "fit_generator")
    if fit and "nb_epoch" in kwargs:
        return True
    symbol = keras_symbol(func.path) if isinstance(func, SymbolRef) else None
    if symbol is None:
        return False
    if symbol in LAYERS or symbol in CELLS or symbol == "InputLayer":
        spec = LAYERS.get(symbol)
        layer_sign = symbol == "Dense" or (spec is not None and spec.recurrent)
        return layer_sign and any(k in kwargs for k in _LAYER_KEYWORDS)
    if symbol in MERGE_FUNCTIONS:
        return False
    if symbol == "merge":
        return "mode" in kwargs
    if symbol in ("Model", "Functional"):
        return any(k in kwargs for k in _MODEL_KEYWORDS)
    return False


class DialectObserver:
    """Marks ``graph.keras1`` at the first Keras 1 call."""

    def __init__(self, graph: ModelGraph) -> None:
        self.graph = graph

    def __call__(self, node: ast.Call, func: Value, call: CallArgs) -> None:
        if not self.graph.keras1 and is_keras1_call(node, func, call):
            self.graph.keras1 = True
