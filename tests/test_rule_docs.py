"""The committed rule docs are what scripts/document_rules.py writes from the rule modules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from flake8_keras.rules import DOCUMENTED, RULES

SCRIPT = ROOT / "scripts" / "document_rules.py"
START, END = "<!-- rules-table:start -->", "<!-- rules-table:end -->"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generator run into a copy of the README whose table is stale."""
    root = tmp_path_factory.mktemp("docs")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(START) + len(START), readme.index(END)
    (root / "README.md").write_text(readme[:start] + "\n| stale |\n" + readme[end:], "utf-8")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return root


def test_committed_rule_pages_are_current(generated: Path) -> None:
    pages = sorted(p.name for p in (generated / "docs" / "rules").iterdir())
    assert pages == sorted(f"{rule.code}.md" for rule in DOCUMENTED)
    committed = sorted(p.name for p in (ROOT / "docs" / "rules").iterdir())
    assert committed == pages, "run: python scripts/document_rules.py"
    for name in pages:
        new = (generated / "docs" / "rules" / name).read_text(encoding="utf-8")
        old = (ROOT / "docs" / "rules" / name).read_text(encoding="utf-8")
        assert old == new, f"docs/rules/{name} is stale: run python scripts/document_rules.py"


def test_readme_rule_table_is_current(generated: Path) -> None:
    new = (generated / "README.md").read_text(encoding="utf-8")
    assert new == (ROOT / "README.md").read_text(encoding="utf-8"), (
        "README.md's rule table is stale: run python scripts/document_rules.py"
    )
    table = new[new.index(START) : new.index(END)]
    assert "stale" not in table
    for rule in DOCUMENTED:
        assert f"[{rule.code}](docs/rules/{rule.code}.md) | {rule.name} |" in table


def test_every_page_shows_a_tested_case(generated: Path) -> None:
    for rule in RULES:
        page = (generated / "docs" / "rules" / f"{rule.code}.md").read_text(encoding="utf-8")
        example = page.split("## Example", 1)[1].split("## Use instead", 1)[0]
        assert rule.INVALID[0].source.split("\n")[0] in example
        assert f"# {rule.code}" in example  # the mark, as a reader sees it
        assert f"# {rule.code}:" not in page  # no column marks in the docs
