"""Rules of the annual-report checks that need no rendering: titles → year and issuer, the same issuer named with or
without its parent, prose figures that count the carried-over applications too."""

from __future__ import annotations

import pytest

from pipeline.check.annual import is_previous, report_to_findings, same_issuer
from pipeline.run import text_to_issue
from pipeline.structure.annual_report import title_year_issuer
from schemas.model import AnnualReport
from tests.annual import models as M
from tests.annual.render import model_to_text


@pytest.mark.parametrize(
    ("title", "year", "issuer"),
    [
        ("淮安市洪泽区人民政府2024年政府信息公开工作年度报告", 2024, "淮安市洪泽区人民政府"),
        ("2024年某某市自然资源局政府信息公开工作年度报告", 2024, "某某市自然资源局"),
        ("某某县人民政府2023年度政府信息公开工作年度报告", 2023, "某某县人民政府"),
        ("《某某市司法局2022年政府信息公开工作年度报告》", 2022, "某某市司法局"),
        ("某某局政府信息公开工作年度报告", None, "某某局"),
    ],
)
def test_annual_checks_rules_title_gives_year_and_issuer(title: str, year: int | None, issuer: str) -> None:
    assert title_year_issuer(title) == (year, issuer)


def test_annual_checks_rules_same_issuer_with_or_without_parent() -> None:
    assert same_issuer("淮安市洪泽区人民政府", "洪泽区人民政府")
    assert not same_issuer("淮安市洪泽区人民政府", "淮安市清江浦区人民政府")
    assert not same_issuer("某某局", None)
    last = AnnualReport(title="t", year=2023, issuer="洪泽区人民政府")
    this = AnnualReport(title="t", year=2024, issuer="淮安市洪泽区人民政府")
    assert is_previous(this, last) and not is_previous(last, this)
    assert not is_previous(this, last.model_copy(update={"year": 2022}))


def _report(model: M.Model) -> AnnualReport:
    rep = text_to_issue(model_to_text(model), "m").documents[0].annual_report
    assert rep is not None
    return rep


def test_annual_checks_rules_prose_may_count_carried_over_applications() -> None:
    model = M.county_2024()
    carried = int(model.cell("上年结转", "总计"))
    assert carried > 0
    model.received_prose = int(model.cell("本年新收", "总计")) + carried  # 受理 N 件 including 上年结转
    assert [f.code for f in report_to_findings(_report(model))] == []
    model.received_prose += 1
    found = report_to_findings(_report(model))
    assert [f.code for f in found] == ["V605"]
    assert found[0].actual == str(model.received_prose)
    assert found[0].expected == model.cell("本年新收", "总计")


def test_annual_checks_rules_messages_chinese_by_default_english_by_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    model = M.plant_prose(M.county_2024())
    report = _report(model)
    monkeypatch.setenv("GAZETTE_LANG", "zh")  # restored by monkeypatch: no language leaks into later tests
    assert report_to_findings(report)[0].message.startswith("[V605] 正文「")
    monkeypatch.setenv("GAZETTE_LANG", "en")
    assert report_to_findings(report)[0].message.startswith("[V605] the prose「")
