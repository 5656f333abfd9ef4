"""The document stages that ``pipeline.run`` chains for each ``DocumentDraft`` (the chain itself is in run.py).

- ``draft_to_elements``: a draft's GB/T 9704 elements parsed (``pipeline.structure.elements``) → ``Elements``;
- ``blocks_to_contents_list``: a leading 目录 and the blocks after it;
- ``blocks_to_parts``: blocks → paragraphs (under their headings), tables (stitched, captioned), figures;
- ``tables_to_data``: each table read once as statistics, indicators, a list table or task rows;
- ``paragraphs_to_citations`` / ``paragraphs_to_deadlines``: cited documents and dated deadlines in the prose;
- ``content_to_attachment`` / ``elements_to_document``: the contract models assembled from those parts.

Guaranteed after:
  1. ids are positional: ``doc-2``, ``doc-2/att-1``, ``doc-2/att-1/table-3``, ``doc-2/att-1/task-14``;
  2. every extracted object carries a ``Source`` (printed page, PDF page and box, or text line);
  3. nothing that could not be parsed is guessed: it stays None and a ``Problem`` says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.errors import Code, problem
from pipeline.grammar.deadlines import parse_deadlines
from pipeline.grammar.doctypes import HEADER_WORD
from pipeline.grammar.labels import FIGURE_CAPTION, TABLE_CAPTION
from pipeline.grammar.text import one_line
from pipeline.grammar.toc import is_toc_heading
from pipeline.structure.elements import (
    parse_citations,
    parse_date,
    parse_doc_number,
    split_bodies,
)
from pipeline.structure.outline import OutlineResult
from pipeline.structure.segment import ISSUER_LINE
from pipeline.structure.toc import blocks_to_toc, lines_to_source
from pipeline.tables.classify import classify_table
from pipeline.tables.indicators import table_to_indicators
from pipeline.tables.lists import table_to_list_categories
from pipeline.tables.statistics import table_to_statistics
from pipeline.tables.stitch import fragments_to_table
from pipeline.tables.tasks import table_to_tasks
from pipeline.types import AttachmentDraft, Block, BlockKind, Content, DocumentDraft, Elements, Line, Parts, TableData
from schemas.model import (
    Attachment,
    Citation,
    Deadline,
    Document,
    Figure,
    PageRange,
    Paragraph,
    Source,
    Table,
    TableKind,
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


# --------------------------------------------------------------------------- contents, parts, table data


def blocks_to_contents_list(blocks: list[Block], printed: dict[int, int | None]) -> tuple[list[TocEntry], list[Block]]:
    """A leading 目录 block and its entries → (entries, the blocks after the list); no 目录: ([], blocks)."""
    if blocks and blocks[0].kind is BlockKind.PARAGRAPH and is_toc_heading(blocks[0].text):
        toc, consumed = blocks_to_toc(blocks, printed)
        return toc, blocks[max(consumed, 1) :]
    return [], blocks


def _caption_number(m: re.Match[str]) -> int | None:
    n = m.group("n") or m.group("m") or m.group("k")
    return int(n) if n else None


def _captions(rest: list[Block], outline: OutlineResult) -> tuple[dict[int, tuple[str, int | None]], set[int]]:
    """A short 表 N / 专栏 paragraph right before a table (or right after, as some producers do) → its caption."""
    caption_of: dict[int, tuple[str, int | None]] = {}
    taken: set[int] = set()
    for i, b in enumerate(rest):
        if b.kind is not BlockKind.TABLE:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(rest) and j not in taken and rest[j].kind is BlockKind.PARAGRAPH:
                t = one_line(rest[j].text)
                m = TABLE_CAPTION.match(t)
                if m and len(t) <= 100 and not outline.is_heading[j]:
                    caption_of[i] = (t, _caption_number(m))
                    taken.add(j)
                    break
    return caption_of, taken


def _table(b: Block, prefix: str, n: int, caption: tuple[str | None, int | None], ctx: Context) -> Table:
    table = fragments_to_table(b.tables, f"{prefix}/table-{n}", ctx.printed, caption[0], caption[1])
    if table.number is None and table.caption and (m := TABLE_CAPTION.match(table.caption)):
        table = table.model_copy(update={"number": _caption_number(m)})
    return table


def blocks_to_parts(rest: list[Block], outline: OutlineResult, prefix: str, ctx: Context) -> Parts:
    """Blocks (after any 目录) → body paragraphs under their headings, stitched and captioned tables, figures."""
    parts = Parts(body=[], tables=[], figures=[])
    caption_of, taken = _captions(rest, outline)
    for i, b in enumerate(rest):
        if b.kind is BlockKind.TABLE:
            parts.tables.append(_table(b, prefix, len(parts.tables) + 1, caption_of.get(i, (None, None)), ctx))
            continue
        if b.kind is BlockKind.FIGURE or i in taken or outline.is_heading[i]:
            continue
        t = one_line(b.text)
        fm = FIGURE_CAPTION.match(t)
        if fm and len(t) <= 100:
            fid = f"{prefix}/fig-{len(parts.figures) + 1}"
            parts.figures.append(Figure(id=fid, number=int(fm.group("n")), caption=t, source=_block_source(b, ctx)))
            continue
        hid = outline.heading_of[i] if i < len(outline.heading_of) else None
        parts.body.append(_paragraph(b, f"{prefix}/p-{len(parts.body) + 1}", hid, ctx))
    return parts


def tables_to_data(tables: list[Table], prefix: str, year: int | None) -> TableData:
    """Each table classified once (``pipeline.tables.classify``: statistics, indicators, list, annual-report,
    tasks, generic) and read by the reader of its kind; annual-report and generic tables give no rows here."""
    data = TableData(statistics=[], indicators=[], lists=[], tasks=[], problems=[])
    for table in tables:
        table.kind = classify_table(table)  # decided once (pipeline.tables.classify); each kind has its reader
        if table.kind is TableKind.STATISTICS:
            stat = table_to_statistics(table)
            data.statistics.extend([stat] if stat is not None else [])
        elif table.kind is TableKind.INDICATORS:
            found, probs = table_to_indicators(table, prefix)
            data.indicators.extend(found)
            data.problems.extend(probs)
        elif table.kind is TableKind.LIST:
            data.lists.extend(table_to_list_categories(table, table.id))
        elif table.kind is TableKind.TASKS:
            tasks, probs = table_to_tasks(table, year, prefix)
            data.tasks.extend(tasks)
            data.problems.extend(probs)
    return data


def content_to_attachment(a: AttachmentDraft, att_id: str, c: Content, ctx: Context) -> Attachment:
    """An attachment draft and its content → the contract ``Attachment``."""
    source = _blocks_source(([a.label] if a.label else []) + a.title_blocks, ctx)
    return Attachment(
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


def unprinted_attachments(d: DocumentDraft, doc_id: str, printed: list[Attachment]) -> list[Attachment]:
    """Attachments named in the body (附件：1. …) but not printed in the issue: title only."""
    out: list[Attachment] = []
    for t in d.attachment_titles:
        if one_line(t) not in {a.title for a in printed + out}:
            out.append(Attachment(id=f"{doc_id}/att-{len(printed) + len(out) + 1}", title=one_line(t)))
    return out


# --------------------------------------------------------------------------- documents


def _issuer(signature: str | None, header: str | None) -> str | None:
    if signature:
        return _CODE_NOTE.sub("", signature).strip() or signature
    if header:
        return HEADER_WORD.sub("", header) or header
    return None


_REPORT_LINE = re.compile(r"^\S{2,40}(?:报告|总结|要点)$")


def _unstructured_title(blocks: list[Block]) -> str:
    """The title of a file without 公文 structure: its first line, joined with the next when the first names an
    issuer and the next is a report's title printed under it (``某某区人民政府`` / ``2024年…年度报告``)."""
    lines = [ln for b in blocks if b.kind is BlockKind.PARAGRAPH and b.text.strip() for ln in b.lines][:2]
    if not lines:
        return ""
    first = one_line(lines[0].text)
    if len(lines) > 1 and ISSUER_LINE.search(first) and _REPORT_LINE.search(one_line(lines[1].text)):
        return first + one_line(lines[1].text)
    return first


def _text_of(blocks: list[Block]) -> str:
    return one_line("".join(b.text for b in blocks))


class _Recorder:
    """Where each element was printed (``Document.fields``)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.fields: dict[str, Source] = {}

    def __call__(self, name: str, blocks: list[Block]) -> None:
        src = _blocks_source(blocks, self.ctx)
        if src is not None:
            self.fields[name] = src


def _head_elements(d: DocumentDraft, doc_id: str, el: Elements, record: _Recorder) -> None:
    """版头, 发文字号 and title (P104 for a number not understood, P103 for an unstructured document)."""
    el.header = one_line(d.header.text) if d.header else None
    if d.header:
        record("header", [d.header])
    el.doc_number = parse_doc_number(d.number.text) if d.number else None
    if d.number:
        record("doc_number", [d.number])
        if el.doc_number is None:
            el.problems.append(problem(Code.P104, f"{doc_id}: 发文字号 not understood: {d.number.text!r}"))
    if d.structured:
        el.title = _text_of(d.title)
        record("title", d.title)
        return
    el.title = _unstructured_title(d.blocks)
    el.problems.append(
        problem(
            Code.P103,
            f"{doc_id}: no official document structure found "
            "(no 发文机关标志, 发文字号 or title): the file may not be a gazette",
        )
    )


def _tail_elements(d: DocumentDraft, doc_id: str, el: Elements, record: _Recorder) -> None:
    """主送, 落款, 成文日期 (P104 when not understood), 公开方式, 抄送 and 印发."""
    el.recipients = split_bodies(d.recipients.text) if d.recipients else []
    if d.recipients:
        record("recipients", [d.recipients])
    el.signature = _text_of(d.signature) if d.signature else None
    if d.signature:
        record("signature", d.signature)
    el.date = parse_date(d.date.text) if d.date else None
    if d.speaker:  # a speech or report: its date-and-occasion line, kept as it is printed; the date under
        record("speaker", d.speaker)  # the title is when it was delivered, no 成文日期 (``date`` stays None)
    if d.date:
        record("date", [d.date])
        if el.date is None:
            el.problems.append(problem(Code.P104, f"{doc_id}: 成文日期 not understood: {d.date.text!r}"))
    el.disclosure = d.disclosure_value
    if d.disclosure:
        record("disclosure", [d.disclosure])
    el.cc = list(d.cc_bodies)
    if d.cc:
        record("cc", [d.cc])
    if d.printed:
        record("printed", d.printed)
    el.printed_by, el.printed_date = d.printed_by, d.printed_date  # parsed by segment


def draft_to_elements(d: DocumentDraft, doc_id: str, ctx: Context) -> Elements:
    """A draft's GB/T 9704 elements parsed, each with where it was printed; problems for what was not understood."""
    el = Elements(title="", fields={}, problems=[])
    record = _Recorder(ctx)
    _head_elements(d, doc_id, el, record)
    _tail_elements(d, doc_id, el, record)
    el.fields = record.fields
    el.issuer = _issuer(el.signature, el.header)
    return el


def paragraphs_to_citations(body: list[Paragraph], own: set[str]) -> list[Citation]:
    """Documents cited in the paragraphs (deduplicated, in order), except the document's own attachments."""
    citations: list[Citation] = []
    for p in body:
        for c in parse_citations(p.text):
            if c.title in own and c.doc_number is None:
                continue  # the document's own attachment, not a citation
            if all((c.title, c.doc_number) != (x.title, x.doc_number) for x in citations):
                citations.append(c.model_copy(update={"source": p.source}))
    return citations


def paragraphs_to_deadlines(body: list[Paragraph], year: int | None) -> list[Deadline]:
    """Dated deadlines written in the paragraphs (到2025年底 …), relative years read against ``year``."""
    return [dl for p in body for dl in parse_deadlines(p.text, year, p.source)]


def document_text(title: str, body: Content, attachments: list[Attachment]) -> str:
    """The text a document's keywords and topic are read from: title, body and attachment paragraphs."""
    return "\n".join([title, *(p.text for p in body.body), *(p.text for a in attachments for p in a.body)])


def elements_to_document(
    d: DocumentDraft,
    doc_id: str,
    el: Elements,
    body: Content,
    attachments: list[Attachment],
    ctx: Context,
    **found: object,
) -> Document:
    """The contract ``Document`` from its elements, body content, attachments and what the chain found in the
    text (``citations``, ``deadlines``, ``keywords``, ``topic``)."""
    first_block = d.header or d.number or (d.title[0] if d.title else None) or (d.blocks[0] if d.blocks else None)
    return Document(
        id=doc_id,
        header=el.header,
        doc_number=el.doc_number,
        title=el.title,
        issuer=el.issuer,
        recipients=el.recipients,
        signature=el.signature,
        date=el.date,
        disclosure=el.disclosure,
        cc=el.cc,
        printed_by=el.printed_by,
        printed_date=el.printed_date,
        pages=_pages(d.blocks, ctx),
        attachments=attachments,
        source=_block_source(first_block, ctx) if first_block else Source(),
        body=body.body,
        tasks=body.tasks,
        tables=body.tables,
        fields=el.fields,
        outline=body.outline,
        **found,
    )
