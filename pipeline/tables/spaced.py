"""Space-aligned text lines → table grids (the ``RawTable`` cells of a text table, with their spans).

Reads: the lines of a text extraction that hold no tab (a monospaced dump, a layout-mode extraction, a table
typed with spaces). Writes: the blocks of lines that form a table, each as grid rows of anchors
``(first column, end column, text)`` and the 1-based line number of each grid row. Pure: nothing here knows a
particular gazette; ``pipeline.load.text`` turns the blocks into ``RawTable`` s.

1. **runs and gutters**: a line is cut into runs at two or more spaces (or an ideographic space); positions are
   display columns, a wide character (CJK, full-width) counting two — or one, for extractions that give every
   character one column (a layout-mode PDF extraction): both are tried and the reading that puts more lines
   into tables wins. The column bands of a block are the union of its runs; a gutter is a gap of two or more
   columns that no row of the block crosses.
2. **a block** grows down from a line of two or more runs while every line keeps the gutters open (a wrapped
   cell's next line lies inside one band); a line crossing gutters stays in the block when its texts start at
   columns (cells over several columns, and the next lines of such a cell), or when it is a run of short labels
   (a sub-table's caption, a header cell over several columns) over a line starting at the same columns; header
   lines over the block whose texts cross its gutters (``申请人情况`` over seven columns) join it. Columns are then
   refined by the left edges shared inside a band (a row label printed over several stub columns hides their
   gutters on its own line only); a heading or a paragraph printed across the columns ends the block.
3. **rows**: a line whose texts all continue cells of the row above that were cut at their band's right edge
   is joined into that row (a cell wrapped over several lines) — unless every such text ended a sentence there
   and the line fills every column that all rows fill (then it starts the next row of a group); any other line
   starts a grid row. A row label followed by empty stub columns spans them (``stub_spans``).
4. **headers as spans**: ``header_spans`` gives the leading header rows their spans — equal neighbouring texts
   are one cell, a header text stretches right over the empty columns that have header texts under it, and
   down over the empty header positions under it — so a three-level header reads as paths
   (``申请人情况 › 法人或其他组织 › 商业企业``). The tab-separated reader uses it too.
5. **prose is never a table**: a block needs two gutters (one when a header row stands over a column of
   figures), a row under its first, text on both sides of each gutter on two or more rows, and an anchor —
   a header row (short texts of two or more characters, no clause punctuation, no figures), a column of figures,
   or a caption line (``表N`` / ``专栏N`` / ``附表N``) right above; without a caption, three lines of two or more cells
   (wrapped prose shows two such lines by chance: ``强安全生产     2022年加强`` over ``加强加强  2022``). A cell ending in ``，`` or opening with punctuation (running text cut at spaces or wrapped), and figures run
   together in one cell (``95 0 0 0``: columns closer than a gutter) refuse the block.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.grammar.labels import HEADING_START, NUMBERED_LINE, TABLE_CAPTION, TABLE_NOTE

_RUN = re.compile(r"[^ \u3000]+(?: [^ \u3000]+)*")  # text between runs of 2+ spaces (or a 　)
_SENTENCE_END = re.compile(r"[。；！？!?;]$")
_RUN_ON = re.compile(r"[，,、：:]$|^[，,。；;、：:！？!?…]")  # ends mid-sentence, or opens with punctuation
_CLAUSE = re.compile(r"[，,。；;！？!?]")  # punctuation of running text: never in a header or a label cell
_FIGURE = re.compile(r"^[<>≤≥=+\-−~～]?\s*\d[\d,.，．\s]*(?:%|％|‰|万元|元|件|条|个|项|家|人|处)?$|^[-—–/／]{1,3}$")
_GUTTER = 2  # display columns: a gap narrower than this is no gutter
_HEADER_LEN = 20  # characters: a header text is at most this long
_MAX_HEADER_LINES = 8
_LONG_BLOCK = 30  # lines: of a rejected block longer than this only the last ones are tried again as starts

Anchor = tuple[int, int, str]  # (first column, end column (exclusive), text)


@dataclass(frozen=True, slots=True)
class Run:
    """Text between gutters on one line, at display columns ``x0`` … ``x1`` (exclusive)."""

    x0: int
    x1: int
    text: str


@dataclass(slots=True)
class SpacedTable:
    """Lines ``start`` … ``end - 1`` of the input form one table: ``rows`` of anchors, ``line_nos`` per row."""

    start: int
    end: int
    n_cols: int
    rows: list[list[Anchor]]
    line_nos: list[int]


def display_width(text: str, wide: bool = True) -> int:
    """Columns a monospaced dump gives the text: two for a wide (CJK, full-width) character when ``wide``."""
    if not wide:
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def line_runs(line: str, wide: bool = True) -> list[Run]:
    """The line's runs split at two or more spaces or an ideographic space, in display columns."""
    return [
        Run(display_width(line[: m.start()], wide), display_width(line[: m.end()], wide), m.group(0))
        for m in _RUN.finditer(line)
    ]


def bands_of(runs: Sequence[Run]) -> list[tuple[int, int]]:
    """The union of the runs' column ranges, ranges closer than a gutter merged, left to right."""
    out: list[list[int]] = []
    for r in sorted(runs, key=lambda r: (r.x0, r.x1)):
        if out and r.x0 < out[-1][1] + _GUTTER:
            out[-1][1] = max(out[-1][1], r.x1)
        else:
            out.append([r.x0, r.x1])
    return [(a, b) for a, b in out]


def _covered(run: Run, bands: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The bands a run overlaps (first, end exclusive); the nearest band when it lies in a gutter."""
    hit = [k for k, (a, b) in enumerate(bands) if run.x0 < b and run.x1 > a]
    if hit:
        return hit[0], hit[-1] + 1
    mid = (run.x0 + run.x1) / 2
    k = min(range(len(bands)), key=lambda j: min(abs(mid - bands[j][0]), abs(mid - bands[j][1])))
    return k, k + 1


def refine_bands(bands: Sequence[tuple[int, int]], runs: Sequence[Run]) -> list[tuple[int, int]]:
    """Bands split where columns start inside them: a left edge shared by two or more runs, with a text ending a
    gutter before it on two or more lines and crossed by fewer texts than start there (a row label printed
    over several stub columns joins their bands; the columns under it still start at the same place)."""
    out: list[tuple[int, int]] = []
    for a, b in bands:
        inside = [r for r in runs if a <= r.x0 < b]
        starts = [a]
        for x in sorted({r.x0 for r in inside}):
            here = sum(1 for r in inside if r.x0 == x)
            before = sum(1 for r in inside if starts[-1] <= r.x0 and r.x1 <= x - _GUTTER)
            across = sum(1 for r in inside if r.x0 < x and r.x1 > x - _GUTTER)
            if x > starts[-1] and here >= 2 and before >= 2 and across < here:
                starts.append(x)
        out += [(x, (starts[k + 1] - _GUTTER) if k + 1 < len(starts) else b) for k, x in enumerate(starts)]
    return out


def _crosses(runs: Sequence[Run], bands: Sequence[tuple[int, int]]) -> bool:
    """Whether a run of the line crosses a gutter between the bands."""
    return any(b - a > 1 for a, b in (_covered(r, bands) for r in runs))


def is_header_text(text: str) -> bool:
    """A header text: short, no sentence end, not a figure, not a numbered item (a note such as 勾稽关系 is)."""
    t = text.strip()
    if TABLE_NOTE.match(t):
        return True
    return 0 < len(t) <= _HEADER_LEN and not (_CLAUSE.search(t) or _FIGURE.match(t) or NUMBERED_LINE.match(t))


def _header_line(runs: Sequence[Run]) -> bool:
    return bool(runs) and all(is_header_text(r.text) for r in runs)


def _label_line(runs: Sequence[Run]) -> bool:
    """Short labels only (a sub-table's caption ``第二十条第（五）项``, a header over several columns)."""
    return bool(runs) and all(
        0 < len(r.text) <= _HEADER_LEN and not (_CLAUSE.search(r.text) or _FIGURE.match(r.text)) for r in runs
    )


def _caption(runs: Sequence[Run]) -> bool:
    return bool(TABLE_CAPTION.match(" ".join(r.text for r in runs).strip()))


# --------------------------------------------------------------------------- blocks


def _grow(entries: Sequence[tuple[int, list[Run]]], i: int) -> tuple[int, list[tuple[int, int]], set[int]]:
    """The core of a block started at entry ``i``: (end entry, bands, entries that span gutters).

    A line joins while it keeps every gutter open; a line of header texts that crosses gutters joins when the
    line under it keeps them (a sub-table caption or a header cell over several columns inside the table)."""
    bands = bands_of(entries[i][1])
    spanning: set[int] = set()
    j = i + 1
    while j < len(entries):
        runs = entries[j][1]
        if not runs or _caption(runs) or _heading_after_gap(entries, j, bands):
            break
        merged = bands_of([*(Run(a, b, "") for a, b in bands), *runs])
        if len(merged) >= len(bands) and not _crosses(runs, bands):
            bands = merged
            j += 1
            continue
        if _spanning_cells(runs, entries[j - 1][1], bands):
            spanning.add(j)
            j += 1
            continue
        k = _labels_over(entries, j, bands)
        if k == j:
            break
        spanning |= set(range(j, k))
        j = k
    return j, bands, spanning


def _heading_after_gap(entries: Sequence[tuple[int, list[Run]]], j: int, bands: Sequence[tuple[int, int]]) -> bool:
    """A heading (``第三章 主要任务``, ``二、…``) alone on its line after a blank line, wider than the first column:
    the text under the table resumes."""
    runs = entries[j][1]
    gap = entries[j][0] - entries[j - 1][0] > 1
    return gap and len(runs) == 1 and bool(HEADING_START.match(runs[0].text)) and runs[0].x1 > bands[0][1] + _GUTTER


def _spanning_cells(runs: Sequence[Run], above: Sequence[Run], bands: Sequence[tuple[int, int]]) -> bool:
    """Cells over several columns, each starting at a column, or the next line of such a cell."""
    at_columns = len(runs) >= 2 and all(any(r.x0 == a for a, _ in bands) for r in runs)
    return at_columns or _wraps(above, runs)


def _labels_over(entries: Sequence[tuple[int, list[Run]]], j: int, bands: Sequence[tuple[int, int]]) -> int:
    """The end of a run of short label lines crossing the gutters from entry ``j`` when the line under them
    keeps the gutters (``j`` when there is none)."""
    k = j
    while k < len(entries) and k - j < _MAX_HEADER_LINES and _label_line(entries[k][1]):
        if not _crosses(entries[k][1], bands):
            break
        if not all(any(r.x0 == a for a, _ in bands) for r in entries[k][1]):
            return j  # a label printed off the columns: a heading over the next table, not a row of this one
        k += 1
    nxt = entries[k][1] if k < len(entries) else []
    same = len(nxt) >= 2 and not _crosses(nxt, bands) and all(any(r.x0 == a for a, _ in bands) for r in nxt)
    return k if k > j and same and len(bands) >= 2 else j  # the line under them starts at the same columns


def _header_up(entries: Sequence[tuple[int, list[Run]]], i: int, floor: int, bands: Sequence[tuple[int, int]]) -> int:
    """The first entry of the block: header lines above the core whose texts lie over its columns."""
    lo, hi = bands[0][0] - _GUTTER, bands[-1][1] + _GUTTER
    k = i
    while k > floor and i - k < _MAX_HEADER_LINES:
        runs = entries[k - 1][1]
        if _caption(runs) or not _header_line(runs) or runs[0].x0 < lo or runs[-1].x1 > hi:
            break
        if (
            len(runs) == 1
            and not TABLE_NOTE.match(runs[0].text)
            and (not _crosses(runs, bands) or runs[0].x0 <= lo + _GUTTER)
        ):
            break  # one text inside one column, or from the left edge: a heading or a title, not a header cell
        k -= 1
    return k


@dataclass(slots=True)
class _Row:
    anchors: list[Anchor]
    line_no: int
    edges: dict[int, int]  # column → x1 of the text last added there


def _anchors(runs: Sequence[Run], bands: Sequence[tuple[int, int]], spanning: bool) -> list[Anchor]:
    """A line's runs as anchors on the bands; on a line crossing gutters each text stretches to the next one."""
    out: list[Anchor] = []
    for r in runs:
        c0, c1 = _covered(r, bands)
        if out and c0 < out[-1][1]:  # two runs on one band: one cell
            a0, a1, t = out[-1]
            out[-1] = (a0, max(a1, c1), f"{t} {r.text}")
            continue
        out.append((c0, c1, r.text))
    if spanning:
        out = [(c0, out[k + 1][0] if k + 1 < len(out) else len(bands), t) for k, (c0, _, t) in enumerate(out)]
    return out


def _continues(
    row: _Row, anchors: list[Anchor], runs: Sequence[Run], bands: Sequence[tuple[int, int]], dense: set[int]
) -> bool:
    """Whether a line only continues cells of the row above that were cut at their band's right edge, and one
    of them mid-sentence — texts all ending a sentence at the edge start the next row, unless the line leaves
    empty a ``dense`` column (one every row fills: a new row would fill it)."""
    if len(anchors) > len([a for a in row.anchors if a[2]]):
        return False
    by_col = {a[0]: a for a in row.anchors}
    forced = bool(dense - {a[0] for a in anchors})  # a dense column left empty: no new row
    open_text = False
    for (c0, c1, _), run in zip(anchors, runs, strict=False):
        above = by_col.get(c0)
        if above is None or not above[2] or run.x1 > bands[above[1] - 1][1] + _GUTTER:
            return False
        if row.edges.get(c0, 0) < bands[min(c1, above[1]) - 1][1] - _GUTTER:
            return False
        if not forced and (NUMBERED_LINE.match(run.text) or _FIGURE.match(run.text)):
            return False  # a new item or a figure starts a row
        open_text = open_text or not _SENTENCE_END.search(above[2])
    return open_text or forced


def _rows(
    entries: Sequence[tuple[int, list[Run]]], bands: Sequence[tuple[int, int]], spanning: set[int], start: int
) -> list[_Row]:
    """Grid rows of the block's entries (lines crossing gutters read as cells over several columns); read twice:
    the first reading finds the columns every row fills (``_continues``)."""
    first = _read_rows(entries, bands, spanning, start, set())
    dense = {c for c in range(len(bands)) if sum(1 for r in first if _filled(r, c)) >= 0.9 * len(first)}
    return _read_rows(entries, bands, spanning, start, dense)


def _filled(row: _Row, col: int) -> bool:
    return any(a[0] <= col < a[1] and a[2] for a in row.anchors)


def _read_rows(
    entries: Sequence[tuple[int, list[Run]]],
    bands: Sequence[tuple[int, int]],
    spanning: set[int],
    start: int,
    dense: set[int],
) -> list[_Row]:
    rows: list[_Row] = []
    for k, (line_no, runs) in enumerate(entries):
        span = (k + start) in spanning or _crosses(runs, bands)
        anchors = _anchors(runs, bands, span)
        if rows and len(runs) == len(anchors) and _continues(rows[-1], anchors, runs, bands, dense):
            row = rows[-1]
            for (c0, _, text), run in zip(anchors, runs, strict=True):
                idx = next(n for n, a in enumerate(row.anchors) if a[0] == c0)
                a0, a1, t = row.anchors[idx]
                row.anchors[idx] = (a0, a1, t + text)
                row.edges[c0] = run.x1
            continue
        edges = {c0: r.x1 for (c0, _, _), r in zip(anchors, runs, strict=False)}
        rows.append(_Row(anchors, line_no + 1, edges))
    return rows


def _merged_figures(rows: list[_Row]) -> bool:
    """Whether a cell holds several figures side by side (``95 0 0 0``): columns closer than a gutter, read
    as one; such a block is left as lines of text rather than read with wrong columns."""
    return any(
        len(parts := t.split()) >= 2 and all(_FIGURE.match(p) for p in parts) for r in rows for _, _, t in r.anchors
    )


def _evidence(rows: list[_Row], n_cols: int, caption: bool) -> bool:
    """Whether grid rows form a table (module docstring, point 5)."""
    body = [r for r in rows if len(r.anchors) >= 2]
    if not _plausible(rows, body, n_cols):
        return False
    header, figures = _anchors_of(rows, body, n_cols)
    sides = _gutter_sides(body, n_cols)
    if len(body) < 3 and not caption:
        return False  # two lines of cells: only under a caption (wrapped prose shows such pairs by chance)
    need = 1 if header and figures else 2
    if sum(1 for s in sides if s >= 2) < need:
        return False
    if min(sides, default=0) == 0 and n_cols > 2 and not header:
        return False  # a gutter no row has text on both sides of
    return caption or header or figures


def _anchors_of(rows: list[_Row], body: list[_Row], n_cols: int) -> tuple[bool, bool]:
    """(a header row: short texts of two or more characters; a column of figures, or figures last under it)."""
    first = [t.strip() for _, _, t in rows[0].anchors]
    header = len(first) >= 2 and all(is_header_text(t) and len(t) >= 2 for t in first)
    last = all(_FIGURE.match(r.anchors[-1][2]) for r in body[1:])
    return header, _figure_column(rows, n_cols) or (header and last)


def _plausible(rows: list[_Row], body: list[_Row], n_cols: int) -> bool:
    """Two rows of two or more cells, no figures run together, some text that is not a header text."""
    if len(rows) < 2 or len(body) < 2 or n_cols < 2 or _merged_figures(rows):
        return False
    if any(_RUN_ON.search(t) for r in rows for _, _, t in r.anchors):
        return False  # a cell ending mid-sentence (``，``) or only punctuation: running text cut at spaces
    return not all(is_header_text(t) for r in rows for _, _, t in r.anchors)


def _gutter_sides(body: list[_Row], n_cols: int) -> list[int]:
    """For each gutter, the rows with a text on both sides of it."""
    sides = [0] * (n_cols - 1)
    for r in body:
        used = sorted(a[0] for a in r.anchors)
        for left, right in itertools.pairwise(used):
            for g in range(left, right):
                sides[g] += 1
    return sides


def _figure_column(rows: list[_Row], n_cols: int) -> bool:
    """A column whose texts, on two or more rows, are mostly figures."""
    for c in range(n_cols):
        texts = [t.strip() for r in rows for a0, _, t in r.anchors if a0 == c]
        figures = sum(1 for t in texts if _FIGURE.match(t))
        if figures >= 2 and figures >= 0.6 * len(texts):
            return True
    return False


def find_tables(lines: Sequence[str], wide: bool = True) -> list[SpacedTable]:
    """The space-aligned tables among ``lines`` (indices into ``lines``): a line with a tab or a form feed is
    never read and no block runs over it."""
    entries = [
        (k, [] if "\t" in line or "\f" in line else line_runs(line, wide))
        for k, line in enumerate(lines)
        if line.strip()
    ]
    out: list[SpacedTable] = []
    i = floor = 0
    while i < len(entries):
        if len(entries[i][1]) < 2 or _caption(entries[i][1]):
            i += 1
            continue
        end, bands, spanning = _grow(entries, i)
        top = _header_up(entries, i, floor, bands)
        spanning |= set(range(top, i))
        end, bands = _columns(entries, (top, i, end), bands, spanning)
        rows = _rows(entries[top:end], bands, spanning, top)
        caption = top > 0 and _caption(entries[top - 1][1])
        contiguous = all(entries[k + 1][0] - entries[k][0] <= 4 for k in range(top, end - 1))
        if contiguous and _evidence(rows, len(bands), caption):
            out.append(_table(entries, top, end, bands, rows))
            i = floor = end
        else:  # a long block that is no table (columns of prose): only its last lines are tried again as starts
            i = max(i + 1, end - _LONG_BLOCK)
    return out


def _columns(
    entries: Sequence[tuple[int, list[Run]]],
    span: tuple[int, int, int],
    bands: list[tuple[int, int]],
    spanning: set[int],
) -> tuple[int, list[tuple[int, int]]]:
    """The block's end and its columns (bands refined by the left edges of its rows); when a line of text across
    the columns ends the block early, the columns are those of the lines above it."""
    top, i, end = span
    fine = refine_bands(bands, [r for k in range(top, end) if k not in spanning for r in entries[k][1]])
    cut = _text_across(entries, i, end, fine)
    if cut == end:
        return end, fine
    kept = [r for k in range(top, cut) if k not in spanning for r in entries[k][1]]
    return cut, refine_bands(bands_of([r for k in range(i, cut) if k not in spanning for r in entries[k][1]]), kept)


def _wraps(above: Sequence[Run], runs: Sequence[Run]) -> bool:
    """Whether a one-run line is the next line of a cell of the line above: a text there starts where it
    starts and is at least as wide."""
    return len(runs) == 1 and any(r.x0 == runs[0].x0 and r.x1 >= runs[0].x1 - _GUTTER for r in above)


def _text_across(entries: Sequence[tuple[int, list[Run]]], i: int, end: int, bands: Sequence[tuple[int, int]]) -> int:
    """The block ends at a line of text printed across its columns (a heading or a paragraph under the table),
    unless it is a short label starting at a column or the next line of a cell wrapped over several columns."""
    starts = {a for a, _ in bands}
    for k in range(i + 1, end):
        runs = entries[k][1]
        if len(runs) == 1 and _crosses(runs, bands) and not (_label_line(runs) and runs[0].x0 in starts):
            # the next line of a cell wrapped over several columns: the text above starts where it starts
            # and is at least as wide
            if not _wraps(entries[k - 1][1], runs):
                return k
    return end


def _table(
    entries: Sequence[tuple[int, list[Run]]], top: int, end: int, bands: Sequence[tuple[int, int]], rows: list[_Row]
) -> SpacedTable:
    grid = stub_spans(header_spans([r.anchors for r in rows], len(bands)), len(bands))
    return SpacedTable(entries[top][0], entries[end - 1][0] + 1, len(bands), grid, [r.line_no for r in rows])


def best_tables(lines: Sequence[str]) -> list[SpacedTable]:
    """The tables read with wide characters as two columns, or as one when that puts clearly more lines in tables."""
    two = find_tables(lines, wide=True)
    one = find_tables(lines, wide=False)

    def covered(ts: list[SpacedTable]) -> int:
        return sum(t.end - t.start for t in ts)

    # character columns only when they put clearly more lines in tables (a layout-mode extraction); a wrong
    # width convention can stretch a block over a line or two of the text around it
    return one if covered(one) > covered(two) + max(2, covered(two) // 4) else two


# --------------------------------------------------------------------------- header spans


def _header_rows(rows: Sequence[Sequence[Anchor]], n_cols: int) -> int:
    """Leading header rows: the first row of header texts, then each header row under a row that shows a span
    (an empty position, a text over several columns, equal neighbouring texts); at least one row stays body."""
    if not rows or not rows[0] or not all(is_header_text(t) for _, _, t in rows[0] if t):
        return 0
    n = 1
    while n < len(rows) - 1 and rows[n] and all(is_header_text(t) for _, _, t in rows[n] if t):
        above = [a for a in rows[n - 1] if a[2]]
        covered = sum(a[1] - a[0] for a in above)
        texts = [a[2] for a in above]
        if covered == n_cols and all(a[1] - a[0] == 1 for a in above) and len(set(texts)) == len(texts):
            break
        n += 1
    return n


def header_spans(rows: list[list[Anchor]], n_cols: int) -> list[list[Anchor]]:
    """The rows with their header cells spread over the columns they head (module docstring, point 4); the
    rows a header cell runs down are given by ``header_rowspans``. Body rows are returned unchanged."""
    n_header = _header_rows(rows, n_cols)
    if n_header == 0:
        return rows
    grid: list[list[str | None]] = [[None] * n_cols for _ in range(n_header)]
    for r in range(n_header):
        for c0, c1, text in rows[r]:
            for c in range(c0, min(c1, n_cols)):
                grid[r][c] = text if text else None
    merged = [_merge_row(grid, r, n_cols, n_header) for r in range(n_header)]
    return [*merged, *rows[n_header:]]


def _merge_row(grid: list[list[str | None]], r: int, n_cols: int, n_header: int) -> list[Anchor]:
    """Header row ``r`` as anchors: equal neighbours joined, texts stretched right over empty columns that have
    header texts below them."""
    out: list[Anchor] = []
    c = 0
    while c < n_cols:
        text = grid[r][c]
        if text is None:
            c += 1
            continue
        end = c + 1
        while end < n_cols and (
            grid[r][end] == text or (grid[r][end] is None and any(grid[k][end] for k in range(r + 1, n_header)))
        ):
            end += 1
        out.append((c, end, text))
        c = end
    return out


def stub_spans(rows: list[list[Anchor]], n_cols: int) -> list[list[Anchor]]:
    """Body rows with their row labels stretched right over the empty stub columns after them (a label printed
    over several stub columns: ``一、本年新收…`` over the three label columns of a template table). The stub is
    the columns before the first column of mostly figures; rows without a figure are left alone."""
    n_header = _header_rows(rows, n_cols)
    body = rows[n_header:]
    stub = next((c for c in range(n_cols) if _mostly_figures([t for r in body for a0, _, t in r if a0 == c])), 0)
    out = rows[:n_header]
    for row in body:
        if stub < 2 or not any(_FIGURE.match(t.strip()) for _, _, t in row):
            out.append(row)
            continue
        firsts = sorted(a[0] for a in row if a[2])
        out.append(
            [
                (c0, max(c1, min([x for x in firsts if x > c0] + [stub])), t) if t and c0 < stub else (c0, c1, t)
                for c0, c1, t in row
            ]
        )
    return out


def _mostly_figures(texts: list[str]) -> bool:
    texts = [t for t in texts if t.strip()]
    return bool(texts) and 2 * sum(1 for t in texts if _FIGURE.match(t.strip())) >= len(texts)


def grid_cells(rows: list[list[Anchor]], n_cols: int) -> list[tuple[int, int, int, int, str]]:
    """The grid's cells ``(row, col, rowspan, colspan, text)``, every position covered once: a header cell runs
    down over the header positions under it that are empty or repeat its text over the same columns; an
    anchor whose first position is already covered is dropped; empty positions become empty cells."""
    n_header = _header_rows(rows, n_cols)
    covered: set[tuple[int, int]] = set()
    out: list[tuple[int, int, int, int, str]] = []
    for r, row in enumerate(rows):
        for c0, c1, text in row:
            c1 = min(c1, n_cols)
            if not text or (r, c0) in covered or c0 >= c1:
                continue
            cols = [c for c in range(c0, c1) if (r, c) not in covered]
            c1 = c0 + next((k for k, c in enumerate(cols) if c != c0 + k), len(cols))
            down = 1
            while r < n_header and r + down < n_header and _free_below(rows[r + down], c0, c1, text):
                down += 1
            covered |= {(r + k, c) for k in range(down) for c in range(c0, c1)}
            out.append((r, c0, down, c1 - c0, text))
    for r in range(len(rows)):
        out += [(r, c, 1, 1, "") for c in range(n_cols) if (r, c) not in covered]
    return sorted(out)


def _free_below(row: Sequence[Anchor], c0: int, c1: int, text: str) -> bool:
    """Whether columns c0 … c1 of a header row are empty or hold exactly the same text over the same columns."""
    inside = [a for a in row if a[0] < c1 and a[1] > c0 and a[2]]
    if not inside:
        return True
    return len(inside) == 1 and inside[0] == (c0, c1, text)
