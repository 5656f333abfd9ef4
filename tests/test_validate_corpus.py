"""issue_to_findings on the hand-built corpus Issue: the findings the corpus must give, and no others."""

from __future__ import annotations

import pytest

from pipeline.check.validate import RULES, issue_to_findings
from schemas.model import Finding, Issue, Severity
from tests.fixtures_issue import build_issue, paragraph_index

# .txt lines of the prose paragraphs about 表 1–3 and 图 1–3
LINE_T1, LINE_F1, LINE_T2, LINE_T2_ALL, LINE_T3, LINE_T3_B, LINE_F3 = 158, 164, 176, 180, 192, 198, 213


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return issue_to_findings(build_issue())


def _at(findings: list[Finding], line: int) -> list[tuple[str, str | None, str | None]]:
    return [(f.code, f.expected, f.actual) for f in findings if f.location.line == line]


def _keys(findings: list[Finding]) -> set[tuple[str, int | None, str | None, str | None]]:
    return {(f.code, f.location.line, f.expected, f.actual) for f in findings}


def test_validate_table3_prose_slip_is_an_error_that_cites_the_agreeing_average(findings: list[Finding]) -> None:
    (f,) = [f for f in findings if f.location.line == LINE_T3]
    assert (f.code, f.severity, f.expected, f.actual, f.rule) == ("V101", Severity.ERROR, "321", "26", "value-mismatch")
    roles = [(e.role, e.value) for e in f.evidence]
    assert roles == [("claim", "26"), ("table-cell", "321"), ("agreeing-claim", "236")]
    cell = f.evidence[1]
    assert (cell.source.line, cell.source.page) == (189, 12)  # the 责令整改 row of 表3, 2017 column
    assert f.evidence[2].source.line == LINE_T3_B


def test_validate_wholesale_count_in_visits_is_a_weak_mismatch(findings: list[Finding]) -> None:
    assert _at(findings, LINE_T2) == [("V102", "4", "5")]
    (f,) = [f for f in findings if f.location.line == LINE_T2]
    assert f.severity == Severity.WARNING
    assert f.evidence[1].source.line == 171  # 检查公司 (家) row


def test_validate_fireworks_rate_claim_cannot_be_verified_for_2016(findings: list[Finding]) -> None:
    assert _at(findings, LINE_T2_ALL) == [("V106", "100", None)]
    (f,) = [f for f in findings if f.location.line == LINE_T2_ALL]
    assert f.severity == Severity.WARNING
    assert [e.value for e in f.evidence] == ["100", "—", "—"]


def test_validate_starred_targets_without_footnote_are_info(findings: list[Finding]) -> None:
    v501 = [f for f in findings if f.code == "V501"]
    assert [(f.severity, f.actual) for f in v501] == [
        (Severity.INFO, "<1%*"),
        (Severity.INFO, "<1*"),
        (Severity.INFO, "<15000*"),
    ]


def test_validate_average_of_rates_is_mean_of_yearly_rates(findings: list[Finding]) -> None:
    # 100, 94.13, 94.20, 100, 100 → 97.67 (the pooled 1698/1741 would be 97.53): info only, no error
    assert _at(findings, LINE_F1) == [("V104", "97.53", "97.67")]
    assert next(f for f in findings if f.location.line == LINE_F1).severity == Severity.INFO


@pytest.mark.parametrize("line", [LINE_T1, LINE_T3_B, LINE_F3])
def test_validate_consistent_paragraphs_give_no_finding(findings: list[Finding], line: int) -> None:
    assert _at(findings, line) == []


def test_validate_only_one_error_in_the_corpus(findings: list[Finding]) -> None:
    errors = [(f.code, f.location.line) for f in findings if f.severity == Severity.ERROR]
    assert errors == [("V101", LINE_T3)]


def test_validate_structure_and_dates_give_no_finding(findings: list[Finding]) -> None:
    assert [f.code for f in findings if f.code[:2] in ("V2", "V3", "V4")] == []


def test_validate_findings_follow_the_registry(findings: list[Finding]) -> None:
    for f in findings:
        slug, severity, _ = RULES[f.code]
        assert (f.rule, f.severity) == (slug, severity)
        assert f.message.startswith(f"[{f.code}]")


def test_validate_is_deterministic() -> None:
    a = issue_to_findings(build_issue())
    b = issue_to_findings(build_issue())
    assert [f.model_dump() for f in a] == [f.model_dump() for f in b]


# --------------------------------------------------------------------------- mutations

# every table cell some prose claim depends on: (table number, series index, year)
CLAIM_CELLS = (
    [(1, s, y) for s in (1, 2) for y in range(2016, 2021)]
    + [(2, 0, y) for y in (2016, 2017, 2018, 2020)]
    + [(2, 1, y) for y in range(2016, 2021)]
    + [(2, s, y) for s in (2, 3) for y in range(2017, 2021)]
    + [(3, s, y) for s in (0, 1, 2, 3) for y in range(2016, 2021)]
)


def _mutate_cell(issue: Issue, table: int, series: int, year: int, delta: float) -> None:
    att = issue.documents[0].attachments[0]
    stat = att.statistics[table - 1]
    col = stat.columns.index(str(year))
    value = stat.series[series].values[col]
    assert value is not None
    stat.series[series].values[col] = value + delta
    att.tables[table - 1].rows[series][col + 1] = str(int(value + delta))


@pytest.mark.parametrize(("table", "series", "year"), CLAIM_CELLS)
@pytest.mark.parametrize("delta", [7.0, -1.0])
def test_validate_mutated_table_cell_gives_a_finding(
    findings: list[Finding], table: int, series: int, year: int, delta: float
) -> None:
    issue = build_issue()
    _mutate_cell(issue, table, series, year, delta)
    assert _keys(issue_to_findings(issue)) - _keys(findings)


# (paragraph .txt line, printed text, replacement): every checkable number of the prose
CLAIM_NUMBERS = [
    (LINE_T1, "发现隐患205处", "发现隐患212处"),
    (LINE_T1, "发现隐患358处", "发现隐患365处"),
    (LINE_T1, "落实整改337处", "落实整改344处"),
    (LINE_T1, "隐患379项", "隐患386项"),
    (LINE_T1, "整改357项", "整改364项"),
    (LINE_T1, "责成整改22项", "责成整改29项"),
    (LINE_T1, "排查发现隐患375项", "排查发现隐患382项"),
    (LINE_T1, "完成隐患整改375项", "完成隐患整改382项"),
    (LINE_T1, "隐患424项", "隐患431项"),
    (LINE_T1, "完成整改424项", "完成整改431项"),
    (LINE_F1, "97.67%", "97.60%"),
    (LINE_F1, "均达到100%", "均达到90%"),
    (LINE_T2, "3家烟花爆竹批发公司、105个", "2家烟花爆竹批发公司、105个"),
    (LINE_T2, "105个", "112个"),
    (LINE_T2, "3家烟花爆竹批发公司、142个", "9家烟花爆竹批发公司、142个"),
    (LINE_T2, "142个", "149个"),
    (LINE_T2, "问题178项", "问题185项"),
    (LINE_T2, "4家烟花爆竹批发公司", "6家烟花爆竹批发公司"),
    (LINE_T2, "157个", "164个"),
    (LINE_T2, "问题201项", "问题208项"),
    (LINE_T2, "零售点152个", "零售点159个"),
    (LINE_T2, "发现隐患103项", "发现隐患110项"),
    (LINE_T2, "整改完成103项", "整改完成110项"),
    (LINE_T2, "批发公司4个", "批发公司8个"),
    (LINE_T2, "零售点232家", "零售点239家"),
    (LINE_T2, "问题78项", "问题85项"),
    (LINE_T3, "企业82家", "企业89家"),
    (LINE_T3, "整改令14项", "整改令21项"),
    (LINE_T3, "责令整改26处，全部整改落实；2017", "责令整改33处，全部整改落实；2017"),
    (LINE_T3, "企业131家", "企业138家"),
    (LINE_T3, "整改令46项", "整改令53项"),
    (LINE_T3, "责令整改26处，全部整改落实；2018", "责令整改40处，全部整改落实；2018"),
    (LINE_T3, "企业106家", "企业113家"),
    (LINE_T3, "整改令40项", "整改令47项"),
    (LINE_T3, "责令整改214处", "责令整改221处"),
    (LINE_T3, "企业85家", "企业92家"),
    (LINE_T3, "整改令33项", "整改令40项"),
    (LINE_T3, "责令整改145处", "责令整改152处"),
    (LINE_T3, "企业103家", "企业110家"),
    (LINE_T3, "整改令95项", "整改令102项"),
    (LINE_T3, "责令整改474处", "责令整改481处"),
    (LINE_T3_B, "发现隐患26处", "发现隐患33处"),
    (LINE_T3_B, "发现隐患474处", "发现隐患481处"),
    (LINE_T3_B, "平均发现隐患236处", "平均发现隐患243处"),
    (LINE_T3_B, "整改率均为100%", "整改率均为90%"),
    (LINE_T2_ALL, "均为100%", "均为95%"),
    (LINE_F3, "分别为48、15和42", "分别为28、15和42"),
    (LINE_F3, "分别为48、15和42", "分别为48、9和42"),
    (LINE_F3, "分别为48、15和42", "分别为48、15和12"),
    (LINE_F3, "分别为37、13和36", "分别为57、13和36"),
    (LINE_F3, "分别为37、13和36", "分别为37、3和36"),
    (LINE_F3, "分别为26、11和20", "分别为26、11和40"),
    (LINE_F3, "分别为26、11和20", "分别为40、11和20"),
]


@pytest.mark.parametrize(("line", "old", "new"), CLAIM_NUMBERS)
def test_validate_mutated_prose_number_gives_a_finding(findings: list[Finding], line: int, old: str, new: str) -> None:
    issue = build_issue()
    body = issue.documents[0].attachments[0].body
    para = body[paragraph_index(issue, line)]
    assert para.text.count(old) == 1
    para.text = para.text.replace(old, new)
    assert _keys(issue_to_findings(issue)) - _keys(findings)


def test_validate_fixing_the_prose_slip_removes_the_error() -> None:
    issue = build_issue()
    para = issue.documents[0].attachments[0].body[paragraph_index(issue, LINE_T3)]
    para.text = para.text.replace(
        "检查企业131家（次），下达整改令46项，责令整改26处", "检查企业131家（次），下达整改令46项，责令整改321处"
    )
    assert [f for f in issue_to_findings(issue) if f.severity == Severity.ERROR] == []
