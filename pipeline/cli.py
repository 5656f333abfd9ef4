"""The ``gazette`` command line: parses arguments, calls the library, converts errors at the edge.

Exit status: 0 — done (problems and findings are reported in the output); 1 — ``--strict`` and the
gazette has error findings (or a batch had failed files); 2 — the input cannot be processed
(``error[E0xx]: <file>: <reason>`` on stderr, no traceback); 3 — ``ingest`` went through the batch but some
files failed or were quarantined (``verify``: drift found and not repaired).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import typer

from pipeline.errors import Code, GazetteError
from pipeline.i18n import LANGS, pick, set_lang
from pipeline.options import BACKENDS, DEFAULT_BACKEND, DEFAULT_OCR, OCR_MODES, RunOptions
from pipeline.publish.messages import msg
from schemas.model import AnnualReport, Finding, Issue, RunResult, RunStatus, Severity


def _lang_from_argv(argv: list[str]) -> str | None:
    """The ``--lang`` given on the command line (``--lang en`` or ``--lang=en``), read before the help texts
    are built so that ``gazette --lang en --help`` is English."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


_ARGV_LANG = _lang_from_argv(sys.argv[1:])
if _ARGV_LANG in LANGS:
    set_lang(_ARGV_LANG)


def _localise_framework() -> None:
    """Put the catalogue's words into typer's own help texts (panel titles, [default: …], errors): typer reads
    these module constants at display time. (The ``Usage:`` line and the ``--help`` text of typer's vendored
    click are fixed English strings with no hook.)"""
    import typer.rich_utils as ru

    ru.DEFAULT_STRING = msg("framework.default")
    ru.REQUIRED_LONG_STRING = msg("framework.required")
    ru.ARGUMENTS_PANEL_TITLE = msg("framework.arguments")
    ru.OPTIONS_PANEL_TITLE = msg("framework.options")
    ru.COMMANDS_PANEL_TITLE = msg("framework.commands")
    ru.ERRORS_PANEL_TITLE = msg("framework.error")
    ru.ABORTED_TEXT = msg("framework.aborted")
    ru.RICH_HELP = msg("framework.try_help")


_localise_framework()
app = typer.Typer(add_completion=False, no_args_is_help=True, help=msg("cli.app_help"))

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_SOME_FAILED = 0, 1, 2, 3


@app.callback()
def _main(
    lang: str | None = typer.Option(None, "--lang", help=msg("cli.lang_help")),
) -> None:
    if lang is None:
        return
    if lang not in LANGS:
        raise typer.BadParameter(f"zh / en: {lang}")
    set_lang(lang)


def _fail(code: str, path: str, reason: str) -> typer.Exit:
    typer.echo(msg("cli.error_line", code=code, path=path, reason=reason), err=True)
    return typer.Exit(EXIT_INPUT)


def _parse(file: Path, options: RunOptions) -> RunResult:
    from pipeline.run import parse_file

    result = parse_file(file, options)
    if result.status is RunStatus.FAILURE:
        err = result.errors[0] if result.errors else None
        raise _fail(err.code if err else Code.E099.value, str(file), err.message if err else msg("cli.failed"))
    return result


def _options(
    max_pages: int | None,
    time_budget: float | None,
    validate: bool = True,
    backend: str = DEFAULT_BACKEND,
    ocr: str = DEFAULT_OCR,
) -> RunOptions:
    if backend not in BACKENDS:
        raise typer.BadParameter(
            pick("--backend 只能是 pdfium 或 pdfplumber", "--backend must be pdfium or pdfplumber")
        )
    if ocr not in OCR_MODES:
        raise typer.BadParameter(pick("--ocr 只能是 auto 或 off", "--ocr must be auto or off"))
    return RunOptions(max_pages=max_pages, time_budget=time_budget, validate=validate, backend=backend, ocr=ocr)


_BACKEND_HELP = msg("cli.backend_help")
_OCR_HELP = msg("cli.ocr_help")


@app.command(help=msg("cli.parse_help"))
def parse(
    file: Path = typer.Argument(..., help=msg("cli.file_help")),
    fmt: str = typer.Option("json", "--format", "-f", help=msg("cli.format_help")),
    strict: bool = typer.Option(False, "--strict", help=msg("cli.strict_help")),
    max_pages: int = typer.Option(5000, help=msg("cli.max_pages_help")),
    time_budget: float = typer.Option(600.0, help=msg("cli.time_budget_help")),
    backend: str = typer.Option(DEFAULT_BACKEND, "--backend", help=_BACKEND_HELP),
    ocr: str = typer.Option(DEFAULT_OCR, "--ocr", help=_OCR_HELP),
) -> None:
    result = _parse(file, _options(max_pages, time_budget, backend=backend, ocr=ocr))
    assert result.issue is not None
    if fmt == "json":
        sys.stdout.write(result.issue.model_dump_json(indent=2) + "\n")
    elif fmt == "summary":
        typer.echo(summarise(result))
    else:
        raise typer.BadParameter(msg("cli.bad_format"))
    if strict and any(f.severity is Severity.ERROR for f in result.issue.findings):
        raise typer.Exit(EXIT_FINDINGS)


def _severity_word(sev: Severity) -> str:
    return msg(f"cli.severity_{sev.value}")


def summarise(result: RunResult) -> str:
    """A short human summary of one run, in the language in force."""
    issue = result.issue
    if issue is None:
        return f"{result.path}: {result.status.value}"
    by_severity = ", ".join(
        f"{sum(f.severity is sev for f in issue.findings)} {_severity_word(sev)}"
        for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    )
    lines = [
        msg(
            "cli.summary_head",
            path=result.path,
            gazette=issue.gazette or msg("cli.no_cover"),
            year=issue.year or "",
            number=issue.number or "?",
            documents=len(issue.documents),
            toc=len(issue.toc),
            findings=len(issue.findings),
            by_severity=by_severity,
            problems=len(issue.errors),
            seconds=f"{result.seconds or 0:.1f}",
        )
    ]
    for d in issue.documents:
        lines.append(
            msg(
                "cli.summary_doc",
                id=d.id,
                number=d.doc_number.raw if d.doc_number else "-",
                title=d.title,
                date=d.date or "-",
                tables=sum(len(a.tables) for a in d.attachments),
                indicators=sum(len(a.indicators) for a in d.attachments),
                tasks=len(d.tasks) + sum(len(a.tasks) for a in d.attachments),
            )
        )
    return "\n".join(lines)


def format_findings(findings: list[Finding]) -> str:
    """Findings grouped by severity (a heading in words, e.g. ``错误 (1)``), one line each with code, page and message."""
    out: list[str] = []
    for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        group = [f for f in findings if f.severity is sev]
        if not group:
            continue
        out.append(f"{_severity_word(sev)} ({len(group)})")
        for f in group:
            page = (
                msg("cli.page", page=f.location.page)
                if f.location.page is not None
                else (msg("cli.line_no", line=f.location.line) if f.location.line is not None else "-")
            )
            message = f.message if f.message.startswith(f"[{f.code}]") else f"[{f.code}] {f.message}"
            out.append(f"  {page}: {message}")
    return "\n".join(out) if out else msg("cli.no_findings")


@app.command(help=msg("cli.validate_help"))
def validate(
    file: Path = typer.Argument(..., help=msg("cli.file_help")),
    strict: bool = typer.Option(False, "--strict", help=msg("cli.validate_strict_help")),
) -> None:
    result = _parse(file, RunOptions())
    assert result.issue is not None
    typer.echo(format_findings(result.issue.findings))
    if strict and any(f.severity is Severity.ERROR for f in result.issue.findings):
        raise typer.Exit(EXIT_FINDINGS)


@app.command(help=msg("cli.ingest_help"))
def ingest(
    in_dir: Path = typer.Argument(..., help=msg("cli.in_dir_help")),
    out: Path = typer.Option(Path("output"), "--out", "-o", help=msg("cli.out_help")),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help=msg("cli.jobs_help")),
    scheduler: str | None = typer.Option(None, help=msg("cli.scheduler_help")),
    max_pages: int = typer.Option(5000, help=msg("cli.max_pages_help")),
    time_budget: float = typer.Option(600.0, help=msg("cli.time_budget_help")),
    strict: bool = typer.Option(False, "--strict", help=msg("cli.ingest_strict_help")),
    progress: bool = typer.Option(True, "--progress/--no-progress", help=msg("cli.progress_help")),
    embed: bool = typer.Option(False, "--embed", help=msg("cli.embed_help")),
    accept_any: bool = typer.Option(False, "--accept-any", help=msg("cli.accept_any_help")),
    keep_removed: bool = typer.Option(False, "--keep-removed", help=msg("cli.keep_removed_help")),
    wait: float = typer.Option(0.0, "--wait", min=0.0, help=msg("cli.wait_help")),
    backend: str = typer.Option(DEFAULT_BACKEND, "--backend", help=_BACKEND_HELP),
    ocr: str = typer.Option(DEFAULT_OCR, "--ocr", help=_OCR_HELP),
) -> None:
    """Ingest every file of a folder: issue.json per file, exports, catalog and site; unchanged files skipped.

    Exit status 3 when some files failed or were quarantined (the batch still went through every file).
    """
    from pipeline.archive.ingest import ingest_dir

    if not in_dir.is_dir():
        raise _fail(Code.E001.value, str(in_dir), msg("cli.no_input_dir"))
    try:
        report = ingest_dir(
            in_dir,
            out,
            jobs=jobs,
            scheduler=scheduler,
            options=_options(max_pages, time_budget, backend=backend, ocr=ocr),
            progress=progress and sys.stderr.isatty(),
            render=_embed_renderer() if embed else None,
            accept_any=accept_any,
            keep_removed=keep_removed,
            lock_wait=wait,
        )
    except GazetteError as exc:
        raise _fail(exc.code.value, exc.path, exc.reason) from None
    typer.echo(report.summary())
    for f in report.files:
        issue_json = out / f.output / "issue.json" if f.output and f.outcome.value == "ingested" else None
        if issue_json is not None and issue_json.exists():
            issue = Issue.model_validate_json(issue_json.read_text(encoding="utf-8"))
            typer.echo(
                summarise(RunResult(path=f.path, status=f.status or RunStatus.SUCCESS, issue=issue, seconds=f.seconds))
            )
    if (out / "site" / "index.html").exists():
        typer.echo(msg("cli.site_line", path=out / "site" / "index.html"))
    if strict and report.failed:
        raise typer.Exit(EXIT_FINDINGS)
    if report.exit_status:
        raise typer.Exit(report.exit_status)


@app.command(help=msg("cli.verify_help"))
def verify(
    out: Path = typer.Option(Path("output"), "--out", "-o", help="The ingest output folder."),
    repair: bool = typer.Option(False, "--repair", help="Regenerate every missing or changed output."),
    wait: float = typer.Option(0.0, "--wait", min=0.0, help="Seconds to wait for a running ingest (E019)."),
) -> None:
    """Check every output against the checksums in the catalog; with --repair, regenerate what drifted.

    Exit status 0 when nothing drifted (or all of it was repaired), 3 when drift remains.
    """
    from pipeline.archive.verify import verify_out

    try:
        report = verify_out(_catalog(out).parent, repair=repair, lock_wait=wait)
    except GazetteError as exc:
        raise _fail(exc.code.value, exc.path, exc.reason) from None
    typer.echo(report.summary())
    if report.remaining:
        raise typer.Exit(EXIT_SOME_FAILED)


@app.command(help=msg("cli.schema_help"))
def schema(
    out: Path | None = typer.Option(None, "--out", "-o", help=msg("cli.schema_out_help")),
) -> None:
    """Export the JSON Schema files of the output contract (default: ``output/schemas``, never the source tree)."""
    from pipeline.publish.schema import export_schemas

    for p in export_schemas(out if out is not None else Path("output") / "schemas"):
        typer.echo(str(p))


def _embed_renderer() -> Any:
    """``render_site`` in embed mode (fragments for a portal)."""
    import functools

    from pipeline.publish.site import render_site

    return functools.partial(render_site, embed=True)


def _catalog(out: Path) -> Path:
    db = out / "catalog.sqlite"
    if not db.exists():
        raise _fail(Code.E001.value, str(db), msg("cli.no_catalog"))
    return db


@app.command(help=msg("cli.search_help"))
def search(
    query: str = typer.Argument(..., help=msg("cli.query_help")),
    out: Path = typer.Option(Path("output"), "--out", "-o", help=msg("cli.catalog_out_help")),
    limit: int = typer.Option(20, help=msg("cli.limit_help")),
) -> None:
    """Full-text search: one block per hit (kind, document title, page; the snippet with the words in 【】);
    exit 1 with a message when nothing matches."""
    from pipeline.archive.catalog import highlight
    from pipeline.archive.catalog import search as run_search

    hits = run_search(_catalog(out), query, limit)
    if not hits:
        typer.echo(msg("cli.no_hit", query=query), err=True)
        raise typer.Exit(EXIT_FINDINGS)
    for hit in hits:
        page = msg("cli.page", page=hit.page) if hit.page is not None else msg("cli.no_page")
        typer.echo(f"[{msg('cli.hit_' + hit.kind)}] {hit.doc_title or hit.title} · {page}")
        typer.echo(f"    {highlight(hit.snippet, hit.terms)}")


@app.command(help=msg("cli.units_help"))
def units(out: Path = typer.Option(Path("output"), "--out", "-o", help=msg("cli.catalog_out_help"))) -> None:
    """Units with the tasks they lead and co-operate on (a PDF and its text twin count once)."""
    from pipeline.archive.catalog import list_units

    typer.echo(msg("cli.units_header"))
    for u in list_units(_catalog(out)):
        typer.echo(f"{u.name}\t{u.leads}\t{u.co}")


@app.command(help=msg("cli.tasks_help"))
def tasks(
    unit: str | None = typer.Option(None, "--unit", help=msg("cli.unit_help")),
    due_before: str | None = typer.Option(None, "--due-before", help=msg("cli.due_before_help")),
    out: Path = typer.Option(Path("output"), "--out", "-o", help=msg("cli.catalog_out_help")),
) -> None:
    """Tasks of the catalog; ``--unit`` takes a full name or a unique part (an ambiguous or unknown one exits 1)."""
    from pipeline.archive.catalog import list_tasks, resolve_unit

    db = _catalog(out)
    before = None
    if due_before:
        try:
            before = dt.date.fromisoformat(due_before)
        except ValueError:
            raise typer.BadParameter(msg("cli.bad_date")) from None
    if unit is not None:
        names = resolve_unit(db, unit)
        if len(names) != 1:
            key = "cli.unit_ambiguous" if names else "cli.unit_unknown"
            typer.echo(msg(key, query=unit, names="、".join(names)), err=True)
            raise typer.Exit(EXIT_FINDINGS)
        unit = names[0]
    typer.echo(msg("cli.tasks_header"))
    for t in list_tasks(db, unit, before):
        typer.echo(f"{t.due or '-'}\t{t.document_id}\t{t.seq or '-'}\t{t.text[:60]}")


def _annual(ref: str, out: Path) -> AnnualReport:
    """A report from a file (parsed) or from an ingested issue id (read from the catalog in ``out``)."""
    from pipeline.publish.annual import catalog_report

    path = Path(ref)
    if path.exists():
        issue = _parse(path, _options(5000, 600.0)).issue
        report = next((d.annual_report for d in (issue.documents if issue else []) if d.annual_report), None)
    else:
        report = catalog_report(out, ref)
        if report is None and not (out / "catalog.sqlite").exists():
            raise _fail(
                Code.E001.value, ref, pick("不是文件，也没有可查的目录库", "not a file, and no catalog to look in")
            )
    if report is None:
        raise _fail(
            Code.P161.value, ref, pick("不是政府信息公开工作年度报告", "not an annual report in the national template")
        )
    return report


@app.command(help=msg("cli.compare_help"))
def compare(
    a: str = typer.Argument(..., help="An annual report (政府信息公开工作年度报告): a file, or an ingested issue id."),
    b: str = typer.Argument(..., help="The other report (e.g. the next year's)."),
    out: Path = typer.Option(Path("output"), "--out", "-o", help="The ingest output folder (for issue ids)."),
    csv_path: Path | None = typer.Option(None, "--csv", help="Also write the side-by-side table as CSV."),
    xlsx_path: Path | None = typer.Option(None, "--xlsx", help="Also write it as XLSX."),
    html_path: Path | None = typer.Option(None, "--html", help="Also write it as an HTML page."),
) -> None:
    """Two annual reports side by side (template tables, differences) and the cross-year check."""
    from pipeline.publish import annual as pub

    ra, rb = _annual(a, out), _annual(b, out)
    sys.stdout.write(pub.compare_to_text(ra, rb))
    rows = pub.compare_rows(ra, rb)
    if csv_path:
        pub.rows_to_csv(rows, csv_path)
    if xlsx_path:
        pub.rows_to_xlsx(rows, xlsx_path, "对比")
    if html_path:
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(pub.compare_to_html(ra, rb), encoding="utf-8")
    if any(f.severity is Severity.ERROR for f in pub.compare_findings(ra, rb)):
        raise typer.Exit(EXIT_FINDINGS)


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
