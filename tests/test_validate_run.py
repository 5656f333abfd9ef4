"""The corpus findings on the real parsed Issue (pipeline.run.parse_file), on both the PDF and the TXT."""

from __future__ import annotations

import pytest

from pipeline.check.validate import issue_to_findings
from schemas.model import Issue, Severity

pytestmark = pytest.mark.slow  # parses the corpus (shared with the other corpus tests through conftest)


def _summary(issue: Issue) -> list[tuple[str, str, str | None, str | None]]:
    return [(f.code, f.severity.value, f.expected, f.actual) for f in issue_to_findings(issue)]


def test_validate_run_corpus_findings(corpus_issue: Issue) -> None:
    got = _summary(corpus_issue)
    claims = sorted(x for x in got if x[0][:2] in ("V1", "V5"))
    assert claims == [
        ("V101", "error", "321", "26"),  # 2017 责令整改: prose 26, 表3 321
        ("V102", "warning", "4", "5"),  # 2019: 5 家（次） 批发企业 vs 表2 4 家 检查公司
        ("V104", "info", "97.53", "97.67"),  # mean of yearly rates, not the pooled rate
        ("V106", "warning", "100", None),  # 表2 has no 2016 data for "2016—2020 均为100%"
        ("V501", "info", None, "<1%*"),
        ("V501", "info", None, "<1*"),
        ("V501", "info", None, "<15000*"),
    ]


def test_validate_run_corpus_no_false_errors(corpus_issue: Issue) -> None:
    findings = issue_to_findings(corpus_issue)
    assert [f.code for f in findings if f.severity == Severity.ERROR] == ["V101"]
    assert [f.code for f in findings if f.code[:2] in ("V2", "V3", "V4")] == []


def test_validate_run_slip_cites_the_agreeing_average(corpus_issue: Issue) -> None:
    (f,) = [f for f in issue_to_findings(corpus_issue) if f.code == "V101"]
    assert [(e.role, e.value) for e in f.evidence] == [
        ("claim", "26"),
        ("table-cell", "321"),
        ("agreeing-claim", "236"),
    ]
    assert f.location == next(
        p.source for p in corpus_issue.documents[0].attachments[0].body if "责令整改26处，全部整改落实；2017" in p.text
    )


def test_validate_run_stores_findings_on_the_issue(corpus_issue: Issue) -> None:
    assert [f.model_dump() for f in corpus_issue.findings] == [f.model_dump() for f in issue_to_findings(corpus_issue)]
