"""``flake8-keras lsp``: a language server (pygls) for the KRS diagnostics and the KRS101 fix.

It publishes every KRS diagnostic of a Python buffer on open, change (debounced) and save with
the exact range of the reported call (flake8 through an editor only knows the start), and offers
the fixer's rewrite of each KRS101 as a quick fix, plus a ``source.fixAll`` action for the whole
file when the client asks for that kind. One analysis per document version serves them all.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from flake8_keras import __version__
from flake8_keras.fix.unwrap import WEIGHT_WARNING, fix_source
from flake8_keras.lsp.documents import Analysis, Documents, is_python, off_loop, settings
from flake8_keras.lsp.edits import text_edits
from flake8_keras.rules.base import Applicability, Diagnostic
from flake8_keras.source import physical_lines, span_of

server = LanguageServer("flake8-keras", __version__)


def _publish(analysis: Analysis) -> None:
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(
            uri=analysis.doc.uri, version=analysis.version, diagnostics=analysis.diagnostics
        )
    )


documents = Documents(_publish)


def _open_python_document(ls: LanguageServer, uri: str) -> TextDocument | None:
    """The editor's buffer for ``uri``; None for a document never opened or not Python."""
    doc = ls.workspace.text_documents.get(unquote(uri))  # pygls keys them by unquoted URI
    return doc if doc is not None and is_python(doc) else None


@server.feature(types.INITIALIZE)
def initialize(ls: LanguageServer, params: types.InitializeParams) -> None:
    """``initializationOptions: {"ruleDocsUrl": "https://.../{code}.md"}`` links each diagnostic
    to its rule's page (overrides ``--rule-docs-url``)."""
    options = params.initialization_options
    url = options.get("ruleDocsUrl") if isinstance(options, dict) else None
    if isinstance(url, str) and "{code}" in url:
        settings.rule_docs_url = url


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    doc = _open_python_document(ls, params.text_document.uri)
    if doc is not None:
        documents.schedule(doc, delay=0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    doc = _open_python_document(ls, params.text_document.uri)
    if doc is not None:
        documents.schedule(doc)  # debounced: a burst of keystrokes is analysed once


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: LanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    doc = _open_python_document(ls, params.text_document.uri)
    if doc is not None:
        documents.schedule(doc, delay=0)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: LanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    documents.close(params.text_document.uri)
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
    )


# Whether the client asked to shut down before ``exit`` (the exit code says so: LSP spec).
_shut_down: list[bool] = [False]


@server.feature(types.SHUTDOWN)
def on_shutdown(ls: LanguageServer, params: None) -> None:
    _shut_down[0] = True


@server.feature(types.EXIT)
def on_exit(ls: LanguageServer, params: None) -> None:
    """Leave at once. pygls's own exit waits for its stdin reader and then finalises the
    interpreter, competing for the GIL with an analysis thread still running on a big file
    (seconds); nothing is left to save."""
    logging.shutdown()
    sys.stdout.flush()
    os._exit(0 if _shut_down[0] else 1)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return p.line, p.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _asks_for(wanted: Sequence[str] | None, kind: str, *, by_default: bool) -> bool:
    """Whether a client's ``only`` filter selects ``kind`` (a kind selects its sub-kinds)."""
    if not wanted:
        return by_default
    return any(kind == k or kind.startswith(k + ".") for k in wanted)


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
    ),
)
async def code_action(
    ls: LanguageServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    doc = _open_python_document(ls, params.text_document.uri)
    if doc is None:
        return None
    wanted = params.context.only
    quick = _asks_for(wanted, types.CodeActionKind.QuickFix, by_default=True)
    # the whole-file rewrite costs the most: built only when the client asks for that kind
    fix_all = _asks_for(wanted, types.CodeActionKind.SourceFixAll, by_default=False)
    if not quick and not fix_all:
        return None
    analysis = await documents.analysis(doc)
    if not analysis.parsed or analysis.version != doc.version:
        return []
    requested = [
        (found, shown)
        for found, shown in analysis.shown
        if quick and found.fix is not None and _overlaps(shown.range, params.range)
    ]
    if not requested and not fix_all:
        return []  # a line without a KRS101: nothing to build
    return await off_loop(lambda: _actions(analysis, requested, fix_all))


def _actions(
    analysis: Analysis, requested: list[tuple[Diagnostic, types.Diagnostic]], fix_all: bool
) -> list[types.CodeAction]:
    """The quick fixes of the ``requested`` KRS101 (and the fix-all) from the cached analysis."""
    actions = [a for a in (_quick_fix(analysis, f, s) for f, s in requested) if a is not None]
    if fix_all:
        doc, text = analysis.doc, analysis.doc.source
        result = fix_source(text, tree=analysis.tree, diagnostics=analysis.found)
        if result.error is None and result.fixed:
            actions.append(
                types.CodeAction(
                    title=(
                        f"Unwrap all {len(result.fixed)} redundant TimeDistributed(Dense) (KRS101)"
                    ),
                    kind=types.CodeActionKind.SourceFixAll,
                    edit=types.WorkspaceEdit(changes={doc.uri: text_edits(doc, text, result.text)}),
                )
            )
    return actions


def _quick_fix(
    analysis: Analysis, found: Diagnostic, diagnostic: types.Diagnostic
) -> types.CodeAction | None:
    """The rewrite the diagnostic's ``Fix`` offers, applied by the fixer to this one call."""
    fix = found.fix
    if fix is None:
        return None
    doc, text = analysis.doc, analysis.doc.source
    line, col = span_of(found.node, physical_lines(text))[:2]
    unsafe = fix.applicability is Applicability.UNSAFE
    result = fix_source(
        text, unsafe=unsafe, only={(line, col)}, tree=analysis.tree, diagnostics=analysis.found
    )
    if result.error is not None or not result.fixed:
        return None
    title = fix.title + (f" (changes behaviour: {fix.reason})" if unsafe else "")
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
    parser.add_argument(
        "--rule-docs-url",
        metavar="TEMPLATE",
        help="link each diagnostic to its rule's page: a URL with {code}, such as "
        "https://example.org/flake8-keras/docs/rules/{code}.md",
    )
    args = parser.parse_args(argv)
    if args.rule_docs_url:
        if "{code}" not in args.rule_docs_url:
            parser.error("--rule-docs-url needs {code} where the rule's code goes")
        settings.rule_docs_url = args.rule_docs_url
    if args.log_file:
        logging.basicConfig(filename=args.log_file, level=logging.DEBUG)
    if args.tcp:
        server.start_tcp(args.host, args.port)
    else:
        server.start_io()
    return 0
