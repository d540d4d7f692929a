"""Run flake8 exactly as its console script does, optionally without the KRS plugin.

    python bench/flake8_launch.py [--without-plugin] FLAKE8-ARGS...

Both benchmark modes go through this launcher, in the same interpreter and environment, so the
only difference between them is the plugin: with ``--without-plugin`` flake8's plugin finder
skips the ``flake8-keras`` distribution, so ``flake8_keras`` is never imported and its checker
never runs (``--version`` then no longer lists it; the runner checks that).

With ``KRS_BENCH_PEAK_FILE`` set, it writes the process's peak resident memory (``VmHWM`` in
KiB, Linux) there when flake8 is done: ``ru_maxrss`` from ``wait4`` would also count the memory
of the benchmark process this one was forked from.
"""

from __future__ import annotations

import os
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

    status = flake8_main(argv)
    write_peak_memory(os.environ.get("KRS_BENCH_PEAK_FILE"))
    return status


def write_peak_memory(path: str | None) -> None:
    """This process's peak resident memory since its ``exec``, in KiB (nothing off Linux)."""
    if not path:
        return
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return
    with open(path, "w", encoding="ascii") as out:
        out.write(peak)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
