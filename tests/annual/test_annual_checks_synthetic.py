"""The checks V601–V609 on hand-made reports rendered as ruled PDFs and as text (tab-separated / markdown /
space-aligned rows):
every planted error is found, and no other error finding is raised."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.check.annual import RULES, cross_year_findings
from pipeline.run import parse_file
from schemas.model import AnnualReport, Issue, Severity
from tests.annual import models as M
from tests.annual.render import model_to_pdf, model_to_spaced_text, model_to_text

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")

Plant = Callable[[M.Model], M.Model]
CASES: dict[str, tuple[Callable[[], M.Model], list[Plant], str]] = {
    "county-2023-clean": (M.county_2023, [], "pdf"),
    "county-2024-clean-tsv": (M.county_2024, [], "tsv"),
    "county-2024-total-review-prose": (
        M.county_2024,
        [M.plant_total_column, M.plant_review_total, M.plant_prose],
        "pdf",
    ),
    "bureau-2024-note-negative-nan": (
        M.bureau_2024,
        [M.plant_reconciliation, M.plant_negative, M.plant_not_a_number],
        "pdf",
    ),
    "bureau-2024-results-above": (M.bureau_2024, [M.plant_results_total, M.plant_part_above_total], "pdf"),
    "county-2024-total-review-prose-md": (
        M.county_2024,
        [M.plant_total_column, M.plant_review_total, M.plant_prose],
        "md",
    ),
    "bureau-2024-note-negative-nan-tsv": (
        M.bureau_2024,
        [M.plant_reconciliation, M.plant_negative, M.plant_not_a_number],
        "tsv",
    ),
    "county-2024-clean-spaced": (M.county_2024, [], "spaced"),
    "bureau-2024-note-negative-nan-spaced": (
        M.bureau_2024,
        [M.plant_reconciliation, M.plant_negative, M.plant_not_a_number],
        "spaced",
    ),
}


def render(model: M.Model, kind: str, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "pdf":
        return model_to_pdf(model, folder / f"{name}.pdf")
    path = folder / f"{name}.txt"
    text = model_to_spaced_text(model) if kind == "spaced" else model_to_text(model, markdown=kind == "md")
    path.write_text(text, encoding="utf-8")
    return path


def build(case: str, folder: Path) -> tuple[M.Model, Issue]:
    make, plants, kind = CASES[case]
    model = make()
    for plant in plants:
        model = plant(model)
    result = parse_file(render(model, kind, folder, case))
    assert result.issue is not None
    return model, result.issue


def _report(issue: Issue) -> AnnualReport:
    reports = [d.annual_report for d in issue.documents if d.annual_report is not None]
    assert len(reports) == 1
    return reports[0]


@pytest.mark.parametrize("case", list(CASES))
def test_annual_checks_synthetic_find_every_planted_error_and_nothing_else(case: str, tmp_path: Path) -> None:
    model, issue = build(case, tmp_path)
    report = _report(issue)
    assert report.year == model.year and report.issuer == model.issuer
    assert report.title == f"{model.issuer}{model.year}年政府信息公开工作年度报告"
    assert len(report.cells) == 186
    assert not [e for e in issue.errors if e.code in ("P160", "P161")]
    annual = sorted(f.code for f in issue.findings if f.code.startswith("V6"))
    assert annual == sorted(model.planted)
    others = [f.code for f in issue.findings if f.severity is Severity.ERROR and not f.code.startswith("V6")]
    assert others == []


def test_annual_checks_synthetic_read_every_cell_as_printed(tmp_path: Path) -> None:
    model, issue = build("bureau-2024-note-negative-nan", tmp_path)
    got = {(c.table, c.row, c.col): c.raw for c in _report(issue).cells}
    for row, cells in model.apply.items():
        for col, raw in zip(M.APPLY_COLS, cells, strict=True):
            assert got[("申请", row, col)] == raw
    assert [got[("复议诉讼", "件数", c)] for c in M.REVIEW_COLS] == model.review
    assert got[("主动公开.第二十条第（六）项", "行政强制", "本年处理决定数量")] == "／"


def test_annual_checks_synthetic_findings_carry_both_sides_and_pages(tmp_path: Path) -> None:
    _, issue = build("county-2024-total-review-prose", tmp_path)
    v604 = next(f for f in issue.findings if f.code == "V604")
    assert v604.location.page is not None and v604.location.bbox is not None
    assert v604.actual == str(int(M.county_2024().review[4]) + 1) and v604.expected == M.county_2024().review[4]
    assert [e.role for e in v604.evidence] == ["total", "part", "part", "part", "part"]
    v601 = [f for f in issue.findings if f.code == "V601"]
    assert {f.evidence[0].text for f in v601} == {
        "申请.本年度办理结果.予以公开 × 总计",
        "申请.本年度办理结果.部分公开 × 总计",
    }
    assert all(e.source.page is not None for f in v601 for e in f.evidence)


def test_annual_checks_synthetic_cross_year_carry_over(tmp_path: Path) -> None:
    last = _report(parse_file(render(M.county_2023(), "pdf", tmp_path, "c23")).issue or Issue.model_construct())
    clean = _report(parse_file(render(M.county_2024(), "tsv", tmp_path, "c24")).issue or Issue.model_construct())
    planted_model = M.plant_carry_over(M.county_2024())
    planted_issue = parse_file(render(planted_model, "pdf", tmp_path, "c24-carry")).issue
    assert planted_issue is not None
    assert not [f for f in planted_issue.findings if f.code.startswith("V6")]  # the year alone is consistent
    assert cross_year_findings(clean, last) == []
    found = cross_year_findings(_report(planted_issue), last, "doc-1")
    assert sorted(f.code for f in found) == sorted(planted_model.planted)
    assert {(f.actual, f.expected) for f in found} == {("3", "2"), ("4", "3")}
    assert {e.role for f in found for e in f.evidence} == {"this-year", "last-year"}


@pytest.mark.parametrize("code", sorted(RULES))
def test_annual_checks_codes_are_documented(code: str) -> None:
    assert f"| {code} | {RULES[code][1].value} |" in README
