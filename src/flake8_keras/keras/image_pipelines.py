"""Image pipelines read from directories: ``image_dataset_from_directory`` and
``ImageDataGenerator(...).flow_from_directory`` (measured in Keras 3.15 and tf_keras 2.21 with
real directories of PNGs; tests/test_data_directories.py).

Both yield batches ``(batch, h, w, c)``: ``(h, w)`` is ``image_size`` / ``target_size`` (default
``(256, 256)``), ``c`` is 3 for ``color_mode="rgb"`` (the default), 1 for ``"grayscale"``, 4 for
``"rgba"``. Their labels:

- ``image_dataset_from_directory``: ``label_mode="int"`` (default) ``(batch,)`` int32,
  ``"categorical"`` ``(batch, k)`` one-hot, ``"binary"`` ``(batch, 1)``, ``None`` no labels;
  ``batch_size=None`` yields single images (not modelled);
- ``flow_from_directory``: ``class_mode="categorical"`` (default) ``(batch, k)`` one-hot,
  ``"binary"`` and ``"sparse"`` ``(batch,)`` float32, ``"input"`` the images (not modelled),
  ``None`` no labels.

``k`` is known only from a literal ``class_names=[...]`` / ``classes=[...]``. Any argument that
is not a literal leaves what it decides Unknown; directories never matter. ``.map(...)``,
``.batch(...)`` and anything else the engine does not follow make the pipeline Unknown.
"""

from __future__ import annotations

from flake8_keras.engine.calls import CallArgs
from flake8_keras.engine.hooks import CallContext, Hooks
from flake8_keras.engine.values import (
    MISSING,
    UNKNOWN,
    BoundMethod,
    Const,
    Items,
    Value,
    literal_int,
)
from flake8_keras.keras.model import Dim, Shape, Tensor
from flake8_keras.records import field, record

_DATASET_FUNCTIONS = (
    "keras.utils.image_dataset_from_directory",
    "keras.preprocessing.image_dataset_from_directory",
    "keras.preprocessing.image_dataset.image_dataset_from_directory",
    "keras.utils.image_dataset.image_dataset_from_directory",
    "keras.utils.image_dataset_utils.image_dataset_from_directory",
)
_GENERATOR_CLASSES = (
    "keras.preprocessing.image.ImageDataGenerator",
    "keras.legacy.preprocessing.image.ImageDataGenerator",
)
_CHANNELS = {"rgb": 3, "grayscale": 1, "rgba": 4}
_DEFAULT_SIZE = (256, 256)
# tf.data transformations that keep every element as it is.
_KEEPING = ("shuffle", "cache", "prefetch", "repeat", "take", "skip")
# ImageDataGenerator's data_format position (after 19 augmentation parameters).
_DATA_FORMAT_POSITION = 19


@record(frozen=True)
class Pipeline:
    """Which pipeline made a batch, and the argument names its fixes quote."""

    function: str  # "image_dataset_from_directory" or "flow_from_directory"
    size_arg: str  # "image_size" or "target_size"
    mode_arg: str  # "label_mode" or "class_mode"
    mode: str | None  # the label mode as passed or defaulted

    def one_hot_labels(self) -> str:
        """The argument that makes one-hot labels: ``label_mode="categorical"``."""
        return f'{self.mode_arg}="categorical"'

    def class_index_labels(self) -> str:
        """The argument that makes one class index per sample."""
        sparse = "int" if self.function == "image_dataset_from_directory" else "sparse"
        return f'{self.mode_arg}="{sparse}"'

    def color_mode(self, channels: Dim) -> str | None:
        """``color_mode="rgb"`` for 3 channels; None when no colour mode gives that many."""
        names = {count: name for name, count in _CHANNELS.items()}
        return f'color_mode="{names[channels]}"' if channels in names else None


@record(eq=False)
class PipelineImages(Tensor):
    """The image batches of a pipeline: ``(None, h, w, c)``."""

    pipeline: Pipeline | None = field(default=None, kw_only=True)


@record(eq=False)
class PipelineLabels(Tensor):
    """The label batches of a pipeline; ``one_hot``: ``(None, k)`` rows of one class each."""

    pipeline: Pipeline | None = field(default=None, kw_only=True)
    one_hot: bool = field(default=False, kw_only=True)


@record(eq=False)
class Batches(Value):
    """What a pipeline yields: images, and labels (MISSING: none; UNKNOWN: not known)."""

    images: PipelineImages
    labels: Value
    dataset: bool  # a tf.data.Dataset (its shape-keeping transformations are followed)

    def same(self, other: Value) -> bool:
        return other is self


@record(eq=False)
class ImageGenerator(Value):
    """``ImageDataGenerator(...)``; ``channels_last``: its data_format is certainly that."""

    channels_last: bool


def register(hooks: Hooks) -> None:
    for path in _DATASET_FUNCTIONS:
        hooks.calls[path] = _image_dataset
    for path in _GENERATOR_CLASSES:
        hooks.calls[path] = _image_generator
    hooks.method_names(ImageGenerator, ("flow_from_directory",), _flow_from_directory, reads=True)
    hooks.method_names(Batches, _KEEPING, _keep, reads=True)


def _image_dataset(context: CallContext) -> Value:
    call = context.args
    if call.open_args:
        return UNKNOWN
    batch = call.value("batch_size", 5)
    if not (batch is MISSING or _positive_int(batch)) or not _channels_last(call, None):
        return UNKNOWN  # batch_size=None yields single images
    known, mode = _literal(call.value("label_mode", 2), "int")
    labels_arg = call.value("labels", 1)
    pipeline = Pipeline("image_dataset_from_directory", "image_size", "label_mode", mode)
    if labels_arg == Const(None):
        labels: Value = MISSING
    elif not (labels_arg is MISSING or isinstance(labels_arg, Const)) or not known:
        labels = UNKNOWN
    else:
        explicit = labels_arg is not MISSING and labels_arg != Const("inferred")
        classes = None if explicit else _class_count(call.value("class_names", 3))
        labels = _dataset_labels(mode, classes, pipeline)
    images = _images(call.value("image_size", 6), call.value("color_mode", 4), pipeline)
    batches = Batches(images, labels, dataset=True)
    subset = call.value("subset", None)
    if subset is MISSING or subset in (Const(None), Const("training"), Const("validation")):
        return batches
    if subset == Const("both"):
        return Items((batches, Batches(images, labels, dataset=True)))
    return UNKNOWN


def _dataset_labels(mode: str | None, classes: Dim, pipeline: Pipeline) -> Value:
    if mode is None:
        return MISSING
    if mode == "int":
        return PipelineLabels(Shape((None,)), pipeline=pipeline)
    if mode == "binary":
        return PipelineLabels(Shape((None, 1)), pipeline=pipeline)
    if mode == "categorical":
        return PipelineLabels(Shape((None, classes)), pipeline=pipeline, one_hot=True)
    return UNKNOWN


def _image_generator(context: CallContext) -> Value:
    return ImageGenerator(_channels_last(context.args, _DATA_FORMAT_POSITION))


def _flow_from_directory(method: BoundMethod, context: CallContext) -> Value:
    generator = method.owner
    call = context.args
    if not isinstance(generator, ImageGenerator) or not generator.channels_last:
        return UNKNOWN
    batch = call.value("batch_size", 5)
    if call.open_args or not (batch is MISSING or _positive_int(batch)):
        return UNKNOWN
    known, mode = _literal(call.value("class_mode", 4), "categorical")
    pipeline = Pipeline("flow_from_directory", "target_size", "class_mode", mode)
    labels: Value = UNKNOWN  # also class_mode="input" (the images as targets): not modelled
    if known and mode is None:
        labels = MISSING
    elif known and mode in ("binary", "sparse"):
        labels = PipelineLabels(Shape((None,)), pipeline=pipeline)
    elif known and mode == "categorical":
        classes = _class_count(call.value("classes", 3))
        labels = PipelineLabels(Shape((None, classes)), pipeline=pipeline, one_hot=True)
    images = _images(call.value("target_size", 1), call.value("color_mode", 2), pipeline)
    return Batches(images, labels, dataset=False)


def _keep(method: BoundMethod, context: CallContext) -> Value:
    """``ds.shuffle(...)``, ``ds.prefetch(...)``...: the same elements."""
    batches = method.owner
    return batches if isinstance(batches, Batches) and batches.dataset else UNKNOWN


def _images(size: Value, color: Value, pipeline: Pipeline) -> PipelineImages:
    """``(None, h, w, c)``: a size or colour mode that is not a literal leaves its dims unknown."""
    dims: tuple[Dim, Dim] = (None, None)
    if size is MISSING:
        dims = _DEFAULT_SIZE
    elif isinstance(size, Const) and isinstance(size.value, tuple) and len(size.value) == 2:
        h, w = size.value
        if _positive_int(Const(h)) and _positive_int(Const(w)):
            dims = (h, w)
    _, mode = _literal(color, "rgb")
    channels = _CHANNELS.get(mode) if mode is not None else None
    return PipelineImages(Shape((None, *dims, channels)), pipeline=pipeline)


def _class_count(names: Value) -> Dim:
    """The number of classes of a literal list of class names (None: the directory's)."""
    if not isinstance(names, Const) or not isinstance(names.value, tuple) or not names.value:
        return None
    distinct = len(set(names.value)) == len(names.value)
    return len(names.value) if distinct and all(isinstance(n, str) for n in names.value) else None


def _channels_last(call: CallArgs, position: int | None) -> bool:
    """No ``data_format``, or ``"channels_last"`` (the default of ``keras.json``)."""
    value = call.value("data_format", position)
    return value is MISSING or value in (Const(None), Const("channels_last"))


def _literal(value: Value, default: str) -> tuple[bool, str | None]:
    """(known, value) of a string-or-None literal argument, its default when absent."""
    if value is MISSING:
        return True, default
    if isinstance(value, Const) and (value.value is None or isinstance(value.value, str)):
        return True, value.value
    return False, None


def _positive_int(value: Value) -> bool:
    return (literal_int(value) or 0) > 0
