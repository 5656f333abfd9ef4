"""Heading labels and numbering markers of Chinese official writing: the one place they are spelled.

``split_label`` reads a label off the front of a text — 第X部分/篇, 第X章, 第X节, 一、, （一）, 1. / 1． / 1、,
（1）, ①, the lead-ins 一是 / 第一， and 附件 — with its kind and its number. The patterns after it are the
narrower views other stages take of the same markers (a line that starts a numbered paragraph, a table cell's
marker, a task item, the 序号 of a row); they are named for what they match, not for who uses them.

Everything is pure, never raises on arbitrary text and runs in linear time (every pattern is anchored or
bounded, without nested quantifiers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from pipeline.grammar import numerals
from pipeline.grammar.text import one_line
from pipeline.grammar.width import fold_digits

_S = numerals.SMALL  # 一 … 十
_H = numerals.HUNDREDS  # 一 … 百


class LabelKind(StrEnum):
    """Kinds of heading label, in the canonical nesting order of Chinese official documents."""

    APPENDIX = "appendix"  # 附件 / 附件1 — always at the top level
    PART = "part"  # 第一部分 / 第一篇 / 第一编 (a law's 编)
    CHAPTER = "chapter"  # 第一章
    SECTION = "section"  # 第一节
    ARTICLE = "article"  # 第一条 / 第十七条之一 (a law's or a regulation's 条)
    CN_ENUM = "cn-enum"  # 一、
    CN_PAREN = "cn-paren"  # （一） / (一)
    NUM = "num"  # 1. / 1． / 1、
    NUM_PAREN = "num-paren"  # （1） / (1)
    CIRCLED = "circled"  # ①
    LEADIN = "lead-in"  # 一是 / 第一， — inline lead-ins


RANK: dict[LabelKind, int] = {kind: i for i, kind in enumerate(LabelKind)}

_CN_NUM = numerals.LABEL
_CIRCLED = numerals.CIRCLED
_SEP = r"[ \t\u3000\u00A0]*"

# Each pattern is anchored at the start and bounded: no nested quantifiers, no backtracking blow-up.
_LABEL_PATTERNS: list[tuple[LabelKind, re.Pattern[str]]] = [
    (LabelKind.APPENDIX, re.compile(rf"附{_SEP}件{_SEP}(?P<n>[0-9０-９{_CN_NUM}]{{0,3}})(?![0-9０-９])")),
    (LabelKind.PART, re.compile(rf"第{_SEP}(?P<n>[0-9０-９{_CN_NUM}]{{1,4}}){_SEP}(?:部{_SEP}分|篇|编)")),
    (LabelKind.CHAPTER, re.compile(rf"第{_SEP}(?P<n>[0-9０-９{_CN_NUM}]{{1,4}}){_SEP}章")),
    (LabelKind.SECTION, re.compile(rf"第{_SEP}(?P<n>[0-9０-９{_CN_NUM}]{{1,4}}){_SEP}节")),
    (LabelKind.ARTICLE, re.compile(rf"第{_SEP}(?P<n>[0-9０-９{_CN_NUM}]{{1,6}}){_SEP}条(?:之[{_S}]{{1,3}})?")),
    # 一、2024年工作回顾: after 、 a Chinese numeral's label may be followed by digits (一.5 may not)
    (LabelKind.CN_ENUM, re.compile(rf"(?P<n>[{_CN_NUM}]{{1,3}}){_SEP}(?:、|[．.](?![0-9０-９]))")),
    (LabelKind.CN_PAREN, re.compile(rf"[（(]{_SEP}(?P<n>[{_CN_NUM}]{{1,3}}){_SEP}[）)]")),
    (LabelKind.NUM, re.compile(rf"(?P<n>[0-9０-９]{{1,2}}){_SEP}[.．、](?![0-9０-９])")),
    (LabelKind.NUM_PAREN, re.compile(rf"[（(]{_SEP}(?P<n>[0-9０-９]{{1,2}}){_SEP}[）)]")),
    (LabelKind.CIRCLED, re.compile(rf"(?P<n>[{_CIRCLED}])")),
    (LabelKind.LEADIN, re.compile(rf"(?:(?P<n>[{_CN_NUM}]{{1,3}})是|第(?P<o>[{_CN_NUM}]{{1,3}})[，,、：:])")),
]


@dataclass(frozen=True, slots=True)
class Label:
    """A heading label split off the front of a text: ``第一章 发展基础`` → 第一章 / chapter / 1 / 发展基础."""

    text: str  # the label as printed, whitespace removed: 第一章, 1., （一）, 附件1
    kind: LabelKind
    number: int | None  # None for a bare 附件
    rest: str  # what follows the label, whitespace-normalised, leading separators removed


def split_label(text: str) -> Label | None:
    """Split a heading label off the start of ``text``.

    Reads any string; returns None when the text does not start with a label. The rest is normalised
    (``one_line``) with leading separators (、 ． . ： :) removed. A label is never followed directly by a
    digit (``1.5 万`` and ``2016、2019`` are numbers, not labels). Never raises.
    """
    s = text.lstrip(" \t\u3000\u00a0\r\n")
    for kind, pattern in _LABEL_PATTERNS:
        m = pattern.match(s)
        if not m:
            continue
        raw_n = m.group("n") or (m.groupdict().get("o") or "")
        if kind is LabelKind.CIRCLED:
            number: int | None = _CIRCLED.index(raw_n) + 1
        elif raw_n:
            number = numerals.cn_to_int(raw_n)
            if number is None:
                continue
        elif kind is LabelKind.APPENDIX:
            number = None
        else:
            continue
        label = re.sub(r"\s+", "", m.group(0))
        rest = one_line(s[m.end() :]).lstrip("、．.：:，, ")
        return Label(text=label, kind=kind, number=number, rest=rest)
    return None


def label_key(label: str) -> str:
    """A comparison key for labels: digits and brackets folded, trailing separators unified (1． == 1. == 1、)."""
    key = fold_digits(re.sub(r"\s+", "", label)).replace("（", "(").replace("）", ")")
    return re.sub(r"[.．、，,：:]$", ".", key)


# --------------------------------------------------------------------------- narrower views of the markers

# A line that starts a new numbered paragraph: 12. / 12．/ 1、 / （一） / (1) / 一、 / 第三条 (table cells).
NUMBERED_LINE = re.compile(
    rf"^\s*(?:\d{{1,3}}\s?[.．](?!\d)|\d{{1,3}}、|[（(]\s?[{_S}\d]{{1,3}}\s?[)）]|[{_S}]{{1,3}}、"
    rf"|第[{_S}百\d]{{1,4}}[章节条])"
)
# A line that may start a heading or a caption (the reflow keeps it as its own block).
HEADING_START = re.compile(
    rf"^\s*(?:第[{numerals.ORDINAL}\d]{{1,4}}\s*[章节条部分篇编]|[{_S}]{{1,3}}\s*、|"
    rf"[（(]\s*[{_S}\d]{{1,3}}\s*[)）]|\d{{1,3}}\s*[.．、](?!\d)|附\s*件|表\s*\d|图\s*\d|专栏|目\s*录)"
)

# The marker a table cell starts with (the text loader aligns cells into columns by it).
MARK_CN = "cn"  # 一、
MARK_PAREN = "paren"  # （一）
MARK_NUM = "num"  # 1.
CELL_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    (MARK_CN, re.compile(rf"^[{_S}]{{1,3}}、")),
    (MARK_PAREN, re.compile(rf"^[（(][{_S}]{{1,3}}[）)]")),
    (MARK_NUM, re.compile(r"^\d{1,3}\s*[.．、](?!\d)")),
]

# An item of a list written inside one cell: 1. / （一） / 一、
ENUMERATOR = re.compile(rf"(?:\d{{1,3}}[.、．]|[（(][{_S}\d]{{1,3}}[）)]|[{_S}]{{1,3}}、)")
# The value of a 序号 cell: 12 / 12. / 12、
SEQ_VALUE = re.compile(r"(\d{1,4})[.、．]?")

# Task items: ``1.`` at the start of a cell, ``2.`` further on, 一、 requirement groups, （一） task groups.
ITEM_START = re.compile(r"^\s*(\d{1,3})\s*[.．、](?!\d)")
ITEM_MARK = re.compile(r"(?<!\d)(\d{1,3})\s*[.．、](?!\d)")
GROUP_LABEL = re.compile(rf"^\s*[{_H}]{{1,4}}\s*[、.．]")
SUBGROUP_LABEL = re.compile(rf"^\s*[（(]\s*[{_H}]{{1,4}}\s*[）)]")
ANY_ITEM_LABEL = re.compile(rf"^\s*(?:[{_H}]{{1,4}}\s*[、.．]|[（(]\s*[{_H}\d]{{1,4}}\s*[）)]|\d)")

# Numbering styles a sequence check compares (style name, pattern whose group 1 is the number).
NUMBERING_STYLES: list[tuple[str, re.Pattern[str]]] = [
    ("arabic-dot", re.compile(r"^(\d{1,3})[.．、](?!\d)")),
    ("arabic-paren", re.compile(r"^[（(](\d{1,3})[)）]")),
    ("cn-comma", re.compile(rf"^([{_S}]{{1,3}})、")),
    ("cn-paren", re.compile(rf"^[（(]([{_S}]{{1,3}})[)）]")),
    ("cn-ordinal", re.compile(rf"^第([{_S}]{{1,3}})[，,、：:]")),
    ("cn-shi", re.compile(rf"^([{_S}]{{1,3}})是")),
    ("chapter", re.compile(rf"^第([{_S}\d]{{1,4}})([章节条部篇编])")),
]

# A reference to a numbered row of a table: 第3项 / 加第二行 / 减第 4 项.
ITEM_REFERENCE = re.compile(rf"(加|减|\+|-|－|＋|与|和)?\s{{0,2}}第\s{{0,2}}([{_S}\d]{{1,3}})\s{{0,2}}(?:项|行)")

# An 附件 label paragraph: 附件 / 附件1 / 附件一 (a law's, the numeral set apart: 附件一览表 is no label) / 附件：标题.
ATTACHMENT_LABEL = re.compile(
    rf"^\s*附\s*件\s*(?P<n>\d{{1,2}}|[{_S}]{{1,3}}(?=$|[\s:：、．.]))?\s*[:：]?\s*(?P<rest>.*)$"
)


def is_bare_attachment_label(text: str) -> bool:
    """A line that is an 附件 label and nothing else (附件 / 附件1 / 附件 2：): it opens an annex or a list of
    attachments, never continues the paragraph above it."""
    m = ATTACHMENT_LABEL.match(text)
    return m is not None and not m.group("rest").strip()


# An 附件 label followed by a colon: a document listing its attachments (附件：1．甲方案), not an annex heading.
ATTACHMENT_LIST = re.compile(r"^\s*附\s*件\s*[0-9０-９]{0,2}\s*[:：]")
# the numbers between the titles of an inline list: 附件：1．甲方案 2．乙清单 (split on them)
LISTED_ITEM = re.compile(r"\s*(?:^|(?<=\S))\s*\d{1,2}\s*[.．、]\s*")

# A paragraph that opens with an article of a law or regulation: 第一条 / 第十七条之一, then a space, the article's
# bracketed name (第一百零二条【背叛国家罪】) or nothing (第一百九十九条 alone, its text deleted). ``第二百六十六条的
# 规定…`` (a reference that a line happens to start with) is no article. Group ``name``: the bracketed name.
ARTICLE_HEAD = re.compile(
    rf"^[ \t\u3000]*第[{numerals.ORDINAL}\d]{{1,6}}条(?:之[{_S}]{{1,3}})?(?:[ \t\u3000]+|$|(?=【))(?:【(?P<name>[^】]{{1,30}})】)?"
)

# A law's 附则 printed alone, without a 第X编/章 label (the division after its last 编).
SUPPLEMENTARY = re.compile(r"^附[ \t\u3000]*则$")

# The issue number on a gazette cover: 第3期 / 第三期.
ISSUE_NUMBER = re.compile(rf"第\s*(?P<n>\d{{1,3}}|[{_S}]{{1,3}})\s*期")

# Captions: 表1 / 续表1 / 专栏2 / 附表3 (group n, m or k is the number), 图1.
TABLE_CAPTION = re.compile(
    r"^(?:(?:续)?表\s*(?P<n>\d{1,3})\s*[:：.．、]?\s*|专栏\s*(?P<m>\d{1,3})?\s*|附表\s*(?P<k>\d{1,3})?\s*[:：]?)(?P<rest>.*)$"
)
FIGURE_CAPTION = re.compile(r"^图\s*(?P<n>\d{1,3})\s*[:：.．、]?\s*(?P<rest>.+)$")
# A paragraph that opens like a table or figure caption (表1 … / 图2 …): not prose the claim checks read.
CAPTION_START = re.compile(r"^\s*(?:表|图)\s*\d")
# a table's cells: a bare 序号 (``12``); a caption row saying the table continues (续表 / （续表1） / 续); a note
# printed inside a table (``注：`` / ``（本列数据的勾稽关系为：…）``), never a header or a value
SEQUENCE_CELL = re.compile(r"^\d{1,4}$")
CONTINUED_CAPTION = re.compile(r"^\s*[（(]?\s*续表?")
TABLE_NOTE = re.compile(r"^\s*[（(]?\s*(?:本[列行表]数据的?勾稽关系|勾稽关系|(?:注|备注|说明)\s*\d?\s*[:：])")
# A reference to a numbered table or figure inside prose: 详见表1, 如表3和图2所示 (group 1: 表|图, group 2: number).
TABLE_FIGURE_REF = re.compile(r"(表|图)\s{0,3}(\d{1,3})(?![\d.年])")
