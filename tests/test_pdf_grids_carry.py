"""A table continued on the next page (``pipeline.tables.pdf_grids.Carry``): the columns left open at the bottom of a
page read the rows at the top of the next one, even when they fill too few columns to show gutters of their own;
a repeat of the header there is a row of its own; prose at the top of the page is never read as those rows."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.tables.pdf_grids import Carry, carry_after, page_to_raw_tables
from pipeline.types import RawCell, RawTable, RawTableStyle

SIZE = 10.0
PITCH = 14.0
W, H = 595.0, 842.0
CJK = "政务公开工作要点分工方案区直和市驻区各单位持续推进基层标准化规范化建设严格落实责任"
COL_X = [70.0, 150.0, 250.0, 410.0, 525.0]  # 工作要求 | 具体任务 | 具体要求 | 牵头单位
STARTS: list[float | None] = [75.0, 155.0, 255.0, 415.0]
HEADER = ["工作要求", "具体任务", "具体要求", "牵头单位"]


class FakePage:
    """What ``page_to_raw_tables`` reads of a pdfplumber page: characters, no rule, no ruled table."""

    def __init__(self, chars: list[dict[str, Any]]) -> None:
        self.chars, self.edges, self.width, self.height = chars, [], W, H

    def find_tables(self, settings: dict[str, Any]) -> list[Any]:
        return []


def _chars(lines: list[tuple[float, list[tuple[float, str]]]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for top, cells in lines:
        for x0, text in cells:
            for k, ch in enumerate(text):
                x = x0 + k * SIZE
                out.append({"text": ch, "x0": x, "x1": x + SIZE, "top": top, "bottom": top + SIZE, "size": SIZE})
    return out


def _carry() -> Carry:
    return Carry(list(COL_X), list(STARTS), Counter("".join(HEADER)))


def test_pdf_grids_carried_columns_read_a_page_of_two_bands() -> None:
    # the rows of the page print in two bands only (a cell over 具体任务 + 具体要求, then 牵头单位): no gutters
    # of their own, but the columns of the page before
    lines = [
        (60.0, [(155.0, CJK[:24]), (415.0, "各镇街道")]),
        (60.0 + PITCH, [(155.0, CJK[3:27]), (415.0, "区直单位")]),
        (60.0 + 2 * PITCH, [(155.0, CJK[5:10])]),
        (60.0 + 4 * PITCH, [(155.0, CJK[8:32]), (415.0, "区司法局")]),
        (60.0 + 5 * PITCH, [(155.0, CJK[9:15])]),
    ]
    page = FakePage(_chars(lines))
    assert page_to_raw_tables(page, 1) == []  # alone, two bands are no table
    (frag,) = page_to_raw_tables(page, 1, _carry())
    assert (frag.n_cols, frag.col_x, frag.open_top, frag.open_bottom) == (4, COL_X, True, True)
    spans = sorted((c.row, c.col, c.colspan, c.text) for c in frag.cells if c.text)
    assert spans == [
        (0, 1, 2, CJK[:24] + CJK[3:27] + CJK[5:10]),
        (0, 3, 1, "各镇街道区直单位"),
        (1, 1, 2, CJK[8:32] + CJK[9:15]),
        (1, 3, 1, "区司法局"),
    ]


def test_pdf_grids_carried_columns_stop_at_prose() -> None:
    # the last line of a cell cut by the page break, then the document goes on: an indented paragraph
    lines = [
        (60.0, [(155.0, CJK[:20])]),
        (60.0 + PITCH, [(155.0, CJK[2:8])]),
        (60.0 + 3 * PITCH, [(90.0, CJK[:43])]),
        (60.0 + 4 * PITCH, [(70.0, CJK[:45])]),
    ]
    (frag,) = page_to_raw_tables(FakePage(_chars(lines)), 1, _carry())
    assert (frag.n_rows, frag.open_bottom) == (2, False)  # lines one pitch apart: stitching joins the texts
    assert [(c.row, c.col, c.colspan, c.text) for c in frag.cells if c.text] == [
        (0, 1, 2, CJK[:20]),
        (1, 1, 1, CJK[2:8]),
    ]


def test_pdf_grids_repeated_header_is_a_row_of_its_own() -> None:
    # rows all one line apart: without the header's evidence the cut cell's end would join the header row
    lines = [
        (60.0, [(75.0, "工作要求"), (155.0, "具体任务"), (255.0, "具体要求"), (415.0, "牵头单位")]),
        (60.0 + 2 * PITCH, [(255.0, "险区域时间")]),
        (60.0 + 4 * PITCH, [(75.0, "1"), (155.0, "任务一"), (255.0, "下降15%"), (415.0, "约束性")]),
        (60.0 + 6 * PITCH, [(75.0, "2"), (155.0, "任务二"), (255.0, "下降20%"), (415.0, "预期性")]),
    ]
    page = FakePage(_chars(lines))
    (plain,) = page_to_raw_tables(page, 1)
    assert [c.text for c in plain.cells if c.row == 0][2] == "具体要求险区域时间"
    (frag,) = page_to_raw_tables(page, 1, _carry())
    assert [c.text for c in frag.cells if c.row == 0] == HEADER
    assert [c.text for c in frag.cells if c.row == 1] == ["", "", "险区域时间", ""]


def _frag(open_top: bool, open_bottom: bool, col_x: list[float], rows: list[list[str]]) -> RawTable:
    cells = [RawCell(row=r, col=c, text=t) for r, row in enumerate(rows) for c, t in enumerate(row)]
    return RawTable(
        page_index=0,
        n_rows=len(rows),
        n_cols=len(col_x) - 1,
        cells=cells,
        style=RawTableStyle.THREE_LINE,
        col_x=col_x,
        open_top=open_top,
        open_bottom=open_bottom,
    )


def test_pdf_grids_carry_after_keeps_the_finer_columns_and_the_header() -> None:
    first = _frag(False, True, COL_X, [HEADER, ["一、", "（一）", "1.", "区司法局"]])
    carry = carry_after([first])
    assert carry is not None and carry.col_x == COL_X and carry.header == Counter("".join(HEADER))
    # a page whose first column is empty reads three columns, each on a boundary of the table's
    middle = _frag(True, True, [70.0, 250.0, 410.0, 525.0], [["（二）", "2.", "区财政局"]])
    assert carry_after([middle], carry) is carry
    # closed at the bottom, or not a text grid: nothing to carry
    assert carry_after([_frag(True, False, COL_X, [["", "", "3.", ""]])], carry) is None
    assert carry_after([], carry) is None


_PROSE = st.text(alphabet=CJK + "，。、；：“”（）0123456789%", min_size=1, max_size=45)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_PROSE, st.sampled_from([0.0, 2 * SIZE])), min_size=1, max_size=12))
def test_pdf_grids_carried_columns_never_read_prose(paragraph: list[tuple[str, float]]) -> None:
    # prose at the top of the page after a table left open: lines from the left margin (a first line
    # indented), however long; never a fragment of the table
    lines = [(60.0 + k * PITCH, [(COL_X[0] + indent, text)]) for k, (text, indent) in enumerate(paragraph)]
    assert page_to_raw_tables(FakePage(_chars(lines)), 1, _carry()) == []


def test_pdf_grids_carried_columns_stop_at_another_type_size() -> None:
    # a table ending at the page end, then a new document: its title (twice the size) starts at the x of a
    # column's text and spans the columns right of it, like a spanning cell, but is not the table's text
    chars = []
    for k, ch in enumerate("关于印发某区政务公开重点任务"):
        x = 155.0 + 2 * SIZE * k
        chars.append({"text": ch, "x0": x, "x1": x + 2 * SIZE, "top": 120.0, "bottom": 140.0, "size": 2 * SIZE})
    chars += _chars([(160.0, [(90.0, CJK[:43])]), (160.0 + PITCH, [(70.0, CJK[:45])])])
    carry = Carry(list(COL_X), list(STARTS), Counter("".join(HEADER)), SIZE)
    assert page_to_raw_tables(FakePage(chars), 1, carry) == []
    # a line of the table's size there is the end of a cell over three columns
    small = _chars([(120.0, [(155.0, CJK[:25])])]) + _chars([(160.0, [(90.0, CJK[:43])])])
    (frag,) = page_to_raw_tables(FakePage(small), 1, carry)
    assert [(c.col, c.colspan) for c in frag.cells if c.text] == [(1, 2)]
