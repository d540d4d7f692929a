"""What a directory of training scripts looks like: the statistics the script generator matches.

    python bench/script_stats.py DIR [DIR ...]

Per file: lines, comment and docstring lines (``#`` lines and every line of a statement that is
a bare string: docstrings and the markdown cells keras-io examples keep in module strings),
lines that call a Keras API by name (``keras.*``, ``tf.keras.*``, ``layers.*``, a name imported
from Keras), functions (methods included), classes, and the Keras import styles it uses.
"""

from __future__ import annotations

import argparse
import ast
import io
import os
import statistics
import sys
import tokenize
from dataclasses import dataclass, field

_KERAS_MODULES = ("keras", "tf_keras", "tensorflow.keras", "tensorflow.python.keras")
STYLES = ("import keras", "from tensorflow import keras", "from keras import ...", "tf.keras.*")


@dataclass
class FileStats:
    lines: int
    comment_lines: int
    keras_call_lines: int
    functions: int
    classes: int
    styles: frozenset[str] = field(default_factory=frozenset)


def _is_keras_module(name: str) -> bool:
    return any(name == m or name.startswith(m + ".") for m in _KERAS_MODULES)


def _import_aliases(tree: ast.Module) -> tuple[set[str], set[str], set[str]]:
    """The names bound to Keras modules or objects, the names bound to tensorflow, the styles."""
    keras_names: set[str] = set()
    tf_names: set[str] = set()
    styles: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                if alias.name == "tensorflow":
                    tf_names.add(bound)
                elif _is_keras_module(alias.name):
                    keras_names.add(bound)
                    styles.add("import keras")
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = {alias.asname or alias.name for alias in node.names}
            if node.module == "tensorflow" and "keras" in {a.name for a in node.names}:
                keras_names |= names
                styles.add("from tensorflow import keras")
            elif _is_keras_module(node.module):
                keras_names |= names
                styles.add("from keras import ...")
    return keras_names, tf_names, styles


def _dotted_head(func: ast.expr) -> list[str]:
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return parts[::-1]


def _comment_lines(source: str, tree: ast.Module) -> int:
    lines: set[int] = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                lines.add(tok.start[0])
    except (tokenize.TokenError, SyntaxError):
        pass
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return len(lines)


def file_stats(source: str) -> FileStats:
    tree = ast.parse(source)
    keras_names, tf_names, styles = _import_aliases(tree)
    call_lines: set[int] = set()
    functions = classes = 0
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions += 1
        elif isinstance(node, ast.ClassDef):
            classes += 1
        elif isinstance(node, ast.Call):
            head = _dotted_head(node.func)
            if not head:
                continue
            if head[0] in tf_names and len(head) > 1 and head[1] == "keras":
                styles.add("tf.keras.*")
                call_lines.add(node.lineno)
            elif head[0] in keras_names:
                call_lines.add(node.lineno)
    return FileStats(
        lines=source.count("\n"),
        comment_lines=_comment_lines(source, tree),
        keras_call_lines=len(call_lines),
        functions=functions,
        classes=classes,
        styles=frozenset(styles),
    )


def dir_stats(root: str) -> list[FileStats]:
    found: list[FileStats] = []
    for dirpath, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8", errors="replace") as fh:
                source = fh.read()
            try:
                found.append(file_stats(source))
            except SyntaxError:
                continue  # a script for another Python; flake8 reports E999 on it
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(stats: list[FileStats]) -> dict[str, float]:
    """The corpus's figures: sizes per file, and densities over all lines."""
    lines = [float(s.lines) for s in stats]
    total = sum(lines) or 1.0
    out = {
        "files": float(len(stats)),
        "lines median": statistics.median(lines),
        "lines p10": percentile(lines, 0.10),
        "lines p90": percentile(lines, 0.90),
        "comment share": sum(s.comment_lines for s in stats) / total,
        "keras call share": sum(s.keras_call_lines for s in stats) / total,
        "functions median": statistics.median(float(s.functions) for s in stats),
        "classes median": statistics.median(float(s.classes) for s in stats),
        "files with a class": sum(1 for s in stats if s.classes) / len(stats),
    }
    for style in STYLES:
        out[f"style {style}"] = sum(1 for s in stats if style in s.styles) / len(stats)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+")
    args = parser.parse_args(argv)
    for root in args.dirs:
        print(f"## {root}")
        for key, value in summary(dir_stats(root)).items():
            share = "share" in key or key.startswith(("style", "files with"))
            print(f"  {key}: {value:.0%}" if share else f"  {key}: {value:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
