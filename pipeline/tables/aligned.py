"""Text lines → borderless table blocks (tables without any rule, found by the column alignment of their text).

Reads: the printed lines of one page region in reading order, each as word runs ``(x0, x1, text)`` split at
wide gaps (``TextLine``). Writes: the blocks of consecutive lines that form a text grid, each with its column
bands. Pure: nothing here reads a PDF, and nothing knows a particular gazette.

A block is a table only on evidence of columns, never of width alone:

1. **gutters**: two or more vertical white gaps (three or more column bands) that no line of the block crosses,
   each with text on both sides on three or more lines — a justified paragraph has no gutter, a two-column
   page has one (only a header row over a column of figures makes a two-column table);
2. **short cells**: not every band is filled from edge to edge line after line (columns of justified prose);
3. **an anchor**: the line above is a caption (``表N``, ``专栏N``, ``附表N``), or the first line is a header row
   (short texts, no sentence punctuation, no figures), or a column of figures runs down the block, or the
   block opens the page's text band (the continuation of a table cut by a page break);
4. no contents list: runs of dot leaders (目录 lines) are not cells.

A word run crossing a gutter ends the block (prose, a caption, a heading) unless it is a **cell spanning
columns**: it starts at a column's left edge, stops short of the next column it does not cover, leaves at
least one column out, and either shares its line with another cell or continues, at the cell's line
pitch, a run starting at the same x on the line above. Such runs do not merge the columns they cross.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.grammar.labels import TABLE_CAPTION
from pipeline.grammar.toc import LEADERS

_SENTENCE = re.compile(r"[。；！？!?;]")
_FIGURE = re.compile(
    r"^[\s\d.,，．%％+\-−~～≥≤<>＜＞≈/()（）元万亿个人次项年月日天小时分钟‰°]*\d[\s\d.,，．%％‰]*[^\d]{0,4}$"
)
_BAND_TOL = 2.0  # points: a run this far outside a band still belongs to it
_MIN_GUTTER_LINES = 3
_MAX_GAP_LINES = 2.6  # a vertical gap wider than this many line heights ends a block
_CELL_PITCH = 0.6  # a white gap under this many line heights separates two lines of one cell


@dataclass(slots=True)
class TextLine:
    """A printed line of a region: its top and bottom and its word runs ``(x0, x1, text)`` left to right."""

    top: float
    bottom: float
    runs: list[tuple[float, float, str]]


@dataclass(slots=True)
class Block:
    """Lines ``start`` … ``end - 1`` of a region form one borderless table with these column ``bands``."""

    start: int
    end: int
    bands: list[tuple[float, float]]


def column_bands(lines: Sequence[TextLine]) -> list[tuple[float, float]]:
    """The union of the lines' word-run x-ranges, overlapping ranges (within 2 pt) merged, left to right."""
    spans = sorted((r[0], r[1]) for ln in lines for r in ln.runs)
    bands: list[list[float]] = []
    for a, b in spans:
        if bands and a <= bands[-1][1] + _BAND_TOL:
            bands[-1][1] = max(bands[-1][1], b)
        else:
            bands.append([a, b])
    return [(a, b) for a, b in bands]


def aligned_blocks(lines: Sequence[TextLine], page_top: bool = True) -> list[Block]:
    """The borderless tables among ``lines`` (see the module docstring for the evidence required).

    Reads: the lines top to bottom; ``page_top``: the first line opens a page's text band, where a table cut
    by a page break continues (its anchor, and the cut lines of its last cell above its first full row).
    Returns: the blocks top to bottom, not overlapping; each block's first line has two or more runs and
    the block keeps the wrapped lines of its cells (lines of one run inside one band).
    Guaranteed: a block has three or more bands and every line of it lies inside the bands (no run crosses a
    gutter)."""
    out: list[Block] = []
    i = 0
    floor = 0  # lines above this belong to an earlier block
    while i < len(lines):
        if len(lines[i].runs) < 2 or _leaders(lines[i]) or _is_caption(lines[i]):
            i += 1
            continue
        end, bands = _grow(lines, i)
        start = _grow_up(lines, i, floor, bands) if page_top else i
        above = start > 0 and _is_caption(lines[start - 1])
        fresh = start == 0 or _apart(lines[start - 1], bands)
        edges = (page_top and start == 0, end == len(lines), fresh)
        if start < i:
            bands = _merge(bands, lines[start:i])
        if _is_table(lines[start:end], bands, above, edges):
            out.append(Block(start, end, bands))
            i = floor = end
        else:
            i += 1
    return out


def _grow(lines: Sequence[TextLine], i: int) -> tuple[int, list[tuple[float, float]]]:
    """The end of the block started at line ``i`` and its column bands: lines are added while they keep every
    gutter open (cells spanning columns aside, see ``_spanning``) and lie close below the line above."""
    bands = column_bands(lines[i : i + 1])
    j = i + 1
    while j < len(lines):
        height = max(lines[j - 1].bottom - lines[j - 1].top, 1.0)
        if lines[j].top - lines[j - 1].bottom > _MAX_GAP_LINES * height or _leaders(lines[j]):
            break
        plain = [r for r in lines[j].runs if not _spanning(r, bands, lines[j], lines[j - 1])]
        merged = column_bands([TextLine(0.0, 0.0, [(a, b, "") for a, b in bands] + plain)])
        if len(merged) < len(bands):
            break  # the line crosses a gutter: prose, a caption or a heading
        bands = merged
        j += 1
    return j, bands


def header_bands(header: Sequence[TextLine], body: Sequence[TextLine]) -> list[tuple[float, float]]:
    """The column bands of a table region under its header lines (a three-line table between its rules): the
    header's bands widened by the body's runs, a run starting at a band's left edge and spanning later bands
    (never all of them) left out, as one cell over several columns."""
    bands = column_bands(header)
    for ln in body:
        plain = [r for r in ln.runs if not _spans_columns(r, bands)]
        bands = column_bands([TextLine(0.0, 0.0, [(a, b, "") for a, b in bands] + plain)])
    return bands


def _merge(bands: list[tuple[float, float]], lines: Sequence[TextLine]) -> list[tuple[float, float]]:
    """The bands widened by the runs of ``lines`` (which lie inside them)."""
    return column_bands([TextLine(0.0, 0.0, [(a, b, "") for a, b in bands]), *lines])


def _spanning(run: tuple[float, float, str], bands: list[tuple[float, float]], line: TextLine, above: TextLine) -> bool:
    """Whether ``run`` of ``line`` is one cell over two or more columns (see the module docstring): it starts at
    the left edge of a band, reaches a later band but not the one after it, leaves a band out, and shares its
    line with another run or continues a run starting at the same x on ``above``, at a cell's line pitch."""
    if not _spans_columns(run, bands):
        return False
    if len(line.runs) >= 2:
        return True
    close = line.top - above.bottom <= _CELL_PITCH * max(above.bottom - above.top, 1.0)
    return close and any(abs(r[0] - run[0]) <= _BAND_TOL for r in above.runs)


def _spans_columns(run: tuple[float, float, str], bands: list[tuple[float, float]]) -> bool:
    """Whether ``run`` starts at the left edge of a band and reaches a later band, but not all of them."""
    first = next((k for k, (a, _) in enumerate(bands) if abs(run[0] - a) <= _BAND_TOL), None)
    if first is None:
        return False
    last = max(k for k, (a, _) in enumerate(bands) if a <= run[1] + _BAND_TOL)
    return last != first and not (first == 0 and last == len(bands) - 1)


def _crosses(line: TextLine, bands: list[tuple[float, float]]) -> bool:
    """Whether the line prints across a gutter between the bands."""
    return len(column_bands([TextLine(0.0, 0.0, [(a, b, "") for a, b in bands]), line])) < len(bands)


def _apart(line: TextLine, bands: list[tuple[float, float]]) -> bool:
    """Whether the line is no row of a table with these bands: it prints across a gutter, or beside every band
    (a centred title over the table, right of a header row whose last column is still narrow)."""
    return _crosses(line, bands) or all(
        r[1] < a - _BAND_TOL or r[0] > b + _BAND_TOL for r in line.runs for a, b in bands
    )


def _grow_up(lines: Sequence[TextLine], i: int, floor: int, bands: list[tuple[float, float]]) -> int:
    """The first line of a block found at line ``i``: the lines above it when all of them, up to the top of the
    region, lie inside its bands (the last lines of a cell cut by a page break), none a caption."""
    start = i
    if floor > 0:
        return start
    while i > floor:
        above, below = lines[i - 1], lines[i]
        height = max(above.bottom - above.top, 1.0)
        if below.top - above.bottom > _MAX_GAP_LINES * height or _is_caption(above) or _leaders(above):
            return start
        merged = column_bands([TextLine(0.0, 0.0, [(a, b, "") for a, b in bands]), above])
        if len(merged) < len(bands):
            return start
        i -= 1
    return i


def _is_table(
    lines: Sequence[TextLine], bands: list[tuple[float, float]], caption: bool, edges: tuple[bool, bool, bool]
) -> bool:
    """The evidence of the module docstring; ``edges``: whether the block opens the region, closes it, and
    follows a line that is no row of it (``_apart``: it crosses its gutters or prints beside every band), or nothing.

    A header row over rows ending in figures (a two-column 项目/数量 table) needs one gutter only (a page of
    two columns of prose has one gutter too, so a page of rows needs two, like any other block)."""
    header = _header_row(lines[0], len(bands))
    if len(lines) < _MIN_GUTTER_LINES and not _short_ok(lines, bands, caption and header, edges):
        return False
    gutters = 1 if header and _figures_last(lines[1:], bands) else 2
    if len(bands) < gutters + 1 or not _gutters_ok(lines, bands, gutters, (header, edges[0])):
        return False
    if len(lines) >= _MIN_GUTTER_LINES and _prose_columns(lines, bands):
        return False
    return caption or edges[0] or header or _figure_column(lines, bands)


def _short_ok(
    lines: Sequence[TextLine], bands: list[tuple[float, float]], captioned_header: bool, edges: tuple[bool, bool, bool]
) -> bool:
    """A block of fewer than three lines (every gutter then open on all its lines) is a table only when it
    fills the whole region, opens it with two gutters (the last rows of a table cut by a page break), is a
    header row under a caption, or is one header row alone after prose at the end of the region (a table
    cut right under its header)."""
    opens, closes, fresh = edges
    if (opens and closes) or captioned_header or (opens and len(bands) >= 3):
        return True
    return closes and fresh and len(lines) == 1 and len(bands) >= 3 and _header_row(lines[0], len(bands))


def _band_of(bands: list[tuple[float, float]], run: tuple[float, float, str]) -> int:
    mid = (run[0] + run[1]) / 2
    return min(range(len(bands)), key=lambda k: 0.0 if bands[k][0] <= mid <= bands[k][1] else abs(mid - bands[k][0]))


def _gutters_ok(
    lines: Sequence[TextLine], bands: list[tuple[float, float]], gutters: int, anchors: tuple[bool, bool]
) -> bool:
    """Whether ``gutters`` gutters have text on both sides on enough lines: one on three or more lines (two at
    the top of a page, under the cut end of a long cell), the others on two or more (a column left empty on
    most rows of a page), or only on the header row when the block starts with one (a page holding one long
    cell under a repeated header); on every line of a shorter block. ``anchors``: (header row, page top)."""
    header, page_top = anchors
    counts = [0] * (len(bands) - 1)
    for ln in lines:
        used = sorted({_band_of(bands, r) for r in ln.runs})
        for left, right in itertools.pairwise(used):
            for g in range(left, right):
                counts[g] += 1
    counts.sort(reverse=True)
    if len(counts) < gutters:
        return False
    need = min(_MIN_GUTTER_LINES, len(lines))
    return counts[0] >= (min(2, need) if page_top else need) and counts[gutters - 1] >= (1 if header else min(2, need))


def _prose_columns(lines: Sequence[TextLine], bands: list[tuple[float, float]]) -> bool:
    """Columns of running text: nearly every line prints in every band, and in every band most runs fill it
    from edge to edge (a table's wrapped cells leave the other columns of their lines empty)."""
    full_lines = sum(1 for ln in lines if len({_band_of(bands, r) for r in ln.runs}) == len(bands))
    if full_lines < 0.8 * len(lines):
        return False
    for k, (a, b) in enumerate(bands):
        runs = [r for ln in lines for r in ln.runs if _band_of(bands, r) == k]
        full = sum(1 for r in runs if r[1] - r[0] >= 0.9 * (b - a))
        if not runs or full < 0.7 * len(runs):
            return False
    return True


def _header_row(line: TextLine, n_bands: int) -> bool:
    """A header row: a short text in every band (two or more), none a sentence or a figure."""
    texts = [r[2].strip() for r in line.runs]
    return (
        len(texts) >= max(2, n_bands)
        and all(0 < len(t) <= 12 for t in texts)
        and not any(_SENTENCE.search(t) or _FIGURE.match(t) for t in texts)
    )


def _figure_column(lines: Sequence[TextLine], bands: list[tuple[float, float]]) -> bool:
    """A column of figures: a band whose runs, on three or more lines, are mostly numbers."""
    for k in range(len(bands)):
        texts = [r[2].strip() for ln in lines for r in ln.runs if _band_of(bands, r) == k]
        figures = sum(1 for t in texts if _FIGURE.match(t))
        if figures >= _MIN_GUTTER_LINES and figures >= 0.6 * len(texts):
            return True
    return False


def _figures_last(lines: Sequence[TextLine], bands: list[tuple[float, float]]) -> bool:
    """Two or more lines, each with text in the first band and a figure in the last one."""
    return len(lines) >= 2 and all(
        len(ln.runs) >= 2
        and _band_of(bands, ln.runs[0]) == 0
        and _band_of(bands, ln.runs[-1]) == len(bands) - 1
        and _FIGURE.match(ln.runs[-1][2].strip())
        for ln in lines
    )


def _is_caption(line: TextLine) -> bool:
    text = "".join(r[2] for r in line.runs).strip()
    return bool(TABLE_CAPTION.match(text))


def _leaders(line: TextLine) -> bool:
    return any(LEADERS.search(r[2]) for r in line.runs)
