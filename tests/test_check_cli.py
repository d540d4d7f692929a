"""``flake8-keras check`` and the top-level command line: exit codes, stdin, errors, releases."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLE_FINDINGS, EXAMPLES
from flake8_keras import __version__


def cli(
    *args: str, stdin: str | None = None, cwd: Path | None = None, python: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *python, "-m", "flake8_keras", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def check(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return cli("check", *args, **kwargs)  # type: ignore[arg-type]


def test_directory_gives_flake8_style_lines_and_exit_1() -> None:
    result = check(str(EXAMPLES))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    files = [line.split(":")[0] for line in lines]
    assert files == sorted(files) and len(lines) == EXAMPLE_FINDINGS  # files in sorted order
    assert lines[-1].startswith(f"{EXAMPLES / 'td_vs_dense.py'}:10:11: KRS101 ")


def test_stdin_with_display_name() -> None:
    text = (EXAMPLES / "stacked_lstm.py").read_text()
    result = check("--stdin-display-name", "m.py", "-", stdin=text)
    assert result.stdout.startswith("m.py:9:11: KRS103 ") and result.returncode == 1


def test_long_messages_match_flake8s_option() -> None:
    path = str(EXAMPLES / "stacked_lstm.py")
    long = check("--long-messages", path).stdout
    short = check(path).stdout
    assert "on line 7 returns only its last step" in long and "on line" not in short
    flake8 = subprocess.run(
        [
            sys.executable,
            "-m",
            "flake8",
            "--isolated",
            "--select=KRS",
            "--keras-long-messages",
            path,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert long == flake8.stdout


def test_clean_file_exits_0() -> None:
    result = check(str(EXAMPLES / "ok_model.py"))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_unparsable_file_is_reported_as_e999_and_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("import keras\nkeras.layers.LSTM(\n")
    result = check(str(EXAMPLES / "ok_model.py"), str(broken))
    assert result.returncode == 2
    assert result.stdout == f"{broken}:2:19: E999 SyntaxError: '(' was never closed\n"


def test_missing_file_is_reported_as_e902_and_exits_2(tmp_path: Path) -> None:
    result = check(str(tmp_path / "absent.py"))
    assert result.returncode == 2
    assert result.stdout.startswith(f"{tmp_path / 'absent.py'}:0:1: E902 FileNotFoundError")
    assert "Traceback" not in result.stderr


def test_no_python_files_warns_and_exits_0_like_flake8(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("import keras\n")
    result = check(str(tmp_path))
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr == f"flake8-keras check: warning: no Python files found in {tmp_path}\n"
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", str(tmp_path)], capture_output=True, text=True
    )
    assert flake8.returncode == 0  # what flake8 itself does


def test_broken_configuration_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text("[flake8]\nper-file-ignores = a.py\n")
    (tmp_path / "a.py").write_text("x = 1\n")
    result = check(".", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("flake8-keras check: error: flake8 configuration: ")


def test_bad_format_uses_the_same_error_wording() -> None:
    result = check("--format", "xml", ".")
    assert result.returncode == 2
    assert "flake8-keras check: error: argument --format: invalid choice" in result.stderr


def test_usage() -> None:
    unknown = cli("frobnicate")
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("flake8-keras: error: unknown command 'frobnicate'")
    assert "usage:" in unknown.stderr


def test_version_and_python_dash_m() -> None:
    result = cli("--version")
    assert (result.returncode, result.stdout) == (0, f"flake8-keras {__version__}\n")
    script = subprocess.run(
        [str(Path(sys.executable).parent / "flake8-keras"), "--version"],
        capture_output=True,
        text=True,
    )
    assert script.stdout == result.stdout


def test_lsp_without_pygls_says_which_extra_to_install() -> None:
    block = "import sys, runpy; sys.modules['pygls'] = None; sys.argv = ['flake8-keras', 'lsp']; "
    result = subprocess.run(
        [sys.executable, "-c", block + "runpy.run_module('flake8_keras', run_name='__main__')"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == (
        "flake8-keras lsp: error: pygls is not installed; "
        "install it with: pip install 'flake8-keras[lsp]'\n"
    )
