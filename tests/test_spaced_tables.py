"""Space-aligned text tables (``pipeline.tables.spaced``): display-width columns, gutters shared by the rows,
multi-level headers as spans, wrapped cells joined, prose never a table."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.load.text import text_to_pages
from pipeline.tables.spaced import display_width, find_tables, grid_cells, header_spans, line_runs
from pipeline.tables.stitch import fragments_to_table
from tests import text_tables

INDICATORS = """一、工作安排如下。
表1  主要指标
序号  指标                    指标值     属性
1     生产安全事故死亡人数    下降15%    约束性
2     亿元地区生产总值        下降33%    约束性
      生产安全事故死亡率
3     森林火灾受害率          ≤0.9‰      预期性
二、其他事项按有关规定执行。
"""


def test_spaced_display_width_counts_wide_characters_twice() -> None:
    assert display_width("规章 0") == 6
    assert display_width("规章 0", wide=False) == 4
    assert [(r.x0, r.x1, r.text) for r in line_runs("规章    下降 15%　约束性")] == [
        (0, 4, "规章"),
        (8, 16, "下降 15%"),
        (18, 24, "约束性"),
    ]


def test_spaced_indicator_table_rows_and_wrapped_cell() -> None:
    (t,) = find_tables(INDICATORS.split("\n"))
    assert (t.start, t.end, t.n_cols) == (2, 7, 4)
    texts = [[a[2] for a in row] for row in t.rows]
    assert texts == [  # the short wrapped line stays a row here (the stitcher joins it: next test)
        ["序号", "指标", "指标值", "属性"],
        ["1", "生产安全事故死亡人数", "下降15%", "约束性"],
        ["2", "亿元地区生产总值", "下降33%", "约束性"],
        ["生产安全事故死亡率"],
        ["3", "森林火灾受害率", "≤0.9‰", "预期性"],
    ]
    assert t.line_nos == [3, 4, 5, 6, 7]


def test_spaced_loader_keeps_caption_and_prose_as_lines() -> None:
    (page,) = text_to_pages(INDICATORS)
    assert [ln.text for ln in page.lines] == ["一、工作安排如下。", "表1  主要指标", "二、其他事项按有关规定执行。"]
    (raw,) = page.tables
    table = fragments_to_table([raw], "t", {})
    assert table.column_paths == [["序号"], ["指标"], ["指标值"], ["属性"]]
    assert table.rows[1] == ["2", "亿元地区生产总值生产安全事故死亡率", "下降33%", "约束性"]
    assert table.cells[0].source is not None and table.cells[0].source.line == 3


# the same columns typed in a terminal (wide characters two columns) and by character count (one column each)
REVIEW_WIDE = """四、行政复议、行政诉讼情况
行政复议                        行政诉讼
结果维持   结果纠正   总计      结果维持   结果纠正   总计
1          0          1         2          1          3
五、存在的主要问题
"""


def test_spaced_two_level_header_gives_paths() -> None:
    (page,) = text_to_pages(REVIEW_WIDE)
    table = fragments_to_table(page.tables, "t", {})
    assert table.column_paths == [
        ["行政复议", "结果维持"],
        ["行政复议", "结果纠正"],
        ["行政复议", "总计"],
        ["行政诉讼", "结果维持"],
        ["行政诉讼", "结果纠正"],
        ["行政诉讼", "总计"],
    ]
    assert table.rows == [["1", "0", "1", "2", "1", "3"]]


def test_spaced_character_counted_columns_are_read_too() -> None:
    # a layout-mode extraction gives every character one column: aligned by characters, not by display width
    lines = [
        "指标" + " " * 6 + "2020  2021  2022",
        "检查企业隐患  88    103   89",
        "整改" + " " * 6 + "205   358   379",
    ]
    assert find_tables(lines, wide=True) == []  # as a terminal shows it the figures sit under the labels
    (t,) = find_tables(lines, wide=False)
    assert [[a[2] for a in r] for r in t.rows] == [
        ["指标", "2020", "2021", "2022"],
        ["检查企业隐患", "88", "103", "89"],
        ["整改", "205", "358", "379"],
    ]
    (page,) = text_to_pages("\n".join(lines))
    assert len(page.tables) == 1 and page.tables[0].n_cols == 4


def test_spaced_header_spans_stretch_over_the_columns_below() -> None:
    rows = [
        [(0, 1, "注：勾稽关系"), (3, 4, "申请人情况")],
        [(3, 4, "自然人"), (4, 5, "法人或其他组织"), (6, 7, "总计")],
        [(4, 5, "商业企业"), (5, 6, "其他")],
        [(0, 3, "一、本年新收"), (3, 4, "9"), (4, 5, "1"), (5, 6, "0"), (6, 7, "10")],
    ]
    spread = header_spans(rows, 7)
    assert spread[0] == [(0, 1, "注：勾稽关系"), (3, 7, "申请人情况")]
    assert spread[1] == [(3, 4, "自然人"), (4, 6, "法人或其他组织"), (6, 7, "总计")]
    cells = {(r, c): (rs, cs, t) for r, c, rs, cs, t in grid_cells(spread, 7) if t}
    assert cells[(0, 0)] == (3, 1, "注：勾稽关系")
    assert cells[(1, 3)] == (2, 1, "自然人")
    assert cells[(1, 6)] == (2, 1, "总计")
    assert cells[(2, 4)] == (1, 1, "商业企业")
    covered = [(r + i, c + j) for r, c, rs, cs, _ in grid_cells(spread, 7) for i in range(rs) for j in range(cs)]
    assert sorted(covered) == [(r, c) for r in range(4) for c in range(7)]  # every position once


def test_spaced_tab_rows_with_repeated_header_texts_get_spans() -> None:
    text = "\t申请人情况\t申请人情况\t申请人情况\n\t自然人\t法人\t法人\n\t自然人\t企业\t其他\n一、新收\t9\t1\t0\n"
    (page,) = text_to_pages(text)
    table = fragments_to_table(page.tables, "t", {})
    assert table.column_paths == [
        [],
        ["申请人情况", "自然人"],
        ["申请人情况", "法人", "企业"],
        ["申请人情况", "法人", "其他"],
    ]
    assert table.rows == [["一、新收", "9", "1", "0"]]


def test_spaced_blocks_end_at_a_heading_and_at_a_paragraph() -> None:
    text = REVIEW_WIDE + "依申请公开答复的规范性仍需提高，下一步将加强培训，进一步提升工作水平。\n"
    (page,) = text_to_pages(text)
    assert len(page.tables) == 1
    assert [ln.text for ln in page.lines] == [
        "四、行政复议、行政诉讼情况",
        "五、存在的主要问题",
        "依申请公开答复的规范性仍需提高，下一步将加强培训，进一步提升工作水平。",
    ]


_WORDS = st.sampled_from(
    ["加强", "安全生产", "监管", "责任", "落实", "2022年", "15%", "各镇（街道）", "工作", "重点", "隐患", "排查"]
)
_SENTENCE = st.lists(_WORDS, min_size=2, max_size=8).map("".join)
_PUNCT = st.sampled_from(["，", "。", "；", "、"])


@st.composite
def _paragraph(draw: st.DrawFn) -> str:
    """A paragraph of prose wrapped at a fixed width, with runs of spaces where extractions print them: after
    punctuation (``如下：  一是…``), before a figure pushed right (``国令第      711 号``), and as an indent."""
    text = "".join(draw(_SENTENCE) + draw(_PUNCT) for _ in range(draw(st.integers(2, 8))))
    width = draw(st.integers(12, 36))
    lines = [text[k : k + width] for k in range(0, len(text), width)]
    out = []
    for line in lines:
        spots = [
            k + 1 for k, ch in enumerate(line[:-1]) if ch in "，。；、" or (line[k + 1].isdigit() and not ch.isdigit())
        ]
        cuts = sorted(draw(st.lists(st.sampled_from(spots), max_size=3, unique=True))) if spots else []
        pieces = [line[a:b] for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]
        indent = " " * draw(st.sampled_from([0, 0, 4]))
        out.append(indent + (" " * draw(st.integers(2, 8))).join(pieces))
    return "\n".join(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_paragraph(), min_size=1, max_size=3))
def test_spaced_prose_is_never_a_table(paragraphs: list[str]) -> None:
    pages = text_to_pages("\n".join(paragraphs) + "\n")
    assert [t for p in pages for t in p.tables] == []


_CELL_WORDS = st.sampled_from(
    ["安全生产", "应急管理局", "区司法局", "约束性", "预期性", "下降15%", "非煤矿山", "危险化学品"]
)
_FIGURES = st.integers(0, 99999).map(str)


@st.composite
def _grid(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    """A header of distinct names over rows of words and a last column of figures."""
    n = draw(st.integers(3, 5))
    header = draw(
        st.lists(
            st.sampled_from(["序号", "类别", "指标", "指标值", "属性", "单位", "数量"]),
            min_size=n,
            max_size=n,
            unique=True,
        )
    )
    rows = [
        [*draw(st.lists(_CELL_WORDS, min_size=n - 1, max_size=n - 1, unique=True)), draw(_FIGURES)]
        for _ in range(draw(st.integers(2, 6)))
    ]
    return header, rows


@settings(max_examples=40, deadline=None)
@given(_grid())
def test_spaced_rendered_grid_reads_back(grid: tuple[list[str], list[list[str]]]) -> None:
    header, rows = grid
    (page,) = text_to_pages(
        "\n".join(["一、工作安排如下。", *text_tables.spaced([header], rows), "二、其他事项。"]) + "\n"
    )
    table = fragments_to_table(page.tables, "t", {})
    assert table.column_paths == [[h] for h in header]
    assert table.rows == rows


@pytest.mark.parametrize(
    "text",
    [
        "安全生产各镇（街道），加强2\n022年加强加强       2022年加\n强2022年，加强加强  202\n2年，加强加强加强加强，\n",
        "加强加强，加强加强加强加\n    强安全生产     2022年加强\n，加强加强加强加强安全生\n产。\n"
        "加强加强，加强加强，加强\n    加强加强加强加强  2022\n年。\n",
    ],
)
def test_spaced_two_wrapped_prose_lines_with_a_number_are_no_table(text: str) -> None:
    # found by hypothesis: a "header" over one "row" whose last piece is a number cut by the wrap
    assert [t for p in text_to_pages(text) for t in p.tables] == []
