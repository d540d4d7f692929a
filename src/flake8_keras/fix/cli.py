"""``flake8-keras fix``: unwrap redundant ``TimeDistributed(Dense)`` (KRS101) in place.

Exit status (pre-commit's convention): 1 when a file was changed (or, with ``--check``/``--diff``,
would be), 0 when nothing needed fixing, 2 on errors (unreadable, unparseable, read-only files,
or files changed by another program while being fixed). ``-``
(stdin -> stdout) exits 0 after writing the fixed code, since no file changed.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Iterator

from flake8_keras.fix.unwrap import CODE, WEIGHT_WARNING, FixResult, fix_source
from flake8_keras.fix.write import Snapshot, WriteRefused, read_snapshot, replace_if_unchanged
from flake8_keras.paths import python_files
from flake8_keras.records import record
from flake8_keras.rules import may_trigger
from flake8_keras.source import decode, encoding_of, parse, physical_lines


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flake8-keras fix",
        description="Unwrap redundant TimeDistributed(Dense) (KRS101). Files are rewritten in "
        "place; '-' reads stdin and writes the fixed code to stdout.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, directories or -")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print a unified diff, change nothing")
    mode.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 when something would change"
    )
    parser.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="also unwrap when the inner Dense has (or, through **kwargs or *args, may have) "
        "activity_regularizer or dtype (this changes behaviour; each change is reported)",
    )
    parser.add_argument("--stdin-display-name", default="-", help="the name of stdin in messages")
    return parser


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _report(name: str, result: FixResult, *, verb: str) -> None:
    for outcome in result.outcomes:
        where = f"{name}:{outcome.line}:{outcome.col + 1}: {CODE}"
        if outcome.fixed:
            _say(f"{where} {verb}: {outcome.note}")
        else:
            _say(f"{where} not fixed: {outcome.note}")


@record
class Tally:
    """What a run did, for its summary line."""

    fixed: int = 0  # findings unwrapped (or that would be)
    left: int = 0  # findings not fixed (each said why)
    files: int = 0  # files changed (or that would be)
    errors: int = 0  # files left untouched because of an error

    def summary(self, *, dry: bool) -> str | None:
        """One line after the per-finding lines; None when there was nothing to say."""
        if not (self.fixed or self.left or self.errors):
            return None
        found = self.fixed + self.left
        verb = "would fix" if dry else "fixed"
        parts = [f"{verb} {self.fixed} of {_count(found, 'finding')}"]
        changed = "would be changed" if dry else "changed"
        parts.append(f"{_count(self.files, 'file')} {changed}")
        if self.left:
            parts.append(f"{self.left} not fixed (why is said above)")
        if self.errors:
            parts.append(f"{_count(self.errors, 'file')} left untouched by an error")
        return f"flake8-keras fix: {', '.join(parts)}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def fix_path(path: str, args: argparse.Namespace, tally: Tally | None = None) -> int:
    """Fix one file (or stdin); 0 nothing to do, 1 changed (or would change), 2 error."""
    tally = tally if tally is not None else Tally()
    stdin = path == "-"
    name = args.stdin_display_name if stdin else path
    snapshot: Snapshot | None = None
    try:
        if stdin:
            data = sys.stdin.buffer.read()
        else:
            snapshot = read_snapshot(path)
            data = snapshot.data
    except OSError as exc:
        _say(f"{name}: error: cannot read: {exc.strerror}")
        tally.errors += 1
        return 2
    text = decode(data)
    if text is None:
        _say(f"{name}: error: cannot decode it as Python source; left untouched")
        if stdin:
            sys.stdout.buffer.write(data)
        tally.errors += 1
        return 2
    status = 0
    result = FixResult(text)
    if may_trigger(text):  # files that cannot contain a KRS101 need no parse at all
        tree = parse(text)
        if tree is None:
            result.error = "syntax error"
        else:
            try:
                result = fix_source(text, unsafe=args.unsafe_fixes, tree=tree)
            except Exception as exc:  # an engine bug must not lose the user's other files
                result.error = f"internal error ({type(exc).__name__}: {exc}), please report it"
    changed = result.error is None and result.text != text
    encoding = encoding_of(data) or "utf-8"
    if changed and text.encode(encoding, errors="replace") != data:
        # e.g. unicode_escape: decoding turned escapes into characters, encoding would write
        # every line break as "\n" and put the file on one line
        result.error = (
            f"its encoding {encoding} does not give back the same bytes, so it cannot be "
            "rewritten faithfully"
        )
        changed = False
    if result.error is not None:
        _say(f"{name}: error: {result.error}; left untouched")
        status = 2
    new_data = result.text.encode(encoding) if changed else data
    dry = args.diff or args.check
    if changed and not dry and snapshot is not None and not _written(name, snapshot, new_data):
        tally.errors += 1
        return 2  # the file is untouched: nothing was unwrapped
    _report(name, result, verb="would unwrap" if dry else "unwrapped")
    tally.errors += result.error is not None
    tally.fixed += len(result.fixed) if changed else 0
    tally.left += len(result.skipped) + (0 if changed else len(result.fixed))
    tally.files += changed
    if args.diff and changed:
        sys.stdout.writelines(
            difflib.unified_diff(
                physical_lines(text),
                physical_lines(result.text),
                fromfile=name,
                tofile=name,
            )
        )
    if stdin and not args.diff and not args.check:
        sys.stdout.buffer.write(new_data)
        sys.stdout.flush()
    if changed:
        if not dry:
            _say(f"{name}: warning: {WEIGHT_WARNING}")
        # stdin -> stdout changes no file: exit 0 so editors piping a buffer accept the output
        status = max(status, 0 if stdin and not dry else 1)
    return status


def _written(name: str, snapshot: Snapshot, data: bytes) -> bool:
    """Replace the file unless it changed since it was read or is read-only (then say why)."""
    try:
        note = replace_if_unchanged(snapshot, data)
    except WriteRefused as exc:
        _say(f"{name}: error: {exc}")
        return False
    except OSError as exc:
        _say(f"{name}: error: cannot write: {exc.strerror}; left untouched")
        return False
    if note is not None:
        _say(f"{name}: note: {note}")
    return True


def files_to_fix(paths: list[str]) -> Iterator[str]:
    """The files of ``paths``, without those a directory reaches only through a symlink that
    leads outside it: ``fix dir/`` never edits a file outside ``dir/``. A file named on the
    command line is fixed even when it is a symlink (its target is rewritten)."""
    for given in paths:
        if given == "-" or not os.path.isdir(given):
            yield given
            continue
        root = os.path.realpath(given)
        for path in python_files([given]):
            real = os.path.realpath(path)
            if os.path.commonpath([root, real]) != root:
                _say(f"{path}: skipped: a symbolic link to {real}, outside {given}")
                continue
            yield path


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    status = 0
    tally = Tally()
    for path in files_to_fix(args.paths):
        status = max(status, fix_path(path, args, tally))
    summary = tally.summary(dry=args.diff or args.check)
    if summary is not None and args.paths != ["-"]:  # an editor piping a buffer wants no chatter
        _say(summary)
    return status
