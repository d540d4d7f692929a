"""source.py: reading source like Python does, physical lines like the tokenizer, char columns."""

from __future__ import annotations

import ast
import io
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from flake8_keras.source import char_col, physical_lines, read_source

# every character str.splitlines treats as a line break, and the three that really are
BREAKERS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@given(st.text(alphabet=st.sampled_from(BREAKERS + "aé😀\t #"), max_size=40))
def test_physical_lines_split_only_at_cr_lf_crlf(text: str) -> None:
    # StringIO(newline="") splits at \r, \n and \r\n only and keeps the endings untranslated
    assert physical_lines(text) == io.StringIO(text, newline="").readlines()
    assert "".join(physical_lines(text)) == text


def test_physical_lines_number_lines_as_ast_does() -> None:
    text = "a = 1\x0c\n# \x1c\x1d\x1e \u2028 \x85\rb = 2\r\nc = 3"
    lines = physical_lines(text)
    for node in ast.parse(text).body:
        assert isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
        assert lines[node.lineno - 1].startswith(node.targets[0].id)
    assert len(text.splitlines()) > len(lines)  # what the old code used, and why it was wrong


def test_char_col_counts_characters_on_the_physical_line() -> None:
    text = "\x0c\ns = 'é😀'; y = f(x)\n"
    lines = physical_lines(text)
    node = ast.parse(text).body[1]
    assert isinstance(node, ast.Assign)
    assert char_col(lines, node.value.lineno, node.value.col_offset) == len("s = 'é😀'; y = ")


def test_read_source_honours_bom_and_coding_cookie(tmp_path: Path) -> None:
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbfx = 'caf\xc3\xa9'\n")
    assert read_source(str(bom)) == "x = 'café'\n"
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"# -*- coding: latin-1 -*-\nx = 'caf\xe9'\n")
    assert read_source(str(latin)) == "# -*- coding: latin-1 -*-\nx = 'café'\n"
    assert read_source(str(tmp_path / "absent.py")) is None
    bad = tmp_path / "bad.py"
    bad.write_bytes(b"x = '\xff'\n")
    assert read_source(str(bad)) is None


def test_read_source_reads_stdin_bytes() -> None:
    program = (
        "import sys; from flake8_keras.source import read_source; print(repr(read_source('-')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        input=b"# coding: latin-1\nx = '\xe9'\r\n",
        capture_output=True,
        timeout=60,
    )
    assert result.stdout.decode().strip() == repr("# coding: latin-1\nx = 'é'\r\n")
