"""KRS101 redundant-time-distributed."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import partial

from flake8_keras.keras.layers import dense_params
from flake8_keras.keras.model import Layer, ModelGraph, Tensor
from flake8_keras.rules.base import Applicability, Diagnostic, Fix, Rule, UnwrapCall
from flake8_keras.rules.cases import Invalid, Valid
from flake8_keras.rules.describe import (
    describe,
    describe_wrapped,
    leading_axis,
    origin,
)

# Dense arguments that Keras 3 ignores inside TimeDistributed (it calls the inner call() directly).
BEHAVIOUR_CHANGING_ARGS = ("activity_regularizer", "dtype")
# Dense(units, activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
# bias_regularizer, activity_regularizer, ...) in Keras 2 and 3; dtype is keyword-only.
ACTIVITY_REGULARIZER_POSITION = 7


class RedundantTimeDistributed(Rule):
    """
    ## What it does
    Finds `TimeDistributed(Dense(...))` (the Dense written inline or bound to a name) whose input
    is known to be a sequence already (rank >= 3).

    ## Why is this bad?
    `Dense` acts on the last axis of any input of rank >= 3: on a sequence,
    `TimeDistributed(Dense(n))` and `Dense(n)` have the same parameters, weight order, outputs,
    mask and loss. In Keras 3 the wrapper runs the Dense once per timestep, so the traced graph
    grows with the number of timesteps (523 vs 13 ops at T=64), tracing is 2-5x slower and a
    training step 1.3-1.9x slower on CPU. In tf_keras (Keras 2) it is only redundant.

    ## Example

    ## Use instead

    ## Notes
    - Unwrapping changes weight paths (`time_distributed/dense/kernel` -> `dense/kernel`):
      `load_weights` of a checkpoint saved with the wrapper fails, and `skip_mismatch=True`
      silently leaves the head random. Migrate with
      `new_model.set_weights(old_model.get_weights())`.
    - Not reported in Keras 1 code, where `Dense` refused rank-3 input and the wrapper was
      needed: files that use `nb_epoch=` in `fit`, `output_dim=`/`init=` on Dense or a recurrent
      layer, the lowercase `merge(..., mode=...)`, or `Model(input=..., output=...)`
      (`Embedding(output_dim=...)` is valid Keras 2/3 and no such sign).

    ## Fix safety
    The fix replaces the wrapper by its Dense (and drops the `TimeDistributed` import when
    nothing else uses it). It is unsafe when the inner Dense sets `activity_regularizer` or
    `dtype`, or may set them through `*args`/`**kwargs`: Keras 3 ignores both inside
    `TimeDistributed`, so unwrapping makes the regulariser or the dtype take effect. The message
    says so, and `flake8-keras fix` applies it only with `--unsafe-fixes`.
    """

    code = "KRS101"
    name = "redundant-time-distributed"
    summary = "TimeDistributed(Dense) on an input that is already a sequence"
    reported_at = "the `TimeDistributed(` call"
    triggers = ("TimeDistributed",)
    message = "{short_wrapper} is redundant: its input {shape} {short_what} ({short_fix})"
    explanation = (
        "{wrapper} is redundant: its input {shape}{origin} {what}, and Dense applies {weights} "
        "{where}; Keras 3 runs the wrapper {loop}, which is slower{behaviour_change} "
        "(fix: {inner})"
    )
    fixable = True

    INVALID = (
        Invalid(
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(64, 15))
            x = layers.GRU(16, return_sequences=True)(inputs)
            out = layers.TimeDistributed(layers.Dense(15))(x)  # KRS101: 7
            """,
            fixed="""
            import keras
            from keras import layers

            inputs = keras.Input(shape=(64, 15))
            x = layers.GRU(16, return_sequences=True)(inputs)
            out = layers.Dense(15)(x)
            """,
        ),
        Invalid(
            """
            from keras.layers import LSTM, Dense, TimeDistributed
            from keras.models import Sequential

            model = Sequential()
            model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))
            model.add(TimeDistributed(Dense(1)))  # KRS101: 11
            """,
            fixed="""
            from keras.layers import LSTM, Dense
            from keras.models import Sequential

            model = Sequential()
            model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))
            model.add(Dense(1))
            """,
        ),
        Invalid(
            # a Dense bound to a name; an Embedding's output is a sequence too
            """
            from tensorflow.keras import layers as L

            tokens = L.Input(shape=(20,))
            head = L.Dense(7)
            e = L.Embedding(500, 12, mask_zero=True)(tokens)
            tagged = L.TimeDistributed(head)(e)  # KRS101: 10
            """,
            fixed="""
            from tensorflow.keras import layers as L

            tokens = L.Input(shape=(20,))
            head = L.Dense(7)
            e = L.Embedding(500, 12, mask_zero=True)(tokens)
            tagged = head(e)
            """,
        ),
        Invalid(
            # Keras 3 drops the regulariser inside the wrapper: unwrapping is an unsafe fix
            """
            import keras
            from keras import layers

            inputs = keras.Input(shape=(None, 8))
            dense = layers.Dense(5, activity_regularizer="l2")
            out = layers.TimeDistributed(dense)(inputs)  # KRS101: 7
            """,
            fixed="""
            import keras
            from keras import layers

            inputs = keras.Input(shape=(None, 8))
            dense = layers.Dense(5, activity_regularizer="l2")
            out = layers.TimeDistributed(dense)(inputs)
            """,
            unsafe_fixed="""
            import keras
            from keras import layers

            inputs = keras.Input(shape=(None, 8))
            dense = layers.Dense(5, activity_regularizer="l2")
            out = dense(inputs)
            """,
        ),
    )
    VALID = (
        Valid(
            # a convolution per frame: Conv2D does not act on the last axis alone
            """
            import keras
            from keras import layers

            frames = keras.Input(shape=(10, 32, 32, 3))
            per_frame = layers.TimeDistributed(layers.Conv2D(8, 3))(frames)
            """
        ),
        Valid(
            # Keras 1: Dense refused rank-3 input, so the wrapper was needed
            """
            from keras.layers import LSTM, Dense, TimeDistributed
            from keras.models import Sequential

            model = Sequential()
            model.add(LSTM(32, return_sequences=True, input_shape=(10, 8)))
            model.add(TimeDistributed(Dense(output_dim=1)))
            """
        ),
        Valid(
            # the input's rank is unknown: a parameter
            """
            from keras import layers

            def head(x):
                return layers.TimeDistributed(layers.Dense(1))(x)
            """
        ),
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        if graph.keras1:
            return  # Keras 1's Dense refused rank-3 input: the wrapper was needed there
        for app in graph.apps_of(("TimeDistributed",)):
            inner = app.layer.inner()
            if inner is None or inner.name != "Dense" or not app.inputs:
                continue
            call = app.node  # an explicit mask: the wrapper checks its shape, Dense does not
            if isinstance(call, ast.Call) and (len(call.args) > 2 or _masked(call.keywords)):
                continue
            source = app.inputs[0]
            if source.shape is None or source.shape.rank < 3:
                continue
            keywords = inner.kwargs
            ignored = tuple(a for a in BEHAVIOUR_CHANGING_ARGS if a in keywords) if keywords else ()
            short_what = leading_axis(source)[3]
            unsafe = unsafe_fix_reasons(inner)
            node = app.layer.node
            short_wrapper, unwrapped, short_inner = describe_wrapped(app.layer, inner)
            if ignored:
                short_fix = f"unsafe fix: it enables {' and '.join(ignored)}"
            else:
                short_fix = f"{'fix, maybe unsafe' if unsafe else 'fix'}: {short_inner}"
            yield self.report(
                node,
                {
                    "short_wrapper": short_wrapper,
                    "short_what": short_what,
                    "short_fix": short_fix,
                    "shape": source.shape,
                    "ignored": ignored,
                    "inner": unwrapped,
                    # what the fix changes, one item each (an argument name or a sentence):
                    # the fixer's notes and the verifier's claimed differences
                    "unsafe": unsafe,
                },
                app=app,
                related=_related_producer(source),
                fix=Fix(
                    f"Remove the redundant TimeDistributed around {unwrapped}",
                    UnwrapCall(node),
                    Applicability.UNSAFE if unsafe else Applicability.SAFE,
                    "; ".join(unsafe),
                ),
                details=partial(_explained, app.layer, inner, source, ignored),
            )


def _explained(
    wrapper: Layer, inner: Layer, source: Tensor, ignored: tuple[str, ...]
) -> dict[str, object]:
    """The explanation's arguments, made when it is read."""
    assert source.shape is not None  # checked before reporting
    params = dense_params(inner, source.shape.dims[-1])
    what, where, loop, _ = leading_axis(source)
    return {
        "wrapper": describe(wrapper),
        "origin": origin(source),
        "what": what,
        "weights": f"the same {params} parameters" if params is not None else "the same weights",
        "params": params,
        "where": where,
        "loop": loop,
        "behaviour_change": (
            "; unwrapping changes behaviour: Keras 3 ignores the inner Dense's "
            f"{' and '.join(ignored)} inside TimeDistributed"
            if ignored
            else ""
        ),
    }


def _masked(keywords: list[ast.keyword]) -> bool:
    """A ``mask=`` (or a ``**`` that may hold one) among the wrapper call's keywords."""
    for keyword in keywords:  # noqa: SIM110  (a loop: most calls pass no keyword at all)
        if keyword.arg is None or keyword.arg == "mask":
            return True
    return False


def _related_producer(source: Tensor) -> tuple[tuple[str, ast.AST], ...]:
    """Where the input's sequence comes from: the layer that produced it."""
    producer = source.producer
    if producer is None:
        return ()
    return ((f"{producer.layer.name} produces the sequence here", producer.layer.node),)


def unsafe_fix_reasons(inner: Layer) -> tuple[str, ...]:
    """Why unwrapping ``inner`` may change behaviour: each argument of
    ``BEHAVIOUR_CHANGING_ARGS`` it certainly sets, then one sentence per ``*``/``**`` argument
    that may set one ("`**HEAD_KW` may set activity_regularizer or dtype").

    The analysis keeps no dict values, so a ``**`` is known only when it is a dict literal with
    constant string keys; a ``*`` only when it is a tuple or list literal without starred items.
    """
    if _plainly_safe(inner.node):
        return ()
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


def _plainly_safe(call: ast.Call) -> bool:
    """No argument that may set one of ``BEHAVIOUR_CHANGING_ARGS``: few positional arguments,
    no ``*`` or ``**``, none of them by keyword (most layers: the rest of the test is skipped)."""
    if len(call.args) > ACTIVITY_REGULARIZER_POSITION:
        return False
    for arg in call.args:
        if isinstance(arg, ast.Starred):
            return False
    for keyword in call.keywords:
        if keyword.arg is None or keyword.arg in BEHAVIOUR_CHANGING_ARGS:
            return False
    return True


def _literal_keys(node: ast.expr) -> list[str] | None:
    """The keys of a dict literal whose keys are all constant strings, else None."""
    if not isinstance(node, ast.Dict):
        return None
    keys = [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    return keys if len(keys) == len(node.keys) else None


def _short(node: ast.expr) -> str:
    code = ast.unparse(node)
    return code if len(code) <= 30 else code[:27] + "..."
