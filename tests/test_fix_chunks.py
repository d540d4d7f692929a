"""The fixer parses only the statements it changes: same output as the whole-module path."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import ROOT
from flake8_keras.analysis import analyze_text
from flake8_keras.fix.unwrap import Outcome, fix_source
from flake8_keras.source import parse

BODY = (
    "x = layers.GRU(4, return_sequences=True)(keras.Input((5, 3)))\n"
    "y = TimeDistributed(Dense(2))(x)\n"
)
HEAD = "import keras\nfrom keras import layers\n"
CASES = {
    "import first": "from keras.layers import TimeDistributed, Dense\n" + HEAD + BODY,
    "header comments": "#!/usr/bin/env python\n# license\n\n# wrapper\n"
    "from keras.layers import TimeDistributed\nfrom keras.layers import Dense\n" + HEAD + BODY,
    "after a block with a footer": HEAD + "from keras.layers import Dense\ndef f():\n"
    "    return 1\n    # trailing\n# col0\n\nfrom keras.layers import TimeDistributed\n" + BODY,
    "two imports": HEAD + "# one\nfrom keras.layers import TimeDistributed\n# two\n"
    "from keras.layers import TimeDistributed as TD, Dense\n" + BODY + "z = TD(Dense(3))(x)\n",
    "semicolons": "import keras; from keras import layers\n"
    "import os; from keras.layers import TimeDistributed; from keras.layers import Dense\n" + BODY,
    "escaped name in __all__": HEAD + "from keras.layers import TimeDistributed, Dense\n"
    "__all__ = ['\\x54imeDistributed']\n" + BODY,
    "used further down": HEAD
    + "from keras.layers import TimeDistributed, Dense\n"
    + BODY
    + "def g():\n    return TimeDistributed\n",
    "CRLF": (HEAD + "# c\nfrom keras.layers import TimeDistributed, Dense\n" + BODY).replace(
        "\n", "\r\n"
    ),
    "CR": (HEAD + "# c\nfrom keras.layers import TimeDistributed, Dense\n" + BODY).replace(
        "\n", "\r"
    ),
    "mixed endings": "import keras\r\nfrom keras import layers\n"
    "from keras.layers import TimeDistributed, Dense\n" + BODY.replace("\n", "\r\n"),
    "multi-line calls": HEAD + "from keras.layers import (\n    TimeDistributed,\n    Dense,\n)\n"
    "x = layers.GRU(4, return_sequences=True)(keras.Input((5, 3)))\n"
    "y = TimeDistributed(\n    Dense(2)\n)(x)\nz = TimeDistributed(Dense(\n  2), name='n')(x)\n",
    "decorated class": HEAD + "from keras.layers import TimeDistributed, Dense\n"
    "@keras.saving.register_keras_serializable()\nclass M(keras.Model):\n"
    "    def call(self, x):\n        x = layers.GRU(4, return_sequences=True)(x)\n"
    "        return TimeDistributed(Dense(2))(x)\n",
    "target in a decorator": HEAD + "from keras.layers import TimeDistributed, Dense\n"
    "x = layers.GRU(4, return_sequences=True)(keras.Input((5, 3)))\n"
    "@register(TimeDistributed(Dense(2))(x))\ndef f():\n    pass\n",
    "no final newline": HEAD + "from keras.layers import TimeDistributed, Dense\n" + BODY[:-1],
    "final lone CR": HEAD + "from keras.layers import TimeDistributed, Dense\n" + BODY + "\r",
}
FILES = sorted((ROOT / "tests" / "fix_cases").glob("*.in.py")) + sorted(
    (ROOT / "tests" / "fixtures").glob("*.py")
)


def run(text: str, unsafe: bool, chunked: bool) -> tuple[str, list[Outcome], str | None]:
    result = fix_source(text, unsafe=unsafe, chunked=chunked)
    return result.text, result.outcomes, result.error


def chunked(text: str, unsafe: bool) -> tuple[str, list[Outcome], str | None]:
    return run(text, unsafe, chunked=True)


def whole_module(text: str, unsafe: bool) -> tuple[str, list[Outcome], str | None]:
    """What the fixer gave when libcst parsed the whole file (the reference path)."""
    return run(text, unsafe, chunked=False)


@pytest.mark.parametrize("name", sorted(CASES))
def test_chunked_fix_equals_whole_module_fix(name: str) -> None:
    text = CASES[name]
    assert parse(text) is not None
    for unsafe in (False, True):
        got = chunked(text, unsafe)
        assert got == whole_module(text, unsafe)
        assert got[0] != text  # every case really rewrites something


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_chunked_fix_equals_whole_module_fix_on_fixtures(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for unsafe in (False, True):
        assert chunked(text, unsafe) == whole_module(text, unsafe)


def test_imports_and_comments_follow_the_whole_module_rules() -> None:
    # the import goes with the comment lines above it, exactly as before the chunked fixer
    assert chunked(CASES["two imports"], False)[0] == (
        HEAD + "# two\nfrom keras.layers import Dense\n"
        "x = layers.GRU(4, return_sequences=True)(keras.Input((5, 3)))\n"
        "y = Dense(2)(x)\nz = Dense(3)(x)\n"
    )
    # a string escape that spells the name keeps the import
    assert "import TimeDistributed, Dense" in chunked(CASES["escaped name in __all__"], False)[0]


def test_one_fix_in_a_big_file_costs_about_one_statement() -> None:
    filler = "".join(f"def helper_{i}(a, b):\n    return a + b * {i}\n\n\n" for i in range(5000))
    text = HEAD + "from keras.layers import TimeDistributed, Dense\n" + filler + BODY
    analysed = analyze_text(text)
    tree, diagnostics = analysed.tree, analysed.diagnostics
    assert len(diagnostics) == 1
    start = time.perf_counter()
    result = fix_source(text, tree=tree, diagnostics=diagnostics)
    elapsed = time.perf_counter() - start
    assert result.text.endswith("y = Dense(2)(x)\n") and len(result.fixed) == 1
    # the whole-module path needs several seconds here (libcst positions for 20,000 lines)
    assert elapsed < 1.0, elapsed
