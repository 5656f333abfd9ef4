"""Contents lines (目录): parse_toc_line, split_label, blocks_to_toc (wrapped titles, the corpus)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.grammar.labels import LabelKind, label_key, split_label
from pipeline.structure.toc import (
    blocks_to_toc,
    parse_toc_line,
    toc_levels,
)
from pipeline.types import Block, BlockKind, Line
from schemas.model import TocEntry
from tests.test_outline_corpus import pdf_plan_blocks, text_plan_blocks

HERE = Path(__file__).resolve().parent
CORPUS_TXT = HERE.parent / "corpus" / "maonan-2022-03.txt"


def join_toc_lines(lines: list[str]) -> list[TocEntry]:
    """The contents entries ``blocks_to_toc`` reads from printed lines, one paragraph block a line."""
    return blocks_to_toc([Block(BlockKind.PARAGRAPH, t) for t in lines])[0]


@pytest.mark.parametrize(
    ("line", "label", "title", "page"),
    [
        ("第一章 发展基础与面临形势.....\t7 -", "第一章", "发展基础与面临形势", 7),
        ("第一章 发展基础与面临形势...............................7", "第一章", "发展基础与面临形势", 7),
        ("1.全面落实安全责任.....\t7 -", "1.", "全面落实安全责任", 7),
        ("第一节 发展基础\t7 -", "第一节", "发展基础", 7),
        ("茂南府〔2022〕2 号..........1", None, "茂南府〔2022〕2号", 1),
        ("茂南府办函〔2022〕68 号 50", None, "茂南府办函〔2022〕68号", 50),
        ("1. 生命至上，安全发展.....\t18 -", "1.", "生命至上，安全发展", 18),
        ("3.加强应急管理监管执法规范化建设..... - 38 -", "3.", "加强应急管理监管执法规范化建设", 38),
        (
            " 第一节 茂南区应急指挥中心及应急指挥系统建设工程..... - 39 -",
            "第一节",
            "茂南区应急指挥中心及应急指挥系统建设工程",
            39,
        ),
        ("附件..... - 46 -", "附件", "附件", 46),
        (" “十四五”时期专项整治工作..... - 46 -", None, "“十四五”时期专项整治工作", 46),
        ("第三章 主要任务 — 22 —", "第三章", "主要任务", 22),
        ("第三章 主要任务 - 22 -", "第三章", "主要任务", 22),
        ("第三章 主要任务\t22", "第三章", "主要任务", 22),
        ("第三章 主要任务 ２２", "第三章", "主要任务", 22),
        ("（一）工作目标……………３", "（一）", "工作目标", 3),
        ("一、总体要求··········12", "一、", "总体要求", 12),
        ("附件..............................................", "附件", "附件", None),
        ("第 二 章  总体要求 和 发展目标.....18", "第二章", "总体要求和发展目标", 18),
    ],
)
def test_toc_parse_line_values(line: str, label: str | None, title: str, page: int | None) -> None:
    got = parse_toc_line(line)
    assert got is not None
    assert (got.label, got.title, got.page) == (label, title, page)
    assert got.raw == line


@pytest.mark.parametrize(
    "line",
    [
        "",
        "   ",
        "1. 生命至上，安全发展",  # a heading: no leaders, no page
        "第一章 发展基础与面临形势",
        "2022",
        "第 3 期",
        "茂名市茂南区人民政府公报 2022",  # 4 digits after a space: a year, not a page
        "一是在深入学习贯彻习近平总书记重要指示批示精神的基础",
        "2016 年—2020 年危化品隐患整改率平均为 97.67%，其中 2016",
        "某某 3.5",
        "表 1",  # a caption number, not a page
        "图 2",
        "......",  # leaders without a title
        "— 7 —",  # a bare page label
        "x" * 500 + ".....7",  # too long for a contents line
    ],
)
def test_toc_parse_line_rejects(line: str) -> None:
    assert parse_toc_line(line) is None


def test_toc_parse_line_kind() -> None:
    got = parse_toc_line("第二节 面临形势\t15 -")
    assert got is not None and got.kind is LabelKind.SECTION


def test_toc_join_wrapped_title() -> None:
    lines = [
        "2. 建立健全安全风险分级管控和隐患排查治理双重预防机",
        "制...........................................................27",
        "3. 强化重点行业领域安全监管..........................................29",
    ]
    got = join_toc_lines(lines)
    assert [(t.label, t.title, t.page) for t in got] == [
        ("2.", "建立健全安全风险分级管控和隐患排查治理双重预防机制", 27),
        ("3.", "强化重点行业领域安全监管", 29),
    ]
    assert got[0].source is not None and got[0].source.text == "\n".join(lines[:2])


def test_toc_join_stops_at_body() -> None:
    lines = ["第一章 总则.....1", "", "第二章 附则.....9", "为了规范管理，制定本办法。", "第三章 其他.....12"]
    assert [t.label for t in join_toc_lines(lines)] == ["第一章", "第二章"]


def test_toc_join_page_on_its_own_line() -> None:
    got = join_toc_lines(["第一章 发展基础与面临形势", "— 7 —", "第二章 总体要求", "18", "第三章 主要任务......22"])
    assert [(t.label, t.title, t.page) for t in got] == [
        ("第一章", "发展基础与面临形势", 7),
        ("第二章", "总体要求", 18),
        ("第三章", "主要任务", 22),
    ]


def test_toc_join_needs_a_marked_continuation() -> None:
    # a heading followed by a caption line is not a wrapped contents title
    assert join_toc_lines(["第一章 发展基础与面临形势", "表 1"]) == []
    assert join_toc_lines(["第一章 发展基础与面临形势", "某某规划 3"]) == []


def test_toc_join_does_not_swallow_a_labelled_line() -> None:
    # an unfinished labelled line followed by a full entry is not a wrap: the list ends there
    assert join_toc_lines(["第一章 总则", "第二章 附则.....9"]) == []


@pytest.mark.parametrize(
    ("text", "label", "kind", "number", "rest"),
    [
        ("第一章 发展基础", "第一章", LabelKind.CHAPTER, 1, "发展基础"),
        ("第十二章 附则", "第十二章", LabelKind.CHAPTER, 12, "附则"),
        ("第 3 节 目标", "第3节", LabelKind.SECTION, 3, "目标"),
        ("第一部分 总体要求", "第一部分", LabelKind.PART, 1, "总体要求"),
        ("一、高度重视", "一、", LabelKind.CN_ENUM, 1, "高度重视"),
        ("（二）持续推进", "（二）", LabelKind.CN_PAREN, 2, "持续推进"),
        ("(二) 持续推进", "(二)", LabelKind.CN_PAREN, 2, "持续推进"),
        ("1. 全面落实", "1.", LabelKind.NUM, 1, "全面落实"),
        ("1．全面落实", "1．", LabelKind.NUM, 1, "全面落实"),
        ("12、全面落实", "12、", LabelKind.NUM, 12, "全面落实"),
        ("（4）强化", "（4）", LabelKind.NUM_PAREN, 4, "强化"),
        ("(1) 强化", "(1)", LabelKind.NUM_PAREN, 1, "强化"),
        ("③强化", "③", LabelKind.CIRCLED, 3, "强化"),
        ("一是国家的高度重视", "一是", LabelKind.LEADIN, 1, "国家的高度重视"),
        ("第一，强化重大风险防控", "第一，", LabelKind.LEADIN, 1, "强化重大风险防控"),
        ("附件", "附件", LabelKind.APPENDIX, None, ""),
        ("附件2：分工表", "附件2", LabelKind.APPENDIX, 2, "分工表"),
        ("第一条 为了惩罚犯罪", "第一条", LabelKind.ARTICLE, 1, "为了惩罚犯罪"),
        ("第四百五十二条 本法自施行", "第四百五十二条", LabelKind.ARTICLE, 452, "本法自施行"),
        ("第十七条之一 已满七十五周岁", "第十七条之一", LabelKind.ARTICLE, 17, "已满七十五周岁"),
    ],
)
def test_toc_split_label_kinds(text: str, label: str, kind: LabelKind, number: int | None, rest: str) -> None:
    got = split_label(text)
    assert got is not None
    assert (got.text, got.kind, got.number, got.rest) == (label, kind, number, rest)


@pytest.mark.parametrize("text", ["2016、2019 和 2020 年", "1.5 万元", "正文一、二", "“十四五”时期", "37.5%", ""])
def test_toc_split_label_none(text: str) -> None:
    assert split_label(text) is None


@pytest.mark.parametrize(("a", "b"), [("1.", "1．"), ("1.", "1、"), ("（1）", "(1)"), ("１.", "1.")])
def test_toc_label_key_folds_variants(a: str, b: str) -> None:
    assert label_key(a) == label_key(b)


def test_toc_levels_relative() -> None:
    k = LabelKind
    assert toc_levels([k.CN_ENUM, k.CN_PAREN, k.NUM, k.CN_ENUM]) == [1, 2, 3, 1]
    assert toc_levels([k.CHAPTER, k.SECTION, k.NUM, k.SECTION, k.CHAPTER, k.APPENDIX, None]) == [1, 2, 3, 2, 1, 1, 2]


# --------------------------------------------------------------------------- the corpus contents lists


def _after_toc_heading(blocks: list[Block]) -> list[Block]:
    i = next(k for k, b in enumerate(blocks) if b.text.replace(" ", "") == "目录")
    return blocks[i + 1 :]


def test_toc_blocks_text_corpus() -> None:
    blocks = _after_toc_heading(text_plan_blocks())
    entries, consumed = blocks_to_toc(blocks)
    assert len(entries) == 63
    assert blocks[consumed].text.startswith("“十四五”时期（2021—2025年）")
    chapters = [(e.label, e.title, e.page) for e in entries if e.level == 1]
    assert chapters == [
        ("第一章", "发展基础与面临形势", 7),
        ("第二章", "总体要求和发展目标", 18),
        ("第三章", "主要任务", 22),
        ("第四章", "重点工程", 39),
        ("第五章", "保障措施", 43),
        ("附件", "附件", 46),
    ]
    assert [e.level for e in entries[:4]] == [1, 2, 3, 3]
    assert entries[-1].title == "“十四五”时期专项整治工作" and entries[-1].level == 2 and entries[-1].page == 46
    wrapped = next(e for e in entries if e.title.startswith("建立健全安全风险分级管控"))
    assert (wrapped.label, wrapped.page) == ("2.", 28)
    first = entries[0]
    assert first.source is not None and first.source.line == 42 and first.source.pdf_page is None
    assert first.source.text == "第一章 发展基础与面临形势.....\t7 -"


def test_toc_blocks_accepts_leading_toc_heading() -> None:
    blocks = [
        Block(kind=BlockKind.PARAGRAPH, text="目 录", lines=[Line(text="目 录", page_index=0, line_no=1)]),
        Block(kind=BlockKind.PARAGRAPH, text="一、总体要求.....1", lines=[]),
        Block(kind=BlockKind.PARAGRAPH, text="一、总体要求", lines=[]),
    ]
    entries, consumed = blocks_to_toc(blocks)
    assert consumed == 2 and [(e.label, e.title, e.page, e.level) for e in entries] == [("一、", "总体要求", 1, 1)]


def test_toc_blocks_none() -> None:
    blocks = [Block(kind=BlockKind.PARAGRAPH, text="为了规范管理，制定本办法。")]
    assert blocks_to_toc(blocks) == ([], 0)
    assert blocks_to_toc([]) == ([], 0)


def test_toc_blocks_pdf_corpus() -> None:
    blocks, printed = pdf_plan_blocks()
    after = _after_toc_heading(blocks)
    entries, consumed = blocks_to_toc(after, printed)
    assert len(entries) == 63
    assert after[consumed].text.startswith("“十四五”时期（2021—2025 年）")
    chapters = [(e.label, e.page) for e in entries if e.level == 1]
    assert chapters == [("第一章", 7), ("第二章", 18), ("第三章", 22), ("第四章", 39), ("第五章", 42), ("附件", 45)]
    wrapped = next(e for e in entries if e.title.startswith("建立健全安全风险分级管控"))
    assert (wrapped.title, wrapped.page) == ("建立健全安全风险分级管控和隐患排查治理双重预防机制", 27)
    first = entries[0]
    assert first.source is not None and first.source.pdf_page == 4 and first.source.page == 2
    assert first.source.bbox is not None and first.source.bbox[0] == pytest.approx(79.5, abs=0.5)
    assert entries[-1].source is not None and entries[-1].source.pdf_page == 7


# --------------------------------------------------------------------------- robustness


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("第一章节1.．…\t -7目录附件，。"), max_size=40), max_size=15))
def test_toc_blocks_never_raise(texts: list[str]) -> None:
    blocks = [
        Block(kind=BlockKind.PARAGRAPH, text=t, lines=[Line(text=t, page_index=0, line_no=n)])
        for n, t in enumerate(texts, start=1)
    ]
    entries, consumed = blocks_to_toc(blocks)
    assert 0 <= consumed <= len(blocks)
    assert len(entries) <= sum(1 for t in texts if t.strip())
    assert all(e.level is not None and e.level >= 1 and e.title for e in entries)


_SOUP = st.text(
    alphabet=st.sampled_from("第一二十章节部分篇、（）()1234567890.．…·—-\t\n 附件是，。：目录号〔〕"), max_size=300
)


@settings(max_examples=300, deadline=None)
@given(_SOUP)
def test_toc_parse_line_never_raises(text: str) -> None:
    got = parse_toc_line(text)
    if got is not None:
        assert got.title and (got.page is None or got.page >= 0)


@settings(max_examples=100, deadline=None)
@given(st.lists(_SOUP, max_size=20))
def test_toc_join_never_raises(lines: list[str]) -> None:
    got = join_toc_lines(lines)
    assert len(got) <= len(lines)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_toc_split_label_never_raises(text: str) -> None:
    got = split_label(text)
    if got is not None:
        assert got.text and text.lstrip().startswith(got.text[0])


@pytest.mark.parametrize(
    "text",
    [
        "第一章" * 34000,
        "（" * 100000,
        "1" * 100000,
        "1." * 50000,
        "." * 99999 + "7",
        "第" + "一" * 100000 + "章",
        "附件" * 50000,
        "- " * 50000 + "7 -",
        "\t" * 100000 + "7",
    ],
)
def test_toc_adversarial_is_fast(text: str) -> None:
    started = time.perf_counter()
    parse_toc_line(text)
    split_label(text)
    join_toc_lines([text, text[:300]])
    assert time.perf_counter() - started < 1.0


_CJK_TITLE = st.text(
    alphabet=st.sampled_from("发展基础与面临形势总体要求安全生产应急管理“”，、（）"), min_size=1, max_size=30
).filter(lambda t: "\u4e00" <= t[0] <= "\u9fff" and t[0] not in "一二")
_LABELS = st.sampled_from(["第一章", "第十二章", "第三节", "一、", "（二）", "1.", "12．", "3、", "（4）"])
_FORMATS = st.sampled_from(
    [
        "{label} {title}{leaders}{page}",
        "{label}{title}{leaders}\t{page} -",
        "{label} {title}{leaders} - {page} -",
        "{label} {title}\t{page}",
        "{label} {title} — {page} —",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    _LABELS,
    _CJK_TITLE,
    st.integers(min_value=1, max_value=999),
    _FORMATS,
    st.sampled_from(["....", "......................", "……", "·····"]),
)
def test_toc_parse_line_round_trip(label: str, title: str, page: int, fmt: str, leaders: str) -> None:
    line = fmt.format(label=label, title=title, leaders=leaders, page=page)
    got = parse_toc_line(line)
    assert got is not None
    assert (got.label, got.title, got.page) == (label, title, page)


def test_toc_lines_to_source_first_page_box() -> None:
    from pipeline.structure.toc import lines_to_source, printed_page

    lines = [
        Line(text="a", page_index=3, bbox=(100.0, 200.0, 300.0, 216.0)),
        Line(text="b", page_index=3, bbox=(79.5, 229.0, 520.0, 245.0)),
        Line(text="c", page_index=4, bbox=(10.0, 10.0, 20.0, 20.0)),
    ]
    src = lines_to_source(lines, "abc", {3: 1})
    assert (src.page, src.pdf_page, src.bbox, src.text, src.line) == (1, 4, [79.5, 200.0, 520.0, 245.0], "abc", None)
    text_src = lines_to_source([Line(text="x", page_index=0, line_no=12)], "x", lambda i: None)
    assert (text_src.line, text_src.pdf_page, text_src.bbox, text_src.page) == (12, None, None, None)
    assert printed_page(None, 3) is None and printed_page({3: 1}, 3) == 1 and printed_page(lambda i: i + 1, 3) == 4


def test_toc_join_short_leader_inside_a_list() -> None:
    """A contents title so long it leaves room for one leader dot (``…秩序罪.20``) is an entry inside a list,
    never alone (``增长3.20`` is no contents line)."""
    lines = [
        "第二章 危害公共安全罪.........................16",
        "第三章 破坏社会主义市场经济秩序罪.20",
        "第一节 生产、销售伪劣商品罪........20",
    ]
    entries = join_toc_lines(lines)
    assert [(e.label, e.title, e.page) for e in entries] == [
        ("第二章", "危害公共安全罪", 16),
        ("第三章", "破坏社会主义市场经济秩序罪", 20),
        ("第一节", "生产、销售伪劣商品罪", 20),
    ]
    assert join_toc_lines(lines[1:2]) == []
    assert parse_toc_line("第三章 破坏社会主义市场经济秩序罪.20") is None
