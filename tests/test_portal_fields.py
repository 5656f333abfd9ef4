"""Portal fields of a document: 文种 from the title, plan end year, 有效性, the configurable 索引号."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.publish.export import write_document_json
from pipeline.publish.portal import (
    PublishConfig,
    doc_kind,
    index_number,
    load_config,
    plan_end_year,
    portal_fields,
    validity,
)
from schemas.model import Document, Paragraph, Source
from tests.fixtures_site import build_issue


def _doc(title: str, body: str = "", date: dt.date | None = dt.date(2022, 3, 1), number: str | None = None) -> Document:
    data: dict[str, object] = {
        "id": "doc-9",
        "title": title,
        "date": date,
        "source": Source(page=1),
        "body": [Paragraph(id="doc-9/p-1", text=body, source=Source(page=1))] if body else [],
    }
    if number:
        data["doc_number"] = {"raw": number, "org": "某府办", "year": 2022, "serial": 9}
    return Document.model_validate(data)


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("某区人民政府关于印发某区应急管理“十四五”规划的通知", "通知"),
        ("关于加强安全生产工作的实施意见", "意见"),
        ("某区2022年政务公开工作要点分工方案", "方案"),
        ("关于同意设立某街道的批复", "批复"),
        ("关于商请支持某项工作的函", "函"),
        ("某区2021年政府信息公开工作年度报告", "报告"),
        ("没有文种的标题", None),
    ],
)
def test_portal_doc_kind_from_title(title: str, kind: str | None) -> None:
    assert doc_kind(title) == kind


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("关于印发某区应急管理“十四五”规划的通知", 2025),
        ("某区国土空间总体规划（2021—2035年）", 2035),
        ("某区2022年政务公开工作要点", 2022),
        ("关于加强防汛工作的通知", None),
    ],
)
def test_portal_plan_end_year(title: str, year: int | None) -> None:
    assert plan_end_year(_doc(title)) == year


def test_portal_validity_from_plan_period_clause_and_repeal() -> None:
    plan = _doc("关于印发某区2022年政务公开工作要点的通知", number="某府办〔2022〕9号")
    assert validity(plan, dt.date(2022, 12, 31)) == "有效"
    assert validity(plan, dt.date(2023, 1, 1)) == "失效"
    clause = _doc("关于加强某项管理的通知", "本通知自印发之日起施行，有效期5年。")
    assert validity(clause, dt.date(2027, 2, 28)) == "有效" and validity(clause, dt.date(2027, 3, 1)) == "失效"
    until = _doc("关于某项管理的通知", "有效期至2023年6月30日。")
    assert validity(until, dt.date(2023, 7, 1)) == "失效"
    later = _doc("关于废止部分文件的决定", "现决定废止某府办〔2022〕9号文件。", date=dt.date(2022, 6, 1))
    assert validity(plan, dt.date(2022, 7, 1), [plan, later]) == "废止"
    assert validity(_doc("关于加强防汛工作的通知"), dt.date(2022, 7, 1)) is None


def test_portal_index_number_by_configured_scheme(tmp_path: Path) -> None:
    issue = build_issue()
    doc = issue.documents[1]
    assert index_number(issue, doc, PublishConfig(org="11440902MB2C123456")) == "11440902MB2C123456/2022-00002"
    cfg_file = tmp_path / "publish.toml"
    cfg_file.write_text('[index_number]\nscheme = "{org}-{year}-{serial:03d}"\norg = "ORG"\n', encoding="utf-8")
    assert index_number(issue, doc, load_config(cfg_file)) == "ORG-2022-002"
    assert load_config().org == "" and load_config().alarm_days == 3


def test_portal_fields_in_document_index(tmp_path: Path) -> None:
    issue = build_issue()
    fields = portal_fields(issue, issue.documents[1], load_config(), dt.date(2022, 11, 1))
    assert fields == {
        "index_number": "sample-2022-03/2022-00002",
        "publish_date": "2022-09-17",
        "doc_kind": "通知",
        "validity": "有效",
    }
    write_document_json(issue, tmp_path)
    index = (tmp_path / "documents" / "index.json").read_text(encoding="utf-8")
    assert '"index_number": "sample-2022-03/2022-00002"' in index and '"doc_kind": "通知"' in index
