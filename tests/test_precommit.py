"""The pre-commit hooks through the real ``pre-commit try-repo`` (creates one pip environment)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
BAD = (ROOT / "tests" / "fix_cases" / "imports.in.py").read_text(encoding="utf-8")
GOOD = (ROOT / "tests" / "fix_cases" / "imports.out.py").read_text(encoding="utf-8")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def snapshot(dest: Path) -> Path:
    """A git repository holding the working tree as it is now (try-repo installs a commit)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    dest.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "src", dest / "src", ignore=ignore)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")
    return dest


@pytest.fixture(scope="session")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    base = tmp_path_factory.mktemp("precommit")
    env = {**os.environ, "PRE_COMMIT_HOME": str(base / "cache"), "PRE_COMMIT_COLOR": "never"}
    env.pop("PRE_COMMIT", None)
    yield snapshot(base / "flake8-keras"), env


def test_manifest_is_valid() -> None:
    run = subprocess.run(
        [*PRE_COMMIT, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "stages: [manual]" in text.split("id: flake8-keras-verify", 1)[1]


def test_fix_hook_fails_rewrites_then_passes(
    hooks_repo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    repo, env = hooks_repo
    project = tmp_path / "project"
    project.mkdir()
    (project / "model.py").write_text(BAD, encoding="utf-8")
    (project / "clean.py").write_text("print('no keras here')\n", encoding="utf-8")
    git(project, "init", "-q")
    git(project, "add", "-A")
    command = [*PRE_COMMIT, "try-repo", str(repo), "flake8-keras-fix", "--all-files"]
    started = time.monotonic()
    first = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=900
    )
    first_seconds = time.monotonic() - started
    assert first.returncode == 1, first.stdout + first.stderr
    assert "Failed" in first.stdout and "files were modified by this hook" in first.stdout
    assert "KRS101 unwrapped: TimeDistributed(Dense(8)) -> Dense(8)" in first.stdout
    assert "set_weights(old_model.get_weights())" in first.stdout
    assert (project / "model.py").read_text(encoding="utf-8") == GOOD
    second = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout
    print(f"pre-commit try-repo: first run (creates the environment) {first_seconds:.1f} s")


def readme_hooks_snippet() -> str:
    """The README's pre-commit configuration for this repository's hooks, exactly as written."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    ours = [b for b in blocks if "flake8-keras-fix" in b]
    assert len(ours) == 1, "README should show one configuration of this repository's hooks"
    return ours[0]


def test_readme_snippet_works_against_a_local_clone_pinned_to_a_commit(
    hooks_repo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    repo, env = hooks_repo
    sha = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    snippet = readme_hooks_snippet()
    url, rev = re.search(r"repo: (\S+)\n\s+rev: (\S+)", snippet).groups()  # type: ignore[union-attr]
    assert re.fullmatch(r"[0-9a-f]{40}", rev), "the README pins a full commit SHA"
    config = snippet.replace(url, str(repo)).replace(rev, sha)
    project = tmp_path / "project"
    project.mkdir()
    (project / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    (project / "model.py").write_text(BAD, encoding="utf-8")
    git(project, "init", "-q")
    git(project, "add", "-A")
    command = [*PRE_COMMIT, "run", "--all-files"]
    first = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=900
    )
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert (project / "model.py").read_text(encoding="utf-8") == GOOD
    # the verify hook is manual: a plain run never starts TensorFlow
    assert "flake8-keras verify" not in first.stdout
    second = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    assert second.returncode == 0, second.stdout + second.stderr
