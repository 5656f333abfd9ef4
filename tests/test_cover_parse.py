"""The issue's cover: 刊名 (also printed over two lines), year and 期."""

from __future__ import annotations

from pipeline.structure.cover import blocks_to_cover
from pipeline.types import Block, BlockKind, Line


def _para(text: str, top: float, size: float, page: int = 0) -> Block:
    line = Line(text=text, page_index=page, bbox=(100, top, 100 + size * len(text), top + size), size=size)
    return Block(kind=BlockKind.PARAGRAPH, text=text, lines=[line])


def test_cover_gazette_name_printed_over_two_lines() -> None:
    blocks = [
        _para("滨江区人民", 125, 26.1),
        _para("政府公报", 164, 26.1),
        _para("2025", 216, 18),
        _para("第4期", 243, 18),
    ]
    cover = blocks_to_cover(blocks)
    assert (cover.gazette, cover.year, cover.number) == ("滨江区人民政府公报", 2025, 4)


def test_cover_line_in_another_size_is_not_part_of_the_name() -> None:
    blocks = [_para("内部资料", 80, 12), _para("某某县人民政府公报", 125, 30), _para("2024年第1期", 200, 18)]
    cover = blocks_to_cover(blocks)
    assert (cover.gazette, cover.year, cover.number) == ("某某县人民政府公报", 2024, 1)


def test_cover_document_title_over_its_own_contents_is_no_issue_cover() -> None:
    """A law's title in a title font over its own 目录 (no 刊名): no issue cover, nothing taken from the file."""
    blocks = [
        _para("中华人民共和国刑法", 135, 24),
        _para("（1979年7月1日第五届全国人民代表大会第二次会议通过）", 250, 10.5),
        _para("目录", 72, 24, page=1),
        _para("第一编总则..........3", 130, 12, page=1),
        _para("第一章刑法的任务..........3", 145, 12, page=1),
        _para("第一编 总则", 80, 14, page=2),
        *[
            _para(
                "第一条为了惩罚犯罪，保护人民，根据宪法，结合我国同犯罪作斗争的具体经验及实际情况，制定本法。",
                100 + 20 * k,
                10.5,
                page=2,
            )
            for k in range(8)
        ],
    ]
    cover = blocks_to_cover(blocks)
    assert (cover.gazette, cover.toc, cover.end) == (None, [], 0)
