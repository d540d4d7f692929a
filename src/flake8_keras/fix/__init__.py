"""The fixer: ``fix_diagnostics`` applies the fixes of one analysis (the language server),
``fix_source`` analyses then applies, ``cli.main`` for users."""

from __future__ import annotations

from flake8_keras.fix.unwrap import (
    WEIGHT_WARNING,
    FixResult,
    Outcome,
    fix_diagnostics,
    fix_source,
)

__all__ = ["WEIGHT_WARNING", "FixResult", "Outcome", "fix_diagnostics", "fix_source"]
