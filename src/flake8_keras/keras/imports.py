"""Import paths -> canonical names.

Every spelling of Keras (``keras``, ``tf.keras``, ``tensorflow.keras``, ``tensorflow.python.keras``,
``tf_keras``, and the Keras 1/2 submodules ``layers.recurrent``, ``layers.wrappers``...) maps to one
canonical path starting with ``keras``; numpy maps to ``numpy``. Any other module is not ours.
"""

from __future__ import annotations

from functools import lru_cache

# Longest prefix first: the first match wins.
_KERAS_PREFIXES: tuple[tuple[str, str], ...] = (
    ("tensorflow.python.keras", "keras"),
    ("tensorflow.keras", "keras"),
    ("tensorflow.compat.v2.keras", "keras"),
    ("tensorflow.compat.v1.keras", "keras"),
    ("tf_keras", "keras"),
    ("keras", "keras"),
)

# Other libraries whose array functions are followed (arrays.py, datasets.py).
_FOLLOWED_FUNCTIONS = ("sklearn.model_selection",)

# Old submodules that hold the same symbols as their parent package.
_FLATTENED_SUBMODULES = (
    "keras.src.",
    "keras.api.",
    "keras._tf_keras.keras.",
)

_LAYER_SUBMODULES = (
    "recurrent",
    "recurrent_v2",
    "wrappers",
    "core",
    "embeddings",
    "convolutional",
    "convolutional_recurrent",
    "pooling",
    "merge",
    "normalization",
    "advanced_activations",
    "noise",
    "rnn",
    "cudnn_recurrent",
)


@lru_cache(maxsize=4096)
def canonical_module(path: str) -> str | None:
    """The canonical form of a module path, or None when it is neither Keras, TF, numpy nor
    one of ``_FOLLOWED_FUNCTIONS``."""
    if path == "numpy" or path.startswith("numpy."):
        return path
    if path == "tensorflow":
        return "tensorflow"
    for prefix, canon in _KERAS_PREFIXES:
        if path == prefix or path.startswith(prefix + "."):
            return _simplify(canon + path[len(prefix) :])
    if path.startswith("tensorflow.") or path.startswith(_FOLLOWED_FUNCTIONS):
        return path
    return None


def join(base: str, attr: str) -> str | None:
    """The canonical path of ``base.attr`` (``tensorflow`` + ``keras`` -> ``keras``)."""
    return canonical_module(f"{base}.{attr}")


def _simplify(path: str) -> str:
    for sub in _FLATTENED_SUBMODULES:
        if path.startswith(sub):
            path = "keras." + path[len(sub) :]
    parts = path.split(".")
    # keras.layers.recurrent.LSTM -> keras.layers.LSTM
    if len(parts) >= 3 and parts[1] == "layers" and parts[2] in _LAYER_SUBMODULES:
        del parts[2]
    # keras.utils.np_utils.to_categorical -> keras.utils.to_categorical
    if len(parts) >= 3 and parts[1] == "utils" and parts[2] in ("np_utils", "numerical_utils"):
        del parts[2]
    return ".".join(parts)


def is_keras(path: str) -> bool:
    return path == "keras" or path.startswith("keras.")


def keras_symbol(path: str) -> str | None:
    """The Keras class or function a canonical path names (``keras.layers.LSTM`` -> ``LSTM``)."""
    if not is_keras(path) or path == "keras" or path.startswith(_NOT_LAYERS):
        return None
    return path.rsplit(".", 1)[-1]


# Tensor functions and operations that share a layer's name (``keras.ops.subtract``,
# ``keras.ops.numpy.Reshape``, Keras 2's ``K.concatenate``, ``K.dot``): not layers.
_NOT_LAYERS = ("keras.ops.", "keras.backend.")
