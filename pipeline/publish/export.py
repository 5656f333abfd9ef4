"""Issue → flat exports: CSV and XLSX of tasks, indicators and every table, iCalendar deadlines, per-document JSON.

Renderers only read the Issue; nothing is re-parsed. Headers are words of the message catalogue
(``pipeline.publish.messages``: Chinese by default); XLSX sheets have real date cells, widths, wrapping,
an autofilter and a frozen header. Every file is written atomically (temp file in the target directory,
then ``os.replace``), so an interrupted run never leaves a half-written export.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import icalendar
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from pipeline.archive.atomic import write_bytes_atomic
from pipeline.grammar.names import text_to_file_name
from pipeline.publish.messages import msg
from pipeline.publish.portal import PublishConfig, load_config, plan_end_year, portal_fields
from schemas.model import Deadline, DeadlineKind, Document, Issue, Recurrence, Source, Table, TargetOp, Task

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SUMMARY_CHARS = 40
PRODID = "-//gazette-pipeline//deadlines//ZH"

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")
_ANCHOR_OK = re.compile(r"[A-Za-z0-9/_-]+")

Cell = str | int | float | dt.date | None


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


def anchor(ident: str) -> str:
    """An HTML id for a position-derived object id: ``doc-2/att-1/task-3`` → ``doc-2__att-1__task-3``."""
    if _ANCHOR_OK.fullmatch(ident):
        return ident.replace("/", "__")
    return "x-" + hashlib.sha1(ident.encode("utf-8")).hexdigest()[:12]


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
# column key → XLSX width in characters (wide text columns wrap); keys not listed get 10
WIDTHS = {
    "id": 18,
    "document_id": 9,
    "document_title": 30,
    "doc_number": 18,
    "requirement": 16,
    "task": 20,
    "text": 60,
    "lead_units": 22,
    "co_units": 22,
    "deadlines": 18,
    "deadline_dates": 12,
    "category": 10,
    "name": 34,
    "target_raw": 14,
    "footnote": 8,
}
WRAPPED = {"document_title", "requirement", "task", "text", "lead_units", "co_units", "deadlines", "name"}
# operators as printed: symbols stay, words are words; "=" (a bare value) is shown as the full-width ＝
_OP_TEXT = {TargetOp.EQ: "＝"}


def headers(keys: Sequence[str]) -> list[Cell]:
    """The column headers of ``keys`` in the language in force (``lead_units`` → 牵头单位)."""
    return [msg(f"export.{k}") for k in keys]


def op_text(op: TargetOp | None) -> str | None:
    """An operator as a reader writes it: ``≥``, ``<``, ``下降``, ``提高``, ``＝``."""
    if op is None:
        return None
    if op is TargetOp.DECREASE:
        return msg("export.op_decrease")
    if op is TargetOp.INCREASE:
        return msg("export.op_increase")
    return _OP_TEXT.get(op, op.value)


def _deadline_dates(deadlines: Sequence[Deadline]) -> str:
    return "；".join(d.date.isoformat() for d in deadlines if d.date)


def first_due(deadlines: Sequence[Deadline]) -> dt.date | None:
    """The earliest printed date of a task's deadlines (a ``by`` date, a period's end), None if none."""
    dates = [d.end or d.date for d in deadlines if d.kind != DeadlineKind.RECURRING and (d.end or d.date)]
    return min(d for d in dates if d is not None) if dates else None


def issue_to_task_table(issue: Issue) -> list[list[Cell]]:
    """The task export as rows of cells (header first); units and deadlines joined with ``；``."""
    out: list[list[Cell]] = [headers(TASK_COLUMNS)]
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
    """The indicator export as rows of cells (header first), one row per indicator with its parsed target.

    The operator is as printed (≥, <, 下降 …); a pair like ``1.0级/2.5级`` keeps its two values in ``value``
    and ``value2`` with the ``＝`` operator: two targets, not a range."""
    out: list[list[Cell]] = [headers(INDICATOR_COLUMNS)]
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
                        op_text(tg.op),
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


def table_to_rows(table: Table) -> list[list[Cell]]:
    """A printed table as rows of cells: its header rows, then its body rows (spans already resolved)."""
    header: list[list[Cell]] = [list(r) for r in table.header]
    return header + [list(r) for r in table.rows]


def table_label(table: Table) -> str:
    """The name a reader uses for a table: its caption, else ``表N``, else ``表格`` and the table's position
    in its attachment (``doc-2/att-1/table-1`` → ``表格1``)."""
    if table.caption:
        return table.caption
    if table.number is not None:
        return f"表{table.number}"
    tail = table.id.rsplit("/", 1)[-1]
    return "表格" + (tail.removeprefix("table-") if tail.startswith("table-") else tail)


def issue_tables(issue: Issue) -> list[tuple[Document, Table]]:
    """Every printed table of the issue (the notices' own and the attachments', statistics included), in order."""
    out = []
    for doc in issue.documents:
        out += [(doc, t) for t in doc.tables]
        for att in doc.attachments:
            out += [(doc, t) for t in att.tables]
    return out


def rows_to_csv_bytes(rows: Iterable[Sequence[Cell]]) -> bytes:
    """CSV as UTF-8 with a BOM (Excel then reads Chinese correctly), every cell formula-escaped."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if c is None else escape_cell(c) for c in row])
    return buf.getvalue().encode("utf-8-sig")


def _xlsx_cell(value: Cell, date_column: bool) -> Cell:
    """A cell as XLSX stores it: an ISO date text in a date column becomes a real date (the first one);
    control characters XML cannot hold are dropped; text that could start a formula is escaped."""
    if date_column and isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value.split("；")[0])
        except ValueError:
            pass
    return xlsx_cell(escape_cell(value))


def rows_to_xlsx_bytes(
    rows: Iterable[Sequence[Cell]], sheet: str, keys: Sequence[str] = (), date_keys: Iterable[str] = ()
) -> bytes:
    """An XLSX workbook with one sheet: a bold, frozen, filterable header row; formula-escaped text cells.

    ``keys`` names the columns (for widths and wrapping, see ``WIDTHS``/``WRAPPED``); the columns named in
    ``date_keys`` hold real dates (``yyyy-mm-dd``), the earliest when a cell lists several.
    """
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new Workbook always has an active sheet
    ws.title = sheet[:31]
    dates = {i for i, k in enumerate(keys) if k in set(date_keys)}
    for n, row in enumerate(rows):
        ws.append([_xlsx_cell(c, n > 0 and i in dates) for i, c in enumerate(row)])
    ncols = max(ws.max_column, 1)
    for i in range(ncols):
        key = keys[i] if i < len(keys) else ""
        letter = get_column_letter(i + 1)
        ws.column_dimensions[letter].width = WIDTHS.get(key, 10) if keys else 16
        wrap = key in WRAPPED or not keys
        for cell in ws[letter][1:]:
            cell.alignment = Alignment(wrap_text=wrap, vertical="top")
            if i in dates and isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(ncols)}{max(ws.max_row, 1)}"
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    wb.properties.creator = "gazette-pipeline"
    wb.properties.created = dt.datetime(2000, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return _stable_zip(buf.getvalue())


_STAMPED = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def _stable_zip(data: bytes) -> bytes:
    """The same workbook with fixed zip entry times and a fixed created/modified date (openpyxl stamps them with the
    current time), so re-exporting an unchanged issue gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _STAMPED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", body)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --------------------------------------------------------------------------- iCalendar

_RRULES: dict[Recurrence, dict[str, str | int]] = {
    Recurrence.YEARLY: {"FREQ": "YEARLY"},
    Recurrence.HALF_YEARLY: {"FREQ": "MONTHLY", "INTERVAL": 6, "BYMONTHDAY": -1},
    Recurrence.QUARTERLY: {"FREQ": "MONTHLY", "INTERVAL": 3, "BYMONTHDAY": -1},
    Recurrence.MONTHLY: {"FREQ": "MONTHLY", "BYMONTHDAY": -1},
    Recurrence.WEEKLY: {"FREQ": "WEEKLY"},
}


def ical_text(text: str) -> str:
    """Text safe for an iCalendar property: :func:`ics_text` (line separators become line feeds, other control
    characters U+FFFD), tabs as spaces."""
    return ics_text(text.replace("\t", " "))


RESERVED_FOLDERS = frozenset({"index.html", "static", "admin"})  # names the site itself uses at its root


def issue_folder(issue: Issue) -> str:
    """The site folder of an issue: its id when file-name safe, else a safe form with a hash; never a name the
    site uses itself (``index.html``, ``static``, ``admin``: those get an ``issue-`` prefix)."""
    name = safe_name(issue.id)
    return f"issue-{name}" if name.lower() in RESERVED_FOLDERS else name


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def period_end(day: dt.date, recurrence: Recurrence) -> dt.date:
    """The first deadline of a recurring duty that starts on ``day``: the end of that year, half year,
    quarter, month or week (每年 → 12月31日, 每季度 → the quarter's last day …)."""
    if recurrence is Recurrence.YEARLY:
        return dt.date(day.year, 12, 31)
    if recurrence is Recurrence.HALF_YEARLY:
        return _month_end(day.year, 6 if day.month <= 6 else 12)
    if recurrence is Recurrence.QUARTERLY:
        return _month_end(day.year, (day.month - 1) // 3 * 3 + 3)
    if recurrence is Recurrence.MONTHLY:
        return _month_end(day.year, day.month)
    return day + dt.timedelta(days=6 - day.weekday())


@dataclass(frozen=True, slots=True)
class CalendarItem:
    """One deadline of one task (or of a document), with the unit label used in the summary."""

    uid: str
    units: str
    text: str
    seq: int | None
    document: Document
    deadline: Deadline
    url: str | None = None  # the task (or document) on the site
    is_task: bool = True


def recurring_rule(dl: Deadline, doc: Document) -> tuple[dt.date, dict[str, object]] | None:
    """The first occurrence and the RRULE of a recurring deadline, always with an end (UNTIL).

    The first occurrence is the deadline's own date, else the end of the period the document was signed in
    (每年 → 12月31日 of that year). The rule ends at the deadline's end, else at the end of the plan's last year
    (``plan_end_year``), else at the end of the first occurrence's year. None when nothing dates it."""
    if dl.recurrence is None:
        return None
    start = dl.date or (period_end(doc.date, dl.recurrence) if doc.date else None)
    if start is None:
        return None
    until = dl.end or dt.date(plan_end_year(doc) or start.year, 12, 31)
    rule: dict[str, object] = dict(_RRULES[dl.recurrence])
    rule["UNTIL"] = max(until, start)
    return start, rule


def deadline_to_event(item: CalendarItem, config: PublishConfig | None = None) -> icalendar.Event | None:
    """One all-day VEVENT for a deadline with a date (a ``by`` date, a period's end), or a recurring one
    (RRULE with UNTIL, see ``recurring_rule``), with a link back to the task and a reminder (VALARM);
    None for deadlines without any date."""
    config = config or load_config()
    dl, doc = item.deadline, item.document
    rule: dict[str, object] | None = None
    start: dt.date | None
    if dl.kind == DeadlineKind.RECURRING:
        found = recurring_rule(dl, doc)
        start, rule = found if found else (None, None)
    elif dl.kind == DeadlineKind.PERIOD:
        start = dl.end
    else:
        start = dl.date
    if start is None:
        return None
    ev = icalendar.Event()
    ev.add("uid", item.uid)
    stamp_day = doc.date or start
    ev.add("dtstamp", dt.datetime(stamp_day.year, stamp_day.month, stamp_day.day, tzinfo=dt.UTC))
    ev.add("dtstart", start)
    ev.add("dtend", start + dt.timedelta(days=1))
    summary = ical_text(f"{item.units}: {shorten(item.text)}")
    ev.add("summary", summary)
    number = f"（{doc.doc_number.raw}）" if doc.doc_number else ""
    if item.is_task:
        seq = msg("export.calendar_task", seq=item.seq) if item.seq is not None else msg("export.calendar_task_noseq")
        lines = [f"{doc.title}{number}", f"{seq}：{item.text}", msg("export.calendar_deadline", raw=dl.raw)]
    else:
        lines = [f"{doc.title}{number}", msg("export.calendar_deadline", raw=dl.raw)]
    if item.url:
        lines.append(msg("export.calendar_link", url=item.url))
        ev.add("url", item.url)
    ev.add("description", ical_text("\n".join(lines)))
    ev.add("transp", "TRANSPARENT")
    if rule:
        ev.add("rrule", rule)
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", ical_text(msg("export.calendar_alarm", summary=summary)))
    alarm.add("trigger", dt.timedelta(days=-config.alarm_days))
    ev.add_component(alarm)
    return ev


def items_to_calendar(name: str, items: Iterable[CalendarItem], config: PublishConfig | None = None) -> bytes:
    """A VCALENDAR holding one event per usable deadline (see ``deadline_to_event``)."""
    config = config or load_config()
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", ical_text(name))
    for item in items:
        ev = deadline_to_event(item, config)
        if ev is not None:
            cal.add_component(ev)
    return cal.to_ical()


def has_events(items: Iterable[CalendarItem]) -> bool:
    """Whether any of ``items`` gives an event (a unit calendar is written only then)."""
    for item in items:
        dl = item.deadline
        if dl.kind == DeadlineKind.RECURRING:
            if recurring_rule(dl, item.document) is not None:
                return True
        elif (dl.end if dl.kind == DeadlineKind.PERIOD else dl.date) is not None:
            return True
    return False


def _uid(task_id: str, k: int, scope: str) -> str:
    return f"{task_id}/deadline-{k + 1}{scope}@gazette-pipeline"


def task_url(issue: Issue, doc_id: str, obj_id: str | None, config: PublishConfig) -> str:
    """Where a task (or with ``obj_id`` None, a document) is on the site: ``<site_url><issue>/<doc>.html#<task>``
    (relative to the site root when no ``site_url`` is configured)."""
    page = f"{issue_folder(issue)}/{safe_name(doc_id)}.html"
    return config.site_url + page + (f"#{anchor(obj_id)}" if obj_id else "")


def issue_to_calendar_items(issue: Issue, config: PublishConfig | None = None) -> list[CalendarItem]:
    """Every deadline of the issue: each document's own (printed in the notice: 各单位要于…前报送), then its
    tasks'; a task's summary names the lead units (else the co units)."""
    config = config or load_config()
    items = []
    for doc in issue.documents:
        url = task_url(issue, doc.id, None, config)
        items += [
            CalendarItem(_uid(doc.id, k, ""), doc.issuer or msg("export.no_unit"), doc.title, None, doc, dl, url, False)
            for k, dl in enumerate(doc.deadlines)
        ]
    for row in issue_to_task_rows(issue):
        t = row.task
        units = "、".join(t.lead_units or t.co_units) or msg("export.no_unit")
        url = task_url(issue, row.document.id, t.id, config)
        items += [
            CalendarItem(_uid(t.id, k, ""), units, t.text, t.seq, row.document, dl, url)
            for k, dl in enumerate(t.deadlines)
        ]
    return items


def unit_to_calendar_items(issue: Issue, unit_index: int, config: PublishConfig | None = None) -> list[CalendarItem]:
    """The deadlines of the tasks that ``issue.units[unit_index]`` leads or co-operates on."""
    config = config or load_config()
    unit = issue.units[unit_index]
    docs = {d.id: d for d in issue.documents}
    slug = unit_slug(unit.name)
    items = []
    for ref in [*unit.leads, *unit.co_operates]:
        doc = docs.get(ref.document_id)
        if doc is None:
            continue
        url = task_url(issue, doc.id, ref.task_id, config)
        items += [
            CalendarItem(_uid(ref.task_id, k, f"/{slug}"), unit.name, ref.text, ref.seq, doc, dl, url)
            for k, dl in enumerate(ref.deadlines)
        ]
    return items


def unit_calendar_names(issue: Issue) -> dict[str, str]:
    """Canonical unit name → calendar file name (``区司法局.ics``), only for units whose tasks have a dated
    deadline; a name that cannot be made readable, or would clash, falls back to the unit's slug."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for i, unit in enumerate(issue.units):
        if not has_events(unit_to_calendar_items(issue, i)):
            continue
        stem = text_to_file_name(unit.name, unit_slug(unit.name))
        if stem.lower() in taken:
            stem = unit_slug(unit.name)
        taken.add(stem.lower())
        out[unit.name] = f"{stem}.ics"
    return out


# --------------------------------------------------------------------------- public API


def table_file_stem(doc: Document, table: Table) -> str:
    """The file name (without suffix) of a table's export: ``doc-1-表1`` (readable, unique in the issue)."""
    label = f"表{table.number}" if table.number is not None else table_label(table)
    return text_to_file_name(f"{safe_name(doc.id)}-{label}", safe_name(table.id))


def table_files(issue: Issue) -> list[tuple[Document, Table, str]]:
    """Every table of the issue with the stem of its export files (:func:`table_file_stem`; a table whose
    name is already taken in the issue gets its id instead)."""
    out = []
    seen: set[str] = set()
    for doc, table in issue_tables(issue):
        stem = table_file_stem(doc, table)
        if stem in seen:
            stem = safe_name(table.id)
        seen.add(stem)
        out.append((doc, table, stem))
    return out


def write_table_exports(issue: Issue, out_dir: Path) -> list[Path]:
    """Write one CSV and one XLSX per printed table of the issue (statistics included) into
    ``out_dir/tables``, named by :func:`table_files`."""
    written = []
    for _doc, table, stem in table_files(issue):
        rows = table_to_rows(table)
        written.append(write_atomic(out_dir / "tables" / f"{stem}.csv", rows_to_csv_bytes(rows)))
        data = rows_to_xlsx_bytes(rows, msg("export.table_sheet"))
        written.append(write_atomic(out_dir / "tables" / f"{stem}.xlsx", data))
    return written


def write_exports(issue: Issue, out_dir: Path) -> list[Path]:
    """Write the flat exports of one issue into ``out_dir``.

    Reads: the Issue (tasks of every document and attachment, indicators, tables, units, deadlines) and the
    publishing settings (``pipeline.publish.portal.load_config``). Writes tasks.csv, indicators.csv (UTF-8 with
    BOM), tasks.xlsx, indicators.xlsx, deadlines.ics (document-level and task deadlines), one
    ``units/<unit name>.ics`` per unit with dated deadlines, and ``tables/<doc>-<表N>.csv|.xlsx`` for every
    table. Returns the written paths. Guaranteed after: text cells that could start a formula are prefixed
    with ``'``; every recurring event has an UNTIL; event UIDs derive from task ids, so re-runs give the same
    calendars; every file was written atomically.
    """
    config = load_config()
    tasks = issue_to_task_table(issue)
    indicators = issue_to_indicator_table(issue)
    name = issue.gazette or issue.id
    written = [
        write_atomic(out_dir / "tasks.csv", rows_to_csv_bytes(tasks)),
        write_atomic(out_dir / "indicators.csv", rows_to_csv_bytes(indicators)),
        write_atomic(
            out_dir / "tasks.xlsx",
            rows_to_xlsx_bytes(tasks, msg("export.task_sheet"), TASK_COLUMNS, date_keys=["deadline_dates"]),
        ),
        write_atomic(
            out_dir / "indicators.xlsx",
            rows_to_xlsx_bytes(indicators, msg("export.indicator_sheet"), INDICATOR_COLUMNS),
        ),
        write_atomic(
            out_dir / "deadlines.ics",
            items_to_calendar(
                msg("export.calendar_deadlines", name=name), issue_to_calendar_items(issue, config), config
            ),
        ),
    ]
    files = unit_calendar_names(issue)
    for i, unit in enumerate(issue.units):
        if unit.name in files:
            data = items_to_calendar(f"{name} · {unit.name}", unit_to_calendar_items(issue, i, config), config)
            written.append(write_atomic(out_dir / "units" / files[unit.name], data))
    written += write_table_exports(issue, out_dir)
    return written


def document_to_disclosure(doc: Document, portal: dict[str, str | None] | None = None) -> dict[str, object]:
    """The metadata a 政务公开 platform lists for one document (文号, 发布机构, 成文日期, 公开方式 …), plus the
    portal fields (索引号, 发布日期, 文种, 有效性: ``pipeline.publish.portal.portal_fields``) when given."""
    return {
        **(portal or {}),
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
    config, today = load_config(), dt.date.today()
    written = []
    for doc in issue.documents:
        data = json.loads(doc.model_dump_json())
        written.append(write_atomic(folder / f"{safe_name(doc.id)}.json", _json_bytes(data)))
    index = {
        "issue": issue.id,
        "gazette": issue.gazette,
        "documents": [document_to_disclosure(d, portal_fields(issue, d, config, today)) for d in issue.documents],
    }
    written.append(write_atomic(folder / "index.json", _json_bytes(index)))
    return written
