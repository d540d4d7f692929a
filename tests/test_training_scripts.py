"""The ``scripts`` benchmark corpus (bench/training_scripts.py): whole, varied training scripts.

The corpus stands for real training scripts, so its statistics must stay in the range measured
on the Keras examples (bench/script_stats.py on keras-io's examples: 370 lines median, 38%
comments and docstrings, 6% of lines calling Keras; on Keras 2's examples/: 149, 28%, 9%).
It is also a precision and recall check on whole files: real flake8 must report exactly the
bugs the generator planted, at their lines, and nothing in the correct scripts.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT, flake8

sys.path.insert(0, str(ROOT / "bench"))

import script_families
import script_stats
import training_scripts

_FINDING = re.compile(r"^(?P<path>.+?):(?P<line>\d+):\d+: (?P<code>KRS\d{3}) ")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[training_scripts.Script]]:
    root = tmp_path_factory.mktemp("scripts")
    return root, training_scripts.write_scripts(str(root))


def test_every_script_parses_and_has_no_undefined_names(
    corpus: tuple[Path, list[training_scripts.Script]],
) -> None:
    root, scripts = corpus
    assert len(scripts) == training_scripts.DEFAULT_FILES
    for script in scripts:
        ast.parse(script.text, script.name)
    # pyflakes: a script that uses a name it never defines or imports would not run
    found = flake8("--select", "F", str(root))
    assert found.stdout == "", found.stdout


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_seeds_parse_too(seed: int) -> None:
    for script in training_scripts.generate(80, seed=seed):
        ast.parse(script.text, script.name)


def test_generation_is_deterministic() -> None:
    first = training_scripts.generate(12, seed=3)
    assert first == training_scripts.generate(12, seed=3)
    assert first != training_scripts.generate(12, seed=4)


def test_statistics_match_the_measured_examples(
    corpus: tuple[Path, list[training_scripts.Script]],
) -> None:
    root, _ = corpus
    stats = script_stats.summary(script_stats.dir_stats(str(root)))
    assert 180 <= stats["lines median"] <= 320  # between Keras 2 (149) and keras-io (370)
    assert stats["lines p10"] >= 120 and stats["lines p90"] >= 320
    assert 0.28 <= stats["comment share"] <= 0.42
    assert 0.04 <= stats["keras call share"] <= 0.10
    assert 4 <= stats["functions median"] <= 12
    assert 0.3 <= stats["files with a class"] <= 0.8
    for style in script_stats.STYLES:  # every import style is there
        assert stats[f"style {style}"] >= 0.1, style


def test_the_corpus_covers_every_family_and_bug() -> None:
    scripts = training_scripts.generate(160, seed=0)
    assert {s.family for s in scripts} == set(script_families.FAMILIES)
    planted = {code for s in scripts for _, code in s.planted}
    assert planted == set(script_families.BUGS)
    buggy = sum(1 for s in scripts if s.planted)
    assert buggy == len(scripts) // training_scripts.BUG_EVERY


def _reported(root: Path) -> dict[str, set[tuple[int, str]]]:
    found = flake8("--select", "KRS", str(root))
    assert found.returncode in (0, 1), found.stderr
    reported: dict[str, set[tuple[int, str]]] = {}
    for line in found.stdout.splitlines():
        match = _FINDING.match(line)
        assert match, line
        name = Path(match["path"]).name
        reported.setdefault(name, set()).add((int(match["line"]), match["code"]))
    return reported


def test_flake8_finds_exactly_the_planted_bugs(
    corpus: tuple[Path, list[training_scripts.Script]],
) -> None:
    root, scripts = corpus
    expected = {s.name: set(s.planted) for s in scripts if s.planted}
    assert 4 <= len(expected) <= 6  # about one script in eight
    assert _reported(root) == expected


def test_flake8_finds_every_kind_of_planted_bug(tmp_path: Path) -> None:
    """56 scripts of another seed: each bug kind once, and 49 more correct scripts."""
    scripts = training_scripts.write_scripts(str(tmp_path), files=56, seed=1)
    expected = {s.name: set(s.planted) for s in scripts if s.planted}
    assert {code for found in expected.values() for _, code in found} == set(script_families.BUGS)
    assert _reported(tmp_path) == expected
