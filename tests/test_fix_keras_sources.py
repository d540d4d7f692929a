"""Round trip over the installed keras sources: each file unchanged, or changed where reported."""

from __future__ import annotations

import ast
import difflib
import importlib.util
from pathlib import Path

import libcst as cst

from flake8_keras.analysis import analyze_source
from flake8_keras.fix import fix_source
from flake8_keras.rules import may_trigger
from flake8_keras.source import physical_lines


def keras_sources() -> list[Path]:
    spec = importlib.util.find_spec("keras")  # finds it without importing TensorFlow
    assert spec is not None and spec.submodule_search_locations
    return sorted(Path(spec.submodule_search_locations[0]).rglob("*.py"))


def test_keras_sources_round_trip() -> None:
    files = keras_sources()
    assert len(files) > 500
    changed = fixed = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        if may_trigger(text):
            # the fixer's rewrite starts from libcst's exact reproduction of the file
            assert cst.parse_module(text).code == text, path
        result = fix_source(text, unsafe=True)
        assert result.error is None, (path, result.error)
        if result.text == text:
            continue
        changed += 1
        fixed += len(result.fixed)
        ast.parse(result.text)
        reported = [
            range(d.node.lineno - 1, d.node.end_lineno or d.node.lineno)  # type: ignore[attr-defined]
            for d in analyze_source(text, codes={"KRS101"})
        ]
        before, after = physical_lines(text), physical_lines(result.text)
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for tag, i1, i2, _, _ in matcher.get_opcodes():
            if tag == "equal":
                continue
            for i in range(i1, i2):
                in_span = any(i in span for span in reported)
                import_line = "import" in before[i] and "TimeDistributed" in before[i]
                assert in_span or import_line, f"{path}:{i + 1} changed outside a report"
        assert fix_source(result.text, unsafe=True).text == result.text
    # keras' own tests wrap Dense in TimeDistributed: the round trip really rewrites something
    assert changed >= 1 and fixed >= changed
