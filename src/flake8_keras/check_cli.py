"""``flake8-keras check``: ``flake8 --select KRS`` (plus E999/E902) in CI-friendly formats.

flake8 itself runs in-process, so config discovery, ``# noqa``, ``extend-ignore``,
``per-file-ignores``, ``exclude`` and the columns are flake8's own. Exit status: 2 when a file could
not be parsed (E999) or read (E902), or on a usage or configuration error; else 1 when there are
KRS findings; else 0. When the paths hold no Python file, a warning goes to stderr and the exit
status is 0, as flake8's (which exits 0 silently).
"""

from __future__ import annotations

import argparse
import sys

from flake8_keras.cli import error
from flake8_keras.flake8_run import READ_ERROR, SYNTAX_ERROR, CheckError, flake8_argv, run_flake8
from flake8_keras.report_formats import FORMATS

PROG = "flake8-keras check"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Report KRS diagnostics exactly as `flake8 --select KRS,E999,E902` would.",
    )
    parser.add_argument("paths", nargs="*", default=["."], help="files, directories, - for stdin")
    parser.add_argument("--format", choices=list(FORMATS), default="default")
    parser.add_argument("--stdin-display-name", default="stdin")
    parser.add_argument("--config", help="flake8 configuration file to use instead of discovery")
    parser.add_argument("--isolated", action="store_true", help="ignore flake8 configuration")
    parser.add_argument(
        "--long-messages",
        action="store_true",
        help="each finding's full explanation instead of its headline (flake8's "
        "--keras-long-messages; `keras-long-messages = true` in the flake8 config does the same)",
    )
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    flake8_args = flake8_argv(
        args.paths,
        stdin_display_name=args.stdin_display_name,
        config=args.config,
        isolated=args.isolated,
        long_messages=args.long_messages,
    )
    try:
        run = run_flake8(flake8_args)
    except CheckError as problem:
        return error(PROG, str(problem))
    if run.files_checked == 0:
        print(f"{PROG}: warning: no Python files found in {' '.join(args.paths)}", file=sys.stderr)
    sys.stdout.write(FORMATS[args.format](run))
    codes = {f.code for f in run.findings}
    if codes & {SYNTAX_ERROR, READ_ERROR}:
        return 2
    return 1 if codes else 0
