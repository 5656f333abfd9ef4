"""Stage 6: document drafts → contract ``Document``s with their attachments as data.

Reads: ``list[DocumentDraft]`` (where each element is) and the printed-page map.
Writes: ``list[Document]`` and the ``Problem``s met on the way. For each document: the GB/T 9704
elements parsed (``pipeline.structure.elements``), body paragraphs, citations, deadlines, prose tasks, keywords;
for each attachment: its contents list, outline, paragraphs, tables (stitched), statistics, indicators,
list tables, task rows, figures.
Guaranteed after:
  1. ids are positional: ``doc-2``, ``doc-2/att-1``, ``doc-2/att-1/table-3``, ``doc-2/att-1/task-14``;
  2. every extracted object carries a ``Source`` (printed page, PDF page and box, or text line);
  3. nothing that could not be parsed is guessed: it stays None and a ``Problem`` says why.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline import nlp
from pipeline.errors import Code, problem
from pipeline.grammar.deadlines import parse_deadlines
from pipeline.grammar.doctypes import HEADER_WORD
from pipeline.grammar.labels import FIGURE_CAPTION, TABLE_CAPTION
from pipeline.grammar.text import one_line
from pipeline.grammar.toc import is_toc_heading
from pipeline.structure.elements import (
    looks_like_signature,
    parse_cc,
    parse_citations,
    parse_date,
    parse_disclosure,
    parse_doc_number,
    parse_printed,
    split_bodies,
)
from pipeline.structure.outline import blocks_to_outline, link_toc
from pipeline.structure.segment import AttachmentDraft, DocumentDraft
from pipeline.structure.toc import blocks_to_toc, lines_to_source
from pipeline.structure.topics import text_to_topic
from pipeline.tables.indicators import is_indicator_table, table_to_indicators
from pipeline.tables.lists import is_list_table, table_to_list_categories
from pipeline.tables.statistics import table_to_statistics
from pipeline.tables.stitch import fragments_to_table
from pipeline.tables.tasks import paragraphs_to_tasks, table_to_tasks
from pipeline.types import Block, BlockKind, Line
from schemas.model import (
    Attachment,
    Citation,
    Document,
    Figure,
    Heading,
    Indicator,
    ListCategory,
    PageRange,
    Paragraph,
    Problem,
    Source,
    StatTable,
    Table,
    Task,
    TocEntry,
)

_CODE_NOTE = re.compile(r"[（(][^（）()]*代章[）)]$")


@dataclass(slots=True)
class Context:
    printed: dict[int, int | None]
    pdf: bool


def _source(lines: list[Line], ctx: Context, text: str | None = None) -> Source:
    raw = text if text is not None else "\n".join(ln.text for ln in lines)
    return lines_to_source(lines, raw, ctx.printed)


def _block_source(b: Block, ctx: Context) -> Source:
    if b.lines:
        return _source(b.lines, ctx)
    if b.tables:
        t = b.tables[0]
        return Source(
            page=ctx.printed.get(t.page_index),
            pdf_page=t.page_index + 1 if ctx.pdf else None,
            bbox=[round(v, 2) for v in t.bbox] if t.bbox else None,
            line=t.first_line_no,
        )
    if b.figure is not None:
        f = b.figure
        return Source(
            page=ctx.printed.get(f.page_index),
            pdf_page=f.page_index + 1 if ctx.pdf else None,
            bbox=[round(v, 2) for v in f.bbox] if f.bbox else None,
        )
    return Source()


def _blocks_source(blocks: list[Block], ctx: Context) -> Source | None:
    lines = [ln for b in blocks for ln in b.lines]
    return _source(lines, ctx) if lines else None


def _paragraph(b: Block, pid: str, heading_id: str | None, ctx: Context) -> Paragraph:
    first_page = b.lines[0].page_index if b.lines else None
    pages: dict[int, list[Line]] = {}
    for ln in b.lines:
        if ln.page_index != first_page:
            pages.setdefault(ln.page_index, []).append(ln)
    head = [ln for ln in b.lines if ln.page_index == first_page]
    return Paragraph(
        id=pid,
        text=b.text,
        heading_id=heading_id,
        source=_source(head, ctx),
        continues=[_source(lns, ctx) for _, lns in sorted(pages.items())],
    )


def _pages(blocks: list[Block], ctx: Context) -> PageRange | None:
    idx: list[int] = []
    for b in blocks:
        idx.extend(ln.page_index for ln in b.lines)
        idx.extend(t.page_index for t in b.tables)
        if b.figure is not None:
            idx.append(b.figure.page_index)
    printed = [p for p in (ctx.printed.get(i) for i in idx) if p is not None]
    return PageRange(first=min(printed), last=max(printed)) if printed else None


# --------------------------------------------------------------------------- attachments


@dataclass(slots=True)
class _Content:
    """What a run of blocks holds, as data."""

    body: list[Paragraph]
    tables: list[Table]
    figures: list[Figure]
    statistics: list[StatTable]
    indicators: list[Indicator]
    lists: list[ListCategory]
    tasks: list[Task]
    outline: list[Heading]
    toc: list[TocEntry]
    problems: list[Problem]


def blocks_to_content(blocks: list[Block], prefix: str, year: int | None, ctx: Context) -> _Content:
    """Blocks of an attachment (or a notice body) → paragraphs, tables, figures, outline, TOC and data."""
    problems: list[Problem] = []
    toc: list[TocEntry] = []
    start = 0
    if blocks and blocks[0].kind is BlockKind.PARAGRAPH and is_toc_heading(blocks[0].text):
        toc, consumed = blocks_to_toc(blocks, ctx.printed)
        start = max(consumed, 1)
    rest = blocks[start:]
    outline = blocks_to_outline(rest, prefix, ctx.printed)
    if toc:
        toc = link_toc(toc, outline.headings)
    body: list[Paragraph] = []
    tables: list[Table] = []
    figures: list[Figure] = []
    caption_of: dict[int, tuple[str, int | None]] = {}
    taken: set[int] = set()
    # captions: a short 表 N / 专栏 paragraph right before a table (or right after, as some producers do)
    for i, b in enumerate(rest):
        if b.kind is not BlockKind.TABLE:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(rest) and j not in taken and rest[j].kind is BlockKind.PARAGRAPH:
                t = one_line(rest[j].text)
                m = TABLE_CAPTION.match(t)
                if m and len(t) <= 100 and not outline.is_heading[j]:
                    n = m.group("n") or m.group("m") or m.group("k")
                    caption_of[i] = (t, int(n) if n else None)
                    taken.add(j)
                    break
    for i, b in enumerate(rest):
        hid = outline.heading_of[i] if i < len(outline.heading_of) else None
        if b.kind is BlockKind.TABLE:
            cap, number = caption_of.get(i, (None, None))
            table = fragments_to_table(b.tables, f"{prefix}/table-{len(tables) + 1}", ctx.printed, cap, number)
            if table.number is None and table.caption and (m := TABLE_CAPTION.match(table.caption)):
                n = m.group("n") or m.group("m") or m.group("k")
                table = table.model_copy(update={"number": int(n) if n else None})
            tables.append(table)
            continue
        if b.kind is BlockKind.FIGURE or i in taken or outline.is_heading[i]:
            continue
        t = one_line(b.text)
        fm = FIGURE_CAPTION.match(t)
        if fm and len(t) <= 100:
            figures.append(
                Figure(
                    id=f"{prefix}/fig-{len(figures) + 1}",
                    number=int(fm.group("n")),
                    caption=t,
                    source=_block_source(b, ctx),
                )
            )
            continue
        body.append(_paragraph(b, f"{prefix}/p-{len(body) + 1}", hid, ctx))
    statistics: list[StatTable] = []
    indicators: list[Indicator] = []
    lists: list[ListCategory] = []
    tasks: list[Task] = []
    for table in tables:
        stat = table_to_statistics(table)
        if stat is not None:
            statistics.append(stat)
            continue
        if is_indicator_table(table):
            found, probs = table_to_indicators(table, prefix)
            indicators.extend(found)
            problems.extend(probs)
            continue
        if is_list_table(table):
            lists.extend(table_to_list_categories(table, table.id))
            continue
        found_tasks, probs = table_to_tasks(table, year, prefix)
        tasks.extend(found_tasks)
        problems.extend(probs)
    tasks.extend(paragraphs_to_tasks(body, year, f"{prefix}/prose"))
    return _Content(
        body=body,
        tables=tables,
        figures=figures,
        statistics=statistics,
        indicators=indicators,
        lists=lists,
        tasks=tasks,
        outline=outline.headings,
        toc=toc,
        problems=problems,
    )


def attachment_to_model(
    a: AttachmentDraft, att_id: str, year: int | None, ctx: Context
) -> tuple[Attachment, list[Problem]]:
    c = blocks_to_content(a.blocks, att_id, year, ctx)
    source = _blocks_source(([a.label] if a.label else []) + a.title_blocks, ctx)
    att = Attachment(
        id=att_id,
        title=one_line(a.title),
        toc=c.toc,
        outline=c.outline,
        tables=c.tables,
        statistics=c.statistics,
        indicators=c.indicators,
        tasks=c.tasks,
        body=c.body,
        figures=c.figures,
        lists=c.lists,
        source=source,
    )
    return att, c.problems


# --------------------------------------------------------------------------- documents


def _issuer(signature: str | None, header: str | None) -> str | None:
    if signature:
        return _CODE_NOTE.sub("", signature).strip() or signature
    if header:
        return HEADER_WORD.sub("", header) or header
    return None


def draft_to_document(d: DocumentDraft, ctx: Context) -> tuple[Document, list[Problem]]:
    """One draft → one ``Document`` (see the module docstring)."""
    doc_id = f"doc-{d.index}"
    problems: list[Problem] = []
    fields: dict[str, Source] = {}

    def text_of(blocks: list[Block]) -> str:
        return one_line("".join(b.text for b in blocks))

    def record(name: str, blocks: list[Block]) -> None:
        src = _blocks_source(blocks, ctx)
        if src is not None:
            fields[name] = src

    header = one_line(d.header.text) if d.header else None
    if d.header:
        record("header", [d.header])
    number = parse_doc_number(d.number.text) if d.number else None
    if d.number:
        record("doc_number", [d.number])
        if number is None:
            problems.append(problem(Code.P104, f"{doc_id}: 发文字号 not understood: {d.number.text!r}"))
    if d.structured:
        title = text_of(d.title)
        record("title", d.title)
    else:
        first = next((b for b in d.blocks if b.kind is BlockKind.PARAGRAPH and b.text.strip()), None)
        title = one_line(first.lines[0].text) if first and first.lines else ""
        problems.append(
            problem(
                Code.P103,
                f"{doc_id}: no official document structure found "
                "(no 发文机关标志, 发文字号 or title): the file may not be a gazette",
            )
        )
    recipients = split_bodies(d.recipients.text) if d.recipients else []
    if d.recipients:
        record("recipients", [d.recipients])
    signature = text_of(d.signature) if d.signature else None
    if d.signature:
        record("signature", d.signature)
    date = parse_date(d.date.text) if d.date else None
    if d.date:
        record("date", [d.date])
        if date is None:
            problems.append(problem(Code.P104, f"{doc_id}: 成文日期 not understood: {d.date.text!r}"))
    disclosure = parse_disclosure(d.disclosure.text) if d.disclosure else None
    if d.disclosure:
        record("disclosure", [d.disclosure])
    cc = (parse_cc(d.cc.text) or []) if d.cc else []
    if d.cc:
        record("cc", [d.cc])
    printed_by: str | None = None
    printed_date: dt.date | None = None
    if d.printed:
        record("printed", d.printed)
        joined = text_of(d.printed)
        parsed = parse_printed(joined)
        if parsed is not None:
            printed_by, printed_date = parsed
        if printed_by is None and len(d.printed) > 1 and looks_like_signature(one_line(d.printed[0].text)):
            printed_by = one_line(d.printed[0].text)
    year = date.year if date else (number.year if number else None)
    attachments: list[Attachment] = []
    for n, a in enumerate(d.attachments, start=1):
        att, probs = attachment_to_model(a, f"{doc_id}/att-{n}", year, ctx)
        attachments.append(att)
        problems.extend(probs)
    for t in d.attachment_titles:  # attachments named in the body but not printed in the issue
        if one_line(t) not in {a.title for a in attachments}:
            attachments.append(Attachment(id=f"{doc_id}/att-{len(attachments) + 1}", title=one_line(t)))
    body = blocks_to_content(d.body, doc_id, year, ctx)
    problems.extend(body.problems)
    own = {a.title for a in attachments}
    citations: list[Citation] = []
    for p in body.body:
        for c in parse_citations(p.text):
            if c.title in own and c.doc_number is None:
                continue  # the document's own attachment, not a citation
            if all((c.title, c.doc_number) != (x.title, x.doc_number) for x in citations):
                citations.append(c.model_copy(update={"source": p.source}))
    deadlines = [dl for p in body.body for dl in parse_deadlines(p.text, year, p.source)]
    all_text = "\n".join([title, *(p.text for p in body.body), *(p.text for a in attachments for p in a.body)])
    keywords = nlp.keywords(all_text, 8) if all_text.strip() else []
    topic = text_to_topic(title, all_text) if d.structured else None
    first_block = d.header or d.number or (d.title[0] if d.title else None) or (d.blocks[0] if d.blocks else None)
    source = _block_source(first_block, ctx) if first_block else Source()
    doc = Document(
        id=doc_id,
        header=header,
        doc_number=number,
        title=title,
        issuer=_issuer(signature, header),
        recipients=recipients,
        signature=signature,
        date=date,
        disclosure=disclosure,
        cc=cc,
        printed_by=printed_by,
        printed_date=printed_date,
        pages=_pages(d.blocks, ctx),
        citations=citations,
        deadlines=deadlines,
        attachments=attachments,
        source=source,
        body=body.body,
        tasks=body.tasks,
        tables=body.tables,
        keywords=keywords,
        topic=topic,
        fields=fields,
    )
    return doc, problems


def drafts_to_documents(drafts: list[DocumentDraft], ctx: Context) -> tuple[list[Document], list[Problem]]:
    """All drafts → documents, in printed order."""
    docs: list[Document] = []
    problems: list[Problem] = []
    for d in drafts:
        doc, probs = draft_to_document(d, ctx)
        docs.append(doc)
        problems.extend(probs)
    return docs, problems
