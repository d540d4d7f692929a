"""One analysis per document version, computed off the event loop and shared by every request.

Publishing coalesces edits (the newest version wins; a stale analysis is never published over
a newer one), code actions reuse the analysis of the version they are asked about, and the work
runs in daemon threads so that ``shutdown``/``exit`` never wait for it.
"""

from __future__ import annotations

import ast
import asyncio
import functools
import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from lsprotocol import types
from pygls.workspace import TextDocument

from flake8_keras.analysis import analyze_text, no_cyclic_gc
from flake8_keras.lsp.edits import to_range
from flake8_keras.noqa import is_suppressed
from flake8_keras.records import field, record
from flake8_keras.rules.base import Applicability, Diagnostic
from flake8_keras.source import physical_lines, span_of

SOURCE = "flake8-keras"
PYTHON_SUFFIXES = (".py", ".pyi")
T = TypeVar("T")


@record
class Settings:
    """What the client or the command line configured."""

    # Where a rule's page lives, with ``{code}`` for the code: each diagnostic links to it
    # (``codeDescription``). Unset, diagnostics carry no link.
    rule_docs_url: str | None = None


settings = Settings()


@record(frozen=True)
class Analysis:
    """The KRS findings of one version of a document."""

    doc: TextDocument  # a snapshot: never changed after the analysis started
    parsed: bool  # False while the buffer does not parse (mid-edit): keep the last good findings
    tree: ast.Module | None = None
    found: list[Diagnostic] = field(default_factory=list)  # every engine diagnostic
    shown: list[tuple[Diagnostic, types.Diagnostic]] = field(default_factory=list)  # no noqa

    @property
    def version(self) -> int | None:
        return self.doc.version

    @property
    def diagnostics(self) -> list[types.Diagnostic]:
        return [shown for _, shown in self.shown]


def is_python(doc: TextDocument) -> bool:
    """Only Python buffers are analysed (a plaintext or markdown buffer gets no diagnostics)."""
    if doc.language_id:
        return doc.language_id == "python"
    return doc.uri.endswith(PYTHON_SUFFIXES)


def snapshot(doc: TextDocument) -> TextDocument:
    return TextDocument(
        doc.uri,
        source=doc.source,
        version=doc.version,
        language_id=doc.language_id,
        position_codec=doc.position_codec,
    )


def analyze(doc: TextDocument) -> Analysis:
    """The analysis of a snapshot (runs in a worker thread; never raises)."""
    # The server keeps every open document's tree: a collection in the middle of an analysis
    # rescans them all (a 5,000-line file's analysis took 1.3x longer one time in three).
    with no_cyclic_gc():
        return _analyze(doc)


def _analyze(doc: TextDocument) -> Analysis:
    text = doc.source
    analysed = analyze_text(text)
    if not analysed.parses:
        return Analysis(doc, parsed=False)
    tree, found = analysed.tree, analysed.diagnostics
    lines = physical_lines(text)
    shown = []
    for d in found:
        if d.line <= len(lines) and is_suppressed(lines[d.line - 1], d.code):
            continue
        diagnostic = types.Diagnostic(
            range=to_range(doc, lines, span_of(d.node, lines)),
            message=d.message.removeprefix(d.code).strip(),
            severity=types.DiagnosticSeverity.Warning,
            code=d.code,
            source=SOURCE,
            code_description=_docs_link(d.code),
            related_information=[
                types.DiagnosticRelatedInformation(
                    location=types.Location(doc.uri, to_range(doc, lines, span_of(node, lines))),
                    message=label,
                )
                for label, node in d.related
                if getattr(node, "lineno", 0) <= len(lines)
            ]
            or None,
            data=(
                {"unsafe": d.fix.reason}
                if d.fix is not None and d.fix.applicability is Applicability.UNSAFE
                else None
            ),
        )
        shown.append((d, diagnostic))
    return Analysis(doc, parsed=True, tree=tree, found=found, shown=shown)


def _docs_link(code: str) -> types.CodeDescription | None:
    template = settings.rule_docs_url
    return types.CodeDescription(href=template.format(code=code)) if template else None


def off_loop(work: Callable[[], T]) -> asyncio.Future[T]:
    """Run ``work`` in a daemon thread: the event loop keeps answering, exit never waits."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def run() -> None:
        try:
            deliver = functools.partial(_settle, future, work(), None)
        except BaseException as exc:  # handed to the awaiting coroutine
            deliver = functools.partial(_settle, future, None, exc)
        try:
            loop.call_soon_threadsafe(deliver)
        except RuntimeError:  # the loop closed while we worked: nobody is waiting
            pass

    threading.Thread(target=run, name="flake8-keras-analysis", daemon=True).start()
    return future


def _settle(future: asyncio.Future[T], result: T | None, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)  # type: ignore[arg-type]


class Documents:
    """Per URI: the latest analysis, the analysis in progress, the pending publication."""

    def __init__(self, publish: Callable[[Analysis], None], debounce: float = 0.05) -> None:
        self.publish = publish
        self.debounce = debounce
        self.latest: dict[str, Analysis] = {}
        self.running: dict[tuple[str, int | None], asyncio.Future[Analysis]] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.waiting: dict[str, asyncio.Task[None]] = {}  # publishers waiting out the debounce

    async def analysis(self, doc: TextDocument) -> Analysis:
        """The analysis of ``doc``'s current version: cached, in progress, or started now."""
        cached = self.latest.get(doc.uri)
        if cached is not None and cached.version == doc.version and cached.doc.source == doc.source:
            return cached
        key = (doc.uri, doc.version)
        future = self.running.get(key)
        if future is None:
            copy = snapshot(doc)
            future = off_loop(lambda: analyze(copy))
            self.running[key] = future
            future.add_done_callback(lambda _: self.running.pop(key, None))
        result = await asyncio.shield(future)  # a cancelled publisher leaves it to others
        current = self.latest.get(doc.uri)
        if current is None or _newer_or_same(result.version, current.version):
            self.latest[doc.uri] = result
        return result

    def schedule(self, doc: TextDocument, delay: float | None = None) -> None:
        """Publish the diagnostics of ``doc``'s newest version.

        An edit is analysed once the edits pause for the debounce; edits that arrive while
        its analysis runs are coalesced: the analysis is dropped and the newest version is
        analysed next, so a burst of keystrokes publishes once, and never a stale version.
        """
        running = self.pending.get(doc.uri)
        if running is not None and not running.done():
            if self.waiting.get(doc.uri) is not running:
                return  # its analysis runs: when it ends, it takes up the newest version
            running.cancel()  # still waiting for the edits to pause: wait again
        wait = self.debounce if delay is None else delay
        task = asyncio.get_running_loop().create_task(self._publish_newest(doc, wait))
        self.pending[doc.uri] = task

    async def _publish_newest(self, doc: TextDocument, delay: float) -> None:
        if delay:
            me = asyncio.current_task()
            assert me is not None
            self.waiting[doc.uri] = me
            try:
                await asyncio.sleep(delay)
            finally:
                if self.waiting.get(doc.uri) is me:
                    del self.waiting[doc.uri]
        while True:
            version = doc.version
            try:
                result = await self.analysis(doc)
            except Exception:  # an engine bug: log it, keep serving the other documents
                logging.getLogger(__name__).exception("analysis of %s failed", doc.uri)
                return
            if doc.version == version:
                break
            # edited meanwhile: this result is stale, analyse the newest version
        if self.pending.get(doc.uri) is asyncio.current_task():
            self.pending.pop(doc.uri)
        if result.parsed:  # while the buffer does not parse, the last good findings stay
            self.publish(result)

    def close(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self.latest.pop(uri, None)


def _newer_or_same(a: int | None, b: int | None) -> bool:
    return a is None or b is None or a >= b
