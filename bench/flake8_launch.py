"""Run flake8 exactly as its console script does, optionally without the KRS plugin.

    python bench/flake8_launch.py [--without-plugin] FLAKE8-ARGS...

Both benchmark modes go through this launcher, in the same interpreter and environment, so the
only difference between them is the plugin: with ``--without-plugin`` flake8's plugin finder
skips the ``flake8-keras`` distribution, so ``flake8_keras`` is never imported and its checker
never runs (``--version`` then no longer lists it; the runner checks that).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

_DIST = "flake8-keras"


def hide_plugin() -> None:
    from flake8.plugins import finder

    found = finder._find_importlib_plugins

    def without_ours() -> Iterator[finder.Plugin]:
        return (p for p in found() if p.package != _DIST)

    finder._find_importlib_plugins = without_ours


def main(argv: list[str]) -> int:
    if argv[:1] == ["--without-plugin"]:
        hide_plugin()
        argv = argv[1:]
    from flake8.main.cli import main as flake8_main

    return flake8_main(argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
