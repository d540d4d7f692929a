"""The worker process: imports Keras once, then verifies one claim at a time under a memory limit.

``python -m flake8_keras.verify.worker KERAS MEMORY_MB``; the parent
(:mod:`flake8_keras.verify.isolation`) sends pickled diagnostics on stdin and reads pickled
verdicts on stdout. Only the parent's own objects cross the pipe.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import sys
from collections.abc import Iterator
from typing import IO, Any

HEADER = struct.Struct(">I")


def send(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message)
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """The next message, or None at the end of the stream."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    data = stream.read(size)
    return pickle.loads(data) if len(data) == size else None


def address_space() -> int | None:
    """This process's virtual memory size in bytes (Linux), None where it cannot be read."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


@contextlib.contextmanager
def memory_limit(megabytes: int) -> Iterator[None]:
    """Let the claim add at most ``megabytes`` of address space (RLIMIT_AS) to the process."""
    try:
        import resource
    except ImportError:  # not POSIX: the timeout still applies
        yield
        return
    now = address_space()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limited = False
    if now is not None:
        limit = now + megabytes * 1024 * 1024
        if hard == resource.RLIM_INFINITY or limit < hard:
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
                limited = True
    try:
        yield
    finally:
        if limited:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def main(argv: list[str]) -> int:
    from flake8_keras.verify.checks import verify
    from flake8_keras.verify.runtime import KerasMissing, load

    preference, megabytes = argv[0], int(argv[1])
    requests = sys.stdin.buffer
    replies = os.fdopen(os.dup(1), "wb")
    with open(os.devnull, "wb") as null:  # Keras and TensorFlow may print: keep the pipe clean
        os.dup2(null.fileno(), 1)
    try:
        runtime = load(preference)
    except KerasMissing as error:
        send(replies, ("missing", str(error)))
        return 2
    send(replies, ("ready", runtime.module, runtime.version, runtime.backend))
    while (diagnostic := receive(requests)) is not None:
        with memory_limit(megabytes):
            verdict = verify(diagnostic, runtime)
        send(replies, ("verdict", verdict))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
