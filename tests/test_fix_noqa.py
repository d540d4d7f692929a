"""``flake8_keras.noqa`` agrees with flake8's own inline ``# noqa`` handling."""

from __future__ import annotations

import pytest

from conftest import flake8
from flake8_keras.noqa import is_suppressed, noqa_codes

CASES = [
    ("x = 1", False),
    ("x = 1  # noqa", True),
    ("x = 1  # NOQA", True),
    ("x = 1  # noqa: KRS101", True),
    ("x = 1  # noqa:KRS101", True),
    ("x = 1  # noqa: KRS1", True),
    ("x = 1  # noqa: KRS", True),
    ("x = 1  # noqa: KRS102", False),
    ("x = 1  # noqa: E501,KRS101", True),
    ("x = 1  # noqa: E501 KRS101", True),
    ("x = 1  # noqa: E501", False),
    ("x = 1  # noqa: krs101", False),  # flake8 compares codes case-sensitively
    ("x = 1  # noqa : KRS102", True),  # not a code list: a blanket noqa
    ("x = 1  #noqa", False),  # flake8 wants exactly ``# noqa``
    ("x = 1  # expect: KRS101  # noqa: F405", False),
]


@pytest.mark.parametrize(("line", "suppressed"), CASES)
def test_matches_expectation(line: str, suppressed: bool) -> None:
    assert is_suppressed(line, "KRS101") is suppressed


def test_codes() -> None:
    assert noqa_codes("a  # noqa") == frozenset()
    assert noqa_codes("a") is None
    assert noqa_codes("a  # noqa: KRS101, E501") == {"KRS101", "E501"}


def test_agrees_with_real_flake8(tmp_path) -> None:  # type: ignore[no-untyped-def]
    model = (
        "from keras import layers\nimport keras\n"
        "x = layers.GRU(4, return_sequences=True)(keras.Input((5, 3)))\n"
    )
    lines = [
        f"y{i} = layers.TimeDistributed(layers.Dense(2))(x){line[5:]}"
        for i, (line, _) in enumerate(CASES)
    ]
    path = tmp_path / "m.py"
    path.write_text(model + "\n".join(lines) + "\n", encoding="utf-8")
    run = flake8("--select", "KRS101", str(path))
    reported = {int(out.split(":")[1]) - 4 for out in run.stdout.splitlines()}
    expected = {i for i, (_, suppressed) in enumerate(CASES) if not suppressed}
    assert reported == expected, run.stdout + run.stderr
