"""Rebuilding the analyzer's layers and tensors in Keras, from literals only.

Safety: nothing from the user's file is evaluated. A layer is rebuilt from the Keras class its
canonical name names and from the arguments the analyzer folded to constants (``Const``) or to
other layers (``Layer``, ``Items`` of layers). Any other argument is either replaced by a neutral
value the claim does not depend on (listed in ``notes``) or makes the claim inconclusive.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Collection
from typing import Any

from flake8_keras.engine.values import Const, Items, SymbolRef, Value
from flake8_keras.keras.layers import LAYERS
from flake8_keras.keras.model import Layer, Shape, Tensor
from flake8_keras.rules.describe import line_of_node
from flake8_keras.verify.limits import MAX_PARAMS, TooLarge
from flake8_keras.verify.runtime import Runtime

# Arguments that only describe the model input, which the verifier builds itself from the
# analyzer's inferred shape (Keras 3 also rejects some of them, e.g. ``input_length``).
_INPUT_ARGS = frozenset({"input_shape", "batch_input_shape", "batch_size", "input_length", "name"})
# Initial weights never decide a claim: the verifier copies weights or checks shapes only.
_INITIALIZERS = frozenset(
    {"kernel_initializer", "bias_initializer", "recurrent_initializer", "embeddings_initializer"}
)
# SymbolRef prefixes whose symbol Keras looks up by name (``keras.activations.relu`` -> "relu").
_BY_NAME = ("keras.activations.",)
# Synthetic sizes for unknown dimensions: small, distinct, and not 1.
SYNTHETIC_BATCH = 3
SYNTHETIC_STEPS = 5
SYNTHETIC_FEATURES = 4


# Layers whose first argument (units or filters) is a lower bound of weights per input feature.
_WEIGHTED = re.compile(r"Dense$|LSTM|GRU|SimpleRNN|Conv")


class NotRebuildable(Exception):
    """The claim depends on something the verifier cannot rebuild from literals."""


class Builder:
    """Keras layers and symbolic tensors for the analyzer's graph, memoised by identity."""

    def __init__(
        self,
        runtime: Runtime,
        neutral: dict[str, object] | None = None,
        synthetic_inputs: bool = False,
        resize: dict[int, int] | None = None,
        overrides: dict[str, int] | None = None,
    ) -> None:
        self.rt = runtime
        self.neutral = neutral or {}  # parameter -> value used when the argument is not literal
        # Stand-in sizes for the model inputs' large dimensions (size -> stand-in).
        self.resize = resize or {}
        # Stand-ins for literal integer arguments (KRS101's inner Dense units).
        self.overrides = overrides or {}
        self.params = 0  # weights built so far, against MAX_PARAMS
        # An unknown model input may be replaced by one of the rank its first layer requires
        # (for claims about ranks further down, which hold for any input that layer accepts).
        self.synthetic_inputs = synthetic_inputs
        self.notes: list[str] = []  # what was replaced, for the evidence
        self.inputs: list[tuple[Tensor, Any]] = []  # (model input, keras.Input)
        self._layers: dict[int, Any] = {}
        self._tensors: dict[int, Any] = {}

    # ------------------------------------------------------------------ layers

    def layer(self, layer: Layer, fresh: bool = False) -> Any:
        """The Keras layer for ``layer`` (shared between uses unless ``fresh``)."""
        if not fresh and id(layer) in self._layers:
            return self._layers[id(layer)]
        cls = getattr(self.rt.keras.layers, layer.name, None)
        if cls is None or not isinstance(cls, type) or layer.name in ("Input", "Lambda"):
            raise NotRebuildable(
                f"{layer.name} is not a layer of {self.rt.module} {self.rt.version}"
            )
        if layer.open_args or layer.open_kwargs:
            raise NotRebuildable(
                f"{layer.name} on line {line_of_node(layer)} takes *args or **kwargs"
            )
        names = _parameter_names(cls)
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        for index, value in enumerate(layer.args):
            key = names[index] if index < len(names) else f"argument {index + 1}"
            converted = self._argument(layer, key, value)
            if converted is _DROP:
                if index != len(layer.args) - 1:
                    raise NotRebuildable(
                        f"{layer.name}'s {key} on line {line_of_node(layer)} is not literal"
                    )
                continue
            args.append(converted)
        for key, value in layer.kwargs.items():
            if key in _INPUT_ARGS or (key == "input_dim" and layer.name != "Embedding"):
                continue
            converted = self._argument(layer, key, value)
            if converted is not _DROP:
                kwargs[key] = converted
        try:
            built = cls(*args, **kwargs)
        except Exception as error:
            raise NotRebuildable(
                f"{self.rt.module} rejects {layer.name}(...): {short(error)}"
            ) from error
        if not fresh:
            self._layers[id(layer)] = built
        return built

    def _argument(self, layer: Layer, key: str, value: Value) -> Any:
        if isinstance(value, Const):
            if key in self.overrides and isinstance(value.value, int):
                return self.overrides[key]  # the check names the stand-in in its evidence
            return value.value
        if isinstance(value, Layer):
            return self.layer(value)
        if isinstance(value, Items):
            return [self._argument(layer, key, item) for item in value.items]
        if isinstance(value, SymbolRef) and value.path.startswith(_BY_NAME):
            return value.symbol
        where = f"{layer.name}'s {key} on line {line_of_node(layer)}"
        if key in self.neutral:
            self._note(f"{where} is not a literal: used {self.neutral[key]!r}")
            return self.neutral[key]
        if key in _INITIALIZERS:
            self._note(f"{where} is not a literal: used the default")
            return _DROP
        raise NotRebuildable(f"{where} is not a literal")

    def _note(self, note: str) -> None:
        if note not in self.notes:  # a layer rebuilt twice (wrapped and plain) is noted once
            self.notes.append(note)

    # ----------------------------------------------------------------- tensors

    def tensor(self, tensor: Tensor) -> Any:
        """The symbolic Keras tensor for ``tensor``, built from the model input(s) up."""
        if id(tensor) in self._tensors:
            return self._tensors[id(tensor)]
        app = tensor.producer
        if app is None or app.layer.name == "Input":
            if tensor.shape is None:
                raise NotRebuildable("the model input's shape is not known")
            built = self.rt.keras.Input(batch_shape=self.input_dims(tensor.shape.dims))
            self.inputs.append((tensor, built))
        else:
            if not app.inputs:
                raise NotRebuildable(
                    f"the input of {app.layer.name} on line {line_of_node(app.layer)} is not known"
                )
            sources = [self._source(t, app.layer) for t in app.inputs]
            self._check_weights(app.layer, sources[0])
            keras_layer = self.layer(app.layer)
            try:
                built = keras_layer(sources if takes_list(app) else sources[0])
            except Exception as error:
                raise NotRebuildable(
                    f"{app.layer.name} on line {line_of_node(app.layer)} does not build: "
                    f"{short(error)}"
                ) from error
            self.count_weights(keras_layer, app.layer)
        self._tensors[id(tensor)] = built
        return built

    def model(self, output: Any) -> Any:
        """A Keras model from the inputs built so far (one, or a list) to ``output``."""
        inputs = [built for _, built in self.inputs]
        return self.rt.keras.Model(inputs[0] if len(inputs) == 1 else inputs, output)

    def feed_dims(self, batch: int) -> list[tuple[int, ...]]:
        """The synthetic array shape of every model input at this batch size."""
        shapes = [t.shape for t, _ in self.inputs]
        dims = [synthetic_dims(self.input_dims(s.dims), batch) for s in shapes if s is not None]
        if len(dims) != len(self.inputs):
            raise NotRebuildable("a model input's shape is not known")
        return dims

    def input_dims(self, dims: Collection[int | None]) -> tuple[int | None, ...]:
        """A model input's dimensions with the stand-in sizes (the batch axis is kept)."""
        items = list(dims)
        return tuple(items[:1]) + tuple(
            self.resize.get(d, d) if d is not None else None for d in items[1:]
        )

    def _check_weights(self, layer: Layer, source: Any) -> None:
        """Refuse before allocating: a layer with ``units`` or ``filters`` has at least that many
        weights per input feature (Dense, recurrent, convolution; through a wrapper too), and an
        Embedding ``input_dim * output_dim``."""
        if layer.name == "Embedding":
            fan_in, width = layer.const("input_dim", 0), layer.const("output_dim", 1)
        else:
            fan_in = (tuple(getattr(source, "shape", ()) or ()) or (None,))[-1]
            sized = layer.inner() or layer
            if not _WEIGHTED.search(sized.name):
                return
            width = sized.const("units", 0)
            width = sized.const("filters", 0) if width is None else width
            width = self.overrides.get("units", width) if isinstance(width, int) else width
        if not isinstance(fan_in, int) or not isinstance(width, int):
            return
        if self.params + fan_in * width > MAX_PARAMS:
            raise TooLarge(
                f"{layer.name} on line {line_of_node(layer)} would have at least {fan_in * width} "
                f"weights (cap {MAX_PARAMS:,})"
            )

    def count_weights(self, built: Any, layer: Layer) -> None:
        self.params += int(built.count_params()) if getattr(built, "built", False) else 0
        if self.params > MAX_PARAMS:
            raise TooLarge(
                f"{self.params} weights up to {layer.name} on line {line_of_node(layer)} "
                f"(cap {MAX_PARAMS:,})"
            )

    def _source(self, tensor: Tensor, consumer: Layer) -> Any:
        """The input of ``consumer``; an unknown model input becomes a synthetic one if allowed."""
        if tensor.shape is not None or tensor.producer is not None:
            return self.tensor(tensor)
        kind = LAYERS.get(consumer.name)
        where = f"the input of {consumer.name} on line {line_of_node(consumer)}"
        if not self.synthetic_inputs or kind is None or kind.input_rank is None:
            raise NotRebuildable(f"{where} is not known")
        if id(tensor) not in self._tensors:
            dims = (None,) * (kind.input_rank - 1) + (SYNTHETIC_FEATURES,)
            self._note(
                f"{where} is not known: used {Shape(dims)}, the rank {consumer.name} requires"
            )
            built = self.rt.keras.Input(batch_shape=dims)
            self.inputs.append((tensor, built))
            self._tensors[id(tensor)] = built
        return self._tensors[id(tensor)]


class _Drop:
    pass


_DROP = _Drop()


def takes_list(app: Any) -> bool:
    """Whether the layer was called on a list of tensors (merge layers, attention)."""
    if len(app.inputs) > 1:
        return True
    node = app.node
    return bool(
        isinstance(node, ast.Call)
        and node is not app.layer.node
        and node.args
        and isinstance(node.args[0], (ast.List, ast.Tuple))
    )


def _parameter_names(cls: type) -> list[str]:
    try:
        params = inspect.signature(cls).parameters.values()
    except (TypeError, ValueError):
        return []
    return [
        p.name
        for p in params
        if p.name != "self" and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]


# A traceback frame inside an error message: tf_keras raises through ``tf.function`` with
# "in user code:" and the frames of Keras itself before the real message.
_FRAME = re.compile(r'^\s*File "[^"]*", line \d+')
# The exception class tf_keras repeats in front of the real message ("ValueError: ...").
_CLASS_PREFIX = re.compile(r"^(?:[A-Za-z_][\w.]*\.)?\w*(?:Error|Exception): ")
# Keras 3 appends the call's arguments after the message; they only repeat the input.
# Eager TensorFlow ops wrap theirs in the op's device and name.
_EAGER_OP = re.compile(r"\{\{function_node [^}]*\}\}\s*|\s*\[Op:\w+\](?:\s*name:\s*\S*)?\s*$")
_ARGUMENTS = re.compile(r"\n\s*Arguments received by ", re.IGNORECASE)


def meaningful(error: BaseException) -> str:
    """The part of an error a user needs: the message, not the traceback that wraps it."""
    text = str(error)
    if "in user code:" in text or any(_FRAME.match(line) for line in text.splitlines()):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        # The message follows the last frame and its source line.
        last = max((i for i, line in enumerate(lines) if _FRAME.match(line)), default=-1)
        text = "\n".join(lines[last + 2 :] if last >= 0 else lines[-1:]) or lines[-1]
    text = _ARGUMENTS.split(text)[0]
    return _CLASS_PREFIX.sub("", text.strip())


def short(error: BaseException, limit: int = 240) -> str:
    """The meaningful part of an error on one line, without TensorFlow's node dumps."""
    text = _EAGER_OP.sub("", " ".join(meaningful(error).split()))
    for marker in (" for '{{node", " {{node"):
        if marker in text:
            head, _, rest = text.partition(marker)
            tail = rest.partition("with input shapes:")[2]
            text = head + (f" (input shapes: {tail.strip()})" if tail else "")
    text = text or type(error).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def synthetic_dims(dims: Collection[int | None], batch: int = SYNTHETIC_BATCH) -> tuple[int, ...]:
    """Concrete sizes for a shape: the batch given, unknown steps and features made small."""
    out: list[int] = []
    items = list(dims)
    for index, dim in enumerate(items):
        if index == 0:
            out.append(batch)
        elif dim is not None:
            out.append(dim)
        else:
            out.append(SYNTHETIC_FEATURES if index == len(items) - 1 else SYNTHETIC_STEPS)
    return tuple(out)
