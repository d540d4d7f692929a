"""Keras model construction, taught to the interpreter as hooks: the model graph of a file.

``Input``, layer constructors and layer calls, ``Sequential`` (and ``add``/``pop``), functional
``Model``, subclassed models (``compile`` and the training calls are in ``training``).
Each layer application is an edge of ``ModelGraph``; its output tensor carries the time-axis
and mask bookkeeping rules read.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from functools import cache, partial

from flake8_keras.engine.calls import CallArgs
from flake8_keras.engine.hooks import CallContext, CallHook, ClassHook, Hooks
from flake8_keras.engine.interpreter import Interpreter
from flake8_keras.engine.values import (
    MISSING,
    UNKNOWN,
    BoundMethod,
    ClassDef,
    Const,
    Items,
    SymbolRef,
    Value,
)
from flake8_keras.keras import arrays, training
from flake8_keras.keras.dialect import SIGN_KEYWORDS, DialectObserver
from flake8_keras.keras.imports import canonical_module, is_keras, keras_symbol
from flake8_keras.keras.layers import (
    CELLS,
    LAYERS,
    MERGE_FUNCTIONS,
    is_recurrent,
    min_input_rank,
    sequence_layer,
)
from flake8_keras.keras.layers import apply as layer_semantics
from flake8_keras.keras.layers.spec import LayerSpec
from flake8_keras.keras.model import (
    Dim,
    Layer,
    LayerCall,
    Model,
    ModelGraph,
    Shape,
    Tensor,
    dims_of,
)

# Names a star import from a Keras module can bring in.
_STAR_SYMBOLS = frozenset(LAYERS) | frozenset(CELLS) | frozenset(MERGE_FUNCTIONS) | {
    "Input", "InputLayer", "Sequential", "Model", "to_categorical",
}  # fmt: skip

_MODEL_METHODS = frozenset({"add", "pop"})
# What a function body must name to record anything (``engine.relevance``): a Keras class that
# makes a layer or a model (``Layer`` and ``Model`` as bases too), ``layers`` and ``merge`` for
# the lowercase merge functions (``layers.add``; ``from keras.layers import add`` names it).
# A model trained in a body was made there or comes from a name of the module: ``fit`` alone,
# on a parameter, records nothing.
_RECORDING_SYMBOLS = _STAR_SYMBOLS - {"to_categorical"} | {"Functional", "Layer"}
_RECORDING_WORDS = frozenset(name for name in _RECORDING_SYMBOLS if name[:1].isupper()) | {
    "layers",
    "merge",
}


def build_graph(tree: ast.Module, text: str | None = None) -> ModelGraph:
    """The Keras model graph of a module: every layer application and training call.

    ``text``, the module's source when known, lets the engine skip work the file cannot need."""
    keras = KerasSemantics()
    interpreter = Interpreter(keras.hooks)
    interpreter.run_module(tree, text)
    keras.graph.errors = interpreter.errors
    # The hooks hold the semantics' bound methods, which hold the hooks: a cycle the collector
    # would have to find. Dropped here, the file's values are freed as soon as it is done.
    keras.hooks = interpreter.hooks = Hooks()
    return keras.graph


@cache
def _library_hooks() -> Hooks:
    """The hooks that hold no file's state (numpy and TensorFlow arrays, the datasets): made
    once per process, copied for each file (they were 30 us of every file's analysis)."""
    hooks = Hooks(canonical_module=canonical_module, star_names=_star_names)
    arrays.register(hooks)
    return hooks


class KerasSemantics:
    """The hooks of Keras, numpy and TensorFlow, recording into one ``ModelGraph``."""

    def __init__(self) -> None:
        self.graph = ModelGraph()
        hooks = self.hooks = _library_hooks().copy()
        hooks.call_providers.append(self.call_hook)
        hooks.class_providers.append(self.class_hook)
        hooks.method_names(Model, _MODEL_METHODS, self.model_method, reads=True)
        hooks.method_names(Layer, ("__call__",), self.layer_call, reads=True)
        hooks.method_names(Model, ("__call__",), _subclassed_call, reads=True)
        training.register(hooks, self.graph)  # after: it wraps model(x) to record the data
        hooks.attributes[(Model, "output")] = _model_output
        hooks.call_observers.append(DialectObserver(self.graph))
        hooks.observed_keywords.update(SIGN_KEYWORDS)
        hooks.recording_words.update(_RECORDING_WORDS)
        hooks.recording_symbol = _may_record_through

    # ----------------------------------------------------------- calls by name

    def call_hook(self, path: str) -> CallHook | None:
        """The hook for a Keras symbol, whatever module it was imported from."""
        symbol = keras_symbol(path)
        if symbol is None:
            return None
        if symbol in LAYERS or symbol in CELLS or symbol == "InputLayer":
            return partial(_make_layer, symbol)
        if symbol in MERGE_FUNCTIONS:
            return partial(self.merge, MERGE_FUNCTIONS[symbol])
        if symbol == "Input":
            return self.make_input
        if symbol == "Sequential":
            return self.make_sequential
        if symbol in ("Model", "Functional"):
            return _make_functional
        if path.startswith("keras.losses."):
            return partial(_loss_object, SymbolRef(path))
        if symbol == "to_categorical":
            return lambda context: arrays.to_categorical(context.args)
        return None

    def class_hook(self, base: str) -> ClassHook | None:
        """A class of the file that subclasses a Keras model or layer: a subclassed model."""
        symbol = keras_symbol(base)
        if symbol in ("Model", "Sequential"):
            return _make_subclassed
        return partial(_make_subclassed, kind="layer") if symbol == "Layer" else None

    def merge(self, layer_name: str, context: CallContext) -> Value:
        """``concatenate([a, b])``: the layer of the same name applied to the list."""
        call = context.args
        merge = Layer(layer_name, context.node, CallArgs(kwargs=call.kwargs))
        return self.apply_layer(merge, context.node, list(call.args[:1]), call.kwargs, context)

    def make_input(self, context: CallContext) -> Value:
        call = context.args
        shape = call.value("shape", 0)
        batch_shape = call.kwargs.get("batch_shape", MISSING)
        batch_size = call.kwargs.get("batch_size", MISSING)
        layer = Layer("Input", context.node, CallArgs(call.args, call.kwargs))
        app = LayerCall(layer, (), context.node)
        dims = dims_of(batch_shape, unknown_dims=True)
        if dims is None:
            inner = dims_of(shape, unknown_dims=True)
            if inner is None:
                inner = _literal_rank(shape)
            batch = batch_size.value if isinstance(batch_size, Const) else None
            if inner is None or not (batch is None or isinstance(batch, int)):
                return Tensor(None, producer=app)
            dims = (batch,) + inner
        tensor = Tensor(Shape(dims), producer=app)
        self.graph.made(app, tensor)
        return tensor

    def make_sequential(self, context: CallContext) -> Value:
        model = Model("sequential", context.node, output=Tensor(None))
        items = context.args.value("layers", 0)
        if items is MISSING or items == Const(None):
            return model
        if not isinstance(items, Items):
            return model.evolve(output=None)
        for item in items.items:
            model = self.sequential_add(model, item, context)
        return model

    def sequential_add(self, model: Model, item: Value, context: CallContext) -> Model:
        if model.output is None:
            return model
        if isinstance(item, Tensor) and model.layer_count == 0:
            return model.evolve(output=item)
        if not isinstance(item, Layer):
            return model.evolve(output=Tensor(None), layer_count=model.layer_count + 1)
        current = model.output
        if model.layer_count == 0:
            declared = declared_input(item)
            if declared is not None:
                current = declared
        if item.name == "InputLayer":
            return model.evolve(output=current)
        out = self.apply_layer(item, item.node, [current], {}, context)
        if not isinstance(out, Tensor):  # return_state=True: Keras rejects it in a Sequential
            out = Tensor(None)
        return model.evolve(output=out, layer_count=model.layer_count + 1)

    # ----------------------------------------------------------- layers

    def layer_call(self, method: BoundMethod, context: CallContext) -> Value:
        """``layer(x)``: the layer applied to its inputs."""
        layer = method.owner
        if not isinstance(layer, Layer):
            return UNKNOWN
        call = context.args
        return self.apply_layer(layer, context.node, call.args, call.kwargs, context)

    def apply_layer(
        self,
        layer: Layer,
        node: ast.AST,
        args: Sequence[Value],
        kwargs: Mapping[str, Value],
        context: CallContext,
    ) -> Value:
        name = layer.name
        if name in CELLS or name == "InputLayer":
            return UNKNOWN
        if name == "MultiHeadAttention":
            first: Value = args[0] if args else kwargs.get("query", MISSING)
        else:
            first = args[0] if args else kwargs.get("inputs", MISSING)
        inputs: tuple[Tensor, ...]
        if type(first) is Tensor:  # one tensor: most applications
            inputs = (first,)
            shapes = [first.shape]
        else:
            inputs = tuple(_as_tensors(first))
            shapes = [t.shape for t in inputs]
        app = LayerCall(layer, inputs, node)
        # After a layer that cannot build, nothing downstream is known: the first error is the
        # one to report, not its echoes.
        result = layer_semantics(layer, shapes)
        app.fault = result.rejected or result.would_reject
        broken = result.rejected is not None
        for tensor in inputs:  # a loop, not any(): one input, most of the time
            broken = broken or tensor.broken
        shape = result.shape if not broken else None
        time_event, masked = _history(app, shape, LAYERS.get(name))
        out = Tensor(shape, app, time_event, masked, broken)  # (``app`` is its producer)
        self.graph.made(app, out, recorded=context.recording)
        if result.extra is not None:  # return_state=True, Bidirectional(merge_mode=None): a list
            # A state is not a step of the sequence: the rules would explain its missing time
            # axis by the model input, so states stay unknown; Bidirectional's halves are kept.
            states = sequence_layer(layer).const("return_state", default=False) is True
            extra = (None,) * len(result.extra) if broken or states else result.extra
            return StateOutputs((out,) + tuple(Tensor(s, producer=app) for s in extra))
        return out

    # ----------------------------------------------------------- model methods

    def model_method(self, method: BoundMethod, context: CallContext) -> Value:
        owner = method.owner
        if not isinstance(owner, Model):
            return UNKNOWN
        call = context.args
        if method.name == "add":
            item = call.value("layer", 0)
            context.rebind(method.target, self.sequential_add(owner, item, context))
        elif method.name == "pop":
            context.rebind(method.target, owner.evolve(output=None))
        return UNKNOWN


def _may_record_through(path: str) -> bool:
    """Whether a body naming an import of ``path`` may make a layer or model through it without
    naming a recording word: a Keras class or merge function bound to another name (``RNN =
    layers.LSTM``, ``from keras.layers import add``), or the layers module under another name
    (``L.add``). Not ``keras.ops``, ``keras.utils``, numpy: ``tf.keras.layers`` names ``layers``."""
    return path.startswith("keras.layers") or keras_symbol(path) in _RECORDING_SYMBOLS


def _star_names(module: str) -> frozenset[str] | None:
    return _STAR_SYMBOLS if is_keras(module) else None


def _make_layer(symbol: str, context: CallContext) -> Value:
    return Layer(symbol, context.node, context.args)


def _make_functional(context: CallContext) -> Value:
    call = context.args
    outputs = call.value("outputs", 1)
    if outputs is MISSING:
        outputs = call.kwargs.get("output", MISSING)
    output = outputs if isinstance(outputs, Tensor) else None
    return Model("functional", context.node, output=output)


def _make_subclassed(cls: ClassDef, context: CallContext, kind: str = "subclassed") -> Value:
    """The model's output is what its ``call`` returns, when that is one known tensor."""
    returns = cls.returns.get("call", ()) or cls.returns.get("__call__", ())
    output = returns[0] if len(returns) == 1 and isinstance(returns[0], Tensor) else None
    return Model(kind, context.node, output=output)


def _subclassed_call(method: BoundMethod, context: CallContext) -> Value:
    """A subclassed model or layer applied to inputs: what its ``call`` returned. That was
    analysed on Unknown inputs, so it holds whatever they are (a functional model called on
    new inputs may rebuild: not followed)."""
    model = method.owner
    if not isinstance(model, Model) or model.kind not in ("subclassed", "layer"):
        return UNKNOWN
    return model.output if model.output is not None and model.output.shape else UNKNOWN


def _loss_object(ref: SymbolRef, context: CallContext) -> Value:
    return ref  # a loss object is known by its class


def _model_output(model: Value) -> Value:
    if isinstance(model, Model) and model.output is not None:
        return model.output
    return UNKNOWN


def declared_input(layer: Layer) -> Tensor | None:
    """The model input a first Sequential layer declares (``input_shape=``, ``input_dim=``...)."""
    declared = _declared_input(layer)
    if declared is not None:
        declared.producer = LayerCall(Layer("Input", layer.node), (), layer.node)
    return declared


def _declared_input(layer: Layer) -> Tensor | None:
    for key in ("batch_input_shape", "batch_shape"):
        dims = dims_of(layer.kwargs.get(key, MISSING), unknown_dims=True)
        if dims is not None:
            return Tensor(Shape(dims))
        if key in layer.kwargs:
            return Tensor(None)
    for key in ("input_shape", "shape") if layer.name == "InputLayer" else ("input_shape",):
        dims = dims_of(layer.kwargs.get(key, MISSING), unknown_dims=True)
        if dims is not None:
            return Tensor(Shape((None,) + dims))
        if key in layer.kwargs:
            return Tensor(None)
    length = layer.const("input_length")
    if layer.name == "Embedding":
        return Tensor(Shape((None, length))) if isinstance(length, int) else None
    features = layer.const("input_dim")
    if "input_dim" not in layer.kwargs and "input_length" not in layer.kwargs:
        return None
    if (
        not (features is None or isinstance(features, int))
        or length is not None
        and not isinstance(length, int)
    ):
        return Tensor(None)
    # Keras 1/2 read input_dim (and input_length) of sequence layers (recurrent, Conv1D) as
    # (input_length, input_dim)
    if is_recurrent(layer) or min_input_rank(layer) == 3:
        return Tensor(Shape((None, length, features)))
    return Tensor(Shape((None, features))) if features is not None else None


class StateOutputs(Items):
    """``LSTM(..., return_state=True)(x)``: the output, then the states (their shapes are not
    followed). Unpacked or indexed, the first item is the output; passed whole to a layer,
    it is not a sequence (Keras would reject the list)."""


def _literal_rank(shape: Value) -> tuple[Dim, ...] | None:
    """``shape=(window, n_features)``: a tuple literal gives the rank even when its sizes are
    not known (each known int is kept)."""
    if type(shape) is not Items:
        return None
    dims: list[Dim] = []
    for item in shape.items:
        if item is UNKNOWN:
            dims.append(None)  # a size: a tuple here would not build in Keras either
        elif isinstance(item, Const) and (item.value is None or dims_of(item) is not None):
            if isinstance(item.value, tuple):
                return None
            dims.append(item.value)  # type: ignore[arg-type]  # None or an int (dims_of)
        else:
            return None
    return tuple(dims)


def _as_tensors(value: Value) -> list[Tensor]:
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, StateOutputs):
        return [Tensor(None)]
    if isinstance(value, Items):
        return [v if isinstance(v, Tensor) else Tensor(None) for v in value.items]
    return [Tensor(None)]


def _history(
    app: LayerCall, shape: Shape | None, spec: LayerSpec | None
) -> tuple[LayerCall | None, bool]:
    """What the output of ``app`` (of this ``shape``) carries from its first input: the last
    layer that decided whether there is a time axis (kept, dropped or created), and whether it
    has a mask. One function for both: they are asked for every layer application."""
    first = app.inputs[0] if app.inputs else None
    before = first.shape if first is not None else None
    if spec is not None and spec.recurrent:
        time_event: LayerCall | None = app
    elif shape is not None and shape.rank == 2 and (before is None or before.rank >= 3):
        time_event = app  # dropped the time axis (Flatten, global pooling...)
    elif shape is not None and shape.rank >= 3 and before is not None and before.rank == 2:
        time_event = app  # created one (RepeatVector, Embedding, Reshape)
    else:
        time_event = first.time_event if first is not None else None
    if spec is not None and spec.masking:  # the layer's spec says it outputs a mask
        return time_event, True
    if app.layer.name == "Embedding":
        return time_event, app.layer.const("mask_zero", default=False) is True
    masked = first is not None and first.masked and shape is not None and shape.rank >= 3
    return time_event, bool(masked)
