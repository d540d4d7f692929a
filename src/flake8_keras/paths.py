"""Expanding command-line paths: files, directories (their ``.py`` files) and ``-`` for stdin."""

from __future__ import annotations

import os
from collections.abc import Iterator

_SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".tox", ".venv", "venv", "__pycache__", "node_modules"}
)


def python_files(paths: list[str]) -> Iterator[str]:
    """Each file as given, each directory's ``.py`` files sorted; ``-`` passes through."""
    for path in paths:
        if path == "-" or not os.path.isdir(path):
            yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
            for name in sorted(files):
                if name.endswith(".py"):
                    yield os.path.join(root, name)
