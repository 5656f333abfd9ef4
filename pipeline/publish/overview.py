"""Issue → the deadline overview page's view: every dated deadline, by month and by unit.

Reads: the Issue (documents' own deadlines, task deadlines, the unit index) through
``pipeline.publish.export``'s calendar items (the same rules as ``deadlines.ics``: a period counts at its end,
a recurring duty at its first occurrence). Writes nothing. Guarantees: rows sorted by date, then printed
order; URLs relative to the page ``page_from``; words from the message catalogue.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
from dataclasses import dataclass

from pipeline.publish.export import (
    CalendarItem,
    issue_to_calendar_items,
    recurring_rule,
    shorten,
    unit_to_calendar_items,
)
from pipeline.publish.messages import msg
from pipeline.publish.portal import load_config
from schemas.model import DeadlineKind, Issue


@dataclass(frozen=True, slots=True)
class OverviewRow:
    date: str
    kind: str
    unit: str
    text: str
    url: str
    raw: str


@dataclass(frozen=True, slots=True)
class OverviewGroup:
    key: str  # HTML id
    title: str
    rows: list[OverviewRow]


def item_date(item: CalendarItem) -> dt.date | None:
    """The date an item is listed under: its ``by`` date, a period's end, a recurring duty's first due day."""
    dl = item.deadline
    if dl.kind == DeadlineKind.RECURRING:
        found = recurring_rule(dl, item.document)
        return found[0] if found else None
    return dl.end if dl.kind == DeadlineKind.PERIOD else dl.date


def _rel(page_from: str, url: str) -> str:
    path, _, frag = url.partition("#")
    rel = posixpath.relpath(path, posixpath.dirname(page_from) or ".")
    return f"{rel}#{frag}" if frag else rel


def _rows(items: list[CalendarItem], page_from: str) -> list[tuple[dt.date, int, OverviewRow]]:
    out = []
    for n, item in enumerate(items):
        day = item_date(item)
        if day is None:
            continue
        kind = msg(f"site.kind_{item.deadline.kind.value}") if item.is_task else msg("site.document_level")
        row = OverviewRow(
            day.isoformat(),
            kind,
            item.units,
            shorten(item.text, 60),
            _rel(page_from, item.url) if item.url else "",
            item.deadline.raw,
        )
        out.append((day, n, row))
    return sorted(out, key=lambda r: (r[0], r[1]))


def issue_to_overview(issue: Issue, base: str) -> tuple[list[OverviewGroup], list[OverviewGroup]]:
    """The overview of ``issue`` (page ``<base>/deadlines.html``): groups by month, then groups by unit."""
    page_from = f"{base}/deadlines.html"
    config = dataclasses.replace(load_config(), site_url="")  # links on the site stay relative
    by_month: dict[tuple[int, int], list[OverviewRow]] = {}
    for day, _, row in _rows(issue_to_calendar_items(issue, config), page_from):
        by_month.setdefault((day.year, day.month), []).append(row)
    months = [
        OverviewGroup(f"m-{y}-{m:02d}", msg("site.month", year=y, month=m), rows) for (y, m), rows in by_month.items()
    ]
    units = []
    for i, unit in enumerate(issue.units):
        rows = [r for _, _, r in _rows(unit_to_calendar_items(issue, i, config), page_from)]
        if rows:
            units.append(OverviewGroup(f"u-{i + 1}", unit.name, rows))
    return months, units
