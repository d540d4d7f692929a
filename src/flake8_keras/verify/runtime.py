"""Finding and importing Keras, lazily and once per run."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
from collections.abc import Iterator
from typing import Any

from flake8_keras.records import record

INSTALL_HINT = "pip install 'flake8-keras[verify]'"


class KerasMissing(Exception):
    """No usable Keras is installed."""


@record
class Runtime:
    keras: Any  # the keras (3) or tf_keras / keras 2 module
    tf: Any  # tensorflow when it is the backend, else None
    module: str  # "keras" or "tf_keras"
    version: str
    backend: str  # "tensorflow", "jax", "torch"...

    @property
    def keras3(self) -> bool:
        return int(self.version.split(".")[0]) >= 3

    def describe(self) -> str:
        return f"{self.module} {self.version}, backend {self.backend}"


def choose_module(preference: str = "auto") -> str:
    """Which Keras to use, without importing it: ``keras``, ``tf_keras``; KerasMissing if none."""
    if preference != "auto":
        candidates = [preference]
    elif os.environ.get("TF_USE_LEGACY_KERAS", "").lower() in ("1", "true"):
        candidates = ["tf_keras", "keras"]
    else:
        candidates = ["keras", "tf_keras"]
    for name in candidates:
        with contextlib.suppress(ImportError, ValueError):
            if importlib.util.find_spec(name) is not None:
                return name
    raise KerasMissing(
        f"flake8-keras verify needs Keras ({' or '.join(candidates)} is not installed): "
        f"{INSTALL_HINT}"
    )


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """TensorFlow's C++ logging writes to fd 2 while importing (also when Keras 3 on JAX imports
    it lazily for some layers); keep the report readable."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


_LOADED: dict[str, Runtime] = {}


def load(preference: str = "auto") -> Runtime:
    """Import Keras once per process (the verifier and its tests share it)."""
    name = choose_module(preference)
    if name in _LOADED:
        return _LOADED[name]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        with quiet_stderr():
            keras = importlib.import_module(name)
            version = str(keras.__version__)
            backend = (
                str(keras.backend.backend()) if hasattr(keras.backend, "backend") else "tensorflow"
            )
            tf = importlib.import_module("tensorflow") if backend == "tensorflow" else None
    except Exception as error:  # a broken install is as good as none
        raise KerasMissing(
            f"flake8-keras verify cannot import {name} ({error}): {INSTALL_HINT}"
        ) from error
    if tf is not None:
        tf.get_logger().setLevel("ERROR")  # retracing notes: every claim builds new functions
    runtime = Runtime(keras, tf, name, version, backend)
    _LOADED[name] = runtime
    return runtime
