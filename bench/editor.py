"""Editor latency of ``flake8-keras lsp`` with a real LSP client, and ``fix`` against ``check``.

Drives the server over stdio with pygls's LanguageClient on a generated 5,000-line script
(bench/corpus.py) and prints: didChange -> publishDiagnostics, a burst of five edits, a code
action on a line with a KRS101 and on one without, the fix-all action; then the wall time of
``flake8-keras fix --check`` and ``flake8-keras check`` on 5,000- and 50,000-line files.

    python bench/editor.py [--lines 5000] [--big-lines 50000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import script


class Client:
    def __init__(self) -> None:
        self.lsp = LanguageClient("flake8-keras-bench", "1")
        self.published: asyncio.Queue[tuple[float, types.PublishDiagnosticsParams]] = (
            asyncio.Queue()
        )

        @self.lsp.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.published.put_nowait((time.perf_counter(), params))

    async def start(self, root: Path) -> None:
        await self.lsp.start_io(sys.executable, "-m", "flake8_keras.cli", "lsp")
        await self.lsp.initialize_async(
            types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=root.as_uri())
        )
        self.lsp.initialized(types.InitializedParams())

    async def publication(self) -> tuple[float, types.PublishDiagnosticsParams]:
        return await asyncio.wait_for(self.published.get(), timeout=300)

    def change(self, uri: str, version: int, text: str) -> float:
        self.lsp.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return time.perf_counter()

    async def code_action(
        self, uri: str, where: types.Range, only: list[str] | None = None
    ) -> tuple[float, int]:
        start = time.perf_counter()
        actions = await self.lsp.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=where,
                context=types.CodeActionContext(diagnostics=[], only=only),
            )
        )
        return time.perf_counter() - start, len(actions or ())

    async def stop(self) -> None:
        await self.lsp.shutdown_async(None)
        self.lsp.exit(None)
        await self.lsp.stop()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


async def editor_session(root: Path, text: str, repeat: int) -> None:
    client = Client()
    await client.start(root)
    uri = (root / "model.py").as_uri()
    start = time.perf_counter()
    client.lsp.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
        )
    )
    when, published = await client.publication()
    findings = published.diagnostics
    label = "didOpen -> publishDiagnostics"
    print(f"{label:<41}{ms(when - start)}  ({len(findings)} findings)")
    version, latencies = 1, []
    for n in range(repeat):
        version += 1
        sent = client.change(uri, version, text + f"\nedit_{n} = {n}\n")
        when, published = await client.publication()
        assert published.version == version
        latencies.append(when - sent)
    print(f"didChange -> publishDiagnostics (median) {ms(statistics.median(latencies))}")
    sent = 0.0
    for n in range(5):
        version += 1
        sent = client.change(uri, version, text + f"\nburst_{n} = {n}\n")
        await asyncio.sleep(0.03)
    when, published = await client.publication()
    await asyncio.sleep(1.0)
    print(
        f"5 edits 30 ms apart -> last publish        {ms(when - sent)}  "
        f"({1 + client.published.qsize()} publish, version {published.version})"
    )
    with_finding = next(d for d in published.diagnostics if d.code == "KRS101")
    lines = text.splitlines()
    plain = next(i for i, line in enumerate(lines) if line.startswith("settings_"))
    without = types.Range(start=types.Position(plain, 0), end=types.Position(plain, 0))
    for label, where in (("a KRS101 line", with_finding.range), ("a line without one", without)):
        times, count = [], 0
        for _ in range(repeat):
            elapsed, count = await client.code_action(uri, where)
            times.append(elapsed)
        median = ms(statistics.median(times))
        print(f"codeAction on {label:<18} (median) {median}  ({count} actions)")
    elapsed, count = await client.code_action(uri, without, only=["source.fixAll"])
    print(f"codeAction source.fixAll                 {ms(elapsed)}  ({count} action)")
    await client.stop()


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - start


def fix_against_check(root: Path, sizes: list[int]) -> None:
    exe = [sys.executable, "-m", "flake8_keras.cli"]
    for size in sizes:
        path = root / f"keras_{size}.py"
        path.write_text(script(size, size), encoding="utf-8")
        check = wall([*exe, "check", str(path)])
        fix = wall([*exe, "fix", "--check", str(path)])
        print(
            f"{size:>6} lines: check {check:6.2f} s, fix --check {fix:6.2f} s "
            f"({fix / check:.1f}x check)"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--big-lines", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"language server, {args.lines}-line generated script (bench/corpus.py, seed 0)")
        asyncio.run(editor_session(root, script(0, args.lines), args.repeat))
        print("fix --check against check (wall time, one process each)")
        fix_against_check(root, [args.lines, args.big_lines])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
