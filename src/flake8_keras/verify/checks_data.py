"""KRS301-KRS303: the data handed to a model, rebuilt and fed to it in Keras.

The model is rebuilt from the literals the analyzer resolved (functional, from its declared
input; or a ``Sequential`` of its layers when it declares none), fed synthetic data of the
claimed shape through the call the claim is about (one training step, or ``predict``), and a
control run with data shaped like the model's input must pass: then an error is the data's.
"""

from __future__ import annotations

import re
from typing import Any

from flake8_keras.keras.model import DataCall, Shape, Tensor
from flake8_keras.keras.training import model_input
from flake8_keras.rules.base import Diagnostic
from flake8_keras.rules.data_input import RAISES, SILENT_BATCH
from flake8_keras.verify.limits import MAX_DIM, MAX_VALUES, TooLarge, stand_in_sizes, values
from flake8_keras.verify.rebuild import SYNTHETIC_BATCH, Builder, NotRebuildable, short
from flake8_keras.verify.runtime import Runtime
from flake8_keras.verify.verdict import CONFIRMED, INCONCLUSIVE, REFUTED, Verdict

_ARRAY = re.compile(r"\[[\[\]0-9.eE+\- \n]*(?:\.\.\.[\[\]0-9.eE+\- \n]*)*\]")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_ABOUT_SHAPES = re.compile(r"shape|ndim|rank|dimension", re.IGNORECASE)
_SAMPLES_STAND_IN = 5
# Whether data fits a model's input does not depend on the layers' widths.
_NEUTRAL: dict[str, object] = {"units": 8, "filters": 8}
_PREDICT = frozenset({"predict", "predict_on_batch", "__call__"})


def check_data(d: Diagnostic, rt: Runtime) -> Verdict:
    """A claim that Keras raises on the data (KRS301, KRS302, KRS303) or, for one sample
    without its batch axis, returns one prediction per row of it (KRS303, ``SILENT_BATCH``)."""
    call = d.args.get("data_call")
    data = d.args.get("data_shape")
    if not isinstance(call, DataCall) or not isinstance(data, Shape):
        return Verdict(INCONCLUSIVE, "the claim names no data call with a known data shape")
    taken = model_input(call.model)
    if taken is None or call.model.output is None:
        return Verdict(INCONCLUSIVE, "the model's input is not known")
    sizes = {x for x in data.dims[1:] if x is not None and x > MAX_DIM}
    if taken.tensor.shape is not None:
        sizes |= {x for x in taken.tensor.shape.dims[1:] if x is not None and x > MAX_DIM}
    resize = stand_in_sizes(sizes, _small(data, taken.tensor)) if sizes else {}
    builder = Builder(rt, _NEUTRAL, resize=resize)
    # KRS302 on an array of unknown sample count: a stand-in count for the declared axis.
    samples = _SAMPLES_STAND_IN if d.args.get("samples_unknown") is True else None
    model, control = _rebuild(rt, builder, call, taken.tensor, taken.declared, data, samples)
    # The control runs on a model of its own: a Sequential without an input is built by the
    # first data it sees, and would then repair the claimed data.
    control_model, _ = _rebuild(
        rt, Builder(rt, _NEUTRAL, resize=resize), call, taken.tensor, taken.declared, data, samples
    )
    one_sample = d.args.get("one_sample") is True
    batch_dims = _concrete(
        data if one_sample else Shape((SYNTHETIC_BATCH,) + data.dims[1:]), resize
    )
    claim = str(d.args.get("behaviour", RAISES))
    notes = "".join(f"; {n}" for n in builder.notes)
    if samples is not None:
        notes += f"; the array's unknown sample count, declared as an axis, stood in as {samples}"
    if resize:
        notes += (
            "; sizes above the cap were replaced by stand-ins ("
            + ", ".join(f"{k} as {v}" for k, v in sorted(resize.items()))
            + "): the claim depends on which sizes are equal, not on their values"
        )
    measured: dict[str, object] = {"data_shape": list(batch_dims), "method": call.method}
    control_outcome = _feed(rt, control_model, call.method, control, None)
    measured["control_shape"] = list(control)
    if "error" in control_outcome:
        return Verdict(
            INCONCLUSIVE,
            f"the control with data {control} shaped like the model's input fails too: "
            f'"{control_outcome["error"]}"{notes}',
            measured,
        )
    outcome = _feed(rt, model, call.method, batch_dims, control_outcome.get("targets"))
    measured.update({k: v for k, v in outcome.items() if k != "targets"})
    what = "predict" if call.method in _PREDICT else "one training step"
    if "error" in outcome:
        text = (
            f'{rt.module} raises on {what} with data {batch_dims}: "{outcome["error"]}" '
            f"(data {control} shaped like the model's input runs)"
        )
        if claim == RAISES:
            return Verdict(CONFIRMED, text + notes, measured)
        return Verdict(REFUTED, f"the message says Keras {claim}, but {text}{notes}", measured)
    rows = outcome.get("rows")
    text = f"{rt.module} runs {what} on data {batch_dims}" + (
        f" and returns {rows} predictions for one sample" if rows is not None else ""
    )
    if claim == SILENT_BATCH and rows == batch_dims[0] and rows != 1:
        return Verdict(CONFIRMED, text + notes, measured)
    return Verdict(REFUTED, f"the message says Keras {claim}, but {text}{notes}", measured)


def _small(data: Shape, model_in: Tensor) -> set[int]:
    dims = set(data.dims[1:]) | set(model_in.shape.dims[1:] if model_in.shape else ())
    return {x for x in dims if isinstance(x, int) and x <= MAX_DIM} | {SYNTHETIC_BATCH}


def _concrete(shape: Shape, resize: dict[int, int]) -> tuple[int, ...]:
    """The data's dims as fed: its sample count is the synthetic batch (a one-sample claim
    keeps every axis: there is no sample axis), unknown sizes small."""
    dims = [resize.get(x, x) if x is not None else 3 for x in shape.dims]
    return tuple(dims)


def _rebuild(
    rt: Runtime,
    builder: Builder,
    call: DataCall,
    root: Tensor,
    declared: bool,
    data: Shape,
    samples: int | None = None,
) -> tuple[Any, tuple[int, ...]]:
    """The model, and the shape of data that fits it (the control)."""
    output = call.model.output
    assert output is not None
    keras = rt.keras
    if declared:
        if root.shape is not None and samples is not None:
            # ``shape=X.shape`` of an array whose sample count is unknown: at run time it is a
            # number, so the declared axis is one (a None there would accept any length).
            dims = (None, samples) + tuple(builder.input_dims(root.shape.dims)[2:])
            seeded = keras.Input(batch_shape=dims)
            builder.inputs.append((root, seeded))
            builder._tensors[id(root)] = seeded  # the model is built up from this input
        built = builder.tensor(output)
        model = keras.Model(builder.inputs[0][1], built)
        if root.shape is None:
            raise NotRebuildable("the model's input shape is not known")
        dims = tuple(builder.input_dims(root.shape.dims))[1:]
        if samples is not None:
            dims = (samples,) + dims[1:]
        control = (SYNTHETIC_BATCH,) + tuple(x if x is not None else 3 for x in dims)
        return model, control
    chain = []
    tensor: Tensor | None = output
    while tensor is not None and tensor.producer is not None:
        chain.append(tensor.producer.layer)
        tensor = tensor.producer.inputs[0] if tensor.producer.inputs else None
    layers = [builder.layer(layer) for layer in reversed(chain)]
    model = keras.Sequential(layers)
    # The control: the data with trailing axes of 1 up to the rank the first layer takes.
    rank = getattr(getattr(layers[0], "input_spec", None), "min_ndim", None)
    rank = rank or getattr(getattr(layers[0], "input_spec", None), "ndim", None) or data.rank + 1
    dims = _concrete(Shape((SYNTHETIC_BATCH,) + data.dims[1:]), builder.resize)
    return model, dims + (1,) * max(0, int(rank) - len(dims))


def _feed(
    rt: Runtime, model: Any, method: str, dims: tuple[int, ...], targets: Any
) -> dict[str, object]:
    """Run the call on zeros of ``dims``: its error, or the predictions' rows, or (for the
    control of a training call) targets shaped like its output."""
    if values(dims) > MAX_VALUES:
        raise TooLarge(f"data {dims} has {values(dims):,} values (cap {MAX_VALUES:,})")
    import numpy as np

    x = np.zeros(dims, "float32")
    try:
        if method in _PREDICT:
            out = model.predict(x, verbose=0) if method != "__call__" else np.asarray(model(x))
            return {"rows": int(out.shape[0]), "output_shape": list(out.shape)}
        if targets is None:
            targets = np.zeros(np.asarray(model(x)).shape, "float32")
        model.compile(optimizer="sgd", loss="mse", run_eagerly=rt.tf is not None)
        model.train_on_batch(x, targets)
        return {"targets": targets}
    except Exception as error:
        return {"error": _quote(error)}


def _quote(error: BaseException) -> str:
    """The error without the array dumps Keras 3 puts in it; the line about shapes if any."""
    text = _ANSI.sub("", _ARRAY.sub("[...]", str(error)))
    lines = [line.strip() for line in text.splitlines() if _ABOUT_SHAPES.search(line)]
    return short(Exception(lines[0])) if lines else short(Exception(text))
