"""flake8 behaviour end to end: files, stdin, noqa, select, jobs, version, unparsable files."""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLE_FINDINGS, EXAMPLES, flake8
from flake8_keras.rules import RULES

TD_CASE = """\
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(64, 15))
x = layers.GRU(16, return_sequences=True)(inputs)
out = layers.TimeDistributed(layers.Dense(15)){noqa}
"""

TD_MESSAGE = (
    "KRS101 TimeDistributed(Dense(15)) is redundant: its input (None, 64, 16) is already a "
    "sequence (fix: Dense(15))"
)
TD_LONG_MESSAGE = (
    "KRS101 TimeDistributed(layers.Dense(15)) is redundant: its input (None, 64, 16) from "
    "GRU(16, return_sequences=True) on line 5 is already a sequence, and Dense applies the same "
    "255 parameters at every timestep; Keras 3 runs the wrapper once per timestep, which is "
    "slower (fix: Dense(15))"
)


def test_file_gives_whole_lines(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(TD_CASE.format(noqa="(x)"))
    result = flake8("--select", "KRS", str(path))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{path}:6:7: {TD_MESSAGE}"]


def test_long_messages_option(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(TD_CASE.format(noqa="(x)"))
    result = flake8("--select", "KRS", "--keras-long-messages", str(path))
    assert result.stdout.splitlines() == [f"{path}:6:7: {TD_LONG_MESSAGE}"]


def test_stdin_with_display_name() -> None:
    result = flake8(
        "--select", "KRS", "--stdin-display-name=m.py", "-", stdin=TD_CASE.format(noqa="(x)")
    )
    assert result.stdout.splitlines() == [f"m.py:6:7: {TD_MESSAGE}"]


def test_codes_are_on_by_default_next_to_pyflakes_and_pycodestyle(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(TD_CASE.format(noqa="(x)") + "import os\n")
    out = flake8(str(path)).stdout
    assert ":6:7: KRS101 " in out and "F401" in out


def test_noqa_with_code_and_prefix(tmp_path: Path) -> None:
    for comment in ("  # noqa: KRS101", "  # noqa: KRS1", "  # noqa"):
        path = tmp_path / "m.py"
        path.write_text(TD_CASE.format(noqa="(x)" + comment))
        result = flake8("--select", "KRS", str(path))
        assert result.stdout == "" and result.returncode == 0, comment
    path.write_text(TD_CASE.format(noqa="(x)  # noqa: E501"))
    assert "KRS101" in flake8("--select", "KRS", str(path)).stdout


def test_select_and_extend_select(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(TD_CASE.format(noqa="(x)") + "import os\n")
    only_pyflakes = flake8("--select", "F", str(path)).stdout
    assert "KRS101" not in only_pyflakes and "F401" in only_pyflakes
    extended = flake8("--select", "F", "--extend-select", "KRS", str(path)).stdout
    assert "KRS101" in extended and "F401" in extended
    ignored = flake8("--extend-ignore", "KRS101", str(path)).stdout
    assert "KRS101" not in ignored


def test_two_jobs_give_the_same_output_as_one() -> None:
    files = sorted(str(p) for p in EXAMPLES.glob("*.py"))
    one = flake8("-j", "1", "--select", "KRS", *files)
    two = flake8("-j", "2", "--select", "KRS", *files)
    assert one.stdout and one.stdout == two.stdout


def test_examples_show_every_rule_and_nothing_else() -> None:
    # all of flake8 (with the repository's line length): the examples are otherwise clean
    out = flake8("--max-line-length=100", str(EXAMPLES)).stdout
    assert "td_vs_dense.py:10:11: KRS101 " in out
    assert "forecast_head.py:8:12: KRS102 " in out
    assert "stacked_lstm.py:9:11: KRS103 " in out
    assert "last_step_targets.py:16:20: KRS201 " in out
    assert "sequence_tagger_targets.py:16:23: KRS202 " in out
    codes = {line.split(": ")[1].split()[0] for line in out.splitlines()}
    assert codes == {rule.code for rule in RULES}  # every rule, and nothing but KRS codes
    assert len(out.splitlines()) == EXAMPLE_FINDINGS
    assert "ok_model.py" not in out and "video_classifier.py" not in out


def test_version_lists_the_plugin() -> None:
    assert "flake8-keras:" in flake8("--version").stdout


def test_syntax_error_and_python2_files_report_e999_only(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("from keras.layers import LSTM, TimeDistributed\nmodel = (\n")
    py2 = tmp_path / "py2.py"
    py2.write_text(
        "from keras.layers import LSTM, TimeDistributed\nprint 'training'\nexec code in ns\n"
    )
    result = flake8(str(broken), str(py2))
    assert "Traceback" not in result.stderr
    codes = [line.split(": ", 1)[1].split()[0] for line in result.stdout.splitlines()]
    assert codes == ["E999", "E999"]


def test_non_ascii_line_reports_character_column(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    source = TD_CASE.format(noqa="(x)").replace("out = layers", "ü = 'é'; out = layers")
    path.write_text(source, encoding="utf-8")
    line = flake8("--select", "KRS", str(path)).stdout.splitlines()[0]
    assert line.split(":")[1:3] == ["6", "16"]  # 15 characters precede the call (17 bytes)
