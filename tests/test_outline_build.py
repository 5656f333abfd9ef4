"""blocks_to_outline: heading patterns, numbering sequences, relative levels, fonts, robustness."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.structure.outline import SequenceIssue, blocks_to_outline, flatten
from pipeline.types import Block, BlockKind, Line, RawTable, RawTableStyle

BODY = "FandolFang-Regular"


def _text_blocks(texts: list[str]) -> list[Block]:
    return [
        Block(kind=BlockKind.PARAGRAPH, text=t, lines=[Line(text=t, page_index=0, line_no=n)])
        for n, t in enumerate(texts, start=1)
    ]


def _pdf_block(text: str, font: str = BODY, n_lines: int = 1, size: float = 16.0, page: int = 0) -> Block:
    per = max(1, -(-len(text) // n_lines))
    parts = [text[k : k + per] for k in range(0, len(text), per)] or [text]
    lines = [
        Line(
            text=p,
            page_index=page,
            bbox=(79.5, 100.0 + 29 * j, 79.5 + 16 * len(p), 116.0 + 29 * j),
            font=font,
            size=size,
            bold="Bold" in font,
        )
        for j, p in enumerate(parts)
    ]
    return Block(kind=BlockKind.PARAGRAPH, text=text, lines=lines)


def _body(n: int = 5) -> list[Block]:
    """Body paragraphs so that the body font is the most common one."""
    return [
        _pdf_block("坚持以人民为中心的发展思想，牢固树立安全发展理念，统筹发展和安全。" * 2, n_lines=3)
        for _ in range(n)
    ]


@pytest.mark.parametrize(
    ("text", "label", "title"),
    [
        ("第一章 总则", "第一章", "总则"),
        ("第一部分 总体要求", "第一部分", "总体要求"),
        ("第三节 发展目标", "第三节", "发展目标"),
        ("一、总体要求", "一、", "总体要求"),
        ("（一）工作目标", "（一）", "工作目标"),
        ("(一) 工作目标", "(一)", "工作目标"),
        ("1. 生命至上，安全发展", "1.", "生命至上，安全发展"),
        ("1．全面落实安全责任", "1．", "全面落实安全责任"),
        ("1、全面落实安全责任", "1、", "全面落实安全责任"),
        ("（1）强化城市运行安全保障", "（1）", "强化城市运行安全保障"),
        ("(1)强化城市运行安全保障", "(1)", "强化城市运行安全保障"),
        ("①加强领导", "①", "加强领导"),
        ("一是加强组织领导", "一是", "加强组织领导"),
        ("附件 1 工作清单", "附件1", "工作清单"),
    ],
)
def test_outline_heading_patterns(text: str, label: str, title: str) -> None:
    res = blocks_to_outline(_text_blocks([text, "正文内容。"]), "a")
    assert res.is_heading == [True, False]
    assert [(h.label, h.title, h.level, h.id) for h in res.headings] == [(label, title, 1, "a/h-1")]
    assert res.heading_of == ["a/h-1", "a/h-1"]


@pytest.mark.parametrize(
    "text",
    [
        "第一，强化重大风险防控和安全隐患排查治理。建立完善安全风险评估机制。",  # numbered sentence
        "(1) 强化安全监管责任落实。坚持“党政同责、一岗双责、齐抓共管、失职追责”。",  # run-in item
        "1. 全面落实安全责任。",  # a sentence
        "第三，做好烟花爆竹的安全生产监管。",
        "一是在深入学习贯彻习近平总书记重要指示批示精神的基础",  # a lead-in line that runs on
        "1. " + "加强应急管理组织协调" * 5,  # too long for a heading
        "一、工作要求：",  # introduces a list
        "2016、2019 和 2020 年整改率均达到 100%",
        "1.5 万元以上的项目",
        "第一章 总则.....................1",  # a contents line
        "1.",  # a bare number
        "“十四五”时期（2021—2025年）是我国由全面建成小康社会",
    ],
)
def test_outline_not_a_heading(text: str) -> None:
    res = blocks_to_outline(_text_blocks([text]), "a")
    assert res.is_heading == [False] and res.headings == []


def test_outline_table_cell_is_never_a_heading() -> None:
    table = Block(
        kind=BlockKind.TABLE,
        text="1. 安全生产\n2. 防灾减灾",
        tables=[RawTable(page_index=0, n_rows=2, n_cols=1, cells=[], style=RawTableStyle.TEXT)],
    )
    res = blocks_to_outline([*_text_blocks(["一、总体要求"]), table], "a")
    assert res.is_heading == [True, False]
    assert res.heading_of == ["a/h-1", "a/h-1"]
    assert res.headings[0].children == []


def test_outline_levels_are_relative() -> None:
    res = blocks_to_outline(_text_blocks(["一、甲", "（一）乙", "1. 丙", "（1）丁", "（二）戊", "二、己"]), "p")
    flat = flatten(res.headings)
    assert [(h.id, h.level) for h in flat] == [
        ("p/h-1", 1),
        ("p/h-1-1", 2),
        ("p/h-1-1-1", 3),
        ("p/h-1-1-1-1", 4),
        ("p/h-1-2", 2),
        ("p/h-2", 1),
    ]


def test_outline_numbers_restart_under_each_parent() -> None:
    res = blocks_to_outline(_text_blocks(["第一节 甲", "1. 一", "2. 二", "第二节 乙", "1. 三", "2. 四"]), "p")
    assert res.sequence == []
    assert [len(h.children) for h in res.headings] == [2, 2]


def test_outline_jump_is_recorded() -> None:
    res = blocks_to_outline(_text_blocks(["1. 一", "2. 二", "5. 五"]), "p")
    assert [h.label for h in res.headings] == ["1.", "2.", "5."]
    assert res.sequence == [SequenceIssue(heading_id="p/h-3", label="5.", expected=3, actual=5)]


def test_outline_restart_is_recorded() -> None:
    res = blocks_to_outline(_text_blocks(["1. 一", "2. 二", "1. 又一"]), "p")
    assert res.is_heading == [True, True, True]
    assert res.sequence == [SequenceIssue(heading_id="p/h-3", label="1.", expected=3, actual=1)]


@pytest.mark.parametrize("label", ["40.", "1O.", "0."])
def test_outline_out_of_sequence_text_is_body(label: str) -> None:
    res = blocks_to_outline(_text_blocks(["1. 一", "2. 二", f"{label} 某某"]), "p")
    assert res.is_heading == [True, True, False]


def test_outline_out_of_sequence_in_heading_font_is_kept() -> None:
    blocks = [*_body(), _pdf_block("第一章 总则", "FandolHei-Regular"), _pdf_block("第九章 附则", "FandolHei-Regular")]
    res = blocks_to_outline(blocks, "p")
    assert [h.label for h in res.headings] == ["第一章", "第九章"]
    assert res.sequence == [SequenceIssue(heading_id="p/h-2", label="第九章", expected=2, actual=9)]


def test_outline_body_font_run_on_paragraph_is_not_a_heading() -> None:
    # short enough, no sentence end, but three printed lines in the body font: a paragraph, not a title
    blocks = [*_body(), _pdf_block("1. 加强应急管理组织协调调整完善区镇各级安全生产消防减灾", n_lines=3)]
    assert blocks_to_outline(blocks, "p").is_heading[-1] is False
    # the same words on one line (a title) are a heading, even in the body font
    blocks = [*_body(), _pdf_block("1. 加强应急管理组织协调")]
    assert blocks_to_outline(blocks, "p").is_heading[-1] is True


def test_outline_heading_font_allows_longer_titles() -> None:
    long_title = "第一节 " + "茂南区应急指挥中心及应急指挥系统建设工程" * 2
    assert 40 < len(long_title) <= 60
    res = blocks_to_outline([*_body(), _pdf_block(long_title, "FandolKai-Regular", n_lines=2)], "p")
    assert res.is_heading[-1] is True
    res = blocks_to_outline(_text_blocks([long_title]), "p")
    assert res.is_heading == [False]


def test_outline_leadin_needs_a_short_standalone_line() -> None:
    res = blocks_to_outline(_text_blocks(["1. 面临的机遇", "一是国家的高度重视", "正文。", "二是发展环境的优化"]), "p")
    assert [(h.label, h.level) for h in flatten(res.headings)] == [("1.", 1), ("一是", 2), ("二是", 2)]
    blocks = [*_body(), _pdf_block("一是国家的高度重视。党中央国务院作出了安全生产防灾减灾救灾", n_lines=2)]
    assert blocks_to_outline(blocks, "p").is_heading[-1] is False


def test_outline_bare_label_takes_next_line_as_title() -> None:
    res = blocks_to_outline(_text_blocks(["第一章", "总则", "为了规范管理，制定本办法。"]), "p")
    assert res.is_heading == [True, True, False]
    assert [(h.label, h.title) for h in res.headings] == [("第一章", "总则")]
    assert res.headings[0].source is not None and res.headings[0].source.text == "第一章\n总则"


def test_outline_skips_contents_list() -> None:
    res = blocks_to_outline(
        _text_blocks(["目 录", "第一章 总则.....1", "第二章 附则.....3", "第一章 总则", "正文。"]), "p"
    )
    assert res.is_heading == [False, False, False, True, False]
    assert [h.source.line for h in res.headings if h.source] == [4]


def test_outline_source_and_printed_page_from_pdf() -> None:
    block = _pdf_block("第三章 主要任务", "FandolHei-Regular", page=23)
    res = blocks_to_outline([*_body(), block], "doc-1/att-1", {23: 22})
    h = res.headings[0]
    assert (h.page, h.source.pdf_page if h.source else None) == (22, 24)
    assert h.source is not None and h.source.bbox == [79.5, 100.0, 79.5 + 16 * 8, 116.0]
    res = blocks_to_outline([*_body(), block], "doc-1/att-1", lambda i: i - 1)
    assert res.headings[0].page == 22


# --------------------------------------------------------------------------- robustness

_PIECES = [
    "第一章",
    "第二节",
    "一、",
    "（一）",
    "(1)",
    "1.",
    "2．",
    "3、",
    "一是",
    "附件",
    "目录",
    "。",
    "；",
    "，",
    "总则",
    "发展",
    ".....",
    "7",
    "- 7 -",
    "\t",
    " ",
    "（",
    "）",
    "①",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join), max_size=30))
def test_outline_never_raises(texts: list[str]) -> None:
    blocks = _text_blocks(texts)
    res = blocks_to_outline(blocks, "x")
    assert len(res.heading_of) == len(res.is_heading) == len(blocks)
    flat = flatten(res.headings)
    assert len({h.id for h in flat}) == len(flat)
    assert all(h.label for h in flat)  # the title is empty for a label printed alone, never the label again
    for h in flat:
        # the tree depth, or deeper for a top-level heading whose higher kind was not read (第一节 before 第二章)
        assert h.level >= h.id.split("/h-")[1].count("-") + 1
        assert all(c.id.startswith(h.id + "-") and c.level == h.level + 1 for c in h.children)
    ids = {h.id for h in flat}
    assert all(x is None or x in ids for x in res.heading_of)


@pytest.mark.parametrize(
    "text",
    [
        "第一章" * 34000,
        "（" * 100000,
        "1" * 100000,
        "1." * 50000,
        "一是" * 50000,
        "第" + "一" * 100000 + "章",
        "目录" * 50000,
    ],
)
def test_outline_adversarial_is_fast(text: str) -> None:
    started = time.process_time()
    blocks_to_outline(_text_blocks([text, text]), "x")
    assert time.process_time() - started < 1.0


def test_outline_many_blocks_is_fast() -> None:
    texts = [f"{n % 99 + 1}. 标题" for n in range(5000)] + ["目 录"] * 100 + ["第一章 总则.....1"] * 2000
    started = time.process_time()
    res = blocks_to_outline(_text_blocks(texts), "x")
    assert time.process_time() - started < 5.0
    assert len(res.is_heading) == len(texts)


def test_outline_run_in_head_wrapped_onto_the_next_line() -> None:
    # a narrow column: the 楷体 head fills the first line and ends on the second, where the body font takes over
    texts = ["（一）科学调度、精准施策，推动经济持续", "回升向好。落实中央一揽子增量和存量政策，加", "强经济运行调节。"]
    fonts = ["FandolKai-Regular", BODY, BODY]
    leads = ["", "回升向好。", ""]
    lines = [
        Line(text=t, page_index=0, bbox=(79.5, 300.0 + 29 * j, 400.0, 316.0 + 29 * j), font=f, size=16.0, lead=ld)
        for j, (t, f, ld) in enumerate(zip(texts, fonts, leads, strict=True))
    ]
    block = Block(kind=BlockKind.PARAGRAPH, text="".join(texts), lines=lines)
    res = blocks_to_outline([*_body(), block], "p")
    assert [(h.label, h.title) for h in res.headings] == [("（一）", "科学调度、精准施策，推动经济持续回升向好")]


def test_outline_run_in_paren_head_in_body_font() -> None:
    # （一）标题。正文 — the conventional run-in level, even when the head is printed in the body font
    res = blocks_to_outline(
        _text_blocks(
            [
                "一、总体情况",
                "（一）主动公开情况。主要通过政府门户网站主动公开政府文件。",
                "（二）依申请公开情况。全年共收到申请12件。",
            ]
        ),
        "r",
    )
    flat = flatten(res.headings)
    assert [(h.level, h.label, h.title, h.id) for h in flat] == [
        (1, "一、", "总体情况", "r/h-1"),
        (2, "（一）", "主动公开情况", "r/h-1-1"),
        (2, "（二）", "依申请公开情况", "r/h-1-2"),
    ]
    assert res.is_heading == [True, False, False]  # the run-in paragraphs stay body text
    assert res.heading_of == ["r/h-1", "r/h-1", "r/h-1"]


def test_outline_run_in_paren_head_wrapping_in_body_font() -> None:
    head = "（三）因地制宜发展新质生产力，加快建设体现安徽特色的现代化产业体系。"
    block = _pdf_block(head + "紧盯新一轮科技革命和产业变革前沿，加快融合发展。", n_lines=3)
    res = blocks_to_outline([*_body(), block], "r")
    assert [(h.label, h.title) for h in res.headings] == [
        ("（三）", "因地制宜发展新质生产力，加快建设体现安徽特色的现代化产业体系")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "一、制定计划，细化跟踪落实。各镇（街道）、各单位要对照方案要求，研究制订具体计划。",  # 一、 in the body font
        "（一）为贯彻落实上级部署，结合我区实际，现就做好今年全区政务公开工作提出如下意见、工作安排和具体要求。各单位要落实。",
        "（二）全年完成任务；超额完成目标。",  # two clauses: a sentence, not a head
    ],
)
def test_outline_run_in_body_font_not_a_heading(text: str) -> None:
    res = blocks_to_outline([*_body(), _pdf_block(text, n_lines=2)], "r")
    assert res.headings == []


def _placed(text: str, x0: float, x1: float, top: float, page: int = 0, font: str = BODY) -> Block:
    """A one-line paragraph block printed from ``x0`` to ``x1`` (a 12 pt line)."""
    line = Line(text=text, page_index=page, bbox=(x0, top, x1, top + 12), font=font, size=12.0)
    return Block(kind=BlockKind.PARAGRAPH, text=text, lines=[line])


def _margins(page: int, top: float) -> Block:
    """A body paragraph spanning the text block (left 62, right 458) on ``page``."""
    lines = [
        Line(
            text="坚持以人民为中心的发展思想，统筹发展和安全。",
            page_index=page,
            bbox=(86.0, top, 458.0, top + 12),
            font=BODY,
            size=12.0,
        ),
        Line(
            text="牢固树立安全发展理念。", page_index=page, bbox=(62.0, top + 21, 200.0, top + 33), font=BODY, size=12.0
        ),
    ]
    return Block(kind=BlockKind.PARAGRAPH, text="".join(ln.text for ln in lines), lines=lines)


def test_outline_heading_cut_after_a_full_line_is_joined() -> None:
    # a heading whose title wraps, its second line set apart as a block of its own
    blocks = [
        _margins(0, 60),
        _placed("一、围绕服务中心工作、助力经济社会平稳健康发展深化重点领域信息", 86.0, 458.0, 120),
        _placed("公开", 62.0, 86.0, 141),
        _margins(0, 170),
    ]
    res = blocks_to_outline(blocks, "p")
    assert [(h.label, h.title) for h in res.headings] == [
        ("一、", "围绕服务中心工作、助力经济社会平稳健康发展深化重点领域信息公开")
    ]
    assert res.is_heading == [False, True, True, False]
    assert res.heading_of == [None, "p/h-1", "p/h-1", "p/h-1"]


def test_outline_numbered_paragraph_cut_by_a_page_break_is_body() -> None:
    blocks = [
        _margins(0, 60),
        _placed("3.加强疫情防控信息发布工作协调，强化政府系统内部信息整合，形成多", 86.0, 458.0, 700),
        _placed("方协同的工作合力，统一步调对外发声。", 62.0, 290.0, 60, page=1),
        _margins(1, 90),
    ]
    res = blocks_to_outline(blocks, "p")
    assert res.headings == [] and res.is_heading == [False] * 4


def test_outline_short_heading_not_joined_with_the_next_paragraph() -> None:
    blocks = [
        _margins(0, 60),
        _placed("1.全面落实安全责任", 86.0, 206.0, 120),
        _placed("紧扣每年安全生产宣传月活动主题，组织开展宣传活动。", 62.0, 458.0, 141),
        _margins(0, 170),
    ]
    res = blocks_to_outline(blocks, "p")
    assert [(h.label, h.title) for h in res.headings] == [("1.", "全面落实安全责任")]
    assert res.is_heading == [False, True, False, False]


def test_outline_attachment_list_is_not_a_heading() -> None:
    res = blocks_to_outline(_text_blocks(["现将清单印发给你们。", "附件：某某区政务公开重点任务清单"]), "d")
    assert res.headings == []


def test_outline_paren_head_standing_alone_with_a_full_stop() -> None:
    res = blocks_to_outline(
        _text_blocks(
            [
                "二、2025年主要任务",
                "（一）聚力打造城乡融合乡村振兴示范区，在推动大城市带大农村大山区大库区发展上探索新路子。",
                "深入推进以人为本的新型城镇化。",
                "1. 全面落实安全责任。",
            ]
        ),
        "r",
    )
    assert [(h.level, h.label, h.title) for h in flatten(res.headings)] == [
        (1, "二、", "2025年主要任务"),
        (2, "（一）", "聚力打造城乡融合乡村振兴示范区，在推动大城市带大农村大山区大库区发展上探索新路子"),
    ]
    assert res.is_heading == [True, True, False, False]  # a numbered sentence 1. …。 stays body text


def test_outline_level_follows_hierarchy_when_a_chapter_is_missing() -> None:
    # 第一章 not read (lost in the layout): the 第一节 before 第二章 still sits at the section level
    res = blocks_to_outline(
        _text_blocks(["第一节 发展基础", "1. 全面落实安全责任", "第二章 总体要求", "第一节 指导思想"]), "p"
    )
    assert [(h.label, h.level, h.id) for h in flatten(res.headings)] == [
        ("第一节", 2, "p/h-1"),
        ("1.", 3, "p/h-1-1"),
        ("第二章", 1, "p/h-2"),
        ("第一节", 2, "p/h-2-1"),
    ]


def test_outline_levels_stay_relative_without_a_higher_kind() -> None:
    res = blocks_to_outline(_text_blocks(["第一节 发展基础", "1. 全面落实安全责任", "第二节 面临形势"]), "p")
    assert [(h.label, h.level) for h in flatten(res.headings)] == [("第一节", 1), ("1.", 2), ("第二节", 1)]


def test_outline_articles_under_their_section_numbered_through_the_text() -> None:
    """A law's 条: an entry under the innermost 节/章 (titled by its 【name】 when printed, else empty), numbered
    through the whole text (第三条 under 第二章 continues 第二条), ``之一`` after its article; a line that opens
    with a reference to an article (no space after the label) or out of sequence is body text."""
    texts = [
        "第一章 总则",
        "第一条 为了规范管理，制定本办法。",
        "第二条 本办法适用于本区。",
        "第二章 管理",
        "第一节 一般规定",
        "第三条【适用范围】本节适用于全部事项。",
        "第三条之一 新增的条文。",
        "第二百六十六条的规定定罪处罚。",
        "第九十条 跳过很多号的一行。",
        "第四条 最后一条。",
    ]
    res = blocks_to_outline(_text_blocks(texts), "a")
    flat = flatten(res.headings)
    assert [(h.level, h.label, h.title, h.kind, h.number) for h in flat] == [
        (1, "第一章", "总则", "chapter", 1),
        (2, "第一条", "", "article", 1),
        (2, "第二条", "", "article", 2),
        (1, "第二章", "管理", "chapter", 2),
        (2, "第一节", "一般规定", "section", 1),
        (3, "第三条", "适用范围", "article", 3),
        (3, "第三条之一", "", "article", 3),
        (3, "第四条", "", "article", 4),
    ]
    # the article paragraphs stay body text, each under its own article
    assert res.is_heading == [True, False, False, True, True, False, False, False, False, False]
    assert res.heading_of[6] == flat[6].id and res.heading_of[8] == flat[6].id


def test_outline_article_sequence_starts_at_the_first_article() -> None:
    # a notice whose paragraph happens to open with 第五条 has no article outline
    res = blocks_to_outline(_text_blocks(["一、总体要求", "第五条 规定的情形，按原办法执行。"]), "a")
    assert [h.label for h in flatten(res.headings)] == ["一、"]


def test_outline_bare_label_over_text_has_an_empty_title() -> None:
    texts = [
        "附件一",
        "全国人民代表大会常务委员会制定的下列条例、补充规定和决定，已纳入本法或者已不适用，予以废止：",
        "1．某条例",
    ]
    res = blocks_to_outline(_text_blocks(texts), "a")
    assert [(h.label, h.title) for h in res.headings] == [("附件一", "")]


def test_outline_supplementary_division_after_articles_is_top_level() -> None:
    texts = [
        "第一编 总则",
        "第一章 任务",
        "第一条 为了规范。",
        "第二条 本法适用。",
        "附则",
        "第三条 本法自公布之日起施行。",
    ]
    res = blocks_to_outline(_text_blocks(texts), "a")
    assert [(h.level, h.label, h.title) for h in flatten(res.headings)] == [
        (1, "第一编", "总则"),
        (2, "第一章", "任务"),
        (3, "第一条", ""),
        (3, "第二条", ""),
        (1, "", "附则"),
        (2, "第三条", ""),
    ]
    # 附则 in a text without 条 is no heading of its own
    assert blocks_to_outline(_text_blocks(["一、总体要求", "附则"]), "a").headings[0].children == []
