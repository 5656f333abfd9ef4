"""The pipeline in one visible place: a file → ``RunResult`` with a typed ``Issue``.

    source  = pdf_to_source(path) | text_to_source(path)      # stage 1: pages of lines, raw tables
    pages   = pages_to_clean_pages(source.pages)               # stage 2: no running headers/page labels
    blocks  = pages_to_blocks(pages)                           # stage 3: paragraphs, tables, figures
    cover   = blocks_to_cover(blocks)                          # stage 4: 刊名, year, 期, 目录
    drafts  = blocks_to_drafts(blocks[cover.end:])             # stage 5: where each element is
    docs    = drafts_to_documents(drafts)                      # stage 6: documents and attachments as data
    issue   = Issue(...); units = documents_to_unit_index(docs)
    issue.findings = issue_to_findings(issue)                  # stage 7: the gazette checked against itself

``parse_file`` never raises for bad input: unusable files give ``status=failure`` with an ``E0xx``
problem; problems inside a usable file give ``partial_success`` with ``P1xx`` problems; a bug in a
stage is contained and reported as ``E099`` naming the stage.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import Code, GazetteError, problem
from pipeline.layout.furniture import pages_to_clean_pages, printed_map
from pipeline.layout.reflow import pages_to_blocks
from pipeline.load import guard
from pipeline.options import RunOptions
from pipeline.structure.cover import blocks_to_cover
from pipeline.structure.documents import Context, drafts_to_documents
from pipeline.structure.segment import blocks_to_drafts
from pipeline.types import LoadedSource
from schemas.model import (
    Document,
    Issue,
    IssueSource,
    Problem,
    RunResult,
    RunStatus,
    Severity,
    SourceKind,
    TocEntry,
)

_ID_SAFE = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff._-]+")


def issue_id_for(path: Path) -> str:
    """The issue id: the file name stem made safe for paths and URLs (stable across runs)."""
    stem = _ID_SAFE.sub("-", path.stem).strip("-.") or "issue"
    return stem[:120]


def load(path: Path, options: RunOptions, on_page: Callable[[int, int], None] | None = None) -> LoadedSource:
    """Stage 1: sniff the file and load it with the loader for its kind."""
    kind = guard.sniff(path)
    if kind is SourceKind.PDF:
        if options.backend == "pdfium":
            from pipeline.load.pdfium import pdfium_to_source

            return pdfium_to_source(path, options, on_page)
        from pipeline.load.pdf import pdf_to_source

        return pdf_to_source(path, options, on_page)
    from pipeline.load.text import text_to_source

    return text_to_source(path)


def source_to_issue(source: LoadedSource, issue_id: str, options: RunOptions) -> Issue:
    """Stages 2–7 on a loaded source (pure: no file access)."""
    started = time.monotonic()
    pages = pages_to_clean_pages(source.pages)
    printed = printed_map(pages)
    blocks = pages_to_blocks(pages)
    cover = blocks_to_cover(blocks, printed)
    drafts = blocks_to_drafts(blocks[cover.end :])
    ctx = Context(printed=printed, pdf=source.kind == "pdf")
    documents, problems = drafts_to_documents(drafts, ctx)
    problems.extend(_garbled_pages(source))
    toc = _link_toc(cover.toc, documents, problems)
    from pipeline.tables.tasks import documents_to_unit_index

    issue = Issue(
        id=issue_id,
        source=IssueSource(path=source.path, sha256=source.sha256, kind=SourceKind(source.kind), pages=source.n_pages),
        gazette=cover.gazette,
        year=cover.year,
        number=cover.number,
        toc=toc,
        documents=documents,
        errors=problems,
        units=documents_to_unit_index(documents),
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
        if ocr_pages:
            from pipeline.check.unsure import downgrade_unsure

            issue.findings = downgrade_unsure(issue.findings, ocr_pages)
    if options.time_budget is not None and time.monotonic() - started > options.time_budget:
        raise GazetteError(Code.E009, source.path, f"time budget of {options.time_budget:g} s exceeded")
    return issue


def text_to_issue(text: str, issue_id: str = "inline", options: RunOptions | None = None) -> Issue:
    """Stages 2–7 on a text given in memory (tests, previews): the same chain as a text file."""
    import hashlib

    from pipeline.load.text import text_to_pages

    source = LoadedSource(
        path=f"<{issue_id}>",
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
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
    """Cross-check the issue TOC against the documents: link each entry, report the unmatched (P101/P102)."""
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
        linked.append(entry.model_copy(update={"document_id": doc.id}))
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
