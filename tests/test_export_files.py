"""Flat exports: CSV (BOM, formula escaping), XLSX, iCalendar deadlines, per-document JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import icalendar
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from pipeline.publish.export import (
    FORMULA_PREFIXES,
    escape_cell,
    rows_to_csv_bytes,
    safe_name,
    shorten,
    unit_slug,
    write_document_json,
    write_exports,
)
from pipeline.publish.schema import model_to_schema_text
from schemas.model import Document
from tests.fixtures_site import N_INDICATORS, N_TASKS, build_issue


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    issue = build_issue()
    write_exports(issue, out)
    write_document_json(issue, out)
    return out


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("区政府办公室", "区政府办公室"),
        ("下降 15%", "下降 15%"),
        (-5, -5),
        (None, None),
    ],
)
def test_export_escape_cell(value: str | int | None, expected: str | int | None) -> None:
    assert escape_cell(value) == expected


@given(st.text(max_size=50))
def test_export_escape_cell_never_leaves_a_formula(text: str) -> None:
    out = escape_cell(text)
    assert isinstance(out, str) and not out.startswith(FORMULA_PREFIXES)
    assert out in (text, "'" + text)


@given(st.lists(st.lists(st.text(max_size=20), min_size=1, max_size=4), max_size=5))
def test_export_csv_round_trips_with_bom(rows: list[list[str]]) -> None:
    data = rows_to_csv_bytes(rows)
    assert data.startswith(b"\xef\xbb\xbf")
    back = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert back == [[str(escape_cell(c)) for c in row] for row in rows]


def test_export_writes_expected_files(exported: Path) -> None:
    issue = build_issue()
    names = {p.relative_to(exported).as_posix() for p in exported.rglob("*") if p.is_file()}
    expected = {
        "tasks.csv",
        "indicators.csv",
        "tasks.xlsx",
        "indicators.xlsx",
        "deadlines.ics",
        "documents/doc-1.json",
        "documents/doc-2.json",
        "documents/index.json",
    }
    # only units whose tasks have dated deadlines get a calendar, named as printed
    expected |= {f"units/{u.name}.ics" for u in issue.units if any(r.deadlines for r in [*u.leads, *u.co_operates])}
    expected |= {f"tables/doc-1-表{n}.{ext}" for n in (1, 2, 3) for ext in ("csv", "xlsx")}
    expected |= {f"tables/doc-1-专栏_应急管理“十四五”规划指标表.{ext}" for ext in ("csv", "xlsx")}
    assert "units/区司法局.ics" in names
    assert names == expected  # also: no temp file left behind


def test_export_tasks_csv_reads_back_chinese(exported: Path) -> None:
    assert (exported / "tasks.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    rows = _csv(exported / "tasks.csv")
    assert len(rows) == N_TASKS
    first = rows[0]
    assert first["编号"] == "doc-2/att-1/task-1"
    assert first["牵头单位"] == "区政府办公室"
    assert first["配合单位"] == "区卫生健康局"
    assert first["截止日期"] == "2022-07-31"
    assert first["页码"] == "52" and first["PDF页码"] == "54"
    assert sum("区司法局" in (r["牵头单位"] + r["配合单位"]) for r in rows) == 5


def test_export_indicators_csv_has_parsed_targets(exported: Path) -> None:
    rows = _csv(exported / "indicators.csv")
    assert len(rows) == N_INDICATORS
    assert (rows[0]["指标名称"], rows[0]["运算符"], rows[0]["数值"], rows[0]["单位"]) == (
        "生产安全事故死亡人数",
        "下降",
        "15",
        "%",
    )
    assert (rows[5]["目标值（原文）"], rows[5]["运算符"], rows[5]["注"]) == ("<1%*", "<", "*")
    assert {r["类别"] for r in rows} == {"安全生产", "防灾减灾", "应急救援", "综合"}
    # operators as printed, never a formula-escaped "'="
    assert {r["运算符"] for r in rows} <= {"下降", "<", "≤", "≥", "＝", ">", "提高"}


def test_export_formula_text_is_escaped_in_csv_and_xlsx(tmp_path: Path) -> None:
    issue = build_issue()
    task = issue.documents[1].attachments[0].tasks[0]
    task.text = '=HYPERLINK("http://x","click")'
    task.lead_units = ["@evil"]
    write_exports(issue, tmp_path)
    row = _csv(tmp_path / "tasks.csv")[0]
    assert row["任务内容"] == "'" + task.text and row["牵头单位"] == "'@evil"
    ws = load_workbook(tmp_path / "tasks.xlsx").active
    assert ws is not None
    header = [c.value for c in ws[1]]
    values = [c.value for c in ws[2]]
    assert values[header.index("任务内容")] == "'" + task.text
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_export_xlsx_matches_csv(exported: Path) -> None:
    ws = load_workbook(exported / "indicators.xlsx").active
    assert ws is not None and ws.title == "指标"
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == N_INDICATORS + 1
    assert rows[0][:5] == ("编号", "文件编号", "序号", "类别", "指标名称")
    assert rows[11][4] == "每百平方公里雨量（气象）站数量" and rows[11][7] == 5


def _events(path: Path) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return list(cal.walk("VEVENT"))


def test_export_ics_has_one_event_per_dated_or_recurring_deadline(exported: Path) -> None:
    issue = build_issue()
    tasks = [t for d in issue.documents for a in d.attachments for t in a.tasks]
    by = sum(1 for t in tasks for d in t.deadlines if d.kind.value == "by")
    recurring = sum(1 for t in tasks for d in t.deadlines if d.kind.value == "recurring")
    periods = sum(1 for t in tasks for d in t.deadlines if d.kind.value == "period" and d.end)
    own = sum(1 for d in issue.documents for dl in d.deadlines if dl.date)
    events = _events(exported / "deadlines.ics")
    assert (by, recurring, periods, own) == (24, 7, 5, 1)
    assert len(events) == by + recurring + periods + own
    first = next(e for e in events if str(e["uid"]).startswith("doc-2/att-1/task-1/"))
    assert str(first["uid"]) == "doc-2/att-1/task-1/deadline-1@gazette-pipeline"
    assert first.decoded("dtstart") == dt.date(2022, 7, 31)
    assert first.decoded("dtend") == dt.date(2022, 8, 1)
    assert str(first["summary"]).startswith("区政府办公室: 1. 持续推进第 1 项")
    assert "示例区人民政府办公室关于印发" in str(first["description"]) and "任务 1" in str(first["description"])


def test_export_ics_recurring_is_rrule_from_period_end_to_plan_end(exported: Path) -> None:
    events = _events(exported / "deadlines.ics")
    rec = next(e for e in events if str(e["uid"]).startswith("doc-2/att-1/task-7/deadline-2"))
    # 每季度, document signed 2022-09-17: first due at the quarter's end, until the plan's year ends
    assert rec.decoded("dtstart") == dt.date(2022, 9, 30)
    rule = rec["rrule"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["INTERVAL"] == [3] and rule["BYMONTHDAY"] == [-1]
    assert rule["UNTIL"] == [dt.date(2022, 12, 31)]


def test_export_ics_every_recurring_event_ends_and_links_back(exported: Path) -> None:
    events = _events(exported / "deadlines.ics")
    recurring = [e for e in events if "rrule" in e]
    assert len(recurring) == 7
    assert all("UNTIL" in e["rrule"] or "COUNT" in e["rrule"] for e in recurring)
    task = next(e for e in events if str(e["uid"]) == "doc-2/att-1/task-1/deadline-1@gazette-pipeline")
    assert str(task["url"]) == "sample-2022-03/doc-2.html#doc-2__att-1__task-1"
    alarms = list(task.walk("VALARM"))
    assert len(alarms) == 1 and alarms[0].decoded("trigger") == -dt.timedelta(days=3)


def test_export_ics_holds_document_level_deadlines(exported: Path) -> None:
    events = _events(exported / "deadlines.ics")
    own = sorted(e.decoded("dtstart") for e in events if str(e["uid"]).startswith("doc-2/deadline-"))
    assert own == [dt.date(2022, 10, 1)]
    first = next(e for e in events if str(e["uid"]) == "doc-2/deadline-1@gazette-pipeline")
    assert str(first["url"]) == "sample-2022-03/doc-2.html"


def test_export_ics_is_stable_across_runs(tmp_path: Path) -> None:
    write_exports(build_issue(), tmp_path / "a")
    write_exports(build_issue(), tmp_path / "b")
    assert (tmp_path / "a" / "deadlines.ics").read_bytes() == (tmp_path / "b" / "deadlines.ics").read_bytes()
    assert (tmp_path / "a" / "tasks.csv").read_bytes() == (tmp_path / "b" / "tasks.csv").read_bytes()


def test_export_unit_calendar_lists_only_its_tasks(exported: Path) -> None:
    events = _events(exported / "units" / "区司法局.ics")
    assert events and all(str(e["summary"]).startswith("区司法局: ") for e in events)
    issue = build_issue()
    unit = next(u for u in issue.units if u.name == "区司法局")
    task_ids = {r.task_id for r in [*unit.leads, *unit.co_operates]}
    assert {str(e["uid"]).split("/deadline-")[0] for e in events} <= task_ids


def test_export_document_json_validates_against_schema(exported: Path) -> None:
    schema = json.loads(model_to_schema_text(Document))
    for n in (1, 2):
        data = json.loads((exported / "documents" / f"doc-{n}.json").read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
        assert Document.model_validate(data) == build_issue().documents[n - 1]


def test_export_document_index_has_disclosure_metadata(exported: Path) -> None:
    index = json.loads((exported / "documents" / "index.json").read_text(encoding="utf-8"))
    doc = index["documents"][1]
    assert doc["doc_number"] == "示例府办函〔2022〕68号"
    assert (doc["issuer"], doc["date"], doc["disclosure"]) == ("示例区人民政府办公室", "2022-09-17", "主动公开")
    assert doc["keywords"] == ["政务公开", "工作要点"] and doc["topic"] == "综合政务/政务公开"
    assert doc["file"] == "doc-2.json"


@pytest.mark.parametrize(
    ("ident", "expected"),
    [("doc-1", "doc-1"), ("doc-2/att-1", "doc-2-att-1-"), ("../etc", "etc-"), ("", "id-"), ("文件", "id-")],
)
def test_export_safe_name(ident: str, expected: str) -> None:
    assert safe_name(ident).startswith(expected)


@given(st.text(max_size=200))
def test_export_safe_name_is_always_safe(ident: str) -> None:
    name = safe_name(ident)
    assert name and not name.startswith(".") and all(c.isascii() and (c.isalnum() or c in "._-") for c in name)


def test_export_unit_slug_is_stable_and_distinct() -> None:
    assert unit_slug("区司法局") == unit_slug("区司法局")
    assert unit_slug("区司法局") != unit_slug("区教育局")
    assert len(unit_slug("x" * 1000)) == 12


def test_export_shorten() -> None:
    assert shorten("短文本") == "短文本"
    assert shorten("一" * 50, 10) == "一" * 9 + "…"
