"""Each claim in a worker process, under a memory limit and a timeout.

The worker imports Keras once and stays warm, so a claim costs what it costs in-process; a claim
that exceeds its limits ends only the worker, which is started again for the next claim.
"""

from __future__ import annotations

import atexit
import os
import pickle
import select
import subprocess
import sys
import time
from typing import Any

from flake8_keras.records import record
from flake8_keras.rules.base import Diagnostic
from flake8_keras.verify.limits import CLAIM_MEMORY_MB, CLAIM_TIMEOUT_SECONDS, WORKER_START_SECONDS
from flake8_keras.verify.runtime import KerasMissing
from flake8_keras.verify.verdict import INCONCLUSIVE, Verdict
from flake8_keras.verify.worker import HEADER


@record(frozen=True)
class KerasInfo:
    module: str
    version: str
    backend: str

    def describe(self) -> str:
        return f"{self.module} {self.version}, backend {self.backend}"


class _Timeout(Exception):
    pass


class Worker:
    """A Keras process that verifies claims one at a time."""

    def __init__(
        self,
        preference: str = "auto",
        timeout: float = CLAIM_TIMEOUT_SECONDS,
        memory_mb: int = CLAIM_MEMORY_MB,
    ) -> None:
        self.preference = preference
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.info: KerasInfo | None = None
        self.restarts = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._buffer = b""

    def start(self) -> KerasInfo:
        """Start the worker (importing Keras); KerasMissing if it cannot."""
        if self._proc is not None and self.info is not None:
            return self.info
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "3"))
        command = [sys.executable, "-m", "flake8_keras.verify.worker", self.preference]
        self._proc = subprocess.Popen(
            [*command, str(self.memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self._buffer = b""
        try:
            reply = self._receive(WORKER_START_SECONDS)
        except _Timeout:
            reply = None
        if reply is not None and reply[0] == "ready":
            self.info = KerasInfo(*reply[1:])
            return self.info
        self.close()
        if reply is not None and reply[0] == "missing":
            raise KerasMissing(reply[1])
        raise KerasMissing(f"flake8-keras verify could not start Keras ({self.preference})")

    def verify(self, diagnostic: Diagnostic) -> Verdict:
        """The claim's verdict; a timeout or a crash of the worker is inconclusive."""
        try:
            request = pickle.dumps(diagnostic)
        except Exception as error:  # an object the analysis made that cannot cross a pipe
            return Verdict(INCONCLUSIVE, f"verifier error: the claim cannot be sent: {error}")
        if self._proc is None:
            try:
                self.start()
                self.restarts += 1
            except KerasMissing as error:
                return Verdict(INCONCLUSIVE, f"verifier error: {error}")
        proc = self._proc
        assert proc is not None and proc.stdin is not None
        try:
            proc.stdin.write(HEADER.pack(len(request)) + request)
            proc.stdin.flush()
            reply = self._receive(self.timeout)
        except _Timeout:
            self.close()
            return Verdict(
                INCONCLUSIVE,
                f"too large to rebuild: the claim took longer than {self.timeout:g} s "
                "(its worker was stopped)",
            )
        except OSError:
            reply = None
        if reply is None or reply[0] != "verdict":
            how = self._ended()
            return Verdict(
                INCONCLUSIVE,
                f"too large to rebuild: the worker rebuilding the claim ended ({how}) under the "
                f"{self.memory_mb} MB memory limit",
            )
        verdict: Verdict = reply[1]
        return verdict

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.stdin is not None:
            try:
                proc.stdin.close()
            except OSError:
                pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()  # the worker this object started, by its own handle
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()

    def _ended(self) -> str:
        proc, self._proc = self._proc, None
        if proc is None:
            return "not running"
        try:
            code = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        return f"killed by signal {-code}" if code < 0 else f"exit status {code}"

    def _receive(self, timeout: float) -> Any:
        """The next message from the worker; None when it ended; _Timeout after ``timeout``."""
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        fd = proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while True:
            if len(self._buffer) >= HEADER.size:
                (size,) = HEADER.unpack(self._buffer[: HEADER.size])
                end = HEADER.size + size
                if len(self._buffer) >= end:
                    data, self._buffer = self._buffer[HEADER.size : end], self._buffer[end:]
                    return pickle.loads(data)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Timeout
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                raise _Timeout
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return None
            self._buffer += chunk


_WORKERS: dict[tuple[str, float, int], Worker] = {}


def worker(preference: str, timeout: float, memory_mb: int) -> Worker:
    """One warm worker per settings and process (a test session shares it between runs)."""
    key = (preference, timeout, memory_mb)
    if key not in _WORKERS:
        _WORKERS[key] = Worker(preference, timeout, memory_mb)
    return _WORKERS[key]


@atexit.register
def _close_all() -> None:
    for each in _WORKERS.values():
        each.close()
