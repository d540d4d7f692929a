"""Generate whole training scripts like real projects write them (never committed).

A script is a few hundred lines: a docstring, imports in one of four Keras styles, a config
block, helpers that never touch Keras (seeding, files, timing, metrics, plots), a custom
callback, then one model family (bench/script_families.py: tabular MLP, CNN, text classifier,
tagger, seq2seq, forecaster, autoencoder, transformer, subclassed Model, multi-input, ResNet,
image folder) with its data loading, model builder, compile/fit/evaluate, plotting and saving.
Half are laid out as keras-io examples (module-level code between markdown strings), half as
``main()`` programs with argparse. The sizes and densities follow the Keras examples measured
with bench/script_stats.py (keras-io and Keras 2's examples/). About one script in eight
carries one real shape bug; ``Script.planted`` says where flake8-keras must report it.
The output is deterministic for a given seed.

    python bench/training_scripts.py OUTDIR [--files 40] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import textwrap
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import script_families as fams

DEFAULT_FILES = 40
BUG_EVERY = 8  # one script in eight carries a bug
_MARKER = re.compile(r"\s*#!(KRS\d{3})$")
_LAYER_NAMES = (
    *("Activation", "Add", "BatchNormalization", "Bidirectional", "Concatenate", "Conv2D"),
    *("Conv2DTranspose", "Dense", "Dropout", "Embedding", "Flatten", "GRU", "LSTM"),
    *("GlobalAveragePooling1D", "GlobalAveragePooling2D", "LayerNormalization"),
    *("MaxPooling2D", "MultiHeadAttention", "RandomFlip", "RandomRotation", "Rescaling"),
    *("Reshape", "SeparableConv2D"),
)
_BARE_LAYER = re.compile(r"(?<![\w.])(" + "|".join(_LAYER_NAMES) + r")\(")


@dataclass(frozen=True)
class Script:
    name: str
    family: str
    text: str
    planted: tuple[tuple[int, str], ...]  # (line, code) flake8-keras must report


_PROSE = {
    "intro": (
        "This example trains {summary} end to end.",
        "It covers loading and preprocessing the data, building the model, training it "
        "with callbacks, and evaluating it on held-out data.",
        "Everything runs on a CPU in a few minutes with the default settings.",
        "The script is meant as a starting point: change the constants below to adapt it.",
        "We keep the model small on purpose so that the example stays fast.",
    ),
    "setup": (
        "We import the libraries and fix the random seeds so that runs are repeatable.",
        "The constants below are the knobs you are most likely to change.",
        "Paths are relative to the working directory.",
    ),
    "data": (
        "First we load the data and look at its shape.",
        "Inputs are scaled to a small range, which helps the optimizer.",
        "We keep a part of the training data aside to validate on.",
        "The data loading code does not depend on Keras at all.",
        "If the dataset is not available locally it is downloaded on first use.",
    ),
    "model": (
        "Now we build the model.",
        "The architecture follows the usual recipe for this kind of data.",
        "Dropout between the layers limits overfitting on a dataset this small.",
        "The head of the model must agree with the targets and the loss.",
        "Printing the summary is a cheap way to check the shapes of every layer.",
    ),
    "training": (
        "We train with early stopping on the validation loss.",
        "The learning rate is halved whenever the validation loss stops improving.",
        "Training for longer improves the results a little.",
        "The history returned by fit is saved so that runs can be compared later.",
    ),
    "evaluation": (
        "Finally we evaluate the model on data it has never seen.",
        "A confusion matrix tells more than the accuracy alone.",
        "Looking at a few predictions is a good sanity check.",
    ),
    "saving": (
        "The trained model is saved in the native Keras format.",
        "It can be reloaded later with keras.models.load_model.",
        "The plots of the curves go to the same folder as the model.",
    ),
    "general": (  # the longer explanations of tutorial-style examples
        "Note that the shapes printed above include the batch dimension as None.",
        "A common mistake is to mix up the number of samples and the number of features.",
        "If you run out of memory, reduce the batch size before anything else.",
        "The validation metrics are the ones to watch; training metrics always improve.",
        "On a GPU the same code runs unchanged, only faster.",
        "You can replace the optimizer, but Adam is a good default for this problem.",
        "Keep an eye on the gap between the training and the validation loss.",
        "The numbers you get will differ slightly from run to run on a GPU.",
        "For a real project, tune the learning rate first: it matters the most.",
        "Data loading is often the bottleneck, not the model.",
        "The model is deliberately simple; deeper models need more data to pay off.",
        "We use the functional style where the graph has more than one path.",
    ),
}

_HELPERS = {
    "set_seed": '''def set_seed(seed):
    """Seed Python, NumPy and the hash of the interpreter."""
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)''',
    "ensure_dir": '''def ensure_dir(path):
    """Create the folder if needed and return it."""
    os.makedirs(path, exist_ok=True)
    return path''',
    "save_json": '''def save_json(payload, path):
    """Write a dict as indented JSON; numpy numbers become Python numbers."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=2, default=float)''',
    "load_config": '''def load_config(path, defaults):
    """Read overrides from a JSON file; unknown keys are an error.

    The file is optional: without it the defaults are used as they are.
    """
    config = dict(defaults)
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            overrides = json.load(handle)
        unknown = set(overrides) - set(defaults)
        if unknown:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        config.update(overrides)
    return config''',
    "Timer": '''class Timer:
    """Measure the wall time of a block: ``with Timer("fit"): ...``."""

    def __init__(self, label):
        self.label = label
        self.start = 0.0

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        elapsed = time.perf_counter() - self.start
        logger.info("%s took %s", self.label, format_seconds(elapsed))
        return False''',
    "format_seconds": '''def format_seconds(seconds):
    """Human readable duration: 75.2 -> '1m 15s'."""
    minutes, seconds = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h {minutes}m"
    if minutes:
        return f"{minutes}m {seconds}s"
    return f"{seconds}s"''',
    "moving_average": '''def moving_average(values, width=5):
    """Smooth a curve for plotting (same length, edges padded)."""
    values = np.asarray(values, dtype=float)
    if len(values) < width:
        return values
    kernel = np.ones(width) / width
    padded = np.pad(values, (width // 2, width - 1 - width // 2), mode="edge")
    return np.convolve(padded, kernel, mode="valid")''',
    "confusion_matrix": '''def confusion_matrix(true, predicted, num_classes):
    """Counts of (true class, predicted class) pairs."""
    matrix = np.zeros((num_classes, num_classes), dtype=int)
    for t, p in zip(np.ravel(true), np.ravel(predicted)):
        matrix[int(t), int(p)] += 1
    return matrix''',
    "format_matrix": '''def format_matrix(matrix):
    """The confusion matrix as aligned text, with per-class recall."""
    width = max(len(str(matrix.max())), 4)
    rows = []
    for index, row in enumerate(matrix):
        cells = " ".join(str(v).rjust(width) for v in row)
        recall = row[index] / max(row.sum(), 1)
        rows.append(f"{index:>3} | {cells} | {recall:.2f}")
    return "\\n".join(rows)''',
    "plot_history": '''def plot_history(history, path):
    """Loss and metric curves of a fit, training against validation."""
    metrics = [m for m in history if not m.startswith("val_")]
    figure, axes = plt.subplots(1, len(metrics), figsize=(5 * len(metrics), 4))
    axes = np.atleast_1d(axes)
    for axis, metric in zip(axes, metrics):
        axis.plot(moving_average(history[metric]), label="train")
        if "val_" + metric in history:
            axis.plot(moving_average(history["val_" + metric]), label="validation")
        axis.set_title(metric)
        axis.set_xlabel("epoch")
        axis.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)''',
    "file_checksum": '''def file_checksum(path, chunk=1 << 20):
    """SHA-256 of a file, read in chunks (to tag saved models)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(chunk), b""):
            digest.update(block)
    return digest.hexdigest()''',
    "write_rows": '''def write_rows(rows, path, header):
    """Write predictions or metrics as CSV for the report notebook."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
    return len(rows)''',
    "describe_array": '''def describe_array(name, array):
    """Log the shape, dtype and range of an array."""
    array = np.asarray(array)
    logger.info(
        "%s: shape %s dtype %s min %.3f max %.3f",
        name,
        array.shape,
        array.dtype,
        float(array.min()),
        float(array.max()),
    )''',
    "cosine_schedule": '''def cosine_schedule(epoch, base_rate=1e-3, total=50, warmup=3):
    """Linear warm-up then cosine decay of the learning rate."""
    if epoch < warmup:
        return base_rate * (epoch + 1) / warmup
    progress = (epoch - warmup) / max(1, total - warmup)
    return 0.5 * base_rate * (1.0 + math.cos(math.pi * min(progress, 1.0)))''',
    "log_environment": '''def log_environment():
    """Record the versions the run used, for the experiment log."""
    logger.info("python %s on %s", sys.version.split()[0], sys.platform)
    logger.info("numpy %s", np.__version__)
    logger.info("working directory %s", os.getcwd())''',
}
_ALWAYS = ("set_seed", "save_json")
_LOGGING_HELPERS = ("Timer", "describe_array", "log_environment")
_NEEDS = {
    "Timer": ("format_seconds",),
    "plot_history": ("moving_average",),
    "format_matrix": ("confusion_matrix",),
}

_IMPORTS = (
    ("argparse", "import argparse"),
    ("csv", "import csv"),
    ("hashlib", "import hashlib"),
    ("json", "import json"),
    ("logging", "import logging"),
    ("math", "import math"),
    ("os", "import os"),
    ("random", "import random"),
    ("sys", "import sys"),
    ("time", "import time"),
)


@dataclass
class Plan:
    """What one script holds besides its family: its size profile drives the rest."""

    style: fams.Style
    fam: fams.Family
    profile: str  # short (Keras 2 examples), medium, long (keras-io tutorials)
    helpers: list[str]
    callback: bool

    @property
    def needs_logger(self) -> bool:
        return self.callback or any(h in self.helpers for h in _LOGGING_HELPERS)

    def steps(self) -> list[fams.Step]:
        """The family's steps; a long tutorial trains a second configuration too."""
        steps = list(self.fam.steps)
        if self.profile == "long":
            again = [step for step in steps if step.topic in ("model", "training")]
            steps += [
                fams.Step(f"{step.title}, second run", step.topic, step.code) for step in again
            ]
        return steps

    def cell(self, r: random.Random, title: str, topic: str) -> list[str]:
        """A keras-io markdown cell, or a comment in a short Keras 2 style script."""
        if self.profile == "short":
            return [f"# {title}"]
        return ['"""', f"## {title}", "", *self.prose(r, topic), '"""', ""]

    def prose(self, r: random.Random, topic: str, width: int = 76) -> list[str]:
        pool = _PROSE[topic] + (_PROSE["general"] if self.profile == "long" else ())
        count = {"short": 1, "medium": r.randint(2, 6), "long": r.randint(6, 14)}[self.profile]
        chosen = r.sample(pool, min(count, len(pool)))
        sentences = [s.format(summary=self.fam.summary) for s in chosen]
        out: list[str] = []
        while sentences:  # paragraphs of two to four sentences
            size = r.randint(2, 4)
            text = " ".join(sentences[:size])
            del sentences[:size]
            out += [*([""] if out else []), *textwrap.wrap(text, width)]
        return out


def _callback(k: str) -> str:
    return f'''class EpochLogger({k}.callbacks.Callback):
    """Log the metrics every few epochs instead of a progress bar per batch."""

    def __init__(self, log_every=1):
        super().__init__()
        self.log_every = log_every
        self.started = 0.0

    def on_train_begin(self, logs=None):
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.log_every:
            return
        shown = ", ".join(f"{{k}}={{v:.4f}}" for k, v in (logs or {{}}).items())
        elapsed = time.perf_counter() - self.started
        logger.info("epoch %d (%.0fs): %s", epoch + 1, elapsed, shown)'''


def _parse_args() -> str:
    return '''def parse_args(argv=None):
    """Command-line overrides of the constants above."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--learning-rate", type=float, default=LEARNING_RATE)
    parser.add_argument("--output-dir", default=OUTPUT_DIR)
    parser.add_argument("--config", help="JSON file of overrides")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--quiet", action="store_true", help="log warnings only")
    return parser.parse_args(argv)'''


def _config(r: random.Random, fam: fams.Family) -> list[str]:
    common = [
        ("SEED", str(r.choice((0, 7, 42, 1337))), "fixed for repeatable runs"),
        ("EPOCHS", str(r.choice((10, 20, 30, 50, 100))), "upper bound; early stopping ends sooner"),
        ("BATCH_SIZE", str(r.choice((32, 64, 128, 256))), "samples per gradient step"),
        ("LEARNING_RATE", r.choice(("1e-3", "3e-4", "0.001")), "Adam's step size"),
        ("PATIENCE", str(r.choice((3, 5, 10))), "epochs without improvement before stopping"),
        ("LOG_EVERY", str(r.choice((1, 5))), "epochs between log lines"),
        ("VALID_FRACTION", str(r.choice((0.1, 0.15, 0.2))), "held out for validation"),
        ("DATA_DIR", '"data"', "where the raw data lives"),
        ("OUTPUT_DIR", '"runs/latest"', "plots, history and the saved model"),
    ]
    lines = []
    for name, value, comment in common + fam.constants:
        lines.append(f"{name} = {value}  # {comment}")
    return lines


def _imports(style: fams.Style, body: str, uses_pandas: bool) -> list[str]:
    lines = [imp for name, imp in _IMPORTS if re.search(rf"(?<![\w.]){name}\.", body)]
    lines.append("")
    if "plt." in body:
        lines.append("import matplotlib.pyplot as plt")
    lines.append("import numpy as np")
    if uses_pandas:
        lines.append("import pandas as pd")
    if style.name == "import keras":
        lines.append("import keras")
        if "layers." in body:
            lines.append("from keras import layers")
    elif style.name == "from tensorflow import keras":
        if "tf." in body:
            lines.append("import tensorflow as tf")
        lines.append("from tensorflow import keras")
        lines.append("from tensorflow.keras import layers")
    elif style.name == "tf.keras.*":
        lines.append("import tensorflow as tf")
    else:
        lines.append("import keras")
        names = sorted(set(_BARE_LAYER.findall(body)))
        lines.append("from keras.layers import (")
        lines += [f"    {name}," for name in names]
        lines.append(")")
    return lines


def _helpers(r: random.Random, fam: fams.Family, profile: str) -> list[str]:
    chosen = set(_ALWAYS)
    optional = sorted(set(_HELPERS) - chosen)
    fewest, most = {"short": (0, 0), "medium": (0, 2), "long": (3, len(optional))}[profile]
    chosen |= set(r.sample(optional, r.randint(fewest, most)))
    if fam.name == "tabular_mlp":
        chosen |= {"confusion_matrix", "format_matrix"}
    for name, needs in _NEEDS.items():
        if name in chosen:
            chosen |= set(needs)
    return [name for name in _HELPERS if name in chosen]


def _title(fam: fams.Family) -> str:
    return fam.summary[0].upper() + fam.summary[1:]


_SUMMARY = (
    "history_lists = history.history",
    "summary = {",
    '    "epochs_run": len(history_lists["loss"]),',
    '    "final_loss": float(history_lists["loss"][-1]),',
    '    "best_val_loss": float(min(history_lists.get("val_loss", [np.nan]))),',
    '    "batch_size": BATCH_SIZE,',
    '    "learning_rate": LEARNING_RATE,',
    "}",
    "# the epoch with the lowest validation loss is the one early stopping kept",
    'if "val_loss" in history_lists:',
    '    summary["best_epoch"] = int(np.argmin(history_lists["val_loss"])) + 1',
    "for key, value in sorted(summary.items()):",
    '    print(f"{key:>20}: {value}")',
)


def _ending(plan: Plan, folder: str) -> list[str]:
    out = []
    if plan.profile != "short":
        out += [*_SUMMARY, f"save_json(summary, os.path.join({folder}, 'summary.json'))"]
    if "plot_history" in plan.helpers:
        out.append(f"plot_history(history.history, os.path.join({folder}, 'history.png'))")
    return out + [f"model.save(os.path.join({folder}, 'model.keras'))"]


def _notebook(r: random.Random, plan: Plan) -> str:
    """keras-io layout: a header docstring, markdown strings between module-level code."""
    style, fam = plan.style, plan.fam
    out = [
        '"""',
        f"Title: {_title(fam)}",
        f"Author: {r.choice(('fchollet', 'a contributor', 'the ML team'))}",
        f"Date created: 20{r.randint(19, 23)}/{r.randint(1, 12):02d}/{r.randint(1, 28):02d}",
        f"Description: Train {fam.summary} with Keras.",
        "Accelerator: GPU",
        '"""',
        '"""',
        "## Introduction",
        "",
        *plan.prose(r, "intro"),
        "",
        *plan.prose(r, "setup"),
        '"""',
        "",
        "@IMPORTS@",
        "",
        '"""',
        "## Configuration",
        '"""',
        "",
        *_config(r, fam),
        "",
    ]
    if plan.needs_logger:
        out += ["logger = logging.getLogger(__name__)", ""]
    out += plan.cell(r, "Helpers", "setup")
    for name in plan.helpers:
        out += [_HELPERS[name], "", ""]
    if plan.callback:
        out += [_callback(style.k), "", ""]
    for function in fam.functions:
        out += [function, "", ""]
    out += ["set_seed(SEED)", "os.makedirs(OUTPUT_DIR, exist_ok=True)", ""]
    for step in plan.steps():
        out += plan.cell(r, step.title, step.topic)
        out += step.code + [""]
    out += [*plan.cell(r, "Curves and saving", "saving"), *_ending(plan, "OUTPUT_DIR")]
    return "\n".join(out) + "\n"


def _program(r: random.Random, plan: Plan) -> str:
    """A ``main()`` program: argparse, functions, the flow in main, comments between steps."""
    style, fam = plan.style, plan.fam
    usage = f"    python {fam.name}.py --epochs 5 --output-dir runs/try"
    out = [
        f'"""{_title(fam)}.',
        "",
        *plan.prose(r, "intro"),
        "",
        "Usage:",
        "",
        usage,
        '"""',
        "",
        "@IMPORTS@",
        "",
        "# " + "-" * 70,
        "# Configuration",
        "# " + "-" * 70,
        *_config(r, fam),
        "",
    ]
    if plan.needs_logger:
        out += ["logger = logging.getLogger(__name__)", ""]
    out += [""]
    for name in plan.helpers:
        out += [_HELPERS[name], "", ""]
    if plan.callback:
        out += [_callback(style.k), "", ""]
    for function in fam.functions:
        out += [function, "", ""]
    out += [_parse_args(), "", ""]
    body = [
        "args = parse_args()",
        "set_seed(args.seed)",
        "os.makedirs(args.output_dir, exist_ok=True)",
    ]
    for step in plan.steps():
        comments = [f"# {line}".rstrip() for line in plan.prose(r, step.topic)]
        body += ["", f"# {step.title}", *comments]
        body += step.code
    body += [
        "",
        "# Curves and saving",
        *_ending(plan, "args.output_dir"),
    ]
    out += ["def main():", '    """Load, build, train, evaluate and save."""']
    out += [f"    {line}" if line else "" for line in body]
    out += ["", "", 'if __name__ == "__main__":', "    main()"]
    return "\n".join(out) + "\n"


def _strip_markers(text: str) -> tuple[str, tuple[tuple[int, str], ...]]:
    lines, planted = [], []
    for number, line in enumerate(text.split("\n"), 1):
        match = _MARKER.search(line)
        if match:
            planted.append((number, match.group(1)))
            line = line[: match.start()]
        lines.append(line)
    return "\n".join(lines), tuple(planted)


def generate(files: int = DEFAULT_FILES, seed: int = 0) -> list[Script]:
    r = random.Random(seed)
    names = list(fams.FAMILIES)
    bug_kinds = sorted(fams.BUGS)
    r.shuffle(bug_kinds)
    scripts = []
    for i in range(files):
        bug = bug_kinds[(i // BUG_EVERY) % len(bug_kinds)] if i % BUG_EVERY == 5 else None
        family = r.choice(fams.BUGS[bug]) if bug else names[i % len(names)]
        style = r.choices(fams.STYLES, weights=(35, 25, 20, 20))[0]
        fam = fams.FAMILIES[family](r, style, bug)
        profile = r.choices(("short", "medium", "long"), weights=(25, 45, 30))[0]
        plan = Plan(style, fam, profile, _helpers(r, fam, profile), r.random() < 0.4)
        if not plan.callback:
            for step in fam.steps:
                step.code = [line for line in step.code if "EpochLogger" not in line]
        layout = _notebook if r.random() < 0.5 else _program
        text = layout(r, plan)
        text = text.replace("@IMPORTS@", "\n".join(_imports(style, text, fam.uses_pandas)))
        text, planted = _strip_markers(text)
        kind = f"bug_{bug.lower()}" if bug else "ok"
        scripts.append(Script(f"{i:03d}_{kind}_{family}.py", family, text, planted))
    return scripts


def write_scripts(root: str, files: int = DEFAULT_FILES, seed: int = 0) -> list[Script]:
    os.makedirs(root, exist_ok=True)
    scripts = generate(files, seed)
    for script in scripts:
        with open(os.path.join(root, script.name), "w", encoding="utf-8") as fh:
            fh.write(script.text)
    return scripts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir")
    parser.add_argument("--files", type=int, default=DEFAULT_FILES)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    scripts = write_scripts(args.outdir, args.files, args.seed)
    bugs = sum(1 for s in scripts if s.planted)
    print(f"wrote {len(scripts)} scripts ({bugs} with a planted bug) to {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
