"""Table header rows and stub columns → a header path per column and a row path per body row.

Reads a ``schemas.model.Table`` as ``pipeline.tables.stitch`` built it (``header``, ``rows`` and the printed
``cells`` with their spans). Returns the paths; nothing is changed in the table.

- **column paths**: the texts of the header cells over a column, top to bottom, a cell spanning several
  header rows counted once (``申请人情况 › 法人或其他组织 › 商业企业``). Notes printed in the header (part
  ``note``) are never part of a path. An empty header cell beside a text cell of the same row, under which a
  cell of the next header row straddles both, belongs to that text cell (a stray rule cut a merged header).
- **row paths**: the texts of the stub columns (the leading columns before the first column of values), left
  to right, a cell spanning several stub columns counted once (``三、本年度办理结果 › （三）不予公开 ›
  1.属于国家秘密``). A table without a column of values has no stub: its row paths are empty.
"""

from __future__ import annotations

import re

from schemas.model import Table, TableCell, TablePart

# a value cell: a number (with sign, separators, percent), a dash placeholder or a slash
_VALUE = re.compile(r"^[<>≤≥=+\-−~～]?\s*\d[\d,.\s]*(?:%|‰)?\*?$|^[-—–/／]{1,3}$")


def column_paths(table: Table) -> list[list[str]]:
    """One path per column: the distinct header texts over it, top to bottom (empty when no header)."""
    n_cols = max((len(r) for r in table.header + table.rows), default=0)
    if not table.header:
        return []
    grid = _header_grid(table, len(table.header), n_cols)
    out: list[list[str]] = []
    for c in range(n_cols):
        path: list[str] = []
        seen: set[int] = set()
        for r in range(len(grid)):
            cell = grid[r][c]
            if cell is None or id(cell) in seen or not cell.text:
                continue
            seen.add(id(cell))
            path.append(cell.text)
        out.append(path)
    return out


def _header_grid(table: Table, n_rows: int, n_cols: int) -> list[list[TableCell | None]]:
    """Each header position mapped to the header cell covering it; stray empty cells given to their
    neighbour (see the module docstring)."""
    grid: list[list[TableCell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for cell in table.cells:
        if cell.part != TablePart.HEADER:
            continue
        for r in range(cell.row, min(cell.row + cell.rowspan, n_rows)):
            for c in range(cell.col, min(cell.col + cell.colspan, n_cols)):
                grid[r][c] = cell
    for r in range(n_rows - 1):
        _absorb_stray_empties(grid, r, n_cols)
    return grid


def _absorb_stray_empties(grid: list[list[TableCell | None]], r: int, n_cols: int) -> None:
    for c in range(n_cols - 1):
        left, right = grid[r][c], grid[r][c + 1]
        if left is None or right is None or left is right or left.rowspan != right.rowspan:
            continue
        below_row = r + left.rowspan
        if below_row >= len(grid):
            continue
        below = grid[below_row][c]
        if below is None or below is not grid[below_row][c + 1]:
            continue  # no cell of the next header row straddles the boundary
        if not left.text and right.text:
            empty, full = left, right
        elif left.text and not right.text:
            empty, full = right, left
        else:
            continue
        for cc in range(n_cols):
            if grid[r][cc] is empty:
                grid[r][cc] = full


def stub_width(table: Table) -> int:
    """The number of leading stub columns: those before the first column whose body cells are mostly
    values (0 when no column is)."""
    rows = table.rows
    if not rows:
        return 0
    n_cols = max(len(r) for r in rows)
    for c in range(n_cols):
        texts = [t for r in rows if c < len(r) and (t := r[c])]
        values = sum(1 for t in texts if _VALUE.match(t))
        if texts and values * 2 >= len(texts):
            return c
    return 0


def row_paths(table: Table) -> list[list[str]]:
    """One path per body row: the distinct stub texts, left to right (empty when the table has no stub)."""
    stub = stub_width(table)
    if stub == 0:
        return []
    out: list[list[str]] = []
    for row in table.rows:
        path: list[str] = []
        for c in range(min(stub, len(row))):
            text = row[c]
            if text and (not path or path[-1] != text):
                path.append(text)
        out.append(path)
    return out
