"""``flake8-keras rule``: a rule's full documentation in the terminal (as ``ruff rule``).

``flake8-keras rule KRS101`` prints the rule's page (what it does, why, a tested example and its
fix); ``flake8-keras rule`` (or ``--all``) lists every rule with its summary. A code that is not a
rule is an error (exit 2).
"""

from __future__ import annotations

import argparse

from flake8_keras.cli import error
from flake8_keras.rule_docs import for_terminal
from flake8_keras.rules import DOCUMENTED

PROG = "flake8-keras rule"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Show a rule's documentation, or list every rule."
    )
    parser.add_argument("code", nargs="?", help="a rule code such as KRS101, or its name")
    parser.add_argument("--all", action="store_true", help="list every rule (the default)")
    args = parser.parse_args(argv)
    if args.code is None or args.all:
        width = max(len(rule.name) for rule in DOCUMENTED)
        for rule in DOCUMENTED:
            print(f"{rule.code}  {rule.name:<{width}}  {rule.summary}")
        return 0
    wanted = args.code.strip()
    for rule in DOCUMENTED:
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            print(for_terminal(rule), end="")
            return 0
    codes = ", ".join(rule.code for rule in DOCUMENTED)
    return error(PROG, f"unknown rule {wanted!r} (the rules: {codes})")
