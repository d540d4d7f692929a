"""``flake8-keras check --format default|json|sarif|github``: the same facts in every format.

SARIF output is validated against the official OASIS SARIF 2.1.0 JSON schema (errata 01), vendored
as tests/schemas/sarif-schema-2.1.0.json from the SARIF TC's repository
(oasis-tcs/sarif-spec, sarif-2.1/schema/sarif-schema-2.1.0.json). jsonschema checks the ``uri``
formats only with optional packages, so the URIs are also checked here by hand.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest

from flake8_keras.flake8_run import Finding
from flake8_keras.report_formats import github_annotation
from flake8_keras.rules import RULES

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
MODEL = (
    "from tensorflow import keras\n"
    "from tensorflow.keras import layers\n"
    "inputs = keras.Input(shape=(64, 15))\n"
    "x = layers.GRU(16, return_sequences=True)(inputs)\n"
    "s = '日本'; y = layers.TimeDistributed(layers.Dense(15))(x)\n"
    "z = layers.TimeDistributed(layers.Dense(1))(layers.LSTM(8)(x))\n"
)
# a name with every character GitHub's property escaping and URIs care about
ODD_NAME = "odd dir/a,b:c%d é.py"
DEFAULT_LINE = re.compile(r"(.*?):(\d+):(\d+): ([A-Z]+\d+) (.*)")


def check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8_keras", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "odd dir").mkdir()
    (tmp_path / ODD_NAME).write_text(MODEL, encoding="utf-8")
    (tmp_path / "broken.py").write_text("import keras\nkeras.layers.LSTM(\n", encoding="utf-8")
    return tmp_path


def default_facts(project: Path) -> list[tuple[str, int, int, str, str]]:
    """(path, line, column, code, message) from flake8's default format."""
    matches = [DEFAULT_LINE.match(line) for line in check(project, ".").stdout.splitlines()]
    return [(m[1], int(m[2]), int(m[3]), m[4], m[5]) for m in matches if m]


def test_default_format_is_flake8s(project: Path) -> None:
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select=KRS,E999", "."],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = check(project, ".", "--format", "default")
    assert result.stdout == flake8.stdout and result.stdout.count("\n") == 3
    assert result.returncode == 2  # broken.py


def test_json_carries_code_rule_path_line_column_message(project: Path) -> None:
    result = check(project, ".", "--format", "json")
    document = json.loads(result.stdout)
    assert document["version"] == 1 and document["files_checked"] == 2
    names = {rule.code: rule.name for rule in RULES}
    got = [
        (f["path"], f["line"], f["column"], f["code"], f["message"]) for f in document["findings"]
    ]
    assert got == default_facts(project)
    for finding in document["findings"]:
        assert finding["rule"] == names.get(finding["code"], "syntax-error")
        assert finding["level"] == ("error" if finding["code"] == "E999" else "warning")
    assert result.returncode == 2


def test_sarif_validates_against_the_official_schema(project: Path) -> None:
    result = check(project, ".", "--format", "sarif")
    log = json.loads(result.stdout)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    ).validate(log)

    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for rule in RULES:
        entry = next(r for r in rules if r["id"] == rule.code)
        assert entry["name"] == rule.name and entry["shortDescription"]["text"] == rule.summary
    facts = []
    for sarif_result in run["results"]:
        assert rules[sarif_result["ruleIndex"]]["id"] == sarif_result["ruleId"]
        location = sarif_result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert " " not in uri and not urlsplit(uri).scheme  # relative, percent-encoded
        region = location["region"]
        facts.append(
            (
                unquote(uri),
                region["startLine"],
                region["startColumn"],
                sarif_result["ruleId"],
                sarif_result["message"]["text"],
            )
        )
    # SARIF columns are 1-based like flake8's; the run says they count code points, as flake8 does
    assert run["columnKind"] == "unicodeCodePoints"
    expected = [(path.removeprefix("./"), *rest) for path, *rest in default_facts(project)]
    assert facts == expected


def test_github_annotations_match_the_default_lines(project: Path) -> None:
    lines = check(project, ".", "--format", "github").stdout.splitlines()
    assert lines[0] == (
        "::error file=./broken.py,line=2,col=19,title=E999::SyntaxError: '(' was never closed"
    )
    assert lines[1].startswith(
        "::warning file=./odd dir/a%2Cb%3Ac%25d é.py,line=5,col=15,title=KRS101::"
        "TimeDistributed(Dense(15)) is redundant"
    )
    assert lines[2].startswith("::warning file=./odd dir/a%2Cb%3Ac%25d é.py,line=6,col=5,")
    assert len(lines) == len(default_facts(project))


def test_github_escaping_follows_the_actions_toolkit() -> None:
    finding = Finding("KRS101", "a,b:c%\r\n.py", 3, 7, "50% done:\r\nnext, line")
    assert github_annotation(finding) == (
        "::warning file=a%2Cb%3Ac%25%0D%0A.py,line=3,col=7,title=KRS101::"
        "50%25 done:%0D%0Anext, line\n"
    )
    unreadable = Finding("E902", "gone.py", 0, 1, "FileNotFoundError: x")
    assert (
        github_annotation(unreadable) == "::error file=gone.py,title=E902::FileNotFoundError: x\n"
    )
