"""Intermediate types passed between the pipeline stages (not part of the output contract).

A source file (PDF or text) becomes ``list[Page]``: positioned lines, raw table grids and figures.
Stages refine those pages into ``Block``s (paragraphs and tables in reading order), which later stages
turn into the contract models of ``schemas.model``. These are frozen-ish dataclasses with slots: cheap
to build in their thousands, typed, and never dicts of strings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

from schemas.model import (
    DocNumber,
    Figure,
    Heading,
    Indicator,
    ListCategory,
    Paragraph,
    Problem,
    Seal,
    Source,
    StatTable,
    Table,
    Task,
    TocEntry,
)

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom (PDF points, top-left origin)


@dataclass(slots=True)
class Line:
    """One printed line of text.

    PDF input: ``bbox`` and the font facts are set, ``line_no`` is None.
    Text input: ``line_no`` is the 1-based line of the file, the geometry is None.
    DOCX input: ``line_no`` is the 1-based index of the paragraph among the body's blocks, no geometry.
    """

    text: str
    page_index: int  # 0-based index of the page in the source
    bbox: BBox | None = None
    font: str | None = None
    size: float | None = None
    color: tuple[float, ...] | None = None
    bold: bool = False
    line_no: int | None = None
    style: str | None = None  # DOCX: the paragraph style's name
    outline_level: int | None = None  # DOCX: 1-based outline level (w:outlineLvl or a Heading N style)
    lead: str = ""  # PDF: the line's first characters when printed in another font than the line (a run-in head)
    # PDF: the line's runs, when gaps of 1 em or more part it (two columns the text map joined); else empty
    parts: list[Line] = field(default_factory=list)
    column: tuple[float, float] | None = None  # two-column page: the left and right text edges of the line's column
    across: bool = False  # PDF: printed across a turned page (its running header or folio, upright on the paper)

    @property
    def x0(self) -> float:
        return self.bbox[0] if self.bbox else 0.0

    @property
    def top(self) -> float:
        return self.bbox[1] if self.bbox else 0.0


@dataclass(slots=True)
class RawCell:
    """A cell of a raw table grid as found on one page: the anchor of a (possibly merged) cell."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    bbox: BBox | None = None
    lines: list[Line] = field(default_factory=list)
    runs: list[Line] = field(default_factory=list)  # three-line tables: each word run with its own box


class RawTableStyle(str, Enum):
    RULED = "ruled"
    THREE_LINE = "three-line"
    TEXT = "text"


@dataclass(slots=True)
class RawTable:
    """A table fragment found on one page: a grid of ``n_rows`` × ``n_cols`` with anchor cells.

    Every grid position is covered by exactly one anchor cell (rowspan/colspan). Rows whose positions
    are only covered by spans from above are still counted in ``n_rows``. ``row_tops`` gives the top
    coordinate of each grid row (PDF) so later stages can keep each row's page and box.
    """

    page_index: int
    n_rows: int
    n_cols: int
    cells: list[RawCell]
    style: RawTableStyle
    bbox: BBox | None = None
    row_tops: list[float] = field(default_factory=list)
    col_x: list[float] = field(default_factory=list)  # x of the column boundaries (n_cols + 1)
    first_line_no: int | None = None  # text input
    # three-line tables cut by a page break: no rule drawn at the top / bottom of this fragment
    open_top: bool = False
    open_bottom: bool = False

    def grid(self) -> list[list[RawCell | None]]:
        """The grid with each position mapped to the anchor cell that starts there (None elsewhere)."""
        out: list[list[RawCell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            if 0 <= c.row < self.n_rows and 0 <= c.col < self.n_cols:
                out[c.row][c.col] = c
        return out


@dataclass(slots=True)
class RawFigure:
    page_index: int
    bbox: BBox | None


@dataclass(slots=True)
class Page:
    """One page of the source after loading.

    ``lines`` exclude text inside ``tables``. ``printed`` (printed page number) and ``furniture``
    (removed running headers and page labels) are set by the furniture stage.
    """

    index: int  # 0-based
    width: float | None
    height: float | None
    lines: list[Line] = field(default_factory=list)
    tables: list[RawTable] = field(default_factory=list)
    figures: list[RawFigure] = field(default_factory=list)
    printed: int | None = None
    furniture: list[Line] = field(default_factory=list)
    ordered: bool = False  # the loader put ``lines`` in reading order (OFD columns): the reflow keeps it
    whole_paragraphs: bool = False  # DOCX: lines with different ``line_no`` are never joined into one paragraph
    ocr_boxes: list[tuple[BBox, float, str]] = field(default_factory=list)  # OCR'd page: (bbox, confidence, text)
    columns: list[BBox] = field(default_factory=list)  # two-column page: its regions in reading order (layout.columns)


@dataclass(slots=True)
class LoadedSource:
    """What a loader returns: the pages and facts about the file."""

    path: str
    sha256: str
    kind: str  # "pdf" | "text" | "ofd" | "docx"
    pages: list[Page]
    n_pages: int | None  # PDF page count; None for text
    seals: list[Seal] = field(default_factory=list)  # OFD electronic seals
    problems: list[Problem] = field(default_factory=list)  # found while loading: P120 (PDF pages), P110/P111 (OFD)


class BlockKind(str, Enum):
    PARAGRAPH = "paragraph"
    TABLE = "table"
    FIGURE = "figure"


@dataclass(slots=True)
class Block:
    """A unit of reading order: a reflowed paragraph, a (possibly multi-page) table, or a figure.

    Paragraph: ``text`` is the reflowed text (lines joined, no spaces inserted between Chinese
    characters), ``lines`` the printed lines it came from (possibly on several pages).
    Table: ``tables`` holds the raw fragments in order (one per page the table runs over).
    """

    kind: BlockKind
    text: str
    lines: list[Line] = field(default_factory=list)
    tables: list[RawTable] = field(default_factory=list)
    figure: RawFigure | None = None

    @property
    def page_index(self) -> int:
        if self.lines:
            return self.lines[0].page_index
        if self.tables:
            return self.tables[0].page_index
        if self.figure:
            return self.figure.page_index
        return 0

    @property
    def first(self) -> Line | None:
        return self.lines[0] if self.lines else None


# --------------------------------------------------------------------------- drafts (structure: segment → documents)


@dataclass(slots=True)
class AttachmentDraft:
    """An attachment found by ``structure.segment``: its 附件 label, number, title and blocks, and its own annexes."""

    label: Block | None
    number: int | None
    title: str
    title_blocks: list[Block] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    annexes: list[AttachmentDraft] = field(default_factory=list)  # its own 附件 (``pipeline.structure.annexes``)


@dataclass(slots=True)
class DocumentDraft:
    """One official document found by ``structure.segment.blocks_to_drafts``: the blocks of each GB/T 9704 element,
    and the values segment already parsed (公开方式, 抄送 bodies, 印发 org and date) for ``structure.documents``."""

    index: int  # 1-based position in the issue
    blocks: list[Block]
    structured: bool = True
    header: Block | None = None
    number: Block | None = None
    title: list[Block] = field(default_factory=list)
    recipients: Block | None = None
    body: list[Block] = field(default_factory=list)
    signature: list[Block] = field(default_factory=list)
    date: Block | None = None
    disclosure: Block | None = None
    disclosure_value: str | None = None  # parsed once, here (主动公开 …): documents reads it
    attachments: list[AttachmentDraft] = field(default_factory=list)
    attachment_titles: list[str] = field(default_factory=list)  # listed in the body (附件：1. …)
    cc: Block | None = None
    cc_bodies: list[str] = field(default_factory=list)  # the 抄送 line (wrapped lines joined) parsed once, here
    printed: list[Block] = field(default_factory=list)
    printed_by: str | None = None  # the 印发 lines parsed once, here (``_read_imprint``): documents reads them
    printed_date: dt.date | None = None
    speaker: list[Block] = field(default_factory=list)  # a speech's "——date 在…会议上" line (+ speaker)


# --------------------------------------------------------------------------- documents (structure → tables)


@dataclass(slots=True)
class Elements:
    """A document's GB/T 9704 elements as parsed (``structure.documents.draft_to_elements``)."""

    title: str
    fields: dict[str, Source]  # where each element was printed
    problems: list[Problem]
    header: str | None = None
    doc_number: DocNumber | None = None
    recipients: list[str] = field(default_factory=list)
    signature: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    disclosure: str | None = None
    cc: list[str] = field(default_factory=list)
    printed_by: str | None = None
    printed_date: dt.date | None = None

    @property
    def year(self) -> int | None:
        """The year relative deadlines are read against: the 成文日期's, else the 发文字号's."""
        return self.date.year if self.date else (self.doc_number.year if self.doc_number else None)


@dataclass(slots=True)
class Parts:
    """A run of blocks as paragraphs, tables and figures (``structure.documents.blocks_to_parts``)."""

    body: list[Paragraph]
    tables: list[Table]
    figures: list[Figure]


@dataclass(slots=True)
class TableData:
    """What the tables hold, each table read once (``structure.documents.tables_to_data``)."""

    statistics: list[StatTable]
    indicators: list[Indicator]
    lists: list[ListCategory]
    tasks: list[Task]
    problems: list[Problem]


@dataclass(slots=True)
class Content:
    """Everything a document body or an attachment holds, as data (``run.blocks_to_content``)."""

    toc: list[TocEntry]
    outline: list[Heading]
    body: list[Paragraph]
    tables: list[Table]
    figures: list[Figure]
    statistics: list[StatTable]
    indicators: list[Indicator]
    lists: list[ListCategory]
    tasks: list[Task]
    problems: list[Problem]
