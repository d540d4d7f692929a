"""The checks: each rebuilds one kind of claim in Keras and measures it.

``CHECKS`` maps every rule code to its check, ``NOT_VERIFIABLE`` the others to why they have
none; a test keeps the two covering ``flake8_keras.rules.RULES``. A check reads the claim from
the diagnostic's structured fields (``app``, ``fit``, ``args``), never from its message.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from flake8_keras.analysis import INTERNAL_ERROR
from flake8_keras.fix.safety import changed_arguments
from flake8_keras.keras.model import Layer, Shape, Tensor
from flake8_keras.rules.base import Diagnostic
from flake8_keras.rules.describe import describe, line_of
from flake8_keras.rules.fit_targets import (
    KNOWN_LOSSES,
    MAY_BROADCAST,
    RAISES,
    RAISES_MOST,
    RAISES_UNLESS_ONE,
    SILENT,
    claimed_behaviour,
    loss_name,
)
from flake8_keras.verify.checks_data import check_data
from flake8_keras.verify.checks_layers import LAYER_CHECKS
from flake8_keras.verify.checks_targets import (
    check_labels_out_of_range,
    check_softmax_over_one_unit,
    check_target_encoding,
)
from flake8_keras.verify.limits import (
    MAX_DIM,
    MAX_VALUES,
    STAND_IN_DIM,
    TooLarge,
    kr101_stand_in,
    stand_in_sizes,
    values,
)
from flake8_keras.verify.rebuild import (
    SYNTHETIC_BATCH,
    SYNTHETIC_STEPS,
    Builder,
    NotRebuildable,
    short,
    synthetic_dims,
)
from flake8_keras.verify.runtime import Runtime
from flake8_keras.verify.verdict import (
    CONFIRMED,
    CONFIRMED_WITH_DIFFERENCES,
    INCONCLUSIVE,
    REFUTED,
    Verdict,
)

# Float noise allowed between the wrapped and the unwrapped head (relative to the magnitude).
TOLERANCE = 1e-5
# Errors that say a layer refuses an input for its rank.
_RANK_ERROR = re.compile(r"ndim|at least \d+ dimensions|rank", re.IGNORECASE)
# Neutral values for arguments a claim does not depend on.
_NEUTRAL_UNITS = {"units": 8, "filters": 8}


def verify(diagnostic: Diagnostic, runtime: Runtime) -> Verdict:
    """Rebuild one claim; never raises for anything the claim's content can cause."""
    check = CHECKS.get(diagnostic.code)
    if check is None:
        why = NOT_VERIFIABLE.get(diagnostic.code)
        return Verdict(
            INCONCLUSIVE,
            f"the verifier has no check for {diagnostic.code}" + (f": {why}" if why else ""),
        )
    try:
        return check(diagnostic, runtime)
    except NotRebuildable as reason:
        return Verdict(INCONCLUSIVE, f"not rebuildable from literals: {reason}")
    except TooLarge as reason:
        return Verdict(INCONCLUSIVE, f"too large to rebuild: {reason}")
    except MemoryError:
        return Verdict(INCONCLUSIVE, "too large to rebuild: the claim ran out of its memory limit")
    except Exception as error:  # one odd claim must not end the run; never a confirmation
        if "ResourceExhausted" in type(error).__name__:  # TensorFlow's out-of-memory
            return Verdict(
                INCONCLUSIVE, "too large to rebuild: the claim ran out of its memory limit"
            )
        return Verdict(INCONCLUSIVE, f"verifier error: {type(error).__name__}: {short(error)}")


# ---------------------------------------------------------------------- KRS101


def check_redundant_wrapper(d: Diagnostic, rt: Runtime) -> Verdict:
    app = d.app
    inner = app.layer.inner() if app is not None else None
    if app is None or inner is None or not app.inputs or app.inputs[0].shape is None:
        return Verdict(INCONCLUSIVE, "the claim names no wrapped layer with a known input shape")
    source = app.inputs[0]
    assert source.shape is not None
    neutral: dict[str, object] = dict(_NEUTRAL_UNITS)
    # The claimed differences do not depend on which regularizer or dtype: neutral stand-ins.
    neutral.update({"activity_regularizer": "l2", "dtype": "float32"})
    full = synthetic_dims(source.shape.dims)
    dims = kr101_stand_in(full)
    units = inner.const("units", 0)
    overrides = {"units": STAND_IN_DIM} if isinstance(units, int) and units > MAX_DIM else {}
    builder = Builder(rt, neutral, overrides=overrides)
    np = _numpy()
    x = np.random.default_rng(0).standard_normal(dims).astype("float32")
    if source.masked:
        x[0, dims[1] // 2 :] = 0.0  # padding: the mask hides the second half of sample 0
    keras = rt.keras
    wrapped = keras.layers.TimeDistributed(builder.layer(inner, fresh=True))
    plain = builder.layer(inner, fresh=True)
    masking = keras.layers.Masking(0.0) if source.masked else None
    feed = masking(x) if masking is not None else x
    try:
        out_w = wrapped(feed)
    except Exception as error:
        return Verdict(REFUTED, f"TimeDistributed refuses the input {dims}: {short(error)}")
    try:
        out_p = plain(feed)
    except Exception as error:
        return Verdict(
            REFUTED,
            f"{inner.name} alone refuses the input {dims} that TimeDistributed accepts: "
            f"{short(error)}",
        )
    measured: dict[str, object] = {"input_shape": list(dims)}
    params_w, params_p = wrapped.count_params(), plain.count_params()
    measured.update(params_wrapped=params_w, params_unwrapped=params_p)
    shape_w, shape_p = tuple(out_w.shape), tuple(out_p.shape)
    measured.update(output_shape_wrapped=list(shape_w), output_shape_unwrapped=list(shape_p))
    stand_in = []
    if dims != full:
        stand_in.append(f"input {dims} for {full}")
    if overrides:
        stand_in.append(f"Dense units {STAND_IN_DIM} for {units}")
    if stand_in:
        measured["full_input_shape"] = list(full)
    facts = [
        f"input {dims}",
        f"params {params_w} {'=' if params_w == params_p else '!='} {params_p}",
    ]
    if stand_in:
        facts.insert(
            0, f"measured at a stand-in ({', '.join(stand_in)}): the equivalence holds at any size"
        )
    problems: list[str] = []
    if params_w != params_p:
        problems.append(f"parameter counts differ ({params_w} vs {params_p})")
    if shape_w != shape_p:
        problems.append(f"output shapes differ ({shape_w} vs {shape_p})")
        return _refuted_101(problems, facts, measured)
    facts.append(f"output {shape_w}")
    try:
        plain.set_weights(wrapped.get_weights())
    except Exception as error:
        problems.append(f"weights do not transfer: {short(error)}")
        return _refuted_101(problems, facts, measured)
    out_w, out_p = wrapped(feed), plain(feed)
    # Read the activity losses of this eager call before tracing adds symbolic ones.
    differences, same, numbers = _differences(rt, inner, builder, wrapped, plain, dims)
    diff = float(np.max(np.abs(_np(out_w) - _np(out_p))))
    scale = max(1.0, float(np.max(np.abs(_np(out_w)))))
    measured["max_abs_diff"] = diff
    facts.append(f"max |diff| {diff:.3g}")
    if diff > TOLERANCE * scale:
        problems.append(f"outputs differ (max |diff| {diff:.3g})")
    if source.masked:
        mask_w, mask_p = _mask(out_w), _mask(out_p)
        same_mask = (
            mask_w is not None and mask_p is not None and bool(np.array_equal(mask_w, mask_p))
        )
        measured["masks_equal"] = same_mask
        facts.append("masks equal" if same_mask else "masks differ")
        if not same_mask:
            problems.append(
                f"propagated masks differ ({_mask_text(mask_w)} vs {_mask_text(mask_p)})"
            )
    grad = _gradient_diff(rt, wrapped, plain, feed, _dense_gradient_bound(x, _np(out_w)))
    if grad is not None:
        measured["max_rel_grad_diff"] = grad
        facts.append(f"gradients max rel diff {grad:.2g}")
        if grad > 1e-4:
            problems.append(f"gradients differ (max relative diff {grad:.2g})")
    cost = _cost(rt, wrapped, plain, dims)
    if cost:
        measured.update(cost[1])
        facts.append(cost[0])
    if not rt.keras3:  # every KRS101 message names Keras 3's per-timestep loop
        if "traced_ops_wrapped" in measured and _grows_with_steps(measured, dims):
            facts.append(f"{rt.module} also traces the inner layer once per timestep")
        elif "traced_ops_wrapped" in measured:
            facts.append(
                f"{rt.module} does not trace the inner layer per timestep: the per-timestep "
                "cost the message names is Keras 3's, not measured here"
            )
    if problems:
        return _refuted_101(problems, facts, measured)
    measured["differences"] = dict(differences)
    measured.update(numbers)
    claimed = changed_arguments(d)
    found = set(differences)
    # The linter names what Keras 3 does. Under Keras 2 a named argument may behave the same
    # wrapped or not: that is no lie about Keras 3, so it is reported, not refuted.
    keras3_only = {k for k in claimed - found if not rt.keras3 and k in inner.kwargs}
    facts += [
        f"{same[k]} with {rt.module} {rt.version}: the {k} difference the message names is "
        "Keras 3's, not measured here"
        for k in sorted(keras3_only)
    ]
    facts += builder.notes
    if claimed - found - keras3_only:
        missing = ", ".join(sorted(claimed - found - keras3_only))
        return Verdict(
            REFUTED, f"no difference measured for {missing}; " + "; ".join(facts), measured
        )
    if found - claimed:
        text = "; ".join(differences[k] for k in sorted(found - claimed))
        return Verdict(
            REFUTED,
            f"unwrapping changes behaviour the claim does not name: {text}; " + "; ".join(facts),
            measured,
        )
    if found:
        text = "; ".join(differences[k] for k in sorted(found))
        return Verdict(
            CONFIRMED_WITH_DIFFERENCES,
            f"{text}; otherwise equivalent: " + "; ".join(facts),
            measured,
        )
    return Verdict(CONFIRMED, "equivalent: " + "; ".join(facts), measured)


def _grows_with_steps(measured: dict[str, object], dims: tuple[int, ...]) -> bool:
    """Whether the wrapped head's traced ops exceed the plain one's by one op per timestep."""
    wrapped, plain = measured["traced_ops_wrapped"], measured["traced_ops_unwrapped"]
    return isinstance(wrapped, int) and isinstance(plain, int) and wrapped - plain >= dims[1]


def _refuted_101(problems: list[str], facts: list[str], measured: dict[str, object]) -> Verdict:
    return Verdict(REFUTED, "not equivalent: " + "; ".join(problems + facts), measured)


def _differences(
    rt: Runtime,
    inner: Layer,
    builder: Builder,
    wrapped: Any,
    plain: Any,
    dims: tuple[int, ...],
) -> tuple[dict[str, str], dict[str, str], dict[str, object]]:
    """What differs between the heads (activity regularization, dtype under mixed precision):
    (differences found, what was measured where none was found, raw numbers)."""
    found: dict[str, str] = {}
    same: dict[str, str] = {}
    numbers: dict[str, object] = {}
    if "activity_regularizer" in inner.kwargs:
        loss_w = sum(float(_np(v)) for v in wrapped.losses)
        loss_p = sum(float(_np(v)) for v in plain.losses)
        numbers.update(activity_loss_wrapped=loss_w, activity_loss_unwrapped=loss_p)
        text = f"activity_regularizer loss {loss_w:.4g} wrapped vs {loss_p:.4g} unwrapped"
        if abs(loss_w - loss_p) > TOLERANCE * max(1.0, abs(loss_p)):
            steps = dims[1]
            if loss_p and abs(loss_w * steps / loss_p - 1.0) < 1e-3:
                text += f" (1/{steps}: the wrapped loss is divided by the {steps} timesteps)"
            found["activity_regularizer"] = text
        else:
            same["activity_regularizer"] = text
    if "dtype" in inner.kwargs:
        mp = rt.keras.mixed_precision
        before = mp.global_policy()
        try:
            mp.set_global_policy("mixed_float16")
            fresh = Builder(rt, builder.neutral)
            head_w = rt.keras.layers.TimeDistributed(fresh.layer(inner, fresh=True))
            head_p = fresh.layer(inner, fresh=True)
            x = _numpy().zeros(dims, "float32")
            dtype_w, dtype_p = _dtype(head_w(x)), _dtype(head_p(x))
        finally:
            mp.set_global_policy(before)
        numbers.update(dtype_wrapped=dtype_w, dtype_unwrapped=dtype_p)
        if dtype_w != dtype_p:
            found["dtype"] = (
                f"under mixed_float16 the output is {dtype_w} wrapped vs {dtype_p} unwrapped"
            )
        else:
            same["dtype"] = f"under mixed_float16 the output is {dtype_w} wrapped and unwrapped"
    return found, same, numbers


def _dense_gradient_bound(x: Any, out: Any) -> float:
    """The largest weight gradient of sum(out**2) a Dense head could have if none of its terms
    cancelled: sum over samples of |2 out| |x| (kernel) and of |2 out| (bias). Float noise in
    the sums scales with this, not with the gradient itself, whose terms may cancel (a gradient
    near 0 made the two heads' rounding look like a 0.2% difference)."""
    features = abs(x.reshape(-1, x.shape[-1]))
    outputs = abs(out.reshape(-1, out.shape[-1]))
    if not features.size or not outputs.size or len(features) != len(outputs):
        return 0.0  # not a Dense applied per position (a false claim): per-gradient scale
    kernel = float((features.T @ outputs).max())
    bias = float(outputs.sum(axis=0).max())
    return 2.0 * max(kernel, bias)


def _gradient_diff(
    rt: Runtime, wrapped: Any, plain: Any, feed: Any, bound: float = 0.0
) -> float | None:
    """Worst difference of the heads' weight gradients of sum(output**2), relative to each
    gradient's magnitude or to ``bound`` (``_dense_gradient_bound``), the larger."""
    if rt.tf is not None:
        tf = rt.tf
        with tf.GradientTape(persistent=True) as tape:
            loss_w = tf.reduce_sum(tf.square(wrapped(feed)))
            loss_p = tf.reduce_sum(tf.square(plain(feed)))
        pairs = zip(
            tape.gradient(loss_w, wrapped.trainable_weights),
            tape.gradient(loss_p, plain.trainable_weights),
            strict=True,
        )
    elif rt.backend == "jax":
        pairs = zip(_jax_gradients(wrapped, feed), _jax_gradients(plain, feed), strict=True)
    else:
        return None  # torch and others: outputs and weights are compared, gradients are not
    worst = 0.0
    for a, b in pairs:
        a, b = _np(a), _np(b)
        scale = max(1e-12, float(abs(a).max()), bound)
        worst = max(worst, float(abs(a - b).max()) / scale)
    return worst


def _jax_gradients(layer: Any, feed: Any) -> list[Any]:
    import jax
    import jax.numpy as jnp

    fixed = [v.value for v in layer.non_trainable_variables]

    def loss(trainable: list[Any]) -> Any:
        out, _ = layer.stateless_call(trainable, fixed, feed)
        return jnp.sum(jnp.square(out))

    return list(jax.grad(loss)([v.value for v in layer.trainable_variables]))


def _jaxpr_size(layer: Any, dims: tuple[int, ...]) -> int:
    """Equations of the traced jax program: the analogue of TensorFlow's traced op count."""
    import jax

    trainable = [v.value for v in layer.trainable_variables]
    fixed = [v.value for v in layer.non_trainable_variables]
    program = jax.make_jaxpr(lambda z: layer.stateless_call(trainable, fixed, z)[0])
    return len(program(_numpy().zeros(dims, "float32")).jaxpr.eqns)


def _cost(
    rt: Runtime, wrapped: Any, plain: Any, dims: tuple[int, ...]
) -> tuple[str, dict[str, object]] | None:
    """Traced op counts of the two heads (TensorFlow), else the ratio of their call times."""
    if rt.tf is not None:
        tf = rt.tf
        counts = []
        for head in (wrapped, plain):
            fn = tf.function(lambda z, head=head: head(z))
            graph = fn.get_concrete_function(tf.TensorSpec(dims, tf.float32)).graph
            counts.append(len(graph.get_operations()))
        return (
            f"traced ops {counts[0]} wrapped vs {counts[1]} unwrapped",
            {"traced_ops_wrapped": counts[0], "traced_ops_unwrapped": counts[1]},
        )
    x = _numpy().zeros(dims, "float32")
    times = []
    for head in (wrapped, plain):
        head(x)
        start = time.perf_counter()
        for _ in range(5):
            head(x)
        times.append(time.perf_counter() - start)
    ratio = times[0] / max(times[1], 1e-9)
    text = f"call time ratio wrapped/unwrapped {ratio:.2f}"
    numbers: dict[str, object] = {"call_time_ratio": ratio}
    if rt.backend == "jax":
        sizes = [_jaxpr_size(head, dims) for head in (wrapped, plain)]
        text = f"jaxpr equations {sizes[0]} wrapped vs {sizes[1]} unwrapped; " + text
        numbers.update(jaxpr_eqns_wrapped=sizes[0], jaxpr_eqns_unwrapped=sizes[1])
    return text, numbers


# ---------------------------------------------------------------- KRS102/103


def check_needs_sequence(d: Diagnostic, rt: Runtime) -> Verdict:
    app = d.app
    if app is None or not app.inputs:
        return Verdict(INCONCLUSIVE, "the claim names no layer application")
    builder = Builder(rt, dict(_NEUTRAL_UNITS), synthetic_inputs=True)
    sources = [builder.tensor(t) for t in app.inputs]
    shape = tuple(sources[0].shape)
    layer = builder.layer(app.layer)
    starts = [tuple(k.shape) for _, k in builder.inputs]
    measured: dict[str, object] = {
        "model_input_shapes": [list(s) for s in starts],
        "input_shape": list(shape),
    }
    chain = f"the chain from the model input{'s' if len(starts) > 1 else ''} " + ", ".join(
        _shape(s) for s in starts
    )
    at = f"{describe(app.layer)} on line {line_of(app)}"
    notes = "".join(f"; {n}" for n in builder.notes)
    try:
        out = layer(sources[0] if len(sources) == 1 else sources)
    except Exception as error:
        quote = short(error)
        measured["error"] = quote
        if _RANK_ERROR.search(quote):
            return Verdict(
                CONFIRMED,
                f"{rt.module} refuses {chain} at {at}, which receives {_shape(shape)}: "
                f'"{quote}"{notes}',
                measured,
            )
        return Verdict(
            INCONCLUSIVE,
            f'{rt.module} refuses {chain} at {at} for another reason than rank: "{quote}"{notes}',
            measured,
        )
    measured["output_shape"] = list(out.shape)
    return Verdict(
        REFUTED,
        f"{rt.module} builds {chain} through {at}: it receives {_shape(shape)} "
        f"and outputs {_shape(tuple(out.shape))}{notes}",
        measured,
    )


# ---------------------------------------------------------------- KRS201/202


def check_targets(d: Diagnostic, rt: Runtime, *, per_sample: bool) -> Verdict:
    """KRS201 (``per_sample=False``: per-timestep targets for a last-step output) or KRS202
    (per-sample targets for a sequence output): one training step in Keras."""
    fit = d.fit
    if fit is None or fit.model.output is None or fit.model.output.shape is None:
        return Verdict(INCONCLUSIVE, "the claim names no fit call with a known model output")
    y = getattr(fit.y, "shape", None)
    if not isinstance(y, Shape):
        return Verdict(INCONCLUSIVE, "the targets' shape is not known")
    named = loss_name(fit.model.loss)
    if named is not None and named not in KNOWN_LOSSES:
        # Keras looks a string up among every function of its losses module ("deserialize").
        return Verdict(
            INCONCLUSIVE,
            f"{named!r} is not a loss name the verifier knows: it is not passed to Keras, which "
            "would call whatever function of its losses module has that name",
        )
    claim = claimed_behaviour(named, fit.model.output.shape, y, per_sample)
    resize = _stand_in_sizes(fit.model.output, y)
    builder = Builder(rt, resize=resize)
    output = builder.tensor(fit.model.output)
    out_dims = tuple(output.shape)
    _check_stand_in(resize, fit.model.output.shape, out_dims)
    y_dims = builder.input_dims(y.dims)
    model = builder.model(output)
    loss = named or "mse"
    notes = list(builder.notes)
    if named is None:
        notes.append("the loss is not a literal name: used mse")
    if resize:
        sizes = ", ".join(f"{k} as {v}" for k, v in sorted(resize.items()))
        notes.append(
            f"measured at stand-in sizes ({sizes}) in the model input and targets: the claim "
            "depends on which sizes are equal, not on their values"
        )
    # The number of timesteps, whose batch size lets broadcasting hide the mismatch.
    timesteps = out_dims[1] if per_sample else (y_dims[1] if len(y_dims) > 1 else None)
    steps = {dim for dim in (out_dims[1:2] + tuple(y_dims[1:2])) if dim is not None}
    steps |= {SYNTHETIC_STEPS}
    batch = next(b for b in (SYNTHETIC_BATCH, 6, 7, 9, 11) if b not in steps and b != 1)
    measured: dict[str, object] = {
        "loss": loss,
        "batch_size": batch,
        "output_shape": list(out_dims),
        "claimed": claim,
    }
    if resize:
        measured["stand_in_sizes"] = {str(k): v for k, v in resize.items()}

    def step(size: int, target_dims: tuple[int | None, ...] = y_dims) -> dict[str, object]:
        return _train_step(rt, model, builder, loss, synthetic_dims(target_dims, size), size)

    outcome = step(batch)
    measured.update(outcome)
    tail = "".join(f"; {n}" for n in notes)
    target = _shape(tuple(outcome["target_shape"]))  # type: ignore[arg-type]
    if "error" not in outcome:
        predicted = _shape(tuple(outcome["output_batch_shape"]))  # type: ignore[arg-type]
        counts = (
            f"{outcome['target_values']} target values for {outcome['expected_values']} expected"
        )
        if not outcome["broadcast"]:
            return Verdict(
                REFUTED,
                f"trains normally with {loss}: output {predicted}, targets {target} ({counts})"
                f"{tail}",
                measured,
            )
        text = (
            f"{rt.module} trains silently with {loss} on broadcast targets: one step with batch "
            f"{batch}, output {predicted}, targets {target} ({counts})"
        )
        if claim in (SILENT, MAY_BROADCAST):
            return Verdict(CONFIRMED, text + tail, measured)
        return Verdict(REFUTED, f"the message says Keras {claim}, but {text}{tail}", measured)
    quote = str(outcome["error"])
    # The control: the same step with targets shaped like the output. If it trains, the
    # targets' shape alone made Keras raise, whatever words this Keras version uses.
    fitting = _fitting_targets(out_dims, loss, batch)
    control = _train_step(rt, model, builder, loss, fitting, batch)
    measured["control_target_shape"] = list(fitting)
    if "error" in control:
        measured["control_error"] = control["error"]
        return Verdict(
            INCONCLUSIVE,
            f'training fails for another reason: "{quote}", and also with targets '
            f'{_shape(fitting)} that fit the output: "{control["error"]}"{tail}',
            measured,
        )
    text = (
        f"{rt.module} raises on one training step with {loss}, batch {batch}, "
        f'targets {target}: "{quote}" (targets {_shape(fitting)} that fit the output train)'
    )
    if claim == SILENT:
        return Verdict(
            REFUTED, f"the message says the model trains silently, but {text}{tail}", measured
        )
    # The batch sizes where broadcasting could hide the mismatch: T, and 1.
    silent: list[int] = []
    raising: list[int] = []
    for size in ([timesteps] if isinstance(timesteps, int) and timesteps > 1 else []) + [1]:
        (silent if step(size).get("broadcast") else raising).append(size)
    if timesteps in silent:
        measured["silent_batch_size"] = timesteps
        text += (
            f"; with batch size {timesteps} (= timesteps) it trains silently on broadcast targets"
        )
    elif isinstance(timesteps, int) and timesteps > 1:
        text += f"; with batch size {timesteps} (= timesteps) it raises too"
    text += "; with batch size 1 it " + (
        "trains silently on broadcast targets" if 1 in silent else "raises too"
    )
    measured.update(silent_batch_sizes=silent, raising_batch_sizes=raising)
    expected_silent = {
        RAISES: set(),
        RAISES_UNLESS_ONE: {1},
        RAISES_MOST: {1} | ({timesteps} if timesteps in silent + raising else set()),
    }.get(claim)
    if expected_silent is None or set(silent) == expected_silent:
        return Verdict(CONFIRMED, text + tail, measured)
    return Verdict(REFUTED, f"the message says Keras {claim}, but {text}{tail}", measured)


def _stand_in_sizes(output: Tensor, y: Shape) -> dict[int, int]:
    """Stand-ins for the sizes above MAX_DIM of the model inputs, the targets and the output."""
    known: set[int] = set()
    for tensor in _model_inputs(output):
        if tensor.shape is not None:
            known |= {d for d in tensor.shape.dims[1:] if d is not None}
    for shape in (y, output.shape):
        if shape is not None:
            known |= {d for d in shape.dims[1:] if d is not None}
    big = {d for d in known if d > MAX_DIM}
    taken = (known - big) | {SYNTHETIC_BATCH, SYNTHETIC_STEPS, 6, 9, 11}
    return stand_in_sizes(big, taken) if big else {}


def _model_inputs(output: Tensor, budget: int = 10_000) -> list[Tensor]:
    """The tensors without a producer (or made by Input) that ``output`` is computed from."""
    found: list[Tensor] = []
    seen: set[int] = set()
    stack = [output]
    while stack and budget > 0:
        budget -= 1
        tensor = stack.pop()
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        app = tensor.producer
        if app is None or app.layer.name == "Input":
            found.append(tensor)
        else:
            stack.extend(app.inputs)
    return found


def _check_stand_in(resize: dict[int, int], claimed: Shape, built: tuple[Any, ...]) -> None:
    """With stand-in sizes the rebuilt output must be the claimed one with the same stand-ins
    (a size a layer argument fixes, or a stride, does not follow them)."""
    if not resize:
        return
    expected = tuple(None if d is None else resize.get(d, d) for d in claimed.dims[1:])
    got = tuple(None if d is None else int(d) for d in built[1:])
    if len(expected) != len(got) or any(
        e is not None and e != g for e, g in zip(expected, got, strict=True)
    ):
        raise TooLarge(
            f"sizes above {MAX_DIM} ({', '.join(map(str, sorted(resize)))}) and the output "
            f"{_shape(tuple(built))} does not follow smaller stand-ins"
        )


def _train_step(
    rt: Runtime,
    model: Any,
    builder: Builder,
    loss: str,
    target_dims: tuple[int, ...],
    batch: int,
) -> dict[str, object]:
    np = _numpy()
    rng = np.random.default_rng(0)
    input_dims = builder.feed_dims(batch)
    for dims in [*input_dims, target_dims]:
        if values(dims) > MAX_VALUES:
            raise TooLarge(
                f"a training step with batch {batch} needs an array {dims} of {values(dims):,} "
                f"values (cap {MAX_VALUES:,})"
            )
    xs = [rng.uniform(0, 1, dims).astype("float32") for dims in input_dims]
    if loss.startswith("sparse"):
        last = tuple(model.outputs[0].shape)[-1]
        classes = int(last) if last is not None and int(last) > 0 else 2
        targets = rng.integers(0, classes, target_dims).astype("float32")
    else:
        targets = rng.uniform(0, 1, target_dims).astype("float32")
    result: dict[str, object] = {"target_shape": list(target_dims), "batch_size": batch}
    feed = xs[0] if len(xs) == 1 else xs
    try:
        # On TensorFlow eagerly: the same ops, shapes and broadcasting as a compiled step,
        # without the time tf.function spends tracing each new target shape (about 0.6 s a
        # step in tf_keras). JAX compiles its recurrent scans either way; jitted is faster.
        model.compile(optimizer="sgd", loss=loss, run_eagerly=rt.tf is not None)
        model.train_on_batch(feed, targets)
    except Exception as error:
        result["error"] = short(error)
        return result
    # Each output value should meet one target (one class index for sparse losses): more or
    # fewer target values that Keras accepted were broadcast.
    pred = _np(model(feed))
    expected = pred.size // pred.shape[-1] if loss.startswith("sparse") else pred.size
    result.update(
        output_batch_shape=list(pred.shape),
        target_values=int(targets.size),
        expected_values=int(expected),
        broadcast=int(targets.size) != int(expected),
    )
    return result


def _fitting_targets(out_dims: tuple[Any, ...], loss: str, batch: int) -> tuple[int, ...]:
    """Targets that fit the output: its shape, without the class axis for sparse losses."""
    dims = tuple(None if d is None else int(d) for d in out_dims)
    return synthetic_dims(dims[:-1] if loss.startswith("sparse") else dims, batch)


# -------------------------------------------------------------------- helpers


def _numpy() -> Any:
    import numpy

    return numpy


def _np(value: Any) -> Any:
    return _numpy().asarray(value)


def _dtype(value: Any) -> str:
    dtype = getattr(value, "dtype", None)
    return str(getattr(dtype, "name", dtype))


def _mask(tensor: Any) -> Any:
    mask = getattr(tensor, "_keras_mask", None)
    return None if mask is None else _np(mask)


def _mask_text(mask: Any) -> str:
    return "no mask" if mask is None else f"mask {tuple(mask.shape)}"


def _shape(dims: tuple[Any, ...]) -> str:
    return str(Shape(tuple(None if d is None else int(d) for d in dims)))


Check = Callable[[Diagnostic, Runtime], Verdict]

# The check of each rule's claim, by rule code.
CHECKS: dict[str, Check] = {
    "KRS101": check_redundant_wrapper,
    "KRS102": check_needs_sequence,
    "KRS103": check_needs_sequence,
    "KRS201": partial(check_targets, per_sample=False),
    "KRS202": partial(check_targets, per_sample=True),
    "KRS301": check_data,
    "KRS302": check_data,
    "KRS303": check_data,
    "KRS401": check_target_encoding,
    "KRS402": check_target_encoding,
    "KRS403": check_target_encoding,
    "KRS404": check_target_encoding,
    "KRS405": check_softmax_over_one_unit,
    "KRS406": check_target_encoding,
    "KRS407": check_labels_out_of_range,
    "KRS408": check_target_encoding,
    **LAYER_CHECKS,
}
# The codes that make no claim about Keras to rebuild, and why.
NOT_VERIFIABLE: dict[str, str] = {
    INTERNAL_ERROR: "it reports a failure of the linter itself, not a claim about Keras",
}
