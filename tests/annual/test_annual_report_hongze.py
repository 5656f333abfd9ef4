"""The development report (淮安市洪泽区 2024, WPS, ruled tables, 2–3-level headers): every template cell against a
truth file written by hand from the page images, the title, year and issuer, the note, the prose figures, the checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.check.annual import report_to_findings
from pipeline.run import parse_file
from schemas.model import AnnualReport, Issue, Severity

REPO = Path(__file__).resolve().parents[2]
PDF = REPO / "tests" / "data" / "huaian-hongze-xxgk-annual-report-2024.pdf"
TRUTH = json.loads((Path(__file__).parent / "hongze_2024_truth.json").read_text(encoding="utf-8"))
APPLY_COLS = [
    "自然人",
    *(f"法人或其他组织.{c}" for c in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")),
    "总计",
]


@pytest.fixture(scope="module")
def issue() -> Issue:
    result = parse_file(PDF)
    assert result.issue is not None
    return result.issue


@pytest.fixture(scope="module")
def report(issue: Issue) -> AnnualReport:
    assert len(issue.documents) == 1
    rep = issue.documents[0].annual_report
    assert rep is not None
    return rep


def test_annual_report_hongze_title_year_issuer(issue: Issue, report: AnnualReport) -> None:
    assert issue.documents[0].title == TRUTH["title"]
    assert report.title == TRUTH["title"]
    assert report.title.endswith("洪泽区人民政府2024年政府信息公开工作年度报告")
    assert report.year == 2024
    assert report.issuer == "淮安市洪泽区人民政府"
    assert report.sections == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def _truth_cells() -> dict[tuple[str, str, str], float]:
    cols = {
        "主动公开.第二十条第（一）项": ["本年制发件数", "本年废止件数", "现行有效件数"],
        "主动公开.第二十条第（五）项": ["本年处理决定数量"],
        "主动公开.第二十条第（六）项": ["本年处理决定数量"],
        "主动公开.第二十条第（八）项": ["本年收费金额"],
        "申请": APPLY_COLS,
        "复议诉讼": [
            f"{g}.{c}"
            for g in ("行政复议", "行政诉讼.未经复议直接起诉", "行政诉讼.复议后起诉")
            for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
        ],
    }
    out = {}
    for table, rows in TRUTH["tables"].items():
        for row, values in rows.items():
            assert len(values) == len(cols[table])
            for col, v in zip(cols[table], values, strict=True):
                out[(table, row, col)] = float(v)
    return out


def test_annual_report_hongze_every_cell_matches_the_truth(report: AnnualReport) -> None:
    truth = _truth_cells()
    got = {(c.table, c.row, c.col): c.value for c in report.cells}
    assert len(truth) == 10 + 23 * 7 + 15
    assert got == truth


def test_annual_report_hongze_cells_keep_their_page_and_box(report: AnnualReport) -> None:
    by = {(c.table, c.row, c.col): c for c in report.cells}
    first = by[("申请", "本年新收", "自然人")]
    assert first.source is not None and first.source.page == 3 and first.source.pdf_page == 3
    assert first.source.bbox is not None and len(first.source.bbox) == 4
    carried = by[("申请", "结转下年度继续办理", "总计")]
    assert carried.source is not None and carried.source.page == 4
    review = by[("复议诉讼", "件数", "行政诉讼.复议后起诉.总计")]
    assert review.source is not None and review.source.page == 4 and review.raw == "3"
    permit = by[("主动公开.第二十条第（五）项", "行政许可", "本年处理决定数量")]
    assert permit.source is not None and permit.source.page == 2


def test_annual_report_hongze_note_and_figures(report: AnnualReport) -> None:
    assert len(report.notes) == 1
    note = report.notes[0]
    assert note.text == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert (note.lhs, note.rhs) == (TRUTH["note"]["lhs"], TRUTH["note"]["rhs"])
    figures = {f.key: f for f in report.figures}
    assert {k: f.value for k, f in figures.items()} == TRUTH["figures"]
    assert (
        figures["受理申请"].sentence == "2024年，区政府办代表区政府受理政府信息公开申请17件，均已在法定期限内予以答复。"
    )
    assert figures["受理申请"].cell == "申请|本年新收|总计"
    assert figures["主动公开"].source.page == 1 and figures["主动公开"].unit == "条"


def test_annual_report_hongze_checks_raise_no_false_error(issue: Issue, report: AnnualReport) -> None:
    # every sum, the note and the review totals hold in this report; its prose says 17 applications were accepted
    # by the 区政府办 while the table counts 95: a real difference, reported as a warning with both sides
    found = report_to_findings(report, "doc-1")
    assert [f.code for f in found] == ["V605"]
    v605 = found[0]
    assert v605.severity is Severity.WARNING
    assert (v605.expected, v605.actual) == ("95", "17")
    assert [e.role for e in v605.evidence] == ["claim", "table-cell"]
    assert v605.evidence[1].source.page == 3
    assert [f.code for f in issue.findings if f.code.startswith("V6")] == ["V605"]
    assert not [f for f in issue.findings if f.severity is Severity.ERROR]
    assert not [e for e in issue.errors if e.code in ("P160", "P161")]


def test_annual_report_hongze_as_layout_text_reads_the_same(tmp_path: Path) -> None:
    # a text extraction that keeps the page layout (columns as runs of spaces, cells one line per row)
    import pdfplumber

    with pdfplumber.open(PDF) as pdf:
        text = "\f".join(page.extract_text(layout=True) for page in pdf.pages)
    path = tmp_path / "hongze.txt"
    path.write_text(text, encoding="utf-8")
    issue = parse_file(path).issue
    assert issue is not None
    assert issue.documents[0].title == TRUTH["title"]  # the issuer's line and the report title under it, joined
    report = issue.documents[0].annual_report
    assert report is not None and report.year == 2024
    assert {(c.table, c.row, c.col): c.value for c in report.cells} == _truth_cells()
    assert all(c.source is not None and c.source.line is not None for c in report.cells)
    assert [f.code for f in issue.findings if f.code.startswith("V6")] == ["V605"]
