"""Build ``keras.model.Layer`` values the way the interpreter does, from literal arguments."""

from __future__ import annotations

import ast
import importlib

from flake8_keras.engine.values import Const, Value
from flake8_keras.keras.model import Layer, Shape
from flake8_keras.records import fields

_NODE = ast.Call(func=ast.Name(id="f", ctx=ast.Load()), args=[], keywords=[])


def _value(value: object) -> Value:
    return value if isinstance(value, Layer) else Const(value)


def layer(name: str, *args: object, **kwargs: object) -> Layer:
    """``name(*args, **kwargs)`` with every argument a literal (or a nested layer)."""
    values = tuple(_value(a) for a in args)
    keywords = {k: _value(v) for k, v in kwargs.items()}
    if "call" in {f.name for f in fields(Layer)}:  # the engine's CallArgs holds the arguments
        calls = importlib.import_module("flake8_keras.engine.calls")
        return Layer(name, _NODE, calls.CallArgs(values, keywords))
    return Layer(name, _NODE, values, keywords)  # type: ignore[call-arg]


def shape(*dims: int | None) -> Shape:
    return Shape(tuple(dims))
