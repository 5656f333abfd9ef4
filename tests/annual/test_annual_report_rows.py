"""Reading a printed row (label + trailing numbers) from a line of any input, and numbers as printed; the
template's layout for CSV / XLSX of one report."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from pipeline.publish.annual import report_to_rows, rows_to_csv, rows_to_xlsx
from pipeline.run import text_to_issue
from pipeline.structure.annual_report import line_to_row, parse_number
from pipeline.types import Line
from tests.annual import models as M
from tests.annual.render import model_to_text

LABELS = st.text(alphabet="属于国家秘密其他法律行政法规禁止公开（）“”申请", min_size=1, max_size=20)
NUMBERS = st.lists(st.integers(min_value=0, max_value=99999), min_size=1, max_size=15)


@given(LABELS, NUMBERS, st.sampled_from(["space", "tab", "markdown"]))
def test_annual_report_rows_label_and_numbers_from_any_line(label: str, numbers: list[int], sep: str) -> None:
    cells = [label, *map(str, numbers)]
    text = {"space": " ".join(cells), "tab": "\t".join(cells), "markdown": "| " + " | ".join(cells) + " |"}[sep]
    row = line_to_row(Line(text=text, page_index=0, line_no=7))
    assert row.label == label
    assert [parse_number(n) for n in row.numbers] == [float(n) for n in numbers]
    assert row.line_no == 7


def test_annual_report_rows_numbers_as_printed() -> None:
    assert parse_number("1,234") == 1234.0
    assert parse_number("７５４５") == 7545.0
    assert parse_number("12.5") == 12.5
    assert parse_number("7545万元") == 7545.0 and parse_number("3件") == 3.0
    assert parse_number("2024年") is None
    assert parse_number("／") is None and parse_number("—") is None
    row = line_to_row(Line(text="3.危及“三安全一稳定” 1 — 0 ／ 0 0 1", page_index=0))
    assert row.label == "3.危及“三安全一稳定”" and row.numbers == ["1", "—", "0", "／", "0", "0", "1"]


def test_annual_report_rows_csv_and_xlsx_in_the_template_layout(tmp_path: Path) -> None:
    issue = text_to_issue(model_to_text(M.bureau_2024()), "bureau-2024")
    report = issue.documents[0].annual_report
    assert report is not None
    rows = report_to_rows(report)
    heads = [r for r in rows if r[0] == "表"]
    assert len(heads) == 6 and len(rows) == 6 + 2 + 1 + 2 + 1 + 23 + 1
    assert heads[4] == ["表", "行", *M.APPLY_COLS]
    apply_rows = [r for r in rows if r[0] == "收到和处理政府信息公开申请情况"]
    assert [r[1] for r in apply_rows] == M.APPLY_ROWS
    assert apply_rows[0][2:] == [int(v) for v in M.bureau_2024().apply["本年新收"]]
    path = rows_to_csv(rows, tmp_path / "r.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    back = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert back[1] == ["第二十条第（一）项", "规章", "0", "0", "0"]
    ws = load_workbook(rows_to_xlsx(rows, tmp_path / "r.xlsx")).active
    assert ws is not None and ws.max_row == len(rows)
    assert [c.value for c in ws[ws.max_row]][:3] == ["政府信息公开行政复议、行政诉讼情况", "件数", 5]
