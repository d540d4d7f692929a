"""KRS001 internal-error: reported by ``analysis`` itself, documented here with the rules."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_keras.keras.model import ModelGraph
from flake8_keras.rules.base import Diagnostic, Rule


class InternalError(Rule):
    """
    ## What it does
    Reports a bug of flake8-keras itself, met while analysing a statement (or, rarely, the
    whole file). The statement is skipped and the rest of the file is still checked.

    ## Why is this bad?
    A silent failure would hide every finding the statement leads to, so the error is always
    reported unless `--select`/`--extend-ignore` leave KRS001 out. Please report it with the
    statement that triggers it.

    ## Notes
    Reported at the first line of the statement (line 1 when the whole file failed). It is not a
    rule with a check: `analysis.py` (`INTERNAL_ERROR`) reports it, so it has no cases.
    """

    code = "KRS001"
    name = "internal-error"
    summary = "flake8-keras failed on a statement; the rest of the file was checked"
    reported_at = "the statement being analysed (line 1 for the whole file)"
    triggers = ()
    message = (
        "flake8-keras internal error ({kind}) {where}; the rest of the file was checked; "
        "please report it"
    )

    def check(self, graph: ModelGraph) -> Iterator[Diagnostic]:
        return iter(())
