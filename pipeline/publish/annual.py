"""Publish: annual reports (政府信息公开工作年度报告) → CSV / XLSX in the template's own layout, and two years side by
side (text for the terminal, CSV / XLSX / an HTML page).

Reads: :class:`schemas.model.AnnualReport` objects (one, or this year's and last year's).
Writes: rows in the template's layout — one row per template row, Chinese headers (表, 行, then the template's
column labels; for a comparison each column twice, A and B, and the difference) — to CSV (UTF-8 with BOM, so
spreadsheet programs read the Chinese), XLSX (openpyxl) or HTML (escaped, self-contained).
Guaranteed: the template's row and column order whatever the order of the report's cells; a cell the report does
not have is left empty, never 0; files are written whole (a temporary file renamed into place).
"""

from __future__ import annotations

import csv
import html
import io
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.check.annual import cross_year_findings, is_previous, report_to_findings
from pipeline.i18n import pick
from pipeline.structure.annual_report import template
from schemas.model import AnnualReport, Finding, Issue

Cell = str | float | None


@dataclass(slots=True)
class Layout:
    """One template table: its id, caption, row paths and labels, column paths."""

    id: str
    caption: str
    rows: list[tuple[str, str]]
    cols: list[str]


def layouts() -> list[Layout]:
    return [
        Layout(
            t["id"],
            t["caption"],
            [(r["path"], r["label"] or r["path"]) for r in t["rows"]],
            [c["path"] for c in t["columns"]],
        )
        for t in template()["tables"]
    ]


def _values(report: AnnualReport) -> dict[tuple[str, str, str], float | None]:
    return {(c.table, c.row, c.col): c.value for c in report.cells}


def _num(v: float | None) -> Cell:
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v


def report_to_rows(report: AnnualReport) -> list[list[Cell]]:
    """The report in the template's layout: a header row per table, then one row per template row."""
    vals = _values(report)
    out: list[list[Cell]] = []
    for lay in layouts():
        out.append(["表", "行", *lay.cols])
        for path, _ in lay.rows:
            out.append([lay.caption, path, *(_num(vals.get((lay.id, path, c))) for c in lay.cols)])
    return out


def compare_rows(a: AnnualReport, b: AnnualReport) -> list[list[Cell]]:
    """Two reports side by side: per template column the value in A, in B and the difference B − A."""
    va, vb = _values(a), _values(b)
    ya, yb = a.year or "A", b.year or "B"
    out: list[list[Cell]] = []
    for lay in layouts():
        head: list[Cell] = ["表", "行"]
        for c in lay.cols:
            head += [f"{c}（{ya}）", f"{c}（{yb}）", f"{c}（增减）"]
        out.append(head)
        for path, _ in lay.rows:
            row: list[Cell] = [lay.caption, path]
            for c in lay.cols:
                x, y = va.get((lay.id, path, c)), vb.get((lay.id, path, c))
                row += [_num(x), _num(y), _num(y - x) if x is not None and y is not None else None]
            out.append(row)
    return out


def _atomic_write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def rows_to_csv(rows: list[list[Cell]], path: Path) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for r in rows:
        writer.writerow(["" if v is None else v for v in r])
    return _atomic_write(path, ("\ufeff" + buf.getvalue()).encode("utf-8"))


def rows_to_xlsx(rows: list[list[Cell]], path: Path, title: str = "年度报告") -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]
    for r in rows:
        ws.append(r)
        if r and r[0] == "表":
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return _atomic_write(path, buf.getvalue())


def compare_findings(a: AnnualReport, b: AnnualReport) -> list[Finding]:
    """The cross-year check (V608) when one report is the same issuer's previous year of the other."""
    if is_previous(b, a):
        return cross_year_findings(b, a)
    if is_previous(a, b):
        return cross_year_findings(a, b)
    return []


def cross_year_status(a: AnnualReport, b: AnnualReport) -> str:
    """A one-line verdict of the cross-year check."""
    if not (is_previous(b, a) or is_previous(a, b)):
        return pick(
            "跨年核对：两份报告不是同一机关相邻两年的报告，未核对上年结转。",
            "cross-year check: not the same issuer's reports for consecutive years; carry-over not checked.",
        )
    found = compare_findings(a, b)
    if not found:
        return pick(
            "跨年核对：本年“上年结转”与上年“结转下年度继续办理”一致。",
            "cross-year check: this year's carry-over equals last year's carried-forward figures.",
        )
    return pick(f"跨年核对：{len(found)} 处不一致（V608）。", f"cross-year check: {len(found)} mismatches (V608).")


def compare_to_text(a: AnnualReport, b: AnnualReport) -> str:
    """Side by side for the terminal: each template row with A's and B's values; changed rows marked."""
    va, vb = _values(a), _values(b)
    lines = [f"A: {a.title}（{a.year}）", f"B: {b.title}（{b.year}）", ""]
    for lay in layouts():
        lines.append(f"【{lay.caption}】 " + " / ".join(lay.cols))
        for path, _ in lay.rows:
            xs = [va.get((lay.id, path, c)) for c in lay.cols]
            ys = [vb.get((lay.id, path, c)) for c in lay.cols]
            mark = "*" if xs != ys else " "
            fa = " ".join("-" if v is None else str(_num(v)) for v in xs)
            fb = " ".join("-" if v is None else str(_num(v)) for v in ys)
            lines.append(f"{mark} {path}: A [{fa}]  B [{fb}]")
        lines.append("")
    for label, rep in (("A", a), ("B", b)):
        own = report_to_findings(rep)
        lines.append(pick(f"{label} 自身核对：{len(own)} 项发现", f"{label} checks: {len(own)} findings"))
        lines += [f"  {f.message}" for f in own]
    lines.append(cross_year_status(a, b))
    lines += [f"  {f.message}" for f in compare_findings(a, b)]
    return "\n".join(lines) + "\n"


_STYLE = "<style>table.annual{border-collapse:collapse}table.annual td,table.annual th{border:1px solid #999;padding:2px 6px}.d{background:#fde2e2}</style>"


def compare_body_html(a: AnnualReport, b: AnnualReport) -> str:
    """The comparison as an HTML fragment: heading, the cross-year verdict, the tables side by side (changes marked)."""
    e = html.escape
    parts = [
        _STYLE,
        f"<h1>{e(a.title)} ⇄ {e(b.title)}</h1><p>{e(cross_year_status(a, b))}</p><ul>",
        *(f"<li>{e(f.message)}</li>" for f in compare_findings(a, b)),
        '</ul><table class="annual">',
    ]
    for r in compare_rows(a, b):
        if r[0] == "表":
            parts.append("<tr>" + "".join(f"<th>{e(str(v))}</th>" for v in r) + "</tr>")
            continue
        cells = [f"<td>{e(str(r[0]))}</td>", f"<td>{e(str(r[1]))}</td>"]
        for k in range(2, len(r), 3):
            diff = r[k + 2]
            cls = ' class="d"' if diff not in (None, 0) else ""
            cells += [f"<td{cls}>{'' if v is None else e(str(v))}</td>" for v in r[k : k + 3]]
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</table>")
    return "\n".join(parts)


def compare_to_html(a: AnnualReport, b: AnnualReport) -> str:
    """A self-contained page: the template tables side by side, changed cells highlighted, the cross-year check."""
    title = html.escape(pick("年度报告对比", "annual reports compared"))
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head><body>\n'
        + compare_body_html(a, b)
        + "\n</body></html>\n"
    )


# --------------------------------------------------------------------------- reports from the catalog


_REPORT_TITLES = (
    "SELECT DISTINCT f.issue_id, f.output FROM files f JOIN documents d ON d.sha256 = f.sha256 "
    "WHERE f.output IS NOT NULL AND d.title LIKE '%年度报告%' ORDER BY f.issue_id"
)


def _catalog_outputs(out: Path) -> list[tuple[str, Path]]:
    """(issue id, issue.json) of the catalogued issues that hold a document titled like an annual report."""
    import sqlite3

    db = out / "catalog.sqlite"
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(_REPORT_TITLES).fetchall()
    finally:
        conn.close()
    return [(str(i), out / str(o) / "issue.json") for i, o in rows if (out / str(o) / "issue.json").is_file()]


def catalog_reports(out: Path) -> list[tuple[str, AnnualReport]]:
    """(issue id, report) of every annual report in the catalog's issues."""
    found: list[tuple[str, AnnualReport]] = []
    for issue_id, path in _catalog_outputs(out):
        issue = Issue.model_validate_json(path.read_text(encoding="utf-8"))
        found += [(issue_id, d.annual_report) for d in issue.documents if d.annual_report is not None]
    return found


def catalog_report(out: Path, issue_id: str) -> AnnualReport | None:
    """The annual report of an ingested issue, by its id."""
    return next((r for i, r in catalog_reports(out) if i == issue_id), None)


def previous_in_catalog(out: Path, report: AnnualReport) -> AnnualReport | None:
    """The same issuer's report for the year before, when the catalog holds it."""
    return next((r for _, r in catalog_reports(out) if is_previous(report, r)), None)


def catalog_cross_year(out: Path) -> list[Finding]:
    """After an ingest: the cross-year check (V608) of every annual report whose previous year (same issuer) the
    catalog holds, written into that issue's ``issue.json`` (replacing the V608 findings of an earlier run; files
    are rewritten only when their findings change). Returns the V608 findings now in the catalog's issues."""
    from pipeline.archive.atomic import write_json_atomic

    issues: list[tuple[Path, Issue]] = []
    for _, path in _catalog_outputs(out):
        try:
            issues.append((path, Issue.model_validate_json(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError):  # an output replaced or damaged meanwhile: its issue is left as it is
            continue
    reports = [d.annual_report for _, issue in issues for d in issue.documents if d.annual_report is not None]
    all_found: list[Finding] = []
    for path, issue in issues:
        found: list[Finding] = []
        for doc in issue.documents:
            rep = doc.annual_report
            prev = next((r for r in reports if rep is not None and is_previous(rep, r)), None)
            if rep is not None and prev is not None:
                found += cross_year_findings(rep, prev, doc.id)
        kept = [f for f in issue.findings if f.code != "V608"]
        if kept + found != issue.findings:
            write_json_atomic(path, issue.model_copy(update={"findings": kept + found}))
            _record_checksum(out, path)
        all_found += found
    return all_found


def _record_checksum(out: Path, path: Path) -> None:
    """Keep the catalog's checksum of a rewritten output (``outputs`` table) so ``gazette verify`` sees no drift."""
    import sqlite3

    from pipeline.load.digest import file_to_sha256

    digest = file_to_sha256(path)
    conn = sqlite3.connect(out / "catalog.sqlite")
    try:
        with conn:
            conn.execute("UPDATE outputs SET sha256 = ? WHERE name = ?", (digest, path.relative_to(out).as_posix()))
    finally:
        conn.close()


def write_annual_exports(issue: Issue, folder: Path) -> list[Path]:
    """Exporter (ingest): ``annual.csv`` and ``annual.xlsx`` in the template's layout for each annual report."""
    reports = [(d.id, d.annual_report) for d in issue.documents if d.annual_report is not None]
    out: list[Path] = []
    for doc_id, rep in reports:
        stem = "annual" if len(reports) == 1 else f"annual-{doc_id.replace('/', '-')}"
        rows = report_to_rows(rep)
        out += [rows_to_csv(rows, folder / f"{stem}.csv"), rows_to_xlsx(rows, folder / f"{stem}.xlsx", rep.title)]
    return out


# --------------------------------------------------------------------------- site pages


def _page(title: str, body: str) -> str:
    e = html.escape
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{e(title)}</title><link rel="stylesheet" href="../static/site.css"></head>\n'
        f'<body><main class="wrap"><p><a href="../index.html">{e(pick("首页", "home"))}</a></p>\n{body}\n</main></body></html>\n'
    )


def render_annual_pages(issues: list[Issue], site_dir: Path) -> list[Path]:
    """Site pages (``annual/``): the annual reports of the issues, and each report beside the same issuer's
    previous one (tables side by side, differences, the cross-year check). Nothing when there is no report."""
    e = html.escape
    found = [(i, d.annual_report) for i in issues for d in i.documents if d.annual_report is not None]
    if not found:
        return []
    written: list[Path] = []
    items: list[str] = []
    for issue, rep in sorted(found, key=lambda x: (x[1].issuer or "", x[1].year or 0)):
        line = f"<li>{e(rep.title)}（{e(str(rep.year or '-'))}）"
        prev = next(((j, r) for j, r in found if is_previous(rep, r)), None)
        if prev is not None:
            name = f"compare-{prev[0].id}--{issue.id}.html"
            page = _page(rep.title, compare_body_html(prev[1], rep))
            written.append(_atomic_write(site_dir / "annual" / name, page.encode("utf-8")))
            line += f' <a href="{e(name)}">{e(pick("与上年对比", "compared with the year before"))}</a>'
        items.append(line + "</li>")
    index = _page(pick("政府信息公开工作年度报告", "annual reports"), "<ul>\n" + "\n".join(items) + "\n</ul>")
    written.append(_atomic_write(site_dir / "annual" / "index.html", index.encode("utf-8")))
    return written
