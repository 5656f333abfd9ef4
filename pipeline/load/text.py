"""Stage 1 (text): a plain-text extraction → ``LoadedSource`` in the same page/line model as a PDF.

Reads: a text file (UTF-8 or GB18030/GBK, detected by ``pipeline.load.guard.read_text``).
Writes: pages split at form feeds and after stand-alone printed page labels (``- 7 -``, ``— 7 —``);
each non-blank line a ``Line`` with its 1-based ``line_no``; runs of tab-separated lines (blank lines
between rows allowed) a ``RawTable`` of style TEXT; Markdown pipe rows (``| a | b |``, rule rows ``|---|`` skipped)
are read as tab-separated rows; space-aligned tables (``pipeline.tables.spaced``: columns from gutters of two or
more spaces in display columns, wrapped cells joined, cells over several columns as spans) are ``RawTable`` s too;
header rows get their spans (a merged header cell's text repeated, or printed once over the columns it heads).
Guaranteed after:
  1. no geometry or font facts are invented (they stay None);
  2. a contents list whose rows end in page labels stays text (it is not a table);
  3. table rows are aligned to the table's columns: text extractions often shift cells (a missing or an
     extra tab), so cells that start with a numbering marker (``一、`` / ``（一）`` / ``1.``) are put in
     the column where that marker kind is printed, plain cells keep their position;
  4. ``<p>…</p>`` paragraphs inside a cell become lines separated by ``\\n``; rows made only of dashes
     (decorative rules) are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from pipeline.grammar.labels import CELL_MARKERS, MARK_NUM
from pipeline.grammar.pages import DASHED_PAGE_LABEL as STANDALONE_PAGE_LABEL
from pipeline.grammar.pages import PLAIN_PAGE_LABEL as PAGE_LABEL
from pipeline.load import guard
from pipeline.load.digest import bytes_to_sha256
from pipeline.tables.spaced import Anchor, SpacedTable, best_tables, grid_cells, header_spans
from pipeline.types import Line, LoadedSource, Page, RawCell, RawTable, RawTableStyle

_TAG_P = re.compile(r"</?p\s*>", re.I)
_DASHES = re.compile(r"^[-—–－\s]+$")

_MARKERS = CELL_MARKERS


def cell_text(raw: str) -> str:
    """``<p>a</p> <p>b</p>`` → ``a\\nb``; other cells unchanged (stripped)."""
    if "<p" not in raw.lower():
        return raw.strip()
    parts = [p.strip() for p in _TAG_P.split(raw)]
    return "\n".join(p for p in parts if p)


def marker_of(text: str) -> str | None:
    """The numbering marker kind a cell starts with; a cell whose later paragraph starts with ``N.`` is NUM."""
    for kind, rx in _MARKERS:
        if rx.match(text):
            return kind
    if any(_MARKERS[2][1].match(p) for p in text.split("\n")[1:]):
        return MARK_NUM
    return None


def _column_markers(rows: list[list[str]], n_cols: int) -> list[str | None]:
    """For each column, the marker kind most of its non-empty cells start with (None: plain column)."""
    counts = [Counter[str | None]() for _ in range(n_cols)]
    for row in rows:
        if len(row) != n_cols:
            continue
        for j, cell in enumerate(row):
            if cell:
                counts[j][marker_of(cell)] += 1
    out: list[str | None] = []
    for c in counts:
        total = sum(c.values())
        kind, n = c.most_common(1)[0] if c else (None, 0)
        out.append(kind if kind is not None and total and n / total >= 0.5 else None)
    return out


def align_row(row: list[str], n_cols: int, col_marker: list[str | None]) -> list[str]:
    """Place the row's non-empty cells in columns (monotonic), by marker kind first, position second."""
    cells = [(i, c) for i, c in enumerate(row) if c]
    if not cells:
        return [""] * n_cols
    if len(cells) > n_cols:  # more texts than columns: keep positions, fold the overflow into the last column
        out = [""] * n_cols
        for i, c in cells:
            j = min(i, n_cols - 1)
            out[j] = f"{out[j]}\n{c}" if out[j] else c
        return out

    def cost(k: int, j: int) -> float:
        i, text = cells[k]
        kind = marker_of(text)
        if kind is not None:
            return 0.0 if col_marker[j] == kind else 5.0 + abs(j - i)
        return abs(j - i) + (0.3 if col_marker[j] is not None else 0.0)

    m = len(cells)
    inf = float("inf")
    # best[k][j]: cost of placing cells[0..k] with cell k in column j
    best = [[inf] * n_cols for _ in range(m)]
    back = [[-1] * n_cols for _ in range(m)]
    for j in range(n_cols):
        best[0][j] = cost(0, j)
    for k in range(1, m):
        run_min, run_arg = inf, -1
        for j in range(n_cols):
            if j - 1 >= 0 and best[k - 1][j - 1] < run_min:
                run_min, run_arg = best[k - 1][j - 1], j - 1
            if run_arg >= 0:
                best[k][j] = run_min + cost(k, j)
                back[k][j] = run_arg
    j = min(range(n_cols), key=lambda c: (best[m - 1][c], c))
    out = [""] * n_cols
    for k in range(m - 1, -1, -1):
        out[j] = cells[k][1]
        j = back[k][j]
    return out


def _column_count(rows: list[list[str]]) -> int:
    """Reads the kept text rows; returns the table's column count (the header's when there is one)."""
    widths = Counter(len(r) for r in rows)
    n_cols = len(rows[0]) if rows and all(rows[0]) else widths.most_common(1)[0][0] if rows else 0
    # the header (first row whose cells are all filled) fixes the column count when there is one
    for r in rows[:3]:
        if r and all(r) and len(r) > 1:
            n_cols = len(r)
            break
    return n_cols


def _aligned_cells(rows: list[list[str]], line_nos: list[int], page_index: int, n_cols: int) -> list[RawCell]:
    """Reads the kept text rows; returns their cells aligned to ``n_cols`` columns, each with its source line;
    header cells spread over the columns they head (``pipeline.tables.spaced.header_spans``)."""
    col_marker = _column_markers(rows, n_cols)
    anchors: list[list[Anchor]] = []
    for row in rows:
        aligned = row if len(row) == n_cols and not _misaligned(row, col_marker) else align_row(row, n_cols, col_marker)
        anchors.append([(c, c + 1, text) for c, text in enumerate(aligned)])
    return grid_to_cells(anchors, line_nos, page_index, n_cols)


def grid_to_cells(rows: list[list[Anchor]], line_nos: list[int], page_index: int, n_cols: int) -> list[RawCell]:
    """Grid rows of anchors → ``RawCell`` s covering every position once, each with its source line."""
    spread = header_spans(rows, n_cols)
    cells: list[RawCell] = []
    for r, c, rowspan, colspan, text in grid_cells(spread, n_cols):
        lines = [Line(text=text, page_index=page_index, line_no=line_nos[r])] if text else []
        cells.append(RawCell(row=r, col=c, text=text, rowspan=rowspan, colspan=colspan, lines=lines))
    return cells


def spaced_to_raw_table(table: SpacedTable, page_index: int) -> RawTable:
    """A space-aligned block (``pipeline.tables.spaced``) → a ``RawTable`` of style TEXT."""
    rows = [[(c0, c1, cell_text(t)) for c0, c1, t in row] for row in table.rows]
    return RawTable(
        page_index=page_index,
        n_rows=len(rows),
        n_cols=table.n_cols,
        cells=grid_to_cells(rows, table.line_nos, page_index, table.n_cols),
        style=RawTableStyle.TEXT,
        first_line_no=table.line_nos[0] if table.line_nos else None,
    )


def rows_to_raw_table(rows: list[list[str]], line_nos: list[int], page_index: int) -> RawTable:
    """Tab-split rows → an aligned ``RawTable`` (style TEXT, one grid row per text row)."""
    rows = [[cell_text(c) for c in r] for r in rows]
    keep = [k for k, r in enumerate(rows) if not all(_DASHES.match(c) or not c for c in r)]
    rows = [rows[k] for k in keep]
    line_nos = [line_nos[k] for k in keep]
    n_cols = _column_count(rows)
    return RawTable(
        page_index=page_index,
        n_rows=len(rows),
        n_cols=n_cols,
        cells=_aligned_cells(rows, line_nos, page_index, n_cols),
        style=RawTableStyle.TEXT,
        first_line_no=line_nos[0] if line_nos else None,
    )


def _misaligned(row: list[str], col_marker: list[str | None]) -> bool:
    """A full-width row is misaligned when a marker cell sits in a column printed with another marker."""
    for j, cell in enumerate(row):
        if cell:
            kind = marker_of(cell)
            if kind is not None and col_marker[j] is not None and kind != col_marker[j]:
                return True
            if kind is not None and col_marker[j] is None and kind in col_marker:
                return True
    return False


def _is_contents_run(rows: list[list[str]]) -> bool:
    """Two-cell tab rows whose second cell is a page label are a contents list, not a table."""
    labelled = sum(1 for r in rows if len(r) == 2 and r[0].strip() and PAGE_LABEL.match(r[-1].strip()))
    return labelled >= max(1, int(0.8 * len(rows)))


def text_to_pages(text: str) -> list[Page]:
    """Split a text extraction into pages of lines and text tables (pure; see the module docstring)."""
    pages: list[Page] = [Page(index=0, width=None, height=None)]
    raw_lines = [pipe_row_to_tabs(line) for line in text.split("\n")]
    next_filled = _next_filled(raw_lines)
    spaced = {t.start: t for t in best_tables([_breaker(line) for line in raw_lines])}
    i = 0
    while i < len(raw_lines):
        line = raw_lines[i]
        if i in spaced:
            pages[-1].tables.append(spaced_to_raw_table(spaced[i], pages[-1].index))
            i = spaced[i].end
            continue
        if "\f" in line:
            chunks = line.split("\f")
            for k, chunk in enumerate(chunks):
                if k > 0:
                    pages.append(Page(index=len(pages), width=None, height=None))
                _add_line(pages, chunk, i + 1)
            i += 1
            continue
        if "\t" not in line:
            _add_line(pages, line, i + 1)
            i += 1
            continue
        i = _tab_run(pages[-1], raw_lines, next_filled, i)
    return [p for p in pages if p.lines or p.tables or p.index == 0]


def _tab_run(page: Page, raw_lines: list[str], next_filled: list[int], i: int) -> int:
    """Read the run of tab-separated rows starting at line ``i`` (blank lines inside allowed) into the page (a
    table, or lines when it is a contents list); returns the index of the line after it."""
    run: list[list[str]] = []
    nos: list[int] = []
    j = i
    while j < len(raw_lines):
        cur = raw_lines[j]
        if "\t" in cur and "\f" not in cur:
            run.append(cur.split("\t"))
            nos.append(j + 1)
            j += 1
        elif not cur.strip() and next_filled[j] < len(raw_lines) and "\t" in raw_lines[next_filled[j]]:
            j = next_filled[j]
        else:
            break
    if _is_contents_run(run):
        for row, no in zip(run, nos, strict=True):
            page.lines.append(Line(text="\t".join(row).rstrip(), page_index=page.index, line_no=no))
    else:
        page.tables.append(rows_to_raw_table(run, nos, page.index))
    return j


_PIPE_ROW = re.compile(r"^\s*\|(.+)\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-{3,}:?\s*\|?\s*$|^\s*\|(?:\s*:?-{3,}:?\s*\|)+\s*$")


def pipe_row_to_tabs(line: str) -> str:
    """A Markdown pipe-table row (``| a | b |``) as a tab-separated row; its rule row (``|---|:--:|``) as a blank
    line (a blank line inside a run of tab rows keeps the run); any other line unchanged."""
    if "|" not in line or "\t" in line:
        return line
    if _PIPE_RULE.match(line):
        return ""
    m = _PIPE_ROW.match(line)
    if m is None:
        return line
    cells = [c.strip() for c in m.group(1).split("|")]
    return "\t".join(cells) if len(cells) >= 2 else line


def _breaker(line: str) -> str:
    """A line no space-aligned table runs over (a form feed, a stand-alone page label) as a form feed."""
    return "\f" if "\f" in line or STANDALONE_PAGE_LABEL.match(line) else line


def _add_line(pages: list[Page], text: str, line_no: int) -> None:
    if not text.strip():
        return
    pages[-1].lines.append(Line(text=text.rstrip(), page_index=pages[-1].index, line_no=line_no))
    if STANDALONE_PAGE_LABEL.match(text):
        pages.append(Page(index=len(pages), width=None, height=None))


def _next_filled(raw_lines: list[str]) -> list[int]:
    """For each line, the index of the first non-blank line at or after it (len(raw_lines) if none)."""
    out = [len(raw_lines)] * (len(raw_lines) + 1)
    for k in range(len(raw_lines) - 1, -1, -1):
        out[k] = k if raw_lines[k].strip() else out[k + 1]
    return out


def text_to_source(path: Path) -> LoadedSource:
    """Load a text extraction. Raises ``GazetteError`` (E002, E003, E008) for unusable input."""
    data = path.read_bytes()
    text = guard.read_text(path)
    pages = text_to_pages(text)
    for i, p in enumerate(pages):
        p.index = i
        for ln in p.lines:
            ln.page_index = i
        for t in p.tables:
            t.page_index = i
    return LoadedSource(path=str(path), sha256=bytes_to_sha256(data), kind="text", pages=pages, n_pages=None)
