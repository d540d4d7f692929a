"""flake8-keras: static checks of Keras model graphs."""

from __future__ import annotations

# The one place the version is written: pyproject.toml reads it (a metadata lookup at import
# cost 2 ms of every flake8 run).
__version__ = "0.1.0"
