"""Checks of a 政府信息公开工作年度报告 against itself and against last year's report: findings V601–V609.

Reads: an :class:`schemas.model.AnnualReport` (``Document.annual_report``), optionally the same issuer's report
for the previous year.
Writes: :class:`schemas.model.Finding` objects, each with both sides (``expected``/``actual``) and the cells or
sentences they come from as evidence (page, box or line).
Guaranteed: a passing check produces no finding; a cell that is empty or not a number is skipped by the
arithmetic checks (V609 says so once); never raises on a partial report (missing rows are P160 problems).

- V601 a 总计 column of the 申请 table is not the sum of the 自然人 and 法人或其他组织 columns;
- V602 a 勾稽关系 note printed in the table (第一项加第二项之和，等于第三项加第四项之和) does not hold;
- V603 the 本年度办理结果 rows do not sum to their 总计 row;
- V604 a 行政复议 / 行政诉讼 总计 is not the sum of its 结果 columns;
- V605 a figure of the prose (受理申请 17 件) differs from its table cell;
- V606 a negative number; V607 a part above its total;
- V608 this year's 上年结转 differs from last year's 结转下年度继续办理 (same issuer, previous year);
- V609 a template cell that is not a number.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pipeline.errors import FINDINGS
from pipeline.i18n import pick
from pipeline.structure.annual_report import template
from schemas.model import AnnualCell, AnnualReport, Evidence, Finding, Issue, Severity, Source

# V601–V609 are registered in ``pipeline.errors.FINDINGS`` (name, severity, zh/en text); this view keeps them at hand.
RULES: dict[str, tuple[str, Severity, str]] = {
    code: (r.name, r.severity, r.en) for code, r in FINDINGS.items() if code.startswith("V6")
}

APPLY = "申请"
REVIEW = "复议诉讼"
TOTAL = "总计"
RESULTS = "本年度办理结果"
_TOL = 0.005


class _Cells:
    """The report's cells by address."""

    def __init__(self, report: AnnualReport) -> None:
        self.report = report
        self.by: dict[tuple[str, str, str], AnnualCell] = {(c.table, c.row, c.col): c for c in report.cells}

    def get(self, table: str, row: str, col: str) -> AnnualCell | None:
        return self.by.get((table, row, col))

    def rows(self, table: str) -> list[str]:
        return list(dict.fromkeys(c.row for c in self.report.cells if c.table == table))

    def cols(self, table: str) -> list[str]:
        return list(dict.fromkeys(c.col for c in self.report.cells if c.table == table))


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def address(c: AnnualCell) -> str:
    """``申请|本年新收|总计`` → the readable address ``申请.本年新收 × 总计``."""
    return f"{c.table}.{c.row} × {c.col}"


def _evidence(role: str, cells: Iterable[AnnualCell]) -> list[Evidence]:
    return [
        Evidence(role=role, text=address(c), value=c.raw, source=c.source or Source()) for c in cells if c is not None
    ]


def _finding(
    code: str, message: str, total: AnnualCell, parts: list[AnnualCell], expected: float, doc_id: str | None
) -> Finding:
    slug, severity, _ = RULES[code]
    return Finding(
        code=code,
        severity=severity,
        message=f"[{code}] {message}",
        expected=_fmt(expected),
        actual=total.raw or "",
        location=total.source or Source(),
        rule=slug,
        document_id=doc_id,
        evidence=_evidence("total", [total]) + _evidence("part", parts),
    )


def _sum_check(
    code: str, what: str, total: AnnualCell | None, parts: list[AnnualCell | None], doc_id: str | None
) -> list[Finding]:
    if total is None or total.value is None or any(p is None or p.value is None for p in parts) or not parts:
        return []
    ps = [p for p in parts if p is not None]
    got = sum(p.value or 0.0 for p in ps)
    if abs(got - total.value) <= _TOL:
        return []
    msg = pick(
        f"{what}：{address(total)} 为 {total.raw}，但各部分之和为 {_fmt(got)}",
        f"{what}: {address(total)} is {total.raw} but its parts sum to {_fmt(got)}",
    )
    return [_finding(code, msg, total, ps, got, doc_id)]


def _v601(cells: _Cells, doc_id: str | None) -> list[Finding]:
    out: list[Finding] = []
    parts = [c for c in cells.cols(APPLY) if c != TOTAL]
    for row in cells.rows(APPLY):
        total = cells.get(APPLY, row, TOTAL)
        out += _sum_check(
            "V601", pick("总计列", "total column"), total, [cells.get(APPLY, row, c) for c in parts], doc_id
        )
    return out


def _v603(cells: _Cells, doc_id: str | None) -> list[Finding]:
    out: list[Finding] = []
    total_row = f"{RESULTS}.{TOTAL}"
    leaves = [r for r in cells.rows(APPLY) if r.startswith(RESULTS + ".") and r != total_row]
    for col in cells.cols(APPLY):
        total = cells.get(APPLY, total_row, col)
        out += _sum_check(
            "V603", pick("办理结果合计", "results total"), total, [cells.get(APPLY, r, col) for r in leaves], doc_id
        )
    return out


def _v604(cells: _Cells, doc_id: str | None) -> list[Finding]:
    out: list[Finding] = []
    groups: dict[str, list[str]] = {}
    for col in cells.cols(REVIEW):
        group, _, leaf = col.rpartition(".")
        if leaf != TOTAL:
            groups.setdefault(group, []).append(col)
    for row in cells.rows(REVIEW):
        for group, cols in groups.items():
            total = cells.get(REVIEW, row, f"{group}.{TOTAL}")
            out += _sum_check("V604", group, total, [cells.get(REVIEW, row, c) for c in cols], doc_id)
    return out


def _side(cells: _Cells, table: str, paths: list[str], col: str) -> tuple[float | None, list[AnnualCell]]:
    acc, used = 0.0, []
    for p in paths:
        sign, row = (-1.0, p[1:]) if p.startswith("-") else (1.0, p)
        c = cells.get(table, row, col)
        if c is None or c.value is None:
            return None, []
        acc += sign * c.value
        used.append(c)
    return acc, used


def _v602(cells: _Cells, doc_id: str | None) -> list[Finding]:
    out: list[Finding] = []
    for note in cells.report.notes:
        for col in cells.cols(note.table):
            a, left = _side(cells, note.table, note.lhs, col)
            b, right = _side(cells, note.table, note.rhs, col)
            if a is None or b is None or abs(a - b) <= _TOL:
                continue
            slug, severity, _ = RULES["V602"]
            msg = pick(
                f"勾稽关系「{note.text}」在「{col}」列不成立：{_fmt(a)} ≠ {_fmt(b)}",
                f"the note「{note.text}」does not hold in column {col}: {_fmt(a)} ≠ {_fmt(b)}",
            )
            out.append(
                Finding(
                    code="V602",
                    severity=severity,
                    message=f"[V602] {msg}",
                    expected=_fmt(b),
                    actual=_fmt(a),
                    location=note.source or Source(),
                    rule=slug,
                    document_id=doc_id,
                    evidence=_evidence("left", left) + _evidence("right", right),
                )
            )
    return out


def _v605(cells: _Cells, doc_id: str | None) -> list[Finding]:
    out: list[Finding] = []
    for fig in cells.report.figures:
        if not fig.cell:
            continue
        table, row, col = fig.cell.split("|")
        c = cells.get(table, row, col)
        if c is None or c.value is None or any(abs(v - fig.value) <= _TOL for v in _accepted(cells, fig.key, c)):
            continue
        slug, severity, _ = RULES["V605"]
        msg = pick(
            f"正文「{fig.sentence}」称 {_fmt(fig.value)}{fig.unit}，表格 {address(c)} 为 {c.raw}",
            f"the prose「{fig.sentence}」says {_fmt(fig.value)}{fig.unit}; the table's {address(c)} is {c.raw}",
        )
        out.append(
            Finding(
                code="V605",
                severity=severity,
                message=f"[V605] {msg}",
                expected=c.raw,
                actual=_fmt(fig.value),
                location=fig.source,
                rule=slug,
                document_id=doc_id,
                evidence=[
                    Evidence(role="claim", text=fig.sentence, value=_fmt(fig.value), source=fig.source),
                    *_evidence("table-cell", [c]),
                ],
            )
        )
    return out


def _accepted(cells: _Cells, key: str, cell: AnnualCell) -> list[float]:
    """The values a prose figure may state: its cell, or another sum of cells the template accepts for its words."""
    out = [cell.value] if cell.value is not None else []
    spec: dict[str, Any] = next((f for f in template()["figures"] if f["key"] == key), {})
    for addresses in spec.get("accept", []):
        parts = [cells.get(*a.split("|")) for a in addresses]
        if all(p is not None and p.value is not None for p in parts):
            out.append(sum(p.value or 0.0 for p in parts if p is not None))
    return out


def _plausibility(cells: _Cells, doc_id: str | None) -> list[Finding]:
    """V606 negatives, V607 parts above their totals, V609 cells that are not numbers."""
    out: list[Finding] = []
    for c in cells.report.cells:
        if c.value is None:
            if c.raw.strip():
                out.append(
                    _single(
                        "V609",
                        c,
                        pick(f"{address(c)}「{c.raw}」不是数字", f"{address(c)}「{c.raw}」is not a number"),
                        doc_id,
                    )
                )
            continue
        if c.value < 0:
            out.append(
                _single("V606", c, pick(f"{address(c)} 为负数 {c.raw}", f"{address(c)} is negative: {c.raw}"), doc_id)
            )
        for total in _totals_of(cells, c):
            if total.value is not None and c.value > total.value + _TOL:
                msg = pick(
                    f"{address(c)} 为 {c.raw}，大于其总计 {address(total)} {total.raw}",
                    f"{address(c)} is {c.raw}, above its total {address(total)} {total.raw}",
                )
                f = _finding("V607", msg, c, [total], total.value, doc_id)
                out.append(f.model_copy(update={"expected": f"≤ {total.raw}"}))
    return out


def _totals_of(cells: _Cells, c: AnnualCell) -> list[AnnualCell]:
    """The totals a cell is a part of: its row's 总计 column (申请, 复议诉讼 groups), its column's 办理结果 总计."""
    out: list[AnnualCell | None] = []
    if c.table == APPLY and c.col != TOTAL:
        out.append(cells.get(APPLY, c.row, TOTAL))
    if c.table == APPLY and c.row.startswith(RESULTS + ".") and c.row != f"{RESULTS}.{TOTAL}":
        out.append(cells.get(APPLY, f"{RESULTS}.{TOTAL}", c.col))
    if c.table == REVIEW and not c.col.endswith(TOTAL):
        out.append(cells.get(REVIEW, c.row, f"{c.col.rpartition('.')[0]}.{TOTAL}"))
    return [t for t in out if t is not None]


def _single(code: str, c: AnnualCell, message: str, doc_id: str | None) -> Finding:
    slug, severity, _ = RULES[code]
    return Finding(
        code=code,
        severity=severity,
        message=f"[{code}] {message}",
        expected="≥ 0" if code == "V606" else None,
        actual=c.raw,
        location=c.source or Source(),
        rule=slug,
        document_id=doc_id,
        evidence=_evidence("table-cell", [c]),
    )


def report_to_findings(report: AnnualReport, doc_id: str | None = None) -> list[Finding]:
    """Every check of one report against itself (V601–V607, V609)."""
    cells = _Cells(report)
    out: list[Finding] = []
    for check in (_v601, _v602, _v603, _v604, _v605, _plausibility):
        out.extend(check(cells, doc_id))
    return out


def cross_year_findings(report: AnnualReport, previous: AnnualReport, doc_id: str | None = None) -> list[Finding]:
    """V608: this year's 上年结转 (each column) against last year's 结转下年度继续办理."""
    this, last = _Cells(report), _Cells(previous)
    out: list[Finding] = []
    slug, severity, _ = RULES["V608"]
    for col in this.cols(APPLY):
        a = this.get(APPLY, "上年结转", col)
        b = last.get(APPLY, "结转下年度继续办理", col)
        if a is None or b is None or a.value is None or b.value is None or abs(a.value - b.value) <= _TOL:
            continue
        msg = pick(
            f"{report.year}年报告的上年结转（{col}）为 {a.raw}，{previous.year}年报告的结转下年度继续办理为 {b.raw}",
            f"the {report.year} report's 上年结转 ({col}) is {a.raw}; the {previous.year} report carried over {b.raw}",
        )
        out.append(
            Finding(
                code="V608",
                severity=severity,
                message=f"[V608] {msg}",
                expected=b.raw,
                actual=a.raw,
                location=a.source or Source(),
                rule=slug,
                document_id=doc_id,
                evidence=_evidence("this-year", [a]) + _evidence("last-year", [b]),
            )
        )
    return out


def same_issuer(a: str | None, b: str | None) -> bool:
    """The same issuer, named in full or without its parent (某市某区人民政府 / 某区人民政府)."""
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return short == long or (len(short) >= 4 and long.endswith(short))


def is_previous(report: AnnualReport, previous: AnnualReport) -> bool:
    """Whether ``previous`` is the same issuer's report for the year before."""
    return bool(report.year and previous.year == report.year - 1 and same_issuer(report.issuer, previous.issuer))


def issue_to_annual_findings(issue: Issue) -> list[Finding]:
    """The checks of every annual report in an issue (the cross-year check needs the catalog: see compare)."""
    out: list[Finding] = []
    for doc in issue.documents:
        if doc.annual_report is not None:
            out.extend(report_to_findings(doc.annual_report, doc.id))
    return out
