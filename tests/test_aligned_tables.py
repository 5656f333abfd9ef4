"""The borderless finder (``pipeline.tables.aligned``): tables found by the column alignment of their text, and
prose never read as a table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.tables.aligned import Block, TextLine, aligned_blocks, header_bands
from pipeline.tables.pdf_grids import page_to_raw_tables, text_lines
from pipeline.types import RawTableStyle
from tests.test_pdf_grids_page_break import read_tables, render_indicators

SIZE = 10.0
PITCH = 18.0  # line to line
CJK = "政务公开工作要点分工方案区直和市驻区各单位持续推进基层标准化规范化建设严格落实责任"


def _line(top: float, *cells: tuple[float, str]) -> TextLine:
    """A printed line: each cell (x0, text) one word run of full-width characters."""
    return TextLine(top, top + SIZE, [(x, x + SIZE * len(t), t) for x, t in cells])


def _prose(top: float, x0: float = 72.0, width: int = 40, text: str = CJK) -> TextLine:
    body = (text * (width // len(text) + 1))[:width]
    return _line(top, (x0, body))


def _table_lines() -> list[TextLine]:
    rows = [
        [(80.0, "序号"), (130.0, "指标"), (300.0, "指标值"), (400.0, "属性")],
        [(80.0, "1"), (130.0, "生产安全事故死亡人数"), (300.0, "下降15%"), (400.0, "约束性")],
        [(80.0, "2"), (130.0, "亿元地区生产总值"), (300.0, "下降33%"), (400.0, "约束性")],
        [(130.0, "生产安全事故死亡率")],  # the wrapped second line of the row above
        [(80.0, "3"), (130.0, "森林火灾受害率"), (300.0, "≤0.9‰"), (400.0, "预期性")],
    ]
    return [_line(100.0 + PITCH * k, *cells) for k, cells in enumerate(rows)]


def test_aligned_finds_header_rows_and_wrapped_lines_between_prose() -> None:
    lines = [_prose(64.0), *_table_lines(), _prose(100.0 + PITCH * 6)]
    blocks = aligned_blocks(lines)
    assert blocks == [
        Block(1, 6, [(80.0, 100.0), (130.0, 230.0), (300.0, 350.0), (400.0, 430.0)]),
    ]


def test_aligned_caption_anchors_a_table_without_header_or_figures() -> None:
    caption = _line(64.0, (200.0, "表1：各单位分工"))
    units = ["区政府办公室", "区司法局", "区财政局"]
    rows = [
        _line(100.0 + PITCH * k, (80.0, units[k]), (200.0, "牵头" if k else "统筹落实。"), (320.0, "各镇街道"[: 4 - k]))
        for k in range(3)
    ]
    assert aligned_blocks([caption, *rows]) == [Block(1, 4, [(80.0, 140.0), (200.0, 250.0), (320.0, 360.0)])]
    # without the caption, a header row or a column of figures, three aligned lines are not enough
    assert aligned_blocks([_prose(64.0), *rows]) == []


def test_aligned_two_column_count_table_needs_header_over_figures() -> None:
    table = [
        _line(100.0, (75.0, "信息内容"), (230.0, "本年处理决定数量")),
        _line(118.0, (75.0, "行政处罚"), (230.0, "2776")),
        _line(136.0, (75.0, "行政强制"), (230.0, "84")),
    ]
    assert aligned_blocks([_prose(64.0), *table, _prose(170.0)]) == [Block(1, 4, [(75.0, 115.0), (230.0, 310.0)])]
    words = [
        _line(100.0, (75.0, "信息内容"), (230.0, "本年处理决定数量")),
        _line(118.0, (75.0, "行政处罚"), (230.0, "行政强制")),
        _line(136.0, (75.0, "行政许可"), (230.0, "行政确认")),
    ]
    assert aligned_blocks([_prose(64.0), *words, _prose(170.0)]) == []


def test_aligned_columns_of_running_text_are_not_a_table() -> None:
    # three columns of justified prose: every line prints in every column, edge to edge
    lines = [_line(64.0 + PITCH * k, (72.0, CJK[:14]), (222.0, CJK[3:17]), (372.0, CJK[6:20])) for k in range(12)]
    assert aligned_blocks(lines) == []


def test_aligned_contents_lines_with_leaders_are_not_a_table() -> None:
    lines = [
        _line(64.0 + PITCH * k, (72.0, f"第{k + 1}章"), (130.0, "总体要求"), (250.0, "……………………"), (500.0, str(k + 3)))
        for k in range(6)
    ]
    assert aligned_blocks(lines) == []


def test_aligned_a_page_of_rows_continuing_a_table_opens_at_the_top() -> None:
    # the last lines of a cell cut by the page break, then rows whose first column is empty on this page
    rows = [_line(60.0 + PITCH * k, (250.0, CJK[k : k + 16])) for k in range(2)]
    rows += [_line(96.0, (150.0, "（二）加强"), (250.0, "2.下一项要求"), (430.0, "区政府办公室"))]
    rows += [_line(96.0 + PITCH, (150.0, "基层公开"), (250.0, CJK[:16]))]
    rows += [_line(96.0 + PITCH * k, (250.0, CJK[k : k + 16]), (430.0, "区司法局")) for k in range(2, 4)]
    assert aligned_blocks(rows) == [Block(0, 6, [(150.0, 200.0), (250.0, 410.0), (430.0, 490.0)])]


def test_aligned_a_page_of_two_prose_columns_is_not_a_table() -> None:
    lines = [_line(60.0, (72.0, "2025年工作报告"), (320.0, CJK[:20]))]
    lines += [_line(60.0 + PITCH * k, (72.0, CJK[k : k + 20]), (320.0, CJK[k + 1 : k + 21])) for k in range(1, 30)]
    lines += [_line(60.0 + PITCH * 30, (72.0, "来源：研究室"), (320.0, CJK[:9]))]
    assert aligned_blocks(lines) == []


def test_aligned_header_row_alone_under_a_centred_title_at_the_page_end() -> None:
    """A table cut right under its header row, the header printed under a centred title (not a 表N caption)
    that lies beside every narrow header band: the header row is a one-row fragment of the table."""
    lines = [_prose(64.0), _line(82.0, (72.0, "附件")), _line(100.0, (215.0, "“十四五”时期专项整治工作"))]
    lines.append(_line(124.0, (75.0, "序号"), (104.0, "分类"), (153.0, "主要任务")))
    assert aligned_blocks(lines) == [Block(3, 4, [(75.0, 95.0), (104.0, 124.0), (153.0, 193.0)])]
    # the same line under a line printed inside its last band is the wrapped end of a row, not a header alone
    wrapped = [*lines[:2], _line(100.0, (160.0, "非煤矿山安全生产")), lines[3]]
    assert aligned_blocks(wrapped) == []


def _chars(lines: list[tuple[float, float, str, float]]) -> list[dict[str, Any]]:
    """pdfplumber-like characters of printed lines (top, x0, text, extra spacing after each character)."""
    out: list[dict[str, Any]] = []
    for top, x0, text, spacing in lines:
        x = x0
        for ch in text:
            width = SIZE if ord(ch) > 0x2E80 else SIZE * 0.5
            out.append({"text": ch, "x0": x, "x1": x + width, "top": top, "bottom": top + SIZE, "size": SIZE})
            x += width + spacing
    return out


_WORDS = st.sampled_from(["policy", "open", "data", "2022", "No.", "GB/T", "9704", "the", "of", "and"])
_CJK_TEXT = st.text(alphabet=CJK + "，。、；：“”（）0123456789%", min_size=1, max_size=44)


@st.composite
def _paragraphs(draw: st.DrawFn) -> list[tuple[float, float, str, float]]:
    """Prose as typeset: paragraphs of justified lines (an indented first line, a ragged last one, a little
    extra spacing to fill the measure), Latin words separated by single spaces, centred headings."""
    lines: list[tuple[float, float, str, float]] = []
    top = 60.0
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["cjk", "latin", "heading"]))
        n = draw(st.integers(1, 8))
        for k in range(n):
            if kind == "heading":
                text = draw(_CJK_TEXT)[:16]
                x0 = 300.0 - SIZE * len(text) / 2
                spacing = 0.0
            elif kind == "latin":
                text = " ".join(draw(st.lists(_WORDS, min_size=1, max_size=14)))
                x0, spacing = 72.0 + (2 * SIZE if k == 0 else 0.0), draw(st.floats(0.0, 0.4))
            else:
                text = draw(_CJK_TEXT)
                x0 = 72.0 + (2 * SIZE if k == 0 else 0.0)
                spacing = draw(st.floats(0.0, 0.25 * SIZE)) if k < n - 1 else 0.0
            lines.append((top, x0, text, spacing))
            top += PITCH
            if kind == "heading":
                break
        top += draw(st.sampled_from([0.0, 6.0, 12.0]))
    return lines


@settings(max_examples=150, deadline=None)
@given(_paragraphs())
def test_aligned_random_prose_is_never_a_table(prose: list[tuple[float, float, str, float]]) -> None:
    lines = text_lines(_chars(prose), 0.0, 10_000.0, [])
    assert aligned_blocks(lines) == []


def test_aligned_borderless_indicator_fragments_open_at_the_break(tmp_path: Path) -> None:
    path = render_indicators(tmp_path / "ind.pdf", "borderless", "A4", False)
    with pdfplumber.open(path) as pdf:
        frags = [t for i, p in enumerate(pdf.pages) for t in page_to_raw_tables(p, i)]
    assert [(f.page_index, f.open_top, f.open_bottom, f.n_cols) for f in frags] == [
        (0, False, True, 5),
        (1, True, False, 5),
    ]
    assert all(f.style is RawTableStyle.THREE_LINE for f in frags)
    (table,) = read_tables(path)
    assert table.header == [["序号", "类别", "指标", "指标值", "指标属性"]]
    assert len(table.rows) == 27
    assert table.rows[0] == ["1", "安全生产", "生产安全事故死亡人数", "下降15%", "约束性"]


def _task_rows() -> list[TextLine]:
    """A header over four columns, then a row whose second cell spans the task and text columns."""
    return [
        _line(100.0, (80.0, "工作要求"), (160.0, "具体任务"), (260.0, "具体要求"), (420.0, "牵头单位")),
        _line(130.0, (80.0, "五、坚持"), (160.0, CJK[:24]), (420.0, "各镇街道")),
        _line(144.0, (80.0, "全区一盘"), (160.0, CJK[2:26]), (420.0, "区直各单位")),
        _line(158.0, (160.0, CJK[4:14])),  # the spanning cell's short last line, at the cell's line pitch
    ]


def test_aligned_cell_spanning_columns_keeps_the_block_and_its_columns() -> None:
    lines = [_prose(64.0), *_task_rows(), _prose(200.0)]
    # the spanning runs (160–400) cross the gutter between 具体任务 and 具体要求 without merging them
    assert aligned_blocks(lines) == [Block(1, 5, [(80.0, 120.0), (160.0, 200.0), (260.0, 300.0), (420.0, 470.0)])]


def test_aligned_run_across_every_column_ends_the_block() -> None:
    # a line from the first column's edge to the last column: prose under the table, not a spanning cell
    rows = _task_rows()
    lines = [_prose(64.0), *rows[:3], _line(158.0, (80.0, CJK[:40]))]
    assert aligned_blocks(lines) == [Block(1, 4, [(80.0, 120.0), (160.0, 200.0), (260.0, 300.0), (420.0, 470.0)])]


def test_aligned_spanning_run_alone_needs_the_cell_line_pitch() -> None:
    # a one-run line crossing a gutter after a row gap wider than a cell's line pitch is not the cell's end
    rows = _task_rows()
    far = _line(172.0, (160.0, CJK[4:14]))
    assert aligned_blocks([_prose(64.0), *rows[:3], far])[0].end == 4


def test_aligned_header_bands_leave_spanning_cells_out() -> None:
    rows = _task_rows()
    assert header_bands(rows[:1], rows[1:]) == [(80.0, 120.0), (160.0, 200.0), (260.0, 300.0), (420.0, 470.0)]
    # a run starting inside a column (not at its edge) is no cell over columns: the columns merge
    odd = _line(172.0, (170.0, CJK[:12]))
    assert header_bands(rows[:1], [odd]) == [(80.0, 120.0), (160.0, 300.0), (420.0, 460.0)]
