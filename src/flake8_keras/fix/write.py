"""Writing a fixed file back without clobbering anything.

The file is read once (``read_snapshot``) and replaced only if, at the moment of the write, it
still has the size, modification time and bytes that were read: a line appended by an editor or
another tool while the fixer ran is never lost. A read-only file is refused (as ``black`` does:
the write bit is the user's "do not touch"), and a file with several hard links is written in
place, so every link sees the fix (an atomic rename would split the link silently).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable

from flake8_keras.records import record

# Called with the real path after the new content is ready and before the file is re-checked and
# replaced: the point where another writer's change would otherwise be lost (tests race here).
before_replace: Callable[[str], None] | None = None


class WriteRefused(Exception):
    """The file was left untouched; the message says why."""


@record(frozen=True)
class Snapshot:
    """A file as the fixer read it."""

    real: str  # the path with symlinks resolved: the file that is written
    data: bytes
    size: int
    mtime_ns: int
    mode: int
    links: int
    uid: int
    gid: int


def read_snapshot(path: str) -> Snapshot:
    """Read ``path`` and the stat of the same open file (OSError when it cannot be read)."""
    real = os.path.realpath(path)
    with open(real, "rb") as handle:
        data = handle.read()
        info = os.fstat(handle.fileno())
    return Snapshot(
        real,
        data,
        info.st_size,
        info.st_mtime_ns,
        stat.S_IMODE(info.st_mode),
        info.st_nlink,
        info.st_uid,
        info.st_gid,
    )


def check_writable(snapshot: Snapshot) -> None:
    """Refuse a file whose write bits are all off (even for root) or that we may not write."""
    if not snapshot.mode & 0o222 or not os.access(snapshot.real, os.W_OK):
        raise WriteRefused("the file is read-only; left untouched")


def replace_if_unchanged(snapshot: Snapshot, data: bytes) -> str | None:
    """Write ``data`` over the file read as ``snapshot``; a note when it was written in place.

    Raises WriteRefused when the file changed since it was read, or is read-only."""
    check_writable(snapshot)
    if snapshot.links > 1:
        _write_in_place(snapshot, data)
        return (
            f"it has {snapshot.links} hard links: written in place so that every link sees the "
            "fix (not atomically)"
        )
    fd, tmp = tempfile.mkstemp(
        dir=os.path.dirname(snapshot.real), prefix=".flake8-keras-", suffix=".tmp"
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, snapshot.mode)
        _keep_owner(tmp, snapshot)
        if before_replace is not None:
            before_replace(snapshot.real)
        _check_unchanged(snapshot)
        os.replace(tmp, snapshot.real)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return None


def _write_in_place(snapshot: Snapshot, data: bytes) -> None:
    if before_replace is not None:
        before_replace(snapshot.real)
    with open(snapshot.real, "r+b") as handle:
        _check_unchanged(snapshot, handle.read(), os.fstat(handle.fileno()))
        handle.seek(0)
        handle.write(data)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())


def _check_unchanged(
    snapshot: Snapshot, data: bytes | None = None, info: os.stat_result | None = None
) -> None:
    """Raise WriteRefused unless the file still has the snapshot's size, mtime and bytes."""
    try:
        if data is None or info is None:
            with open(snapshot.real, "rb") as handle:
                data = handle.read()
                info = os.fstat(handle.fileno())
    except OSError as exc:
        raise WriteRefused(f"it cannot be read again ({exc.strerror}); left untouched") from exc
    if (info.st_size, info.st_mtime_ns) != (snapshot.size, snapshot.mtime_ns) or (
        data != snapshot.data
    ):
        raise WriteRefused(
            "it changed while being fixed (another program wrote to it); left untouched, "
            "run the fix again"
        )


def _keep_owner(tmp: str, snapshot: Snapshot) -> None:
    """Give the new file the old one's owner when we may (root fixing another user's file)."""
    if (snapshot.uid, snapshot.gid) == (os.getuid(), os.getgid()):
        return
    try:
        os.chown(tmp, snapshot.uid, snapshot.gid)
    except OSError:
        pass  # not permitted: the file becomes ours, as with any editor's atomic save
