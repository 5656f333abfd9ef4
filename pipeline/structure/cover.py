"""Stage 4: blocks → the issue's cover facts (刊名, year, 期) and its contents list (目录).

Reads: ``list[Block]`` from reflow, starting at the first page.
Writes: ``Cover`` — gazette name, year, issue number, the issue TOC entries, and ``end``: the index of
the first block after the cover and the contents (where the documents begin).
Guaranteed after:
  1. nothing is taken from beyond the first official document: the cover is searched only before the
     first block that starts a document (``pipeline.structure.segment.document_starts``);
  2. a file without a cover (a single document) gives ``gazette=None`` and ``end=0``;
  3. each TOC entry carries its category (``【区政府文件】``), title (joined across lines),
     发文字号 (normalised) and printed page, with provenance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.grammar.labels import ISSUE_NUMBER
from pipeline.grammar.numerals import cn_to_int
from pipeline.grammar.pages import LEADER_PAGE_TAIL as _PAGE_TAIL
from pipeline.grammar.text import one_line
from pipeline.grammar.toc import LEADERS, is_toc_heading
from pipeline.grammar.width import fold_digits
from pipeline.structure.elements import DOC_NUMBER, parse_doc_number
from pipeline.structure.segment import document_starts
from pipeline.structure.toc import PrintedOf, lines_to_source
from pipeline.types import Block, BlockKind
from schemas.model import TocEntry

GAZETTE_NAME = re.compile(r"^[\u4e00-\u9fff（）()]{2,40}公报$")
YEAR = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?!\d)")
CATEGORY = re.compile(r"^[【\[](?P<c>[^】\]]{1,30})[】\]]$")
COVER_LOOKAHEAD = 12  # blocks: a cover is short


@dataclass(slots=True)
class Cover:
    gazette: str | None = None
    year: int | None = None
    number: int | None = None
    toc: list[TocEntry] = field(default_factory=list)
    end: int = 0


def _doc_number_line(text: str) -> tuple[str, int | None] | None:
    """``某府〔2022〕2 号.......1`` / ``某府〔2022〕2 号 1`` → (doc number, page)."""
    t = fold_digits(text).strip()
    m = DOC_NUMBER.search(t)
    if not m or (m.start() > 0 and t[: m.start()].strip()):
        return None
    tail = t[m.end() :]
    page_m = _PAGE_TAIL.match(tail) if tail.strip() else None
    if tail.strip() and not page_m:
        return None
    number = parse_doc_number(m.group(0))
    return (number.raw if number else one_line(m.group(0))), (int(page_m.group("page")) if page_m else None)


def blocks_to_cover(blocks: list[Block], printed_of: PrintedOf | None = None) -> Cover:
    """Cover facts and the issue TOC (see the module docstring)."""
    cover = Cover()
    first_doc = next(iter(document_starts(blocks)), len(blocks))
    head = blocks[:first_doc]
    for b in head[:COVER_LOOKAHEAD]:
        if b.kind is not BlockKind.PARAGRAPH:
            continue
        t = one_line(b.text)
        if cover.gazette is None and GAZETTE_NAME.match(t):
            cover.gazette = t
            continue
        if cover.number is None and (m := ISSUE_NUMBER.search(t)):
            cover.number = cn_to_int(m.group("n"))
        if cover.year is None and (y := YEAR.search(fold_digits(t))) and len(t) <= 16:
            cover.year = int(y.group("y"))
    toc_start = next((i for i, b in enumerate(head) if b.kind is BlockKind.PARAGRAPH and is_toc_heading(b.text)), None)
    if toc_start is not None:
        cover.toc = _toc_entries(head[toc_start + 1 :], printed_of)
    # without a cover, the blocks before the first start (a wrapped title, a preface) belong to the document
    cover.end = 0 if cover.gazette is None and not cover.toc else first_doc
    return cover


def _toc_entries(blocks: list[Block], printed_of: PrintedOf | None) -> list[TocEntry]:
    entries: list[TocEntry] = []
    category: str | None = None
    title_parts: list[Block] = []
    for b in blocks:
        if b.kind is not BlockKind.PARAGRAPH:
            continue
        t = one_line(b.text)
        if m := CATEGORY.match(t):
            category = m.group("c").strip()
            title_parts = []
            continue
        raw = " ".join(ln.text for ln in b.lines) or b.text  # page numbers are separated by spaces as printed
        num = _doc_number_line(raw)
        if num is not None:
            title = one_line("".join(p.text for p in title_parts)) or None
            lines = [ln for p in title_parts for ln in p.lines] + b.lines
            entries.append(
                TocEntry(
                    category=category,
                    title=title or num[0],
                    doc_number=num[0],
                    page=num[1],
                    source=lines_to_source(lines, "\n".join(ln.text for ln in lines), printed_of),
                )
            )
            title_parts = []
            continue
        page_m = _PAGE_TAIL.search(fold_digits(raw))
        if page_m and not DOC_NUMBER.search(raw) and LEADERS.search(raw):
            # an entry without a 发文字号: title, dot leaders, page
            title = one_line("".join(p.text for p in title_parts) + raw[: page_m.start()]).rstrip(".．…·")
            lines = [ln for p in title_parts for ln in p.lines] + b.lines
            entries.append(
                TocEntry(
                    category=category,
                    title=title,
                    page=int(page_m.group("page")),
                    source=lines_to_source(lines, "\n".join(ln.text for ln in lines), printed_of),
                )
            )
            title_parts = []
            continue
        title_parts.append(b)
    return entries
