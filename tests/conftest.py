"""Shared test helpers: fixture expectations and running real flake8 in a subprocess."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"
# The findings examples/ holds: one or more per rule (the README shows them all).
EXAMPLE_FINDINGS = 20
_EXPECT = re.compile(r"#\s*expect:\s*((?:KRS\d{3}(?:\s*,\s*)?)+)")


def expectations(path: Path) -> set[tuple[int, str]]:
    """(line, code) pairs a fixture marks with a trailing ``# expect: KRS101`` comment."""
    found: set[tuple[int, str]] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            for code in re.findall(r"KRS\d{3}", match.group(1)):
                found.add((number, code))
    return found


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.py"))


def flake8(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real flake8 of this interpreter's environment."""
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=300,
    )
