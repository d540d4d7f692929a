"""Keras training and inference calls, taught to the interpreter as hooks.

``compile`` (the loss) and the calls that hand data to a model (``fit``, ``evaluate``,
``predict``, the ``*_on_batch`` methods, ``validation_data=(x, y)``, ``model(x)``): each is
recorded in the ``ModelGraph`` with its x and y for the rules (``DataCall``), and the calls with
targets also as a ``FitCall``.
"""

from __future__ import annotations

import ast

from flake8_keras.engine.calls import CallArgs
from flake8_keras.engine.hooks import CallContext, Hooks
from flake8_keras.engine.values import MISSING, UNKNOWN, BoundMethod, Items, Value
from flake8_keras.keras.image_pipelines import Batches
from flake8_keras.keras.model import DataCall, FitCall, LayerCall, Model, ModelGraph, Tensor
from flake8_keras.records import record

_TARGET_METHODS = frozenset({"fit", "evaluate", "train_on_batch", "test_on_batch"})
_PREDICT_METHODS = frozenset({"predict", "predict_on_batch", "__call__"})
_TRAINING_METHODS = _TARGET_METHODS | _PREDICT_METHODS | {"compile", "fit_generator"}


def register(hooks: Hooks, graph: ModelGraph) -> None:
    """The model methods that compile, train, evaluate and predict, recording into ``graph``."""
    training = _Training(graph)
    hooks.method_names(Model, _TRAINING_METHODS - {"__call__"}, training.model_method, reads=True)
    applied = hooks.methods.get((Model, "__call__"))

    def model_call(method: BoundMethod, context: CallContext) -> Value:
        """``model(x)``: the data recorded, the value from the hook registered before."""
        training.model_method(method, context)
        return applied.hook(method, context) if applied is not None else UNKNOWN

    hooks.method_names(Model, ("__call__",), model_call, reads=True)


class _Training:
    def __init__(self, graph: ModelGraph) -> None:
        self.graph = graph

    def model_method(self, method: BoundMethod, context: CallContext) -> Value:
        owner = method.owner
        if not isinstance(owner, Model):
            return UNKNOWN
        call = context.args
        if method.name == "compile":
            context.rebind(method.target, owner.evolve(loss=call.value("loss", 1)))
        elif context.recording:
            name = method.name
            if name == "fit_generator" and isinstance(call.value("x", 0), Batches):
                name = "fit"  # an image pipeline: tf_keras's fit_generator is fit
            handed = self.handed(owner, name, call)
            self.graph.data.extend(handed)
            if name in _TARGET_METHODS:  # the targets of fit, evaluate and *_on_batch
                self.graph.fits.extend(
                    FitCall(owner, d.method, d.y, d.y_node) for d in handed if d.y_node is not None
                )
        return UNKNOWN

    def handed(self, model: Model, method: str, call: CallArgs) -> list[DataCall]:
        """The arrays the call hands the model: x and y as passed (an image pipeline yields
        both), and ``validation_data``'s (a pair, or a pipeline). ``fit_generator``'s generator
        is not followed; its ``validation_data`` may be literal arrays."""
        handed: list[DataCall] = []
        if method in _TARGET_METHODS or method in _PREDICT_METHODS:
            x_key = "inputs" if method == "__call__" else "x"
            x, x_node = call.value(x_key, 0), call.expression(x_key, 0)
            y: Value = MISSING
            y_node: ast.expr | None = None
            if method in _TARGET_METHODS:
                y, y_node = call.value("y", 1), call.expression("y", 1)
            if isinstance(x, Batches) and y is MISSING:  # a pipeline yields x and y
                y = x.labels if method in _TARGET_METHODS else MISSING
                x, y_node = x.images, x_node
            handed.append(DataCall(model, method, x, x_node, y, y_node))
        validation = call.kwarg_nodes.get("validation_data")
        value = call.kwargs.get("validation_data")
        if isinstance(value, Batches) and validation is not None:
            handed.append(
                DataCall(
                    model,
                    f"{method} validation_data",
                    value.images,
                    validation,
                    value.labels,
                    validation,
                )  # fmt: skip
            )
        if isinstance(validation, (ast.Tuple, ast.List)) and len(validation.elts) >= 2:
            parts = value.items if isinstance(value, Items) else (UNKNOWN, UNKNOWN)
            handed.append(
                DataCall(
                    model,
                    f"{method} validation_data",
                    parts[0],
                    validation.elts[0],
                    parts[1],
                    validation.elts[1],
                )
            )
        return handed


@record(frozen=True)
class ModelInput:
    """What a one-input model takes: its declared input, or its first layer when it has none.

    ``tensor`` is the model input (made by ``Input`` or declared by the first layer);
    ``declared`` says whether its shape was written in the code; ``first`` is the first layer
    applied to it (None when several are, or it is not known).
    """

    tensor: Tensor
    declared: bool
    first: LayerCall | None


def model_input(model: Model, budget: int = 2048) -> ModelInput | None:
    """The one input ``model`` is computed from; None for several inputs, an unknown output, or
    a Sequential whose first layers are not all known (a Lambda, a nested model)."""
    output = model.output
    if output is None:
        return None
    chained = _chain_input(output, budget)
    if chained is not None:  # most models: every layer applied to one tensor
        tensor, first, depth = chained
        return _model_input_found(model, tensor, first, depth)
    return _graph_input(model, output, budget)


def _graph_input(model: Model, output: Tensor, budget: int) -> ModelInput | None:
    """``model_input`` by the general walk (layers of several inputs, shared tensors)."""
    roots: dict[int, Tensor] = {}
    consumers: dict[int, list[LayerCall]] = {}
    seen: set[int] = set()
    stack: list[tuple[Tensor, LayerCall | None]] = [(output, None)]
    depth = 0  # layers on the path back to the input (one path: a Sequential chain)
    while stack:
        budget -= 1
        if budget <= 0:
            return None
        tensor, consumer = stack.pop()
        if consumer is not None and consumer not in consumers.setdefault(id(tensor), []):
            consumers[id(tensor)].append(consumer)
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        app = tensor.producer
        if app is None or app.layer.name == "Input":
            roots[id(tensor)] = tensor
            continue
        depth += 1
        stack.extend((t, app) for t in app.inputs)
    if len(roots) != 1:
        return None
    tensor = next(iter(roots.values()))
    users = consumers.get(id(tensor), [])
    return _model_input_found(model, tensor, users[0] if len(users) == 1 else None, depth)


def _chain_input(output: Tensor, budget: int) -> tuple[Tensor, LayerCall | None, int] | None:
    """``model_input``'s walk when every layer on the way back was applied to one tensor:
    the root, the layer applied to it (None: the output is the root) and the layers on the
    way. None when a layer has no input or several (the general walk decides then)."""
    tensor, first, depth = output, None, 0
    while budget > 1:  # the general walk's budget: one step per tensor
        budget -= 1
        app = tensor.producer
        if app is None or app.layer.name == "Input":
            return tensor, first, depth
        if len(app.inputs) != 1:
            return None
        tensor, first, depth = app.inputs[0], app, depth + 1
    return None


def _model_input_found(
    model: Model, tensor: Tensor, first: LayerCall | None, depth: int
) -> ModelInput | None:
    """What ``model_input`` says of its one root ``tensor``, ``first`` applied to it and
    ``depth`` layers on the path back to it."""
    if tensor.producer is not None:
        return ModelInput(tensor, True, first)
    # No declared input: only a Sequential whose every layer is on the path is built from the
    # data by its first layer (otherwise the path starts after a layer not followed).
    if model.kind != "sequential" or depth != model.layer_count or first is None:
        return None
    return ModelInput(tensor, False, first)


def input_of(graph: ModelGraph, model: Model) -> ModelInput | None:
    """``model_input`` once per model of a finished graph: the rules ask for each data call,
    and a model is usually fitted, evaluated and asked to predict."""
    known: dict[int, tuple[Model, ModelInput | None]] = graph.derived("model_inputs", _no_inputs)
    found = known.get(id(model))
    if found is None:
        found = known[id(model)] = (model, model_input(model))  # the model kept: its id stays
    return found[1]


def _no_inputs(graph: ModelGraph) -> dict[int, tuple[Model, ModelInput | None]]:
    return {}
