"""Benchmark: what the flake8-keras plugin adds to a flake8 run, per corpus.

    python bench/run.py [--runs 5] [--corpus keras stdlib generated scripts realistic dir:PATH]
                        [--gen-dir DIR] [--gen-files N] [--instructions]

For each corpus it runs ``flake8 -j 1 --isolated`` over the corpus's files with and without the
plugin, alternating the two (which one goes first alternates too), and prints the median wall
and CPU time of each, their ratio, and each mode's peak memory (max RSS of the flake8 process).
"Without" is the same interpreter and environment with the plugin's entry point hidden from
flake8's plugin finder (bench/flake8_launch.py), so nothing else differs between the two modes.
The plugin's bytecode is written first, as a ``pip install`` writes it (``compile_plugin``).

Then, in this process, it times the plugin alone on every file (``KerasChecker(tree, lines).run()``
with flake8's tree handed in, as flake8 does), counts the files that pass the gate
(``rules.may_trigger``) and lists the slowest. On the generated corpus it also times flake8's own
per-file work (its ``FileChecker`` without the plugin) to give the plugin's share per gated file.

With ``--instructions`` it also runs flake8 once per mode under valgrind's callgrind and prints
the instruction counts and their ratio: the same in every run of the same code, so it tells a
real change from this machine's noise (CPU times of one mode vary by 10-15% here); it does not
see what an instruction costs, so the targets stay on CPU time.

Corpora: the installed ``keras`` package (located without importing it), the standard library
(without site-packages), a generated corpus of 5,000-line Keras scripts (bench/corpus.py),
written to a temporary directory unless --gen-dir is given, and never committed; not defaults:
``scripts``, 40 whole training scripts of a few hundred lines as real projects write them
(bench/training_scripts.py, calibrated on the Keras examples with bench/script_stats.py;
target 1.10), generated like ``generated`` (into DIR/scripts with --gen-dir); ``realistic``,
the 56 snippets of tests/realistic (~24 lines each, written as test cases, so flake8's start-up
and the plugin's import dominate them; no target); and ``dir:PATH``, any directory of your own
(no target).
"""

from __future__ import annotations

import argparse
import ast
import compileall
import datetime
import importlib.metadata
import importlib.util
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import tokenize
import warnings
from dataclasses import dataclass, field
from functools import partial

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import corpus as corpus_gen  # noqa: E402
import flake8_launch  # noqa: E402
import training_scripts  # noqa: E402

_SKIP_DIRS = frozenset({"__pycache__", "site-packages", "dist-packages", ".git", ".tox", ".eggs"})
_TEMP = tempfile.TemporaryDirectory(prefix="krs-bench-")  # removed at exit
_SCRIPTS_TEMP = tempfile.TemporaryDirectory(prefix="krs-bench-scripts-")
# The data issue's targets: the keras sources, the standard library, and whole training scripts
# (``scripts``). The tests/realistic snippets were its first stand-in for the scripts; at 24
# lines each they measure the import and flake8's handling of our findings, so no target.
TARGETS = {"keras": 1.05, "stdlib": 1.01, "scripts": 1.10}
MEMORY_TARGET = 1.20
SHARE_TARGET = 0.10


@dataclass
class Corpus:
    name: str
    root: str
    files: list[str]
    lines: int = 0


@dataclass
class Runs:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    diagnostics: int = 0


def python_files(root: str) -> list[str]:
    found: list[str] = []
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        found.extend(os.path.join(dirpath, f) for f in sorted(files) if f.endswith(".py"))
    return found


def keras_root() -> str:
    spec = importlib.util.find_spec("keras")  # does not import keras (nor TensorFlow)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("keras is not installed")
    return list(spec.submodule_search_locations)[0]


def make_corpus(name: str, gen_dir: str | None, gen_files: int | None) -> Corpus:
    if name == "keras":
        root = keras_root()
    elif name == "stdlib":
        root = sysconfig.get_paths()["stdlib"]
    elif name == "generated":
        root = gen_dir or _TEMP.name
        corpus_gen.write_corpus(root, files=gen_files or 20, lines=5000)
    elif name == "scripts":
        root = os.path.join(gen_dir, "scripts") if gen_dir else _SCRIPTS_TEMP.name
        training_scripts.write_scripts(root, files=gen_files or training_scripts.DEFAULT_FILES)
    elif name == "realistic":  # tests/realistic: 56 snippets of ~24 lines, written as test cases
        root = os.path.join(os.path.dirname(HERE), "tests", "realistic")
    elif name.startswith("dir:"):  # anyone's own project: not a default, no target
        root = os.path.abspath(name[len("dir:") :])
        if not os.path.isdir(root):
            raise SystemExit(f"no such directory {root}")
    else:
        raise SystemExit(f"unknown corpus {name}")
    files = python_files(root)
    lines = 0
    for path in files:
        with open(path, "rb") as fh:
            lines += fh.read().count(b"\n")
    return Corpus(name, root, files, lines)


def compile_plugin() -> None:
    """Write the plugin's bytecode, as ``pip install`` does for flake8 and the other packages.

    An editable install has none, and with PYTHONDONTWRITEBYTECODE set (this machine sets it)
    Python would compile the plugin's 60-odd modules from source in every flake8 run: 45 ms
    that no installed copy pays, which would be measured as the plugin's cost."""
    spec = importlib.util.find_spec("flake8_keras")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("flake8-keras is not installed")
    for root in spec.submodule_search_locations:
        if not compileall.compile_dir(root, quiet=1):
            raise SystemExit(f"could not compile {root}")


def flake8_argv(files: list[str], with_plugin: bool, out_path: str) -> list[str]:
    """The ``flake8 -j 1`` command line of one run (its output file removed first: flake8
    appends to ``--output-file``)."""
    argv = [sys.executable, os.path.join(HERE, "flake8_launch.py")]
    if not with_plugin:
        argv.append("--without-plugin")
    if os.path.exists(out_path):
        os.remove(out_path)
    return argv + ["-j", "1", "--isolated", f"--output-file={out_path}", *files]


def flake8_once(files: list[str], with_plugin: bool, out_path: str) -> tuple[float, float, int]:
    """One ``flake8 -j 1`` process: wall seconds, CPU seconds, peak RSS in KiB."""
    argv = flake8_argv(files, with_plugin, out_path)
    peak_path = out_path + ".peak"
    env = dict(os.environ, KRS_BENCH_PEAK_FILE=peak_path)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"flake8 failed with exit code {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, peak_kib(peak_path, usage.ru_maxrss)


def instructions_once(files: list[str], with_plugin: bool, out_path: str) -> int:
    """The instructions one ``flake8 -j 1`` process executes, counted by valgrind's callgrind:
    the same for every run of the same code and input, whatever else the machine is doing."""
    valgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    argv = valgrind + flake8_argv(files, with_plugin, out_path)
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"flake8 under valgrind failed with exit code {proc.returncode}")
    found = re.search(r"Collected\s*:\s*(\d+)", proc.stderr)
    if found is None:
        raise SystemExit("valgrind printed no instruction count")
    return int(found.group(1))


def measure_instructions(c: Corpus) -> tuple[int, int]:
    """Instructions without and with the plugin, one valgrind run each (~50x slower)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.txt")
        without = instructions_once(c.files, False, out)
        with_ = instructions_once(c.files, True, out)
    print(f"  {c.name} instructions: without {without:,}, with {with_:,}", flush=True)
    return without, with_


def peak_kib(path: str, fallback: int) -> int:
    """The launcher's own peak (VmHWM); ``ru_maxrss`` also counts the benchmark process the
    child was forked from (101 MiB once the keras corpus was timed in process)."""
    try:
        with open(path, encoding="ascii") as fh:
            return int(fh.read())
    except (OSError, ValueError):
        return fallback
    finally:
        if os.path.exists(path):
            os.remove(path)


def count_krs(path: str) -> int:
    if not os.path.exists(path):
        return 0
    with open(path, encoding="utf-8", errors="replace") as fh:
        return sum(1 for line in fh if ": KRS" in line)


def measure_flake8(c: Corpus, runs: int) -> tuple[Runs, Runs]:
    without, with_ = Runs(), Runs()
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.txt")
        for i in range(runs):
            order = [(False, without), (True, with_)]
            for plugin, bucket in order if i % 2 == 0 else order[::-1]:
                wall, cpu, rss = flake8_once(c.files, plugin, out)
                bucket.wall.append(wall)
                bucket.cpu.append(cpu)
                bucket.rss_kb.append(rss)
                bucket.diagnostics = count_krs(out)
                print(
                    f"  {c.name} run {i + 1} {'with' if plugin else 'without'}: "
                    f"{wall:.2f}s wall {cpu:.2f}s cpu {rss // 1024} MiB",
                    flush=True,
                )
    if without.diagnostics:
        raise SystemExit("KRS diagnostics without the plugin: the plugin was not disabled")
    return without, with_


def read_source(path: str) -> tuple[str, list[str]] | None:
    try:
        with tokenize.open(path) as fh:
            lines = fh.readlines()
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None
    return "".join(lines), lines


def _median_time(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _median_times(first: object, second: object, repeat: int) -> tuple[float, float]:
    """The median times of two functions run in turn ``repeat`` times."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            fn()  # type: ignore[operator]
            out.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


@dataclass
class PluginCost:
    gated: int = 0
    total: float = 0.0
    per_file: list[tuple[float, str]] = field(default_factory=list)
    shares: list[tuple[float, float, float, str]] = field(default_factory=list)


def measure_plugin(c: Corpus, repeat: int, with_share: bool) -> PluginCost:
    from flake8_keras.plugin import KerasChecker
    from flake8_keras.rules import may_trigger

    cost = PluginCost()
    checker_env = _flake8_without_plugin() if with_share else None
    for path in c.files:
        source = read_source(path)
        if source is None:
            continue
        text, lines = source
        gated = may_trigger(text)
        cost.gated += gated
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # flake8 reports E999 and never runs tree plugins on such a file

        def plugin(tree: ast.AST = tree, lines: list[str] = lines, path: str = path) -> None:
            for _ in KerasChecker(tree, lines, path).run():
                pass

        if checker_env is not None and gated:
            # One run of each side in turn: a machine that slows down for a while slows both
            # (timed one side after the other, a slow spell tilted the share of a whole file).
            own, flake8_own = _median_times(
                plugin, partial(_flake8_file, checker_env, path), repeat
            )
            cost.shares.append((own / flake8_own, own, flake8_own, path))
        else:
            own = _median_time(plugin, repeat if gated else 1)
        cost.total += own
        cost.per_file.append((own, path))
    cost.per_file.sort(reverse=True)
    cost.shares.sort(reverse=True)
    return cost


def _flake8_without_plugin() -> tuple[object, object]:
    from flake8.options.parse_args import parse_args

    flake8_launch.hide_plugin()
    plugins, options = parse_args(["--isolated"])
    return plugins, options


def _flake8_file(env: tuple[object, object], path: str) -> None:
    from flake8.checker import FileChecker

    plugins, options = env
    FileChecker(filename=path, plugins=plugins.checkers, options=options).run_checks()  # type: ignore[attr-defined]


def header() -> str:
    versions = ", ".join(
        f"{dist} {importlib.metadata.version(dist)}"
        for dist in ("flake8", "flake8-keras", "pycodestyle", "pyflakes", "keras")
    )
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            model = (line for line in fh if line.startswith("model name"))
            cpu = next(model).split(":", 1)[1].strip()
    except (OSError, StopIteration):
        pass
    try:
        commit = subprocess.run(
            ["git", "-C", HERE, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    return (
        f"date: {datetime.date.today().isoformat()}, flake8-keras commit {commit or 'unknown'}\n"
        f"machine: {platform.machine()}, {cpu}, {os.cpu_count()} cores, {platform.system()}\n"
        f"python: {platform.python_implementation()} {platform.python_version()}; {versions}\n"
        f"command: python bench/run.py {' '.join(sys.argv[1:])}".rstrip()
    )


def report(
    c: Corpus,
    without: Runs,
    with_: Runs,
    cost: PluginCost,
    slowest: int,
    instructions: tuple[int, int] | None = None,
) -> list[str]:
    med = statistics.median
    wall_ratio = med(with_.wall) / med(without.wall)
    cpu_ratio = med(with_.cpu) / med(without.cpu)
    mem_ratio = max(with_.rss_kb) / max(without.rss_kb)
    target = TARGETS.get(c.name)
    verdict = "" if target is None else f" (target <= {target:.2f}: "
    if target is not None:
        verdict += ("met" if cpu_ratio <= target else "MISSED") + ")"
    out = [
        f"### {c.name}: {c.root}",
        "",
        "| files | lines | gated files | without (wall / cpu) | with (wall / cpu) "
        "| ratio wall | ratio cpu | peak RSS without / with | KRS found |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {len(c.files)} | {c.lines} | {cost.gated} | {med(without.wall):.2f} s / "
        f"{med(without.cpu):.2f} s | {med(with_.wall):.2f} s / {med(with_.cpu):.2f} s "
        f"| {wall_ratio:.3f} | {cpu_ratio:.3f} | {max(without.rss_kb) / 1024:.0f} / "
        f"{max(with_.rss_kb) / 1024:.0f} MiB ({mem_ratio:.2f}x) | {with_.diagnostics} |",
        "",
        f"- ratio (CPU medians, {len(with_.cpu)} runs each){verdict}; memory "
        f"{'met' if mem_ratio <= MEMORY_TARGET else 'MISSED'} (target <= {MEMORY_TARGET:.2f}x)",
        # The spread says how far to trust the medians: noise on a shared machine only adds
        # time, so the fastest runs of each mode are a second, noise-resistant estimate.
        f"- CPU per run: without {min(without.cpu):.2f}-{max(without.cpu):.2f} s, with "
        f"{min(with_.cpu):.2f}-{max(with_.cpu):.2f} s; ratio of the fastest runs "
        f"{min(with_.cpu) / min(without.cpu):.3f} (not a target)",
        f"- with - without: {med(with_.cpu) - med(without.cpu):.2f} s CPU; the plugin alone, in "
        f"process: {cost.total:.2f} s for all files (the rest: importing the plugin and flake8 "
        "handling its results, e.g. the noqa map of a file whose first error is ours); slowest:",
    ]
    for own, path in cost.per_file[:slowest]:
        out.append(f"  - {own * 1000:.1f} ms {os.path.relpath(path, c.root)}")
    if instructions is not None:
        # Noise-free, but blind to what an instruction costs (cache misses, the collector's
        # scans): a second opinion on the CPU ratio, not a substitute for it.
        ins_without, ins_with = instructions
        out.append(
            f"- instructions (valgrind, one run each): without {ins_without / 1e9:.3f} G, with "
            f"{ins_with / 1e9:.3f} G, ratio {ins_with / ins_without:.3f} (not a target)"
        )
    if cost.shares:
        worst = cost.shares[0]
        shares = [s[0] for s in cost.shares]
        met = "met" if worst[0] <= SHARE_TARGET else "MISSED"
        out.append(
            "- plugin time / flake8's own time per gated file: median "
            f"{statistics.median(shares):.1%}, worst {worst[0]:.1%} "
            f"({worst[1] * 1000:.1f} ms vs {worst[2] * 1000:.0f} ms, "
            f"{os.path.basename(worst[3])}) (target <= {SHARE_TARGET:.0%}: {met})"
        )
    return out + [""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="flake8 with vs without flake8-keras")
    parser.add_argument("--runs", type=int, default=5, help="flake8 runs per mode (median)")
    parser.add_argument("--corpus", nargs="+", default=["keras", "stdlib", "generated"])
    parser.add_argument("--gen-dir", help="directory for the generated corpus (default: temporary)")
    parser.add_argument(
        "--gen-files", type=int, help="files of a generated corpus (generated 20, scripts 40)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="in-process timings per gated file")
    parser.add_argument("--slowest", type=int, default=5)
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count the instructions of one run per mode under valgrind (deterministic; "
        "about 50x slower than a run)",
    )
    args = parser.parse_args(argv)
    if args.instructions and shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind")
    compile_plugin()
    lines = [header(), ""]
    print(lines[0], flush=True)
    for name in args.corpus:
        c = make_corpus(name, args.gen_dir, args.gen_files)
        print(f"{name}: {len(c.files)} files, {c.lines} lines in {c.root}", flush=True)
        without, with_ = measure_flake8(c, args.runs)
        cost = measure_plugin(c, args.repeat, with_share=name == "generated")
        instructions = measure_instructions(c) if args.instructions else None
        section = report(c, without, with_, cost, args.slowest, instructions)
        print("\n".join(section), flush=True)
        lines += section
    print("\n" + "=" * 72 + "\n" + "\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
