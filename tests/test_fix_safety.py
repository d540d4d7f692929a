"""The fixer never clobbers anything (issue 9, items 7-11): real libcst, real files, real CLI."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from flake8_keras.analysis import analyze_source
from flake8_keras.fix import cli, fix_source, write
from flake8_keras.fix.safety import unsafe_reasons
from flake8_keras.rules.base import Applicability

CASES = ROOT / "tests" / "fix_cases"
BAD = (CASES / "imports.in.py").read_text(encoding="utf-8")
GOOD = (CASES / "imports.out.py").read_text(encoding="utf-8")


def fix(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8_keras.cli", "fix", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def head(dense: str) -> str:
    """A model whose TimeDistributed wraps ``dense`` on a sequence (one KRS101, line 5)."""
    return (
        "from keras.layers import GRU, Dense, TimeDistributed\n"
        "import keras\n"
        "from config import HEAD_KW, DIMS, kw\n"
        "x = GRU(4, return_sequences=True)(keras.Input((5, 3)))\n"
        f"y = TimeDistributed({dense})(x)\n"
    )


# ---------------------------------------------------------------- 7: unknown keyword content


@pytest.mark.parametrize(
    ("dense", "reasons"),
    [
        ("Dense(3, **HEAD_KW)", ("`**HEAD_KW` may set activity_regularizer or dtype",)),
        ("Dense(*DIMS)", ("`*DIMS` may set activity_regularizer",)),
        ("Dense(3, dtype='float32', **kw)", ("dtype", "`**kw` may set activity_regularizer")),
        ("Dense(3, **{'dtype': 'float32'})", ("dtype",)),
        ("Dense(3, None, True, 'ones', 'zeros', None, None, 'l2')", ("activity_regularizer",)),
        ("Dense(3, **{'activation': 'relu'})", ()),  # a dict literal of harmless keys
        ("Dense(*(3,), activation='relu')", ()),  # a literal tuple cannot reach position 7
        ("Dense(3, 'relu', *DIMS, activity_regularizer='l2')", ("activity_regularizer",)),
    ],
)
def test_unknown_keyword_content_makes_the_fix_unsafe(dense: str, reasons: tuple[str, ...]) -> None:
    text = head(dense)
    [diagnostic] = analyze_source(text, codes={"KRS101"})
    assert unsafe_reasons(diagnostic) == reasons
    assert diagnostic.fix is not None
    assert (diagnostic.fix.applicability is Applicability.UNSAFE) == bool(reasons)
    safe = fix_source(text)
    [outcome] = safe.outcomes
    assert outcome.fixed == (not reasons)
    if reasons:
        assert safe.text == text
        assert "rerun with --unsafe-fixes" in outcome.note
        assert all(r in outcome.note for r in reasons)
    unsafe = fix_source(text, unsafe=True)
    assert unsafe.fixed and f"y = {dense}(x)\n" in unsafe.text


def test_kwargs_message_is_unchanged_and_the_cli_says_why(tmp_path: Path) -> None:
    text = head("Dense(3, **HEAD_KW)")
    [diagnostic] = analyze_source(text, codes={"KRS101"})
    assert diagnostic.explanation.endswith(
        "Keras 3 runs the wrapper once per timestep, which is slower (fix: Dense(3, **HEAD_KW))"
    )
    assert diagnostic.message.endswith("(fix, maybe unsafe: Dense(3, **HEAD_KW))")
    path = tmp_path / "model.py"
    path.write_text(text, encoding="utf-8")
    safe = fix(str(path))
    assert safe.returncode == 0, safe.stderr
    assert (
        f"{path}:5:5: KRS101 not fixed: unwrapping may change behaviour (`**HEAD_KW` may set "
        "activity_regularizer or dtype, which Keras 3 ignores inside TimeDistributed); rerun with "
        "--unsafe-fixes to apply it"
    ) in safe.stderr
    assert path.read_text(encoding="utf-8") == text
    unsafe = fix("--unsafe-fixes", str(path))
    assert unsafe.returncode == 1, unsafe.stderr
    assert (
        "TimeDistributed(Dense(3, **HEAD_KW)) -> Dense(3, **HEAD_KW); `**HEAD_KW` may set "
        "activity_regularizer or dtype: if it does, that now takes effect"
    ) in unsafe.stderr
    assert "y = Dense(3, **HEAD_KW)(x)\n" in path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- 8: a final lone CR


@pytest.mark.parametrize(
    "endings", ["\r", "\n", "\r\n"], ids=["cr-only", "lf-then-cr", "crlf-then-cr"]
)
def test_last_line_ending_in_a_lone_cr_keeps_it(tmp_path: Path, endings: str) -> None:
    text = head("Dense(2)").replace("\n", endings)[: -len(endings)] + "\r"
    result = fix_source(text)
    assert result.fixed and result.error is None
    assert result.text.endswith("y = Dense(2)(x)\r")
    path = tmp_path / "model.py"
    path.write_bytes(text.encode())
    assert fix(str(path)).returncode == 1
    assert path.read_bytes() == result.text.encode()
    assert (
        path.read_bytes()
        == text.replace("TimeDistributed(Dense(2))", "Dense(2)")
        .replace(", TimeDistributed", "")
        .encode()
    )


# ---------------------------------------------------------------- 9: symlinks out of a directory


def test_directory_never_edits_through_a_symlink_leading_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text(BAD, encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "own.py").write_text(BAD, encoding="utf-8")
    (project / "escape.py").symlink_to(outside)
    (project / "alias.py").symlink_to(project / "own.py")  # inside: allowed
    run = fix(str(project))
    assert run.returncode == 1, run.stderr
    assert outside.read_text(encoding="utf-8") == BAD
    assert (project / "own.py").read_text(encoding="utf-8") == GOOD
    assert f"{project / 'escape.py'}: skipped: a symbolic link to {outside}, outside" in run.stderr
    # named on the command line, a symlink is the user's choice: its target is fixed
    assert fix(str(project / "escape.py")).returncode == 1
    assert outside.read_text(encoding="utf-8") == GOOD


# ---------------------------------------------------------------- 10: another writer


@pytest.fixture
def appender(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Another program appends a line to the first file, between the fixer's read and write."""
    touched: list[str] = []

    def append(real: str) -> None:
        if not touched:
            touched.append(real)
            with open(real, "a", encoding="utf-8") as handle:
                handle.write("print('appended')\n")

    monkeypatch.setattr(write, "before_replace", append)
    return touched


@pytest.mark.parametrize("hard_linked", [False, True], ids=["renamed", "in-place"])
def test_a_file_changed_while_fixing_is_refused(
    tmp_path: Path, appender: list[str], capsys: pytest.CaptureFixture[str], hard_linked: bool
) -> None:
    first, second = tmp_path / "a.py", tmp_path / "b.py"
    first.write_text(BAD, encoding="utf-8")
    second.write_text(BAD, encoding="utf-8")
    if hard_linked:
        os.link(first, tmp_path / "a_link.py")
    assert cli.main([str(first), str(second)]) == 2
    err = capsys.readouterr().err
    assert appender == [str(first)]
    assert first.read_text(encoding="utf-8") == BAD + "print('appended')\n"  # nothing lost
    assert f"{first}: error: it changed while being fixed" in err
    assert f"{first}:14:5: KRS101 unwrapped" not in err
    assert second.read_text(encoding="utf-8") == GOOD  # the other file is still fixed
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["a.py", "b.py"] + (["a_link.py"] if hard_linked else [])
    )  # no temporary file left behind


# ---------------------------------------------------------------- 11: encodings, modes, links


def test_encoding_that_does_not_round_trip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "escaped.py"
    data = ("# coding: unicode_escape\n" + BAD).encode("ascii")
    path.write_bytes(data)
    run = fix(str(path))
    assert run.returncode == 2
    assert (
        f"{path}: error: its encoding unicode_escape does not give back the same bytes"
    ) in run.stderr
    assert path.read_bytes() == data


def test_read_only_file_is_refused(tmp_path: Path) -> None:
    locked, other = tmp_path / "locked.py", tmp_path / "other.py"
    locked.write_text(BAD, encoding="utf-8")
    other.write_text(BAD, encoding="utf-8")
    locked.chmod(0o444)
    run = fix(str(locked), str(other))
    assert run.returncode == 2
    assert f"{locked}: error: the file is read-only; left untouched" in run.stderr
    assert locked.read_text(encoding="utf-8") == BAD
    assert stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert other.read_text(encoding="utf-8") == GOOD
    assert fix("--check", str(locked)).returncode == 1  # checking needs no write bit


def test_hard_link_is_written_in_place(tmp_path: Path) -> None:
    path, link = tmp_path / "model.py", tmp_path / "same.py"
    path.write_text(BAD, encoding="utf-8")
    os.link(path, link)
    inode = path.stat().st_ino
    run = fix(str(path))
    assert run.returncode == 1, run.stderr
    assert f"{path}: note: it has 2 hard links: written in place" in run.stderr
    assert path.stat().st_ino == inode and link.stat().st_ino == inode
    assert link.read_text(encoding="utf-8") == GOOD
