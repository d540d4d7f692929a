"""``flake8-keras fix`` as users run it: real subprocesses on real files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

CASES = ROOT / "tests" / "fix_cases"
BAD = (CASES / "imports.in.py").read_text(encoding="utf-8")
GOOD = (CASES / "imports.out.py").read_text(encoding="utf-8")


def fix(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "flake8_keras.cli", "fix", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=120,
    )


def test_rewrites_in_place_keeps_mode_and_warns_once(tmp_path: Path) -> None:
    path = tmp_path / "model.py"
    path.write_text(BAD, encoding="utf-8")
    path.chmod(0o640)
    run = fix(str(path))
    err = run.stderr.decode()
    assert run.returncode == 1, err
    assert path.read_text(encoding="utf-8") == GOOD
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert err.count("set_weights(old_model.get_weights())") == 1
    assert f"{path}:14:5: KRS101 unwrapped: TimeDistributed(Dense(8)) -> Dense(8)" in err
    assert sorted(os.listdir(tmp_path)) == ["model.py"]  # no temporary file left behind
    second = fix(str(path))
    assert second.returncode == 0 and second.stderr == b""
    assert path.read_text(encoding="utf-8") == GOOD


def test_diff_and_check_change_nothing(tmp_path: Path) -> None:
    path = tmp_path / "model.py"
    path.write_text(BAD, encoding="utf-8")
    diff = fix("--diff", str(path))
    assert diff.returncode == 1
    out = diff.stdout.decode()
    assert out.startswith(f"--- {path}\n+++ {path}\n")
    hunk = "-    TimeDistributed(Dense(8)),\n-    TD(Dense(1)),\n+    Dense(8),\n+    Dense(1),\n"
    assert hunk in out
    check = fix("--check", str(path))
    assert check.returncode == 1 and check.stdout == b""
    assert check.stderr.decode().splitlines()[-1] == (
        "flake8-keras fix: would fix 2 of 2 findings, 1 file would be changed"
    )
    assert path.read_text(encoding="utf-8") == BAD
    path.write_text(GOOD, encoding="utf-8")
    assert fix("--check", str(path)).returncode == 0
    assert fix("--diff", str(path)).stdout == b""


def test_stdin_to_stdout() -> None:
    run = fix("-", "--stdin-display-name", "buffer.py", stdin=BAD.encode())
    assert run.returncode == 0
    assert run.stdout.decode() == GOOD
    assert b"buffer.py:14:5: KRS101 unwrapped" in run.stderr
    check = fix("--check", "-", stdin=BAD.encode())
    assert check.returncode == 1 and check.stdout == b""


def test_directory(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "bad.py").write_text(BAD, encoding="utf-8")
    (tmp_path / "pkg" / "good.py").write_text(GOOD, encoding="utf-8")
    (tmp_path / "pkg" / "notes.txt").write_text(BAD, encoding="utf-8")
    run = fix(str(tmp_path))
    assert run.returncode == 1
    assert (tmp_path / "pkg" / "bad.py").read_text(encoding="utf-8") == GOOD
    assert (tmp_path / "pkg" / "notes.txt").read_text(encoding="utf-8") == BAD


def test_unparseable_file_is_reported_and_untouched(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    source = "from keras.layers import TimeDistributed, Dense\nprint 'python 2'\n"
    broken.write_text(source, encoding="utf-8")
    good = tmp_path / "good.py"
    good.write_text(BAD, encoding="utf-8")
    run = fix(str(broken), str(good))
    assert run.returncode == 2
    assert f"{broken}: error: syntax error; left untouched" in run.stderr.decode()
    assert broken.read_text(encoding="utf-8") == source
    assert good.read_text(encoding="utf-8") == GOOD  # the other file is still fixed
    assert fix(str(tmp_path / "missing.py")).returncode == 2


def test_encoding_and_newlines_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    text = "# -*- coding: latin-1 -*-\n# caf\u00e9\n" + BAD.split("\n", 1)[1]
    data = text.replace("\n", "\r\n").encode("latin-1")
    path.write_bytes(data)
    assert fix(str(path)).returncode == 1
    fixed = path.read_bytes()
    assert b"# caf\xe9\r\n" in fixed
    assert b"    Dense(8),\r\n" in fixed and b"TimeDistributed" not in fixed
    assert b"\n" not in fixed.replace(b"\r\n", b"")


def test_symlink_target_is_rewritten(tmp_path: Path) -> None:
    real = tmp_path / "real.py"
    real.write_text(BAD, encoding="utf-8")
    link = tmp_path / "link.py"
    link.symlink_to(real)
    assert fix(str(link)).returncode == 1
    assert link.is_symlink() and real.read_text(encoding="utf-8") == GOOD


def test_unsafe_fixes_flag(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(
        "from keras import layers\nimport keras\n"
        "x = layers.GRU(4, return_sequences=True)(keras.Input((5, 3)))\n"
        "y = layers.TimeDistributed(layers.Dense(2, dtype='float32'))(x)\n",
        encoding="utf-8",
    )
    safe = fix(str(path))
    assert safe.returncode == 0
    assert b"not fixed: unwrapping changes behaviour" in safe.stderr
    unsafe = fix("--unsafe-fixes", str(path))
    assert unsafe.returncode == 1
    assert b"dtype now takes effect" in unsafe.stderr
    assert "y = layers.Dense(2, dtype='float32')(x)" in path.read_text(encoding="utf-8")


def test_summary_line_counts_fixed_and_left_findings(tmp_path: Path) -> None:
    fixable = tmp_path / "fixable.py"
    fixable.write_text(BAD, encoding="utf-8")
    unsafe = tmp_path / "unsafe.py"
    unsafe.write_text(
        "import keras\nfrom keras import layers\n"
        "x = layers.GRU(4, return_sequences=True)(keras.Input((5, 3)))\n"
        "y = layers.TimeDistributed(layers.Dense(2, dtype='float32'))(x)\n",
        encoding="utf-8",
    )
    run = fix(str(fixable), str(unsafe))
    assert run.stderr.decode().splitlines()[-1] == (
        "flake8-keras fix: fixed 2 of 3 findings, 1 file changed, 1 not fixed (why is said above)"
    )
    again = fix(str(fixable))  # nothing left to do: silent, as pre-commit hooks like it
    assert again.returncode == 0 and again.stderr == b""
