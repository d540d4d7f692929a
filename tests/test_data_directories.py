"""Image pipelines read from directories: what the engine says they yield, the facts it follows
measured on real directories of PNGs, and every fixture claim confirmed in Keras 3 and tf_keras."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from typing import Any

import pytest

from flake8_keras.analysis import analyze_source
from flake8_keras.engine.values import MISSING, UNKNOWN, Value
from flake8_keras.keras.construct import build_graph
from flake8_keras.keras.image_pipelines import PipelineImages, PipelineLabels
from flake8_keras.keras.model import DataCall, FitCall, Tensor
from flake8_keras.verify.checks import verify
from flake8_keras.verify.runtime import Runtime, load
from flake8_keras.verify.verdict import CONFIRMED

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CLAIM_FIXTURES = ("krs3_image_directories.py", "krs4_image_directories.py")

HEAD = """
import keras
import tensorflow as tf
from keras.preprocessing.image import ImageDataGenerator

model = keras.Sequential([keras.layers.Input(shape=(8, 8, 3)), keras.layers.Flatten(),
                          keras.layers.Dense(3)])
model.compile("adam", "mse")
"""


def _graph(source: str) -> tuple[list[DataCall], list[FitCall]]:
    graph = build_graph(ast.parse(HEAD + textwrap.dedent(source)))
    return graph.data, graph.fits


def _fit(pipeline: str) -> tuple[Value, Value]:
    """x and y of ``model.fit(<pipeline>)`` as the engine records them."""
    data, _ = _graph(f"model.fit({pipeline})\n")
    assert len(data) == 1
    return data[0].x, data[0].y


def _dims(value: Value) -> tuple[int | None, ...] | None:
    return value.shape.dims if isinstance(value, Tensor) and value.shape is not None else None


IDFD = 'keras.utils.image_dataset_from_directory("d"{})'
FFD = 'ImageDataGenerator(rescale=1 / 255).flow_from_directory("d"{})'


@pytest.mark.parametrize(
    ("pipeline", "images", "labels"),
    [
        # defaults: (256, 256) RGB; int labels, one-hot labels of the directory's classes
        (IDFD.format(""), (None, 256, 256, 3), (None,)),
        (FFD.format(""), (None, 256, 256, 3), (None, None)),
        (IDFD.format(', image_size=(64, 32), color_mode="grayscale"'), (None, 64, 32, 1), (None,)),
        (FFD.format(', target_size=(64, 32), color_mode="rgba"'), (None, 64, 32, 4), (None, None)),
        (IDFD.format(', label_mode="binary"'), (None, 256, 256, 3), (None, 1)),
        (IDFD.format(', label_mode="categorical"'), (None, 256, 256, 3), (None, None)),
        (FFD.format(', class_mode="binary"'), (None, 256, 256, 3), (None,)),
        (FFD.format(', class_mode="sparse"'), (None, 256, 256, 3), (None,)),
        # a literal list of class names gives the class count
        (IDFD.format(', class_names=["a", "b"], label_mode="categorical"'), None, (None, 2)),
        (FFD.format(', classes=["a", "b", "c"]'), None, (None, 3)),
        # positional arguments: flow_from_directory(directory, target_size, color_mode)
        (FFD.format(', (16, 16), "grayscale"'), (None, 16, 16, 1), (None, None)),
        # shape-keeping tf.data transformations are followed
        (IDFD.format("") + ".cache().shuffle(100).prefetch(2)", (None, 256, 256, 3), (None,)),
    ],
)
def test_pipeline_batches(
    pipeline: str, images: tuple[int | None, ...] | None, labels: tuple[int | None, ...]
) -> None:
    x, y = _fit(pipeline)
    assert isinstance(x, PipelineImages) and isinstance(y, PipelineLabels)
    if images is not None:
        assert _dims(x) == images
    assert _dims(y) == labels


@pytest.mark.parametrize(
    "pipeline",
    [
        IDFD.format(", label_mode=None"),
        IDFD.format(", labels=None"),
        FFD.format(", class_mode=None"),
    ],
)
def test_pipelines_without_labels_give_images_only(pipeline: str) -> None:
    x, y = _fit(pipeline)
    assert _dims(x) == (None, 256, 256, 3) and y is MISSING
    _, fits = _graph(f"model.fit({pipeline})\n")
    assert [f.y for f in fits] == [MISSING]  # no targets: no KRS4xx claim can be made


@pytest.mark.parametrize(
    "pipeline",
    [
        IDFD.format(", batch_size=None"),  # single images
        IDFD.format(", batch_size=size"),
        IDFD.format(', data_format="channels_first"'),
        IDFD.format(', subset="both", validation_split=0.2'),  # a tuple of two datasets
        IDFD.format("") + ".map(lambda x, y: (x, y))",
        IDFD.format("") + ".unbatch()",
        'ImageDataGenerator(data_format="channels_first").flow_from_directory("d")',
        'ImageDataGenerator(**options).flow_from_directory("d")',
        FFD.format(", *more"),
        FFD.format(", batch_size=size"),
        "ImageDataGenerator().flow(x, y)",
    ],
)
def test_what_decides_the_batches_is_not_known(pipeline: str) -> None:
    x, _ = _fit(pipeline)
    assert not isinstance(x, Tensor)


@pytest.mark.parametrize(
    ("pipeline", "images", "labels"),
    [
        (IDFD.format(", color_mode=mode"), (None, 256, 256, None), (None,)),
        (IDFD.format(", image_size=size"), (None, None, None, 3), (None,)),
        (IDFD.format(", label_mode=mode"), (None, 256, 256, 3), None),
        (FFD.format(", class_mode=mode"), (None, 256, 256, 3), None),
        (FFD.format(', class_mode="input"'), (None, 256, 256, 3), None),
        (IDFD.format(', class_names=names, label_mode="categorical"'), None, (None, None)),
    ],
)
def test_an_argument_that_is_not_literal_leaves_only_its_part_unknown(
    pipeline: str, images: tuple[int | None, ...] | None, labels: tuple[int | None, ...] | None
) -> None:
    x, y = _fit(pipeline)
    if images is not None:
        assert _dims(x) == images
    assert (y is UNKNOWN) if labels is None else _dims(y) == labels


def test_subset_both_unpacks_into_two_pipelines_and_validation_data_is_read() -> None:
    data, fits = _graph(
        """
        train, val = keras.utils.image_dataset_from_directory(
            "d", validation_split=0.2, subset="both", seed=1, color_mode="grayscale")
        model.fit(train, validation_data=val)
        """
    )
    assert [(d.method, _dims(d.x), _dims(d.y)) for d in data] == [
        ("fit", (None, 256, 256, 1), (None,)),
        ("fit validation_data", (None, 256, 256, 1), (None,)),
    ]
    assert [(f.method, _dims(f.y)) for f in fits] == [
        ("fit", (None,)),
        ("fit validation_data", (None,)),
    ]
    # the claims sit at the pipeline's argument: there is no y
    assert [ast.unparse(f.y_node) for f in fits] == ["train", "val"]


def test_fit_generator_of_a_pipeline_is_fit() -> None:
    data, fits = _graph(f"model.fit_generator({FFD.format('')}, steps_per_epoch=10)\n")
    assert [(d.method, _dims(d.x), _dims(d.y)) for d in data] == [
        ("fit", (None, 256, 256, 3), (None, None))
    ]
    assert [_dims(f.y) for f in fits] == [(None, None)]
    data, fits = _graph("model.fit_generator(batches(), steps_per_epoch=10)\n")
    assert not fits and not data  # a generator of the file's own: not followed


def test_predict_reads_the_images_and_no_targets() -> None:
    data, fits = _graph(f"model.predict({IDFD.format('')})\n")
    assert _dims(data[0].x) == (None, 256, 256, 3) and data[0].y is MISSING and not fits


def test_explicit_y_wins_over_a_pipeline() -> None:
    """``fit(ds, y)`` is an error Keras reports itself; the engine keeps what was written."""
    data, _ = _graph(f"model.fit({IDFD.format('')}, tf.zeros((4,)))\n")
    assert not isinstance(data[0].x, Tensor)


def test_messages_name_the_pipeline_argument() -> None:
    found = {
        (d.line, d.code): d.message
        for name in CLAIM_FIXTURES
        for d in analyze_source((FIXTURES / name).read_text(encoding="utf-8"))
    }
    messages = list(found.values())
    assert any('(fix: color_mode="rgb")' in m for m in messages)
    assert any('(fix: color_mode="grayscale")' in m for m in messages)
    assert any('(fix: label_mode="categorical")' in m for m in messages)
    assert any('(fix: class_mode="categorical")' in m for m in messages)
    assert any('(fix: label_mode="int")' in m for m in messages)
    assert any('(fix: class_mode="sparse")' in m for m in messages)
    assert any("one-hot targets (None, k)" in m for m in messages)


# --- real Keras --------------------------------------------------------------------------------


def _directory(tmp: Path, classes: int = 3, per_class: int = 3) -> Path:
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(0)
    for c in range(classes):
        (tmp / f"class{c}").mkdir(parents=True)
        for i in range(per_class):
            png = tf.io.encode_png(rng.integers(0, 255, (8, 8, 3), dtype=np.uint8))
            tf.io.write_file(str(tmp / f"class{c}" / f"{i}.png"), png)
    return tmp


def _batch_shapes(dataset: Any) -> list[tuple[int, ...]]:
    batch = next(iter(dataset))
    parts = batch if isinstance(batch, tuple) else (batch,)
    return [tuple(int(d) for d in part.shape) for part in parts]


def _one_step(keras: Any, model: Any, loss: str, dataset: Any) -> str:
    try:
        model.compile(optimizer="sgd", loss=loss)
        model.fit(dataset, epochs=1, steps_per_epoch=1, verbose=0)
        return "trains"
    except Exception:
        return "raises"


@pytest.mark.tensorflow
@pytest.mark.parametrize("backend", ["keras", "tf_keras"])
def test_measured_image_dataset_from_directory(backend: str, tmp_path: Path) -> None:
    """What the engine follows, measured on a real directory of 3 classes of 8x8 PNGs."""
    keras = load(backend).keras
    root = str(_directory(tmp_path))
    quiet = {"verbose": False} if backend == "keras" else {}

    def ds(**options: Any) -> Any:
        return keras.utils.image_dataset_from_directory(root, batch_size=4, **quiet, **options)

    assert _batch_shapes(ds()) == [(4, 256, 256, 3), (4,)]
    assert _batch_shapes(ds(image_size=(8, 8), color_mode="grayscale")) == [(4, 8, 8, 1), (4,)]
    assert _batch_shapes(ds(image_size=(8, 8), color_mode="rgba")) == [(4, 8, 8, 4), (4,)]
    assert _batch_shapes(ds(image_size=(8, 8), label_mode="categorical")) == [
        (4, 8, 8, 3),
        (4, 3),
    ]
    assert _batch_shapes(ds(image_size=(8, 8), label_mode=None)) == [(4, 8, 8, 3)]
    # what fit does with each mismatch, on a small CNN with a GlobalAveragePooling head
    layers = keras.layers

    def cnn(channels: int, units: int = 3) -> Any:
        return keras.Sequential(
            [
                keras.Input(shape=(8, 8, channels)),
                layers.Conv2D(2, 3),
                layers.GlobalAveragePooling2D(),
                layers.Dense(units, activation="softmax"),
            ]
        )

    def sized(head: Any) -> Any:
        return keras.Sequential(
            [keras.Input(shape=(16, 16, 3)), layers.Conv2D(2, 3), head, layers.Dense(3)]
        )

    small = {"image_size": (8, 8)}
    sparse, categorical = "sparse_categorical_crossentropy", "categorical_crossentropy"
    facts = {
        "grayscale into 3 channels": _one_step(
            keras, cnn(3), sparse, ds(color_mode="grayscale", **small)
        ),
        "rgb into 1 channel": _one_step(keras, cnn(1), sparse, ds(**small)),
        "int labels, categorical loss": _one_step(keras, cnn(3), categorical, ds(**small)),
        "one-hot labels, sparse loss": _one_step(
            keras, cnn(3), sparse, ds(label_mode="categorical", **small)
        ),
        "3 classes, 5 units": _one_step(
            keras, cnn(3, 5), categorical, ds(label_mode="categorical", **small)
        ),
        "8x8 into 16x16, Flatten into Dense": _one_step(
            keras, sized(layers.Flatten()), sparse, ds(**small)
        ),
        "8x8 into 16x16, global pooling": _one_step(
            keras, sized(layers.GlobalAveragePooling2D()), sparse, ds(**small)
        ),
        "control: int labels, sparse loss": _one_step(keras, cnn(3), sparse, ds(**small)),
        "control: one-hot, categorical": _one_step(
            keras, cnn(3), categorical, ds(label_mode="categorical", **small)
        ),
    }
    assert facts == {
        "grayscale into 3 channels": "raises",
        "rgb into 1 channel": "raises",
        "int labels, categorical loss": "raises",
        "one-hot labels, sparse loss": "raises",
        "3 classes, 5 units": "raises",
        "8x8 into 16x16, Flatten into Dense": "raises",
        # a global pooling head: Keras 3's Sequential trains on any size (not a KRS301 claim)
        "8x8 into 16x16, global pooling": "trains" if backend == "keras" else "raises",
        "control: int labels, sparse loss": "trains",
        "control: one-hot, categorical": "trains",
    }


@pytest.mark.tensorflow
@pytest.mark.parametrize("backend", ["keras", "tf_keras"])
def test_measured_flow_from_directory(backend: str, tmp_path: Path) -> None:
    """flow_from_directory's batches (its loader needs Pillow, which TensorFlow does not
    install: the test dependencies do)."""
    keras = load(backend).keras
    if backend == "keras":  # Keras 3 keeps the class only under legacy (tf.keras exports it)
        from keras.src.legacy.preprocessing.image import ImageDataGenerator
    else:
        ImageDataGenerator = keras.preprocessing.image.ImageDataGenerator
    root = str(_directory(tmp_path))

    def shapes(**options: Any) -> list[tuple[int, ...]]:
        flow = ImageDataGenerator().flow_from_directory(root, batch_size=4, **options)
        batch = flow[0]
        parts = batch if isinstance(batch, tuple) else (batch,)
        return [tuple(part.shape) for part in parts]

    assert shapes() == [(4, 256, 256, 3), (4, 3)]
    assert shapes(target_size=(8, 8), color_mode="grayscale") == [(4, 8, 8, 1), (4, 3)]
    assert shapes(target_size=(8, 8), color_mode="rgba") == [(4, 8, 8, 4), (4, 3)]
    assert shapes(target_size=(8, 8), class_mode="sparse") == [(4, 8, 8, 3), (4,)]
    assert shapes(target_size=(8, 8), class_mode="binary") == [(4, 8, 8, 3), (4,)]
    assert shapes(target_size=(8, 8), class_mode=None) == [(4, 8, 8, 3)]
    assert shapes(target_size=(8, 8), classes=["class0", "class1"]) == [(4, 8, 8, 3), (4, 2)]


@pytest.fixture(scope="module", params=["keras", "tf_keras"])
def runtime(request: pytest.FixtureRequest) -> Runtime:
    return load(request.param)


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", CLAIM_FIXTURES)
def test_every_pipeline_fixture_claim_is_confirmed(name: str, runtime: Runtime) -> None:
    claims = analyze_source((FIXTURES / name).read_text(encoding="utf-8"))
    assert len(claims) >= 6
    for d in claims:
        result = verify(d, runtime)
        assert result.verdict == CONFIRMED, f"{name}:{d.line} {d.code}: {result.evidence}"
