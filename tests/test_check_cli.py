"""``flake8-keras check``: the KRS diagnostics alone, from files, directories and stdin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES


def check(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8_keras.cli", "check", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_directory_gives_flake8_style_lines_and_exit_1() -> None:
    result = check(str(EXAMPLES))
    assert result.returncode == 1
    codes = [line.split(": ")[1].split()[0] for line in result.stdout.splitlines()]
    assert codes == ["KRS102", "KRS201", "KRS202", "KRS103", "KRS101"]  # files in sorted order
    assert result.stdout.splitlines()[4].startswith(f"{EXAMPLES / 'td_vs_dense.py'}:10:11: KRS101 ")


def test_stdin_with_display_name() -> None:
    text = (EXAMPLES / "stacked_lstm.py").read_text()
    result = check("--stdin-display-name", "m.py", "-", stdin=text)
    assert result.stdout.startswith("m.py:9:11: KRS103 ")


def test_clean_and_unparsable_files_exit_0(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("import keras\nkeras.layers.LSTM(\n")
    assert check(str(EXAMPLES / "ok_model.py"), str(broken)).returncode == 0


def test_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    result = check(str(tmp_path / "absent.py"))
    assert result.returncode == 2
    assert "cannot read" in result.stderr and "Traceback" not in result.stderr


def test_usage() -> None:
    unknown = subprocess.run(
        [sys.executable, "-m", "flake8_keras.cli", "frobnicate"], capture_output=True, text=True
    )
    assert unknown.returncode == 2 and "usage:" in unknown.stderr
