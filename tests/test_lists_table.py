"""table_to_list_categories on the corpus's appendix table 序号 / 分类 / 主要任务 (document 1, 专项整治工作)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.tables.lists import cell_to_items, is_list_table, list_columns, table_to_list_categories
from schemas.model import Source, Table

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "maonan-2022-03.txt"
HEADER = ["序号", "分类", "主要任务"]
NAMES = [
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
ITEM_COUNTS = [3, 4, 3, 1, 2, 4, 1, 2, 6, 6, 1]


def _printed_rows() -> list[list[str]]:
    """The table's tab-separated body rows as printed in the text extraction (blank lines are page breaks)."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    start = lines.index("\t".join(HEADER)) + 1
    rows: list[list[str]] = []
    for line in lines[start:]:
        if line.startswith("公开方式"):
            break
        if line.strip():
            rows.append(line.split("\t"))
    return rows


def _resolved(rows: list[list[str]], paragraphs: str = "\n") -> list[list[str | None]]:
    """Blank cells merged with the one above; <p>…</p> paragraphs joined by ``paragraphs``."""
    out: list[list[str | None]] = []
    above = ["", "", ""]
    for r in rows:
        cells = [*r, "", ""][:3]
        cells[2] = paragraphs.join(p.strip() for p in re.findall(r"<p>(.*?)</p>", cells[2])) or cells[2]
        above = [c or a for c, a in zip(cells[:2], above[:2], strict=True)] + [cells[2]]
        out.append(list(above))
    return out


def corpus_table(rows: list[list[str | None]] | None = None, pages: list[int | None] | None = None) -> Table:
    body = rows if rows is not None else _resolved(_printed_rows())
    return Table(
        id="doc-1/att-1/table-5",
        header=[HEADER],
        rows=body,
        row_pages=pages or [],
        source=Source(page=45, pdf_page=47),
    )


def _facts(table: Table) -> list[tuple[object, ...]]:
    return [(c.id, c.seq, c.name, c.items) for c in table_to_list_categories(table, "doc-1/att-1")]


def test_lists_corpus_categories() -> None:
    table = corpus_table()
    assert is_list_table(table)
    cats = table_to_list_categories(table, "doc-1/att-1")
    assert [c.name for c in cats] == NAMES
    assert [c.seq for c in cats] == list(range(1, 12))
    assert [c.id for c in cats] == [f"doc-1/att-1/list-{n}" for n in range(1, 12)]
    assert [len(c.items) for c in cats] == ITEM_COUNTS
    assert all(c.items and all(c.items) for c in cats)


def test_lists_corpus_item_texts() -> None:
    cats = table_to_list_categories(corpus_table(), "doc-1/att-1")
    by_name = {c.name: c.items for c in cats}
    assert by_name["非煤矿山"][0].startswith("提高安全准入门槛，开展非煤矿山安全生产标准化")
    assert by_name["危险废物"][2].startswith("建立部门联动、区域合作、重大案件会商督办制度")
    assert by_name["烟花爆竹"] == [
        "全面改善规范全区烟花爆竹企业安全生产条件，推进烟花爆竹工厂化、标准化、机械化、科技化和集约化建设。",
        "强化烟花爆竹销售旺季储存、销售、运输、燃放等安全监管，严厉打击“私炮”行为。",
    ]
    assert by_name["工业园区"][1].startswith("加快工业园区信息化建设，2022年底前按照市规划部署")


def test_lists_paragraph_split_over_page_break_is_joined() -> None:
    cats = table_to_list_categories(corpus_table(), "doc-1/att-1")
    (item,) = cats[6].items
    assert "按要求配备齐全消防、救生设备；对船员进行安全生产、业务能力的培训和监管等。" in item
    assert item.endswith("培训和监管等。")


def test_lists_row_pages_same_page_not_joined() -> None:
    rows: list[list[str | None]] = [["1", "甲类", "开展排查"], ["1", "甲类", "建立台账。"]]
    cats = table_to_list_categories(corpus_table(rows, [5, 5]), "p")
    assert cats[0].items == ["开展排查", "建立台账。"]


def test_lists_unresolved_cells_and_p_tags_give_the_same() -> None:
    printed: list[list[str | None]] = [[c or None for c in [*r, "", ""][:3]] for r in _printed_rows()]
    assert _facts(corpus_table(printed)) == _facts(corpus_table())


def test_lists_repeated_header_and_duplicated_item_at_page_break() -> None:
    rows = _resolved(_printed_rows())
    k = next(i for i, r in enumerate(rows) if r[1] == "城市安全")
    dup = [*rows[: k + 2], list(HEADER), ["9", "城市安全", rows[k + 1][2]], *rows[k + 2 :]]
    assert _facts(corpus_table(dup)) == _facts(corpus_table())


def test_lists_list_cell_merged_over_rows_counts_once() -> None:
    rows: list[list[str | None]] = [
        ["1", "甲类", "开展排查。\n建立台账。"],
        ["1", "甲类", "开展排查。\n建立台账。"],
        ["2", "乙类", "完善制度。"],
    ]
    cats = table_to_list_categories(corpus_table(rows), "p")
    assert [(c.id, c.name, c.items) for c in cats] == [
        ("p/list-1", "甲类", ["开展排查。", "建立台账。"]),
        ("p/list-2", "乙类", ["完善制度。"]),
    ]


def test_lists_same_name_new_seq_is_a_new_category() -> None:
    rows: list[list[str | None]] = [["1", "综合", "甲。"], ["2", "综合", "乙。"]]
    assert [(c.seq, c.items) for c in table_to_list_categories(corpus_table(rows), "p")] == [
        (1, ["甲。"]),
        (2, ["乙。"]),
    ]


def test_lists_source_is_first_row_of_category() -> None:
    pages: list[int | None] = [45] * 20 + [46] * 30
    rows = _resolved(_printed_rows())
    cats = table_to_list_categories(corpus_table(rows, pages[: len(rows)]), "doc-1/att-1")
    assert cats[0].source is not None
    assert (cats[0].source.page, cats[0].source.pdf_page, cats[0].source.text) == (45, 47, "非煤矿山")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["序号", "分类", "主要任务"], True),
        (["类别", "工作内容"], True),
        (["序号", "领域", "重点措施"], True),
        (["工作要求", "具体任务", "具体要求", "牵头落实单位"], False),
        (["序号", "分类", "主要任务", "责任单位"], False),
        (["序号", "类别", "指标", "指标值", "指标属性"], False),
        (["", "2016", "2017"], False),
    ],
)
def test_lists_list_columns(header: list[str], expected: bool) -> None:
    assert (list_columns(header) is not None) is expected


def test_lists_not_a_list_table_gives_nothing() -> None:
    table = Table(id="t", header=[["", "2016", "2017"]], rows=[["检查企业", "88", "103"]])
    assert not is_list_table(table)
    assert table_to_list_categories(table, "p") == []


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("<p>甲。</p> <p>乙。</p>", ["甲。", "乙。"]),
        ("甲。\n\n 乙 。", ["甲。", "乙。"]),
        ("  ", []),
        (None, []),
    ],
)
def test_lists_cell_to_items(text: str | None, items: list[str]) -> None:
    assert cell_to_items(text) == items


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.text(max_size=12)), max_size=4), max_size=8))
def test_lists_never_raises_on_any_rows(rows: list[list[str | None]]) -> None:
    for cat in table_to_list_categories(Table(id="t", header=[HEADER], rows=rows), "p"):
        assert cat.name
        assert len(cat.items) == len(set(cat.items))


def test_lists_split_paragraph_joined_only_across_pages() -> None:
    rows: list[list[str | None]] = [["1", "甲类", "开展排查。"], ["1", "甲类", "对船"], ["1", "甲类", "员进行培训。"]]
    cats = table_to_list_categories(corpus_table(rows, [5, 5, 6]), "p")
    assert cats[0].items == ["开展排查。", "对船员进行培训。"]


@pytest.mark.parametrize("big", ["中 " * 50_000, "\n" * 100_000, "<p>" * 30_000, "分类" * 50_000])
def test_lists_fast_on_100kb_cells(big: str) -> None:
    table = Table(id="t", header=[HEADER], rows=[["1", big, big], [big, big, big]])
    began = time.process_time()
    table_to_list_categories(table, "p")
    assert time.process_time() - began < 2.0  # linear: ~0.1 s on an idle core


def test_lists_ids_unique_when_seq_missing_or_repeated() -> None:
    rows: list[list[str | None]] = [["2", "甲类", "甲。"], ["", "乙类", "乙。"], ["2", "丙类", "丙。"]]
    cats = table_to_list_categories(corpus_table(rows), "p")
    assert [c.id for c in cats] == ["p/list-2", "p/list-pos-2", "p/list-2-3"]
