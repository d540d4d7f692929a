"""Issue 11: the language server while a user edits, over stdio with pygls's real client."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from lsprotocol import types
from test_lsp import Session

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from corpus import script

GOOD = (
    "import keras\nfrom keras import layers\n"
    "x = layers.GRU(4, return_sequences=True)(keras.Input((5, 3)))\n"
    "y = layers.TimeDistributed(layers.Dense(2))(x)\n"
)
BROKEN = GOOD + "z = layers.Dense(\n"  # mid-edit: an open parenthesis


def run(scenario: Callable[[Session, Path], Awaitable[None]], root: Path) -> None:
    async def main() -> None:
        session = Session()
        await session.start(root)
        try:
            await scenario(session, root)
        finally:
            await session.stop()

    asyncio.run(asyncio.wait_for(main(), timeout=120))


def open_doc(session: Session, uri: str, text: str, language: str = "python") -> None:
    session.client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        )
    )


def change(session: Session, uri: str, version: int, text: str) -> None:
    session.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def code_actions(
    session: Session, uri: str, line: int
) -> Sequence[types.Command | types.CodeAction] | None:
    where = types.Range(start=types.Position(line, 0), end=types.Position(line, 0))
    return await session.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=where,
            context=types.CodeActionContext(diagnostics=[]),
        )
    )


def answered_empty(actions: Sequence[types.Command | types.CodeAction] | None) -> bool:
    return actions is not None and len(actions) == 0


async def nothing_published(session: Session, seconds: float) -> bool:
    await asyncio.sleep(seconds)
    return session.published.empty()


def test_code_action_on_a_never_opened_document_answers_nothing(tmp_path: Path) -> None:
    async def scenario(session: Session, root: Path) -> None:
        # the file does not exist and was never opened: an answer, not an error
        assert await code_actions(session, (root / "missing.py").as_uri(), 0) is None

    run(scenario, tmp_path)


def test_plaintext_documents_get_no_diagnostics(tmp_path: Path) -> None:
    async def scenario(session: Session, root: Path) -> None:
        notes = (root / "notes.txt").as_uri()
        open_doc(session, notes, GOOD, language="plaintext")
        model = (root / "model.py").as_uri()
        open_doc(session, model, GOOD)
        published = await session.diagnostics()
        assert published.uri == model  # the plaintext buffer was not analysed
        assert await code_actions(session, notes, 3) is None

    run(scenario, tmp_path)


def test_diagnostics_stay_while_the_buffer_does_not_parse(tmp_path: Path) -> None:
    async def scenario(session: Session, root: Path) -> None:
        uri = (root / "model.py").as_uri()
        open_doc(session, uri, GOOD)
        assert [d.code for d in (await session.diagnostics()).diagnostics] == ["KRS101"]
        change(session, uri, 2, BROKEN)
        # no empty publish over the last good diagnostics while the edit is unfinished
        assert await nothing_published(session, 1.0)
        assert answered_empty(await code_actions(session, uri, 3))
        change(session, uri, 3, GOOD.replace("Dense(2)", "Dense(3)"))
        published = await session.diagnostics()
        assert published.version == 3 and [d.code for d in published.diagnostics] == ["KRS101"]

    run(scenario, tmp_path)


def test_a_burst_of_edits_publishes_once_for_the_newest_version(tmp_path: Path) -> None:
    async def scenario(session: Session, root: Path) -> None:
        uri = (root / "model.py").as_uri()
        open_doc(session, uri, GOOD)
        await session.diagnostics()
        for version in range(2, 7):
            change(session, uri, version, GOOD + f"n = {version}\n")
            await asyncio.sleep(0.02)
        published = await session.diagnostics()
        assert published.version == 6
        assert await nothing_published(session, 1.0)  # the four stale versions never show

    run(scenario, tmp_path)


def test_code_action_on_a_big_file_reuses_the_analysis(tmp_path: Path) -> None:
    text = script(0, 5000)

    async def scenario(session: Session, root: Path) -> None:
        uri = (root / "big.py").as_uri()
        open_doc(session, uri, text)
        published = await session.diagnostics()
        krs101 = next(d for d in published.diagnostics if d.code == "KRS101")
        start = time.perf_counter()
        actions = await session.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=krs101.range,
                context=types.CodeActionContext(diagnostics=[krs101]),
            )
        )
        with_finding = time.perf_counter() - start
        assert actions and len(actions) == 1
        start = time.perf_counter()
        assert answered_empty(await code_actions(session, uri, 0))  # the docstring line
        without = time.perf_counter() - start
        # issue 11 measured 5.5-9.7 s for each; the target is 200 ms (2 busy cores: margin)
        assert with_finding < 1.0 and without < 0.5, (with_finding, without)

    run(scenario, tmp_path)


def test_shutdown_is_not_blocked_by_a_running_analysis(tmp_path: Path) -> None:
    text = script(1, 50000)  # an analysis of several seconds

    async def main() -> None:
        session = Session()
        await session.start(tmp_path)
        open_doc(session, (tmp_path / "huge.py").as_uri(), text)
        await asyncio.sleep(0.3)  # the analysis is running now
        start = time.perf_counter()
        await session.client.shutdown_async(None)
        session.client.exit(None)
        await session.client.stop()
        assert time.perf_counter() - start < 2.0

    asyncio.run(asyncio.wait_for(main(), timeout=120))
