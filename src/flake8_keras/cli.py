"""``flake8-keras`` command line: ``check``, ``fix``, ``verify`` and ``lsp`` subcommands."""

from __future__ import annotations

import sys
from importlib import import_module

# subcommand -> module whose ``main(argv) -> int`` implements it
SUBCOMMANDS = {
    "check": "flake8_keras.check_cli",
    "fix": "flake8_keras.fix.cli",
    "verify": "flake8_keras.verify.cli",
    "lsp": "flake8_keras.lsp.server",
}

USAGE = """usage: flake8-keras {check,fix,verify,lsp} [options] PATH...

  check   report KRS diagnostics (the same as flake8 --select KRS)
  fix     unwrap redundant TimeDistributed(Dense) (KRS101) in place, --diff or --check
  verify  rebuild every claim in real Keras/TensorFlow: confirmed, refuted or inconclusive
  lsp     a language server publishing KRS diagnostics with a quick fix
"""


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if args else 2
    module = SUBCOMMANDS.get(args[0])
    if module is None:
        print(f"flake8-keras: unknown command {args[0]!r}\n\n{USAGE}", file=sys.stderr)
        return 2
    return int(import_module(module).main(args[1:]))


if __name__ == "__main__":
    sys.exit(main())
