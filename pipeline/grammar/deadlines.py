"""Deadlines (时限) stated in task text: by-dates, recurring duties and periods.

Forms recognised (digits may be half or full width, and spaces may sit between digits and 年/月/日 as
printed, e.g. ``2022 年底前``):

- ``2022年底前`` / ``2022年年底前`` / ``2022年末`` → by 2022-12-31
- ``年底前`` / ``今年年底前`` / ``明年底前`` → by 12-31 of the document year (+1 for 明年)
- ``10月底前`` / ``10月末`` (optionally after ``2022年``) → by the last day of that month
- ``2023年1月1日前`` / ``今年10月1日前`` / ``6月30日前`` → by that day (a bare date needs 前/之前/以前/止 after
  it, or 截至/截止/到/于 before it, so that dates of signature are not deadlines)
- ``到2025年`` / ``到2025年底`` / ``至2025年末`` → by 2025-12-31
- ``2021年至2025年`` / ``2021—2025年`` → period from 2021-01-01 to 2025-12-31
- ``上半年前`` / ``上半年内`` → by 06-30, ``下半年`` likewise 12-31; ``第三季度前``/``三季度末`` → by the last
  day of that quarter
- ``每年至少召开一次`` / ``每季度`` / ``每半年`` / ``每月`` / ``每周`` → recurring (每年 needs 至少/不少于 or a
  count of times after it: ``每年增长 5%`` is a rate, not a duty)
- ``截至…`` (as of) is a statement of status, never a deadline

Durations (``挂牌督办6个月``, ``1年``, ``3个月``) are not deadlines: a year needs four digits, a month needs
底/末/日. Relative forms with no document year give a deadline with ``date=None``; an impossible date
(2月30日) likewise. All patterns are linear (bounded quantifiers, no nested repetition).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

from schemas.model import Deadline, DeadlineKind, Recurrence, Source

_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_S = r"[ \t\u3000]{0,3}"  # spaces as printed between digits and 年/月/日
_YEAR = rf"(?<!\d)((?:19|20|21)\d\d){_S}年"
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_PERIOD = re.compile(
    rf"(?<!\d)((?:19|20|21)\d\d){_S}年?{_S}(?:至|到|—|－|-|–|~|～){{1,2}}{_S}((?:19|20|21)\d\d){_S}年(?:底|末)?"
)
_YEAR_END = re.compile(rf"(?:到|截止到?)?{_S}{_YEAR}{_S}(?:年)?(?:底|末)(?:前|之前|以前)?")
_TO_YEAR = re.compile(rf"(?:到|至){_S}{_YEAR}(?:底|末)?(?:前|之前|以前)?")
_FULL_DATE = re.compile(
    rf"(截止到?|到)?{_S}(?:{_YEAR}|(今年|明年))?{_S}(\d{{1,2}}){_S}月{_S}(\d{{1,2}}){_S}[日号]"
    rf"{_S}(前|之前|以前|止|为止)?"
)
_MONTH_END = re.compile(rf"(?:{_YEAR}|(今年|明年))?{_S}(?<!\d)(\d{{1,2}}){_S}月(?:份)?(?:底|末)(?:前|之前|以前)?")
_BARE_YEAR_END = re.compile(r"(今年|本年|当年|明年)?(?:年底|年末)(?:前|之前|以前)?")
_HALF = re.compile(rf"(?:{_YEAR}{_S})?(上|下)半年(?:前|内|底前?|末前?|完成)")
_QUARTER = re.compile(rf"(?:{_YEAR}{_S})?第?([一二三四1-4])季度(?:前|内|末前?|底前?)")
_RECURRING = re.compile(r"每(?:一)?(半年|年度?|季度?|个?月|周|星期)(至少|最少|不少于)?")
_TIMES = re.compile(rf"[^，。；,;！？\n]{{0,16}}?(?:\d+|[一二两三四五六七八九十]){_S}次")

_RECURRENCE = {
    "半年": Recurrence.HALF_YEARLY,
    "年": Recurrence.YEARLY,
    "年度": Recurrence.YEARLY,
    "季": Recurrence.QUARTERLY,
    "季度": Recurrence.QUARTERLY,
    "月": Recurrence.MONTHLY,
    "个月": Recurrence.MONTHLY,
    "周": Recurrence.WEEKLY,
    "星期": Recurrence.WEEKLY,
}


def _date(year: int | None, month: int, day: int) -> dt.date | None:
    if year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int | None, month: int) -> dt.date | None:
    if year is None or not 1 <= month <= 12:
        return None
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _relative_year(word: str | None, year: str | None, doc_year: int | None) -> int | None:
    if year:
        return int(year)
    if doc_year is None:
        return None
    return doc_year + 1 if word == "明年" else doc_year


# start, end, kind, date, end date, recurrence: Deadline objects are only built for accepted spans
_Match = tuple[int, int, DeadlineKind, dt.date | None, dt.date | None, Recurrence | None]
MAX_DEADLINES = 1000  # per text: more is not prose, and the rest is dropped


def _by(text: str, m: re.Match[str], date: dt.date | None) -> _Match:
    return m.start(), m.end(), DeadlineKind.BY, date, None, None


def _periods(text: str, norm: str, doc_year: int | None) -> list[_Match]:
    out: list[_Match] = []
    for m in _PERIOD.finditer(norm):
        first, last = int(m.group(1)), int(m.group(2))
        if first > last:
            continue
        out.append((m.start(), m.end(), DeadlineKind.PERIOD, dt.date(first, 1, 1), dt.date(last, 12, 31), None))
    return out


def _full_dates(text: str, norm: str, doc_year: int | None) -> list[_Match]:
    out: list[_Match] = []
    for m in _FULL_DATE.finditer(norm):
        before, year, word, month, day, after = m.groups()
        if not before and not after:
            continue
        out.append(_by(text, m, _date(_relative_year(word, year, doc_year), int(month), int(day))))
    return out


def _year_ends(text: str, norm: str, doc_year: int | None) -> list[_Match]:
    return [_by(text, m, dt.date(int(m.group(1)), 12, 31)) for m in _YEAR_END.finditer(norm)]


def _to_years(text: str, norm: str, doc_year: int | None) -> list[_Match]:
    return [_by(text, m, dt.date(int(m.group(1)), 12, 31)) for m in _TO_YEAR.finditer(norm)]


def _month_ends(text: str, norm: str, doc_year: int | None) -> list[_Match]:
    out: list[_Match] = []
    for m in _MONTH_END.finditer(norm):
        year = _relative_year(m.group(2), m.group(1), doc_year)
        out.append(_by(text, m, _month_end(year, int(m.group(3)))))
    return out


def _bare_year_ends(text: str, norm: str, doc_year: int | None) -> list[_Match]:
    out: list[_Match] = []
    for m in _BARE_YEAR_END.finditer(norm):
        if m.start() > 0 and (norm[m.start() - 1].isdigit() or norm[m.start() - 1] in "年月"):
            continue
        year = _relative_year(m.group(1), None, doc_year)
        out.append(_by(text, m, _date(year, 12, 31)))
    return out


def _halves(text: str, norm: str, doc_year: int | None) -> list[_Match]:
    out: list[_Match] = []
    for m in _HALF.finditer(norm):
        year = int(m.group(1)) if m.group(1) else doc_year
        out.append(_by(text, m, _month_end(year, 6 if m.group(2) == "上" else 12)))
    return out


def _quarters(text: str, norm: str, doc_year: int | None) -> list[_Match]:
    out: list[_Match] = []
    for m in _QUARTER.finditer(norm):
        year = int(m.group(1)) if m.group(1) else doc_year
        out.append(_by(text, m, _month_end(year, 3 * _CN_NUM[m.group(2)])))
    return out


def _recurring(text: str, norm: str, doc_year: int | None) -> list[_Match]:
    out: list[_Match] = []
    for m in _RECURRING.finditer(norm):
        end = m.end()
        times = _TIMES.match(norm, end)
        if times:
            end = times.end()
        elif m.group(1) in ("年", "年度") and not m.group(2):
            continue  # 每年增长… is a rate, not a duty: a yearly duty says 至少 or how many times
        out.append((m.start(), end, DeadlineKind.RECURRING, None, None, _RECURRENCE[m.group(1)]))
    return out


# most specific first: a span taken by an earlier finder is not matched again by a later one
_FINDERS: tuple[Callable[[str, str, int | None], list[_Match]], ...] = (
    _periods,
    _full_dates,
    _year_ends,
    _to_years,
    _month_ends,
    _halves,
    _quarters,
    _bare_year_ends,
    _recurring,
)


def _as_of(norm: str, start: int) -> bool:
    """True when the match follows 截至 (as of): a statement of status, not a deadline."""
    before = norm[max(0, start - 4) : start].rstrip()
    return before.endswith("截至") or (before.endswith("截") and norm.startswith("至", start))


def parse_deadlines(text: str, doc_year: int | None, source: Source | None = None) -> list[Deadline]:
    """Find the deadlines stated in a piece of text.

    Reads any text (a task, a paragraph, a 完成时限 cell) and the year of the document (for 年底前,
    10月底前, 今年…). Returns the deadlines in reading order. Guaranteed after: spans do not overlap; ``raw``
    is the matched text as printed; ``kind`` is ``by`` (``date`` set unless no year is known or the date is
    impossible), ``period`` (``date`` first day, ``end`` last day) or ``recurring`` (``recurrence`` set);
    ``source`` is the given source, if any. Never raises; linear in the length of the text.
    """
    if not text:
        return []
    norm = text.translate(_DIGITS)
    covered = bytearray(len(norm) + 1)
    found: list[_Match] = []
    for finder in _FINDERS:
        for match in finder(text, norm, doc_year):
            start, end = match[0], match[1]
            if len(found) >= MAX_DEADLINES or any(covered[start:end]) or _as_of(norm, start):
                continue
            covered[start:end] = b"\x01" * (end - start)
            found.append(match)
    found.sort(key=lambda t: t[0])
    out: list[Deadline] = []
    for start, end, kind, date, last, recurrence in found:
        raw = text[start:end].strip()
        if raw:
            out.append(Deadline(raw=raw, date=date, kind=kind, end=last, recurrence=recurrence, source=source))
    return out
