"""The checks of the KRS4xx claims: targets against the output and the loss, one real step.

Each rebuilds the model from the analyzer's graph, trains one step on synthetic targets of the
claimed shape and encoding with the file's loss, and a control step with targets encoded the way
the message's fix says. ``confirmed`` quotes Keras's error (the control trains) or shows the
silent behaviour (the broadcast shape, or a constant output and a zero loss).
"""

from __future__ import annotations

from typing import Any

from flake8_keras.keras.model import Shape
from flake8_keras.rules.base import Diagnostic
from flake8_keras.rules.fit_targets import KNOWN_LOSSES
from flake8_keras.rules.targets_head import RAISES, SILENT, SPARSE
from flake8_keras.verify.limits import MAX_VALUES, TooLarge, values
from flake8_keras.verify.rebuild import Builder, short, synthetic_dims
from flake8_keras.verify.runtime import Runtime
from flake8_keras.verify.verdict import CONFIRMED, INCONCLUSIVE, REFUTED, Verdict

# Batch sizes tried in turn: the first that equals no size of the output or targets (a batch
# equal to a size could let broadcasting hide a mismatch).
_BATCHES = (3, 6, 7, 9, 11, 13)

# A loss of 0 as Keras computes it: tf_keras clips the output to 1 - 1e-7 first, so
# -log(1 - 1e-7) = 1.2e-07 in float32 (measured), where Keras 3 gives 0.0.
_CLIPPED_ZERO = 1e-6


def check_target_encoding(d: Diagnostic, rt: Runtime) -> Verdict:
    """KRS401-KRS404: the claimed targets with the file's loss raise (or broadcast silently),
    and targets shaped like the output train."""
    fit = d.fit
    claim = d.args.get("behaviour")
    loss = d.args.get("loss")
    y = getattr(fit.y, "shape", None) if fit is not None else None
    if fit is None or fit.model.output is None or not isinstance(y, Shape):
        return Verdict(INCONCLUSIVE, "the claim names no fit with a known output and targets")
    if not isinstance(loss, str) or loss not in KNOWN_LOSSES:
        return Verdict(INCONCLUSIVE, f"{loss!r} is not a loss name the verifier passes to Keras")
    builder = Builder(rt)
    output = builder.tensor(fit.model.output)
    model = builder.model(output)
    out_dims = tuple(None if d is None else int(d) for d in output.shape)
    sizes = {d for d in (*out_dims[1:], *y.dims[1:]) if d is not None}
    batch = next((b for b in _BATCHES if b not in sizes), 17)
    encoding = str(d.args.get("encoding", "values"))
    classes = out_dims[-1] or 2
    target_dims = synthetic_dims(y.dims, batch)
    outcome = _step(rt, model, builder, loss, _targets(target_dims, encoding, classes), batch)
    fitting = _fitting(out_dims, loss, batch)
    control = _step(
        rt, model, builder, loss, _targets(fitting, _fix_encoding(loss), classes), batch
    )
    measured: dict[str, object] = {
        "loss": loss,
        "batch_size": batch,
        "target_shape": list(target_dims),
        "output_shape": list(out_dims),
        "claimed": claim,
        "control_target_shape": list(fitting),
        **{k: v for k, v in outcome.items() if k != "target"},
    }
    where = f"{rt.module} {loss}, batch {batch}, targets {_text(target_dims)}"
    if "error" in control:
        return Verdict(
            INCONCLUSIVE,
            f"the control step with targets {_text(fitting)} fails too: {control['error']}",
            measured,
        )
    # KRS406's and KRS408's fixes may change the model, not the targets: the control meets
    # the output.
    how = "shaped like the output" if d.code in ("KRS406", "KRS408") else "encoded as the fix says"
    control_text = f"targets {_text(fitting)} {how} train"
    if claim == RAISES:
        if "error" in outcome:
            return Verdict(
                CONFIRMED, f'{where}: raises "{outcome["error"]}" ({control_text})', measured
            )
        return Verdict(REFUTED, f"the message says Keras raises, but {where} trains", measured)
    if claim == SILENT:
        if "error" in outcome:
            text = (
                f'the message says Keras trains silently, but {where} raises "{outcome["error"]}"'
            )
            return Verdict(REFUTED, text, measured)
        output_shape = list(outcome["output_batch_shape"])
        if outcome["broadcast_shape"] and list(target_dims) != output_shape:
            shape = _text(tuple(outcome["broadcast_shape"]))
            text = (
                f"{where}: trains silently (loss {outcome['loss']:.4g}) on the broadcast "
                f"difference {shape} of output {_text(tuple(output_shape))} and targets "
                f"({control_text})"
            )
            return Verdict(CONFIRMED, text, measured)
        return Verdict(REFUTED, f"{where} trains without broadcasting", measured)
    return Verdict(INCONCLUSIVE, f"the claim {claim!r} is not one this check knows")


def _fix_encoding(loss: str) -> str:
    return (
        "labels" if loss.startswith("sparse") else "one_hot" if "crossentropy" in loss else "values"
    )


def _fitting(out_dims: tuple[int | None, ...], loss: str, batch: int) -> tuple[int, ...]:
    """Targets the fix gives: shaped like the output, without the class axis for a sparse loss."""
    return synthetic_dims(out_dims[:-1] if loss.startswith("sparse") else out_dims, batch)


def _targets(dims: tuple[int, ...], encoding: str, classes: int) -> Any:
    """Synthetic targets of the claimed shape and encoding: integer labels below the output's
    number of classes, one-hot rows, or floats in [0, 1)."""
    import numpy as np

    if values(dims) > MAX_VALUES:
        raise TooLarge(f"targets {dims} of {values(dims):,} values (cap {MAX_VALUES:,})")
    rng = np.random.default_rng(0)
    if encoding == "labels":
        return rng.integers(0, max(classes, 1), dims).astype("int64")
    if encoding == "one_hot" and len(dims) >= 2:
        hot = rng.integers(0, dims[-1], dims[:-1])
        return np.eye(dims[-1], dtype="float32")[hot]
    return rng.uniform(0, 1, dims).astype("float32")


def _step(
    rt: Runtime, model: Any, builder: Builder, loss: str, targets: Any, batch: int
) -> dict[str, Any]:
    import numpy as np

    dims = builder.feed_dims(batch)
    for shape in dims:
        if values(shape) > MAX_VALUES:
            raise TooLarge(f"an input {shape} of {values(shape):,} values (cap {MAX_VALUES:,})")
    rng = np.random.default_rng(1)
    xs = [rng.uniform(0, 1, shape).astype("float32") for shape in dims]
    feed = xs[0] if len(xs) == 1 else xs
    try:
        model.compile(optimizer="sgd", loss=loss, run_eagerly=rt.tf is not None)
        result = model.train_on_batch(feed, targets)
    except Exception as error:
        return {"error": short(error)}
    pred = np.asarray(model(feed))
    try:
        broadcast = list(np.broadcast_shapes(pred.shape, np.shape(targets)))
    except ValueError:
        broadcast = []
    return {
        "loss": float(np.ravel(np.asarray(result, dtype="float64"))[0]),
        "output_batch_shape": list(pred.shape),
        "broadcast_shape": broadcast,
    }


def _text(dims: tuple[int, ...]) -> str:
    return str(Shape(tuple(dims)))


def check_softmax_over_one_unit(d: Diagnostic, rt: Runtime) -> Verdict:
    """KRS405: the rebuilt layer outputs exactly 1.0 on random inputs, one training step with
    categorical_crossentropy has a loss of exactly 0, and the same layer with a sigmoid varies."""
    import numpy as np

    app = d.app
    if app is None or not app.inputs:
        return Verdict(INCONCLUSIVE, "the claim names no layer application")
    builder = Builder(rt, synthetic_inputs=True)
    source = builder.tensor(app.inputs[0])
    keras = rt.keras
    layer = builder.layer(app.layer, fresh=True)
    model = builder.model(layer(source))
    batch = 4
    dims = builder.feed_dims(batch)
    rng = np.random.default_rng(0)
    xs = [rng.normal(0, 3, shape).astype("float32") for shape in dims]
    feed = xs[0] if len(xs) == 1 else xs
    out = np.asarray(model(feed))
    measured: dict[str, object] = {"output_shape": list(out.shape)}
    if not np.all(out == 1.0):
        spread = f"{float(out.min()):.4g}..{float(out.max()):.4g}"
        return Verdict(REFUTED, f"{rt.module}: the outputs vary ({spread})", measured)
    model.compile(optimizer="sgd", loss="categorical_crossentropy", run_eagerly=rt.tf is not None)
    loss = float(np.ravel(np.asarray(model.train_on_batch(feed, np.ones(out.shape, "float32"))))[0])
    measured["categorical_crossentropy_loss"] = loss
    config = layer.get_config()
    if "activation" in config:
        control_layer = type(layer).from_config({**config, "activation": "sigmoid"})
    else:
        control_layer = keras.layers.Activation("sigmoid")
    control = np.asarray(keras.Model(model.inputs, control_layer(source))(feed))
    measured["control_distinct_values"] = int(np.unique(control).size)
    if np.unique(control).size < 2:
        return Verdict(INCONCLUSIVE, "the sigmoid control outputs one value too", measured)
    text = (
        f"{rt.module}: all {out.size} outputs {_text(tuple(out.shape))} are exactly 1.0 on random "
        f"inputs; one step of categorical_crossentropy has loss {loss:g}; the same layer with a "
        f"sigmoid gives {np.unique(control).size} distinct values"
    )
    if abs(loss) > _CLIPPED_ZERO:
        return Verdict(REFUTED, text + " (the message says the loss is 0)", measured)
    return Verdict(CONFIRMED, text, measured)


def check_labels_out_of_range(d: Diagnostic, rt: Runtime) -> Verdict:
    """KRS407: labels of the claimed shape that reach the claimed maximum raise with the sparse
    loss ("outside the valid range"), and labels below the output's units train."""
    import numpy as np

    fit = d.fit
    y = getattr(fit.y, "shape", None) if fit is not None else None
    high = d.args.get("high")
    if fit is None or fit.model.output is None or not isinstance(y, Shape):
        return Verdict(INCONCLUSIVE, "the claim names no fit with a known output and targets")
    if not isinstance(high, int):
        return Verdict(INCONCLUSIVE, "the claim names no largest label")
    builder = Builder(rt)
    output = builder.tensor(fit.model.output)
    model = builder.model(output)
    units = int(output.shape[-1])
    batch = next(b for b in _BATCHES if b not in y.dims[1:] and b != units)
    dims = synthetic_dims(y.dims, batch)
    labels = np.random.default_rng(0).integers(0, units, dims).astype("int64")
    reaching = labels.copy()
    reaching.flat[0] = high
    outcome = _step(rt, model, builder, SPARSE, reaching, batch)
    control = _step(rt, model, builder, SPARSE, labels, batch)
    measured: dict[str, object] = {
        "loss": SPARSE,
        "batch_size": batch,
        "target_shape": list(dims),
        "units": units,
        "largest_label": high,
        **{k: v for k, v in outcome.items() if k != "target"},
    }
    where = f"{rt.module} {SPARSE}, batch {batch}, labels {_text(dims)} up to {high}"
    if "error" in control:
        text = f"the control step with labels below {units} fails too: {control['error']}"
        return Verdict(INCONCLUSIVE, text, measured)
    if "error" not in outcome and rt.backend != "tensorflow":
        return _ignored_labels(rt, model, builder, dims, high, units, measured)
    if "error" not in outcome:
        return Verdict(REFUTED, f"the message says Keras raises, but {where} trains", measured)
    if "valid range" not in str(outcome["error"]):
        text = f'{where} raises for another reason: "{outcome["error"]}"'
        return Verdict(INCONCLUSIVE, text, measured)
    text = f'{where}: raises "{outcome["error"]}" (the same labels below {units} train)'
    return Verdict(CONFIRMED, text, measured)


def _ignored_labels(
    rt: Runtime,
    model: Any,
    builder: Builder,
    dims: tuple[int, ...],
    high: int,
    units: int,
    measured: dict[str, object],
) -> Verdict:
    """KRS407 off TensorFlow (JAX): labels all equal to the largest one add exactly 0 to the
    loss (they are one-hot encoded to zeros), while labels below the units do not."""
    import numpy as np

    batch = dims[0]
    outside = _step(rt, model, builder, SPARSE, np.full(dims, high, "int64"), batch)
    inside = _step(rt, model, builder, SPARSE, np.full(dims, units - 1, "int64"), batch)
    measured.update(loss_out_of_range=outside.get("loss"), loss_in_range=inside.get("loss"))
    where = f"{rt.module} on {rt.backend}, {SPARSE}, labels {_text(dims)}"
    if "error" in outside or "error" in inside:
        error = outside.get("error") or inside.get("error")
        return Verdict(INCONCLUSIVE, f"{where}: a step raises: {error}", measured)
    text = (
        f"{where}: trains; labels all {high} give loss {outside['loss']:g}, labels all "
        f"{units - 1} give loss {inside['loss']:.4g}"
    )
    if outside["loss"] == 0.0 and inside["loss"] > 0.0:
        return Verdict(CONFIRMED, text + f": labels >= {units} are silently ignored", measured)
    return Verdict(REFUTED, text + " (the message says JAX ignores them)", measured)
