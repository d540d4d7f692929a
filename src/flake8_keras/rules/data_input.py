"""What KRS301-KRS303 share: the arrays handed to a model against the input it takes.

Keras meets data and a declared input as measured in DESIGN §1b (Keras 3.15 and tf_keras 2.21
agree): a missing trailing axis of size 1 is added, an extra trailing axis of size 1 is
squeezed; any other difference of rank, or of the last axis, raises.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from math import prod

from flake8_keras.keras.datasets import TokenSequences
from flake8_keras.keras.layers import apply
from flake8_keras.keras.model import ArrayShape, DataCall, ModelGraph, Shape, Tensor, chain
from flake8_keras.keras.training import ModelInput, input_of
from flake8_keras.records import record

# What a claim says Keras does with the data (the verifier checks exactly that).
RAISES = "raises"
SILENT_BATCH = "silently reads the first axis as the batch"
PREDICT_METHODS = frozenset({"predict", "predict_on_batch", "__call__"})
_MAX_TEXT = 24  # characters of an expression a headline quotes


@record(frozen=True)
class Fed:
    """A data call whose x has a known shape, on a model with one known input."""

    call: DataCall
    data: Shape
    x_node: ast.expr
    model_input: ModelInput


def fed(graph: ModelGraph) -> list[Fed]:
    """The data calls with a known x on a model with one known input (once per graph)."""
    return graph.derived("fed", lambda g: list(_fed(g)))


def _fed(graph: ModelGraph) -> Iterator[Fed]:
    for call in graph.data:
        x = call.x
        if not isinstance(x, Tensor) or isinstance(x, TokenSequences) or x.shape is None:
            continue
        if x.shape.rank == 0 or 0 in x.shape.dims or call.x_node is None:
            continue
        taken = input_of(graph, call.model)
        if taken is not None:
            yield Fed(call, x.shape, call.x_node, taken)


def declared_shape(fed: Fed) -> Shape | None:
    """The model's declared input shape (None: declared but not known, or not declared)."""
    return fed.model_input.tensor.shape if fed.model_input.declared else None


def one_sample(fed: Fed) -> bool:
    """An inference call on exactly one sample's shape: the batch axis is missing."""
    declared = declared_shape(fed)
    if fed.call.method not in PREDICT_METHODS or declared is None:
        return False
    sample = declared.dims[1:]
    return bool(sample) and None not in sample and fed.data.dims == sample


def from_array_shape(taken: ModelInput) -> tuple[ast.expr, str] | None:
    """``shape=X.shape`` / ``input_shape=X.shape`` that declared the input: (argument, ``X``)."""
    producer = taken.tensor.producer
    if producer is None or not taken.declared:
        return None
    first = taken.first
    if first is not None and first.layer.node is producer.node:
        # declared by the first layer of a Sequential
        value = first.layer.kwargs.get("input_shape")
        node = first.layer.call.kwarg_nodes.get("input_shape")
    else:
        value = producer.layer.call.value("shape", 0)
        node = _argument_node(producer.node, "shape", 0)
    if not isinstance(value, ArrayShape) or node is None:
        return None
    array = node.value if isinstance(node, ast.Attribute) and node.attr == "shape" else node
    return node, text(array)


def _argument_node(call: ast.AST, key: str, pos: int) -> ast.expr | None:
    if not isinstance(call, ast.Call):
        return None
    for keyword in call.keywords:
        if keyword.arg == key:
            return keyword.value
    if pos < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: pos + 1]):
        return call.args[pos]
    return None


def mismatch(data: Shape, declared: Shape) -> str | None:
    """Why Keras refuses ``data`` for a model declared with ``declared`` (None: it accepts it,
    or that is not certain)."""
    have, want = data.rank, declared.rank
    if have == want:
        a, b = data.dims[-1], declared.dims[-1]
        if have >= 2 and a is not None and b is not None and a != b:
            return f"last axis {a} vs {b}"
        return None
    if None in declared.dims[1:]:
        return None  # a variable axis: tf_keras may call the layers on other ranks (measured)
    if have == want - 1 and declared.dims[-1] in (1, None):
        return None  # Keras adds a trailing 1 (None: not measured)
    if have == want + 1 and data.dims[-1] in (1, None):
        return None  # Keras squeezes a trailing 1
    return f"rank {have} vs {want}"


def flattened_size(fed: Fed, declared: Shape) -> str | None:
    """Images of another height or width than the declared input, for a chain of layers that
    flattens them into a ``Dense``: the Dense was built for the declared size, and Keras 3 and
    tf_keras raise (measured; a global pooling head trains on any size, in Keras 3 at least).
    None when the sizes agree, or when any layer on the way is not followed."""
    data = fed.data
    if data.rank < 4 or data.rank != declared.rank or data.dims[-1] != declared.dims[-1]:
        return None
    if None in data.dims[1:] or None in declared.dims[1:] or data.dims[1:] == declared.dims[1:]:
        return None
    output = fed.call.model.output
    tensors = chain(output) if output is not None else []
    if not tensors or tensors[0] is not fed.model_input.tensor:
        return None
    chain_apps = [t.producer for t in tensors[1:] if t.producer is not None]
    if any(len(app.inputs) != 1 for app in chain_apps):
        return None  # a merge on the way: its other inputs are not followed
    shape: Shape | None = Shape((None,) + data.dims[1:])
    for app, following in zip(chain_apps, chain_apps[1:], strict=False):
        result = apply(app.layer, [shape])
        shape = result.shape
        if shape is None or result.rejected or result.would_reject:
            return None
        if app.layer.name == "Flatten" and following.layer.name == "Dense":
            built = app.output.shape if app.output is not None else None
            have, want = shape.dims[-1], built.dims[-1] if built is not None else None
            if have is None or want is None or have == want:
                return None
            return "Flatten into Dense fixes the size"
    return None


def fix_for(data: Shape, declared: Shape, x: str) -> str:
    """Reshape when the sample sizes agree; add a channel axis when only that is missing."""
    sample, wanted = data.dims[1:], declared.dims[1:]
    if None not in sample and None not in wanted and prod(sample) == prod(wanted):  # type: ignore[arg-type]
        return f"{x}.reshape(-1, {', '.join(map(str, wanted))})"
    if None not in data.dims and None not in wanted and prod(data.dims) == prod(wanted):  # type: ignore[arg-type]
        return f"{x}.reshape(1, {', '.join(map(str, wanted))})"  # one sample, unflattened
    if sample == wanted[:-1]:
        return f"{x}[..., None], input {Shape((*sample, 1))}"
    if len(sample) == len(wanted):
        return f"input shape {Shape(sample)}"
    return f"data of sample shape {Shape(wanted)}"


def text(node: ast.expr) -> str:
    try:
        source = ast.unparse(node)
    except Exception:  # odd nodes must never break a lint run
        return "x"
    return source if len(source) <= _MAX_TEXT else source[: _MAX_TEXT - 3] + "..."


def operand(node: ast.expr) -> str:
    """The expression as the base of ``[...]`` or ``.reshape``: parenthesised unless atomic."""
    atomic = isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.Call))
    return text(node) if atomic else f"({text(node)})"


def shape_text(shape: Shape) -> str:
    """``(n, 28, 28)``: an unknown sample count is ``n``."""
    dims = ["n" if shape.dims[0] is None else str(shape.dims[0])]
    dims += ["None" if d is None else str(d) for d in shape.dims[1:]]
    return f"({dims[0]},)" if len(dims) == 1 else f"({', '.join(dims)})"
