"""The pipeline in one visible place: a file → ``RunResult`` with a typed ``Issue``. Every stage, in order::

    file ─ load ──────────────── pdf_to_source | text_to_source     load/         → LoadedSource (list[Page])
                                 | ofd_to_source | docx_to_source (kind by content: guard.sniff)
    pages_to_clean_pages ─────── running headers, page labels off    layout/       → list[Page] (+ printed map)
    pages_to_column_pages ────── two-column pages read by column      layout/       → list[Page]
    pages_to_blocks ──────────── lines joined into paragraphs         layout/       → list[Block]
    blocks_to_cover ──────────── 刊名, year, 期, the issue 目录        structure/    → Cover
    blocks_to_drafts ─────────── where each document and element is  structure/    → list[DocumentDraft]
    for each draft (draft_to_document, below):
      draft_to_elements ──────── 版头 发文字号 标题 主送 落款 日期 …    structure/    → Elements
      for the body and each attachment (blocks_to_content, below):
        blocks_to_contents_list  a leading 目录                      structure/    → list[TocEntry], rest
        blocks_to_outline ────── headings (kind, number, level)      structure/    → OutlineResult
        link_toc ─────────────── 目录 entries ↔ headings              structure/    → list[TocEntry]
        blocks_to_parts ──────── paragraphs, tables, figures         structure/ + tables/stitch → Parts
        tables_to_data ───────── statistics/indicators/lists/tasks   tables/       → TableData
        paragraphs_to_tasks ──── tasks written in prose              tables/tasks  → list[Task]
      paragraphs_to_citations, paragraphs_to_deadlines               structure/ + grammar/deadlines
      nlp.keywords, text_to_topic ─ keywords and 主题分类              nlp, structure/topics
    _link_toc ────────────────── issue 目录 ↔ documents (P101/P102)
    documents_to_unit_index ──── the by-unit index                   tables/tasks  → list[UnitEntry]
    issue_to_findings ────────── the gazette checked against itself  check/        → list[Finding]

``parse_file`` never raises for bad input: unusable files give ``status=failure`` with an ``E0xx``
problem; problems inside a usable file give ``partial_success`` with ``P1xx`` problems; a bug in a
stage is contained and reported as ``E099`` naming the stage.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from pipeline import nlp
from pipeline.errors import Code, GazetteError, problem
from pipeline.grammar.names import text_to_file_name
from pipeline.layout.columns import pages_to_column_pages
from pipeline.layout.furniture import pages_to_clean_pages, printed_map
from pipeline.layout.reflow import pages_to_blocks
from pipeline.load import guard
from pipeline.options import RunOptions
from pipeline.structure.cover import blocks_to_cover
from pipeline.structure.documents import (
    Context,
    blocks_to_contents_list,
    blocks_to_parts,
    content_to_attachment,
    document_text,
    draft_to_elements,
    elements_to_document,
    paragraphs_to_citations,
    paragraphs_to_deadlines,
    tables_to_data,
    unprinted_attachments,
)
from pipeline.structure.outline import blocks_to_outline, link_toc
from pipeline.structure.segment import blocks_to_drafts
from pipeline.structure.topics import text_to_topic
from pipeline.tables.tasks import documents_to_unit_index, paragraphs_to_tasks
from pipeline.types import AttachmentDraft, Block, Content, DocumentDraft, LoadedSource, Page
from schemas.model import (
    Attachment,
    Document,
    Issue,
    IssueSource,
    PageInfo,
    Problem,
    RunResult,
    RunStatus,
    Severity,
    SourceKind,
    TocEntry,
)


def issue_id_for(path: Path) -> str:
    """The issue id: the file name stem made safe for paths and URLs (stable across runs)."""
    return text_to_file_name(path.stem, "issue", limit=120, joiner="-")


def load(path: Path, options: RunOptions, on_page: Callable[[int, int], None] | None = None) -> LoadedSource:
    """Stage 1: sniff the file and load it with the loader for its kind."""
    kind = guard.sniff(path)
    if kind is SourceKind.PDF:
        if options.backend == "pdfium":
            from pipeline.load.pdfium import pdfium_to_source

            return pdfium_to_source(path, options, on_page)
        from pipeline.load.pdf import pdf_to_source

        return pdf_to_source(path, options, on_page)
    if kind is SourceKind.OFD:
        from pipeline.load.ofd import ofd_to_source

        return ofd_to_source(path)
    if kind is SourceKind.DOCX:
        from pipeline.load.docx import docx_to_source

        return docx_to_source(path)
    from pipeline.load.text import text_to_source

    return text_to_source(path)


def blocks_to_content(blocks: list[Block], prefix: str, year: int | None, ctx: Context) -> Content:
    """The blocks of a document body or an attachment → its contents list, outline, parts and data."""
    toc, rest = blocks_to_contents_list(blocks, ctx.printed)
    outline = blocks_to_outline(rest, prefix, ctx.printed)
    toc = link_toc(toc, outline.headings) if toc else toc
    parts = blocks_to_parts(rest, outline, prefix, ctx)
    data = tables_to_data(parts.tables, prefix, year)
    prose_tasks = paragraphs_to_tasks(parts.body, year, f"{prefix}/prose")
    return Content(
        toc=toc,
        outline=outline.headings,
        body=parts.body,
        tables=parts.tables,
        figures=parts.figures,
        statistics=data.statistics,
        indicators=data.indicators,
        lists=data.lists,
        tasks=data.tasks + prose_tasks,
        problems=data.problems,
    )


def draft_to_attachment(
    a: AttachmentDraft, att_id: str, year: int | None, ctx: Context, problems: list[Problem]
) -> Attachment:
    """One attachment draft → its ``Attachment``, its own annexes nested (``{att_id}/att-1`` …); the problems
    met are appended to ``problems``."""
    content = blocks_to_content(a.blocks, att_id, year, ctx)
    problems.extend(content.problems)
    attachment = content_to_attachment(a, att_id, content, ctx)
    for k, annex in enumerate(a.annexes, start=1):
        attachment.attachments.append(draft_to_attachment(annex, f"{att_id}/att-{k}", year, ctx, problems))
    return attachment


def draft_to_document(d: DocumentDraft, ctx: Context) -> tuple[Document, list[Problem]]:
    """One document draft → one ``Document`` with its attachments as data, and the problems met."""
    doc_id = f"doc-{d.index}"
    el = draft_to_elements(d, doc_id, ctx)
    problems = list(el.problems)
    attachments: list[Attachment] = []
    for n, a in enumerate(d.attachments, start=1):
        attachments.append(draft_to_attachment(a, f"{doc_id}/att-{n}", el.year, ctx, problems))
    attachments.extend(unprinted_attachments(d, doc_id, attachments))
    body = blocks_to_content(d.body, doc_id, el.year, ctx)
    problems.extend(body.problems)
    text = document_text(el.title, body, attachments)
    doc = elements_to_document(
        d,
        doc_id,
        el,
        body,
        attachments,
        ctx,
        citations=paragraphs_to_citations(body.body, {a.title for a in attachments}),
        deadlines=paragraphs_to_deadlines(body.body, el.year),
        keywords=nlp.keywords(text, 8) if text.strip() else [],
        topic=text_to_topic(el.title, text) if d.structured else None,
    )
    return doc, problems


def pages_to_info(pages: list[Page]) -> list[PageInfo]:
    """Each page's PDF page number, printed label and size (renderers read these, never the source)."""
    return [PageInfo(pdf_page=p.index + 1, printed=p.printed, width=p.width, height=p.height) for p in pages]


def source_to_issue(source: LoadedSource, issue_id: str, options: RunOptions) -> Issue:
    """Every stage after loading, on a loaded source (pure: no file access)."""
    started = time.monotonic()
    pages = pages_to_clean_pages(source.pages)
    printed = printed_map(pages)
    pages = pages_to_column_pages(pages)
    blocks = pages_to_blocks(pages)
    cover = blocks_to_cover(blocks, printed)
    drafts = blocks_to_drafts(blocks[cover.end :])
    ctx = Context(printed=printed, pdf=source.kind in ("pdf", "ofd"))
    documents: list[Document] = []
    problems: list[Problem] = []
    for d in drafts:
        doc, probs = draft_to_document(d, ctx)
        documents.append(doc)
        problems.extend(probs)
    problems.extend(source.problems)
    problems.extend(_garbled_pages(source))
    from pipeline.structure.annual_report import documents_to_annual_reports

    documents, annual_problems = documents_to_annual_reports(pages, printed, documents)
    problems.extend(annual_problems)
    toc = _link_toc(cover.toc, documents, problems)
    issue = Issue(
        id=issue_id,
        source=IssueSource(
            path=source.path,
            sha256=source.sha256,
            kind=SourceKind(source.kind),
            pages=source.n_pages,
            seals=source.seals,
        ),
        gazette=cover.gazette,
        year=cover.year,
        number=cover.number,
        toc=toc,
        documents=documents,
        errors=problems,
        units=documents_to_unit_index(documents),
        pages=pages_to_info(pages),
    )
    if not documents:
        issue.errors.append(problem(Code.P103, "no official document found: the file may not be a gazette"))
    ocr_pages = [p for p in source.pages if p.ocr_boxes]
    if ocr_pages:
        from pipeline.check.unsure import mark_ocr_confidence, ocr_problem

        mark_ocr_confidence(issue, ocr_pages)
        issue.errors.append(ocr_problem(ocr_pages))
    if options.validate:
        from pipeline.check.validate import issue_to_findings

        issue.findings = issue_to_findings(issue)
        from pipeline.check.annual import issue_to_annual_findings

        issue.findings.extend(issue_to_annual_findings(issue))
        from pipeline.check.doubts import split_doubtful_numbering

        issue.findings, doubts = split_doubtful_numbering(issue)
        issue.errors.extend(doubts)

        if ocr_pages:
            from pipeline.check.unsure import downgrade_unsure

            issue.findings = downgrade_unsure(issue.findings, ocr_pages)
    if options.time_budget is not None and time.monotonic() - started > options.time_budget:
        raise GazetteError(Code.E009, source.path, f"time budget of {options.time_budget:g} s exceeded")
    return issue


def text_to_issue(text: str, issue_id: str = "inline", options: RunOptions | None = None) -> Issue:
    """Stages 2–7 on a text given in memory (tests, previews): the same chain as a text file."""
    from pipeline.load.digest import bytes_to_sha256
    from pipeline.load.text import text_to_pages

    source = LoadedSource(
        path=f"<{issue_id}>",
        sha256=bytes_to_sha256(text.encode("utf-8")),
        kind="text",
        pages=text_to_pages(text),
        n_pages=None,
    )
    return source_to_issue(source, issue_id, options or RunOptions())


def _garbled_pages(source: LoadedSource) -> list[Problem]:
    out = []
    for p in source.pages:
        text = "".join(ln.text for ln in p.lines)
        if text and guard.is_garbled(text):
            out.append(
                problem(Code.P105, f"page {p.index + 1}: garbled text (fonts without a ToUnicode map)", page=p.printed)
            )
    return out


def _key(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def _link_toc(toc: list[TocEntry], documents: list[Document], problems: list[Problem]) -> list[TocEntry]:
    """Cross-check the issue TOC against the documents: link each entry, report the unmatched (P101/P102).
    An entry printed without its 文号 takes the 文号 of the document it links to (by title)."""
    linked = []
    matched: set[str] = set()
    for entry in toc:
        doc = next(
            (
                d
                for d in documents
                if d.id not in matched
                and entry.doc_number
                and d.doc_number
                and _key(d.doc_number.raw) == _key(entry.doc_number)
            ),
            None,
        )
        if doc is None:
            doc = next((d for d in documents if d.id not in matched and _key(d.title) == _key(entry.title)), None)
        if doc is None:
            problems.append(
                problem(
                    Code.P101,
                    f"TOC entry {entry.title!r} ({entry.doc_number or '-'}) has no matching document",
                    page=entry.page,
                )
            )
            linked.append(entry)
            continue
        matched.add(doc.id)
        update: dict[str, str] = {"document_id": doc.id}
        if entry.doc_number is None and doc.doc_number is not None:
            update["doc_number"] = doc.doc_number.raw  # a 目录 that prints no 文号: its document's, linked by title
        linked.append(entry.model_copy(update=update))
    if toc:
        for d in documents:
            if d.id not in matched:
                problems.append(
                    problem(
                        Code.P102,
                        f"{d.id} ({d.title}) has no entry in the issue TOC",
                        page=d.pages.first if d.pages else None,
                    )
                )
    return linked


def parse_file(
    path: Path | str, options: RunOptions | None = None, on_page: Callable[[int, int], None] | None = None
) -> RunResult:
    """Run the whole pipeline on one file. Never raises for bad input (see the module docstring)."""
    options = options or RunOptions()
    path = Path(path)
    started = time.monotonic()
    stage = "load"
    try:
        source = load(path, options, on_page)
        stage = "extract"
        issue = source_to_issue(source, issue_id_for(path), options)
    except GazetteError as exc:
        return RunResult(
            path=str(path),
            status=RunStatus.FAILURE,
            errors=[exc.to_problem()],
            seconds=round(time.monotonic() - started, 3),
        )
    except MemoryError:
        raise
    except Exception as exc:  # a bug: contained, reported with the stage, never a traceback for the user
        err = Problem(
            code=Code.E099.value,
            message=f"internal error in stage {stage}: {type(exc).__name__}: {exc}",
            file=str(path),
            severity=Severity.ERROR,
        )
        return RunResult(
            path=str(path), status=RunStatus.FAILURE, errors=[err], seconds=round(time.monotonic() - started, 3)
        )
    status = (
        RunStatus.PARTIAL_SUCCESS
        if any(e.severity is Severity.ERROR or e.code.startswith("P1") for e in issue.errors)
        else RunStatus.SUCCESS
    )
    return RunResult(
        path=str(path),
        status=status,
        issue=issue,
        errors=list(issue.errors),
        seconds=round(time.monotonic() - started, 3),
    )
