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

import typer

from pipeline.errors import Code, GazetteError
from pipeline.i18n import pick
from pipeline.options import BACKENDS, DEFAULT_BACKEND, DEFAULT_OCR, OCR_MODES, RunOptions
from schemas.model import AnnualReport, Finding, Issue, RunResult, RunStatus, Severity

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn Chinese government gazettes (政府公报) into trustworthy, machine-readable data.",
)

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_SOME_FAILED = 0, 1, 2, 3


def _fail(code: str, path: str, reason: str) -> typer.Exit:
    typer.echo(f"error[{code}]: {path}: {reason}", err=True)
    return typer.Exit(EXIT_INPUT)


def _parse(file: Path, options: RunOptions) -> RunResult:
    from pipeline.run import parse_file

    result = parse_file(file, options)
    if result.status is RunStatus.FAILURE:
        err = result.errors[0] if result.errors else None
        raise _fail(err.code if err else Code.E099.value, str(file), err.message if err else "failed")
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


_BACKEND_HELP = "PDF reader: pdfium (fast) or pdfplumber (the reference)."
_OCR_HELP = "auto: read scanned pages with OCR; off: refuse them (E006)."


@app.command()
def parse(
    file: Path = typer.Argument(..., help="A gazette PDF or text extraction."),
    fmt: str = typer.Option("json", "--format", "-f", help="json (the Issue, per the output contract) or summary."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when the gazette has error findings."),
    max_pages: int = typer.Option(5000, help="Fail (E010) on PDFs with more pages."),
    time_budget: float = typer.Option(600.0, help="Fail (E009) when one file takes longer (seconds)."),
    backend: str = typer.Option(DEFAULT_BACKEND, "--backend", help=_BACKEND_HELP),
    ocr: str = typer.Option(DEFAULT_OCR, "--ocr", help=_OCR_HELP),
) -> None:
    """Parse one file and print the Issue as JSON (or a summary)."""
    result = _parse(file, _options(max_pages, time_budget, backend=backend, ocr=ocr))
    assert result.issue is not None
    if fmt == "json":
        sys.stdout.write(result.issue.model_dump_json(indent=2) + "\n")
    elif fmt == "summary":
        typer.echo(summarise(result))
    else:
        raise typer.BadParameter("--format must be json or summary")
    if strict and any(f.severity is Severity.ERROR for f in result.issue.findings):
        raise typer.Exit(EXIT_FINDINGS)


def summarise(result: RunResult) -> str:
    """A short human summary of one run."""
    issue = result.issue
    if issue is None:
        return f"{result.path}: {result.status.value}"
    by_severity = ", ".join(
        f"{sum(f.severity is sev for f in issue.findings)} {sev.value}"
        for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    )
    lines = [
        f"{result.path}: {issue.gazette or '(no gazette cover)'} {issue.year or ''} 第{issue.number or '?'}期 — "
        f"{len(issue.documents)} documents, {len(issue.toc)} TOC entries, {len(issue.findings)} findings "
        f"({by_severity}), {len(issue.errors)} problems ({result.seconds or 0:.1f} s)"
    ]
    for d in issue.documents:
        n_tasks = len(d.tasks) + sum(len(a.tasks) for a in d.attachments)
        n_ind = sum(len(a.indicators) for a in d.attachments)
        n_tab = sum(len(a.tables) for a in d.attachments)
        lines.append(
            f"  {d.id} {d.doc_number.raw if d.doc_number else '-'} {d.title} "
            f"({d.date or '-'}; {n_tab} tables, {n_ind} indicators, {n_tasks} tasks)"
        )
    return "\n".join(lines)


def format_findings(findings: list[Finding]) -> str:
    """Findings grouped by severity, one line each with code, page and message."""
    out: list[str] = []
    for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        group = [f for f in findings if f.severity is sev]
        if not group:
            continue
        out.append(f"{sev.value} ({len(group)})")
        for f in group:
            page = (
                f"p.{f.location.page}"
                if f.location.page is not None
                else (f"line {f.location.line}" if f.location.line is not None else "-")
            )
            message = f.message if f.message.startswith(f"[{f.code}]") else f"[{f.code}] {f.message}"
            out.append(f"  {page}: {message}")
    return "\n".join(out) if out else "no findings"


@app.command()
def validate(
    file: Path = typer.Argument(..., help="A gazette PDF or text extraction."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when there is any error finding."),
) -> None:
    """Check the gazette against itself and print the findings grouped by severity."""
    result = _parse(file, RunOptions())
    assert result.issue is not None
    typer.echo(format_findings(result.issue.findings))
    if strict and any(f.severity is Severity.ERROR for f in result.issue.findings):
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def ingest(
    in_dir: Path = typer.Argument(..., help="A folder of gazette PDFs and text files."),
    out: Path = typer.Option(Path("output"), "--out", "-o", help="Output folder (issues, catalog, site)."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes."),
    scheduler: str | None = typer.Option(None, help="A Dask scheduler address (or 'local') to run on a cluster."),
    max_pages: int = typer.Option(5000, help="Fail (E010) on PDFs with more pages."),
    time_budget: float = typer.Option(600.0, help="Fail (E009) when one file takes longer (seconds)."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when any file failed."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
    accept_any: bool = typer.Option(
        False, "--accept-any", help="Publish files with no official document too (else quarantined, E018)."
    ),
    keep_removed: bool = typer.Option(
        False, "--keep-removed", help="Keep inputs gone from the folder in the catalog and the site."
    ),
    wait: float = typer.Option(0.0, "--wait", min=0.0, help="Seconds to wait for another ingest into --out (E019)."),
    backend: str = typer.Option(DEFAULT_BACKEND, "--backend", help=_BACKEND_HELP),
    ocr: str = typer.Option(DEFAULT_OCR, "--ocr", help=_OCR_HELP),
) -> None:
    """Ingest every file of a folder: issue.json per file, exports, catalog and site; unchanged files skipped.

    Exit status 3 when some files failed or were quarantined (the batch still went through every file).
    """
    from pipeline.archive.ingest import ingest_dir

    if not in_dir.is_dir():
        raise _fail(Code.E001.value, str(in_dir), "input folder not found")
    try:
        report = ingest_dir(
            in_dir,
            out,
            jobs=jobs,
            scheduler=scheduler,
            options=_options(max_pages, time_budget, backend=backend, ocr=ocr),
            progress=progress and sys.stderr.isatty(),
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
        typer.echo(f"site: {out / 'site' / 'index.html'}")
    if strict and report.failed:
        raise typer.Exit(EXIT_FINDINGS)
    if report.exit_status:
        raise typer.Exit(report.exit_status)


@app.command()
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


@app.command()
def schema(
    out: Path = typer.Option(
        Path(__file__).resolve().parent.parent / "schemas", "--out", "-o", help="Folder for the JSON Schema files."
    ),
) -> None:
    """Export the JSON Schema files of the output contract."""
    from pipeline.publish.schema import export_schemas

    for p in export_schemas(out):
        typer.echo(str(p))


def _catalog(out: Path) -> Path:
    db = out / "catalog.sqlite"
    if not db.exists():
        raise _fail(Code.E001.value, str(db), "no catalog here: run `gazette ingest` first")
    return db


@app.command()
def search(
    query: str = typer.Argument(..., help="Words to find in documents and tasks (Chinese works)."),
    out: Path = typer.Option(Path("output"), "--out", "-o", help="The ingest output folder."),
    limit: int = typer.Option(20, help="Most hits shown."),
) -> None:
    """Full-text search over the ingested documents and tasks."""
    from pipeline.archive.catalog import search as run_search

    for hit in run_search(_catalog(out), query, limit):
        typer.echo(f"{hit.kind}\t{hit.issue_id}\t{hit.ref}\t{hit.snippet}")


@app.command()
def units(out: Path = typer.Option(Path("output"), "--out", "-o", help="The ingest output folder.")) -> None:
    """Units named in the ingested tasks, with how many tasks each leads and co-operates on."""
    from pipeline.archive.catalog import list_units

    for u in list_units(_catalog(out)):
        typer.echo(f"{u.name}\t{u.leads}\t{u.co}")


@app.command()
def tasks(
    unit: str | None = typer.Option(None, "--unit", help="Only tasks this unit leads or co-operates on."),
    due_before: str | None = typer.Option(None, "--due-before", help="Only tasks due before this date (YYYY-MM-DD)."),
    out: Path = typer.Option(Path("output"), "--out", "-o", help="The ingest output folder."),
) -> None:
    """Tasks from the catalog, filtered by unit and deadline."""
    from pipeline.archive.catalog import list_tasks

    before = None
    if due_before:
        try:
            before = dt.date.fromisoformat(due_before)
        except ValueError:
            raise typer.BadParameter("--due-before must be YYYY-MM-DD") from None
    for t in list_tasks(_catalog(out), unit, before):
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


@app.command()
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
