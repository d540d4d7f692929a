"""``flake8-keras check --format``: flake8 lines, JSON, SARIF 2.1.0 and GitHub annotations.

Every format carries the same facts per finding: code, rule name, path, line, column (1-based,
in characters, as flake8 prints it) and message. docs/formats.md is the reference.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from flake8_keras import __version__
from flake8_keras.flake8_run import READ_ERROR, SYNTAX_ERROR, Finding, Run
from flake8_keras.rules import DOCUMENTED

JSON_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

# code -> (kebab-case name, one-line summary); flake8's own two codes a check can report too
RULE_INFO: dict[str, tuple[str, str]] = {
    **{rule.code: (rule.name, rule.summary) for rule in DOCUMENTED},
    SYNTAX_ERROR: ("syntax-error", "the file does not parse, so no rule could check it"),
    READ_ERROR: ("unreadable-file", "the file could not be read, so no rule could check it"),
}
_ERRORS = frozenset({SYNTAX_ERROR, READ_ERROR})


def rule_name(code: str) -> str:
    return RULE_INFO.get(code, (code.lower(), ""))[0]


def level(code: str) -> str:
    """``error`` for a file that could not be checked, ``warning`` for a KRS finding."""
    return "error" if code in _ERRORS else "warning"


def as_default(run: Run) -> str:
    """flake8's default format, byte for byte: ``path:line:col: CODE message``."""
    return "".join(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}\n" for f in run.findings)


def _finding_dict(finding: Finding) -> dict[str, object]:
    return {
        "code": finding.code,
        "rule": rule_name(finding.code),
        "level": level(finding.code),
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
    }


def as_json(run: Run) -> str:
    document = {
        "version": JSON_VERSION,
        "tool": {"name": "flake8-keras", "version": __version__},
        "files_checked": run.files_checked,
        "findings": [_finding_dict(f) for f in run.findings],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def artifact_uri(path: str) -> str:
    """A relative path stays relative (code scanning resolves it against the checkout root)."""
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(path.replace(os.sep, "/").removeprefix("./"))  # flake8 prints ./a.py for "."


def _sarif_result(finding: Finding, rule_index: dict[str, int]) -> dict[str, object]:
    location: dict[str, object] = {"artifactLocation": {"uri": artifact_uri(finding.path)}}
    if finding.line >= 1:  # E902 reports line 0: the file as a whole
        location["region"] = {"startLine": finding.line, "startColumn": max(finding.column, 1)}
    result: dict[str, object] = {
        "ruleId": finding.code,
        "level": level(finding.code),
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": location}],
    }
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    return result


def as_sarif(run: Run) -> str:
    codes = list(RULE_INFO)
    rules = [
        {
            "id": code,
            "name": RULE_INFO[code][0],
            "shortDescription": {"text": RULE_INFO[code][1]},
            "defaultConfiguration": {"level": level(code)},
        }
        for code in codes
    ]
    rule_index = {code: i for i, code in enumerate(codes)}
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {"name": "flake8-keras", "version": __version__, "rules": rules}
                },
                # flake8 counts columns in characters (code points), SARIF's default is UTF-16
                "columnKind": "unicodeCodePoints",
                "results": [_sarif_result(f, rule_index) for f in run.findings],
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts (escapeData)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    # the same file's escapeProperty: data escaping plus ':' and ','
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(finding: Finding) -> str:
    properties = [f"file={_escape_property(finding.path)}"]
    if finding.line >= 1:
        properties += [f"line={finding.line}", f"col={finding.column}"]
    properties.append(f"title={_escape_property(finding.code)}")
    message = _escape_data(finding.message)
    return f"::{level(finding.code)} {','.join(properties)}::{message}\n"


def as_github(run: Run) -> str:
    return "".join(github_annotation(f) for f in run.findings)


FORMATS: dict[str, Callable[[Run], str]] = {
    "default": as_default,
    "json": as_json,
    "sarif": as_sarif,
    "github": as_github,
}
