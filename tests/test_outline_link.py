"""link_toc: contents entries → the headings they name."""

from __future__ import annotations

import pytest

from pipeline.structure.outline import blocks_to_outline, flatten, link_toc
from pipeline.types import Block, BlockKind, Line
from schemas.model import Heading, TocEntry


def _outline(texts: list[str]) -> list[Heading]:
    blocks = [
        Block(kind=BlockKind.PARAGRAPH, text=t, lines=[Line(text=t, page_index=0, line_no=n)])
        for n, t in enumerate(texts, start=1)
    ]
    return blocks_to_outline(blocks, "p").headings


OUTLINE = [
    "第一章 发展基础与面临形势",
    "第一节 发展基础",
    "1. 全面落实安全责任",
    "2.强化夯实基础建设",
    "第二节 面临形势",
    "1. 面临的机遇",
    "第二章 总体要求和发展目标",
    "第一节 指导思想",
    "2. 建立健全安全风险分级管控和隐患排查治理双重预防机制",
    "附件",
    "“十四五”时期专项整治工作",
]


def test_outline_link_in_order() -> None:
    outline = _outline(OUTLINE)
    toc = [
        TocEntry(label="第一章", title="发展基础与面临形势", page=7),
        TocEntry(label="第一节", title="发展基础"),
        TocEntry(label="1.", title="全面落实安全责任"),
        TocEntry(label="2．", title="强化夯实基础建设"),
        TocEntry(label="第二节", title="面临形势"),
        TocEntry(label="1、", title="面临的机遇"),
        TocEntry(label="第二章", title="总体要求和发展目标"),
        TocEntry(label="第一节", title="指导思想"),
    ]
    got = link_toc(toc, outline)
    assert [e.heading_id for e in got] == [
        "p/h-1",
        "p/h-1-1",
        "p/h-1-1-1",
        "p/h-1-1-2",
        "p/h-1-2",
        "p/h-1-2-1",
        "p/h-2",
        "p/h-2-1",
    ]
    assert toc[0].heading_id is None  # the input is not changed
    assert got[0].page == 7


@pytest.mark.parametrize(
    ("label", "title", "expected"),
    [
        ("2.", "建立健全安全风险分级管控和隐患排查治理双重预防机制", "p/h-2-1-1"),
        ("2.", "建立健全安全风险分级管控和隐患排查治理双重预防", "p/h-2-1-1"),  # title cut short
        ("2.", "建立健全安全风险分级管控、隐患排查治理双重预防机制", "p/h-2-1-1"),  # punctuation differs
        ("（2）", "建立健全安全风险分级管控和隐患排查治理双重预防机制", None),  # another label kind
        ("3.", "建立健全安全风险分级管控和隐患排查治理双重预防机制", None),  # another number
        ("2.", "加强人才保障", None),  # another title
        ("附件", "附件", "p/h-3"),
        (None, "“十四五”时期专项整治工作", "p/h-3"),
    ],
)
def test_outline_link_tolerance(label: str | None, title: str, expected: str | None) -> None:
    outline = _outline(OUTLINE)
    got = link_toc([TocEntry(label=label, title=title)], outline)
    assert got[0].heading_id == expected


def test_outline_link_appendix_entries_share_the_heading() -> None:
    outline = _outline(OUTLINE)
    toc = [
        TocEntry(label="第二章", title="总体要求和发展目标"),
        TocEntry(label="附件", title="附件"),
        TocEntry(title="“十四五”时期专项整治工作"),
    ]
    assert [e.heading_id for e in link_toc(toc, outline)] == ["p/h-2", "p/h-3", "p/h-3"]


def test_outline_link_repeated_labels_follow_order() -> None:
    outline = _outline(["第一节 总则", "1. 目标", "第二节 分则", "1. 目标"])
    toc = [TocEntry(label="1.", title="目标"), TocEntry(label="1.", title="目标")]
    assert [e.heading_id for e in link_toc(toc, outline)] == ["p/h-1-1", "p/h-2-1"]


def test_outline_link_out_of_order_retries_from_start() -> None:
    outline = _outline(["一、甲方案", "二、乙方案"])
    toc = [TocEntry(label="二、", title="乙方案"), TocEntry(label="一、", title="甲方案")]
    assert [e.heading_id for e in link_toc(toc, outline)] == ["p/h-2", "p/h-1"]


def test_outline_link_empty() -> None:
    assert link_toc([], _outline(OUTLINE)) == []
    assert [e.heading_id for e in link_toc([TocEntry(label="第一章", title="总则")], [])] == [None]


def test_outline_flatten_is_reading_order() -> None:
    outline = _outline(OUTLINE)
    assert [h.id for h in flatten(outline)][:5] == ["p/h-1", "p/h-1-1", "p/h-1-1-1", "p/h-1-1-2", "p/h-1-2"]
