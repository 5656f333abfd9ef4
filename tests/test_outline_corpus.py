"""The outline and contents list of the corpus plan (attachment of document 1), text and PDF input.

Blocks are built here by hand from the corpus (one block per non-blank text line; for the PDF a simple
reflow of pdfplumber lines) so these tests do not depend on the reflow stage.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pdfplumber

from pipeline.structure.outline import OutlineResult, blocks_to_outline, flatten, link_toc
from pipeline.structure.toc import blocks_to_toc
from pipeline.types import Block, BlockKind, Line, RawTable, RawTableStyle
from schemas.model import Heading

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "corpus"
PLAN_LINES = (38, 587)  # the plan attachment in the text file (title … appendix table)
PLAN_PDF_PAGES = (4, 48)  # its TOC (PDF pages 4–7), body (8–46) and appendix table (47–48)
SECTIONS = [2, 3, 6, 6, 5]
ITEMS = {  # (chapter, section) → number of 1. 2. … items
    (1, 1): 4,
    (1, 2): 2,
    (2, 1): 0,
    (2, 2): 4,
    (2, 3): 2,
    (3, 1): 3,
    (3, 2): 4,
    (3, 3): 3,
    (3, 4): 4,
    (3, 5): 3,
    (3, 6): 5,
}


def text_plan_blocks(fonts: bool = False) -> list[Block]:
    """The plan's text lines as blocks: one paragraph per non-blank line, runs of table rows as a table.

    ``fonts=True`` adds the font facts of the printed plan (measured on the PDF): 第X章 in FandolHei,
    第X节 in FandolKai, everything else — numbered items included — in the body font FandolFang, 16 pt.
    """
    text = (CORPUS / "maonan-2022-03.txt").read_text(encoding="utf-8").split("\n")
    blocks: list[Block] = []
    for no in range(PLAN_LINES[0], PLAN_LINES[1] + 1):
        line = text[no - 1]
        if not line.strip():
            continue
        if "\t" in line and ".." not in line and not line.rstrip().endswith("-"):
            if blocks and blocks[-1].kind is BlockKind.TABLE:
                blocks[-1].text += "\n" + line
                continue
            table = RawTable(page_index=0, n_rows=0, n_cols=0, cells=[], style=RawTableStyle.TEXT, first_line_no=no)
            blocks.append(Block(kind=BlockKind.TABLE, text=line, tables=[table]))
            continue
        ln = Line(text=line, page_index=0, line_no=no)
        if fonts:
            stripped = line.strip()
            font = "FandolFang-Regular"
            if re.match(r"第.{1,3}章", stripped):
                font = "FandolHei-Regular"
            elif re.match(r"第.{1,3}节", stripped) and "..." not in stripped:
                font = "FandolKai-Regular"
            width = min(16.0 * len(stripped), 442.0)
            ln = Line(text=line, page_index=0, bbox=(79.5, 100.0, 79.5 + width, 116.0), font=font, size=16.0)
        blocks.append(Block(kind=BlockKind.PARAGRAPH, text=line, lines=[ln]))
    return blocks


@lru_cache(maxsize=1)
def _pdf_plan() -> tuple[tuple[Block, ...], tuple[tuple[int, int], ...]]:
    path = CORPUS / "maonan-2022-03.pdf"
    blocks: list[Block] = []
    printed: dict[int, int] = {}
    prev: Line | None = None
    with pdfplumber.open(path) as pdf:
        for pno in range(PLAN_PDF_PAGES[0], PLAN_PDF_PAGES[1] + 1):
            for raw in pdf.pages[pno - 1].extract_text_lines(return_chars=True):
                text = raw["text"]
                if raw["top"] < 80:  # running header
                    continue
                if raw["top"] > 740:  # page label — N —
                    m = re.fullmatch(r"[—-]\s*(\d+)\s*[—-]", text.strip())
                    if m:
                        printed[pno - 1] = int(m.group(1))
                    continue
                counts: dict[str, int] = {}
                for ch in raw["chars"]:
                    counts[ch["fontname"]] = counts.get(ch["fontname"], 0) + 1
                font = max(counts, key=lambda k: counts[k])
                size = round(float(next(c["size"] for c in raw["chars"] if c["fontname"] == font)), 1)
                line = Line(
                    text=text,
                    page_index=pno - 1,
                    bbox=(raw["x0"], raw["top"], raw["x1"], raw["bottom"]),
                    font=font,
                    size=size,
                    bold="Bold" in font,
                )
                # a line that reaches the right margin continues on the next line at the left margin
                if prev is not None and prev.bbox and prev.bbox[2] > 505 and line.x0 < 100 and prev.font == font:
                    blocks[-1].lines.append(line)
                    blocks[-1].text += text
                else:
                    blocks.append(Block(kind=BlockKind.PARAGRAPH, text=text, lines=[line]))
                prev = line
    return tuple(blocks), tuple(sorted(printed.items()))


def pdf_plan_blocks() -> tuple[list[Block], dict[int, int]]:
    """The plan's PDF pages as blocks with fonts, and the printed page of each page index."""
    blocks, printed = _pdf_plan()
    return list(blocks), dict(printed)


def _shape(headings: list[Heading]) -> list[int]:
    return [len(h.children) for h in headings if h.label.startswith("第")]


def _items(res: OutlineResult) -> dict[tuple[int, int], int]:
    out = {}
    for c, ch in enumerate([h for h in res.headings if h.label.startswith("第")], start=1):
        for s, sec in enumerate(ch.children, start=1):
            out[(c, s)] = len(sec.children)
            assert [k.label.rstrip(".．、 ") for k in sec.children] == [str(n) for n in range(1, len(sec.children) + 1)]
    return out


def _check_plan(res: OutlineResult) -> None:
    chapters = [h for h in res.headings if h.label.startswith("第")]
    assert [h.label for h in chapters] == ["第一章", "第二章", "第三章", "第四章", "第五章"]
    assert [h.title for h in chapters] == [
        "发展基础与面临形势",
        "总体要求和发展目标",
        "主要任务",
        "重点工程",
        "保障措施",
    ]
    assert _shape(res.headings) == SECTIONS
    items = _items(res)
    assert {k: v for k, v in items.items() if k in ITEMS} == ITEMS
    assert all(v == 0 for k, v in items.items() if k not in ITEMS)  # 第四章 and 第五章 have no items
    assert {h.level for h in chapters} == {1}
    assert {s.level for h in chapters for s in h.children} == {2}
    assert {i.level for h in chapters for s in h.children for i in s.children} == {3}
    appendix = res.headings[-1]
    assert (appendix.label, appendix.title, appendix.level, appendix.id) == (
        "附件",
        "“十四五”时期专项整治工作",
        1,
        "doc-1/att-1/h-6",
    )
    assert res.sequence == []
    ids = [h.id for h in flatten(res.headings)]
    assert len(ids) == len(set(ids)) == 5 + 22 + 34 + 1
    sec = chapters[2].children[3].children[1]
    assert (sec.id, sec.label, sec.title) == (
        "doc-1/att-1/h-3-4-2",
        "2.",
        "建立健全安全风险分级管控和隐患排查治理双重预防机制",
    )


def test_outline_corpus_text() -> None:
    blocks = text_plan_blocks()
    res = blocks_to_outline(blocks, "doc-1/att-1")
    _check_plan(res)
    first = res.headings[0]
    assert first.source is not None and first.source.line == 127 and first.page is None
    # the TOC lines are not headings, the body paragraph after 第一节 sits under it
    toc_at = next(i for i, b in enumerate(blocks) if b.text.startswith("第一章 发展基础与面临形势....."))
    assert not res.is_heading[toc_at] and res.heading_of[toc_at] is None
    body_at = next(i for i, b in enumerate(blocks) if b.text.startswith("“十三五”时期，党中央"))
    assert res.heading_of[body_at] == "doc-1/att-1/h-1-1"
    runin = next(i for i, b in enumerate(blocks) if b.text.startswith("(1) 强化安全监管责任落实。"))
    assert not res.is_heading[runin] and res.heading_of[runin] == "doc-1/att-1/h-3-4-1"
    leadin = next(i for i, b in enumerate(blocks) if b.text.startswith("第三，做好烟花爆竹的安全生产监管。"))
    assert not res.is_heading[leadin] and res.heading_of[leadin] == "doc-1/att-1/h-1-1-3"
    table_at = next(i for i, b in enumerate(blocks) if b.kind is BlockKind.TABLE)
    assert not res.is_heading[table_at] and res.heading_of[table_at] == "doc-1/att-1/h-1-1-3"
    assert sum(res.is_heading) == 5 + 22 + 34 + 2  # the appendix label and its title line


def test_outline_corpus_text_with_fonts() -> None:
    res = blocks_to_outline(text_plan_blocks(fonts=True), "doc-1/att-1")
    _check_plan(res)


def test_outline_corpus_toc_links_text() -> None:
    blocks = text_plan_blocks()
    res = blocks_to_outline(blocks, "doc-1/att-1")
    at = next(i for i, b in enumerate(blocks) if b.text.replace(" ", "") == "目录")
    toc, _ = blocks_to_toc(blocks[at + 1 :])
    linked = link_toc(toc, res.headings)
    assert all(e.heading_id is not None for e in linked)
    by_id = {h.id: h for h in flatten(res.headings)}
    for e in linked:
        h = by_id[e.heading_id or ""]
        assert e.label in (h.label, None) or e.label == "附件"
        assert e.level == h.level or e.label is None
    assert [e.heading_id for e in linked[-2:]] == ["doc-1/att-1/h-6", "doc-1/att-1/h-6"]


def test_outline_corpus_pdf() -> None:
    blocks, printed = pdf_plan_blocks()
    res = blocks_to_outline(blocks, "doc-1/att-1", printed)
    _check_plan(res)
    chapters = res.headings[:5]
    assert [h.page for h in chapters] == [7, 18, 22, 39, 42]
    assert chapters[0].source is not None and chapters[0].source.pdf_page == 9
    wrapped = chapters[2].children[3].children[1]
    assert wrapped.page == 27 and wrapped.source is not None and wrapped.source.pdf_page == 29
    assert res.headings[5].page == 45
    # the TOC pages agree with the headings' printed pages for every chapter and section
    at = next(i for i, b in enumerate(blocks) if b.text.replace(" ", "") == "目录")
    toc, _ = blocks_to_toc(blocks[at + 1 :], printed)
    linked = link_toc(toc, res.headings)
    assert sum(e.heading_id is not None for e in linked) == len(linked) == 63
    by_id = {h.id: h for h in flatten(res.headings)}
    for e in linked:
        if e.label and e.label.startswith("第"):
            assert e.page == by_id[e.heading_id or ""].page, e.title
