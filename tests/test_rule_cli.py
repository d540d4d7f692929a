"""``flake8-keras rule``: the full documentation behind every short message, in the terminal."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT
from flake8_keras.rules import DOCUMENTED


def _rule(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8_keras", "rule", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_rule_prints_the_documented_page() -> None:
    result = _rule("KRS201")
    assert result.returncode == 0, result.stderr
    committed = (ROOT / "docs" / "rules" / "KRS201.md").read_text(encoding="utf-8")
    assert result.stdout == committed[: committed.rindex("<!-- Generated")].rstrip() + "\n"
    assert "## Why is this bad?" in result.stdout and "model.fit(" in result.stdout


def test_rule_by_name_and_in_lower_case() -> None:
    assert _rule("krs103").stdout == _rule("recurrent-needs-sequence").stdout != ""


def test_rule_without_a_code_lists_every_rule() -> None:
    result = _rule()
    assert result.returncode == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == [rule.code for rule in DOCUMENTED]
    assert _rule("--all").stdout == result.stdout


def test_unknown_rule_is_an_error() -> None:
    result = _rule("KRS999")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("flake8-keras rule: error: unknown rule 'KRS999'")


def test_closed_pipe_is_quiet() -> None:
    # `flake8-keras rule | head -1`: the reader leaves early; no traceback
    listing = subprocess.Popen(
        [sys.executable, "-m", "flake8_keras", "rule"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert listing.stdout is not None and listing.stderr is not None
    listing.stdout.close()  # before anything is read
    assert listing.wait(timeout=60) == 0
    assert b"Traceback" not in listing.stderr.read()
