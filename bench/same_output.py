"""Record everything users see from flake8-keras, so a refactor can prove it changed nothing.

    python bench/same_output.py record DIR          # write the outputs into DIR
    python bench/same_output.py compare OLD NEW     # diff two recordings; exit 1 on a difference
    python bench/same_output.py record DIR --no-verify --no-packages   # the fast subset

What it records (each into its own file of DIR):
- ``flake8 --select KRS`` over ``examples/``, ``tests/fixtures/`` and every file of the installed
  ``keras`` and ``tf_keras`` packages (paths relative to each root, sorted);
- ``flake8-keras fix --diff`` over ``examples/`` and ``tests/fixtures/``;
- ``flake8-keras verify --format json`` over ``examples/`` with the timings removed (they are
  the only part of the output that legitimately differs between two runs).

To compare against the code of an older commit, record it from a worktree of that commit with
its ``src/`` first on ``PYTHONPATH``:

    git worktree add /tmp/old HEAD~5
    PYTHONPATH=/tmp/old/src python bench/same_output.py record /tmp/out-old
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_TIMINGS = ("seconds", "import_seconds")


def _package_root(name: str) -> str | None:
    spec = importlib.util.find_spec(name)  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    return list(spec.submodule_search_locations)[0]


def _run(args: list[str], cwd: str) -> str:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0")
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        sys.stderr.write(f"{args} exited {done.returncode}:\n{done.stderr[-2000:]}\n")
    return done.stdout


def _lint(root: str) -> str:
    out = _run(
        [sys.executable, "-P", "-m", "flake8", "--isolated", "--select", "KRS", "-j", "2", "."],
        root,
    )
    return "".join(sorted(out.splitlines(keepends=True)))


def _without_timings(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if k not in _TIMINGS}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def record(out_dir: str, verify: bool, packages: bool) -> None:
    os.makedirs(out_dir, exist_ok=True)
    outputs: dict[str, str] = {
        "lint_examples.txt": _lint(os.path.join(ROOT, "examples")),
        "lint_fixtures.txt": _lint(os.path.join(ROOT, "tests", "fixtures")),
    }
    cli = [sys.executable, "-P", "-m", "flake8_keras.cli"]
    for name in ("examples", "tests/fixtures"):
        key = "fix_diff_" + name.replace("/", "_") + ".txt"
        outputs[key] = _run([*cli, "fix", "--diff", name], ROOT)
    if packages:
        for package in ("keras", "tf_keras"):
            root = _package_root(package)
            if root is not None:
                outputs[f"lint_{package}.txt"] = _lint(root)
    if verify:
        raw = _run([*cli, "verify", "--format", "json", "examples"], ROOT)
        try:
            report = json.dumps(_without_timings(json.loads(raw)), indent=1, sort_keys=True)
        except json.JSONDecodeError:
            report = raw
        outputs["verify_examples.json"] = report + "\n"
    for name, text in outputs.items():
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"{name}: {len(text.splitlines())} lines")


def _read(path: str) -> str:
    if not os.path.exists(path):
        return ""
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def compare(old_dir: str, new_dir: str) -> int:
    names = sorted(set(os.listdir(old_dir)) | set(os.listdir(new_dir)))
    differences = 0
    for name in names:
        texts = []
        for directory in (old_dir, new_dir):
            path = os.path.join(directory, name)
            texts.append(_read(path))
        if texts[0] != texts[1]:
            differences += 1
            diff = difflib.unified_diff(
                texts[0].splitlines(keepends=True),
                texts[1].splitlines(keepends=True),
                f"{old_dir}/{name}",
                f"{new_dir}/{name}",
            )
            sys.stdout.writelines(diff)
        else:
            print(f"same: {name} ({len(texts[0].splitlines())} lines)")
    print(f"{differences} of {len(names)} outputs differ")
    return 1 if differences else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("dir")
    rec.add_argument("--no-verify", action="store_true", help="skip the verifier (TensorFlow)")
    rec.add_argument("--no-packages", action="store_true", help="skip keras/tf_keras sources")
    cmp = sub.add_parser("compare")
    cmp.add_argument("old")
    cmp.add_argument("new")
    args = parser.parse_args()
    if args.command == "record":
        record(args.dir, verify=not args.no_verify, packages=not args.no_packages)
        return 0
    return compare(args.old, args.new)


if __name__ == "__main__":
    sys.exit(main())
