"""The KRS101 fixer: ``fix_source`` for tools (the language server), ``cli.main`` for users."""

from __future__ import annotations

from flake8_keras.fix.unwrap import WEIGHT_WARNING, FixResult, Outcome, fix_source

__all__ = ["WEIGHT_WARNING", "FixResult", "Outcome", "fix_source"]
