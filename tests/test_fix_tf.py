"""With real TensorFlow: the fixed model has the same parameters and outputs as the original.

Each original and fixed source (our own examples and fix cases, never user code) is executed in
one subprocess in a temporary directory; every ``keras.Model`` it defines is compared.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from flake8_keras.analysis import analyze_source
from flake8_keras.fix import fix_source

pytestmark = [
    pytest.mark.tensorflow,
    pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None, reason="needs TensorFlow"),
]

COMPARE = r"""
import json, os, sys
import numpy as np
import keras

def models(source, name):
    namespace = {"__name__": name}
    exec(compile(source, name, "exec"), namespace)
    return {k: v for k, v in namespace.items() if isinstance(v, keras.Model)}

report = {}
for name, original, fixed in json.load(sys.stdin):
    before, after = models(original, name), models(fixed, name)
    assert before.keys() == after.keys() and before, name
    for var, old in before.items():
        new = after[var]
        new.set_weights(old.get_weights())
        rng = np.random.default_rng(0)
        inputs = [rng.normal(size=[2 if i == 0 else d or 4 for i, d in enumerate(t.shape)])
                  .astype("float32") for t in old.inputs]
        def run(model):
            out = model(inputs if len(inputs) > 1 else inputs[0])
            out = out if isinstance(out, (list, tuple)) else [out]
            return [keras.ops.convert_to_numpy(o) for o in out]
        outs_old, outs_new = run(old), run(new)
        report[f"{name}:{var}"] = {
            "params": [old.count_params(), new.count_params()],
            "diff": max(float(np.max(np.abs(a - b))) for a, b in zip(outs_old, outs_new)),
            "shapes": [[list(a.shape) for a in outs_old], [list(b.shape) for b in outs_new]],
        }
json.dump(report, sys.stdout)
"""


def runnable_cases() -> list[Path]:
    examples = [
        p
        for p in sorted(EXAMPLES.glob("*.py"))
        if analyze_source(p.read_text(encoding="utf-8"), codes={"KRS101"})
    ]
    return examples + sorted((ROOT / "tests" / "fix_cases").glob("*.in.py"))


def test_fixed_models_match_the_originals(tmp_path: Path) -> None:
    cases = []
    for path in runnable_cases():
        text = path.read_text(encoding="utf-8")
        result = fix_source(text)
        assert result.fixed, path
        cases.append((path.name, text, result.text))
    assert any(name == "td_vs_dense.py" for name, _, _ in cases)
    run = subprocess.run(
        [sys.executable, "-c", COMPARE],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        env={
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "KERAS_BACKEND": "tensorflow",
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
        },
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout)
    assert len(report) >= len(cases)
    for model, facts in report.items():
        before, after = facts["params"]
        assert before == after and before > 0, model
        assert facts["shapes"][0] == facts["shapes"][1], model
        assert facts["diff"] < 1e-5, (model, facts["diff"])
