"""Parsers of the GB/T 9704-2012 document elements: 发文字号, dates, bodies, 公开方式, citations, 印发.

Pure functions on (whitespace-normalised or raw) strings; each returns a typed value or None and never
raises on arbitrary text. The segmentation stage decides *where* an element is; this module decides
*what it says*.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

from pipeline.grammar.dates import DATE, DATE_LINE
from pipeline.grammar.labels import ATTACHMENT_LABEL
from pipeline.grammar.numerals import cn_to_int
from pipeline.grammar.text import one_line
from pipeline.grammar.width import fold_digits
from schemas.model import Citation, DocNumber

_BRACKET_OPEN = "〔［[（(【"
_BRACKET_CLOSE = "〕］]）)】"
DOC_NUMBER = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{1,20}?)\s*[〔［\[（(【]\s*(?P<year>(?:19|20)\d{2})\s*[〕］\]）)】]\s*(?P<serial>\d{1,5})\s*号"
)
DOC_NUMBER_LINE = re.compile(rf"^\s*[（(]?\s*{DOC_NUMBER.pattern}\s*[）)]?\s*$")  # gazettes print （粤府〔2022〕1号）

PRINTED_LINE = re.compile(rf"^(?P<org>.*?)\s*{DATE.pattern}\s*印\s*发\s*$")

DISCLOSURE = re.compile(
    r"^\s*[（(]?\s*(?:(?:信息)?公开(?:方式|属性|形式|类别)\s*[:：]\s*(?P<value>[^）)]{2,12})|"
    r"(?P<phrase>此件(?:公开发布|不予?公开|主动公开|依申请公开|不公开)))\s*[）)]?\s*$"
)
CC_LINE = re.compile(r"^\s*抄\s*送\s*[:：]\s*(?P<value>.*)$", re.S)
CITATION = re.compile(
    r"《(?P<title>[^《》\n]{2,120})》\s*(?:[（(](?P<num>[^（）()\n]{1,24}?[〔［\[（(]\s*(?:19|20)\d{2}\s*[〕］\]）)]\s*\d{1,5}\s*号)[）)])?"
)
BARE_CITED_NUMBER = re.compile(
    r"[（(](?P<num>[\u4e00-\u9fff]{1,20}[〔［\[]\s*(?:19|20)\d{2}\s*[〕］\]]\s*\d{1,5}\s*号)[）)]"
)
_BODY_SPLIT = re.compile(r"[，,；;]\s*")
ORG_SUFFIX = re.compile(
    r"(?:人民政府|政府|办公室|办公厅|委员会|局|厅|部|委|院|署|办|中心|会|公司|集团|街道办事处|镇|乡|代章[）)])$"
)


def parse_doc_number(text: str) -> DocNumber | None:
    """``某府〔2022〕2 号`` → DocNumber(raw='…〔2022〕2号', org, year, serial); None when absent.

    ``raw`` is whitespace-normalised; full-width digits are folded before matching.
    """
    t = fold_digits(text)
    m = DOC_NUMBER.search(t)
    if not m:
        return None
    raw = one_line(m.group(0))
    return DocNumber(raw=raw, org=m.group("org"), year=int(m.group("year")), serial=int(m.group("serial")))


def _num(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    return cn_to_int(text)


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text``: ``2022年7月4日``, ``2022 年 7 月 4 日``, ``二〇二二年七月四日``."""
    t = fold_digits(text)
    for m in DATE.finditer(t):
        y, mo, d = _num(m.group("y")), _num(m.group("m")), _num(m.group("d"))
        if y is None or mo is None or d is None:
            continue
        try:
            return dt.date(y, mo, d)
        except ValueError:
            continue
    return None


def is_date_line(text: str) -> bool:
    """A paragraph that is only a date (the 成文日期 line)."""
    t = fold_digits(text).strip()
    return len(t) <= 40 and bool(DATE_LINE.match(t)) and parse_date(t) is not None


def split_bodies(text: str) -> list[str]:
    """主送/抄送 text → one entry per body: split on ，；, never on 、 (``省、市驻区各单位`` is one body)."""
    t = one_line(text).strip().rstrip("。.：:")
    parts = [p.strip().strip("。.") for p in _BODY_SPLIT.split(t)]
    return [p for p in parts if p]


def parse_disclosure(text: str) -> str | None:
    """``公开方式：主动公开`` → 主动公开; ``（信息公开形式：主动公开）`` → 主动公开; ``（此件公开发布）`` → 此件公开发布."""
    m = DISCLOSURE.match(one_line(text))
    if not m:
        return None
    return (m.group("value") or m.group("phrase") or "").strip() or None


def parse_cc(text: str) -> list[str] | None:
    """``抄送：A，B，C。`` → [A, B, C]; None when the text is not a 抄送 line."""
    m = CC_LINE.match(one_line(text))
    if not m:
        return None
    return split_bodies(m.group("value"))


def parse_printed(text: str) -> tuple[str | None, dt.date | None] | None:
    """``某某办公室 2022年7月4日印发`` → (org, date); ``2022年7月4日印发`` → (None, date); else None."""
    t = one_line(fold_digits(text))
    m = PRINTED_LINE.match(t)
    if not m:
        return None
    org = m.group("org").strip() or None
    return org, parse_date(t)


def parse_attachment_label(text: str) -> tuple[int | None, str] | None:
    """``附件`` / ``附件1`` / ``附件：标题`` → (number, rest); None when the paragraph is not an 附件 label."""
    t = one_line(text)
    if not t.startswith("附") or len(t) > 120:
        return None
    m = ATTACHMENT_LABEL.match(t)
    if not m:
        return None
    n = m.group("n")
    return (cn_to_int(n) if n else None), m.group("rest").strip()


def parse_citations(text: str) -> list[Citation]:
    """Documents cited in the text: ``《标题》（粤府办〔2022〕17号）`` → title + doc number; bare ``《标题》``
    → title only; a parenthesised doc number without a title → doc number only. In order, deduplicated."""
    t = fold_digits(one_line(text))
    out: list[Citation] = []
    seen: set[tuple[str | None, str | None]] = set()
    spans: list[tuple[int, int]] = []
    for m in CITATION.finditer(t):
        title = m.group("title").strip()
        num = one_line(m.group("num")) if m.group("num") else None
        key = (title, num)
        spans.append(m.span())
        if key not in seen:
            seen.add(key)
            out.append(Citation(title=title, doc_number=num))
    starts = [a for a, _ in spans]
    for m in BARE_CITED_NUMBER.finditer(t):
        k = bisect.bisect_right(starts, m.start()) - 1  # spans are in order and do not overlap
        if k >= 0 and spans[k][0] <= m.start() < spans[k][1]:
            continue
        num = one_line(m.group("num"))
        if (None, num) not in seen:
            seen.add((None, num))
            out.append(Citation(title=None, doc_number=num))
    return out


def looks_like_signature(text: str) -> bool:
    """A short line naming an issuing body (``某某人民政府``, ``某某局（某某代章）``)."""
    t = one_line(text)
    return 2 <= len(t) <= 40 and not re.search(r"[。；，：:,;]", t) and bool(ORG_SUFFIX.search(t))
