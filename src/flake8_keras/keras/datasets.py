"""Arrays that come from known data APIs: Keras's bundled datasets, ``pad_sequences``,
scikit-learn's ``train_test_split`` and the image pipelines read from directories
(``image_pipelines``; offline facts, DESIGN §1b).

Sample counts are kept only where they are fixed; ranks and trailing dims are what rules use.
"""

from __future__ import annotations

from functools import partial

from flake8_keras.engine.hooks import CallContext, Hooks
from flake8_keras.engine.values import MISSING, UNKNOWN, Const, Items, Value
from flake8_keras.keras import image_pipelines
from flake8_keras.keras.model import Dim, Shape, Tensor

# ((x_train, y_train), (x_test, y_test)) shapes of ``load_data()`` without arguments.
_IMAGE_DATASETS: dict[str, tuple[tuple[Dim, ...], ...]] = {
    "mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "fashion_mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "cifar10": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
    "cifar100": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
    "boston_housing": ((404, 13), (404,), (102, 13), (102,)),
}
# Datasets of token sequences: an object array of lists (no rank until padded), int labels.
_SEQUENCE_DATASETS = ("imdb", "reuters")
_PAD_SEQUENCES = (
    "keras.preprocessing.sequence.pad_sequences",
    "keras.utils.pad_sequences",
    "keras.utils.sequence_utils.pad_sequences",
)


class TokenSequences(Tensor):
    """A list of integer sequences of unknown lengths: ``pad_sequences`` makes it (n, maxlen)."""


def register(hooks: Hooks) -> None:
    for name, shapes in _IMAGE_DATASETS.items():
        hooks.calls[f"keras.datasets.{name}.load_data"] = partial(_image_dataset, shapes)
    for name in _SEQUENCE_DATASETS:
        hooks.calls[f"keras.datasets.{name}.load_data"] = _sequence_dataset
    for path in _PAD_SEQUENCES:
        hooks.calls[path] = _pad_sequences
    hooks.calls["sklearn.model_selection.train_test_split"] = _train_test_split
    image_pipelines.register(hooks)


def _image_dataset(shapes: tuple[tuple[Dim, ...], ...], context: CallContext) -> Value:
    call = context.args
    fixed = not (call.args or call.kwargs or call.is_open)  # test_split= changes the counts
    arrays = [
        Tensor(Shape(dims if fixed else (None,) + dims[1:])) for dims in shapes
    ]  # fmt: skip
    return Items((Items((arrays[0], arrays[1])), Items((arrays[2], arrays[3]))))


def _sequence_dataset(context: CallContext) -> Value:
    def split() -> Items:
        return Items((TokenSequences(None), Tensor(Shape((None,)))))

    return Items((split(), split()))


def _pad_sequences(context: CallContext) -> Value:
    """Rank 2 only for sequences of integers (a dataset's, or already a rank-2 array)."""
    call = context.args
    source = call.value("sequences", 0)
    maxlen = call.value("maxlen", 1)
    if isinstance(source, TokenSequences):
        count: Dim = None
    elif isinstance(source, Tensor) and source.shape is not None and source.shape.rank == 2:
        count = source.shape.dims[0]
    else:
        return UNKNOWN
    if maxlen is MISSING or maxlen == Const(None):
        return Tensor(Shape((count, None)))
    if isinstance(maxlen, Const) and isinstance(maxlen.value, int) and maxlen.value > 0:
        return Tensor(Shape((count, maxlen.value)))
    return UNKNOWN


def _train_test_split(context: CallContext) -> Value:
    """Two arrays per array passed, each with its trailing shape and an unknown sample count."""
    call = context.args
    if call.open_args or not call.args:
        return UNKNOWN
    parts: list[Value] = []
    for source in call.args:
        if isinstance(source, Tensor) and source.shape is not None and source.shape.rank >= 1:
            split = Tensor(Shape((None,) + source.shape.dims[1:]))
            parts += [split, Tensor(split.shape)]
        else:
            parts += [UNKNOWN, UNKNOWN]
    return Items(tuple(parts))
