"""tables: normalise_cell, continues and fragments_to_table on hand-built fragments and on reportlab PDFs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.tables.stitch import continues, continues_list, fragments_to_table, normalise_cell
from pipeline.types import Line, RawCell, RawTable, RawTableStyle
from schemas.model import Table, TablePart, TableStyle
from tests.test_pdf_tables_synthetic import EXPECTED_ROWS, HEADER, make_pdf, tables_of


def text_table(rows: list[list[str]], page_index: int = 0, first_line_no: int = 1) -> RawTable:
    n = max(len(r) for r in rows)
    cells = [RawCell(row=r, col=c, text=row[c] if c < len(row) else "") for r, row in enumerate(rows) for c in range(n)]
    return RawTable(page_index, len(rows), n, cells, RawTableStyle.TEXT, first_line_no=first_line_no)


def grid_table(
    rows: list[list[str | None]], page_index: int, spans: dict[tuple[int, int], int] | None = None
) -> RawTable:
    """A ruled fragment: None marks a position covered by a rowspan from above; ``spans`` (row, col) → rowspan."""
    spans = spans or {}
    n_cols = len(rows[0])
    col_x = [100.0 * k for k in range(n_cols + 1)]
    cells = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text is None:
                continue
            span = spans.get((r, c), 1)
            cells.append(
                RawCell(
                    row=r,
                    col=c,
                    text=text,
                    rowspan=span,
                    bbox=(col_x[c], 100.0 + 20 * r, col_x[c + 1], 100.0 + 20 * (r + span)),
                )
            )
    return RawTable(
        page_index,
        len(rows),
        n_cols,
        cells,
        RawTableStyle.RULED,
        bbox=(0.0, 100.0, col_x[-1], 100.0 + 20 * len(rows)),
        row_tops=[100.0 + 20 * r for r in range(len(rows))],
        col_x=col_x,
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("茂南府〔2022〕2 号", "茂南府〔2022〕2号"),
        ("某区 2022 年", "某区2022年"),
        ("下降 15%", "下降15%"),
        ("≥  80%", "≥ 80%"),
        ("1.0 级/2.5 级", "1.0级/2.5级"),
        ("Internet  Protocol   v6", "Internet Protocol v6"),
        ("济社会平 稳健康发 展深化重", "济社会平稳健康发展深化重"),
        ("“ 粤系列 ” 平台", "“粤系列”平台"),
        ("  1. 第一项。 \n\n 2. 第二项。", "1.第一项。\n2.第二项。"),
        ("\u3000\u3000全角空格", "全角空格"),
        ("", ""),
    ],
)
def test_tables_normalise_cell(raw: str, expected: str) -> None:
    assert normalise_cell(raw) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab1 2\n\t\u3000中文。（）“”%≥,."), max_size=60))
def test_tables_normalise_cell_idempotent(text: str) -> None:
    once = normalise_cell(text)
    assert normalise_cell(once) == once
    assert once.replace(" ", "").replace("\n", "") == "".join(text.split())


def test_tables_normalise_cell_adversarial_is_fast() -> None:
    text = ("中 a " * 25_000) + ("\n" * 1000)
    start = time.perf_counter()
    normalise_cell(text)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    ("col_x_b", "expected"),
    [
        ([0.0, 100.0, 200.0, 300.0], True),
        ([1.5, 101.0, 199.0, 302.0], True),
        ([0.0, 100.0, 300.0], True),  # a page whose rows do not use one fine boundary
        ([0.0, 150.0, 200.0, 300.0], False),
        ([0.0, 100.0, 200.0, 400.0], False),
    ],
)
def test_tables_continues_columns(col_x_b: list[float], expected: bool) -> None:
    a = grid_table([["a", "b", "c"]], 0)
    b = RawTable(1, 1, len(col_x_b) - 1, [RawCell(0, 0, "x")], RawTableStyle.RULED, col_x=col_x_b)
    assert continues(a, b) is expected


def test_tables_continues_style_mismatch() -> None:
    a = grid_table([["a", "b"]], 0)
    b = text_table([["a", "b"]])
    assert continues(a, b) is False
    assert continues(text_table([["a", "b"]]), text_table([["c", "d"]], 1)) is True
    assert continues(text_table([["a", "b"]]), text_table([["c", "d", "e"]], 1)) is False


def test_tables_empty_fragments() -> None:
    t = fragments_to_table([], "doc-1/table-1", {}, caption="表 1")
    assert (t.id, t.caption, t.rows, t.header) == ("doc-1/table-1", "表1", [], [])


def test_tables_text_blank_cells_merge_and_rows_join() -> None:
    rows = [
        ["专栏 某某规划指标表", "", "", ""],
        ["序号", "类别", "指标", "指标值"],
        ["1", "安全生产", "生产安全事故死亡", "下降 15%"],
        ["", "", "人数", ""],  # a page break inside row 1
        ["2", "", "火灾死亡率", "<0.15"],
        ["3", "综合", "培训率", "100%"],
    ]
    t = fragments_to_table([text_table(rows, first_line_no=40)], "doc-1/att-1/table-1", {0: 7})
    assert t.caption == "专栏某某规划指标表"
    assert t.header == [["序号", "类别", "指标", "指标值"]]
    assert t.rows == [
        ["1", "安全生产", "生产安全事故死亡人数", "下降15%"],
        ["2", "安全生产", "火灾死亡率", "<0.15"],
        ["3", "综合", "培训率", "100%"],
    ]
    assert t.style == TableStyle.TEXT and t.row_pages == [7, 7, 7] and t.pages == [7]
    group = next(c for c in t.cells if c.part == TablePart.BODY and c.col == 1 and c.row == 0)
    assert (group.rowspan, group.text) == (2, "安全生产")
    assert group.source is not None and group.source.line == 42 and group.source.page == 7
    assert t.source is not None and t.source.line == 40


@pytest.mark.parametrize(
    ("second", "joined"),
    [
        (["", "", "续写的内容。"], True),
        (["", "", "2. 新的一项。"], False),  # a new numbered item
        (["2", "", "续写"], False),  # a bare sequence number starts a row
    ],
)
def test_tables_text_row_continuation(second: list[str], joined: bool) -> None:
    rows = [["序号", "分类", "主要任务"], ["1", "矿山", "1. 开展排查，对不符合条件的"], second]
    t = fragments_to_table([text_table(rows)], "t", {0: 1})
    assert len(t.rows) == (1 if joined else 2)
    if joined:
        assert t.rows[0][2] == "1.开展排查，对不符合条件的续写的内容。"
    else:
        assert t.rows[1][1] == "矿山"  # the blank 分类 cell is merged with the one above


def test_tables_pdf_fragments_join_split_row_and_merged_group() -> None:
    """A row split by a page break, and a group cell whose label runs on over the next break."""
    p1 = grid_table(
        [
            ["工作要求", "具体要求", "单位"],
            ["一、优化公开", "1. 加快建设。", "办公室"],
            [None, "2. 结合权责清单，持续推动", "司法局"],
        ],
        0,
        {(1, 0): 2},
    )
    p2 = grid_table([["", "目录更新。", ""], ["二、围绕服务中心工作、助力经", "3. 严格执行制度。", "卫生局"]], 1)
    p3 = grid_table([["济社会发展", "4. 积极发挥优势。", "数据局"], [None, "5. 加强协调。", "办公室"]], 2, {(0, 0): 2})
    assert continues(p1, p2) and continues(p2, p3)
    t = fragments_to_table([p1, p2, p3], "doc-2/table-1", {0: 51, 1: 52, 2: 53})
    assert t.header == [["工作要求", "具体要求", "单位"]]
    assert [r[1] for r in t.rows] == [
        "1.加快建设。",
        "2.结合权责清单，持续推动目录更新。",
        "3.严格执行制度。",
        "4.积极发挥优势。",
        "5.加强协调。",
    ]
    assert [r[0] for r in t.rows] == ["一、优化公开", "一、优化公开"] + ["二、围绕服务中心工作、助力经济社会发展"] * 3
    group = next(c for c in t.cells if c.text.startswith("二、"))
    assert (group.row, group.rowspan) == (2, 3)
    assert group.source is not None and group.source.pdf_page == 2 and group.source.page == 52
    first = next(c for c in t.cells if c.text.startswith("一、"))
    assert (first.row, first.rowspan) == (0, 2)  # the empty cell at the top of page 2 is part of it
    assert t.row_pages == [51, 51, 52, 53, 53]
    assert t.pages == [51, 52, 53]
    assert t.style == TableStyle.RULED


def test_tables_repeated_header_dropped() -> None:
    p1 = grid_table([["序号", "名称", "数量"], ["1", "甲", "3"], ["2", "乙", "4"]], 4)
    p2 = grid_table([["序号", "名称", "数量"], ["3", "丙", "5"]], 5)
    t = fragments_to_table([p1, p2], "t", {4: 10, 5: 11})
    assert t.header == [["序号", "名称", "数量"]]
    assert t.rows == [["1", "甲", "3"], ["2", "乙", "4"], ["3", "丙", "5"]]
    assert t.row_pages == [10, 10, 11]


def test_tables_multi_level_header() -> None:
    cells = [
        RawCell(0, 0, "指标", rowspan=2),
        RawCell(0, 1, "目标值", colspan=2),
        RawCell(1, 1, "2023"),
        RawCell(1, 2, "2025"),
        RawCell(2, 0, "覆盖率"),
        RawCell(2, 1, "90%"),
        RawCell(2, 2, "95%"),
        RawCell(3, 0, "达标率"),
        RawCell(3, 1, "80%"),
        RawCell(3, 2, "100%"),
    ]
    t = fragments_to_table([RawTable(0, 4, 3, cells, RawTableStyle.RULED)], "t", {0: 1})
    assert t.header == [["指标", "目标值", "目标值"], ["指标", "2023", "2025"]]
    assert t.rows == [["覆盖率", "90%", "95%"], ["达标率", "80%", "100%"]]
    spanning = next(c for c in t.cells if c.text == "目标值")
    assert (spanning.part, spanning.colspan) == (TablePart.HEADER, 2)


def _stitch(path: Path) -> Table:
    pages = tables_of(path)
    frags = [t for p in pages for t in p]
    assert len(frags) == 2 and continues(frags[0], frags[1])
    return fragments_to_table(frags, "doc-1/table-1", {0: 1, 1: 2})


@pytest.mark.parametrize(
    ("style", "repeat"), [("ruled", True), ("ruled", False), ("three-line", True), ("three-line", False)]
)
def test_tables_pdf_styles_give_identical_tables(tmp_path: Path, style: str, repeat: bool) -> None:
    t = _stitch(make_pdf(tmp_path / "t.pdf", style, repeat))
    assert t.header == [HEADER]
    assert t.rows == EXPECTED_ROWS
    assert t.row_pages == [1, 1, 2, 2, 2]
    assert t.pages == [1, 2]
    assert t.style == (TableStyle.RULED if style == "ruled" else TableStyle.THREE_LINE)
    Table.model_validate_json(t.model_dump_json())


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["", "1", "2.", "（一）", "甲乙", "续写。", "2022 年", "<p>", "\n", "—"]),
            min_size=1,
            max_size=5,
        ),
        min_size=1,
        max_size=8,
    )
)
def test_tables_text_fragments_never_raise(rows: list[list[str]]) -> None:
    t = fragments_to_table([text_table(rows)], "t", {0: None})
    n = max(len(r) for r in rows)
    assert all(len(r) == n for r in t.rows)
    assert all(len(r) == n for r in t.header)


@st.composite
def ruled_fragments(draw: st.DrawFn) -> list[RawTable]:
    """Random ruled fragments: arbitrary (even overlapping) spans and texts, shared columns."""
    n_cols = draw(st.integers(1, 4))
    col_x = [50.0 * k for k in range(n_cols + 1)]
    frags = []
    for page in range(draw(st.integers(1, 3))):
        n_rows = draw(st.integers(1, 5))
        cells = [
            RawCell(
                row=draw(st.integers(-1, n_rows)),
                col=draw(st.integers(-1, n_cols)),
                text=draw(st.sampled_from(["", "1", "2.", "序号", "续写", "完成。", "（一）任务", "100%"])),
                rowspan=draw(st.integers(1, 4)),
                colspan=draw(st.integers(1, 3)),
            )
            for _ in range(draw(st.integers(0, 12)))
        ]
        frags.append(RawTable(page, n_rows, n_cols, cells, RawTableStyle.RULED, col_x=col_x))
    return frags


@settings(max_examples=80, deadline=None)
@given(ruled_fragments())
def test_tables_ruled_fragments_never_raise(frags: list[RawTable]) -> None:
    t = fragments_to_table(frags, "t", {0: 1, 1: 2, 2: 3})
    assert all(len(r) == frags[0].n_cols for r in t.rows + t.header)
    assert len(t.row_pages) == len(t.rows)
    Table.model_validate_json(t.model_dump_json())


@pytest.mark.parametrize("style", ["ruled", "text"])
def test_tables_note_rows_become_notes(style: str) -> None:
    if style == "ruled":
        cells = [
            RawCell(0, 0, "项目"),
            RawCell(0, 1, "数量"),
            RawCell(1, 0, "甲"),
            RawCell(1, 1, "3"),
            RawCell(2, 0, "乙"),
            RawCell(2, 1, "4"),
            RawCell(3, 0, "注：数据截至 2021 年底。", colspan=2),
        ]
        frag = RawTable(0, 4, 2, cells, RawTableStyle.RULED)
    else:
        frag = text_table([["项目", "数量"], ["甲", "3"], ["乙", "4"], ["注：数据截至 2021 年底。", ""]])
    t = fragments_to_table([frag], "t", {0: 1})
    assert t.rows == [["甲", "3"], ["乙", "4"]]
    assert t.notes == ["注：数据截至2021年底。"]
    assert t.row_pages == [1, 1]
    assert max(c.row + c.rowspan for c in t.cells if c.part == TablePart.BODY) == 2


def test_tables_header_alone_at_page_end() -> None:
    """A table whose first page holds only the header row; the next page does not repeat it."""
    p1 = grid_table([["序号", "名称", "数量"]], 0)
    p2 = grid_table([["1", "甲", "3"], ["2", "乙", "4"]], 1)
    t = fragments_to_table([p1, p2], "t", {0: 5, 1: 6})
    assert t.header == [["序号", "名称", "数量"]]
    assert t.rows == [["1", "甲", "3"], ["2", "乙", "4"]]
    assert t.row_pages == [6, 6] and t.pages == [5, 6]


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("专栏 2 重点工程", False),  # a new table with its own caption row
        ("续表", True),
        ("（续表 1）", True),
        ("专栏 1 指标表", True),  # the caption row repeated
    ],
)
def test_tables_continues_caption_row(opening: str, expected: bool) -> None:
    def boxed(caption: str, page: int) -> RawTable:
        cells = [
            RawCell(0, 0, caption, colspan=2),
            RawCell(1, 0, "序号"),
            RawCell(1, 1, "名称"),
            RawCell(2, 0, "1"),
            RawCell(2, 1, "甲"),
        ]
        return RawTable(page, 3, 2, cells, RawTableStyle.RULED, col_x=[0.0, 50.0, 300.0])

    prev, nxt = boxed("专栏 1 指标表", 0), boxed(opening, 1)
    assert continues(prev, nxt) is expected
    if expected:
        t = fragments_to_table([prev, nxt], "t", {0: 1, 1: 2})
        assert t.caption == "专栏1指标表"
        assert t.header == [["序号", "名称"]]
        assert t.rows == [["1", "甲"], ["1", "甲"]]


def _run(text: str, x0: float, top: float, x1: float) -> Line:
    return Line(text=text, page_index=1, bbox=(x0, top, x1, top + 9))


def _three_line(page: int, col_x: list[float], rows: list[list[RawCell]], open_top: bool) -> RawTable:
    cells = [c for r in rows for c in r]
    n_cols = len(col_x) - 1
    return RawTable(
        page,
        len(rows),
        n_cols,
        cells,
        RawTableStyle.THREE_LINE,
        col_x=col_x,
        open_top=open_top,
        bbox=(57, 90, 442, 200),
    )


def test_tables_three_line_fragment_read_with_merged_columns_is_stitched() -> None:
    """Page 2 reads four columns as two (texts of neighbouring cells printed close together make one run):
    the fragment continues the table, and each run is cut back at the table's column boundaries."""
    cols = [57.0, 103.0, 202.0, 370.0, 442.0]
    header = ["工作要求", "具体任务", "具体要求", "牵头落实单位"]
    first = _three_line(
        0,
        cols,
        [
            [RawCell(0, c, t) for c, t in enumerate(header)],
            [RawCell(1, c, t) for c, t in enumerate(["一、甲", "（一）乙。", "1.丙。", "区教育局"])],
        ],
        open_top=False,
    )
    runs = [
        _run("（二）提升政府信息公开", 110.0, 100.0, 197.7),
        _run("5.要规范使用", 206.4, 100.0, 290.0),
        _run("区财政局", 374.0, 100.0, 410.0),
        # 办理工作规范化程度。 (column 2, 9 pt characters up to x≈200) and 系统,依法办理。 (column 3, from 206.4)
        # read as one run across the boundary at 202
        _run("办理工作规范化程度。系统,依法办理。", 110.0, 112.0, 273.9),
    ]
    second = _three_line(
        1,
        [57.0, 103.0, 442.0],
        [[RawCell(0, 0, ""), RawCell(0, 1, "".join(r.text for r in runs), runs=runs)]],
        open_top=True,
    )
    assert continues(first, second)
    t = fragments_to_table([first, second], "t", {0: 1, 1: 2})
    assert t.rows[-1] == [
        "一、甲",
        "（二）提升政府信息公开办理工作规范化程度。",
        "5.要规范使用系统,依法办理。",
        "区财政局",
    ]


def test_tables_three_line_fewer_columns_elsewhere_is_not_stitched() -> None:
    cols = [57.0, 103.0, 202.0, 370.0, 442.0]
    first = _three_line(0, cols, [[RawCell(0, c, "甲") for c in range(4)]], open_top=False)
    closed = _three_line(1, [57.0, 103.0, 442.0], [[RawCell(0, 0, "乙"), RawCell(0, 1, "丙")]], open_top=False)
    assert continues(first, closed) is False
    other = _three_line(1, [57.0, 150.0, 442.0], [[RawCell(0, 0, "乙"), RawCell(0, 1, "丙")]], open_top=True)
    assert continues(first, other) is False


def _three_line_grid(rows: list[list[str]], page_index: int) -> RawTable:
    raw = grid_table([list(r) for r in rows], page_index)
    raw.style = RawTableStyle.THREE_LINE
    return raw


def test_tables_three_line_row_continued_inside_a_fragment_is_joined() -> None:
    """No rule between three-line rows: a row opening a page whose merged group label is printed again wraps
    onto a second line in every cell, read as a row of its own; it only continues the row above."""
    p1 = _three_line_grid(
        [
            ["工作要求", "具体任务", "具体要求", "牵头落实单位"],
            ["一、优化政务公开工作基础", "（一）深化公开。", "1.加快建设。", "区政府办公室"],
        ],
        0,
    )
    p2 = _three_line_grid(
        [
            [
                "一、优化政务",
                "（四）规范发布政府信息公开",
                "2.要提高认识，规范编制发布政府信息公开工作年",
                "各镇（街道）；区直和",
            ],
            ["公开工作基础", "工作年度报告。", "度报告，切实提高年报内容质量。", "市驻区各单位"],
        ],
        1,
    )
    t = fragments_to_table([p1, p2], "doc-1/table-1", {0: 1, 1: 2})
    assert [r[2] for r in t.rows] == [
        "1.加快建设。",
        "2.要提高认识，规范编制发布政府信息公开工作年度报告，切实提高年报内容质量。",
    ]
    assert t.rows[1][3] == "各镇（街道）；区直和市驻区各单位"


def test_tables_three_line_short_rows_stay_rows() -> None:
    """Short three-line rows without sentence ends (a list of names) are rows, never joined."""
    p1 = _three_line_grid([["项目", "责任单位"], ["加强组织领导", "区政府办公室"], ["完善工作制度", "区司法局"]], 0)
    t = fragments_to_table([p1], "doc-1/table-1", {0: 1})
    assert t.rows == [["加强组织领导", "区政府办公室"], ["完善工作制度", "区司法局"]]


def test_tables_numbered_list_in_one_cell_runs_on_over_a_page_break() -> None:
    """A cell listing 25.–27. cut at the page break before 28.: the 28. alone at the top of the next page (the
    other columns empty) is the rest of that cell; a one-item cell followed by the next number is a new row."""
    p1 = grid_table(
        [
            ["工作要求", "具体要求", "单位"],
            ["三、解读", "25. 落实细则。\n26. 开展解读。\n27. 公开征求意见。", "各单位"],
        ],
        0,
    )
    p2 = grid_table([["", "28. 开展评估。", ""], ["", "29. 完成平台建设。", "各单位"]], 1)
    t = fragments_to_table([p1, p2], "t", {0: 1, 1: 2})
    assert [r[1] for r in t.rows] == [
        "25.落实细则。\n26.开展解读。\n27.公开征求意见。\n28.开展评估。",
        "29.完成平台建设。",
    ]
    one = grid_table([["工作要求", "具体要求", "单位"], ["三、解读", "27. 公开征求意见。", "各单位"]], 0)
    t = fragments_to_table([one, p2], "t", {0: 1, 1: 2})
    assert [r[1] for r in t.rows] == ["27.公开征求意见。", "28.开展评估。", "29.完成平台建设。"]


@pytest.mark.parametrize(
    ("prev", "new", "expected"),
    [
        ("25. 甲。\n26. 乙。", "27. 丙", True),
        ("25. 甲。\n26. 乙。", "28. 丙", False),  # not the next number
        ("25. 甲。\n26. 乙。", "（三）丙", False),  # another kind of label
        ("26. 乙。", "27. 丙", False),  # one item is no list
        ("（一）甲。\n（二）乙。", "（三）丙", True),
        ("25. 甲。\n26. 乙。", "丙", False),
    ],
)
def test_tables_continues_list(prev: str, new: str, expected: bool) -> None:
    assert continues_list(prev, new) is expected
