"""Document → the fields a 政务公开 portal lists: 索引号, 发布日期, 文种, 有效性, and the plan's last year.

Reads: the Document and its Issue; ``pipeline/data/publish.toml`` (the 索引号 scheme, the organisation code,
the site URL, the reminder lead time; ``GAZETTE_PUBLISH_CONFIG`` names another file of that form) and
the 文种 words of ``pipeline.grammar.doctypes`` (matched at the end of the title). Writes nothing.
Guarantees: pure functions of their arguments (``today`` is a parameter); a field that cannot be told is
None, never a guess.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pipeline.grammar import doctypes
from pipeline.grammar.numerals import small_cn_to_int
from schemas.model import Document, Issue

DATA = Path(__file__).resolve().parent.parent / "data"
_CONFIG_ENV = "GAZETTE_PUBLISH_CONFIG"

# 十三五 … 十六五: the five-year plans end in 2020, 2025, 2030, 2035
_FIVE_YEAR = {"十三五": 2020, "十四五": 2025, "十五五": 2030, "十六五": 2035}
_SPAN = re.compile(r"(20\d\d|19\d\d)\s*[-—–~～至到]\s*(20\d\d|19\d\d)\s*年")
_YEAR = re.compile(r"(20\d\d|19\d\d)\s*年")
_VALID_FOR = re.compile(r"有效期(?:为)?\s*([^\s年至]{1,3})\s*年")
_VALID_UNTIL = re.compile(r"有效期至\s*(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


DEFAULT_SCHEME = "{org}/{year}-{serial:05d}"


@dataclass(frozen=True, slots=True)
class PublishConfig:
    """The publishing settings (see ``pipeline/data/publish.toml``)."""

    site_url: str = ""
    alarm_days: int = 3
    index_scheme: str = DEFAULT_SCHEME
    org: str = ""


def load_config(path: Path | None = None) -> PublishConfig:
    """The settings from ``path``, else ``$GAZETTE_PUBLISH_CONFIG``, else the packaged ``publish.toml``."""
    chosen = path or (Path(os.environ[_CONFIG_ENV]) if os.environ.get(_CONFIG_ENV) else DATA / "publish.toml")
    raw = tomllib.loads(chosen.read_text(encoding="utf-8"))
    index = raw.get("index_number", {})
    return PublishConfig(
        site_url=str(raw.get("site_url", "")),
        alarm_days=int(raw.get("alarm_days", 3)),
        index_scheme=str(index.get("scheme", DEFAULT_SCHEME)),
        org=str(index.get("org", "")),
    )


@functools.cache
def doc_kind_words() -> tuple[str, ...]:
    """The 文种 words that end a title (``pipeline.grammar.doctypes``: ``doctypes.tsv``), longest first."""
    return tuple(sorted(dict.fromkeys(doctypes.words("title-end")), key=len, reverse=True))


def doc_kind(title: str) -> str | None:
    """The 文种 of a title, from its end (``关于印发…实施方案的通知`` → 通知: the document is the notice)."""
    core = title.strip().rstrip('》」』”"')
    return next((w for w in doc_kind_words() if core.endswith(w)), None)


def plan_end_year(doc: Document) -> int | None:
    """The last year a plan or programme covers, from its title or its attachments' titles: a span
    (``2021—2025年``), a five-year plan (``十四五`` → 2025), else one year (``2022年政务公开工作要点``)."""
    titles = [doc.title, *(a.title for a in doc.attachments)]
    for title in titles:
        if m := _SPAN.search(title):
            return int(m.group(2))
    for title in titles:
        for name, year in _FIVE_YEAR.items():
            if name in title:
                return year
    for title in titles:
        if m := _YEAR.search(title):
            return int(m.group(1))
    return None


def _valid_until(doc: Document) -> dt.date | None:
    """The last valid day from a 有效期 clause of the body (``有效期至2025年12月31日`` / ``有效期5年``)."""
    for p in doc.body:
        if m := _VALID_UNTIL.search(p.text):
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
        if (m := _VALID_FOR.search(p.text)) and doc.date and (years := small_cn_to_int(m.group(1))):
            try:
                return doc.date.replace(year=doc.date.year + years) - dt.timedelta(days=1)
            except ValueError:
                return None
    return None


def repealed_by(doc: Document, later: list[Document]) -> Document | None:
    """A later document whose body says it 废止 this one (quoting its title in 《》 or its 文号)."""
    marks = [f"《{doc.title}》"] + ([doc.doc_number.raw] if doc.doc_number else [])
    for other in later:
        if other is doc or (doc.date and other.date and other.date < doc.date):
            continue
        for p in other.body:
            if "废止" in p.text and any(m in p.text for m in marks):
                return other
    return None


def validity(doc: Document, today: dt.date, later: list[Document] | None = None) -> str | None:
    """有效性: 废止 (a later document repeals it), 失效 (past its 有效期 or its plan's last year), 有效, or None
    when nothing tells (no 有效期 clause, no plan period)."""
    if repealed_by(doc, later or []):
        return "废止"
    until = _valid_until(doc)
    if until is None and (end := plan_end_year(doc)) is not None:
        until = dt.date(end, 12, 31)
    if until is None:
        return None
    return "有效" if today <= until else "失效"


def index_number(issue: Issue, doc: Document, config: PublishConfig) -> str:
    """索引号 by the configured scheme: organisation code (else the gazette's id), year, serial in the issue."""
    serial = next(i for i, d in enumerate(issue.documents, 1) if d.id == doc.id)
    year = doc.date.year if doc.date else (issue.year or 0)
    return config.index_scheme.format(org=config.org or issue.id, year=year, serial=serial)


def publish_date(issue: Issue, doc: Document) -> dt.date | None:
    """发布日期: the gazette issue's printing date when known, else the document's own date."""
    return doc.printed_date or doc.date


def portal_fields(issue: Issue, doc: Document, config: PublishConfig, today: dt.date) -> dict[str, str | None]:
    """The four portal fields of one document, as strings (None: not known)."""
    published = publish_date(issue, doc)
    return {
        "index_number": index_number(issue, doc, config),
        "publish_date": published.isoformat() if published else None,
        "doc_kind": doc_kind(doc.title),
        "validity": validity(doc, today, list(issue.documents)),
    }
