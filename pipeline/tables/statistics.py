"""Statistical tables (one column per year, quarter or month) → typed :class:`schemas.model.StatTable`.

A statistical table has a label column and two or more period columns (``2016`` … ``2020``, ``2016年``,
``一季度``, ``1月`` …; aggregate columns such as 合计 / 平均 may sit beside them). Each body row is one Series;
its unit comes from a bracket at the end of the label (``检查企业（家次）`` → 家次) or from a 单位 column.
A table printed the other way round (periods down the first column, quantities across the header) is read
as well, with its header cells as the series.
"""

from __future__ import annotations

import re

from pipeline.grammar.dates import PERIOD as _PERIOD
from pipeline.grammar.text import normalise
from pipeline.grammar.vocabulary import header
from pipeline.grammar.width import fold_width
from pipeline.tables.indicators import column_headers, row_sources
from schemas.model import Series, Source, StatTable, Table, TablePart

_AGGREGATE = header("aggregate")
_UNIT_HEADER = header("measure-unit")
_MISSING = re.compile(r"[-－—–―/／\\…·.。\s]*|N/?A|n/?a|无")
_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+")
_MAX_UNIT_CHARS = 6
_MAX_CELL_CHARS = 200  # a longer cell is text, not a number (and is not scanned)


def is_period(text: str) -> bool:
    """Whether a header text names a period (``2016``, ``2016年``, ``一季度``, ``1月``, ``2021年上半年`` …)."""
    return _PERIOD.fullmatch(re.sub(r"\s+", "", fold_width(text))) is not None


def parse_stat_value(text: str | None) -> float | None:
    """The number in a statistical cell, or None.

    Reads a cell text. Returns a float for a number as printed (full-width digits folded, thousands separators
    dropped, a trailing ``%`` / ``‰`` ignored: ``97.5%`` → 97.5, ``1,234`` → 1234.0). Missing-value marks
    (``---``, ``—``, ``-``, ``／``, empty) and any other text give None, never 0. Never raises.
    """
    if text is None or len(text) > _MAX_CELL_CHARS:
        return None
    s = re.sub(r"\s+", "", fold_width(text))
    if len(s) > 40 or _MISSING.fullmatch(s):
        return None
    s = s.removesuffix("%").removesuffix("‰")
    if not _NUMBER.fullmatch(s):
        return None
    return float(s.replace(",", "").replace("+", ""))


def split_label_unit(label: str) -> tuple[str, str | None]:
    """Split a series label into (quantity, unit): ``检查企业（家次）`` → (检查企业, 家次).

    Reads a whitespace-normalised label. The unit is the text of a bracket (full or half width) closing the
    label, when it is short (at most 6 characters) and not a number; otherwise the unit is None and the quantity
    is the label. Linear time.
    """
    text = label.strip()
    if not text or text[-1] not in ")）":
        return text, None
    opening = max(text.rfind("("), text.rfind("（"))
    if opening <= 0:
        return text, None
    unit = text[opening + 1 : -1].strip()
    quantity = text[:opening].strip()
    if not unit or len(unit) > _MAX_UNIT_CHARS or not quantity or parse_stat_value(unit) is not None:
        return text, None
    return quantity, unit


def _is_numeric_body(values: list[list[str | None]]) -> bool:
    """Most filled cells are numbers (missing marks aside), and there is at least one number."""
    numbers = others = 0
    for row in values:
        for cell in row:
            s = (cell or "").strip()
            if parse_stat_value(s) is not None:
                numbers += 1
            elif s and (len(s) > _MAX_CELL_CHARS or not _MISSING.fullmatch(re.sub(r"\s+", "", fold_width(s)))):
                others += 1
    return numbers > 0 and numbers >= 2 * others


def _period_columns(headers: list[str]) -> list[int] | None:
    """Indexes of the data columns (periods and aggregates) after the label column, or None."""
    data = [i for i in range(1, len(headers)) if headers[i]]
    periods = [i for i in data if is_period(headers[i])]
    if len(periods) < 2:
        return None
    rest = [i for i in data if i not in periods]
    if any(not _AGGREGATE.search(headers[i]) and not _UNIT_HEADER.fullmatch(headers[i]) for i in rest):
        return None
    return [i for i in data if not _UNIT_HEADER.fullmatch(headers[i])]


def _series(label: str, unit_cell: str, cells: list[str | None], source: Source | None) -> Series:
    quantity, unit = split_label_unit(label)
    unit = unit or unit_cell or None
    values = [parse_stat_value(c) for c in cells]
    if unit is None and any(v is not None for v in values):
        numbers = [(c or "").strip() for c, v in zip(cells, values, strict=True) if v is not None]
        if all(n.endswith(("%", "％")) for n in numbers):
            unit = "%"
    return Series(label=label, unit=unit, values=values, quantity=quantity, source=source)


def _column_series(table: Table, headers: list[str], data_cols: list[int]) -> list[Series]:
    """Reads the body rows of a table with periods across; returns one series per labelled row."""
    unit_col = next((i for i, h in enumerate(headers) if _UNIT_HEADER.fullmatch(h)), None)
    sources = row_sources(table, 0)
    series: list[Series] = []
    for i, row in enumerate(table.rows):
        label = normalise(row[0] or "") if row else ""
        if not label or (label == headers[0] and [normalise(c or "") for c in row] == headers):
            continue
        cells = [row[c] if c < len(row) else None for c in data_cols]
        unit_cell = normalise(row[unit_col] or "") if unit_col is not None and unit_col < len(row) else ""
        series.append(_series(label, unit_cell, cells, sources[i]))
    return series


def _by_columns(table: Table, headers: list[str], data_cols: list[int]) -> StatTable | None:
    """Periods across the header: each labelled body row is a series (None unless the body is numeric)."""
    body = [r for r in table.rows if any((c or "").strip() for c in r)]
    if not _is_numeric_body([[r[i] if i < len(r) else None for i in data_cols] for r in body]):
        return None
    series = _column_series(table, headers, data_cols)
    if not series:
        return None
    return StatTable(
        table_id=table.id,
        caption=table.caption,
        columns=[headers[c] for c in data_cols],
        series=series,
        number=table.number,
    )


def _period_rows(table: Table) -> list[list[str | None]] | None:
    """Reads a table's rows; returns those with a first cell when there are two or more and all are periods."""
    rows = [r for r in table.rows if r and normalise(r[0] or "")]
    if len(rows) < 2 or not all(is_period(normalise(r[0] or "")) for r in rows):
        return None
    return rows


def _by_rows(table: Table, headers: list[str]) -> StatTable | None:
    """Periods down the first column: each header cell after the first is a series."""
    rows = _period_rows(table)
    if rows is None:
        return None
    data_cols = [i for i in range(1, len(headers)) if headers[i]]
    if not data_cols or not _is_numeric_body([[r[i] if i < len(r) else None for i in data_cols] for r in rows]):
        return None
    series = [_series(headers[c], "", [r[c] if c < len(r) else None for r in rows], table.source) for c in data_cols]
    return StatTable(
        table_id=table.id,
        caption=table.caption,
        columns=[normalise(r[0] or "") for r in rows],
        series=series,
        number=table.number,
    )


def table_to_statistics(table: Table) -> StatTable | None:
    """Turn a statistical table (columns are periods) into a StatTable, or None for any other table.

    Reads ``table.header`` (its last row, or all its rows joined per column; a table without header may print
    it as its first body row), ``table.rows`` and the row sources. Returns None unless two or more header
    cells after the first are periods (other header cells may only be aggregates like 合计 / 平均 or a 单位
    column) and the body is mostly numbers.

    Guaranteed after: ``columns`` are the period (and aggregate) headers as printed, whitespace-normalised;
    one Series per body row with a label, in order, ``label`` whitespace-normalised, ``values`` one per column
    (None for ``---`` / ``—`` / ``／`` / empty / text, never 0); ``unit`` from a closing bracket in the label,
    else the 单位 column, else ``%`` when every number of the row is printed with ``%``, else None; ``quantity``
    the label without its unit bracket (the label itself when it has none); ``table_id``, ``caption`` and
    ``number`` copied from the table. A table with periods down its first column gives one Series per header
    column instead. Never raises.
    """
    candidates: list[tuple[list[str], int]] = []
    if table.header:
        candidates.append(([normalise(c) for c in table.header[-1]], 0))
        candidates.append((column_headers(table), 0))
    elif table.rows:
        candidates.append(([normalise(c or "") for c in table.rows[0]], 1))
    for headers, start in candidates:
        data_cols = _period_columns(headers)
        if data_cols is None:
            continue
        body = table.model_copy(update={"rows": table.rows[start:], "row_pages": table.row_pages[start:]})
        if start:
            cells = [
                c.model_copy(update={"row": c.row - start}) if c.part is TablePart.BODY else c
                for c in table.cells
                if c.part is not TablePart.BODY or c.row >= start
            ]
            body = body.model_copy(update={"cells": cells})
        result = _by_columns(body, headers, data_cols)
        if result is not None:
            return result
    if table.header:
        return _by_rows(table, column_headers(table))
    return None
