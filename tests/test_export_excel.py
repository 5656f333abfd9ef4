"""Exports as Excel and calendar users expect: date cells, widths, wrap, filter, operators (readable names: test_names_safe)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from openpyxl import load_workbook

from pipeline.i18n import set_lang
from pipeline.publish.export import (
    ical_text,
    issue_to_task_table,
    period_end,
    write_exports,
)
from schemas.model import Recurrence, TargetOp
from tests.fixtures_site import build_issue


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("excel")
    write_exports(build_issue(), out)
    return out


def test_export_xlsx_deadline_column_is_a_date(exported: Path) -> None:
    ws = load_workbook(exported / "tasks.xlsx").active
    assert ws is not None and ws.title == "任务"
    header = [c.value for c in ws[1]]
    col = header.index("截止日期") + 1
    cell = ws.cell(row=2, column=col)
    assert cell.is_date and cell.value == dt.datetime(2022, 7, 31) and cell.number_format == "yyyy-mm-dd"


def test_export_xlsx_has_filter_frozen_header_widths_and_wrap(exported: Path) -> None:
    ws = load_workbook(exported / "tasks.xlsx").active
    assert ws is not None
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:N{ws.max_row}"
    header = [c.value for c in ws[1]]
    text_col = chr(ord("A") + header.index("任务内容"))
    assert ws.column_dimensions[text_col].width == 60
    assert ws[f"{text_col}2"].alignment.wrap_text is True
    assert all(c.font.bold for c in ws[1])


def test_export_xlsx_two_value_target_is_two_values(tmp_path: Path) -> None:
    issue = build_issue()
    ind = issue.documents[0].attachments[0].indicators[0]
    ind.target = ind.target.model_copy(
        update={"raw": "1.0级/2.5级", "op": TargetOp.EQ, "value": 1.0, "value2": 2.5, "unit": "级"}
    )
    write_exports(issue, tmp_path)
    ws = load_workbook(tmp_path / "indicators.xlsx").active
    assert ws is not None
    header = [c.value for c in ws[1]]
    row = [c.value for c in ws[2]]
    got = {k: row[header.index(k)] for k in ("目标值（原文）", "运算符", "数值", "数值2", "单位")}
    assert got == {"目标值（原文）": "1.0级/2.5级", "运算符": "＝", "数值": 1, "数值2": 2.5, "单位": "级"}


def test_export_headers_follow_the_language() -> None:
    assert issue_to_task_table(build_issue())[0][8:10] == ["牵头单位", "配合单位"]
    set_lang("en")
    assert issue_to_task_table(build_issue())[0][8:10] == ["lead units", "co-operating units"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\u2028b", "a\nb"),
        ("a\u2029b\u0085c", "a\nb\nc"),
        ("a\x00b\x1bc", "a\ufffdb\ufffdc"),
        ("a\tb\r\nc", "a b\nc"),
        ("普通文字", "普通文字"),
    ],
)
def test_export_ical_text_escapes_separators(text: str, expected: str) -> None:
    assert ical_text(text) == expected


def test_export_ics_survives_line_separators_in_task_text(tmp_path: Path) -> None:
    issue = build_issue()
    task = issue.documents[1].attachments[0].tasks[0]
    task.text = "第一行\u2028第二行\u0085第三行\x07"
    write_exports(issue, tmp_path)
    raw = (tmp_path / "deadlines.ics").read_bytes()
    assert "\u2028".encode() not in raw and "\u0085".encode() not in raw and b"\x07" not in raw
    cal = icalendar.Calendar.from_ical(raw)
    ev = next(e for e in cal.walk("VEVENT") if str(e["uid"]).startswith("doc-2/att-1/task-1/"))
    assert "第一行\n第二行\n第三行" in str(ev["description"])


@pytest.mark.parametrize(
    ("day", "rec", "expected"),
    [
        (dt.date(2022, 9, 17), Recurrence.YEARLY, dt.date(2022, 12, 31)),
        (dt.date(2022, 9, 17), Recurrence.HALF_YEARLY, dt.date(2022, 12, 31)),
        (dt.date(2022, 2, 1), Recurrence.HALF_YEARLY, dt.date(2022, 6, 30)),
        (dt.date(2022, 9, 17), Recurrence.QUARTERLY, dt.date(2022, 9, 30)),
        (dt.date(2024, 2, 3), Recurrence.MONTHLY, dt.date(2024, 2, 29)),
        (dt.date(2022, 12, 5), Recurrence.MONTHLY, dt.date(2022, 12, 31)),
        (dt.date(2022, 9, 14), Recurrence.WEEKLY, dt.date(2022, 9, 18)),
    ],
)
def test_export_period_end(day: dt.date, rec: Recurrence, expected: dt.date) -> None:
    assert period_end(day, rec) == expected
