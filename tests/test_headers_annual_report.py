"""The development annual report (national template, WPS, ruled): its 4 tables against hand-checked truth.

Truth: ``tests/data/huaian-hongze-xxgk-annual-report-2024.tables.json``, written from renderings of the PDF's
pages 2–4 and checked by eye. Body text on a white paragraph background must not be read as a ruled table.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schemas.model import RunResult, Table, TableKind, TablePart

DATA = Path(__file__).resolve().parent / "data"
PDF = DATA / "huaian-hongze-xxgk-annual-report-2024.pdf"
TRUTH: dict[str, Any] = json.loads((DATA / "huaian-hongze-xxgk-annual-report-2024.tables.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def result() -> RunResult:
    from pipeline.run import parse_file

    return parse_file(PDF)


@pytest.fixture(scope="module")
def tables(result: RunResult) -> list[Table]:
    assert result.issue is not None
    return [t for d in result.issue.documents for t in d.tables]


def test_headers_annual_report_finds_exactly_the_four_tables(tables: list[Table]) -> None:
    assert [t.pages for t in tables] == [t["pages"] for t in TRUTH["tables"]]
    assert [t.caption for t in tables] == [t["caption"] for t in TRUTH["tables"]]


def test_headers_annual_report_no_prose_paragraph_in_a_table(tables: list[Table]) -> None:
    texts = [c.text for t in tables for c in t.cells]
    assert all(len(x) <= 60 for x in texts), max(texts, key=len)
    assert not any("政府信息管理情况" in x or "公开平台建设情况" in x for x in texts)


@pytest.mark.parametrize("k", range(4))
def test_headers_annual_report_column_paths(tables: list[Table], k: int) -> None:
    assert ["/".join(p) for p in tables[k].column_paths] == TRUTH["tables"][k]["column_paths"]


def test_headers_annual_report_row_paths_and_numbers(tables: list[Table]) -> None:
    table, truth = tables[2], TRUTH["tables"][2]
    assert ["/".join(p) for p in table.row_paths] == truth["row_paths"]
    assert [row[3:] for row in table.rows] == truth["rows"]
    assert tables[3].rows == TRUTH["tables"][3]["rows"]


@pytest.mark.parametrize("k", [0, 1])
def test_headers_annual_report_item_tables_rows(tables: list[Table], k: int) -> None:
    table = tables[k]
    body = sorted((c for c in table.cells if c.part == TablePart.BODY), key=lambda c: (c.row, c.col))
    got = [[c.text for c in body if c.row == r and c.text] for r in range(len(table.rows))]
    assert got == TRUTH["tables"][k]["rows"]


def test_headers_annual_report_check_note_attached_not_header(tables: list[Table]) -> None:
    table = tables[2]
    assert table.notes == TRUTH["tables"][2]["notes"]
    note = [c for c in table.cells if c.part == TablePart.NOTE]
    assert [(c.row, c.col, c.rowspan, c.colspan) for c in note] == [(0, 0, 3, 3)]
    assert all("勾稽" not in h for row in table.header for h in row)
    assert all("勾稽" not in x for p in table.column_paths for x in p)


def test_headers_annual_report_tables_classified_once_as_template(tables: list[Table]) -> None:
    assert [t.kind for t in tables] == [TableKind.ANNUAL_REPORT] * 4
