"""pdf_tables on small PDFs drawn with reportlab: ruled and three-line tables, decorative rules."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from pipeline.tables.pdf_grids import in_bboxes, lines_to_cell_text, page_to_raw_tables
from pipeline.types import Line, RawTable, RawTableStyle

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
W, H = A4
COLS = [80.0, 130.0, 200.0, 440.0, 515.0]
ROW_H = 24.0
HEADER = ["序号", "类别", "任务", "完成率"]
# page 1: rows 1 and 2 (row 2 is split by the page break); 类别 "安全" is merged over rows 1–3
PAGE1 = [["1", "安全", "完成隐患排查。", "95%"], ["2", "", "开展应急演练，", "100%"]]
PAGE2 = [
    ["", "", "覆盖全部街道。", ""],
    ["3", "", "修订应急预案。", "90%"],
    ["4", "减灾", "建设避难场所。", "80%"],
    ["5", "", "更新物资储备。", "85%"],
]
# (page, first row, last row) of the merged 类别 cells, rows counted in the page's drawn rows
MERGED1 = [(1, 2)]  # page 1 (with header row 0): rows 1..2
EXPECTED_ROWS = [
    ["1", "安全", "完成隐患排查。", "95%"],
    ["2", "安全", "开展应急演练，覆盖全部街道。", "100%"],
    ["3", "安全", "修订应急预案。", "90%"],
    ["4", "减灾", "建设避难场所。", "80%"],
    ["5", "减灾", "更新物资储备。", "85%"],
]


def _running_header(c: canvas.Canvas) -> None:
    c.setStrokeColorRGB(0, 0, 0)
    c.setLineWidth(0.75)
    c.line(79, H - 78, 522, H - 78)
    c.setFont(FONT, 9)
    c.drawString(80, H - 72, "某某市人民政府公报")


def _text_row(c: canvas.Canvas, top: float, cells: list[str]) -> None:
    c.setFont(FONT, 11)
    for k, text in enumerate(cells):
        if text:
            c.drawString(COLS[k] + 4, H - (top + 16), text)


def _ruled(c: canvas.Canvas, top: float, rows: list[list[str]], merged: list[tuple[int, int]]) -> None:
    """Draw a ruled grid; ``merged``: (first, last) row ranges of a merged cell in column 1."""
    c.setLineWidth(0.5)
    n = len(rows)
    for r in range(n + 1):
        y = H - (top + r * ROW_H)
        inside = any(a < r <= b for a, b in merged)
        if inside:
            c.line(COLS[0], y, COLS[1], y)
            c.line(COLS[2], y, COLS[-1], y)
        else:
            c.line(COLS[0], y, COLS[-1], y)
    for x in COLS:
        c.line(x, H - top, x, H - (top + n * ROW_H))
    for r, row in enumerate(rows):
        _text_row(c, top + r * ROW_H, row)


def _three_line(c: canvas.Canvas, top: float, rows: list[list[str]], header: bool) -> None:
    c.setLineWidth(1.0)
    n = len(rows)
    c.line(COLS[0], H - top, COLS[-1], H - top)
    if header:
        c.setLineWidth(0.5)
        c.line(COLS[0], H - (top + ROW_H), COLS[-1], H - (top + ROW_H))
        c.setLineWidth(1.0)
    c.line(COLS[0], H - (top + n * ROW_H), COLS[-1], H - (top + n * ROW_H))
    for r, row in enumerate(rows):
        _text_row(c, top + r * ROW_H, row)


def _closing_block(c: canvas.Canvas, top: float) -> None:
    """The 抄送/印发 block at a document's end: three full-width rules around two lines."""
    c.setLineWidth(0.75)
    for k in range(3):
        c.line(79, H - (top + k * 28), 522, H - (top + k * 28))
    c.setFont(FONT, 12)
    c.drawString(90, H - (top + 19), "抄送：区委各部门，区人大办，区政协办。")
    c.drawString(90, H - (top + 47), "某某区人民政府办公室")
    c.drawString(380, H - (top + 47), "2022年3月10日印发")


def make_pdf(
    path: Path,
    style: str,
    repeat_header: bool,
    rows: tuple[list[str], list[list[str]], list[list[str]]] = (HEADER, PAGE1, PAGE2),
    merged2: list[tuple[int, int]] | None = None,
) -> Path:
    """A two-page document whose table (4 columns) breaks after row 2, in the middle of row 2's text.

    ``rows``: the header and the body rows drawn on each page; ``merged2``: the (first, last) body rows of
    page 2 whose column-1 cells are merged (ruled style; default: rows 0–1 and 2–3)."""
    header, page1, page2 = rows
    c = canvas.Canvas(str(path), pagesize=A4)
    # page 1: a red double separator under the issuing-organ mark, some text, then the table
    c.setStrokeColorRGB(1, 0, 0)
    c.setLineWidth(3)
    c.line(79, H - 324, 522, H - 324)
    c.setLineWidth(0.75)
    c.line(79, H - 327, 522, H - 327)
    c.setStrokeColorRGB(0, 0, 0)
    _running_header(c)
    c.setFont(FONT, 16)
    c.drawString(200, H - 300, "某某区人民政府文件")
    c.setFont(FONT, 12)
    c.drawString(80, H - 420, "一、工作任务完成情况如下表。")
    rows1 = [header, *page1]
    if style == "ruled":
        _ruled(c, 600, rows1, [(1, 2)])
    else:
        _three_line(c, 600, rows1, header=True)
    c.showPage()
    # page 2: the rest of the table, then the closing block
    _running_header(c)
    rows2 = [header, *page2] if repeat_header else list(page2)
    off = 1 if repeat_header else 0
    if style == "ruled":
        merged = merged2 if merged2 is not None else [(0, 1), (2, 3)]
        _ruled(c, 100, rows2, [(off + a, off + b) for a, b in merged])
    else:
        _three_line(c, 100, rows2, header=repeat_header)
    c.setFont(FONT, 12)
    c.drawString(80, H - 300, "二、下一步工作安排。")
    _closing_block(c, 700)
    c.showPage()
    c.save()
    return path


def tables_of(path: Path) -> list[list[RawTable]]:
    with pdfplumber.open(path) as pdf:
        return [page_to_raw_tables(p, i) for i, p in enumerate(pdf.pages)]


def texts(t: RawTable) -> list[list[str]]:
    out = [[""] * t.n_cols for _ in range(t.n_rows)]
    for c in t.cells:
        out[c.row][c.col] = c.text
    return out


@pytest.mark.parametrize("repeat", [True, False])
def test_pdf_tables_ruled_grid_with_merged_cells(tmp_path: Path, repeat: bool) -> None:
    pages = tables_of(make_pdf(tmp_path / "ruled.pdf", "ruled", repeat))
    assert [len(p) for p in pages] == [1, 1]  # decorative rules and the 抄送/印发 block are not tables
    t1, t2 = pages[0][0], pages[1][0]
    assert t1.style == RawTableStyle.RULED
    assert (t1.n_rows, t1.n_cols) == (3, 4)
    assert texts(t1) == [HEADER, ["1", "安全", "完成隐患排查。", "95%"], ["2", "", "开展应急演练，", "100%"]]
    merged = next(c for c in t1.cells if c.text == "安全")
    assert (merged.row, merged.col, merged.rowspan, merged.colspan) == (1, 1, 2, 1)
    assert len(t1.row_tops) == 3 and len(t1.col_x) == 5
    assert t1.col_x[0] == pytest.approx(80, abs=1) and t1.col_x[-1] == pytest.approx(515, abs=1)
    assert t1.bbox is not None and t1.bbox[1] == pytest.approx(600, abs=1)
    # every grid position is covered exactly once
    covered = sorted(
        (r, c) for x in t2.cells for r in range(x.row, x.row + x.rowspan) for c in range(x.col, x.col + x.colspan)
    )
    assert covered == [(r, c) for r in range(t2.n_rows) for c in range(t2.n_cols)]
    assert t2.n_rows == (5 if repeat else 4)
    spans = sorted(c.rowspan for c in t2.cells if c.col == 1)
    assert spans == ([1, 2, 2] if repeat else [2, 2])


@pytest.mark.parametrize("repeat", [True, False])
def test_pdf_tables_three_line_found(tmp_path: Path, repeat: bool) -> None:
    pages = tables_of(make_pdf(tmp_path / "three.pdf", "three-line", repeat))
    assert [len(p) for p in pages] == [1, 1]
    t1, t2 = pages[0][0], pages[1][0]
    assert t1.style == t2.style == RawTableStyle.THREE_LINE
    assert texts(t1) == [HEADER, ["1", "安全", "完成隐患排查。", "95%"], ["2", "", "开展应急演练，", "100%"]]
    assert texts(t2) == ([HEADER] if repeat else []) + PAGE2
    assert t1.n_cols == 4 and len(t1.col_x) == 5


def test_pdf_tables_decorative_rules_are_not_tables(tmp_path: Path) -> None:
    path = tmp_path / "deco.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    _running_header(c)
    c.setStrokeColorRGB(1, 0, 0)
    c.setLineWidth(3)
    c.line(79, H - 324, 522, H - 324)
    c.setStrokeColorRGB(0, 0, 0)
    c.setFont(FONT, 12)
    for k in range(10):
        c.drawString(80, H - (360 + 18 * k), "这是正文第一段的内容，没有表格，只有很长的一行文字用于测试。")
    c.line(79, H - 600, 522, H - 600)  # a lone rule
    c.line(79, H - 620, 522, H - 620)
    c.line(79, H - 622, 522, H - 622)  # a double rule with nothing between
    _closing_block(c, 700)
    c.showPage()
    c.save()
    assert tables_of(path) == [[]]


def test_pdf_tables_bboxes_cover_cell_text(tmp_path: Path) -> None:
    pages = tables_of(make_pdf(tmp_path / "ruled.pdf", "ruled", False))
    boxes = [t.bbox for t in pages[0] if t.bbox is not None]
    assert len(boxes) == 1
    for cell in pages[0][0].cells:
        for ln in cell.lines:
            assert ln.bbox is not None
            assert in_bboxes((ln.bbox[0] + ln.bbox[2]) / 2, (ln.bbox[1] + ln.bbox[3]) / 2, boxes)
    assert not in_bboxes(100, 420, boxes)  # the paragraph above the table


def _line(text: str, x1: float = 500.0) -> Line:
    return Line(text=text, page_index=0, bbox=(100.0, 0.0, x1, 12.0), size=12.0)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([_line("亿元地区生产总值生产安全事故死亡"), _line("率", 112)], "亿元地区生产总值生产安全事故死亡率"),
        ([_line("1. 加快推进建设。", 300), _line("2. 持续推动更新。", 300)], "1. 加快推进建设。\n2. 持续推动更新。"),
        ([_line("工作完成。", 160), _line("下一段开始", 200)], "工作完成。\n下一段开始"),
        ([_line("句子恰好在行尾结束。"), _line("同一段继续")], "句子恰好在行尾结束。同一段继续"),
        ([_line("（一）深化规范性文件"), _line("（二）持续推进")], "（一）深化规范性文件\n（二）持续推进"),
        ([_line("支持互联网协议第 6"), _line("版。")], "支持互联网协议第 6版。"),
        ([_line("Internet Protocol version"), _line("6 support")], "Internet Protocol version 6 support"),
        ([_line("1.0 级/2.5"), _line("级")], "1.0 级/2.5级"),
        ([], ""),
    ],
)
def test_pdf_tables_cell_lines_joined(lines: list[Line], expected: str) -> None:
    assert lines_to_cell_text(lines, 510.0) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=8))
def test_pdf_tables_cell_text_never_raises(texts_: list[str]) -> None:
    out = lines_to_cell_text([_line(t) for t in texts_], 510.0)
    assert out.replace("\n", "").replace(" ", "") == "".join(t.strip() for t in texts_).replace(" ", "").replace(
        "\n", ""
    )


def test_pdf_tables_adversarial_line_is_fast() -> None:
    text = "1" * 50_000 + "（" * 50_000
    start = time.process_time()
    lines_to_cell_text([_line(text), _line(text)], 510.0)
    assert time.process_time() - start < 1.0


def test_pdf_tables_three_line_wrapped_cell(tmp_path: Path) -> None:
    """A continuation line with text in only some columns belongs to the row above."""
    path = tmp_path / "wrapped.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    _three_line(
        c,
        200,
        [
            HEADER,
            ["1", "安全", "完成隐患排查，", "95%"],
            ["", "", "并建立台账。", ""],
            ["2", "减灾", "建设避难场所。", "80%"],
        ],
        header=True,
    )
    c.showPage()
    c.save()
    (t,) = tables_of(path)[0]
    assert texts(t) == [
        HEADER,
        ["1", "安全", "完成隐患排查，并建立台账。", "95%"],
        ["2", "减灾", "建设避难场所。", "80%"],
    ]
    assert t.bbox is not None and t.bbox[1] == pytest.approx(200, abs=1) and t.bbox[3] == pytest.approx(296, abs=1)


class FakePage:
    """Just what page_to_raw_tables reads from a pdfplumber page (horizontal rules only: no table finder)."""

    def __init__(self, chars: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
        self.chars, self.edges, self.width, self.height = chars, edges, W, H

    def find_tables(self, settings: dict[str, Any]) -> list[Any]:
        return []


_char = st.builds(
    lambda t, x, top, size: {"text": t, "x0": x, "x1": x + size, "top": top, "bottom": top + size, "size": size},
    st.sampled_from(list("序号1 2。甲乙（一）抄送印发%")),
    st.floats(60, 540),
    st.floats(80, 760),
    st.sampled_from([10.0, 12.0]),
)
_rule = st.builds(
    lambda x0, top: {
        "orientation": "h",
        "x0": x0,
        "x1": x0 + 440,
        "top": top,
        "bottom": top,
        "stroking_color": (0, 0, 0),
    },
    st.sampled_from([79.0, 80.0, 120.0]),
    st.floats(70, 780),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_char, max_size=120), st.lists(_rule, max_size=6))
def test_pdf_tables_random_pages_never_raise(chars: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
    for t in page_to_raw_tables(FakePage(chars, edges), 0):
        covered = sorted((x.row, x.col) for x in t.cells for _ in range(x.rowspan * x.colspan))
        assert covered == [(r, c) for r in range(t.n_rows) for c in range(t.n_cols)]
        assert len(t.col_x) == t.n_cols + 1 and len(t.row_tops) == t.n_rows
