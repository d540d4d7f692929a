"""Write the rule docs from the rule modules: ``docs/rules/KRSxxx.md`` and the README's table.

Each page is the rule's docstring with its tested cases filled in: the first INVALID case under
``## Example``, its fixed code (or the first VALID case) under ``## Use instead``. The README's
table between its two markers lists every documented rule. ``tests/test_rule_docs.py`` fails when
the committed copies differ from what this writes.

    python scripts/document_rules.py [--root DIR]    # DIR defaults to the repository
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flake8_keras.rule_docs import page
from flake8_keras.rules import DOCUMENTED, Rule

ROOT = Path(__file__).resolve().parent.parent
TABLE_START = "<!-- rules-table:start -->"
TABLE_END = "<!-- rules-table:end -->"


def table(rules: tuple[Rule, ...]) -> str:
    """The README's rule table, markers included."""
    rows = [
        TABLE_START,
        "| code | name | what it reports | reported at | fix |",
        "|---|---|---|---|---|",
    ]
    for rule in rules:
        fix = "yes" if rule.fixable else ""
        rows.append(
            f"| [{rule.code}](docs/rules/{rule.code}.md) | {rule.name} | {rule.summary} "
            f"| {rule.reported_at} | {fix} |"
        )
    rows.append(TABLE_END)
    return "\n".join(rows)


def with_table(readme: str, rules: tuple[Rule, ...]) -> str:
    start, end = readme.find(TABLE_START), readme.find(TABLE_END)
    if start < 0 or end < start or readme.count(TABLE_START) != 1:
        raise ValueError(f"README.md needs one {TABLE_START} ... {TABLE_END} pair")
    return readme[:start] + table(rules) + readme[end + len(TABLE_END) :]


def write(root: Path) -> list[Path]:
    """Write every page and the README table under ``root``; the files written."""
    docs = root / "docs" / "rules"
    docs.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in DOCUMENTED:
        path = docs / f"{rule.code}.md"
        path.write_text(page(rule), encoding="utf-8")
        written.append(path)
    readme = root / "README.md"
    readme.write_text(with_table(readme.read_text(encoding="utf-8"), DOCUMENTED), encoding="utf-8")
    return [*written, readme]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository to write into")
    args = parser.parse_args(argv)
    for path in write(args.root):
        print(path.relative_to(args.root))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
