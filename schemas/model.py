"""Pydantic models of the gazette output contract (v1).

These models follow ``shared/spec/output-contract.md``: every name there is kept, extensions are added
beside it. No parsing logic lives here: the pipeline builds these objects, the renderers read them.

Conventions:
- ``extra="forbid"`` everywhere, so a misspelt field is an error, not silently dropped.
- Dates are ``datetime.date`` (serialised ``YYYY-MM-DD``).
- Every extracted object carries a :class:`Source` (printed page, PDF page, bbox, raw text).
- IDs are derived from position (``doc-2/att-1/task-14``), never from counters.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer, model_validator

SCHEMA_VERSION = "1.1"
SCHEMA_NAME: Literal["GazetteIssue"] = "GazetteIssue"


class Model(BaseModel):
    """Base of every contract model: unknown fields are rejected."""

    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- closed vocabularies


class SourceKind(str, Enum):
    PDF = "pdf"
    TEXT = "text"
    OFD = "ofd"  # GB/T 33190 fixed-layout document
    DOCX = "docx"  # Office Open XML word-processing document


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class DeadlineKind(str, Enum):
    BY = "by"  # a date by which something is done
    RECURRING = "recurring"  # every year / quarter / month …
    PERIOD = "period"  # a span: 2021 年至 2025 年


class Recurrence(str, Enum):
    YEARLY = "yearly"
    HALF_YEARLY = "half-yearly"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    WEEKLY = "weekly"


class TargetOp(str, Enum):
    LT = "<"
    LE = "≤"
    GT = ">"
    GE = "≥"
    EQ = "="
    DECREASE = "decrease"
    INCREASE = "increase"


class IndicatorAttribute(str, Enum):
    BINDING = "约束性"
    EXPECTED = "预期性"


class UnitRole(str, Enum):
    LEAD = "lead"
    CO = "co"


class TablePart(str, Enum):
    HEADER = "header"
    BODY = "body"
    NOTE = "note"  # a note printed inside the header (勾稽关系, 注：…): neither header nor data


class TableKind(str, Enum):
    """What a table is, decided once by ``pipeline.tables.classify`` (issue 13)."""

    STATISTICS = "statistics"  # figures by period (年份 columns)
    INDICATORS = "indicators"  # 指标 / 指标值 / 指标属性
    LIST = "list"  # 序号 / 分类 / 主要任务 appendix list
    ANNUAL_REPORT = "annual-report"  # the national 政府信息公开年度报告 template
    TASKS = "tasks"  # task division: 任务 / 牵头单位 / 完成时限
    GENERIC = "generic"  # any other table: exported as it is


class TableStyle(str, Enum):
    RULED = "ruled"  # a grid of vertical and horizontal rules
    THREE_LINE = "three-line"  # horizontal rules only (三线表)
    TEXT = "text"  # tab-separated rows of a text extraction


class RunStatus(str, Enum):
    SUCCESS = "success"
    PARTIAL_SUCCESS = "partial_success"  # an Issue came out, with problems
    FAILURE = "failure"  # no Issue could be built
    SKIPPED = "skipped"  # unchanged input, not re-ingested


# --------------------------------------------------------------------------- provenance


class Source(Model):
    """Where an extracted value came from.

    ``page`` is the printed page number (``— 7 —``), ``pdf_page`` the 1-based page index in the PDF,
    ``bbox`` ``[x0, top, x1, bottom]`` in PDF points on that page (PDF input only), ``line`` the 1-based
    line in a text file (text input only), ``text`` the raw text exactly as extracted.
    """

    page: int | None = None
    pdf_page: int | None = None
    bbox: list[float] | None = None
    text: str | None = None
    line: int | None = None
    # OCR'd text only: the OCR engine's confidence (0–1) for the lines this value came from; left out of the
    # output when None (a text layer), so text-layer output is unchanged. Below 0.95 a finding is 待核.
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    # a value printed in pieces (a table cell cut by a page break or continued in the next text column): each
    # piece's page, box and raw text in reading order, the first being where the value starts; left out of the
    # output when None (a value printed in one piece), so such output is unchanged.
    parts: list[Source] | None = None

    @model_serializer(mode="wrap")
    def _drop_unset_confidence(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            for key in ("confidence", "parts"):
                if data.get(key) is None:
                    data.pop(key, None)
        return data


class Problem(Model):
    """Something that could not be processed (not a finding about the gazette's content)."""

    code: str
    message: str
    page: int | None = None
    severity: Severity = Severity.ERROR
    file: str | None = None


class Evidence(Model):
    """One side of a finding: a prose sentence, a table cell, a heading …"""

    role: str  # e.g. "claim", "table-cell", "heading", "toc-entry"
    text: str | None = None
    value: str | None = None
    source: Source


class Finding(Model):
    """A fact about the gazette found by a validator, with a stable code (``V101``)."""

    code: str
    severity: Severity
    message: str
    expected: str | None = None
    actual: str | None = None
    location: Source
    rule: str | None = None  # slug of the rule, e.g. "average-of-rates"
    document_id: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


# --------------------------------------------------------------------------- issue level


class TocEntry(Model):
    category: str | None = None
    title: str
    doc_number: str | None = None
    page: int | None = None
    level: int | None = None  # attachment TOCs: heading level of the entry
    label: str | None = None  # 第一章 / 第一节 / 1.
    heading_id: str | None = None  # attachment TOCs: the heading this entry points to
    document_id: str | None = None  # issue TOC: the document this entry points to
    source: Source | None = None


class DocNumber(Model):
    """发文字号, e.g. 某府〔2022〕2号 → org 某府, year 2022, serial 2."""

    raw: str
    org: str
    year: int
    serial: int


class PageRange(Model):
    first: int
    last: int


class Citation(Model):
    title: str | None = None
    doc_number: str | None = None
    source: Source | None = None


class Deadline(Model):
    raw: str
    date: dt.date | None = None
    kind: DeadlineKind
    end: dt.date | None = None  # period: last day of the span (``date`` is the first)
    recurrence: Recurrence | None = None  # recurring: how often
    source: Source | None = None


class Paragraph(Model):
    """A reflowed paragraph of body text (extension: the contract has no body text)."""

    id: str
    text: str
    heading_id: str | None = None  # innermost heading the paragraph sits under
    source: Source
    continues: list[Source] = Field(default_factory=list)  # further pages the paragraph runs onto


class Heading(Model):
    id: str
    level: int
    label: str
    title: str
    page: int | None = None
    children: list[Heading] = Field(default_factory=list)
    source: Source | None = None
    # the label's kind (pipeline.grammar.labels.LabelKind: chapter, cn-enum, num …) and number, as parsed once
    kind: str | None = None
    number: int | None = None


class TableCell(Model):
    """One cell as printed, with its span (the resolved grid is in ``Table.header``/``Table.rows``)."""

    part: TablePart
    row: int  # index into Table.header (part=header) or Table.rows (part=body)
    col: int
    rowspan: int = 1
    colspan: int = 1
    text: str
    source: Source | None = None


class Table(Model):
    id: str
    number: int | None = None
    caption: str | None = None
    header: list[list[str]] = Field(default_factory=list)
    rows: list[list[str | None]] = Field(default_factory=list)
    pages: list[int] = Field(default_factory=list)
    # extensions
    style: TableStyle = TableStyle.RULED
    row_pages: list[int | None] = Field(default_factory=list)  # printed page of each body row
    cells: list[TableCell] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # notes printed under the table (注：…)
    source: Source | None = None
    # tables: header paths (issue 13)
    column_paths: list[list[str]] = Field(default_factory=list)  # per column: header texts, top to bottom
    row_paths: list[list[str]] = Field(default_factory=list)  # per body row: stub texts, left to right
    kind: TableKind | None = None  # set by the classifier (None: not classified, e.g. a table built alone)


class Figure(Model):
    id: str
    number: int | None = None
    caption: str
    source: Source | None = None


class Series(Model):
    label: str
    unit: str | None = None
    values: list[float | None]
    quantity: str | None = None  # label without its unit: 检查企业（家次） → 检查企业
    source: Source | None = None


class StatTable(Model):
    table_id: str
    caption: str | None = None
    columns: list[str]
    series: list[Series]
    number: int | None = None


class Target(Model):
    raw: str
    op: TargetOp | None = None  # None: the raw text could not be parsed (a Problem says so)
    value: float | None = None
    value2: float | None = None
    unit: str | None = None
    footnote: str | None = None


class Indicator(Model):
    id: str
    seq: int | None = None
    category: str | None = None
    name: str
    target: Target
    attribute: IndicatorAttribute | None = None
    source: Source | None = None


class ListCategory(Model):
    """A row group of an appendix list table (序号 / 分类 / 主要任务)."""

    id: str
    seq: int | None = None
    name: str
    items: list[str]
    source: Source | None = None


class UnitMention(Model):
    raw: str
    name: str  # canonical name
    role: UnitRole
    in_vocabulary: bool


class Task(Model):
    id: str
    seq: int | None = None
    requirement: str | None = None
    task: str | None = None
    text: str
    lead_units: list[str] = Field(default_factory=list)
    co_units: list[str] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    source: Source | None = None
    units_raw: str | None = None
    units: list[UnitMention] = Field(default_factory=list)


class Attachment(Model):
    id: str
    title: str
    toc: list[TocEntry] = Field(default_factory=list)
    outline: list[Heading] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    statistics: list[StatTable] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    # extensions
    body: list[Paragraph] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    lists: list[ListCategory] = Field(default_factory=list)
    source: Source | None = None
    attachments: list[Attachment] = Field(default_factory=list)  # annexes of this attachment (附件 of a 附件)


class AnnualCell(Model):
    """One number of a 政府信息公开工作年度报告 template table, addressed by row path × column path.

    ``table`` is the template table (``申请``, ``复议诉讼``, ``主动公开.第二十条第（一）项`` …), ``row`` and ``col``
    the template's row and column paths (``本年度办理结果.不予公开.属于国家秘密`` × ``法人或其他组织.商业企业``).
    ``value`` is None when the printed cell is empty or not a number (``raw`` keeps what was printed).
    """

    table: str
    row: str
    col: str
    value: float | None = None
    raw: str = ""
    source: Source | None = None


class AnnualFigure(Model):
    """A figure stated in the report's prose (一、总体情况 …): 主动公开 2428 条, 受理申请 17 件."""

    key: str  # 主动公开 / 受理申请 / 上年结转 …
    value: float
    unit: str
    sentence: str
    cell: str | None = None  # address (table|row|col) of the template cell the figure should equal
    source: Source


class AnnualNote(Model):
    """A 勾稽关系 note printed in a template table, with its parsed formula over the numbered rows."""

    table: str
    text: str
    lhs: list[str] = Field(default_factory=list)  # row paths, "-" prefix for a subtracted row
    rhs: list[str] = Field(default_factory=list)
    source: Source | None = None


class AnnualReport(Model):
    """A 政府信息公开工作年度报告 recognised by the national template's headings and table headers."""

    title: str
    year: int | None = None
    issuer: str | None = None
    template: str = "国办公开办函〔2021〕30号"
    sections: list[str] = Field(default_factory=list)  # template section headings found, in order
    cells: list[AnnualCell] = Field(default_factory=list)
    figures: list[AnnualFigure] = Field(default_factory=list)
    notes: list[AnnualNote] = Field(default_factory=list)
    source: Source | None = None


class Document(Model):
    id: str
    header: str | None = None
    doc_number: DocNumber | None = None
    title: str
    issuer: str | None = None
    recipients: list[str] = Field(default_factory=list)
    signature: str | None = None
    date: dt.date | None = None
    disclosure: str | None = None
    cc: list[str] = Field(default_factory=list)
    printed_by: str | None = None
    printed_date: dt.date | None = None
    pages: PageRange | None = None
    citations: list[Citation] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    source: Source
    # extensions
    body: list[Paragraph] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)  # tasks written in the notice's own prose
    tables: list[Table] = Field(default_factory=list)  # tables printed in the notice's own body
    keywords: list[str] = Field(default_factory=list)
    topic: str | None = None  # 主题分类
    fields: dict[str, Source] = Field(default_factory=dict)  # provenance of each GB/T 9704 element
    # a 政府信息公开工作年度报告 in the national template (left out of the JSON when absent)
    annual_report: AnnualReport | None = Field(default=None, exclude_if=lambda v: v is None)
    # headings of the document's own body (一、/（一） of a report or speech); omitted when there are none
    outline: list[Heading] = Field(default_factory=list, exclude_if=lambda v: not v)


class TaskRef(Model):
    task_id: str
    document_id: str
    seq: int | None = None
    text: str
    deadlines: list[Deadline] = Field(default_factory=list)


class UnitEntry(Model):
    """The issue-wide index of one canonical unit: tasks it leads and co-operates on."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    in_vocabulary: bool
    leads: list[TaskRef] = Field(default_factory=list)
    co_operates: list[TaskRef] = Field(default_factory=list)


class Seal(Model):
    """An electronic seal or signature found in the source (OFD ``Signatures.xml``).

    ``signed`` says a signature is present; ``verified`` is True only when the signature value was checked
    cryptographically (this pipeline does not check it, so it stays False).
    """

    signed: bool = True
    verified: bool = False
    name: str | None = None  # the seal's name as written in the seal (Seal.esl), when readable
    owner: str | None = None  # who the seal belongs to, when readable
    page: int | None = None  # 1-based page carrying the stamp
    signed_at: str | None = None  # as written in the signature (not normalised)
    method: str | None = None  # signature algorithm (OID)
    provider: str | None = None  # the software that signed


class PageInfo(Model):
    """One page of the source: its PDF page (1-based), printed label and size, so renderers never reopen the file."""

    pdf_page: int
    printed: int | None = None
    width: float | None = None  # points (PDF input); None for text input
    height: float | None = None


class IssueSource(Model):
    path: str
    sha256: str
    kind: SourceKind
    pages: int | None = None
    # OFD electronic seals (issue 16); left out of the output when there are none (PDF/text outputs unchanged)
    seals: list[Seal] = Field(default_factory=list, exclude_if=lambda v: not v)


class Issue(Model):
    """The versioned root: one gazette issue (or one single document) with everything found in it."""

    schema_name: Literal["GazetteIssue"] = SCHEMA_NAME
    schema_version: str = SCHEMA_VERSION
    id: str
    source: IssueSource
    gazette: str | None = None
    year: int | None = None
    number: int | None = None
    toc: list[TocEntry] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    errors: list[Problem] = Field(default_factory=list)
    units: list[UnitEntry] = Field(default_factory=list)
    pages: list[PageInfo] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_structure(self) -> Issue:
        major = self.schema_version.split(".")[0]
        if major != SCHEMA_VERSION.split(".")[0]:
            raise ValueError(f"schema_version {self.schema_version} is not compatible with {SCHEMA_VERSION}")
        seen: set[str] = set()
        for doc in self.documents:
            if doc.id in seen:
                raise ValueError(f"duplicate document id {doc.id}")
            seen.add(doc.id)
        return self


class RunResult(Model):
    """What one run over one input file produced: never raised, always returned."""

    path: str
    status: RunStatus
    issue: Issue | None = None
    errors: list[Problem] = Field(default_factory=list)
    seconds: float | None = None
    output: str | None = None  # where the issue was written, for ingest
