"""Running flake8 itself, in-process, for ``flake8-keras check``.

flake8 discovers the files and the configuration (``.flake8``, ``setup.cfg``, ``tox.ini``),
applies ``# noqa``, ``extend-ignore`` and ``per-file-ignores`` and reports files it cannot parse
(E999) or read (E902), so ``check`` is ``flake8 --select KRS,E999,E902`` by construction. Only the
KRS plugin runs: the other checkers' codes are not selected, so running them would change nothing.
"""

from __future__ import annotations

from flake8.exceptions import ExecutionError  # type: ignore[import-untyped]
from flake8.formatting.base import BaseFormatter  # type: ignore[import-untyped]
from flake8.main.application import Application  # type: ignore[import-untyped]
from flake8.options.parse_args import parse_args  # type: ignore[import-untyped]
from flake8.plugins.finder import Checkers, LoadedPlugin  # type: ignore[import-untyped]
from flake8.statistics import Statistics  # type: ignore[import-untyped]
from flake8.violation import Violation  # type: ignore[import-untyped]

from flake8_keras.records import field, record

PACKAGE = "flake8-keras"
SYNTAX_ERROR = "E999"
READ_ERROR = "E902"
SELECT = ("KRS", SYNTAX_ERROR, READ_ERROR)


class CheckError(Exception):
    """flake8 could not run: a broken configuration, or the KRS plugin is not installed."""


@record(frozen=True)
class Finding:
    code: str
    path: str
    line: int  # 1-based; 0 for a file flake8 could not read
    column: int  # 1-based, in characters, as flake8 prints it
    message: str  # without the code


@record
class Run:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0


class _Collector(BaseFormatter):
    """A flake8 formatter that keeps what flake8 reports instead of printing it."""

    def after_init(self) -> None:
        self.findings: list[Finding] = []

    def start(self) -> None:  # never open the configuration's output-file
        pass

    def stop(self) -> None:
        pass

    def handle(self, error: Violation) -> None:
        self.findings.append(
            Finding(error.code, error.filename, error.line_number, error.column_number, error.text)
        )

    def format(self, error: Violation) -> str | None:
        return None

    def show_statistics(self, statistics: Statistics) -> None:
        pass

    def show_benchmarks(self, benchmarks: list[tuple[str, float]]) -> None:
        pass


def _only_ours(plugins: list[LoadedPlugin]) -> list[LoadedPlugin]:
    return [p for p in plugins if p.plugin.package == PACKAGE]


def flake8_argv(
    paths: list[str],
    *,
    stdin_display_name: str,
    config: str | None,
    isolated: bool,
    long_messages: bool = False,
) -> list[str]:
    argv = [f"--select={','.join(SELECT)}", f"--stdin-display-name={stdin_display_name}"]
    if long_messages:
        argv.append("--keras-long-messages")
    if config is not None:
        argv.append(f"--config={config}")
    if isolated:
        argv.append("--isolated")
    return [*argv, "--", *paths]


def _application(argv: list[str]) -> tuple[Application, _Collector]:
    """flake8's application for ``argv`` with only the KRS plugin and our collector."""
    app = Application()
    plugins, options = parse_args(argv)
    checkers = Checkers(*(_only_ours(kind) for kind in plugins.checkers))
    if not checkers.tree:
        raise CheckError(f"flake8 does not load the {PACKAGE} plugin (is it installed here?)")
    app.plugins, app.options = plugins._replace(checkers=checkers), options
    collector = _Collector(options)
    app.formatter = collector
    app.make_guide()  # parses per-file-ignores: configuration errors surface here too
    app.make_file_checker_manager(argv)
    return app, collector


def run_flake8(argv: list[str]) -> Run:
    """flake8's findings for ``argv`` (flake8 options, then paths), collected, not printed."""
    try:
        app, collector = _application(argv)
    except (ExecutionError, ValueError) as error:
        raise CheckError(f"flake8 configuration: {error}") from error
    app.run_checks()
    app.report_errors()
    return Run(collector.findings, len(app.file_checker_manager.filenames))
