"""``flake8-keras verify PATH...``: every claim of the linter rebuilt in real Keras."""

from __future__ import annotations

import argparse
import ast
import json
import sys
import time
from collections import Counter
from typing import Any, TextIO

from flake8_keras.analysis import analyze_tree
from flake8_keras.paths import python_files
from flake8_keras.records import record
from flake8_keras.rules.base import Diagnostic
from flake8_keras.source import char_col, physical_lines, read_source
from flake8_keras.verify.isolation import KerasInfo, Worker, worker
from flake8_keras.verify.limits import CLAIM_MEMORY_MB, CLAIM_TIMEOUT_SECONDS
from flake8_keras.verify.runtime import KerasMissing, choose_module
from flake8_keras.verify.verdict import REFUTED, VERDICTS, Verdict

SCHEMA_VERSION = 1
PROGRESS_FROM = 5  # claims; fewer finish before anyone waits for a progress line


@record
class Claim:
    path: str
    line: int
    column: int  # 1-based, in characters, as flake8 prints it
    diagnostic: Diagnostic


@record
class Result:
    claim: Claim
    verdict: Verdict
    seconds: float

    def line(self) -> str:
        c = self.claim
        v = self.verdict
        return f"{c.path}:{c.line}:{c.column}: {c.diagnostic.code} {v.verdict} - {v.evidence}"

    def as_json(self) -> dict[str, Any]:
        c = self.claim
        return {
            "path": c.path,
            "line": c.line,
            "column": c.column,
            "code": c.diagnostic.code,
            "message": c.diagnostic.message,
            "verdict": self.verdict.verdict,
            "evidence": self.verdict.evidence,
            "measured": self.verdict.measured,
            "seconds": round(self.seconds, 4),
        }


def collect(
    paths: list[str], display_name: str, errors: TextIO, syntax_errors: TextIO | None = None
) -> tuple[list[Claim], int]:
    """Every diagnostic of every file, with flake8's position; the number of files that could
    not be read or parsed (each reported: unparsable ones as flake8's E999 line)."""
    claims: list[Claim] = []
    failed = 0
    for path in python_files(paths):
        text = read_source(path)
        if text is None:
            print(f"{path}: cannot read", file=errors)
            failed += 1
            continue
        name = display_name if path == "-" else path
        tree = _parse(text, name, syntax_errors or errors)
        if tree is None:
            failed += 1
            continue
        lines = physical_lines(text)
        for d in analyze_tree(tree, text):
            claims.append(Claim(name, d.line, char_col(lines, d.line, d.byte_col) + 1, d))
    return claims, failed


def _parse(text: str, name: str, out: TextIO) -> ast.Module | None:
    """The tree, or None after printing flake8's E999 line for the file."""
    try:
        return ast.parse(text)
    except SyntaxError as error:  # flake8 prints the 1-based offset as a 0-based column
        line, column = error.lineno or 1, (error.offset or 0) + 1
        print(f"{name}:{line}:{column}: E999 SyntaxError: {error.args[0]}", file=out)
    except (ValueError, RecursionError, MemoryError, OverflowError) as error:
        print(f"{name}:1:1: E999 {type(error).__name__}: {error}", file=out)
    return None


def verify_claims(
    claims: list[Claim], runner: Worker, progress: TextIO | None = None
) -> list[Result]:
    results = []
    for index, claim in enumerate(claims, 1):
        if progress is not None:
            print(
                f"[{index}/{len(claims)}] {claim.path}:{claim.line} {claim.diagnostic.code}",
                file=progress,
            )
        start = time.perf_counter()
        verdict = runner.verify(claim.diagnostic)
        results.append(Result(claim, verdict, time.perf_counter() - start))
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="flake8-keras verify",
        description="Rebuild every KRS claim in real Keras: confirmed, refuted or inconclusive.",
    )
    parser.add_argument("paths", nargs="+", help="files, directories, or - for stdin")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--stdin-display-name", default="stdin")
    parser.add_argument(
        "--keras",
        choices=("auto", "keras", "tf_keras"),
        default="auto",
        help="which Keras (auto: keras; tf_keras when TF_USE_LEGACY_KERAS=1 or keras is absent)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument(
        "--claim-timeout",
        type=float,
        default=CLAIM_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help=f"stop a claim after this long: inconclusive (default {CLAIM_TIMEOUT_SECONDS:g})",
    )
    parser.add_argument(
        "--claim-memory",
        type=int,
        default=CLAIM_MEMORY_MB,
        metavar="MB",
        help=f"memory a claim may add to its worker, else inconclusive (default {CLAIM_MEMORY_MB})",
    )
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return 0 if exit_.code == 0 else 2
    try:
        choose_module(args.keras)  # fail fast, before any work, when no Keras is installed
    except KerasMissing as error:
        print(error, file=sys.stderr)
        return 2
    if args.claim_timeout <= 0 or args.claim_memory <= 0:
        print(
            "flake8-keras verify: --claim-timeout and --claim-memory must be positive",
            file=sys.stderr,
        )
        return 2
    started = time.perf_counter()
    # E999 lines go where flake8 prints them, stdout, unless stdout is the JSON report.
    syntax_errors = sys.stderr if args.format == "json" else sys.stdout
    claims, failed = collect(args.paths, args.stdin_display_name, sys.stderr, syntax_errors)
    status = run(
        claims,
        args.keras,
        args.format,
        quiet=args.quiet,
        started=started,
        timeout=args.claim_timeout,
        memory_mb=args.claim_memory,
    )
    return 2 if failed else status


def run(
    claims: list[Claim],
    keras: str = "auto",
    fmt: str = "text",
    quiet: bool = False,
    started: float | None = None,
    out: TextIO | None = None,
    timeout: float = CLAIM_TIMEOUT_SECONDS,
    memory_mb: int = CLAIM_MEMORY_MB,
) -> int:
    """Verify the claims and print the report; the exit status (0, 1 refuted, 2 no Keras)."""
    out = out or sys.stdout
    started = time.perf_counter() if started is None else started
    runtime: KerasInfo | None = None
    import_seconds = 0.0
    results: list[Result] = []
    if claims:  # Keras is imported (in the worker) only when there is something to verify
        runner = worker(keras, timeout, memory_mb)
        try:
            before = time.perf_counter()
            runtime = runner.start()
            import_seconds = time.perf_counter() - before
        except KerasMissing as error:
            print(error, file=sys.stderr)
            return 2
        progress = sys.stderr if len(claims) >= PROGRESS_FROM and not quiet else None
        results = verify_claims(claims, runner, progress)
    total = time.perf_counter() - started
    counts = Counter(r.verdict.verdict for r in results)
    if fmt == "json":
        print(
            json.dumps(json_report(results, counts, runtime, import_seconds, total), indent=2),
            file=out,
        )
    else:
        for result in results:
            print(result.line(), file=out)
        print(summary(results, counts, runtime, import_seconds, total), file=out)
    return 1 if counts.get(REFUTED) else 0


def json_report(
    results: list[Result],
    counts: Counter[str],
    runtime: KerasInfo | None,
    import_seconds: float,
    total: float,
) -> dict[str, Any]:
    keras = None
    if runtime is not None:
        keras = {"module": runtime.module, "version": runtime.version, "backend": runtime.backend}
    return {
        "version": SCHEMA_VERSION,
        "keras": keras,
        "results": [r.as_json() for r in results],
        "summary": {
            "claims": len(results),
            **{v: counts.get(v, 0) for v in VERDICTS},
            "import_seconds": round(import_seconds, 3),
            "seconds": round(total, 3),
        },
    }


def summary(
    results: list[Result],
    counts: Counter[str],
    runtime: KerasInfo | None,
    import_seconds: float,
    total: float,
) -> str:
    if not results:
        return "no claims to verify"
    parts = ", ".join(f"{counts[v]} {v}" for v in VERDICTS if counts.get(v))
    per_claim = sum(r.seconds for r in results) / len(results)
    where = f" with {runtime.describe()}" if runtime is not None else ""
    return (
        f"{len(results)} claim{'s' if len(results) != 1 else ''}: {parts}{where} "
        f"(import {import_seconds:.1f}s, {per_claim:.2f}s per claim, {total:.1f}s total)"
    )
