"""The truth of the layout zoo: gazette issues and documents as data, before any typesetting.

A model says what a rendition must be read back as: the documents with their GB/T 9704 elements, each
attachment (attachments nest), its headings, tables and tasks. Renderers (``tests.zoo.render_rl``,
``tests.zoo.render_docx``) typeset a model in a house style and record where each heading and document
landed (printed page); the round-trip test compares what ``pipeline.run.parse_file`` reads with the model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class ZHeading:
    level: int  # 1 = outermost heading kind present in the part
    label: str  # 第一章 / 一、 / （一） / 1. …  (printed as label + title)
    title: str
    run_in: str = ""  # text printed after the title in the same paragraph (work reports: （一）标题。正文…)


@dataclass
class ZPara:
    text: str


@dataclass
class ZTable:
    header: list[str]
    rows: list[list[str]]
    caption: str | None = None


@dataclass
class ZTask:
    """A task written in prose: ``<number><text>（牵头单位：A、B）``."""

    number: str  # "1." / "（一）" / ""
    text: str
    units: list[str]
    role_word: str = "牵头单位"


Block = ZHeading | ZPara | ZTable | ZTask


@dataclass
class ZAttachment:
    label: str | None  # 附件 / 附件1 / None (the notice forwards 《…》 and the text follows)
    title: str
    blocks: list[Block] = field(default_factory=list)
    attachments: list[ZAttachment] = field(default_factory=list)  # annexes of this attachment


@dataclass
class ZDocument:
    key: str  # stable id of the model (file names, reports)
    title_lines: list[str]  # the title as the issuer breaks it (a report: issuer name over the title)
    header: str | None = None  # 发文机关标志 (red 版头); None: gazette reprint (title first)
    doc_number: str | None = None
    recipients: list[str] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)  # lines after the title that are not body (报告的会议行)
    body: list[Block] = field(default_factory=list)
    attachment_list: list[str] = field(default_factory=list)  # 附件：1．…  2．… in the body
    signature: list[str] = field(default_factory=list)  # one to three lines, e.g. [机关, （…代章）]
    date: dt.date | None = None
    disclosure: str | None = None  # 主动公开 / 依申请公开 / 不予公开
    attachments: list[ZAttachment] = field(default_factory=list)
    kind: str = "notice"  # notice | report | law

    @property
    def title(self) -> str:
        return "".join(self.title_lines)

    @property
    def signature_text(self) -> str | None:
        return "".join(self.signature) or None


@dataclass
class ZTocEntry:
    title: str
    doc_number: str | None
    category: str | None
    doc_key: str


@dataclass
class ZIssue:
    key: str
    documents: list[ZDocument]
    gazette: str | None = None  # 刊名: None means no cover (a single document as its issuer printed it)
    year: int | None = None
    number: int | None = None
    toc: list[ZTocEntry] = field(default_factory=list)


@dataclass
class Landmarks:
    """Where a rendition put things (printed page numbers), recorded by the renderer."""

    doc_first_page: dict[str, int] = field(default_factory=dict)
    heading_page: dict[tuple[str, int, int], int] = field(default_factory=dict)  # (doc key, part index, n)
