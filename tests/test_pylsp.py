"""An editor's view: python-lsp-server with its flake8 plugin, over stdio with a tiny client."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from queue import Empty, Queue
from typing import Any

from conftest import ROOT

SOURCE = (ROOT / "tests" / "fix_cases" / "comments.in.py").read_text(encoding="utf-8")


class JsonRpcClient:
    """Just enough LSP: Content-Length framing, requests with ids, a queue of notifications."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.messages: Queue[dict[str, Any]] = Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                header = stream.readline()
                if not header:
                    return
                if header in (b"\r\n", b"\n"):
                    break
                name, _, value = header.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.messages.put(json.loads(stream.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any, timeout: float = 30) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == self.next_id and "method" not in m, timeout)
        assert "error" not in reply, reply
        return reply.get("result")

    def wait(self, accept: Any, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                message = self.messages.get(timeout=max(0.01, deadline - time.monotonic()))
            except Empty:
                raise AssertionError("no matching message from the server in time") from None
            if message.get("method") in (
                "workspace/configuration",
                "client/registerCapability",
                "window/workDoneProgress/create",
            ):
                reply = [{}] if message["method"] == "workspace/configuration" else None
                self.send({"id": message["id"], "result": reply})
                continue
            if accept(message):
                return message

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", {})
            self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()


def initialize(client: JsonRpcClient, root: Path, options: dict[str, Any] | None = None) -> Any:
    result = client.request(
        "initialize",
        {
            "processId": None,
            "rootUri": root.as_uri(),
            "capabilities": {},
            "initializationOptions": options or {},
        },
    )
    client.notify("initialized", {})
    return result


def published(client: JsonRpcClient, uri: str, code: str) -> list[dict[str, Any]]:
    """The diagnostics of the first publishDiagnostics for ``uri`` that reports ``code``."""
    message = client.wait(
        lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and any(d.get("code") == code for d in m["params"]["diagnostics"])
        )
    )
    return list(message["params"]["diagnostics"])


def test_pylsp_flake8_plugin_reports_krs101(tmp_path: Path) -> None:
    flake8 = str(Path(sys.executable).with_name("flake8"))
    client = JsonRpcClient([sys.executable, "-m", "pylsp"], tmp_path)
    try:
        initialize(client, tmp_path)
        client.notify(
            "workspace/didChangeConfiguration",
            {
                "settings": {
                    "pylsp": {
                        "plugins": {
                            "flake8": {"enabled": True, "executable": flake8, "select": ["KRS"]},
                            "pycodestyle": {"enabled": False},
                            "pyflakes": {"enabled": False},
                            "mccabe": {"enabled": False},
                            "pydocstyle": {"enabled": False},
                        }
                    }
                }
            },
        )
        path = tmp_path / "model.py"
        path.write_text(SOURCE, encoding="utf-8")
        uri = path.as_uri()
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": SOURCE}},
        )
        diagnostics = published(client, uri, "KRS101")
    finally:
        client.close()
    krs = [d for d in diagnostics if d["code"] == "KRS101"]
    starts = [(d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in krs]
    # 0-based: line 8 `a = layers.TimeDistributed(` ... the noqa'd lines are not reported
    lines = SOURCE.splitlines()
    expected = [
        (i, line.index("layers.TimeDistributed("))
        for i, line in enumerate(lines)
        if "layers.TimeDistributed(" in line
        and "# noqa: KRS1" not in line
        and not line.rstrip().endswith("# noqa")
    ]
    assert starts == expected
    for d in krs:
        start, end = d["range"]["start"], d["range"]["end"]
        # pylsp only gets line:col from flake8, so its range runs to the end of the line
        # (pylsp counts the newline); ``flake8-keras lsp`` gives the call's exact range
        assert end["line"] == start["line"]
        assert end["character"] == len(lines[start["line"]]) + 1
        assert "is redundant" in d["message"]
        assert d["source"] == "flake8"
