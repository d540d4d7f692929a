"""``flake8-keras lsp`` in a real LSP session over stdio, driven by pygls's LanguageClient."""

from __future__ import annotations

import ast
import asyncio
import sys
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from conftest import ROOT
from flake8_keras.fix import fix_source

CASES = ROOT / "tests" / "fix_cases"
SOURCE = (CASES / "comments.in.py").read_text(encoding="utf-8")
# an astral character before the call: 2 UTF-16 units, 1 character, 4 UTF-8 bytes
EMOJI = SOURCE.replace('s = "é"; j', 's = "😋"; j')


def call_ranges(text: str) -> list[tuple[int, int, int, int]]:
    """0-based (line, UTF-16 col, end line, end UTF-16 col) of each TimeDistributed(...) call."""
    lines = text.splitlines(keepends=True)

    def utf16(line: int, byte_col: int) -> int:
        chars = lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8")
        return len(chars.encode("utf-16-le")) // 2

    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("TimeDistributed"):
            assert node.end_lineno is not None and node.end_col_offset is not None
            found.append(
                (
                    node.lineno - 1,
                    utf16(node.lineno, node.col_offset),
                    node.end_lineno - 1,
                    utf16(node.end_lineno, node.end_col_offset),
                )
            )
    return sorted(found)


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP edits (positions in UTF-16 units) to ``text``."""
    lines = text.splitlines(keepends=True)

    def offset(pos: types.Position) -> int:
        before = sum(len(line) for line in lines[: pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        units = line.encode("utf-16-le")[: pos.character * 2].decode("utf-16-le")
        return before + len(units)

    for edit in sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


class Session:
    def __init__(self) -> None:
        self.client = LanguageClient("flake8-keras-test", "1")
        self.published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.published.put_nowait(params)

    async def start(
        self, root: Path, options: dict[str, str] | None = None, *args: str
    ) -> types.InitializeResult:
        await self.client.start_io(sys.executable, "-m", "flake8_keras.cli", "lsp", *args)
        result = await self.client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),
                root_uri=root.as_uri(),
                initialization_options=options,
            )
        )
        self.client.initialized(types.InitializedParams())
        return result

    async def diagnostics(self) -> types.PublishDiagnosticsParams:
        return await asyncio.wait_for(self.published.get(), timeout=60)

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


async def scenario(root: Path) -> None:
    session = Session()
    result = await session.start(root)
    try:
        assert result.capabilities.code_action_provider is not None
        uri = (root / "model.py").as_uri()
        ident = types.TextDocumentIdentifier(uri=uri)

        # open: every KRS101 not silenced by # noqa, with the exact range of the call
        session.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri=uri, language_id="python", version=1, text=EMOJI)
            )
        )
        published = await session.diagnostics()
        assert published.uri == uri
        got = sorted(
            (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character)
            for d in published.diagnostics
        )
        noqa_lines = {
            i
            for i, line in enumerate(EMOJI.splitlines())
            if "# noqa: E" not in line and "# noqa" in line
        }
        assert got == [r for r in call_ranges(EMOJI) if r[0] not in noqa_lines]
        assert len(got) == 7
        assert {d.code for d in published.diagnostics} == {"KRS101"}
        assert {d.source for d in published.diagnostics} == {"flake8-keras"}
        emoji_line = next(d for d in published.diagnostics if d.range.start.line == 25)
        assert emoji_line.range.start.character == EMOJI.splitlines()[25].index("layers") + 1

        # a quick fix for one diagnostic: the fixer's rewrite of that call only
        target = published.diagnostics[0]
        actions = await session.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=ident,
                range=target.range,
                context=types.CodeActionContext(diagnostics=[target]),
            )
        )
        assert actions is not None
        quick = [
            a
            for a in actions
            if isinstance(a, types.CodeAction) and a.kind == types.CodeActionKind.QuickFix
        ]
        assert len(quick) == 1 and quick[0].is_preferred
        assert quick[0].title == (
            "Remove the redundant TimeDistributed around Dense(4, activation='relu')"
        )
        assert quick[0].edit is not None and quick[0].edit.changes is not None
        fixed_one = apply(EMOJI, quick[0].edit.changes[uri])
        assert fixed_one == fix_source(EMOJI, only={(8, 4)}).text
        assert "a = layers.Dense(4, activation='relu')(x)  # single quotes" in fixed_one

        # fix all (built only when the client asks for that kind): the same text as
        # ``flake8-keras fix``
        assert not [
            a
            for a in actions
            if isinstance(a, types.CodeAction) and a.kind == types.CodeActionKind.SourceFixAll
        ]
        actions = await session.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=ident,
                range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
                context=types.CodeActionContext(
                    diagnostics=[], only=[types.CodeActionKind.SourceFixAll]
                ),
            )
        )
        assert actions is not None
        everything = [
            a
            for a in actions
            if isinstance(a, types.CodeAction) and a.kind == types.CodeActionKind.SourceFixAll
        ]
        assert len(everything) == len(actions)
        assert len(everything) == 1 and everything[0].edit is not None
        assert everything[0].edit.changes is not None
        fixed_all = apply(EMOJI, everything[0].edit.changes[uri])
        assert fixed_all == fix_source(EMOJI).text

        # change: the client applies the quick fix; one diagnostic fewer is published
        session.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed_one)],
            )
        )
        published = await session.diagnostics()
        assert published.version == 2 and len(published.diagnostics) == 6

        # save after the fix-all edit: no KRS101 left
        session.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed_all)],
            )
        )
        assert len((await session.diagnostics()).diagnostics) == 0
        session.client.text_document_did_save(types.DidSaveTextDocumentParams(ident))
        assert len((await session.diagnostics()).diagnostics) == 0

        # a KRS102 is published as well (every KRS code), without a quick fix
        bad = (
            "import keras\nfrom keras import layers\nx = layers.LSTM(4)(keras.Input((5, 3)))\n"
            "y = layers.TimeDistributed(layers.Dense(2))(x)\n"
        )
        other = (root / "other.py").as_uri()
        session.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri=other, language_id="python", version=1, text=bad)
            )
        )
        published = await session.diagnostics()
        assert [d.code for d in published.diagnostics] == ["KRS102"]
        assert published.diagnostics[0].range == types.Range(
            start=types.Position(line=3, character=4), end=types.Position(line=3, character=43)
        )
        actions = await session.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=other),
                range=published.diagnostics[0].range,
                context=types.CodeActionContext(diagnostics=list(published.diagnostics)),
            )
        )
        assert not actions
        session.client.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=other))
        )
        assert len((await session.diagnostics()).diagnostics) == 0
    finally:
        await session.stop()


def test_language_server_session(tmp_path: Path) -> None:
    asyncio.run(asyncio.wait_for(scenario(tmp_path), timeout=120))


def test_unsafe_fix_is_offered_but_not_preferred(tmp_path: Path) -> None:
    async def run() -> None:
        session = Session()
        await session.start(tmp_path)
        try:
            text = (
                "import keras\nfrom keras import layers\n"
                "x = layers.GRU(4, return_sequences=True)(keras.Input((5, 3)))\n"
                "y = layers.TimeDistributed(layers.Dense(2, dtype='float32'))(x)\n"
            )
            uri = (tmp_path / "m.py").as_uri()
            session.client.text_document_did_open(
                types.DidOpenTextDocumentParams(
                    types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
                )
            )
            published = await session.diagnostics()
            [diagnostic] = published.diagnostics
            actions = await session.client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=diagnostic.range,
                    context=types.CodeActionContext(diagnostics=[diagnostic]),
                )
            )
            assert actions is not None
            [action] = actions  # no fix-all: the only fix changes behaviour
            assert isinstance(action, types.CodeAction) and not action.is_preferred
            assert "changes behaviour" in action.title and "dtype" in action.title
        finally:
            await session.stop()

    asyncio.run(asyncio.wait_for(run(), timeout=120))


STACKED = """\
from keras import Sequential
from keras.layers import LSTM

model = Sequential()
model.add(LSTM(64, input_shape=(30, 8)))
model.add(LSTM(32))
"""


async def _stacked_diagnostic(
    root: Path, options: dict[str, str] | None = None, *args: str
) -> types.Diagnostic:
    session = Session()
    await session.start(root, options, *args)
    try:
        uri = (root / "stacked.py").as_uri()
        session.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri=uri, language_id="python", version=1, text=STACKED)
            )
        )
        [diagnostic] = (await session.diagnostics()).diagnostics
        return diagnostic
    finally:
        await session.stop()


def test_diagnostic_points_at_the_related_layer_and_links_its_rule(tmp_path: Path) -> None:
    template = "https://docs.example/flake8-keras/rules/{code}.html"
    diagnostic = asyncio.run(
        asyncio.wait_for(_stacked_diagnostic(tmp_path, {"ruleDocsUrl": template}), timeout=120)
    )
    # the headline names no line; the LSTM that lost the time axis is related information
    assert diagnostic.message == (
        "LSTM(32) gets (None, 64), which has no time axis "
        "(fix: return_sequences=True on LSTM(64, ...))"
    )
    [related] = diagnostic.related_information or []
    assert related.location.uri == (tmp_path / "stacked.py").as_uri()
    assert (related.location.range.start.line, related.location.range.start.character) == (4, 10)
    assert "LSTM" in related.message and "last step" in related.message
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href == template.format(code="KRS103")


def test_rule_docs_link_from_the_command_line_or_none(tmp_path: Path) -> None:
    template = "https://docs.example/{code}"
    linked = asyncio.run(
        asyncio.wait_for(
            _stacked_diagnostic(tmp_path, None, "--rule-docs-url", template), timeout=120
        )
    )
    assert linked.code_description is not None
    assert linked.code_description.href == "https://docs.example/KRS103"
    plain = asyncio.run(asyncio.wait_for(_stacked_diagnostic(tmp_path), timeout=120))
    assert plain.code_description is None and plain.related_information
