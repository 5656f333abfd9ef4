"""Stage 4: blocks → the issue's cover facts (刊名, year, 期) and its contents list (目录).

Reads: ``list[Block]`` from reflow, starting at the first page.
Writes: ``Cover`` — gazette name, year, issue number, the issue TOC entries, and ``end``: the index of
the first block after the cover and the contents (where the documents begin).
Guaranteed after:
  1. nothing is taken from beyond the first official document: the cover is searched only before the
     first block that starts a document (``pipeline.structure.segment.document_starts``);
  2. a file without a cover (a single document) gives ``gazette=None`` and ``end=0``; so does a document
     whose title (in a title font, naming a document kind) stands over its own 目录, without a 刊名;
  3. each TOC entry carries its category (``【区政府文件】``), title (joined across lines),
     发文字号 (normalised) and printed page, with provenance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.grammar.labels import ISSUE_NUMBER
from pipeline.grammar.numerals import cn_to_int
from pipeline.grammar.pages import LEADER_PAGE_TAIL as _PAGE_TAIL
from pipeline.grammar.pages import PLAIN_PAGE_LABEL
from pipeline.grammar.text import one_line
from pipeline.grammar.toc import LEADERS, is_toc_heading
from pipeline.grammar.width import fold_digits
from pipeline.structure.elements import DOC_NUMBER, parse_doc_number
from pipeline.structure.segment import body_size, document_starts, title_block_starts
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
    _read_facts(cover, head)
    toc_start = next((i for i, b in enumerate(head) if b.kind is BlockKind.PARAGRAPH and is_toc_heading(b.text)), None)
    if (
        toc_start is not None
        and cover.gazette is None
        and title_block_starts(head[:toc_start], set(), body_size(blocks))
    ):
        return Cover()  # a document's title over its own 目录 (a law, a plan): no issue cover, no issue contents
    if toc_start is not None:
        # a first document without 发文机关标志 or 发文字号 (a report, a law) starts at its title after the 目录
        titled = title_block_starts(head[toc_start + 1 :], set(), body_size(blocks))
        if titled:
            first_doc = toc_start + 1 + min(titled)
            head = blocks[:first_doc]
        cover.toc = _toc_entries(head[toc_start + 1 :], printed_of)
    # without a cover, the blocks before the first start (a wrapped title, a preface) belong to the document
    cover.end = 0 if cover.gazette is None and not cover.toc else first_doc
    return cover


def _read_facts(cover: Cover, head: list[Block]) -> None:
    """Reads the 刊名, year and 期 from the first blocks of ``head`` into ``cover``."""
    for k, b in enumerate(head[:COVER_LOOKAHEAD]):
        if b.kind is not BlockKind.PARAGRAPH:
            continue
        t = one_line(b.text)
        if cover.gazette is None and GAZETTE_NAME.match(t):
            cover.gazette = _name_over_two_lines(head[k - 1], b) + t if k > 0 else t
            continue
        if cover.number is None and (m := ISSUE_NUMBER.search(t)):
            cover.number = cn_to_int(m.group("n"))
        if cover.year is None and (y := YEAR.search(fold_digits(t))) and len(t) <= 16:
            cover.year = int(y.group("y"))


def _name_over_two_lines(prev: Block, name: Block) -> str:
    """The first line of a 刊名 printed over two lines in one font (``某某区人民`` over ``政府公报``): the
    paragraph before ``name`` when it is short, plain Chinese, on the same page in the same size; else ""."""
    t = one_line(prev.text) if prev.kind is BlockKind.PARAGRAPH else ""
    a, b = prev.first, name.first
    same_font = bool(a and b and a.size and b.size and abs(a.size - b.size) < 0.5 and a.page_index == b.page_index)
    return t if same_font and GAZETTE_NAME.match(t + "公报") and len(t) <= 20 else ""


def _toc_lines(blocks: list[Block]) -> list[Block]:
    """The contents list as printed lines: reflow may have joined an entry's page, the next category and the
    next title into one paragraph, but each printed line holds at most one of them."""
    out: list[Block] = []
    for b in blocks:
        if b.kind is not BlockKind.PARAGRAPH:
            continue
        if len(b.lines) <= 1:
            out.append(b)
            continue
        out.extend(Block(kind=BlockKind.PARAGRAPH, text=ln.text, lines=[ln]) for ln in b.lines)
    return out


_BRACKETED_NUMBER = re.compile(r"[（(](?P<n>[^（）()]{2,30}〔\d{4}〕\s*\d+\s*号)[）)]$")


def _entry(
    category: str | None,
    parts: list[Block],
    b: Block,
    title: str,
    printed_of: PrintedOf | None,
    doc_number: str | None = None,
    page: int | None = None,
) -> TocEntry:
    lines = [ln for p in parts for ln in p.lines] + b.lines
    source = lines_to_source(lines, "\n".join(ln.text for ln in lines), printed_of)
    return TocEntry(category=category, title=title, doc_number=doc_number, page=page, source=source)


def _toc_entries(blocks: list[Block], printed_of: PrintedOf | None) -> list[TocEntry]:
    """Entries of an issue 目录: a title (over one or more lines) closed by its 发文字号 line with the page, by
    dot leaders and the page, or by the page alone on the next line; the 发文字号 may also close the title in
    brackets before the leaders."""
    entries: list[TocEntry] = []
    category: str | None = None
    title_parts: list[Block] = []
    for b in _toc_lines(blocks):
        t = one_line(b.text)
        if m := CATEGORY.match(t):
            category = m.group("c").strip()
            title_parts = []
            continue
        raw = " ".join(ln.text for ln in b.lines) or b.text  # page numbers are separated by spaces as printed
        joined = one_line("".join(p.text for p in title_parts))
        num = _doc_number_line(raw)
        if num is not None:
            entries.append(
                _entry(
                    category, title_parts, b, joined or num[0], doc_number=num[0], page=num[1], printed_of=printed_of
                )
            )
            title_parts = []
            continue
        page_m = _PAGE_TAIL.search(fold_digits(raw))
        if page_m and LEADERS.search(raw):
            # title, dot leaders, page; a 发文字号 in brackets may close the title
            title = one_line(joined + raw[: page_m.start()]).rstrip(".．…·")
            number = None
            if nm := _BRACKETED_NUMBER.search(fold_digits(title)):
                parsed = parse_doc_number(nm.group("n"))
                number = parsed.raw if parsed else one_line(nm.group("n"))
                title = title[: nm.start()]
            entries.append(
                _entry(
                    category,
                    title_parts,
                    b,
                    title,
                    doc_number=number,
                    page=int(page_m.group("page")),
                    printed_of=printed_of,
                )
            )
            title_parts = []
            continue
        if title_parts and (bare := PLAIN_PAGE_LABEL.match(fold_digits(t))):
            entries.append(_entry(category, title_parts, b, joined, printed_of, None, int(bare.group(1))))
            title_parts = []
            continue
        title_parts.append(b)
    return entries
