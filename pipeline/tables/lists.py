"""Appendix list tables (序号 / 分类 / 主要任务) → typed :class:`schemas.model.ListCategory` objects.

Such a table has a category column (分类 / 类别 / 领域 …) whose cells are usually merged over several rows, and a
list column (主要任务 / 内容 / 措施 …) whose cells hold one or more paragraphs, one list item each. There is no
unit column (a table with 牵头单位 / 责任单位 is a task table, read elsewhere).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.grammar.labels import ENUMERATOR as _ENUMERATOR
from pipeline.grammar.labels import SEQ_VALUE as _SEQ_VALUE
from pipeline.grammar.text import normalise
from pipeline.grammar.vocabulary import header
from pipeline.grammar.width import fold_width
from pipeline.tables.indicators import header_columns, indicator_columns, row_sources
from schemas.model import ListCategory, Source, Table

_SEQ_HEADER = header("seq")
_CATEGORY_HEADER = header("list-category")
_LIST_HEADER = header("list-item")
_UNIT_HEADER = header("responsible")
_PARAGRAPH_TAG = re.compile(r"</?p\b[^<>]{0,200}>", re.IGNORECASE)
_TERMINAL = tuple("。；;！!？?")


@dataclass(frozen=True, slots=True)
class ListColumns:
    """Where the roles of a list table sit (column indexes; ``seq`` None when there is no 序号 column)."""

    category: int
    items: int
    seq: int | None = None


def list_columns(headers: list[str]) -> ListColumns | None:
    """The column roles of a list table from its header texts, or None when it is not one.

    A category column (分类 / 类别 …) and a list column (主要任务 / 内容 …, else the widest other column) are
    needed; a table with a unit column (牵头单位 / 责任部门 …) or an indicator table is not a list table.
    """
    if indicator_columns(headers) is not None or any(_UNIT_HEADER.search(h) for h in headers):
        return None
    seq = next((i for i, h in enumerate(headers) if h and _SEQ_HEADER.fullmatch(h)), None)
    category = next((i for i, h in enumerate(headers) if i != seq and _CATEGORY_HEADER.search(h)), None)
    if category is None:
        return None
    items = next(
        (i for i, h in enumerate(headers) if i not in (seq, category) and _LIST_HEADER.search(h)),
        None,
    )
    if items is None:
        return None
    return ListColumns(category=category, items=items, seq=seq)


def _table_columns(table: Table) -> tuple[ListColumns | None, list[str], int]:
    return header_columns(table, list_columns)


def is_list_table(table: Table) -> bool:
    """Whether ``table`` is an appendix list table (序号 / 分类 / 主要任务, any order and wording).

    Reads the header (or, for a table without header, its first body row). True when :func:`list_columns` finds the
    roles and some body row has a category.
    """
    cols, _, start = _table_columns(table)
    if cols is None:
        return False
    return any(_cell(r, cols.category) for r in table.rows[start:])


def cell_to_items(text: str | None) -> list[str]:
    """The list items of one cell: one per paragraph.

    Reads a cell text whose paragraphs are separated by ``\\n`` or wrapped in ``<p>…</p>``. Returns the
    paragraphs whitespace-normalised, empty ones dropped, in order. Never raises.
    """
    if not text:
        return []
    out: list[str] = []
    for chunk in _PARAGRAPH_TAG.split(text):
        for line in chunk.split("\n"):
            item = normalise(line)
            if item:
                out.append(item)
    return out


def _cell(row: list[str | None], col: int | None) -> str:
    if col is None or col >= len(row):
        return ""
    return normalise(row[col] or "")


def _seq(text: str) -> int | None:
    m = _SEQ_VALUE.fullmatch(fold_width(text))
    return int(m.group(1)) if m else None


@dataclass(slots=True)
class _Group:
    name: str
    seq: int | None
    source: Source | None
    rows: list[tuple[int | None, list[str]]] = field(default_factory=list)  # (printed page, items) per row
    last_cell: str = ""


def _join_split_items(group: _Group) -> list[str]:
    """The group's items, a paragraph split over a page break joined, duplicates dropped."""
    prose = any(item.endswith(_TERMINAL) for _, items in group.rows for item in items)
    out: list[str] = []
    prev_page: int | None = None
    for page, items in group.rows:
        for k, item in enumerate(items):
            if (
                k == 0
                and out
                and prose
                and not out[-1].endswith(_TERMINAL)
                and not _ENUMERATOR.match(item)
                and (page is None or prev_page is None or page != prev_page)
            ):
                out[-1] = normalise(f"{out[-1]} {item}")
            elif item not in out:
                out.append(item)
        prev_page = page
    return out


def _skipped_row(cells: list[str], headers: list[str]) -> bool:
    """Reads a row's normalised cells and the header; True for an empty row or a header repeated in the body."""
    return not any(cells) or sum(1 for a, b in zip(cells, headers, strict=False) if a and a == b) >= 2


def _row_group(groups: list[_Group], name: str, seq: int | None, source: Source | None) -> _Group | None:
    """Reads a row's category name and 序号; returns the group it continues or starts (appended), None to skip it."""
    cur = groups[-1] if groups else None
    if cur is None or (name and name != cur.name) or (seq is not None and cur.seq is not None and seq != cur.seq):
        if not name:
            return None
        cur = _Group(name=name, seq=seq, source=source)
        groups.append(cur)
    return cur


def _add_row_items(cur: _Group, table: Table, cols: ListColumns, i: int, cells: list[str]) -> None:
    """Reads the list cell of body row ``i``; adds its items to ``cur`` unless it repeats the cell above."""
    row = table.rows[i]
    raw = row[cols.items] if cols.items < len(row) else None
    cell_text = cells[cols.items] if cols.items < len(cells) else ""
    if cell_text and cell_text == cur.last_cell:
        return
    cur.last_cell = cell_text
    page = table.row_pages[i] if i < len(table.row_pages) else None
    cur.rows.append((page, cell_to_items(raw)))


def _table_groups(table: Table, cols: ListColumns, headers: list[str], start: int) -> list[_Group]:
    """Reads the body rows of a list table from ``start``; returns its category groups in printed order."""
    sources = row_sources(table, cols.category)
    groups: list[_Group] = []
    for i in range(start, len(table.rows)):
        cells = [normalise(c or "") for c in table.rows[i]]
        if _skipped_row(cells, headers):
            continue
        name = cells[cols.category] if cols.category < len(cells) else ""
        seq = _seq(cells[cols.seq] if cols.seq is not None and cols.seq < len(cells) else "")
        cur = _row_group(groups, name, seq, sources[i])
        if cur is not None:
            _add_row_items(cur, table, cols, i, cells)
    return groups


def _groups_to_categories(groups: list[_Group], id_prefix: str) -> list[ListCategory]:
    """Reads the category groups; returns their ListCategory records with unique ids."""
    out: list[ListCategory] = []
    used: set[str] = set()
    for n, g in enumerate(groups, start=1):
        ident = f"{id_prefix}/list-{g.seq or n}"
        if ident in used:
            ident = f"{id_prefix}/list-{g.seq}-{n}" if g.seq else f"{id_prefix}/list-pos-{n}"
        used.add(ident)
        out.append(ListCategory(id=ident, seq=g.seq, name=g.name, items=_join_split_items(g), source=g.source))
    return out


def table_to_list_categories(table: Table, id_prefix: str) -> list[ListCategory]:
    """Turn an appendix list table into its categories, each with its list items.

    Reads ``table.header`` / ``table.rows`` (resolved rows: a merged category cell carries its text to every
    row it covers), ``row_pages`` and the cells' sources. Returns ``[]`` for a table that is not a list table.

    Guaranteed after:
    1. consecutive rows with the same category (an empty category cell continues the one above; a new 序号
       starts a new category) are one ListCategory, in printed order, ``name`` whitespace-normalised;
    2. ``items``: the list cells' paragraphs (split on ``\\n`` and ``<p>…</p>``), whitespace-normalised, empty
       ones dropped; a list cell carried onto several rows and an item repeated at a page break count once;
       a paragraph split over a page break (it ends without 。；！？ in a list of full sentences and the next
       row's text does not start a numbered item) is joined into one item;
    3. ``seq`` from the 序号 column; ``id`` is ``f"{id_prefix}/list-{seq or n}"`` (n: 1-based position), made
       unique with the position when a 序号 repeats; ``source`` is the first row's category cell source.
    A repeated header row in the body is skipped. Never raises.
    """
    cols, headers, start = _table_columns(table)
    if cols is None:
        return []
    return _groups_to_categories(_table_groups(table, cols, headers, start), id_prefix)
