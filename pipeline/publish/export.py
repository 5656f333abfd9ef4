"""Issue → flat exports: CSV and XLSX of tasks and indicators, iCalendar deadlines, per-document JSON.

Renderers only read the Issue; nothing is re-parsed. Every file is written atomically (temp file in the
target directory, then ``os.replace``), so an interrupted run never leaves a half-written export.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import icalendar
from openpyxl import Workbook
from openpyxl.styles import Font

from pipeline.archive.atomic import write_bytes_atomic
from schemas.model import Deadline, DeadlineKind, Document, Issue, Recurrence, Source, Task

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SUMMARY_CHARS = 40
PRODID = "-//gazette-pipeline//deadlines//ZH"

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")

Cell = str | int | float | None


# --------------------------------------------------------------------------- small shared helpers


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (``pipeline.archive.atomic``: temp sibling, fsync, ``os.replace``).

    Returns ``path``. Guaranteed after: the parent directory exists; ``path`` holds either the old or the
    complete new content, never a partial one; no temp file is left behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_bytes_atomic(path, data)


def safe_name(ident: str) -> str:
    """A file-name-safe form of a position-derived id: ``doc-1`` stays ``doc-1``, ``doc-2/att-1`` → ``doc-2-att-1``.

    Guaranteed: only ``[A-Za-z0-9._-]``, never empty, never starting with a dot; ids that had to be
    changed get a short hash suffix, so two different ids never share a name.
    """
    cleaned = _UNSAFE_NAME.sub("-", ident).strip(".-")[:80]
    if cleaned and cleaned == ident:
        return cleaned
    digest = hashlib.sha1(ident.encode("utf-8")).hexdigest()[:8]
    return f"{cleaned}-{digest}" if cleaned else f"id-{digest}"


def unit_slug(name: str) -> str:
    """A stable, URL-safe slug for a canonical unit name: ``u-`` plus 10 hex digits of its SHA-1."""
    return "u-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def escape_cell(value: Cell) -> Cell:
    """Neutralise spreadsheet formula injection: a text starting with = + - @ tab or CR gets a leading ``'``.

    Numbers and None pass through unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


XLSX_MAX_CHARS = 32_767  # the most a spreadsheet cell holds
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0
_ICS_LINE_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029\x0b\x0c]")
_ICS_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def xlsx_cell(value: Cell) -> Cell:
    """A text cell an XLSX file can carry (reliability, issue 18): characters XML 1.0 forbids (ESC and other
    control characters) become U+FFFD, and a text longer than a cell holds is cut with a trailing ``…``."""
    if not isinstance(value, str):
        return value
    value = _XML_ILLEGAL.sub("\ufffd", value)
    return value if len(value) <= XLSX_MAX_CHARS else value[: XLSX_MAX_CHARS - 1] + "…"


def ics_text(text: str) -> str:
    """A TEXT value RFC 5545 can carry (reliability, issue 18): every line break (CR, NEL U+0085, U+2028,
    U+2029, VT, FF) becomes ``\n`` (which icalendar escapes), other control characters become U+FFFD."""
    return _ICS_CONTROLS.sub("\ufffd", _ICS_LINE_BREAKS.sub("\n", text))


def shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis when longer."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True, slots=True)
class TaskRow:
    """A task with the document it belongs to (the issue-wide task list is built from these)."""

    document: Document
    task: Task


def issue_to_task_rows(issue: Issue) -> list[TaskRow]:
    """Every task of the issue in printed order: each document's own tasks, then its attachments' tasks."""
    rows = []
    for doc in issue.documents:
        rows += [TaskRow(doc, t) for t in doc.tasks]
        for att in doc.attachments:
            rows += [TaskRow(doc, t) for t in att.tasks]
    return rows


def _number(value: float | None) -> Cell:
    """A number as exported: integral floats become ints (15.0 → 15), so CSV shows what was printed."""
    if value is not None and float(value).is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _page(source: Source | None) -> int | None:
    return source.page if source else None


def _pdf_page(source: Source | None) -> int | None:
    return source.pdf_page if source else None


TASK_COLUMNS = [
    "id",
    "document_id",
    "document_title",
    "doc_number",
    "seq",
    "requirement",
    "task",
    "text",
    "lead_units",
    "co_units",
    "deadlines",
    "deadline_dates",
    "page",
    "pdf_page",
]
INDICATOR_COLUMNS = [
    "id",
    "document_id",
    "seq",
    "category",
    "name",
    "target_raw",
    "op",
    "value",
    "value2",
    "unit",
    "footnote",
    "attribute",
    "page",
    "pdf_page",
]


def _deadline_dates(deadlines: Sequence[Deadline]) -> str:
    return "；".join(d.date.isoformat() for d in deadlines if d.date)


def issue_to_task_table(issue: Issue) -> list[list[Cell]]:
    """The task export as rows of cells (header first); units and deadlines joined with ``；``."""
    out: list[list[Cell]] = [list(TASK_COLUMNS)]
    for row in issue_to_task_rows(issue):
        t, d = row.task, row.document
        out.append(
            [
                t.id,
                d.id,
                d.title,
                d.doc_number.raw if d.doc_number else None,
                t.seq,
                t.requirement,
                t.task,
                t.text,
                "；".join(t.lead_units),
                "；".join(t.co_units),
                "；".join(x.raw for x in t.deadlines),
                _deadline_dates(t.deadlines),
                _page(t.source),
                _pdf_page(t.source),
            ]
        )
    return out


def issue_to_indicator_table(issue: Issue) -> list[list[Cell]]:
    """The indicator export as rows of cells (header first), one row per indicator with its parsed target."""
    out: list[list[Cell]] = [list(INDICATOR_COLUMNS)]
    for doc in issue.documents:
        for att in doc.attachments:
            for ind in att.indicators:
                tg = ind.target
                out.append(
                    [
                        ind.id,
                        doc.id,
                        ind.seq,
                        ind.category,
                        ind.name,
                        tg.raw,
                        tg.op.value if tg.op else None,
                        _number(tg.value),
                        _number(tg.value2),
                        tg.unit,
                        tg.footnote,
                        ind.attribute.value if ind.attribute else None,
                        _page(ind.source),
                        _pdf_page(ind.source),
                    ]
                )
    return out


def rows_to_csv_bytes(rows: Iterable[Sequence[Cell]]) -> bytes:
    """CSV as UTF-8 with a BOM (Excel then reads Chinese correctly), every cell formula-escaped."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if c is None else escape_cell(c) for c in row])
    return buf.getvalue().encode("utf-8-sig")


def rows_to_xlsx_bytes(rows: Iterable[Sequence[Cell]], sheet: str) -> bytes:
    """An XLSX workbook with one sheet, a bold frozen header row and formula-escaped text cells."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new Workbook always has an active sheet
    ws.title = sheet
    for row in rows:
        ws.append([xlsx_cell(escape_cell(c)) for c in row])
    ws.freeze_panes = "A2"
    for cell in ws[1]:
        cell.font = Font(bold=True)
    wb.properties.creator = "gazette-pipeline"
    wb.properties.created = dt.datetime(2000, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- iCalendar

_RRULES: dict[Recurrence, dict[str, str | int]] = {
    Recurrence.YEARLY: {"FREQ": "YEARLY"},
    Recurrence.HALF_YEARLY: {"FREQ": "MONTHLY", "INTERVAL": 6},
    Recurrence.QUARTERLY: {"FREQ": "MONTHLY", "INTERVAL": 3},
    Recurrence.MONTHLY: {"FREQ": "MONTHLY"},
    Recurrence.WEEKLY: {"FREQ": "WEEKLY"},
}


@dataclass(frozen=True, slots=True)
class CalendarItem:
    """One deadline of one task, with the unit label used in the summary."""

    uid: str
    units: str
    text: str
    seq: int | None
    document: Document
    deadline: Deadline


def deadline_to_event(item: CalendarItem) -> icalendar.Event | None:
    """One all-day VEVENT for a ``by`` deadline with a date, or a recurring one (RRULE) anchored on the
    deadline's date or else the document date; None for periods and for deadlines without any date."""
    dl, doc = item.deadline, item.document
    start: dt.date | None = None
    rule: dict[str, str | int] | None = None
    if dl.kind == DeadlineKind.BY:
        start = dl.date
    elif dl.kind == DeadlineKind.RECURRING and dl.recurrence:
        start, rule = dl.date or doc.date, dict(_RRULES[dl.recurrence])
        if dl.end:
            rule["UNTIL"] = dl.end.strftime("%Y%m%d")
    if start is None:
        return None
    ev = icalendar.Event()
    ev.add("uid", item.uid)
    stamp_day = doc.date or start
    ev.add("dtstamp", dt.datetime(stamp_day.year, stamp_day.month, stamp_day.day, tzinfo=dt.UTC))
    ev.add("dtstart", start)
    ev.add("dtend", start + dt.timedelta(days=1))
    ev.add("summary", ics_text(f"{item.units}: {shorten(item.text)}"))
    number = f"（{doc.doc_number.raw}）" if doc.doc_number else ""
    seq = f"任务 {item.seq}" if item.seq is not None else "任务"
    ev.add("description", ics_text(f"{doc.title}{number}\n{seq}：{item.text}\n期限：{dl.raw}"))
    ev.add("transp", "TRANSPARENT")
    if rule:
        ev.add("rrule", rule)
    return ev


def items_to_calendar(name: str, items: Iterable[CalendarItem]) -> bytes:
    """A VCALENDAR holding one event per usable deadline (see ``deadline_to_event``)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", ics_text(name))
    for item in items:
        ev = deadline_to_event(item)
        if ev is not None:
            cal.add_component(ev)
    return cal.to_ical()


def _uid(task_id: str, k: int, scope: str) -> str:
    return f"{task_id}/deadline-{k + 1}{scope}@gazette-pipeline"


def issue_to_calendar_items(issue: Issue) -> list[CalendarItem]:
    """Every task deadline of the issue; the summary names the lead units (else the co units)."""
    items = []
    for row in issue_to_task_rows(issue):
        t = row.task
        units = "、".join(t.lead_units or t.co_units) or "未注明单位"
        items += [
            CalendarItem(_uid(t.id, k, ""), units, t.text, t.seq, row.document, dl) for k, dl in enumerate(t.deadlines)
        ]
    return items


def unit_to_calendar_items(issue: Issue, unit_index: int) -> list[CalendarItem]:
    """The deadlines of the tasks that ``issue.units[unit_index]`` leads or co-operates on."""
    unit = issue.units[unit_index]
    docs = {d.id: d for d in issue.documents}
    slug = unit_slug(unit.name)
    items = []
    for ref in [*unit.leads, *unit.co_operates]:
        doc = docs.get(ref.document_id)
        if doc is None:
            continue
        items += [
            CalendarItem(_uid(ref.task_id, k, f"/{slug}"), unit.name, ref.text, ref.seq, doc, dl)
            for k, dl in enumerate(ref.deadlines)
        ]
    return items


# --------------------------------------------------------------------------- public API


def write_exports(issue: Issue, out_dir: Path) -> list[Path]:
    """Write the flat exports of one issue into ``out_dir``.

    Reads: the Issue (tasks of every document and attachment, indicators, units). Writes tasks.csv,
    indicators.csv (UTF-8 with BOM), tasks.xlsx, indicators.xlsx, deadlines.ics and units/<slug>.ics
    (one per entry of ``issue.units``). Returns the written paths. Guaranteed after: text cells that
    could start a formula are prefixed with ``'``; event UIDs derive from task ids, so re-runs give the
    same calendars; every file was written atomically.
    """
    tasks = issue_to_task_table(issue)
    indicators = issue_to_indicator_table(issue)
    name = issue.gazette or issue.id
    written = [
        write_atomic(out_dir / "tasks.csv", rows_to_csv_bytes(tasks)),
        write_atomic(out_dir / "indicators.csv", rows_to_csv_bytes(indicators)),
        write_atomic(out_dir / "tasks.xlsx", rows_to_xlsx_bytes(tasks, "tasks")),
        write_atomic(out_dir / "indicators.xlsx", rows_to_xlsx_bytes(indicators, "indicators")),
        write_atomic(out_dir / "deadlines.ics", items_to_calendar(name, issue_to_calendar_items(issue))),
    ]
    for i, unit in enumerate(issue.units):
        data = items_to_calendar(f"{name} · {unit.name}", unit_to_calendar_items(issue, i))
        written.append(write_atomic(out_dir / "units" / f"{unit_slug(unit.name)}.ics", data))
    return written


def document_to_disclosure(doc: Document) -> dict[str, object]:
    """The metadata a 政务公开 platform lists for one document (文号, 发布机构, 成文日期, 公开方式 …)."""
    return {
        "id": doc.id,
        "file": f"{safe_name(doc.id)}.json",
        "title": doc.title,
        "doc_number": doc.doc_number.raw if doc.doc_number else None,
        "issuer": doc.issuer,
        "date": doc.date.isoformat() if doc.date else None,
        "disclosure": doc.disclosure,
        "topic": doc.topic,
        "keywords": list(doc.keywords),
        "printed_by": doc.printed_by,
        "printed_date": doc.printed_date.isoformat() if doc.printed_date else None,
        "pages": [doc.pages.first, doc.pages.last] if doc.pages else None,
    }


def _json_bytes(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_document_json(issue: Issue, out_dir: Path) -> list[Path]:
    """Write one JSON file per document (``documents/doc-1.json`` …) and ``documents/index.json``.

    Reads: ``issue.documents``. Each ``doc-N.json`` is the full Document (it validates against
    ``schemas/document.schema.json``); ``index.json`` lists the disclosure metadata of every document
    (see ``document_to_disclosure``), in printed order. Returns the written paths, index last.
    Guaranteed after: deterministic content (sorted keys), atomic writes.
    """
    folder = out_dir / "documents"
    written = []
    for doc in issue.documents:
        data = json.loads(doc.model_dump_json())
        written.append(write_atomic(folder / f"{safe_name(doc.id)}.json", _json_bytes(data)))
    index = {
        "issue": issue.id,
        "gazette": issue.gazette,
        "documents": [document_to_disclosure(d) for d in issue.documents],
    }
    written.append(write_atomic(folder / "index.json", _json_bytes(index)))
    return written
