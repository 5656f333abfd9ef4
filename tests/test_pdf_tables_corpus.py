"""pdf_tables on the real corpus PDF (62 pages): where tables are, and what their grids hold."""

from __future__ import annotations

import functools
import time
from pathlib import Path

import pdfplumber
import pytest

from pipeline.tables.pdf_grids import page_to_raw_tables
from pipeline.types import RawTable, RawTableStyle

PDF = Path(__file__).resolve().parent.parent / "corpus" / "maonan-2022-03.pdf"
TABLE_PAGES = [12, 13, 14, 23, 24, 47, 48, 49, 50, *range(54, 63)]  # 1-based


# pages with decorative rules only (red separators under 发文机关标志, running header rules) and neighbours
OTHER_PAGES = [1, 3, 22, 51]


@functools.cache
def corpus_tables() -> dict[int, list[RawTable]]:
    """1-based PDF page → its tables, for the table pages and a few others (parsed once per process)."""
    with pdfplumber.open(PDF) as pdf:
        return {p: page_to_raw_tables(pdf.pages[p - 1], p - 1) for p in sorted(TABLE_PAGES + OTHER_PAGES)}


@pytest.fixture(scope="module")
def all_tables() -> dict[int, list[RawTable]]:
    return corpus_tables()


def grid_texts(t: RawTable) -> list[list[str]]:
    out = [[""] * t.n_cols for _ in range(t.n_rows)]
    for c in t.cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                out[r][k] = c.text
    return out


def test_pdf_tables_found_only_on_table_pages(all_tables: dict[int, list[RawTable]]) -> None:
    assert sorted(p for p, ts in all_tables.items() if ts) == TABLE_PAGES
    assert all(len(all_tables[p]) == 1 for p in TABLE_PAGES)
    assert all(t.style == RawTableStyle.RULED for p in TABLE_PAGES for t in all_tables[p])


@pytest.mark.slow
def test_pdf_tables_whole_corpus_scan() -> None:
    """Every page once: tables exactly on the table pages, and the table stage itself is cheap."""
    with pdfplumber.open(PDF) as pdf:
        for p in pdf.pages:
            _ = p.chars, p.edges  # parse the page first: the loader does this anyway
        start = time.perf_counter()
        found = {i + 1: page_to_raw_tables(p, i) for i, p in enumerate(pdf.pages)}
        elapsed = time.perf_counter() - start
    assert sorted(p for p, ts in found.items() if ts) == TABLE_PAGES
    assert elapsed < 10.0


@pytest.mark.parametrize(
    ("page", "rows"),
    [
        (
            12,
            [
                ["", "2016", "2017", "2018", "2019", "2020"],
                ["检查企业（家次）", "88", "103", "89", "106", "132"],
                ["发现隐患（处）", "205", "358", "379", "375", "424"],
                ["落实整改（处）", "205", "337", "357", "375", "424"],
            ],
        ),
        (
            13,
            [
                ["", "2016", "2017", "2018", "2019", "2020"],
                ["检查公司 (家)", "3", "3", "4", "4", "4"],
                ["零售点 (个)", "105", "142", "157", "152", "232"],
                ["发现隐患 (处)", "---", "178", "201", "103", "78"],
                ["落实整改 (处)", "---", "178", "201", "103", "78"],
            ],
        ),
        (
            14,
            [
                ["", "2016", "2017", "2018", "2019", "2020"],
                ["检查企业（家次）", "82", "131", "106", "85", "103"],
                ["整改令", "14", "46", "40", "33", "95"],
                ["责令整改", "26", "321", "214", "145", "474"],
                ["落实整改（处）", "26", "321", "214", "145", "474"],
            ],
        ),
    ],
)
def test_pdf_tables_statistics_grids(all_tables: dict[int, list[RawTable]], page: int, rows: list[list[str]]) -> None:
    t = all_tables[page][0]
    assert t.page_index == page - 1
    assert grid_texts(t) == rows
    assert len(t.row_tops) == t.n_rows and len(t.col_x) == t.n_cols + 1


def test_pdf_tables_indicator_fragments(all_tables: dict[int, list[RawTable]]) -> None:
    first, second = all_tables[23][0], all_tables[24][0]
    assert (first.n_rows, first.n_cols, second.n_rows, second.n_cols) == (24, 5, 5, 5)
    g1, g2 = grid_texts(first), grid_texts(second)
    assert g1[0][0].startswith("专栏") and g1[0][0].endswith("指标表")
    caption = next(c for c in first.cells if c.row == 0)
    assert caption.colspan == 5
    assert g1[1] == ["序号", "类别", "指标", "指标值", "指标属性"]
    assert [r[0] for r in g1[2:]] == [str(n) for n in range(1, 23)]
    assert [r[0] for r in g2] == [str(n) for n in range(23, 28)]
    assert g1[3][2] == "亿元地区生产总值生产安全事故死亡率"  # wrapped over two printed lines
    assert g1[3][3] == "下降 33%"
    spans = {c.text: (c.row, c.rowspan) for c in first.cells if c.col == 1 and c.row >= 2}
    assert spans == {"安全生产": (2, 5), "防灾减灾": (7, 12), "应急救援": (19, 5)}
    top = next(c for c in second.cells if c.row == 0 and c.col == 1)
    assert (top.text, top.rowspan) == ("", 3)  # 应急救援 continues at the top of page 24
    assert second.col_x == pytest.approx(first.col_x, abs=0.5)


def test_pdf_tables_requirements_keep_paragraphs(all_tables: dict[int, list[RawTable]]) -> None:
    """A cell holding several numbered paragraphs keeps a "\\n" before each number."""
    t = all_tables[62][0]
    cell = next(c for c in t.cells if "47." in c.text)
    paragraphs = cell.text.split("\n")
    assert [p.split(".")[0] for p in paragraphs if p[:2].isdigit()] == ["47", "48", "49", "50", "51", "52", "53", "54"]


def test_pdf_tables_list_table_page_break(all_tables: dict[int, list[RawTable]]) -> None:
    g48, g49 = grid_texts(all_tables[48][0]), grid_texts(all_tables[49][0])
    assert g48[-1][:2] == ["7", "渔业船舶"] and g48[-1][2].endswith("按要求配备")
    assert g49[0][:2] == ["", ""] and g49[0][2].startswith("齐全消防、救生设备；对船员")
