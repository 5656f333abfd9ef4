"""Tasks (who does what by when): task-division tables, unit-tagged prose, and the issue-wide unit index.

``table_to_tasks`` recognises a task-division table by its header words alone (a column of 单位/部门/牵头/
责任 words, a requirement column of 任务/要求/工作/事项/措施/内容 words, optional group columns before it,
optional 完成时限 and 序号 columns) and turns each numbered requirement into one :class:`Task`.
``paragraphs_to_tasks`` does the same for sentences ending in ``（牵头单位：…）``. ``documents_to_unit_index``
inverts the tasks of an issue into one entry per canonical unit.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from pipeline.errors import Code, problem
from pipeline.grammar.deadlines import parse_deadlines
from pipeline.grammar.labels import ANY_ITEM_LABEL as _ANY_LABEL
from pipeline.grammar.labels import GROUP_LABEL as _REQ_LABEL
from pipeline.grammar.labels import ITEM_MARK as _ITEM_MARK
from pipeline.grammar.labels import ITEM_START as _ITEM_START
from pipeline.grammar.labels import SUBGROUP_LABEL as _TASK_LABEL
from pipeline.grammar.vocabulary import header
from schemas.model import (
    Deadline,
    Document,
    Paragraph,
    Problem,
    Source,
    Table,
    TablePart,
    Task,
    TaskRef,
    UnitEntry,
    UnitMention,
    UnitRole,
)

from .units import canonical_unit, role_label_pattern, split_units, strip_role_labels

_UNIT_HDR = header("responsible")
_MEASURE_HDR = header("measure-unit", whole=True)
_CO_HDR = header("co-operating")
_DEADLINE_HDR = header("deadline")
_SEQ_HDR = header("seq", whole=True)
_NOTE_HDR = header("note")
_TASK_HDR = header("task")

_ITEM_BOUNDARY = frozenset("。；;！？!?：:）)]】」”\"'\n\r")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff，。、；：（）])\s+(?=[\u4e00-\u9fff，。、；：（）])")
_TAG_DEADLINE = re.compile(r"[；;，,\s]*(?:完成时限|完成时间|时间节点|时限)\s*[：:]")
_OPEN = frozenset("（(")
_CLOSE = frozenset("）)")
_LEAD_JUNK = " \t\r\n\u3000。；;，,"  # left over from the previous task (its 。, its note's separator)
_TAIL_JUNK = " \t\r\n\u3000；;，,"  # before a note: spacing and separators, never the task's own 。
_TAG_SCAN = 400  # longest unit tag scanned for its closing bracket


# --------------------------------------------------------------------------- numbered items


def split_items(text: str, expected: int | None = None) -> list[tuple[int | None, str]]:
    """Split a requirement cell into its numbered items.

    Reads the cell text and, optionally, the item number expected next (the previous item + 1). Returns
    ``(printed number, item text)`` pairs in order; text before the first item (the rest of an item split
    over a page) comes first with number ``None``. A cell that does not start with a number starts an item
    only at ``expected``. After item ``k`` only ``k+1`` followed by ``.``/``．``/``、`` (not by a digit) and
    preceded by the start, a line break, sentence-final punctuation or a closing bracket starts a new item, so
    numbers inside the text (``12366``, ``2022 年``, ``4%``, ``1.5``) never split it. Never raises; one pass.
    """
    out: list[tuple[int | None, str]] = []
    first = _ITEM_START.match(text)
    if first is not None:
        seq = int(first.group(1))
        start = first.start(1)
        pos = first.end()
    else:
        nxt = _next_item(text, 0, expected) if expected is not None else None
        if nxt is None:
            return [(None, text.strip())] if text.strip() else []
        if text[:nxt].strip():
            out.append((None, text[:nxt].strip()))
        seq, start, pos = expected or 0, nxt, nxt + 1
    while True:
        nxt = _next_item(text, pos, seq + 1)
        if nxt is None:
            break
        out.append((seq, text[start:nxt].strip()))
        seq += 1
        start, pos = nxt, nxt + 1
    out.append((seq, text[start:].strip()))
    return out


def _next_item(text: str, pos: int, number: int) -> int | None:
    """Where item ``number`` starts at an item boundary at or after ``pos`` (None when it does not)."""
    for m in _ITEM_MARK.finditer(text, pos):
        if int(m.group(1)) != number:
            continue
        i = m.start() - 1
        while i >= 0 and text[i] in " \t\u3000":
            i -= 1
        if i < 0 or text[i] in _ITEM_BOUNDARY:
            return m.start()
    return None


# --------------------------------------------------------------------------- table layout


@dataclass(frozen=True, slots=True)
class _Columns:
    text: int
    groups: tuple[int, ...]
    units: tuple[tuple[int, bool], ...]  # (column, is a co-operation column)
    deadline: int | None
    seq: int | None


def _header_columns(header: list[str]) -> _Columns | None:
    """Which column plays which part, from the header words; None when this is not a task table."""
    units: list[tuple[int, bool]] = []
    content: list[int] = []
    deadline = seq = None
    for i, raw in enumerate(header):
        h = re.sub(r"\s+", "", raw or "")
        if not h:
            continue
        if _SEQ_HDR.match(h):
            seq = i
        elif _DEADLINE_HDR.search(h) and not _TASK_HDR.search(h):
            deadline = i
        elif _UNIT_HDR.search(h) and not _TASK_HDR.search(h) and not _MEASURE_HDR.match(h):
            units.append((i, _CO_HDR.search(h) is not None and "牵头" not in h))
        elif _NOTE_HDR.search(h):
            continue
        else:
            content.append(i)
    task_like = [i for i in content if _TASK_HDR.search(re.sub(r"\s+", "", header[i] or ""))]
    if not units or not task_like:
        return None
    text = content[-1]
    return _Columns(
        text=text, groups=tuple(c for c in content if c < text), units=tuple(units), deadline=deadline, seq=seq
    )


def _joined_header(table: Table) -> list[str]:
    width = max((len(r) for r in table.header), default=0)
    out = []
    for c in range(width):
        parts: list[str] = []
        for row in table.header:
            v = (row[c] if c < len(row) else "") or ""
            if v and (not parts or parts[-1] != v):
                parts.append(v)
        out.append("".join(parts))
    return out


def _cell(row: list[str | None], col: int) -> str:
    return ((row[col] if col < len(row) else None) or "").strip()


def _tidy(text: str) -> str:
    """Group/unit text: drop the spaces a narrow column leaves between Chinese characters."""
    return _CJK_GAP.sub("", text.strip())


# --------------------------------------------------------------------------- runs of merged cells


@dataclass(slots=True)
class _Run:
    """A value of a group or unit column over consecutive rows; a cell split over pages has several fragments."""

    fragments: list[str] = field(default_factory=list)

    def text(self) -> str:
        return _tidy("".join(self.fragments))


@dataclass(slots=True)
class _Column:
    run: _Run | None = None
    last: str = ""

    def advance(self, value: str, continuation: bool) -> _Run | None:
        """Feed one row's cell; a changed value starts a new run unless it is the rest of a split cell."""
        if not value or value == self.last:
            return self.run
        if self.run is not None and continuation:
            self.run.fragments.append(value)
        else:
            self.run = _Run([value])
        self.last = value
        return self.run


def _group_continues(run: _Run | None, value: str, label: re.Pattern[str]) -> bool:
    """A group cell that starts without a label right after a labelled one is the rest of that cell."""
    return run is not None and bool(value) and label.match(run.fragments[0]) is not None and not _ANY_LABEL.match(value)


@dataclass(slots=True)
class _Draft:
    seq: int | None
    row: int
    parts: list[str]
    requirement: _Run | None
    task: _Run | None
    units: list[_Run]
    deadline_cells: list[str]


def _unit_text(runs: list[_Run], cols: _Columns) -> str:
    lead = [r.text() for r, (_, co) in zip(runs, cols.units, strict=False) if not co and r.text()]
    co_parts = [r.text() for r, (_, co) in zip(runs, cols.units, strict=False) if co and r.text()]
    text = "；".join(lead)
    if co_parts:
        text = (text + "；" if text else "") + "配合单位：" + "；".join(co_parts)
    return text


def _row_source(table: Table, row: int, col: int, anchors: dict[int, Source], text: str) -> Source | None:
    if row in anchors:
        return anchors[row]
    page = table.row_pages[row] if row < len(table.row_pages) else None
    base = table.source
    if base is None:
        return Source(page=page, text=text) if page is not None else None
    pdf_page = base.pdf_page
    if page is not None and base.page is not None and pdf_page is not None:
        pdf_page += page - base.page
    return base.model_copy(
        update={"page": page if page is not None else base.page, "pdf_page": pdf_page, "bbox": None, "text": text}
    )


def _anchor_sources(table: Table, col: int) -> dict[int, Source]:
    out: dict[int, Source] = {}
    for c in table.cells:
        if c.part == TablePart.BODY and c.col <= col < c.col + max(1, c.colspan) and c.source is not None:
            for r in range(c.row, c.row + max(1, c.rowspan)):
                out.setdefault(r, c.source)
    return out


def _dedupe(deadlines: list[Deadline]) -> list[Deadline]:
    seen: set[tuple[str, object, object]] = set()
    out = []
    for d in deadlines:
        key = (d.raw, d.date, d.kind)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def is_task_table(table: Table) -> bool:
    """Whether the header (or else the first body row) names the columns of a task table."""
    if table.header and _header_columns(_joined_header(table)) is not None:
        return True
    return bool(table.rows) and _header_columns([c or "" for c in table.rows[0]]) is not None


def table_to_tasks(table: Table, doc_year: int | None, id_prefix: str) -> tuple[list[Task], list[Problem]]:
    """Turn a task-division table into one Task per numbered requirement.

    Reads a :class:`Table` whose ``rows`` are resolved (a merged cell repeats its value on every row it
    covers), the document year (for relative deadlines) and the id prefix of the container. Returns
    ``(tasks, problems)``; ``([], [])`` when the header does not make it a task table. Guaranteed after:

    1. one task per printed item number, in order, ``id = f"{id_prefix}/task-{seq}"`` (by position when the
       table is unnumbered or repeats a number);
    2. a cell holding several items (``25. …\\n26. …`` or ``…。26. …``) gives several tasks (see
       :func:`split_items`); a row repeating the previous row's text gives nothing new; a row continuing a
       cell split over a page extends the previous task (text, and its unit cell if that changed);
    3. ``requirement`` is the first group column (一、…), ``task`` the second ((一)…) or None when it is empty,
       equals the requirement, is itself a 一、 label, or holds the item text (a cell spanning both columns);
       a task group never runs on into the next requirement group; an empty group cell on an item row means
       no group (rows are resolved), while an empty unit cell keeps the units above; labels split over pages
       are joined;
    4. lead/co units come from the unit column(s) through :func:`split_units`; deadlines from the item text
       and the 完成时限 column through :func:`parse_deadlines`;
    5. ``source`` is the anchor cell's source when ``table.cells`` has one, else the table source moved to the
       row's printed page; a task with no unit gives a ``P301`` problem. Never raises on any cell text.
    """
    body_start = 0
    cols = _header_columns(_joined_header(table)) if table.header else None
    if cols is None and table.rows:
        cols = _header_columns([c or "" for c in table.rows[0]])
        body_start = 1
    if cols is None:
        return [], []
    walk = _Walk(
        cols=cols,
        numbered=any(_ITEM_START.match(_cell(row, cols.text)) for row in table.rows[body_start:]),
        unit_cols=[_Column() for _ in cols.units],
    )
    for r in range(body_start, len(table.rows)):
        _walk_row(walk, table.rows[r], r)
    return _drafts_to_tasks(table, cols, walk.drafts, doc_year, id_prefix)


@dataclass
class _Walk:
    """The state of the walk down a task table: the open group runs, the drafts and the last item number."""

    cols: _Columns
    numbered: bool
    unit_cols: list[_Column]
    req_col: _Column = field(default_factory=lambda: _Column())
    task_col: _Column = field(default_factory=lambda: _Column())
    drafts: list[_Draft] = field(default_factory=list)
    used: dict[int, _Draft] = field(default_factory=dict)
    prev_text: str = ""
    last_seq: int | None = None


def _walk_row(w: _Walk, row: list[str | None], r: int) -> None:
    """One body row: advance the group and unit runs, then add its items (or extend the items they repeat)."""
    cols = w.cols
    text = _cell(row, cols.text)
    repeated = bool(text) and text == w.prev_text
    items = [] if repeated else split_items(text, w.last_seq + 1 if w.last_seq is not None else None)
    starts_item = bool(items) and (items[0][0] is not None or not w.numbered)
    continuation = bool(w.drafts) and not starts_item
    requirement, task = _walk_groups(w, row, text, continuation)
    units = [
        col.advance(_cell(row, c), continuation or repeated)
        for col, (c, _) in zip(w.unit_cols, cols.units, strict=True)
    ]
    deadline_cell = _cell(row, cols.deadline) if cols.deadline is not None else ""
    w.prev_text = text or w.prev_text
    if repeated or not items:
        return
    for seq, item in items:
        _walk_item(w, row, r, seq, item, (requirement, task), units, deadline_cell)


def _walk_item(
    w: _Walk,
    row: list[str | None],
    r: int,
    seq: int | None,
    item: str,
    groups: tuple[_Run | None, _Run | None],
    units: list[_Run | None],
    deadline_cell: str,
) -> None:
    """One item of a row: extends the draft it continues or repeats, or starts a new draft."""
    target = _walk_target(w, seq)
    if target is not None:
        if item and item not in "".join(target.parts):
            target.parts.append(item)
        if deadline_cell:
            target.deadline_cells.append(deadline_cell)
        return
    if seq is None and not w.numbered and w.cols.seq is not None:
        printed = _cell(row, w.cols.seq)
        seq = int(printed) if printed.isdecimal() and len(printed) < 6 else None
    draft = _Draft(
        seq=seq,
        row=r,
        parts=[item],
        requirement=groups[0],
        task=groups[1],
        units=[u or _Run() for u in units],
        deadline_cells=[deadline_cell] if deadline_cell else [],
    )
    w.drafts.append(draft)
    if seq is not None:
        w.used[seq] = draft
        w.last_seq = seq


def _walk_target(w: _Walk, seq: int | None) -> _Draft | None:
    """The draft an item extends: the last one for the unnumbered rest of a cell split over a page, the one
    with the same number for a number printed again; None for a new item."""
    if seq is None:
        return w.drafts[-1] if w.drafts and w.numbered else None
    return w.used.get(seq)


def _walk_groups(w: _Walk, row: list[str | None], text: str, continuation: bool) -> tuple[_Run | None, _Run | None]:
    """Advance the requirement (一、…) and task ((一)…) group runs on this row; return the current runs."""
    cols = w.cols
    req_value = _cell(row, cols.groups[0]) if cols.groups else ""
    task_value = _cell(row, cols.groups[1]) if len(cols.groups) > 1 else ""
    if not continuation:  # rows are resolved: an empty group cell on an item row means no group
        if not req_value:
            w.req_col = _Column()
        if not task_value:
            w.task_col = _Column()
    before = w.req_col.run
    requirement = w.req_col.advance(req_value, continuation or _group_continues(w.req_col.run, req_value, _REQ_LABEL))
    if requirement is not before and task_value == w.task_col.last:
        w.task_col = _Column(last=task_value)  # a nested group never runs on into the next requirement
    if task_value and (task_value == text or _ITEM_START.match(task_value)):
        w.task_col = _Column(last=task_value)  # the item cell spans the task column: this row has no task group
    task = w.task_col.advance(task_value, continuation or _group_continues(w.task_col.run, task_value, _TASK_LABEL))
    return requirement, task


def _drafts_to_tasks(
    table: Table, cols: _Columns, drafts: list[_Draft], doc_year: int | None, id_prefix: str
) -> tuple[list[Task], list[Problem]]:
    seqs = [d.seq for d in drafts]
    by_seq = None not in seqs and len(set(seqs)) == len(seqs)
    anchors = _anchor_sources(table, cols.text)
    tasks: list[Task] = []
    problems: list[Problem] = []
    for n, d in enumerate(drafts, start=1):
        text = "".join(d.parts)
        requirement = d.requirement.text() if d.requirement else ""
        task_group = d.task.text() if d.task else ""
        if not task_group or task_group == requirement or _REQ_LABEL.match(task_group):
            task_group = ""
        units_raw = _unit_text(d.units, cols)
        mentions = split_units(units_raw)
        source = _row_source(table, d.row, cols.text, anchors, text)
        deadlines = parse_deadlines(text, doc_year, source)
        for cell in d.deadline_cells:
            deadlines.extend(parse_deadlines(cell, doc_year, source))
        task_id = f"{id_prefix}/task-{d.seq if by_seq else n}"
        if not mentions:
            page = source.page if source else None
            problems.append(problem(Code.P301, f"{task_id} has no unit", page=page))
        tasks.append(
            Task(
                id=task_id,
                seq=d.seq,
                requirement=requirement or None,
                task=task_group or None,
                text=text,
                lead_units=[m.name for m in mentions if m.role == UnitRole.LEAD],
                co_units=[m.name for m in mentions if m.role == UnitRole.CO],
                deadlines=_dedupe(deadlines),
                source=source,
                units_raw=units_raw or None,
                units=mentions,
            )
        )
    return tasks, problems


# --------------------------------------------------------------------------- prose


def _bracket_pairs(text: str) -> dict[int, int]:
    """For each opening bracket that closes, the index just past its closing bracket (one pass, a stack)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch in _OPEN:
            stack.append(i)
        elif ch in _CLOSE and stack:
            pairs[stack.pop()] = i + 1
    return pairs


@functools.cache
def _unit_tag() -> re.Pattern[str]:
    """The opening of a unit note in prose: a bracket and a role label with its noun (``（牵头单位：``)."""
    return re.compile(r"[（(]\s*" + role_label_pattern(noun=True).pattern)


def split_unit_tags(text: str) -> list[tuple[str, str]]:
    """Split prose into ``(task text, unit tag content)`` pairs at each ``（牵头单位：…）``-style tag.

    Reads a paragraph. Returns one pair per tag (a bracket, a role label of ``units.tsv`` with 单位/部门 and a
    colon: ``牵头单位``/``责任部门``/``配合单位`` …), the task text being the text between the previous tag (or the
    start) and this one, stripped of spacing and separators but keeping its own closing ``。``, and the tag
    content without its brackets (``牵头单位：区发改局，配合单位：区财政局``). Text after the last tag is dropped.
    Never raises; linear in the text (brackets are paired in one pass; a tag longer than a few hundred
    characters is not a unit tag).
    """
    out: list[tuple[str, str]] = []
    unit_tag = _unit_tag()
    if unit_tag.search(text) is None:
        return out
    pairs = _bracket_pairs(text)
    start = 0
    pos = 0
    while True:
        m = unit_tag.search(text, pos)
        if m is None:
            break
        end = pairs.get(m.start())
        if end is None or end - m.start() > _TAG_SCAN:
            pos = m.end()
            continue
        body = text[start : m.start()].lstrip(_LEAD_JUNK).rstrip(_TAIL_JUNK)
        out.append((body, text[m.start() + 1 : end - 1].strip()))
        start = pos = end
    return out


def paragraphs_to_tasks(paragraphs: list[Paragraph], doc_year: int | None, id_prefix: str) -> list[Task]:
    """Turn prose sentences tagged ``（牵头单位：…）`` / ``（责任单位：…）`` / ``（牵头部门：…）`` into tasks.

    Reads the document's paragraphs in order. Returns one Task per tag, ``id = f"{id_prefix}/task-{n}"`` with
    ``n`` the 1-based position of the tag in the document; ``seq`` is the printed item number when the text
    starts with one (``1.``/``（1）``); units through :func:`split_units` (a 责任/牵头 label makes the bodies lead,
    a 配合单位： part, or a 责任单位： part after a 牵头单位： part, makes them co); ``units_raw`` the note's units
    as printed without their role labels (``区政府办公室；区直各单位``); deadlines from the task text and from a
    ``完成时限：…`` part of the tag (which is not a unit); ``source`` the paragraph's source (a paragraph that
    runs over a page break is one paragraph, so its task is one task).
    Paragraphs without tags give nothing. Never raises.
    """
    tasks: list[Task] = []
    for para in paragraphs:
        for body, tag in split_unit_tags(para.text):
            if not body:
                continue
            n = len(tasks) + 1
            seq_m = re.match(r"^\s*[（(]?(\d{1,3})\s*(?:[.．、]|[）)])", body)
            when = _TAG_DEADLINE.search(tag)
            units_text = tag[: when.start()] if when else tag
            deadlines = parse_deadlines(body, doc_year, para.source)
            if when:
                deadlines += parse_deadlines(tag[when.end() :], doc_year, para.source)
            mentions = split_units(units_text)
            tasks.append(
                Task(
                    id=f"{id_prefix}/task-{n}",
                    seq=int(seq_m.group(1)) if seq_m else None,
                    text=body,
                    lead_units=[m.name for m in mentions if m.role == UnitRole.LEAD],
                    co_units=[m.name for m in mentions if m.role == UnitRole.CO],
                    deadlines=_dedupe(deadlines),
                    source=para.source,
                    units_raw=strip_role_labels(units_text).strip(_TAIL_JUNK) or None,
                    units=mentions,
                )
            )
    return tasks


# --------------------------------------------------------------------------- unit index


def _mentions(task: Task) -> list[UnitMention]:
    if task.units:
        return task.units
    out = []
    for names, role in ((task.lead_units, UnitRole.LEAD), (task.co_units, UnitRole.CO)):
        for name in names:
            canonical, known = canonical_unit(name)
            out.append(UnitMention(raw=name, name=canonical, role=role, in_vocabulary=known))
    return out


def documents_to_unit_index(documents: list[Document]) -> list[UnitEntry]:
    """Invert the tasks of an issue into one entry per canonical unit.

    Reads every ``Document.tasks`` and every ``Attachment.tasks``. Returns :class:`UnitEntry` objects sorted
    by name: the tasks each unit leads and co-operates on (a :class:`TaskRef` with the task's deadlines, once
    per task and role, in document order) and the printed spellings seen that differ from the canonical name
    but canonicalise to it (sorted). Tasks without ``units`` fall back to their lead/co unit names.
    """
    entries: dict[str, UnitEntry] = {}
    aliases: dict[str, set[str]] = {}
    for doc in documents:
        all_tasks = list(doc.tasks) + [t for att in doc.attachments for t in att.tasks]
        for task in all_tasks:
            ref = TaskRef(task_id=task.id, document_id=doc.id, seq=task.seq, text=task.text, deadlines=task.deadlines)
            for m in _mentions(task):
                entry = entries.setdefault(m.name, UnitEntry(name=m.name, in_vocabulary=m.in_vocabulary))
                refs = entry.leads if m.role == UnitRole.LEAD else entry.co_operates
                if not refs or refs[-1].task_id != task.id or refs[-1].document_id != doc.id:
                    refs.append(ref)
                raw = re.sub(r"\s+", "", m.raw)
                if raw != m.name and canonical_unit(raw)[0] == m.name:
                    aliases.setdefault(m.name, set()).add(raw)
    out = []
    for name in sorted(entries):
        entry = entries[name]
        entry.aliases = sorted(aliases.get(name, set()))
        out.append(entry)
    return out
