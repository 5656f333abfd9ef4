"""Check phase: values read by OCR carry their confidence, and a low-confidence value is 待核, never an error.

Reads: the Issue (after structure and tables) and the loaded pages' ``ocr_boxes`` (set by
``pipeline.load.ocr`` on scanned pages only); later the findings of the validators.
Writes: ``Source.confidence`` on every source of an OCR'd page (the lowest confidence of the OCR lines its
box touches, or of the page when it has no box); error findings whose location or evidence has a
confidence below ``LOW_CONFIDENCE`` become warnings marked 待核.
Also: the P130 problem (info) naming the OCR'd pages.
Guaranteed after: an issue without OCR'd pages is returned unchanged (no source gets a confidence); this is
the one place where OCR confidence changes a finding's severity.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from pipeline.errors import Code, problem
from pipeline.i18n import pick
from pipeline.load.ocr import LOW_CONFIDENCE
from pipeline.types import BBox, Page
from schemas.model import Finding, Issue, Problem, Severity, Source


def _sources(obj: object) -> Iterator[Source]:
    if isinstance(obj, Source):
        yield obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _sources(getattr(obj, name))
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _sources(item)


def _touches(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def mark_ocr_confidence(issue: Issue | list[Finding], pages: list[Page]) -> int:
    """Set ``confidence`` on the sources (of an Issue or of findings) that lie on OCR'd pages; returns how
    many were set. A source that already has one keeps it."""
    boxes = {p.index + 1: p.ocr_boxes for p in pages if p.ocr_boxes}
    if not boxes:
        return 0
    n = 0
    for src in _sources(issue):
        page_boxes = boxes.get(src.pdf_page or 0)
        if not page_boxes or src.confidence is not None:
            continue
        hits = [conf for box, conf, _ in page_boxes if src.bbox is None or _touches(tuple(src.bbox), box)]  # type: ignore[arg-type]
        confs = hits or [conf for _, conf, _ in page_boxes]
        src.confidence = round(min(confs), 4)
        n += 1
    return n


def ocr_problem(pages: list[Page]) -> Problem:
    """P130 (info): which pages were read with OCR, and how sure the engine was."""
    confs = [conf for p in pages for _, conf, _ in p.ocr_boxes]
    numbers = "、".join(str(p.index + 1) for p in pages)
    mean = sum(confs) / len(confs) if confs else 0.0
    low = sum(1 for c in confs if c < LOW_CONFIDENCE)
    message = pick(
        f"第 {numbers} 页没有文字层，已用 OCR 识别（平均置信度 {mean:.2f}，{low} 行低于 {LOW_CONFIDENCE:g}，相关数值待核）",
        f"pages {numbers} have no text layer and were read with OCR (mean confidence {mean:.2f}, "
        f"{low} lines below {LOW_CONFIDENCE:g}: their values are to be checked)",
    )
    return problem(Code.P130, message, severity=Severity.INFO)


def _lowest(finding: Finding) -> float | None:
    confs = [
        s.confidence for s in [finding.location, *(e.source for e in finding.evidence)] if s.confidence is not None
    ]
    return min(confs) if confs else None


def downgrade_unsure(findings: list[Finding], pages: list[Page]) -> list[Finding]:
    """Error findings resting on OCR text below ``LOW_CONFIDENCE`` become warnings marked 待核."""
    mark_ocr_confidence(findings, pages)
    out: list[Finding] = []
    for f in findings:
        low = _lowest(f)
        if f.severity is Severity.ERROR and low is not None and low < LOW_CONFIDENCE:
            note = pick(f"待核（OCR 置信度 {low:.2f}）：", f"to be checked (OCR confidence {low:.2f}): ")
            f = f.model_copy(update={"severity": Severity.WARNING, "message": note + f.message})
        out.append(f)
    return out
