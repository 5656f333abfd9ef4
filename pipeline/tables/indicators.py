"""Indicator tables (规划指标表) → typed :class:`schemas.model.Indicator` objects.

An indicator table has a name column (指标), a target column (指标值 / 目标值 / a year such as 2025年) and at
least one of a category column (类别) or an attribute column (指标属性: 约束性 / 预期性), plus usually a 序号
column. Columns are found by their header wording, in any order.

Also home of the table helpers the table-reading stages share: :func:`column_headers` (one header text per
column) and :func:`row_sources` (the provenance of each body row).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from pipeline.errors import Code, problem
from pipeline.grammar.labels import SEQ_VALUE as _SEQ_VALUE
from pipeline.grammar.targets import parse_target
from pipeline.grammar.text import normalise
from pipeline.grammar.vocabulary import header
from pipeline.grammar.width import fold_width
from schemas.model import Indicator, IndicatorAttribute, Problem, Source, Table, TablePart

C = TypeVar("C")

_SEQ_HEADER = header("seq")
_ATTRIBUTE_HEADER = header("indicator-attribute")
_TARGET_HEADER_STRONG = header("indicator-target")
_YEAR_HEADER = re.compile(r"(?:19|20)\d{2}\s*年")
_CATEGORY_HEADER = header("indicator-category")
_UNIT_HEADER = header("measure-unit")
_NAME_HEADER = header("indicator-name")


def column_headers(table: Table) -> list[str]:
    """One header text per column of ``table``.

    Reads ``table.header`` (rows of header cells; a merged header cell is repeated over the columns it spans).
    Returns a list as long as the widest header or body row: for each column the distinct non-empty texts of
    its header cells, top to bottom, joined and whitespace-normalised (``指标值`` over ``2025年`` →
    ``指标值2025年``); ``""`` where the column has no header text.
    """
    width = max([len(r) for r in table.header] + [len(r) for r in table.rows] + [0])
    out: list[str] = []
    for col in range(width):
        parts: list[str] = []
        for hrow in table.header:
            text = normalise(hrow[col]) if col < len(hrow) and hrow[col] else ""
            if text and text not in parts:
                parts.append(text)
        out.append(normalise(" ".join(parts)))
    return out


def _shift_pdf_page(src: Source, page: int | None) -> int | None:
    if page is None or src.page is None or src.pdf_page is None:
        return src.pdf_page if page is None or page == src.page else None
    return src.pdf_page + (page - src.page)


def row_sources(table: Table, col: int | None = None) -> list[Source | None]:
    """The provenance of each body row of ``table``.

    Reads ``table.cells``, ``table.row_pages`` and ``table.source``. Returns one entry per row of
    ``table.rows``: the Source of the body cell anchored at (row, ``col``) when there is one with a source, else
    of the first body cell anchored in that row, else a Source built from the table's source with the row's
    printed page (``pdf_page`` shifted by the same number of pages) and the row's text; None when the table has
    no provenance at all.
    """
    anchored: dict[tuple[int, int], Source] = {}
    for cell in table.cells:
        if cell.part is TablePart.BODY and cell.source is not None:
            anchored.setdefault((cell.row, cell.col), cell.source)
    first_in_row: dict[int, Source] = {}
    for key in sorted(anchored):
        first_in_row.setdefault(key[0], anchored[key])
    out: list[Source | None] = []
    for i, cells in enumerate(table.rows):
        src = anchored.get((i, col)) if col is not None else None
        src = src or first_in_row.get(i)
        if src is None:
            page = table.row_pages[i] if i < len(table.row_pages) else None
            if col is not None and col < len(cells):
                text = cells[col] or ""
            else:
                text = "\t".join(c or "" for c in cells)
            if table.source is not None:
                base = table.source
                src = Source(
                    page=page if page is not None else base.page, pdf_page=_shift_pdf_page(base, page), text=text
                )
            elif page is not None:
                src = Source(page=page, text=text)
        out.append(src)
    return out


@dataclass(frozen=True, slots=True)
class IndicatorColumns:
    """Where the roles of an indicator table sit (column indexes; None: the table has no such column)."""

    name: int
    target: int
    seq: int | None = None
    category: int | None = None
    attribute: int | None = None
    unit: int | None = None


def _find(headers: list[str], pattern: re.Pattern[str], taken: set[int], full: bool = False) -> int | None:
    for i, h in enumerate(headers):
        if i in taken or not h:
            continue
        if pattern.fullmatch(h) if full else pattern.search(h):
            return i
    return None


def indicator_columns(headers: list[str]) -> IndicatorColumns | None:
    """The column roles of an indicator table from its header texts (as :func:`column_headers` gives them).

    Returns None unless there is a name column, a target column and a category or attribute column. The target
    column is the one named like 指标值 / 目标值, else the last column headed by a year (``2025年``).
    """
    taken: set[int] = set()
    seq = _find(headers, _SEQ_HEADER, taken, full=True)
    if seq is not None:
        taken.add(seq)
    attribute = _find(headers, _ATTRIBUTE_HEADER, taken)
    if attribute is not None:
        taken.add(attribute)
    target = _find(headers, _TARGET_HEADER_STRONG, taken)
    if target is None:
        years = [i for i, h in enumerate(headers) if i not in taken and _YEAR_HEADER.search(h)]
        target = years[-1] if years else None
    if target is None:
        return None
    taken.add(target)
    category = _find(headers, _CATEGORY_HEADER, taken)
    if category is not None:
        taken.add(category)
    unit = _find(headers, _UNIT_HEADER, taken, full=True)
    if unit is not None:
        taken.add(unit)
    name = _find(headers, _NAME_HEADER, taken)
    if name is None or (category is None and attribute is None):
        return None
    return IndicatorColumns(name=name, target=target, seq=seq, category=category, attribute=attribute, unit=unit)


def header_columns(table: Table, detect: Callable[[list[str]], C | None]) -> tuple[C | None, list[str], int]:
    """(column roles found by ``detect``, header texts, index of the first body row).

    A table without a header row may print its header as its first body row: then that row is the header
    and the body starts at row 1."""
    headers = column_headers(table)
    cols = detect(headers)
    if cols is None and not table.header and table.rows:
        first = [normalise(c or "") for c in table.rows[0]]
        cols = detect(first)
        if cols is not None:
            return cols, first, 1
    return cols, headers, 0


def _table_columns(table: Table) -> tuple[IndicatorColumns | None, list[str], int]:
    return header_columns(table, indicator_columns)


def is_indicator_table(table: Table) -> bool:
    """Whether ``table`` is an indicator table (序号 / 类别 / 指标 / 指标值 / 指标属性, any order and wording).

    Reads the header (or, for a table without header, its first body row). True when the columns of
    :func:`indicator_columns` are found and at least one body row has a name.
    """
    cols, _, start = _table_columns(table)
    if cols is None:
        return False
    return any(_cell(row, cols.name) for row in table.rows[start:])


def _cell(row: list[str | None], col: int | None) -> str:
    if col is None or col >= len(row):
        return ""
    return normalise(row[col] or "")


def _at(cells: list[str], col: int | None) -> str:
    return cells[col] if col is not None and col < len(cells) else ""


def _raw_cell(row: list[str | None], col: int | None) -> str:
    if col is None or col >= len(row):
        return ""
    return (row[col] or "").strip()


def _seq(text: str) -> int | None:
    m = _SEQ_VALUE.fullmatch(fold_width(text))
    return int(m.group(1)) if m else None


def _attribute(text: str) -> IndicatorAttribute | None:
    if "约束" in text:
        return IndicatorAttribute.BINDING
    if "预期" in text:
        return IndicatorAttribute.EXPECTED
    return None


def _is_header_repeat(cells: list[str], headers: list[str], header_rows: list[list[str]]) -> bool:
    """A body row that repeats the header (printed again at the top of a later page)."""
    candidates = [headers, *header_rows]
    for hdr in candidates:
        same = sum(1 for a, b in zip(cells, hdr, strict=False) if a and a == b)
        if same >= 2 and same * 2 >= sum(1 for a in cells if a):
            return True
    return False


@dataclass(slots=True)
class _Draft:
    row: int  # 0-based index of the first body row
    seq: int | None
    category: str | None
    names: list[str]
    target_raw: str
    attribute: IndicatorAttribute | None
    unit: str
    source: Source | None


def _continues(draft: _Draft | None, seq: int | None, target_raw: str, category: str, cols: IndicatorColumns) -> bool:
    """Whether a row continues the indicator of ``draft`` (a row split over a page break).

    Same 序号 with a compatible target (one empty, or both the same) and the same category; or no 序号 in a
    table that has them, with one of the two targets empty; or, without a 序号 column, a row with no target.
    """
    if draft is None:
        return False
    if seq is not None:
        same_target = not target_raw or not draft.target_raw or target_raw == draft.target_raw
        return seq == draft.seq and same_target and (not category or category == draft.category)
    if cols.seq is not None:
        return draft.seq is not None and (not target_raw or not draft.target_raw)
    return not target_raw


def table_to_indicators(table: Table, id_prefix: str) -> tuple[list[Indicator], list[Problem]]:
    """Turn an indicator table into Indicators, one per indicator row.

    Reads ``table.header`` / ``table.rows`` (resolved rows: a merged cell's text on every row it covers),
    ``row_pages`` and the cells' sources. Returns the indicators in printed order and a P201 Problem for each
    target that could not be parsed (the indicator is still returned, with ``target.op`` None).

    Guaranteed after:
    1. one Indicator per indicator row with a name; a row split over a page break (consecutive rows with the
       same 序号 and category whose targets are equal or empty on one side, or a row without 序号 whose target or
       the previous row's is empty) is one Indicator whose name parts are joined; a repeated header row in the
       body is skipped;
    2. ``category`` carried down from the last non-empty category cell; ``attribute`` 约束性/预期性 or None;
    3. ``seq`` from the 序号 column; ``id`` is ``f"{id_prefix}/ind-{seq or row}"`` (row: 1-based body row),
       made unique with the row number when a 序号 repeats;
    4. a unit column (单位) fills ``target.unit`` when the target cell has none;
    5. ``source`` is the name cell's source, else the row's (table source + the row's printed page).
    Returns ``([], [])`` for a table that is not an indicator table. Never raises.
    """
    cols, headers, start = _table_columns(table)
    if cols is None:
        return [], []
    header_rows = [[normalise(c) for c in r] for r in table.header]
    sources = row_sources(table, cols.name)
    drafts: list[_Draft] = []
    category: str | None = None
    for i in range(start, len(table.rows)):
        row = table.rows[i]
        cells = [normalise(c or "") for c in row]
        if not any(cells) or _is_header_repeat(cells, headers, header_rows):
            continue
        seq = _seq(_at(cells, cols.seq))
        category_cell = _at(cells, cols.category)
        category = category_cell or category
        name = _at(cells, cols.name)
        target_raw = _raw_cell(row, cols.target)
        attribute = _attribute(_at(cells, cols.attribute))
        last = drafts[-1] if drafts else None
        if last is not None and _continues(last, seq, target_raw, category_cell, cols):
            if name and name not in last.names:
                last.names.append(name)
            last.target_raw = last.target_raw or target_raw
            last.attribute = last.attribute or attribute
            last.unit = last.unit or _at(cells, cols.unit)
            continue
        if not name:
            continue
        drafts.append(_Draft(i, seq, category, [name], target_raw, attribute, _at(cells, cols.unit), sources[i]))
    return _drafts_to_indicators(drafts, id_prefix)


def _drafts_to_indicators(drafts: list[_Draft], id_prefix: str) -> tuple[list[Indicator], list[Problem]]:
    indicators: list[Indicator] = []
    problems: list[Problem] = []
    used: set[str] = set()
    for d in drafts:
        ident = f"{id_prefix}/ind-{d.seq or d.row + 1}"
        if ident in used:
            ident = f"{id_prefix}/ind-{d.seq}-{d.row + 1}" if d.seq else f"{id_prefix}/ind-row-{d.row + 1}"
        used.add(ident)
        target = parse_target(d.target_raw)
        if target.op is not None and target.unit is None and d.unit:
            target = target.model_copy(update={"unit": d.unit})
        name = d.names[0]
        for part in d.names[1:]:
            name = normalise(f"{name} {part}")
        if target.op is None:
            page = d.source.page if d.source else None
            problems.append(
                problem(Code.P201, f"{ident}: target {d.target_raw!r} of {name!r} could not be parsed", page=page)
            )
        indicators.append(
            Indicator(
                id=ident,
                seq=d.seq,
                category=d.category or None,
                name=name,
                target=target,
                attribute=d.attribute,
                source=d.source,
            )
        )
    return indicators, problems
