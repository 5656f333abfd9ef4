"""tables on the real corpus: the four multi-page tables stitched from the PDF and from the text extraction."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from pipeline.tables.stitch import continues, fragments_to_table, normalise_cell
from pipeline.types import RawCell, RawTable, RawTableStyle
from schemas.model import Table, TablePart, TableStyle
from tests.test_pdf_tables_corpus import PDF, corpus_tables

TXT = Path(__file__).resolve().parent.parent / "corpus" / "maonan-2022-03.txt"
PRINTED = {i: i - 1 for i in range(62)}  # page index → printed page (printed N is PDF page N + 2)
CATEGORIES = [
    "非煤矿山",
    "危险化学品",
    "危险废物",
    "特种设备",
    "烟花爆竹",
    "道路交通",
    "渔业船舶",
    "工业园区",
    "城市安全",
    "消防安全",
    "地质灾害",
]
GROUPS = {"安全生产": range(1, 6), "防灾减灾": range(6, 18), "应急救援": range(18, 26), "综合": range(26, 28)}


def stitched(first: int, last: int) -> Table:
    """The table over PDF pages first..last (1-based), its fragments checked to continue each other."""
    tables = corpus_tables()
    frags = [t for p in range(first, last + 1) for t in tables[p]]
    assert all(continues(a, b) for a, b in itertools.pairwise(frags))
    return fragments_to_table(frags, "doc-1/att-1/table-1", PRINTED)


def text_rows_table(first_line: int, last_line: int) -> RawTable:
    """The text loader's contract: one TEXT grid row per tab-separated line, ``<p>…</p>`` → ``\\n``."""
    lines = TXT.read_text(encoding="utf-8").split("\n")
    rows: list[tuple[int, list[str]]] = []
    for no in range(first_line, last_line + 1):
        if lines[no - 1].strip():
            cells = [
                re.sub(r"\s*</p>\s*<p>\s*", "\n", c).replace("<p>", "").replace("</p>", "").strip()
                for c in lines[no - 1].split("\t")
            ]
            rows.append((no, cells))
    n = max(len(c) for _, c in rows)
    cells = [
        RawCell(row=r, col=c, text=cs[c] if c < len(cs) else "") for r, (_, cs) in enumerate(rows) for c in range(n)
    ]
    return RawTable(0, len(rows), n, cells, RawTableStyle.TEXT, first_line_no=first_line)


def squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


@pytest.mark.parametrize(("page", "number", "rows"), [(12, 1, 3), (13, 2, 4), (14, 3, 4)])
def test_tables_statistics_tables(page: int, number: int, rows: int) -> None:
    t = fragments_to_table(
        corpus_tables()[page], f"doc-1/att-1/table-{number}", PRINTED, caption=f"表 {number}", number=number
    )
    assert t.header == [["", "2016", "2017", "2018", "2019", "2020"]]
    assert len(t.rows) == rows
    assert t.pages == [page - 2] and t.row_pages == [page - 2] * rows
    assert (t.number, t.caption) == (number, f"表{number}")  # normalised
    if number == 2:
        assert t.rows[2] == ["发现隐患(处)", "---", "178", "201", "103", "78"]
    if number == 1:
        assert t.rows[0] == ["检查企业（家次）", "88", "103", "89", "106", "132"]


def test_tables_indicator_table() -> None:
    t = stitched(23, 24)
    assert t.caption is not None and t.caption.startswith("专栏") and t.caption.endswith("规划指标表")
    assert t.header == [["序号", "类别", "指标", "指标值", "指标属性"]]
    assert len(t.rows) == 27
    assert [r[0] for r in t.rows] == [str(n) for n in range(1, 28)]
    for name, seqs in GROUPS.items():
        assert [r[1] for r in t.rows[seqs.start - 1 : seqs.stop - 1]] == [name] * len(seqs)
    assert t.rows[1][2] == "亿元地区生产总值生产安全事故死亡率"
    assert t.rows[1][3] == "下降33%"
    assert t.rows[9][3] == "≥ 80%"
    assert t.row_pages == [21] * 22 + [22] * 5
    assert t.pages == [21, 22]
    group = next(c for c in t.cells if c.part == TablePart.BODY and c.text == "应急救援")
    assert (group.row, group.rowspan) == (17, 8)  # rows 18–25, over the page break
    assert group.source is not None and (group.source.pdf_page, group.source.page) == (23, 21)
    assert t.source is not None and t.source.pdf_page == 23 and t.source.bbox is not None
    assert t.style == TableStyle.RULED


def test_tables_list_table() -> None:
    t = stitched(47, 50)
    assert t.header == [["序号", "分类", "主要任务"]]
    seqs = list(dict.fromkeys(r[0] for r in t.rows))
    assert seqs == [str(n) for n in range(1, 12)]
    assert list(dict.fromkeys(r[1] for r in t.rows)) == CATEGORIES
    groups = [c for c in t.cells if c.part == TablePart.BODY and c.col == 1]
    assert [c.text for c in groups] == CATEGORIES  # one cell per category, also over page breaks
    fishing = [r[2] for r in t.rows if r[1] == "渔业船舶"]
    assert len(fishing) == 1 and "按要求配备齐全消防、救生设备；对船员" in (fishing[0] or "")
    fire = [r[2] for r in t.rows if r[1] == "消防安全"]
    assert len(fire) == 2 and "火灾隐患常态化排查治理、重大隐患分级治理机制" in (fire[1] or "")
    assert t.pages == [45, 46, 47, 48]


def test_tables_requirements_table_numbers_once() -> None:
    t = stitched(54, 62)
    assert t.header == [["工作要求", "具体任务", "具体要求", "牵头落实单位"]]
    assert t.pages == list(range(52, 61))
    column = [
        c for c in sorted(t.cells, key=lambda c: c.row) if c.part == TablePart.BODY and c.col <= 2 < c.col + c.colspan
    ]
    paragraphs = [p for c in column for p in c.text.split("\n")]
    numbers = [int(m.group(1)) for p in paragraphs if (m := re.match(r"(\d{1,2})\.(?!\d)", p))]
    assert numbers == list(range(1, 55))
    ten = next(c for c in column if c.text.startswith("10."))
    assert "各项制度,统筹用好新闻发布会" in ten.text  # row 10 runs over the page break: one cell
    group = next(c for c in t.cells if c.part == TablePart.BODY and c.col == 0 and c.text.startswith("二、"))
    assert group.text == "二、围绕服务中心工作、助力经济社会平稳健康发展深化重点领域信息公开"
    assert [c.text[:2] for c in t.cells if c.part == TablePart.BODY and c.col == 0] == [
        "一、",
        "二、",
        "三、",
        "四、",
        "五、",
    ]


@pytest.mark.parametrize(("first", "last"), [(12, 12), (23, 24), (47, 50), (54, 62)])
def test_tables_no_text_lost_or_duplicated(first: int, last: int) -> None:
    """Every printed character inside the tables' boxes is in exactly one cell (or the caption)."""
    t = stitched(first, last)
    got = Counter(squash(t.caption))
    for c in t.cells:
        got.update(squash(c.text))
    printed: Counter[str] = Counter()
    with pdfplumber.open(PDF) as pdf:
        for p in range(first, last + 1):
            for frag in corpus_tables()[p]:
                assert frag.bbox is not None
                box = pdf.pages[p - 1].within_bbox(frag.bbox)
                printed.update(squash("".join(ch["text"] for ch in box.chars)))
    assert got == printed


def test_tables_text_indicator_table_matches_pdf() -> None:
    t = fragments_to_table([text_rows_table(301, 330)], "doc-1/att-1/table-4", {0: None})
    pdf = stitched(23, 24)
    assert t.style == TableStyle.TEXT
    assert t.caption == pdf.caption
    assert t.header == pdf.header
    assert len(t.rows) == 27
    assert t.rows == pdf.rows
    group = next(c for c in t.cells if c.text == "防灾减灾")
    assert (group.row, group.rowspan) == (5, 12)


def test_tables_text_list_table_matches_pdf() -> None:
    t = fragments_to_table([text_rows_table(558, 586)], "doc-1/att-2/table-1", {0: None})
    pdf = stitched(47, 50)
    assert t.header == pdf.header
    assert list(dict.fromkeys(r[1] for r in t.rows)) == CATEGORIES
    assert [r[:2] for r in t.rows] == [r[:2] for r in pdf.rows]
    fishing = next(r[2] for r in t.rows if r[1] == "渔业船舶")
    assert fishing is not None and "按要求配备齐全消防、救生设备；对船员进行安全生产" in fishing
    # the same task texts, modulo the text extraction's own characters (half/full-width, cut lines)
    same = sum(1 for a, b in zip(t.rows, pdf.rows, strict=True) if squash(a[2])[:30] == squash(b[2])[:30])
    assert same == len(t.rows)


def test_tables_text_requirements_rows_continue() -> None:
    t = fragments_to_table([text_rows_table(622, 632)], "doc-2/table-1", {0: None})
    assert t.header == [["工作要求", "具体任务", "具体要求", "牵头落实单位"]]
    assert [squash(r[2])[:2] for r in t.rows] == ["1.", "2.", "3.", "4.", "5.", "6.", "7.", "8."]
    assert all(r[0] == "一、优化政务公开工作基础" for r in t.rows)
    assert normalise_cell(t.rows[3][2] or "").endswith("级财政部门要做好业务指导。")  # line 628 joined into row 4


def test_tables_requirements_column_in_printed_order() -> None:
    """The 具体要求 column of the stitched table reads exactly like its printed cells, page after page."""
    t = stitched(54, 62)
    column = [
        c for c in sorted(t.cells, key=lambda c: c.row) if c.part == TablePart.BODY and c.col <= 2 < c.col + c.colspan
    ]
    printed = []
    for p in range(54, 63):
        (frag,) = corpus_tables()[p]
        x = (frag.col_x[0] + frag.col_x[-1]) / 2  # the 具体要求 column sits around the table's middle
        cells = [
            c
            for c in sorted(frag.cells, key=lambda c: c.row)
            if frag.col_x[c.col] <= x <= frag.col_x[c.col + c.colspan]
        ]
        printed += [c.text for c in cells if not (p == 54 and c.row == 0)]
    assert squash("".join(c.text for c in column)) == squash("".join(printed))
