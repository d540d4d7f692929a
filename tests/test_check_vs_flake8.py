"""``flake8-keras check`` reports exactly what the real flake8 reports, in a subprocess each.

Same findings with ``# noqa``, with ``.flake8`` / ``setup.cfg`` / ``tox.ini`` configuration
(``extend-ignore``, ``per-file-ignores``, ``exclude``), and the same columns on lines after form
feeds, ``\\x1c``-``\\x1e``, ``\\u2028``, lone ``\\r``, tabs and wide characters.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HEAD = (
    "from tensorflow import keras\n"
    "from tensorflow.keras import layers\n"
    "\n"
    "inputs = keras.Input(shape=(64, 15))\n"
    "x = layers.GRU(16, return_sequences=True)(inputs)\n"
)
KRS101 = "layers.TimeDistributed(layers.Dense(15))(x)"  # redundant: x is a sequence
KRS102 = "layers.TimeDistributed(layers.Dense(1))(layers.LSTM(8)(x))"  # no time axis


def run(*command: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def flake8_lines(cwd: Path, *args: str) -> list[str]:
    """What the user's flake8 prints for the KRS codes, syntax and read errors, config honoured."""
    return run("flake8", "--select=KRS,E999,E902", *args, cwd=cwd).stdout.splitlines()


def check_lines(cwd: Path, *args: str) -> list[str]:
    return run("flake8_keras", "check", *args, cwd=cwd).stdout.splitlines()


def codes(lines: list[str]) -> list[str]:
    return [line.split(": ", 1)[1].split()[0] for line in lines]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Two KRS101 and one KRS102 per file, one KRS101 silenced inline, in two packages."""
    body = (
        HEAD
        + f"a = {KRS101}\n"
        + f"b = {KRS101}  # noqa: KRS101\n"
        + f"c = {KRS102}  # NOQA:KRS2\n"  # another family: still reported
        + f"d = {KRS101}  # noqa\n"
    )
    write(tmp_path / "models" / "net.py", body)
    write(tmp_path / "scripts" / "train.py", body)
    write(tmp_path / "broken.py", "import keras\nkeras.layers.LSTM(\n")
    return tmp_path


def test_noqa_is_honoured_like_flake8(project: Path) -> None:
    expected = flake8_lines(project)
    assert len([line for line in expected if " KRS" in line]) == 4  # 2 files x (a, c)
    assert check_lines(project) == expected


@pytest.mark.parametrize("config_name", [".flake8", "setup.cfg", "tox.ini"])
def test_extend_ignore_and_per_file_ignores_like_flake8(project: Path, config_name: str) -> None:
    write(
        project / config_name,
        "[flake8]\nextend-ignore = KRS102\nper-file-ignores =\n    scripts/*.py: KRS1\n",
    )
    expected = flake8_lines(project)
    assert codes(expected) == ["E999", "KRS101"]
    assert check_lines(project) == expected


def test_exclude_from_configuration_like_flake8(project: Path) -> None:
    write(project / "setup.cfg", "[flake8]\nextend-exclude = scripts,broken.py\n")
    expected = flake8_lines(project)
    assert expected and all(line.startswith("./models/net.py:") for line in expected)
    assert check_lines(project) == expected


def test_isolated_and_explicit_config(project: Path) -> None:
    write(project / ".flake8", "[flake8]\nextend-ignore = KRS\n")
    write(project / "other.cfg", "[flake8]\nextend-ignore = KRS101\n")
    assert (
        check_lines(project)
        == flake8_lines(project)
        == ["./broken.py:2:19: E999 " + ("SyntaxError: '(' was never closed")]
    )
    assert check_lines(project, "--isolated") == flake8_lines(project, "--isolated")
    assert len(check_lines(project, "--isolated")) == 5
    with_config = check_lines(project, "--config", "other.cfg")
    assert with_config == flake8_lines(project, "--config", "other.cfg")
    assert codes(with_config) == ["E999", "KRS102", "KRS102"]


def test_stdin_honours_noqa_and_per_file_ignores(project: Path) -> None:
    write(project / "tox.ini", "[flake8]\nper-file-ignores = scripts/*.py: KRS\n")
    text = (project / "models" / "net.py").read_text(encoding="utf-8")
    for name in ("models/net.py", "scripts/train.py"):
        args = ("--stdin-display-name", name, "-")
        expected = run("flake8", "--select=KRS,E999", *args, cwd=project, stdin=text).stdout
        assert run("flake8_keras", "check", *args, cwd=project, stdin=text).stdout == expected
    assert expected == ""  # per-file-ignores matched the display name


# Each text has one KRS101 whose column depends on counting lines and characters as flake8 does.
COLUMN_CASES = {
    # the bug this guards: a form-feed line before a non-ASCII line shifted splitlines' numbering
    "form_feed": HEAD + "\x0c\n" + f"s = 'é'; y = {KRS101}\n",
    "form_feed_mid_line": HEAD + "s = 1  \x0c\n" + f"s = 'é'; y = {KRS101}\n",
    "file_group_record_separators": HEAD + "# a\x1cb\x1dc\x1e\n" + f"s = 'é'; y = {KRS101}\n",
    "line_paragraph_separators": HEAD
    + "# a\u2028b\u2029c\x85d\x0b\n"
    + f"s = '日本'; y = {KRS101}\n",
    "lone_cr": (HEAD + f"s = 'é'; y = {KRS101}\n").replace("\n", "\r"),
    "crlf_and_form_feed": (HEAD + "\x0c\n" + f"s = '😀é'; y = {KRS101}\n").replace("\n", "\r\n"),
    "tab": HEAD + f"if True:\n\ts = '😀'; y = {KRS101}\n",
    "wide_before_call_on_later_line": HEAD + "# 全角の説明\n" + f"y = {KRS101}\n",
    "bom": "\ufeff" + HEAD + f"s = 'é'; y = {KRS101}\n",
}


@pytest.mark.parametrize("name", sorted(COLUMN_CASES))
def test_columns_match_flake8(tmp_path: Path, name: str) -> None:
    write(tmp_path / f"{name}.py", COLUMN_CASES[name])
    expected = flake8_lines(tmp_path)
    assert len(expected) == 1 and " KRS101 " in expected[0]
    assert check_lines(tmp_path) == expected
    stdin = run("flake8_keras", "check", "-", cwd=tmp_path, stdin=COLUMN_CASES[name]).stdout
    assert (
        stdin.rstrip("\n").split(":", 1)[1] == expected[0].split(":", 1)[1]
    )  # same line:col: message


def test_form_feed_then_non_ascii_reports_flake8_column(tmp_path: Path) -> None:
    """The reported case: flake8 said 5:15 where check said 5:17."""
    text = (
        "import keras\n"
        "x = keras.Input((4, 3))\n"
        "\x0c\n"
        "y = keras.layers.LSTM(2, return_sequences=True)(x)\n"
        "s = 'éé'; z = keras.layers.TimeDistributed(keras.layers.Dense(1))(y)\n"
    )
    write(tmp_path / "m.py", text)
    expected = flake8_lines(tmp_path)
    assert [line.split(":")[1:3] for line in expected] == [["5", "15"]]
    assert check_lines(tmp_path) == expected
