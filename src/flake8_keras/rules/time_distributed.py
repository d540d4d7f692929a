"""KRS101 redundant-time-distributed and KRS102 time-distributed-needs-sequence."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_keras.keras.layers import dense_params
from flake8_keras.keras.model import Layer, LayerCall, ModelGraph
from flake8_keras.rules.base import Applicability, Diagnostic, Fix, Rule, UnwrapCall
from flake8_keras.rules.describe import (
    describe,
    leading_axis,
    origin,
    starved_of_time_axis,
)

# Dense arguments that Keras 3 ignores inside TimeDistributed (it calls the inner call() directly).
BEHAVIOUR_CHANGING_ARGS = ("activity_regularizer", "dtype")
# Dense(units, activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
# bias_regularizer, activity_regularizer, ...) in Keras 2 and 3; dtype is keyword-only.
ACTIVITY_REGULARIZER_POSITION = 7


class RedundantTimeDistributed(Rule):
    code = "KRS101"
    name = "redundant-time-distributed"
    summary = "TimeDistributed(Dense) on an input that is already a sequence"

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        if graph.keras1:
            return  # Keras 1's Dense refused rank-3 input: the wrapper was needed there
        for app in graph.apps:
            inner = app.layer.inner() if app.layer.name == "TimeDistributed" else None
            if inner is None or inner.name != "Dense" or not app.inputs:
                continue
            source = app.inputs[0]
            if source.shape is None or source.shape.rank < 3:
                continue
            params = dense_params(inner, source.shape.dims[-1])
            weights = f"the same {params} parameters" if params is not None else "the same weights"
            unsafe = tuple(a for a in BEHAVIOUR_CHANGING_ARGS if a in inner.kwargs)
            what, where, loop = leading_axis(source)
            message = (
                f"{self.code} {describe(app.layer)} is redundant: its input {source.shape}"
                f"{origin(source)} {what}, and Dense applies {weights} {where}; Keras 3 runs "
                f"the wrapper {loop}, which is slower"
            )
            if unsafe:
                message += (
                    f"; unwrapping changes behaviour: Keras 3 ignores the inner Dense's "
                    f"{' and '.join(unsafe)} inside TimeDistributed"
                )
            unsafe = unsafe_fix_reasons(inner)
            node = app.layer.node
            fix = Fix(
                f"Replace {describe(app.layer)} by {describe(inner)}",
                UnwrapCall(node),
                Applicability.UNSAFE if unsafe else Applicability.SAFE,
                "; ".join(unsafe),
            )
            yield Diagnostic(
                self.code,
                node,
                f"{message} (fix: {describe(inner)})",
                app=app,
                unsafe_fix=unsafe,
                args={
                    "wrapper": describe(app.layer),
                    "shape": source.shape,
                    "inner": describe(inner),
                },
                fix=fix,
            )


def unsafe_fix_reasons(inner: Layer) -> tuple[str, ...]:
    """Why unwrapping ``inner`` may change behaviour: each argument of
    ``BEHAVIOUR_CHANGING_ARGS`` it certainly sets, then one sentence per ``*``/``**`` argument
    that may set one ("`**HEAD_KW` may set activity_regularizer or dtype").

    The analysis keeps no dict values, so a ``**`` is known only when it is a dict literal with
    constant string keys; a ``*`` only when it is a tuple or list literal without starred items.
    """
    named = {a for a in BEHAVIOUR_CHANGING_ARGS if a in inner.kwargs}
    possible: list[str] = []
    positions = 0  # positional arguments known so far
    for arg in inner.node.args:
        if not isinstance(arg, ast.Starred):
            positions += 1
            continue
        items = arg.value.elts if isinstance(arg.value, (ast.Tuple, ast.List)) else None
        if items is not None and not any(isinstance(i, ast.Starred) for i in items):
            positions += len(items)
            continue
        if positions <= ACTIVITY_REGULARIZER_POSITION and "activity_regularizer" not in named:
            possible.append(f"`*{_short(arg.value)}` may set activity_regularizer")
        positions = -1  # later positions are unknown
        break
    if positions > ACTIVITY_REGULARIZER_POSITION:
        named.add("activity_regularizer")
    for keyword in inner.node.keywords:
        if keyword.arg is not None:
            continue
        keys = _literal_keys(keyword.value)
        if keys is not None:
            named.update(k for k in keys if k in BEHAVIOUR_CHANGING_ARGS)
            continue
        unset = [a for a in BEHAVIOUR_CHANGING_ARGS if a not in inner.kwargs]
        if unset:
            possible.append(f"`**{_short(keyword.value)}` may set {' or '.join(unset)}")
    return tuple(a for a in BEHAVIOUR_CHANGING_ARGS if a in named) + tuple(possible)


def _literal_keys(node: ast.expr) -> list[str] | None:
    """The keys of a dict literal whose keys are all constant strings, else None."""
    if not isinstance(node, ast.Dict):
        return None
    keys = [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    return keys if len(keys) == len(node.keys) else None


def _short(node: ast.expr) -> str:
    code = ast.unparse(node)
    return code if len(code) <= 30 else code[:27] + "..."


class TimeDistributedNeedsSequence(Rule):
    code = "KRS102"
    name = "time-distributed-needs-sequence"
    summary = "TimeDistributed on an input without a time axis"

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        for app, source, cause, fix in starved_of_time_axis(graph.apps, _wrapper_rank):
            yield Diagnostic(
                self.code,
                app.layer.node,
                f"{self.code} {describe(app.layer)} needs a sequence input "
                f"(batch, timesteps, ...), but its input {source.shape} has no time axis: "
                f"{cause}, so the model fails when built (fix: {fix})",
                app=app,
            )


def _wrapper_rank(app: LayerCall) -> int | None:
    """TimeDistributed needs (batch, timesteps, ...): at least 3 axes."""
    return 3 if app.layer.name == "TimeDistributed" else None
