"""``flake8-keras lsp``: a language server (pygls) for the KRS diagnostics and the KRS101 fix.

It publishes every KRS diagnostic on open, change and save with the exact range of the reported
call (flake8 through an editor only knows the start), and offers the fixer's rewrite of each
KRS101 as a quick fix, plus a ``source.fixAll`` action for the whole file.
"""

from __future__ import annotations

import argparse
import logging

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from flake8_keras import __version__
from flake8_keras.analysis import analyze_source
from flake8_keras.fix.unwrap import CODE as FIX_CODE
from flake8_keras.fix.unwrap import WEIGHT_WARNING, fix_source, source_lines, span_of
from flake8_keras.lsp.edits import text_edits, to_range
from flake8_keras.noqa import is_suppressed

SOURCE = "flake8-keras"

server = LanguageServer("flake8-keras", __version__)


def diagnostics_for(doc: TextDocument) -> list[types.Diagnostic]:
    """The KRS diagnostics of a document that flake8 would show (``# noqa`` honoured)."""
    text = doc.source
    lines = source_lines(text)
    found = []
    for d in analyze_source(text):
        if d.line <= len(lines) and is_suppressed(lines[d.line - 1], d.code):
            continue
        found.append(
            types.Diagnostic(
                range=to_range(doc, lines, span_of(d.node, lines)),
                message=d.message.removeprefix(d.code).strip(),
                severity=types.DiagnosticSeverity.Warning,
                code=d.code,
                source=SOURCE,
                data={"unsafe": list(d.unsafe_fix)} if d.unsafe_fix else None,
            )
        )
    return found


def publish(ls: LanguageServer, uri: str) -> None:
    doc = ls.workspace.get_text_document(uri)
    try:
        diagnostics = diagnostics_for(doc)
    except Exception:  # an engine bug: log it, keep serving the other documents
        logging.getLogger(__name__).exception("analysis of %s failed", uri)
        diagnostics = []
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, version=doc.version, diagnostics=diagnostics)
    )


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: LanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: LanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
    )


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return p.line, p.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
    ),
)
def code_action(ls: LanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    doc = ls.workspace.get_text_document(uri)
    text = doc.source
    wanted = params.context.only
    actions: list[types.CodeAction] = []
    if not wanted or types.CodeActionKind.QuickFix in wanted:
        for diagnostic in diagnostics_for(doc):
            if diagnostic.code != FIX_CODE or not _overlaps(diagnostic.range, params.range):
                continue
            action = _quick_fix(doc, diagnostic)
            if action is not None:
                actions.append(action)
    if not wanted or any(k.startswith(types.CodeActionKind.SourceFixAll) for k in wanted):
        result = fix_source(text)
        if result.error is None and result.fixed:
            actions.append(
                types.CodeAction(
                    title=(
                        f"Unwrap all {len(result.fixed)} redundant TimeDistributed(Dense) (KRS101)"
                    ),
                    kind=types.CodeActionKind.SourceFixAll,
                    edit=types.WorkspaceEdit(changes={uri: text_edits(doc, text, result.text)}),
                )
            )
    return actions


def _quick_fix(doc: TextDocument, diagnostic: types.Diagnostic) -> types.CodeAction | None:
    """The fixer's rewrite of the one KRS101 ``diagnostic`` reports."""
    text = doc.source
    lines = source_lines(text)
    line = diagnostic.range.start.line
    col = doc.position_codec.position_from_client_units(lines, diagnostic.range.start).character
    unsafe = bool(diagnostic.data)
    result = fix_source(text, unsafe=unsafe, only={(line + 1, col)})
    if result.error is not None or not result.fixed:
        return None
    note = result.fixed[0].note
    title = f"Unwrap: {note.split(';')[0]}"
    if unsafe:
        title += " (changes behaviour: " + note.split("; ", 1)[-1] + ")"
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=not unsafe,
        edit=types.WorkspaceEdit(changes={doc.uri: text_edits(doc, text, result.text)}),
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="flake8-keras lsp",
        description="Language server for the KRS diagnostics (stdio by default). Quick fixes "
        f"unwrap KRS101; note that {WEIGHT_WARNING}.",
    )
    parser.add_argument("--tcp", action="store_true", help="listen on TCP instead of stdio")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2087)
    parser.add_argument("--log-file", help="write the server's log to this file")
    args = parser.parse_args(argv)
    if args.log_file:
        logging.basicConfig(filename=args.log_file, level=logging.DEBUG)
    if args.tcp:
        server.start_tcp(args.host, args.port)
    else:
        server.start_io()
    return 0
