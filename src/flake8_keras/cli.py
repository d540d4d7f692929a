"""``flake8-keras`` command line: the check, fix, verify, lsp and rule subcommands."""

from __future__ import annotations

import os
import sys
from importlib import import_module

from flake8_keras import __version__

# subcommand -> module whose ``main(argv) -> int`` implements it
SUBCOMMANDS = {
    "check": "flake8_keras.check_cli",
    "fix": "flake8_keras.fix.cli",
    "verify": "flake8_keras.verify.cli",
    "lsp": "flake8_keras.lsp.server",
    "rule": "flake8_keras.rule_cli",
}

# the packages an optional extra brings: a subcommand that needs a missing one says which extra
EXTRAS = {"pygls": "lsp", "lsprotocol": "lsp"}

USAGE = """usage: flake8-keras {check,fix,verify,lsp} [options] PATH...
       flake8-keras rule [KRSxxx]
       flake8-keras --version

  check   report KRS diagnostics as `flake8 --select KRS` does (noqa and flake8 config honoured),
          --format default|json|sarif|github
  fix     unwrap redundant TimeDistributed(Dense) (KRS101) in place, --diff or --check
  verify  rebuild every claim in real Keras/TensorFlow: confirmed, refuted or inconclusive
  lsp     a language server publishing KRS diagnostics with a quick fix
  rule    a rule's full documentation (what, why, example, fix), or the list of rules
"""


def error(prog: str, message: str) -> int:
    """Every fatal error of the command line reads ``PROG: error: MESSAGE`` (argparse's wording)."""
    print(f"{prog}: error: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if args else 2
    if args[0] == "--version":
        print(f"flake8-keras {__version__}")
        return 0
    module = SUBCOMMANDS.get(args[0])
    if module is None:
        return error("flake8-keras", f"unknown command {args[0]!r}\n\n{USAGE}")
    try:
        command = import_module(module)
    except ModuleNotFoundError as missing:
        package = (missing.name or "").partition(".")[0]
        if package not in EXTRAS:
            raise
        extra = EXTRAS[package]
        return error(
            f"flake8-keras {args[0]}",
            f"{package} is not installed; install it with: pip install 'flake8-keras[{extra}]'",
        )
    try:
        return int(command.main(args[1:]))
    except BrokenPipeError:  # `flake8-keras rule | head`: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush stays quiet
        return 0


if __name__ == "__main__":
    sys.exit(main())
