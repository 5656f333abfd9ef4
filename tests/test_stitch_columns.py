"""A table continued in the next text column (two-column pages) or in the other column of the next page: fragments
compared and placed in their own frame (x relative to each fragment's left edge), by ``tables.stitch`` and by the
reflow stage that groups the fragments."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.layout.reflow import pages_to_blocks
from pipeline.tables.stitch import COL_TOLERANCE, continues, fragments_to_table, relative_columns
from pipeline.types import BlockKind, Line, Page, RawCell, RawTable, RawTableStyle
from schemas.model import Issue

WIDTHS = [30.7, 58.8, 102.3, 43.5]  # the zoo's task table in an A4 column
HEADER = ["工作要求", "具体任务", "具体要求", "牵头单位"]
LEFT, RIGHT = (0.0, 0.0, 296.0, 843.0), (296.0, 0.0, 595.0, 843.0)


def ruled(
    rows: list[list[str | None]],
    x0: float,
    page: int = 0,
    top: float = 100.0,
    widths: list[float] | None = None,
    spans: dict[tuple[int, int], int] | None = None,
) -> RawTable:
    """A ruled fragment whose left edge is at ``x0``: None marks a position covered by a rowspan from above,
    ``spans`` (row, col) → rowspan; a row with one text is one cell over the whole width."""
    spans = spans or {}
    col_x = [x0]
    for w in widths or WIDTHS:
        col_x.append(col_x[-1] + w)
    n_cols = len(col_x) - 1
    cells = []
    for r, row in enumerate(rows):
        if len(row) == 1:
            box = (col_x[0], top + 20 * r, col_x[-1], top + 20 * (r + 1))
            cells.append(RawCell(row=r, col=0, text=row[0] or "", colspan=n_cols, bbox=box))
            continue
        for c, text in enumerate(row):
            if text is None:
                continue
            span = spans.get((r, c), 1)
            box = (col_x[c], top + 20 * r, col_x[c + 1], top + 20 * (r + span))
            cells.append(RawCell(row=r, col=c, text=text, rowspan=span, bbox=box))
    return RawTable(
        page,
        len(rows),
        n_cols,
        cells,
        RawTableStyle.RULED,
        bbox=(col_x[0], top, col_x[-1], top + 20 * len(rows)),
        row_tops=[top + 20 * r for r in range(len(rows))],
        col_x=col_x,
    )


def _left_part() -> RawTable:
    return ruled(
        [HEADER, ["一、夯实基础", "（一）深化公开。", "1.加快推进文件库建设，于年底前", "区政府办公室"]],
        51.0,
        top=600.0,
    )


def _right_part(x0: float = 309.0, page: int = 0) -> RawTable:
    return ruled(
        [HEADER, ["", "", "建成并动态更新。", ""], [None, "（二）推进规范。", "2.做好目录调整。", "区司法局"]],
        x0,
        page=page,
        top=70.0,
        spans={(1, 0): 2},
    )


def test_stitch_relative_columns_of_fragments_in_two_columns() -> None:
    a, b = _left_part(), _right_part()
    assert relative_columns(a) == pytest.approx(relative_columns(b))
    assert relative_columns(b) == pytest.approx([0.0, 30.7, 89.5, 191.8, 235.3])


def test_stitch_continues_in_the_next_column_and_across_columns_of_pages() -> None:
    assert continues(_left_part(), _right_part(309.0)) is True  # left column → right column
    assert continues(_right_part(309.0), _right_part(51.0, page=1)) is True  # right column → next page's left


def test_stitch_fragments_in_two_columns_make_one_table() -> None:
    table = fragments_to_table([_left_part(), _right_part()], "t1", {0: 7})
    assert table.header == [HEADER]
    assert table.rows == [
        ["一、夯实基础", "（一）深化公开。", "1.加快推进文件库建设，于年底前建成并动态更新。", "区政府办公室"],
        ["一、夯实基础", "（二）推进规范。", "2.做好目录调整。", "区司法局"],
    ]
    merged = next(c for c in table.cells if c.part.value == "body" and c.col == 0)
    assert (merged.row, merged.rowspan, merged.text) == (0, 2, "一、夯实基础")
    cut = next(c for c in table.cells if c.part.value == "body" and (c.row, c.col) == (0, 2))
    assert cut.source is not None and cut.source.bbox == [140.5, 620.0, 242.8, 640.0]  # where the row starts
    assert cut.source.parts is not None
    assert [(p.pdf_page, p.bbox, p.text) for p in cut.source.parts] == [
        (1, [140.5, 620.0, 242.8, 640.0], "1.加快推进文件库建设，于年底前"),
        (1, [398.5, 90.0, 500.8, 110.0], "建成并动态更新。"),
    ]
    assert merged.source is not None and merged.source.parts is not None
    assert [(p.bbox, p.text) for p in merged.source.parts] == [
        ([51.0, 620.0, 81.7, 640.0], "一、夯实基础"),
        ([309.0, 90.0, 339.7, 130.0], None),  # the merged cell's piece in the right column: printed empty
    ]
    one_piece = next(c for c in table.cells if c.part.value == "body" and (c.row, c.col) == (1, 2))
    assert one_piece.source is not None and one_piece.source.parts is None
    assert "parts" not in one_piece.source.model_dump()
    assert table.row_pages == [7, 7] and table.pages == [7]


def test_stitch_corpus_task_cut_by_a_page_break_keeps_both_pieces(corpus_pdf: Issue) -> None:
    tasks = corpus_pdf.documents[1].attachments[0].tasks
    task = next(t for t in tasks if t.seq == 4)
    assert task.source is not None and task.source.parts is not None
    pieces = [(p.page, p.pdf_page, p.bbox) for p in task.source.parts]
    assert pieces == [(52, 54, [215.4, 704.25, 436.6, 740.75]), (53, 55, [215.4, 105.15, 436.6, 249.65])]
    assert task.source.parts[1].text is not None and task.source.parts[1].text.endswith("做好业务指导。")
    assert sum(1 for t in tasks if t.source and t.source.parts) == 11


def test_stitch_fragment_with_its_own_caption_in_the_next_column_is_a_new_table() -> None:
    own = ruled(
        [["表2 公开事项清单"], HEADER, ["二、强化解读", "（三）做好解读。", "3.同步解读。", "区政府办公室"]], 309.0
    )
    said = ruled([["（续表）"], ["", "", "建成并动态更新。", ""]], 309.0)
    assert continues(_left_part(), own) is False
    assert continues(_left_part(), said) is True


@st.composite
def _other_geometry(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    """Column widths of a fragment and of another whose columns differ by more than the tolerance: one inner
    boundary moved (its neighbours' widths changed), or one column wider (the table's width changed)."""
    widths = draw(st.lists(st.floats(20.0, 150.0), min_size=2, max_size=6))
    other = list(widths)
    k = draw(st.integers(0, len(widths) - 1))
    shift = draw(st.floats(COL_TOLERANCE + 0.5, 60.0))
    if k + 1 < len(widths) and draw(st.booleans()):
        shift = min(shift, widths[k + 1] - 10.0) * draw(st.sampled_from([1.0, -1.0]))
        shift = max(shift, -(widths[k] - 10.0))
        if abs(shift) <= COL_TOLERANCE + 0.25:
            shift = COL_TOLERANCE + 0.5
        other[k] += shift
        other[k + 1] -= shift
    else:
        other[k] += shift
    return widths, other


@settings(max_examples=200, deadline=None)
@given(_other_geometry(), st.floats(0.0, 400.0), st.floats(0.0, 400.0), st.booleans())
def test_stitch_fragments_with_other_column_geometry_never_continue(
    geometry: tuple[list[float], list[float]], x_a: float, x_b: float, next_page: bool
) -> None:
    widths, other = geometry
    body = ["甲"] * len(widths)
    a = ruled([list(body)], x_a, widths=widths)
    b = ruled([list(body)], x_b, page=1 if next_page else 0, widths=other)
    assert continues(a, b) is False
    assert continues(b, a) is False


def _ln(text: str, x0: float, top: float, x1: float) -> Line:
    return Line(text=text, page_index=0, bbox=(x0, top, x1, top + 10.5), size=10.5)


def _two_column_page(lines: list[Line], tables: list[RawTable]) -> Page:
    return Page(index=0, width=595, height=843, lines=lines, tables=tables, ordered=True, columns=[LEFT, RIGHT])


def test_reflow_table_continued_in_the_next_column_is_one_block() -> None:
    left, right = _left_part(), _right_part()
    above = _ln("附件：任务分工表", 51, 560, 250)
    after = _ln("二、制定计划，细化跟踪落实。", 330, 150, 540)
    page = _two_column_page([above, after], [right, left])  # the finder lists the right column's table first
    blocks = pages_to_blocks([page])
    assert [(b.kind, b.tables) for b in blocks] == [
        (BlockKind.PARAGRAPH, []),
        (BlockKind.TABLE, [left, right]),
        (BlockKind.PARAGRAPH, []),
    ]
    assert blocks[2].text == "二、制定计划，细化跟踪落实。"


def test_reflow_table_under_text_in_the_next_column_is_a_new_table() -> None:
    left, right = _left_part(), _right_part(x0=309.0)
    right.bbox = (309.0, 90.0, 544.3, 150.0)
    between = _ln("表2 另一张表", 309, 70, 450)
    blocks = pages_to_blocks([_two_column_page([between], [left, right])])
    assert [(b.kind, b.tables) for b in blocks] == [
        (BlockKind.TABLE, [left]),
        (BlockKind.PARAGRAPH, []),
        (BlockKind.TABLE, [right]),
    ]


def test_reflow_two_tables_in_one_column_are_not_stitched() -> None:
    first = _left_part()
    second = ruled([HEADER, ["二、强化解读", "（三）做好解读。", "3.同步解读。", "区政府办公室"]], 51.0, top=700.0)
    blocks = pages_to_blocks([_two_column_page([], [first, second])])
    assert [(b.kind, b.tables) for b in blocks] == [(BlockKind.TABLE, [first]), (BlockKind.TABLE, [second])]


def test_reflow_table_continued_in_the_left_column_of_the_next_page() -> None:
    first = _right_part(309.0)
    first.bbox = (309.0, 600.0, 544.3, 660.0)
    nxt = ruled([HEADER, ["", "（三）规范年报。", "8.提高年报质量。", "区政府办公室"]], 51.0, page=1, top=70.0)
    p0 = _two_column_page([_ln("附件：任务分工表", 309, 560, 500)], [first])
    p1 = Page(index=1, width=595, height=843, lines=[_ln("正文。", 51, 400, 200)], tables=[nxt])
    p1.ordered, p1.columns = True, [LEFT, RIGHT]
    blocks = pages_to_blocks([p0, p1])
    assert [(b.kind, b.tables) for b in blocks] == [
        (BlockKind.PARAGRAPH, []),
        (BlockKind.TABLE, [first, nxt]),
        (BlockKind.PARAGRAPH, []),
    ]
