"""Issues → a static 政务公开 website (index, issue pages, document pages, unit pages, findings, page views).

Renderers only read the contract models. Everything a page shows is computed here into small frozen
view-model dataclasses (sorting, grouping, URLs, overlay percentages); the jinja2 templates under
``pipeline/publish/templates`` only format them (autoescape on, StrictUndefined). Every extracted value with a
PDF source links to a page view: the printed page as an image with the source box highlighted.

Site layout (all URLs relative)::

    index.html                         all issues
    static/site.css, static/site.js
    <issue>/index.html                 metadata, TOC, documents, units, problems
    <issue>/findings.html              the findings report
    <issue>/<doc-id>.html              one page per document
    <issue>/units/<slug>.html          one page per canonical unit
    <issue>/pages/p-<pdf_page>.png     page images (PDF input only)
    <issue>/pages/p-<pdf_page>.html    page view with highlighted boxes
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import pdfplumber

from pipeline.errors import describe
from pipeline.i18n import get_lang
from pipeline.publish.downloads import Downloads, FileLink, write_downloads
from pipeline.publish.export import anchor, issue_folder, safe_name, unit_slug, write_atomic
from pipeline.publish.messages import catalogue, msg
from pipeline.publish.overview import issue_to_overview
from pipeline.publish.portal import load_config, portal_fields
from pipeline.publish.search_index import build_search_index
from schemas.model import (
    Attachment,
    Deadline,
    DeadlineKind,
    Document,
    Finding,
    Heading,
    Indicator,
    Issue,
    Paragraph,
    Source,
    Table,
    TablePart,
    Task,
    TaskRef,
)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
STATIC_FILES = ("site.css", "site.js")
PAGE_RESOLUTION = 100  # dpi of the page images

# the words shown for a model value: catalogue keys, looked up in the language in force when a page is built
OP_SYMBOLS = ("<", "≤", ">", "≥", "=")
ROLE_KEYS = {
    "claim": "site.role_claim",
    "agreeing-claim": "site.role_agreeing_claim",
    "table-cell": "site.role_table_cell",
    "heading": "site.role_heading",
    "toc-entry": "site.role_toc_entry",
    "task": "site.role_task",
    "indicator": "site.role_indicator",
}
KIND_KEYS = {"by": "site.kind_by", "recurring": "site.kind_recurring", "period": "site.deadline_period"}
RECURRENCE_KEYS = {
    "yearly": "site.every_year",
    "half-yearly": "site.every_half_year",
    "quarterly": "site.every_quarter",
    "monthly": "site.every_month",
    "weekly": "site.every_week",
}


def _label(keys: dict[str, str], value: str) -> str:
    """The catalogue text of ``value`` (a model enum value), else the value itself."""
    return msg(keys[value]) if value in keys else value


def _op_label(op: str) -> str:
    return op if op in OP_SYMBOLS or op not in ("decrease", "increase") else msg(f"export.op_{op}")


def _severity_label(severity: str) -> str:
    return msg(f"cli.severity_{severity}") if severity in ("error", "warning", "info") else ""


def _rel(from_file: str, to: str) -> str:
    """The relative URL from site file ``from_file`` to site path ``to`` (which may carry a #fragment)."""
    path, _, frag = to.partition("#")
    rel = posixpath.relpath(path, posixpath.dirname(from_file) or ".")
    return f"{rel}#{frag}" if frag else rel


def _fmt_number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# --------------------------------------------------------------------------- view models


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    url: str | None = None  # None: shown as plain text


@dataclass(frozen=True, slots=True)
class MetaRow:
    label: str
    value: str
    page: Link | None = None


@dataclass(frozen=True, slots=True)
class CellView:
    text: str
    rowspan: int
    colspan: int
    header: bool


@dataclass(frozen=True, slots=True)
class RowView:
    cells: list[CellView]
    page: Link | None = None
    anchor: str = ""  # HTML id of the row, when an extracted object points at it


@dataclass(frozen=True, slots=True)
class TableView:
    anchor: str
    caption: str
    header: list[RowView]
    body: list[RowView]
    notes: list[str]
    page: Link | None
    n_cols: int
    open: bool = True  # False: shown collapsed (the structured view above is the primary one)


@dataclass(frozen=True, slots=True)
class DeadlineView:
    raw: str
    kind: str
    date: str
    sort_key: str


@dataclass(frozen=True, slots=True)
class TaskView:
    anchor: str
    seq: str
    requirement: str
    task: str
    text: str
    leads: list[Link]
    cos: list[Link]
    deadlines: list[DeadlineView]
    units_attr: str  # "|"-joined canonical names, read by the filter script
    sort_deadline: str  # ISO date of the earliest dated deadline, "" when none
    page: Link | None


@dataclass(frozen=True, slots=True)
class TaskTableView:
    anchor: str
    title: str
    rows: list[TaskView]
    units: list[str]  # the filter's options


@dataclass(frozen=True, slots=True)
class IndicatorView:
    anchor: str
    seq: str
    category: str
    name: str
    raw: str
    op: str
    value: str
    unit: str
    footnote: str
    attribute: str
    page: Link | None


@dataclass(frozen=True, slots=True)
class OutlineItem:
    label: str
    title: str
    url: str
    children: list[OutlineItem]


@dataclass(frozen=True, slots=True)
class ParagraphView:
    anchor: str
    text: str
    page: Link | None


@dataclass(frozen=True, slots=True)
class SectionView:
    anchor: str
    tag: str  # h3 … h6 by heading level
    heading: str
    page: Link | None
    paragraphs: list[ParagraphView]


@dataclass(frozen=True, slots=True)
class EvidenceView:
    role: str
    text: str
    value: str
    page: Link | None
    target: Link | None  # the extracted object in its document page, when found


@dataclass(frozen=True, slots=True)
class FindingView:
    anchor: str
    code: str
    severity: str
    severity_label: str
    message: str
    expected: str
    actual: str
    rule: str
    document: Link | None
    location: Link | None
    evidence: list[EvidenceView]


@dataclass(frozen=True, slots=True)
class AttachmentView:
    anchor: str
    title: str
    outline: list[OutlineItem]
    sections: list[SectionView]
    tables: list[TableView]
    indicators: list[IndicatorView]
    tasks: TaskTableView | None
    lists: list[TableView]
    figures: list[ParagraphView]


@dataclass(frozen=True, slots=True)
class DocumentView:
    id: str
    title: str
    meta: list[MetaRow]
    keywords: list[str]
    body: list[ParagraphView]
    deadlines: list[DeadlineView]
    attachments: list[AttachmentView]
    tasks: TaskTableView | None
    findings: list[FindingView]
    nav: list[Link]
    citations: list[MetaRow]


@dataclass(frozen=True, slots=True)
class TocView:
    category: str
    title: Link
    doc_number: str
    page: str


@dataclass(frozen=True, slots=True)
class DocSummary:
    link: Link
    doc_number: str
    date: str
    issuer: str
    counts: list[str]


@dataclass(frozen=True, slots=True)
class UnitSummary:
    link: Link
    leads: int
    cos: int


@dataclass(frozen=True, slots=True)
class UnitTaskView:
    task: Link
    document: Link
    text: str
    deadlines: list[DeadlineView]


@dataclass(frozen=True, slots=True)
class UnitSection:
    key: str
    title: str
    rows: list[UnitTaskView]


@dataclass(frozen=True, slots=True)
class UnitView:
    name: str
    aliases: list[str]
    in_vocabulary: bool
    n_leads: int
    n_cos: int
    sections: list[UnitSection]


@dataclass(frozen=True, slots=True)
class ProblemView:
    code: str
    severity: str
    message: str
    page: str


@dataclass(frozen=True, slots=True)
class IssueView:
    title: str
    subtitle: str
    meta: list[MetaRow]
    toc: list[TocView]
    documents: list[DocSummary]
    units: list[UnitSummary]
    findings: Link
    finding_counts: list[MetaRow]
    problems: list[ProblemView]


@dataclass(frozen=True, slots=True)
class BoxView:
    anchor: str
    label: str
    back: Link | None
    left: str  # CSS percentages, computed here
    top: str
    width: str
    height: str


@dataclass(frozen=True, slots=True)
class PageView:
    pdf_page: int
    printed: str
    image: str
    boxes: list[BoxView]
    prev: Link | None
    next: Link | None
    ratio: str  # height / width in percent, for the image frame


@dataclass(frozen=True, slots=True)
class Crumbs:
    items: list[Link]


# --------------------------------------------------------------------------- page registry (sources → page views)


@dataclass(slots=True)
class _Box:
    anchor: str
    label: str
    bbox: list[float] | None
    back: str | None  # site path of the object


@dataclass(slots=True)
class PageRegistry:
    """Collects the boxes to highlight per PDF page and the objects each source belongs to.

    ``sizes`` is empty for text input: then no page links are made (there is no image to show).
    """

    base: str  # site folder of the issue
    sizes: dict[int, tuple[float, float]]  # pdf_page (1-based) → (width, height) in points
    boxes: dict[int, list[_Box]] = field(default_factory=dict)
    objects: dict[tuple[int, tuple[float, ...]], str] = field(default_factory=dict)

    def link(self, source: Source | None, obj_id: str, label: str, back: str | None, page_from: str) -> Link | None:
        """Register ``source`` and return the link (relative to ``page_from``) to its page view.

        Returns a plain label (no URL) for text input, None when the source has no page at all.
        """
        if source is None:
            return None
        printed = msg("site.page_n", page=source.page) if source.page is not None else None
        pdf = source.pdf_page
        if pdf is None or pdf not in self.sizes:
            if printed is None and source.line is not None:
                return Link(msg("site.line_n", line=source.line))
            return Link(printed) if printed else None
        box_anchor = "b-" + anchor(obj_id)
        self.boxes.setdefault(pdf, []).append(_Box(box_anchor, label, source.bbox, back))
        if back and source.bbox:
            self.objects.setdefault((pdf, tuple(source.bbox)), back)
        text = printed or msg("site.page_alt", page=pdf)
        return Link(text, _rel(page_from, f"{self.base}/pages/p-{pdf}.html#{box_anchor}"))

    def object_url(self, source: Source, page_from: str) -> str | None:
        """The document-page URL of the extracted object with this source box, if any: the object with
        exactly this box, else the smallest object on the same page whose box contains the box's centre
        (a table cell → its table)."""
        if source.pdf_page is None or not source.bbox or len(source.bbox) != 4:
            return None
        back = self.objects.get((source.pdf_page, tuple(source.bbox)))
        if back is None:
            x0, top, x1, bottom = source.bbox
            cx, cy = (x0 + x1) / 2, (top + bottom) / 2
            best: tuple[float, str] | None = None
            for (page, box), url in self.objects.items():
                if page == source.pdf_page and len(box) == 4 and box[0] <= cx <= box[2] and box[1] <= cy <= box[3]:
                    area = (box[2] - box[0]) * (box[3] - box[1])
                    if best is None or area < best[0]:
                        best = (area, url)
            back = best[1] if best else None
        return _rel(page_from, back) if back else None


# --------------------------------------------------------------------------- builders


def deadline_to_view(d: Deadline) -> DeadlineView:
    """A deadline for display: raw text, kind label, date (or span / recurrence) and a sort key."""
    if d.kind == DeadlineKind.PERIOD and d.date and d.end:
        date = msg("site.date_span", start=d.date.isoformat(), end=d.end.isoformat())
    elif d.kind == DeadlineKind.RECURRING and d.recurrence:
        date = _label(RECURRENCE_KEYS, d.recurrence.value)
    else:
        date = d.date.isoformat() if d.date else ""
    last = d.end or d.date
    key = last.isoformat() if last else ""
    if d.kind == DeadlineKind.BY and d.date:
        key = d.date.isoformat()
    return DeadlineView(raw=d.raw, kind=_label(KIND_KEYS, d.kind.value), date=date, sort_key=key)


def table_to_view(table: Table, link: Link | None, open_: bool = True) -> TableView:
    """A table as printed: header and body rows with their real rowspan/colspan.

    From ``Table.cells`` when present; otherwise from the resolved grid, where a None body cell is merged
    with the cell above (one rowspan per run).
    """
    n_cols = max(
        [len(r) for r in table.header] + [len(r) for r in table.rows] + [c.col + c.colspan for c in table.cells] + [1]
    )
    head, body = _rows_from_cells(table) if table.cells else _rows_from_grid(table, n_cols)
    return TableView(
        anchor=anchor(table.id),
        caption=_table_caption(table),
        header=[RowView(r) for r in head],
        body=[RowView(r) for r in body],
        notes=list(table.notes),
        page=link,
        n_cols=n_cols,
        open=open_,
    )


def _rows_from_cells(table: Table) -> tuple[list[list[CellView]], list[list[CellView]]]:
    """Header and body rows from the table's cells with their spans."""
    n_body = max([len(table.rows)] + [c.row + c.rowspan for c in table.cells if c.part == TablePart.BODY])
    n_head = max([len(table.header)] + [c.row + c.rowspan for c in table.cells if c.part == TablePart.HEADER])
    head: list[list[CellView]] = [[] for _ in range(n_head)]
    body: list[list[CellView]] = [[] for _ in range(n_body)]
    for c in sorted(table.cells, key=lambda c: (c.part != TablePart.HEADER, c.row, c.col)):
        target = head if c.part == TablePart.HEADER else body
        target[c.row].append(CellView(c.text, max(1, c.rowspan), max(1, c.colspan), c.part == TablePart.HEADER))
    return head, body


def _rows_from_grid(table: Table, n_cols: int) -> tuple[list[list[CellView]], list[list[CellView]]]:
    """Header and body rows from the resolved grid: a run of None cells under a cell is its rowspan."""
    head = [[CellView(t, 1, 1, True) for t in row] for row in table.header]
    body: list[list[CellView]] = [[] for _ in table.rows]
    rows = table.rows
    for col in range(n_cols):
        r = 0
        while r < len(rows):
            text = rows[r][col] if col < len(rows[r]) else ""
            span = 1
            while r + span < len(rows) and col < len(rows[r + span]) and rows[r + span][col] is None:
                span += 1
            body[r].append(CellView(text or "", span, 1, False))
            r += span
    return head, body


def _table_caption(table: Table) -> str:
    """The caption shown over a table: 表N (unless the printed caption already starts with 表) and the caption."""
    number = msg("site.table_n", n=table.number) if table.number and not (table.caption or "").startswith("表") else ""
    return " ".join(x for x in [number, table.caption or ""] if x) or msg("site.table")


@dataclass(slots=True)
class _SiteContext:
    """What the builders of one issue share: the registry, unit slugs and the issue folder."""

    issue: Issue
    base: str
    registry: PageRegistry
    unit_pages: dict[str, str]  # canonical name → site path of its page

    def doc_path(self, doc_id: str) -> str:
        return f"{self.base}/{safe_name(doc_id)}.html"

    def unit_link(self, name: str, page_from: str) -> Link:
        path = self.unit_pages.get(name)
        return Link(name, _rel(page_from, path) if path else None)


def tasks_to_view(ctx: _SiteContext, tasks: Sequence[Task], table_id: str, title: str, page_from: str) -> TaskTableView:
    """The task table of one document or attachment, with the unit filter's options."""
    rows = []
    names: set[str] = set()
    for t in tasks:
        back = f"{page_from}#{anchor(t.id)}"
        deadlines = [deadline_to_view(d) for d in t.deadlines]
        dated = sorted(d.sort_key for d in deadlines if d.sort_key)
        unit_names = list(dict.fromkeys([*t.lead_units, *t.co_units]))
        names.update(unit_names)
        rows.append(
            TaskView(
                anchor=anchor(t.id),
                seq="" if t.seq is None else str(t.seq),
                requirement=t.requirement or "",
                task=t.task or "",
                text=t.text,
                leads=[ctx.unit_link(u, page_from) for u in t.lead_units],
                cos=[ctx.unit_link(u, page_from) for u in t.co_units],
                deadlines=deadlines,
                units_attr="|".join(unit_names),
                sort_deadline=dated[0] if dated else "",
                page=ctx.registry.link(t.source, t.id, msg("site.task_n", seq=t.seq or "").strip(), back, page_from),
            )
        )
    return TaskTableView(anchor=anchor(table_id), title=title, rows=rows, units=sorted(names))


def indicators_to_view(ctx: _SiteContext, indicators: Sequence[Indicator], page_from: str) -> list[IndicatorView]:
    """Indicator rows with their parsed targets (operator label, value or range, unit, footnote)."""
    out = []
    for ind in indicators:
        tg = ind.target
        value = _fmt_number(tg.value)
        if tg.value2 is not None:
            value = f"{value} / {_fmt_number(tg.value2)}"  # two targets (1.0级/2.5级), not a range
        out.append(
            IndicatorView(
                anchor=anchor(ind.id),
                seq="" if ind.seq is None else str(ind.seq),
                category=ind.category or "",
                name=ind.name,
                raw=tg.raw,
                op=_op_label(tg.op.value) if tg.op else msg("site.unparsed"),
                value=value,
                unit=tg.unit or "",
                footnote=tg.footnote or "",
                attribute=ind.attribute.value if ind.attribute else "",
                page=ctx.registry.link(ind.source, ind.id, ind.name, f"{page_from}#{anchor(ind.id)}", page_from),
            )
        )
    return out


def _outline_items(headings: Sequence[Heading]) -> list[OutlineItem]:
    return [OutlineItem(h.label, h.title, f"#{anchor(h.id)}", _outline_items(h.children)) for h in headings]


def _flatten(headings: Sequence[Heading]) -> list[Heading]:
    out: list[Heading] = []
    for h in headings:
        out.append(h)
        out += _flatten(h.children)
    return out


def _paragraph_view(ctx: _SiteContext, p: Paragraph, page_from: str) -> ParagraphView:
    return ParagraphView(
        anchor(p.id),
        p.text,
        ctx.registry.link(p.source, p.id, msg("site.paragraph"), f"{page_from}#{anchor(p.id)}", page_from),
    )


def body_to_sections(
    ctx: _SiteContext, outline: Sequence[Heading], body: Sequence[Paragraph], page_from: str
) -> list[SectionView]:
    """Body paragraphs grouped under the headings of the outline, in outline order.

    Paragraphs without a heading (or under a heading missing from the outline) come first, in a section
    without a title.
    """
    headings = _flatten(outline)
    known = {h.id for h in headings}
    loose = [_paragraph_view(ctx, p, page_from) for p in body if p.heading_id not in known]
    by_heading: dict[str, list[ParagraphView]] = {}
    for p in body:
        if p.heading_id in known:
            by_heading.setdefault(p.heading_id or "", []).append(_paragraph_view(ctx, p, page_from))
    sections = [SectionView("", "h3", "", None, loose)] if loose else []
    for h in headings:
        title = f"{h.label} {h.title}".strip()
        link = ctx.registry.link(h.source, h.id, title, f"{page_from}#{anchor(h.id)}", page_from)
        sections.append(
            SectionView(anchor(h.id), f"h{min(max(h.level, 1), 4) + 2}", title, link, by_heading.get(h.id, []))
        )
    return sections


def attachment_to_view(ctx: _SiteContext, att: Attachment, page_from: str) -> AttachmentView:
    """One attachment: outline navigation, sections, tables, indicators, tasks and list tables."""
    tables = [
        table_to_view(
            t,
            ctx.registry.link(t.source, t.id, t.caption or t.id, f"{page_from}#{anchor(t.id)}", page_from),
            open_=not att.tasks,  # a task attachment's raw table is the source of the task table: collapse it
        )
        for t in att.tables
    ]
    lists = []
    if att.lists:
        rows = []
        for lc in att.lists:
            cells = [
                CellView("" if lc.seq is None else str(lc.seq), 1, 1, False),
                CellView(lc.name, 1, 1, False),
                CellView("；".join(lc.items), 1, 1, False),
            ]
            link = ctx.registry.link(lc.source, lc.id, lc.name, f"{page_from}#{anchor(lc.id)}", page_from)
            rows.append(RowView(cells, link or Link(""), anchor(lc.id)))
        header = RowView(
            [
                CellView(h, 1, 1, True)
                for h in (msg("site.col_seq"), msg("site.col_class"), msg("site.col_main"), msg("site.col_page"))
            ]
        )
        lists.append(TableView(anchor(f"{att.id}/lists"), msg("site.list"), [header], rows, [], None, 4))
    tasks = (
        tasks_to_view(ctx, att.tasks, f"{att.id}/tasks", msg("site.task_division"), page_from) if att.tasks else None
    )
    return AttachmentView(
        anchor=anchor(att.id),
        title=att.title,
        outline=_outline_items(att.outline),
        sections=body_to_sections(ctx, att.outline, att.body, page_from),
        tables=tables,
        indicators=indicators_to_view(ctx, att.indicators, page_from),
        tasks=tasks,
        lists=lists,
        figures=[
            ParagraphView(
                anchor(fg.id),
                " ".join(x for x in [msg("site.figure_n", n=fg.number) if fg.number else "", fg.caption] if x),
                ctx.registry.link(fg.source, fg.id, fg.caption, f"{page_from}#{anchor(fg.id)}", page_from),
            )
            for fg in att.figures
        ],
    )


def rule_label(f: Finding) -> str:
    """The words shown beside a finding's code: the registry's text of the code (language in force), else
    the finding's rule name."""
    try:
        return describe(f.code)
    except (KeyError, ValueError):
        return f.rule or ""


def finding_to_view(ctx: _SiteContext, f: Finding, n: int, page_from: str) -> FindingView:
    """A finding with links to its location and to both (all) sides of its evidence."""
    fid = f"finding-{n}"
    evidence = []
    for k, ev in enumerate(f.evidence):
        evidence.append(
            EvidenceView(
                role=_label(ROLE_KEYS, ev.role),
                text=ev.text or ev.source.text or "",
                value=ev.value or "",
                page=ctx.registry.link(
                    ev.source, f"{fid}/ev-{k + 1}", f"[{f.code}] {_label(ROLE_KEYS, ev.role)}", None, page_from
                ),
                target=None,
            )
        )
    doc = next((d for d in ctx.issue.documents if d.id == f.document_id), None)
    return FindingView(
        anchor=fid,
        code=f.code,
        severity=f.severity.value,
        severity_label=_severity_label(f.severity.value),
        message=f.message,
        expected=f.expected or "",
        actual=f.actual or "",
        rule=rule_label(f),
        document=Link(doc.title, _rel(page_from, ctx.doc_path(doc.id))) if doc else None,
        location=ctx.registry.link(f.location, fid, f"[{f.code}] {rule_label(f)}".strip(), None, page_from),
        evidence=evidence,
    )


def _resolve_targets(ctx: _SiteContext, f: Finding, view: FindingView, page_from: str) -> FindingView:
    """Add links from each evidence to the extracted object with the same source box (after all pages)."""
    evidence = [
        EvidenceView(
            e.role,
            e.text,
            e.value,
            e.page,
            Link(msg("site.view_data"), url) if (url := ctx.registry.object_url(ev.source, page_from)) else None,
        )
        for e, ev in zip(view.evidence, f.evidence, strict=True)
    ]
    return FindingView(
        view.anchor,
        view.code,
        view.severity,
        view.severity_label,
        view.message,
        view.expected,
        view.actual,
        view.rule,
        view.document,
        view.location,
        evidence,
    )


_META_FIELDS = [
    "title",
    "doc_number",
    "issuer",
    "date",
    "disclosure",
    "topic",
    "header",
    "recipients",
    "signature",
    "cc",
    "printed_by",
    "printed_date",
    "pages",
]


def _meta_value(doc: Document, key: str) -> str:
    if key == "doc_number":
        return doc.doc_number.raw if doc.doc_number else ""
    if key in ("date", "printed_date"):
        value = getattr(doc, key)
        return msg("site.date", year=value.year, month=value.month, day=value.day) if value else ""
    if key in ("recipients", "cc"):
        return "，".join(getattr(doc, key))
    if key == "pages":
        return msg("site.page_range", first=doc.pages.first, last=doc.pages.last) if doc.pages else ""
    value = getattr(doc, key)
    return value or ""


def document_to_view(ctx: _SiteContext, doc: Document, findings: list[tuple[int, Finding]]) -> DocumentView:
    """The document page: metadata panel, notice body, attachments, tasks and its findings."""
    page_from = ctx.doc_path(doc.id)
    meta = []
    for key in _META_FIELDS:
        label = msg(f"site.meta_{key}")
        value = _meta_value(doc, key)
        if not value:
            continue
        src = doc.fields.get(key)
        link = ctx.registry.link(src, f"{doc.id}/field-{key}", label, f"{page_from}#meta", page_from) if src else None
        meta.append(MetaRow(label, value, link))
    source = ctx.registry.link(doc.source, doc.id, doc.title, f"{page_from}#top", page_from)
    if source:
        meta.append(MetaRow(msg("site.original"), "", source))
    attachments = [attachment_to_view(ctx, a, page_from) for a in doc.attachments]
    nav = [Link(msg("site.body"), "#body")]
    nav += [
        Link(
            msg("site.attachment_n_title", n=i + 1, title=a.title)
            if len(attachments) > 1
            else msg("site.attachment_title", title=a.title),
            f"#{a.anchor}",
        )
        for i, a in enumerate(attachments)
    ]
    if findings:
        nav.append(Link(msg("site.findings_n", n=len(findings)), "#findings"))
    return DocumentView(
        id=doc.id,
        title=doc.title,
        meta=meta,
        keywords=list(doc.keywords),
        body=[_paragraph_view(ctx, p, page_from) for p in doc.body],
        deadlines=[deadline_to_view(d) for d in doc.deadlines],
        attachments=attachments,
        tasks=tasks_to_view(ctx, doc.tasks, f"{doc.id}/tasks", msg("site.tasks_in_text"), page_from)
        if doc.tasks
        else None,
        findings=[finding_to_view(ctx, f, n, page_from) for n, f in findings],
        nav=nav,
        citations=[
            MetaRow(
                c.title or "",
                c.doc_number or "",
                ctx.registry.link(c.source, f"{doc.id}/cite-{k + 1}", c.title or c.doc_number or "", None, page_from),
            )
            for k, c in enumerate(doc.citations)
        ],
    )


def unit_to_view(ctx: _SiteContext, index: int) -> UnitView:
    """A unit page: the tasks it leads and co-operates on, with deadlines and links to the tasks."""
    unit = ctx.issue.units[index]
    page_from = ctx.unit_pages[unit.name]
    docs = {d.id: d for d in ctx.issue.documents}

    def rows(refs: Iterable[TaskRef]) -> list[UnitTaskView]:
        out = []
        for ref in refs:
            doc = docs.get(ref.document_id)
            doc_link = Link(doc.title, _rel(page_from, ctx.doc_path(doc.id))) if doc else Link(ref.document_id)
            url = _rel(page_from, f"{ctx.doc_path(doc.id)}#{anchor(ref.task_id)}") if doc else None
            label = msg("site.task_n", seq=ref.seq) if ref.seq is not None else ref.task_id
            out.append(UnitTaskView(Link(label, url), doc_link, ref.text, [deadline_to_view(d) for d in ref.deadlines]))
        return out

    leads, cos = rows(unit.leads), rows(unit.co_operates)
    return UnitView(
        unit.name,
        list(unit.aliases),
        unit.in_vocabulary,
        len(leads),
        len(cos),
        [UnitSection("leads", msg("site.lead_tasks"), leads), UnitSection("co", msg("site.co_tasks"), cos)],
    )


def issue_title(issue: Issue) -> tuple[str, str]:
    """The issue's display title and subtitle (刊名, 年份 and 期号)."""
    title = issue.gazette or issue.id
    parts = [f"{issue.year}年" if issue.year else "", f"第{issue.number}期" if issue.number else ""]
    return title, "".join(parts)


def issue_to_view(ctx: _SiteContext) -> IssueView:
    """The issue page: metadata, TOC linking to the documents, document cards, units, findings, problems."""
    issue = ctx.issue
    page_from = f"{ctx.base}/index.html"
    title, subtitle = issue_title(issue)
    units = [
        UnitSummary(ctx.unit_link(u.name, page_from), len(u.leads), len(u.co_operates))
        for u in sorted(issue.units, key=lambda u: (-(len(u.leads) + len(u.co_operates)), u.name))
    ]
    finding_counts = [
        MetaRow(_severity_label(s), str(sum(1 for f in issue.findings if f.severity.value == s)))
        for s in ("error", "warning", "info")
    ]
    problems = [
        ProblemView(p.code, p.severity.value, p.message, "" if p.page is None else str(p.page)) for p in issue.errors
    ]
    return IssueView(
        title,
        subtitle,
        _issue_meta(issue, title, subtitle),
        _issue_toc(ctx, page_from),
        [_doc_summary(ctx, d, page_from) for d in issue.documents],
        units,
        Link(msg("site.findings_link", n=len(issue.findings)), "findings.html"),
        finding_counts,
        problems,
    )


def _issue_meta(issue: Issue, title: str, subtitle: str | None) -> list[MetaRow]:
    """The issue's metadata rows: gazette, year and number, source file, kind, hash, PDF pages."""
    meta = [
        MetaRow(msg("site.meta_gazette"), title),
        MetaRow(msg("site.meta_year_number"), subtitle or "—"),
        MetaRow(msg("site.meta_source_file"), issue.source.path),
        MetaRow(msg("site.meta_kind"), issue.source.kind.value.upper()),
        MetaRow("SHA-256", issue.source.sha256),
    ]
    if issue.source.pages:
        meta.append(MetaRow(msg("site.meta_pdf_pages"), str(issue.source.pages)))
    return meta


def _issue_toc(ctx: _SiteContext, page_from: str) -> list[TocView]:
    """The issue 目录 with each entry linked to its document's page when it was matched."""
    docs = {d.id for d in ctx.issue.documents}
    toc = []
    for e in ctx.issue.toc:
        url = _rel(page_from, ctx.doc_path(e.document_id)) if e.document_id and e.document_id in docs else None
        toc.append(
            TocView(e.category or "", Link(e.title, url), e.doc_number or "", "" if e.page is None else str(e.page))
        )
    return toc


def _doc_summary(ctx: _SiteContext, d: Document, page_from: str) -> DocSummary:
    """A document's card on the issue page: its link, 文号, date, issuer and counts of tables/indicators/tasks."""
    n_tasks = len(d.tasks) + sum(len(a.tasks) for a in d.attachments)
    counts = [
        msg(key, n=n)
        for n, key in [
            (sum(len(a.tables) for a in d.attachments), "site.n_tables"),
            (sum(len(a.indicators) for a in d.attachments), "site.n_indicators"),
            (n_tasks, "site.n_tasks"),
        ]
        if n
    ]
    return DocSummary(
        Link(d.title, _rel(page_from, ctx.doc_path(d.id))),
        d.doc_number.raw if d.doc_number else "",
        d.date.isoformat() if d.date else "",
        d.issuer or "",
        counts,
    )


def _pct(value: float, whole: float) -> str:
    return f"{max(0.0, min(100.0, 100.0 * value / whole)):.3f}%" if whole else "0%"


def page_to_view(ctx: _SiteContext, pdf_page: int, pages: list[int], printed: dict[int, int]) -> PageView:
    """A page view: the image and one overlay box per registered source, as percentages of the page."""
    width, height = ctx.registry.sizes[pdf_page]
    page_from = f"{ctx.base}/pages/p-{pdf_page}.html"
    boxes = []
    seen: set[str] = set()
    for b in ctx.registry.boxes.get(pdf_page, []):
        if b.anchor in seen:
            continue
        seen.add(b.anchor)
        x0, top, x1, bottom = b.bbox if b.bbox and len(b.bbox) == 4 else (0.0, 0.0, 0.0, 0.0)
        back = Link(b.label, _rel(page_from, b.back)) if b.back else None
        boxes.append(
            BoxView(
                b.anchor,
                b.label,
                back,
                _pct(x0, width),
                _pct(top, height),
                _pct(max(0.0, x1 - x0), width),
                _pct(max(0.0, bottom - top), height),
            )
        )
    i = pages.index(pdf_page)
    prev = Link(msg("site.page_alt", page=pages[i - 1]), f"p-{pages[i - 1]}.html") if i > 0 else None
    nxt = Link(msg("site.page_alt", page=pages[i + 1]), f"p-{pages[i + 1]}.html") if i + 1 < len(pages) else None
    label = msg("site.page_n", page=printed[pdf_page]) if pdf_page in printed else ""
    return PageView(pdf_page, label, f"p-{pdf_page}.png", boxes, prev, nxt, _pct(height, width))


# --------------------------------------------------------------------------- rendering


def ui_words() -> dict[str, str]:
    """Every ``site.*`` text of the catalogue in the language in force, by its key without the section (the
    templates' ``ui``); a text with ``{placeholders}`` is filled in by the template with ``.format``."""
    return {k.removeprefix("site."): msg(k) for k in catalogue("zh") if k.startswith("site.")}


def make_environment(embed: bool = False) -> jinja2.Environment:
    """The jinja2 environment of the site: autoescape on, StrictUndefined, templates from the package.

    ``embed``: pages are fragments for a portal (no ``<html>``/``<head>``/``<body>``; everything inside one
    ``<div class="gz">``). The words of the page chrome come from the message catalogue (``ui``)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        embed=embed,
        ui=ui_words(),
        html_lang="en" if get_lang() == "en" else "zh-CN",
        jump=None,
        downloads=None,
        severity_labels={k: msg(f"cli.severity_{k}") for k in ("error", "warning", "info")},
    )
    return env


def _write_page(
    env: jinja2.Environment,
    template: str,
    site_path: str,
    out_dir: Path,
    crumbs: list[Link],
    title: str,
    **context: object,
) -> Path:
    """Render ``template`` to ``out_dir/site_path``; ``crumbs`` carry site paths, made relative here."""
    rel_crumbs = Crumbs([Link(c.text, _rel(site_path, c.url or "index.html")) for c in crumbs])
    root = _rel(site_path, "index.html")
    html = env.get_template(template).render(
        page_title=title,
        crumbs=rel_crumbs,
        root=root,
        root_dir=root[: -len("index.html")],
        static=_rel(site_path, "static"),
        **context,
    )
    return write_atomic(out_dir / site_path, html.encode("utf-8"))


def _page_sizes(issue: Issue, pdf_path: Path | None) -> dict[int, tuple[float, float]]:
    """PDF page sizes, from ``Issue.pages`` (the loader's); empty (no page images, no page links) when the PDF is
    missing. Only an Issue written before ``Issue.pages`` existed makes the renderer open the PDF for them."""
    if pdf_path is None or not pdf_path.is_file():
        return {}
    known = {p.pdf_page: (p.width, p.height) for p in issue.pages if p.width and p.height}
    if known:
        return known
    try:
        with pdfplumber.open(pdf_path) as pdf:
            return {i + 1: (float(p.width), float(p.height)) for i, p in enumerate(pdf.pages)}
    except Exception:  # a broken PDF only costs the page images, never the site
        return {}


PAGES_STAMP = ".source-sha256"  # in a pages/ folder: the sha256 of the PDF its images were rendered from
MAX_PAGE_PIXELS = 2000  # the long side of a page image, whatever the page size (a 14400 pt page stays 2000 px)


def capped_resolution(width: float, height: float, resolution: float) -> float:
    """The rendering resolution (dpi) of a ``width`` × ``height`` pt page: ``resolution``, lowered so that the
    image's long side is at most :data:`MAX_PAGE_PIXELS` (memory and time stay bounded on huge pages)."""
    long_side = max(float(width), float(height), 1.0)
    return min(float(resolution), MAX_PAGE_PIXELS * 72.0 / long_side)


def pdf_pages_to_png(
    pdf_path: Path,
    pdf_pages: Iterable[int],
    out_dir: Path,
    resolution: int = PAGE_RESOLUTION,
    source_sha256: str | None = None,
) -> list[Path]:
    """Render the given 1-based PDF pages once each to ``out_dir/p-<n>.png`` (pdfplumber → pypdfium2).

    With ``source_sha256``, images already in ``out_dir`` that were rendered from the same PDF (the
    folder's stamp says so) are kept, not rendered again: re-rendering a site after one new issue costs
    only that issue's images.
    """
    stamp = out_dir / PAGES_STAMP
    reuse = source_sha256 is not None and stamp.exists() and stamp.read_text(encoding="utf-8") == source_sha256
    wanted = sorted(set(pdf_pages))
    todo = [n for n in wanted if not (reuse and (out_dir / f"p-{n}.png").exists())]
    written = [out_dir / f"p-{n}.png" for n in wanted if n not in todo]
    if todo:
        with pdfplumber.open(pdf_path) as pdf:
            for n in todo:
                page = pdf.pages[n - 1]
                image = page.to_image(resolution=capped_resolution(page.width, page.height, resolution))
                buf = io.BytesIO()
                image.original.save(buf, format="PNG")
                written.append(write_atomic(out_dir / f"p-{n}.png", buf.getvalue()))
    if source_sha256 is not None:
        write_atomic(stamp, source_sha256.encode("utf-8"))
    return sorted(written)


def _links(files: list[FileLink], page_from: str) -> list[Link]:
    return [Link(f.text, _rel(page_from, f.path)) for f in files]


def document_jump(v: DocumentView) -> list[Link]:
    """The contents jump list of a document page: 正文, each attachment, its 主要指标 and 任务清单, findings,
    downloads — first on the page, so the indicator table is a few Tab presses from the top."""
    out = [Link(msg("site.body"), "#body")]
    if v.tasks:
        out.append(Link(msg("site.tasks"), f"#{v.tasks.anchor}"))
    many = len(v.attachments) > 1
    for i, a in enumerate(v.attachments):
        out.append(Link(msg("site.attachment_n", n=i + 1) if many else msg("site.attachment"), f"#{a.anchor}"))
        if a.indicators:
            out.append(Link(msg("site.indicators"), f"#{a.anchor}__indicators"))
        if a.tasks:
            out.append(Link(msg("site.tasks"), f"#{a.tasks.anchor}"))
    if v.findings:
        out.append(Link(msg("site.findings"), "#findings"))
    out.append(Link(msg("site.downloads"), "#downloads"))
    return out


def _add_portal_meta(issue: Issue, v: DocumentView) -> DocumentView:
    """The document's meta rows with the portal fields (索引号, 发布日期, 文种, 有效性) after the title."""
    doc = next(d for d in issue.documents if d.id == v.id)
    fields = portal_fields(issue, doc, load_config(), dt.date.today())
    labels = {
        "index_number": "index_number",
        "publish_date": "publish_date",
        "doc_kind": "doc_kind",
        "validity": "validity",
    }
    rows = [MetaRow(msg(f"site.{labels[k]}"), value) for k, value in fields.items() if value]
    at = 1 if v.meta and v.meta[0].label == msg("site.meta_title") else 0
    return dataclasses.replace(v, meta=[*v.meta[:at], *rows, *v.meta[at:]])


@dataclass(slots=True)
class _IssuePages:
    """What the page writers of one issue share."""

    env: jinja2.Environment
    ctx: _SiteContext
    out_dir: Path
    downloads: Downloads
    title: str  # 刊名 and 年份/期号
    home: Link
    crumbs: list[Link]

    def write(self, template: str, path: str, crumbs: list[Link], title: str, **context: object) -> Path:
        return _write_page(self.env, template, path, self.out_dir, crumbs, title, **context)


def _document_views(ctx: _SiteContext) -> tuple[list[DocumentView], list[FindingView]]:
    """The document views (with their findings) and the findings report's views, links resolved."""
    issue = ctx.issue
    indexed = list(enumerate(issue.findings, start=1))
    doc_views = [
        document_to_view(ctx, d, [(n, f) for n, f in indexed if f.document_id == d.id]) for d in issue.documents
    ]
    report_from = f"{ctx.base}/findings.html"
    findings = [finding_to_view(ctx, f, n, report_from) for n, f in indexed]
    # links from evidence to extracted objects need every document registered first
    findings = [_resolve_targets(ctx, f, v, report_from) for (_, f), v in zip(indexed, findings, strict=True)]
    doc_views = [
        dataclasses.replace(
            v,
            findings=[
                _resolve_targets(ctx, f, fv, ctx.doc_path(v.id))
                for (_, f), fv in zip([(n, f) for n, f in indexed if f.document_id == v.id], v.findings, strict=True)
            ],
        )
        for v in doc_views
    ]
    return doc_views, findings


def _write_overview(pages: _IssuePages) -> Path:
    """The deadline overview page (by month, by unit) with the calendars to download."""
    base = pages.ctx.base
    path = f"{base}/deadlines.html"
    months, units = issue_to_overview(pages.ctx.issue, base)
    words = {
        k: msg(f"site.{k}") for k in ("by_month", "by_unit", "col_date", "col_kind", "col_unit", "col_task", "no_date")
    }
    return pages.write(
        "deadlines.html",
        path,
        pages.crumbs,
        msg("site.overview_title", title=pages.title),
        months=months,
        units=units,
        words=words,
        lead=msg("site.overview_lead"),
        jump=[Link(words["by_month"], "#by-month"), Link(words["by_unit"], "#by-unit")],
        downloads=_links([f for f in pages.downloads.issue if f.path.endswith(".ics")], path),
    )


def _write_issue_page(pages: _IssuePages) -> Path:
    path = f"{pages.ctx.base}/index.html"
    jump = [
        Link(msg("site.toc"), "#toc"),
        Link(msg("site.documents"), "#documents"),
        Link(msg("site.units"), "#units"),
        Link(msg("site.deadline_overview"), "deadlines.html"),
        Link(msg("site.downloads"), "#downloads"),
    ]
    return pages.write(
        "issue.html",
        path,
        [pages.home],
        pages.title,
        issue=issue_to_view(pages.ctx),
        jump=jump,
        downloads=_links(pages.downloads.issue, path),
    )


def _write_page_views(pages: _IssuePages, pdf_path: Path) -> list[Path]:
    """The page images and page views of the PDF pages that hold a registered box."""
    ctx = pages.ctx
    page_numbers = sorted(ctx.registry.boxes)
    printed = _printed_pages(ctx.issue)
    written = pdf_pages_to_png(
        pdf_path, page_numbers, pages.out_dir / ctx.base / "pages", source_sha256=ctx.issue.source.sha256
    )
    for n in page_numbers:
        view = page_to_view(ctx, n, page_numbers, printed)
        written.append(
            pages.write(
                "page.html", f"{ctx.base}/pages/p-{n}.html", pages.crumbs, msg("site.page_alt", page=n), page=view
            )
        )
    return written


def render_issue(
    env: jinja2.Environment, issue: Issue, out_dir: Path, pdf_path: Path | None, source: Path | None = None
) -> list[Path]:
    """Write every page of one issue (and its page images and downloads) under ``out_dir/<issue folder>``.

    ``source`` is the file offered for download (default: ``pdf_path``, else the issue's source path)."""
    base = issue_folder(issue)
    ctx = _SiteContext(
        issue,
        base,
        PageRegistry(base, _page_sizes(issue, pdf_path)),
        {u.name: f"{base}/units/{unit_slug(u.name)}.html" for u in issue.units},
    )
    title = " ".join(issue_title(issue)).strip()
    home = Link(msg("site.home"), "index.html")
    downloads = write_downloads(issue, out_dir, base, source or pdf_path or Path(issue.source.path))
    pages = _IssuePages(env, ctx, out_dir, downloads, title, home, [home, Link(title, f"{base}/index.html")])
    written = list(downloads.written)
    doc_views, findings = _document_views(ctx)
    for v in doc_views:
        path = ctx.doc_path(v.id)
        files = _links(downloads.documents.get(v.id, []), path)
        view = _add_portal_meta(issue, v)
        written.append(
            pages.write("document.html", path, pages.crumbs, v.title, doc=view, jump=document_jump(v), downloads=files)
        )
    for i, unit in enumerate(issue.units):
        path = ctx.unit_pages[unit.name]
        files = _links(downloads.units.get(unit.name, []), path)
        written.append(
            pages.write("unit.html", path, pages.crumbs, unit.name, unit=unit_to_view(ctx, i), downloads=files)
        )
    report_title = msg("site.report_title", title=issue_title(issue)[0])
    written.append(
        pages.write(
            "findings.html", f"{base}/findings.html", pages.crumbs, report_title, findings=findings, issue_title=title
        )
    )
    written.append(_write_overview(pages))
    written.append(_write_issue_page(pages))
    if pdf_path is not None and ctx.registry.boxes and ctx.registry.sizes:
        written += _write_page_views(pages, pdf_path)
    return written


def _printed_pages(issue: Issue) -> dict[int, int]:
    """pdf_page → printed page, from every source of the issue that carries both."""
    out: dict[int, int] = {}

    def visit(obj: object) -> None:
        if isinstance(obj, Source):
            if obj.pdf_page is not None and obj.page is not None:
                out.setdefault(obj.pdf_page, obj.page)
        elif isinstance(obj, list):
            for x in obj:
                visit(x)
        elif isinstance(obj, dict):
            for x in obj.values():
                visit(x)
        elif hasattr(obj, "__pydantic_fields__"):
            for name in type(obj).model_fields:  # type: ignore[attr-defined]
                visit(getattr(obj, name))

    visit(issue)
    return out


def render_site(
    issues: list[Issue], out_dir: Path, pdf_paths: dict[str, Path] | None = None, *, embed: bool = False
) -> list[Path]:
    """Write the static site of ``issues`` under ``out_dir``.

    Reads: the Issues; ``pdf_paths`` maps an issue id to its PDF, for page images and page views (issues
    without a PDF get page labels without links). ``embed``: fragments for a portal (see
    ``make_environment``). Returns every written path. Guaranteed after: every internal link points at a
    written file (downloads included: the folder is self-contained); every text is HTML-escaped; page images
    exist once per referenced PDF page; ``search-index.js`` indexes every document, task and paragraph; all
    files were written atomically.
    """
    env = make_environment(embed)
    pdf_paths = pdf_paths or {}
    written = [write_atomic(out_dir / "static" / name, (STATIC / name).read_bytes()) for name in STATIC_FILES]
    for issue in issues:
        written += render_issue(env, issue, out_dir, pdf_paths.get(issue.id))
    index = build_search_index((issue, issue_folder(issue)) for issue in issues)
    written.append(write_atomic(out_dir / "search-index.js", index))
    cards = []
    for issue in issues:
        title, subtitle = issue_title(issue)
        cards.append(
            DocSummary(
                Link(f"{title} {subtitle}".strip(), f"{issue_folder(issue)}/index.html"),
                "",
                "",
                "",
                [msg("site.n_documents", n=len(issue.documents)), msg("site.n_findings", n=len(issue.findings))],
            )
        )
    written.append(_write_page(env, "index.html", "index.html", out_dir, [], msg("site.site_title"), issues=cards))
    from pipeline.publish.annual import render_annual_pages

    written += render_annual_pages(issues, out_dir)  # 政府信息公开工作年度报告: annual/ pages, year against year
    return written
