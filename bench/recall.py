"""Recall and precision of the plugin on the realistic corpus (tests/realistic).

Each ``bug_*.py`` holds one shape mistake whose line is marked ``# bug``; each ``ok_*.py`` is a
correct program. Real flake8 runs over the corpus (``--select KRS``); a finding counts as a hit
when it is on the ``# bug`` line or inside the statement (or list element) that starts there.

    recall    = bug files with a hit / bug files
    precision = findings that are hits / all findings in bug and ok files

    python bench/recall.py [CORPUS_DIR]
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "realistic"
_FINDING = re.compile(r"^(?P<path>.+?):(?P<row>\d+):(?P<col>\d+): (?P<code>KRS\d{3}) (?P<text>.*)$")
_BUG_MARK = re.compile(r"#\s*bug\s*$")


@dataclass(frozen=True)
class Finding:
    row: int
    code: str
    text: str


@dataclass
class FileResult:
    path: Path
    span: tuple[int, int] | None  # the bug statement's lines (bug files only)
    findings: list[Finding] = field(default_factory=list)

    def hits(self) -> list[Finding]:
        if self.span is None:
            return []
        first, last = self.span
        return [f for f in self.findings if first <= f.row <= last]


def bug_span(path: Path) -> tuple[int, int] | None:
    """Lines of what the ``# bug`` line holds: the nodes starting there, or its statement."""
    source = path.read_text(encoding="utf-8")
    marked = [n for n, line in enumerate(source.splitlines(), 1) if _BUG_MARK.search(line)]
    if not marked:
        return None
    line = marked[0]
    tree = ast.parse(source)
    starting = [
        node
        for node in ast.walk(tree)
        if isinstance(node, (ast.stmt, ast.expr)) and node.lineno == line
    ]
    if starting:
        return line, max(node.end_lineno or line for node in starting)
    around = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.stmt) and node.lineno <= line <= (node.end_lineno or line)
    ]
    if not around:
        return line, line
    inner = min(around, key=lambda node: (node.end_lineno or node.lineno) - node.lineno)
    return inner.lineno, inner.end_lineno or inner.lineno


def run_flake8(paths: list[Path]) -> dict[Path, list[Finding]]:
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "KRS", *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    if proc.returncode not in (0, 1):
        print(proc.stderr, file=sys.stderr)
    found: dict[Path, list[Finding]] = {}
    for line in proc.stdout.splitlines():
        match = _FINDING.match(line)
        if match:
            path = Path(match["path"]).resolve()
            finding = Finding(int(match["row"]), match["code"], match["text"])
            found.setdefault(path, []).append(finding)
    return found


def main(argv: list[str]) -> int:
    corpus = Path(argv[0]).resolve() if argv else CORPUS
    bugs = sorted(corpus.glob("bug_*.py"))
    oks = sorted(corpus.glob("ok_*.py"))
    found = run_flake8(bugs + oks)
    bug_results = [FileResult(p, bug_span(p), found.get(p.resolve(), [])) for p in bugs]
    ok_results = [FileResult(p, None, found.get(p.resolve(), [])) for p in oks]

    width = max((len(p.name) for p in bugs), default=10)
    print(f"{'bug file':<{width}}  {'line':>5}  {'hit':<3}  codes reported")
    print("-" * (width + 40))
    for result in bug_results:
        codes = ", ".join(f"{f.code}@{f.row}" for f in result.findings) or "-"
        line = str(result.span[0]) if result.span else "?"
        hit = "yes" if result.hits() else "no"
        print(f"{result.path.name:<{width}}  {line:>5}  {hit:<3}  {codes}")

    hit_files = sum(1 for r in bug_results if r.hits())
    hits = sum(len(r.hits()) for r in bug_results)
    total = sum(len(r.findings) for r in bug_results + ok_results)
    false_positives = [
        (r.path.name, f) for r in bug_results + ok_results for f in r.findings if f not in r.hits()
    ]
    recall = hit_files / len(bug_results) if bug_results else 0.0
    precision = hits / total if total else 1.0
    print()
    print(f"recall     {hit_files}/{len(bug_results)} bug files = {recall:.0%}")
    print(f"precision  {hits}/{total} findings on bug lines = {precision:.0%}")
    print(f"ok files flagged: {sum(1 for r in ok_results if r.findings)}/{len(ok_results)}")
    misses = [r.path.name for r in bug_results if not r.hits()]
    print(f"\nmisses ({len(misses)}):")
    for name in misses:
        print(f"  {name}")
    print(f"\nfindings off the bug line ({len(false_positives)}):")
    for name, f in false_positives:
        print(f"  {name}:{f.row}: {f.code} {f.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
