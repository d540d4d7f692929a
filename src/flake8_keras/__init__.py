"""flake8-keras: static checks of Keras model graphs."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("flake8-keras")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"
