"""PDF page → raw table fragments (ruled grids, three-line tables and borderless tables).

Reads one ``pdfplumber`` page; returns ``pipeline.types.RawTable`` fragments in reading order (top to
bottom). Nothing here knows about a particular gazette: tables are found from the page's rules and the
positions of its characters only.

Three kinds of tables are found:

- **ruled** (``RawTableStyle.RULED``): a grid of horizontal and vertical rules, found with pdfplumber's
  ``TableFinder`` (lines strategy, called once per page). The cells pdfplumber reports (merged cells
  included) are mapped onto the *fine grid* made of every distinct row and column boundary, so a merged
  cell covering three grid rows has ``rowspan=3``.
- **three-line** (``RawTableStyle.THREE_LINE``, 三线表): two to four long horizontal rules over the same
  x-range with no vertical rules, and a text grid between them. Columns come from clustering the
  x-ranges of the words between the rules, rows from the line tops.

- **borderless** (no rule at all, emitted as ``RawTableStyle.THREE_LINE`` text grids: the same row, column and
  stitching logic applies): blocks of lines whose word runs keep two or more vertical gutters open, with an
  anchor (a caption above, a header row, a column of figures, or the top of the text band for a table
  continuing from the page before); see ``pipeline.tables.aligned``. A page of rows with no rule around them
  (a three-line table's middle page) is read by this finder too. The columns of a table left open at the
  bottom of a page (``carry_after``) are passed to the next page (``carry``): its top lines are read on them
  even when they fill too few columns to show gutters of their own, and a repeat of the header there is a row
  of its own.

In text grids (three-line and borderless) a word run that starts at a column's left edge and reaches a later
column (never all of them) is one cell spanning those columns (``colspan``).

Decorative rules (the red separator under a 发文机关标志, the rules around 抄送/印发, running header and
footer rules) have no text grid between them and are not tables.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.grammar.labels import NUMBERED_LINE as NUMBERED
from pipeline.grammar.pages import PAGE_LABEL
from pipeline.tables.aligned import Block, aligned_blocks, column_bands, header_bands
from pipeline.tables.aligned import TextLine as _TextLine
from pipeline.types import BBox, Line, RawCell, RawTable, RawTableStyle

# pdfplumber settings for Word / LibreOffice / WPS output: rules are drawn as thin lines or thin filled
# rectangles, often split at every crossing and off by a fraction of a point.
RULED_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "edge_min_length": 3,
    "intersection_tolerance": 3,
}

_COORD_TOL = 1.5  # boundaries closer than this (points) are the same grid line
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2026\u2014]")
_TERMINAL = "。；！？;!?"
# The narrowest white gap (times the character size) between two columns of a borderless table: dense layouts
# leave half an em between a cell and the next; justified prose never opens a gap this wide on every line.
_GUTTER = 0.5
# The rules around 抄送/印发 at a document's end enclose lines like these.
_CLOSING = re.compile(r"^\s*(?:抄送|抄报|分送|主送)\s*[:：]|印发\s*$")


@dataclass(slots=True)
class _Rule:
    """A horizontal rule (several overlapping or double-drawn segments merged)."""

    top: float
    x0: float
    x1: float
    red: bool
    virtual: bool = False  # the open top or bottom of a three-line table cut by a page break


# --------------------------------------------------------------------------- public API


def page_to_raw_tables(page: Any, page_index: int, carry: Carry | None = None) -> list[RawTable]:
    """Find the ruled, three-line and borderless tables of one pdfplumber page.

    ``carry``: the columns of a table left open at the bottom of the page before (``carry_after`` of that
    page's fragments), which the lines at the top of this page may continue.

    Reads: ``page.edges``, ``page.chars`` and pdfplumber's table finder (called once).
    Returns: one ``RawTable`` per table, sorted by top; empty when the page has none.

    Guaranteed after:
    1. every grid position of a table is covered by exactly one anchor ``RawCell`` (row/col/rowspan/colspan
       in the fine grid of all distinct row and column boundaries); ``row_tops`` has ``n_rows`` entries and
       ``col_x`` ``n_cols + 1``;
    2. a cell's text joins its lines without spaces between Chinese characters, keeps spaces printed between
       Latin letters/digits, and keeps ``"\\n"`` only where a line starts a new paragraph;
    3. a ruled grid of one column (a boxed paragraph) or of one row and two columns is not returned, nor
       are decorative rules and rules without a text grid of two or more columns between them;
    4. text outside ruled and three-line tables becomes a table only with the evidence of
       ``pipeline.tables.aligned.aligned_blocks`` (never a paragraph of prose).
    """
    chars = [c for c in page.chars if c.get("text")]
    page = visible_page(page)
    ruled = _ruled_tables(page, page_index, chars)
    taken = [t.bbox for t in ruled if t.bbox is not None]
    three = _three_line_tables(page, page_index, chars, taken)
    taken += [t.bbox for t in three if t.bbox is not None]
    borderless = _borderless_tables(page, page_index, chars, taken, carry)
    return sorted(ruled + three + borderless, key=lambda t: t.bbox[1] if t.bbox else 0.0)


def visible_page(page: Any) -> Any:
    """The page without its invisible rectangles (``_invisible``): the edges left are the drawn rules."""
    if any(_invisible(r) for r in getattr(page, "rects", ())):
        return page.filter(lambda obj: obj.get("object_type") != "rect" or not _invisible(obj))
    return page


def _invisible(rect: dict[str, Any]) -> bool:
    """A rectangle filled with white and not stroked (a paragraph's background drawn by WPS/Word) draws no
    rule: its edges are not table rules."""
    if rect.get("stroke") or not rect.get("fill"):
        return False
    color = rect.get("non_stroking_color")
    if isinstance(color, (int, float)):
        color = (color,)
    return isinstance(color, (tuple, list)) and len(color) in (1, 3) and all(float(v) >= 0.97 for v in color)


def in_bboxes(x: float, y: float, boxes: Sequence[BBox], tol: float = 1.0) -> bool:
    """Whether the point (x, y) lies in one of the boxes (with ``tol`` points of slack)."""
    return any(b[0] - tol <= x <= b[2] + tol and b[1] - tol <= y <= b[3] + tol for b in boxes)


def lines_to_cell_text(lines: Sequence[Line], cell_x1: float | None = None) -> str:
    """Join the printed lines of one cell into its text.

    Reads: the lines in reading order (``bbox`` used when present).
    Returns: the lines joined directly (no space between Chinese characters; one space between two
    Latin/digit runs), with ``"\\n"`` before a line that starts a numbered item (``12.``, ``（一）``,
    ``1、``) or that follows a line ending in 。；！？ which stops visibly short of the cell's right edge.
    """
    out = ""
    prev: Line | None = None
    for ln in lines:
        text = ln.text.strip()
        if not text:
            continue
        if prev is None:
            out = text
        elif _starts_paragraph(prev, text, cell_x1):
            out += "\n" + text
        elif out and not _CJK.match(out[-1]) and not _CJK.match(text[0]) and out[-1].isalnum() and text[0].isalnum():
            out += " " + text
        else:
            out += text
        prev = ln
    return out


# --------------------------------------------------------------------------- ruled tables


def _ruled_tables(page: Any, page_index: int, chars: list[dict[str, Any]]) -> list[RawTable]:
    verticals = [e for e in page.edges if e.get("orientation") == "v"]
    if not verticals:  # no vertical rule: no ruled table (saves the table finder on text pages)
        return []
    found = page.find_tables(RULED_SETTINGS)
    out: list[RawTable] = []
    for tb in found:
        raw = _cells_to_raw_table([tuple(c) for c in tb.cells], page_index, chars)
        if raw is not None:
            out.append(raw)
    return out


def _cluster(values: Iterable[float], tol: float = _COORD_TOL) -> list[float]:
    """Sorted distinct values, values closer than ``tol`` merged (kept at their first occurrence)."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(bounds: list[float], v: float) -> int:
    """Index of the boundary nearest to v."""
    i = bisect.bisect_left(bounds, v)
    if i == 0:
        return 0
    if i >= len(bounds):
        return len(bounds) - 1
    return i if bounds[i] - v < v - bounds[i - 1] else i - 1


_Box = tuple[float, float, float, float]


def _box_cells(boxes: list[_Box], row_y: list[float], col_x: list[float]) -> tuple[list[RawCell], list[list[int]]]:
    """Reads cell rectangles on the fine grid; returns (their empty cells, the owning cell index of each grid slot)."""
    owner: list[list[int]] = [[-1] * (len(col_x) - 1) for _ in range(len(row_y) - 1)]
    cells: list[RawCell] = []
    for b in sorted(boxes, key=lambda b: (b[1], b[0])):
        r0, r1 = _index(row_y, b[1]), _index(row_y, b[3])
        c0, c1 = _index(col_x, b[0]), _index(col_x, b[2])
        if r1 <= r0 or c1 <= c0 or owner[r0][c0] >= 0:
            continue
        k = len(cells)
        cells.append(RawCell(row=r0, col=c0, text="", rowspan=r1 - r0, colspan=c1 - c0, bbox=b))
        for r in range(r0, r1):
            for c in range(c0, c1):
                if owner[r][c] < 0:
                    owner[r][c] = k
    return cells, owner


def _fill_uncovered(cells: list[RawCell], owner: list[list[int]], row_y: list[float], col_x: list[float]) -> None:
    """Reads the grid slots no rectangle covers (a missing rule segment); adds an empty cell of their own for each."""
    for r in range(len(row_y) - 1):
        for c in range(len(col_x) - 1):
            if owner[r][c] < 0:
                owner[r][c] = len(cells)
                cells.append(RawCell(row=r, col=c, text="", bbox=(col_x[c], row_y[r], col_x[c + 1], row_y[r + 1])))


def _chars_per_cell(
    chars: list[dict[str, Any]], n_cells: int, owner: list[list[int]], row_y: list[float], col_x: list[float]
) -> list[list[dict[str, Any]]]:
    """Reads the page's characters; returns those inside the grid, grouped by the cell that owns their centre."""
    n_rows, n_cols = len(row_y) - 1, len(col_x) - 1
    bbox = (col_x[0], row_y[0], col_x[-1], row_y[-1])
    per_cell: list[list[dict[str, Any]]] = [[] for _ in range(n_cells)]
    for ch in chars:
        x = (ch["x0"] + ch["x1"]) / 2
        y = (ch["top"] + ch["bottom"]) / 2
        if not (bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]):
            continue
        r = min(max(bisect.bisect_right(row_y, y) - 1, 0), n_rows - 1)
        c = min(max(bisect.bisect_right(col_x, x) - 1, 0), n_cols - 1)
        per_cell[owner[r][c]].append(ch)
    return per_cell


def _cells_to_raw_table(
    boxes: list[tuple[float, float, float, float]], page_index: int, chars: list[dict[str, Any]]
) -> RawTable | None:
    """Map pdfplumber's cell rectangles onto the fine grid and fill them with their characters."""
    if not boxes:
        return None
    col_x = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    row_y = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    n_rows, n_cols = len(row_y) - 1, len(col_x) - 1
    if n_rows < 1 or n_cols < 2 or (n_rows < 2 and n_cols < 3):
        return None
    cells, owner = _box_cells(boxes, row_y, col_x)
    # positions no rectangle covers (a missing rule segment) become empty cells of their own
    _fill_uncovered(cells, owner, row_y, col_x)
    bbox = (col_x[0], row_y[0], col_x[-1], row_y[-1])
    per_cell = _chars_per_cell(chars, len(cells), owner, row_y, col_x)
    for cell, cs in zip(cells, per_cell, strict=True):
        cell.lines = _chars_to_lines(cs, page_index)
        cell.text = lines_to_cell_text(cell.lines, cell.bbox[2] if cell.bbox else None)
    cells.sort(key=lambda c: (c.row, c.col))
    return RawTable(
        page_index=page_index,
        n_rows=n_rows,
        n_cols=n_cols,
        cells=cells,
        style=RawTableStyle.RULED,
        bbox=bbox,
        row_tops=row_y[:-1],
        col_x=col_x,
    )


def _group_by_top(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Reads characters in the given order; returns them grouped into lines (a top within half a size of the line's)."""
    groups: list[list[dict[str, Any]]] = []
    for ch in chars:
        size = float(ch.get("size") or 10.0)
        if groups and abs(ch["top"] - groups[-1][0]["top"]) <= size * 0.5:
            groups[-1].append(ch)
        else:
            groups.append([ch])
    return groups


def _line_text(g: list[dict[str, Any]]) -> str:
    """Reads one line's characters (sorted by x); returns its text with spaces only where printed."""
    text = ""
    prev: dict[str, Any] | None = None
    for ch in g:
        t = ch["text"]
        if prev is not None and not t.isspace() and not text.endswith(" "):
            gap = ch["x0"] - prev["x1"]
            size = float(ch.get("size") or 10.0)
            if gap > size * 0.3 and not _CJK.match(t) and not _CJK.match(prev["text"]):
                text += " "
        text += t
        prev = ch
    return re.sub(r" {2,}", " ", text).strip()


def _chars_to_lines(chars: list[dict[str, Any]], page_index: int) -> list[Line]:
    """Group characters into printed lines (by top, then x), inserting spaces only where printed."""
    if not chars:
        return []
    chars = sorted(chars, key=lambda c: (round(c["top"]), c["x0"]))
    groups = _group_by_top(sorted(chars, key=lambda c: c["top"]))
    lines: list[Line] = []
    for g in groups:
        g.sort(key=lambda c: c["x0"])
        text = _line_text(g)
        if not text:
            continue
        box = (min(c["x0"] for c in g), min(c["top"] for c in g), max(c["x1"] for c in g), max(c["bottom"] for c in g))
        first = g[0]
        lines.append(
            Line(
                text=text,
                page_index=page_index,
                bbox=box,
                font=first.get("fontname"),
                size=float(first.get("size") or 0.0) or None,
            )
        )
    return lines


def _starts_paragraph(prev: Line, text: str, cell_x1: float | None) -> bool:
    if NUMBERED.match(text):
        return True
    p = prev.text.rstrip()
    if not p or p[-1] not in _TERMINAL:
        return False
    if cell_x1 is None or prev.bbox is None:
        return True
    size = prev.size or 10.0
    return prev.bbox[2] < cell_x1 - 1.5 * size


# --------------------------------------------------------------------------- three-line tables


def _horizontal_rules(page: Any, taken: list[BBox]) -> list[_Rule]:
    """Long horizontal rules outside ruled tables, double-drawn segments merged into one rule."""
    width = float(page.width or 0.0)
    segs = []
    for e in page.edges:
        if e.get("orientation") != "h":
            continue
        x0, x1, top = float(e["x0"]), float(e["x1"]), float(e["top"])
        if x1 - x0 < width * 0.3:
            continue
        if in_bboxes((x0 + x1) / 2, top, taken, tol=2.0):
            continue
        color = e.get("stroking_color") or e.get("non_stroking_color")
        red = isinstance(color, (tuple, list)) and len(color) == 3 and color[0] > 0.5 and color[1] < 0.4
        segs.append(_Rule(top=top, x0=x0, x1=x1, red=bool(red)))
    segs.sort(key=lambda r: (r.top, r.x0))
    rules: list[_Rule] = []
    for s in segs:
        last = rules[-1] if rules else None
        if last is not None and s.top - last.top <= 3.0 and s.x0 < last.x1 and s.x1 > last.x0:
            last.x0, last.x1, last.red = min(last.x0, s.x0), max(last.x1, s.x1), last.red or s.red
        else:
            rules.append(s)
    return rules


def _word_runs(g: list[dict[str, Any]], gap: float = 0.8, cuts: Sequence[float] = ()) -> list[tuple[float, float, str]]:
    """Reads one line's characters (sorted by x); returns its non-blank word runs (x0, x1, text) split at gaps
    wider than ``gap`` times the character size, and at a narrower gap (over a point) holding one of ``cuts``,
    the x where the region's runs start."""
    runs: list[tuple[float, float, str]] = []
    cur: list[dict[str, Any]] = []
    for ch in g:
        size = float(ch.get("size") or 10.0)
        space = ch["x0"] - cur[-1]["x1"] if cur else 0.0
        at_cut = space > 1.0 and any(cur[-1]["x1"] - 0.5 <= x <= ch["x0"] + 0.5 for x in cuts)
        if cur and (space > size * gap or at_cut or (ch["text"].isspace() and cur[-1]["text"].isspace())):
            runs.append(_run(cur))
            cur = []
        cur.append(ch)
    if cur:
        runs.append(_run(cur))
    return [r for r in runs if r[2].strip()]


def _region_lines(
    chars: list[dict[str, Any]],
    tops: list[float],
    x0: float,
    x1: float,
    top: float,
    bottom: float,
    header: Sequence[float] = (),
) -> list[_TextLine]:
    """Characters strictly between two rules and within the x-range, as text lines of word runs (cut at the
    region's column starts and at ``header``, the starts of the header's runs)."""
    lo = bisect.bisect_left(tops, top)
    hi = bisect.bisect_right(tops, bottom)
    inside = [c for c in chars[lo:hi] if c["top"] > top and c["bottom"] < bottom and x0 - 2 <= c["x0"] <= x1 + 2]
    groups = _group_by_top(inside)
    for g in groups:
        g.sort(key=lambda c: c["x0"])
    cuts = sorted({*_run_starts([_word_runs(g) for g in groups]), *header})
    lines: list[_TextLine] = []
    for g in groups:
        runs = _word_runs(g, cuts=cuts)
        if runs:
            lines.append(_TextLine(top=min(c["top"] for c in g), bottom=max(c["bottom"] for c in g), runs=runs))
    return lines


def _run_starts(lines: list[list[tuple[float, float, str]]]) -> list[float]:
    """The x where word runs of two or more lines start (within half a point): the columns' left edges, where a
    cell's text that runs close to the next cell's is cut from it."""
    starts = sorted(r[0] for runs in lines for r in runs[1:]) + sorted(runs[0][0] for runs in lines if runs)
    seen: Counter[float] = Counter(round(x * 2) / 2 for x in starts)
    return sorted(x for x, n in seen.items() if n >= 2)


def _run(cs: list[dict[str, Any]]) -> tuple[float, float, str]:
    body = [c for c in cs if not c["text"].isspace()] or cs
    return (min(c["x0"] for c in body), max(c["x1"] for c in body), "".join(c["text"] for c in cs).strip())


def _columns(lines: list[_TextLine]) -> list[tuple[float, float]]:
    """Column bands: the union of the word runs' x-ranges, overlapping ranges merged."""
    return column_bands(lines)


def _table_like(lines: list[_TextLine]) -> bool:
    """A region whose lines form a text grid: at least two columns, most lines in two or more of them."""
    if not lines:
        return False
    if any(_CLOSING.search(r[2]) for ln in lines for r in ln.runs):
        return False
    if len(_columns(lines)) < 2 or _prose_columns(lines):
        return False
    multi = [ln for ln in lines if len(ln.runs) >= 2]
    if len(multi) >= max(1, (len(lines) + 2) // 3):
        return True
    # long cells wrap over many lines printed in one column only: every line must still lie in the
    # column bands of the lines filling two or more columns
    bands = _columns(multi) if len(multi) >= 2 else []
    if len(bands) < 2:
        return False
    return all(any(a - 2.0 <= r[0] and r[1] <= b + 2.0 for a, b in bands) for ln in lines for r in ln.runs)


def _prose_columns(lines: list[_TextLine]) -> bool:
    """Two halves of running text (a page printed in two columns): two column bands of like width, at least
    a third of the runs in each filling its band from edge to edge, over eight lines or more. A table's columns differ
    in width and its cells seldom fill them."""
    bands = _columns(lines)
    if len(bands) != 2 or len(lines) < 8:
        return False
    span = bands[1][1] - bands[0][0]
    for a, b in bands:
        if b - a < 0.4 * span:
            return False
        inside = [r for ln in lines for r in ln.runs if a - 2.0 <= r[0] and r[1] <= b + 2.0]
        full = [r for r in inside if r[1] - r[0] >= 0.9 * (b - a)]
        if len(full) < 4 or len(full) < 0.3 * len(inside):
            return False
    return True


def _cell_tail(lines: list[_TextLine], x0: float, x1: float) -> bool:
    """The end of one cell alone at the top of a page, closed by the table's bottom rule: two or more lines
    of one run each, all starting at the same x, well inside the rule (not a paragraph of body text)."""
    if len(lines) < 2 or any(len(ln.runs) != 1 for ln in lines):
        return False
    starts = [ln.runs[0][0] for ln in lines]
    size = max(ln.bottom - ln.top for ln in lines)
    left, right = min(starts), max(ln.runs[0][1] for ln in lines)
    return max(starts) - left <= 2.0 and left - x0 >= 3 * size and right - left <= 0.75 * (x1 - x0)


def _three_line_tables(page: Any, page_index: int, chars: list[dict[str, Any]], taken: list[BBox]) -> list[RawTable]:
    verticals = any(e.get("orientation") == "v" and not in_bboxes(e["x0"], e["top"], taken, 2.0) for e in page.edges)
    rules = [r for r in _horizontal_rules(page, taken) if not r.red]
    chars = sorted(chars, key=lambda c: c["top"])
    tops = [c["top"] for c in chars]
    rules = _with_open_ends(page, rules, chars, taken)
    if len(rules) < 2:
        return []
    out: list[RawTable] = []
    i = 0
    while i < len(rules) - 1:
        group, regions = _rule_group(rules, i, chars, tops, taken)
        if len(group) == 2 and group[0].virtual and group[1].virtual:
            i += 1  # no rule at all around the text: the borderless finder decides (``_borderless_tables``)
            continue
        if len(group) >= 2 and not (verticals and _has_vertical_inside(page, group)):
            raw = _regions_to_raw_table(group, regions, page_index)
            if raw is not None:
                out.append(raw)
                i += len(group)
                continue
        i += 1
    return out


def _rule_group(
    rules: list[_Rule], i: int, chars: list[dict[str, Any]], tops: list[float], taken: list[BBox]
) -> tuple[list[_Rule], list[list[_TextLine]]]:
    """Up to four rules from ``rules[i]`` over the same x-range with a text grid between each two (or, between
    a virtual top or a repeated header and the closing rule, the end of one cell), and the lines between them."""
    group = [rules[i]]
    regions: list[list[_TextLine]] = []
    for b in rules[i + 1 :]:
        a = group[-1]
        if len(group) >= 4 or abs(a.x0 - b.x0) > 4.0 or abs(a.x1 - b.x1) > 4.0:
            break
        if any(t[1] < b.top and t[3] > a.top and t[0] < a.x1 and t[2] > a.x0 for t in taken):
            break  # a ruled table lies between the two rules
        header = [r[0] for ln in regions[0] for r in ln.runs] if regions and len(group) == 2 else []
        lines = _region_lines(chars, tops, a.x0, a.x1, a.top, b.top, header)
        tail_allowed = not b.virtual and (a.virtual or len(group) == 2)  # under an open top or a repeated header
        if not (_table_like(lines) or (tail_allowed and _cell_tail(lines, a.x0, a.x1))):
            break
        regions.append(lines)
        group.append(b)
    if len(regions) >= 2:
        regions[0] = _recut_header(group, regions, chars, tops)
    return group, regions


def _recut_header(
    group: list[_Rule], regions: list[list[_TextLine]], chars: list[dict[str, Any]], tops: list[float]
) -> list[_TextLine]:
    """The first region's lines cut where the body's columns start (header words may be printed close)."""
    body = _run_starts([list(ln.runs) for region in regions[1:] for ln in region])
    a, b = group[0], group[1]
    return _region_lines(chars, tops, a.x0, a.x1, a.top, b.top, body) or regions[0]


def _with_open_ends(page: Any, rules: list[_Rule], chars: list[dict[str, Any]], taken: list[BBox]) -> list[_Rule]:
    """The rules plus a virtual rule at the top and at the bottom of the page's text band, over the x-range
    of the nearest real rule: a three-line table cut by a page break (Word draws no closing rule at the page
    end and no opening rule at the top of the next page) is then found between a real and a virtual rule.

    The text band excludes a running header above a rule in the top eighth of the page and a folio line
    (— 3 —, 第3页) in the bottom eighth. Without any real rule (running-header rule included) no virtual
    rule is added."""
    height = float(page.height or 0.0)
    if not rules or not chars or height <= 0:
        return rules
    head = [r for r in rules if r.top < height / 8]
    band_top = max(r.top for r in head) + 0.5 if head else _running_header_bottom(chars, height)
    body_rules = [r for r in rules if r.top >= band_top] or head[-1:]  # a page of rows under a running header
    band_bottom = _band_bottom(chars, height)
    first, last = body_rules[0], body_rules[-1]
    out = list(rules)
    if not any(t[1] < first.top and t[3] > band_top for t in taken):
        out.append(_Rule(top=band_top, x0=first.x0, x1=first.x1, red=False, virtual=True))
    if not any(t[3] > last.top and t[1] < band_bottom for t in taken):
        out.append(_Rule(top=band_bottom, x0=last.x0, x1=last.x1, red=False, virtual=True))
    return sorted(out, key=lambda r: r.top)


def _running_header_bottom(chars: list[dict[str, Any]], height: float) -> float:
    """The bottom of a running header printed with no rule (the page's first line, in the top eighth, more than
    two line heights above the next one), else 0 (``chars`` sorted by top)."""
    groups = _group_by_top(chars[:400])
    if len(groups) < 2:
        return 0.0
    first, second = groups[0], groups[1]
    bottom = max(c["bottom"] for c in first)
    size = max(bottom - min(c["top"] for c in first), 1.0)
    if bottom < height / 8 and min(c["top"] for c in second) - bottom > 2 * size:
        return bottom + 0.5
    return 0.0


def _band_bottom(chars: list[dict[str, Any]], height: float) -> float:
    """The top of the folio line (— 3 —, 第3页) in the bottom eighth of the page, else the page's bottom."""
    low = [c for c in chars if c["top"] > height * 7 / 8]
    if not low:
        return height
    line_top = max(c["top"] for c in low)
    text = "".join(c["text"] for c in sorted(low, key=lambda c: c["x0"]) if abs(c["top"] - line_top) < 3)
    return line_top - 0.5 if PAGE_LABEL.match(text) else height


def _has_vertical_inside(page: Any, group: list[_Rule]) -> bool:
    x0, x1, top, bottom = group[0].x0, group[0].x1, group[0].top, group[-1].top
    return any(
        e.get("orientation") == "v" and x0 - 2 <= e["x0"] <= x1 + 2 and e["top"] < bottom and e["bottom"] > top
        for e in page.edges
    )


def _regions_to_raw_table(
    group: list[_Rule],
    regions: list[list[_TextLine]],
    page_index: int,
    min_rows: int = 2,
    grid: tuple[list[tuple[float, float]], list[float] | None] | None = None,
) -> RawTable | None:
    """Build a three-line fragment: the first region is the header when there are three or more rules; a
    fragment of more than one column has at least ``min_rows`` rows. ``grid``: the column bands (and the
    column boundaries) when they are known already (a borderless block with cells spanning columns, a page
    continuing the columns of the page before); else they are the union of the lines' word runs."""
    all_lines = [ln for reg in regions for ln in reg]
    if grid is None and len(regions) >= 2 and len(group) >= 3:  # the header's columns, cells spanning them
        grid = (header_bands(regions[0], all_lines[len(regions[0]) :]), None)
    bands, given_x = grid if grid is not None else (_columns(all_lines), None)
    n_cols = len(bands)
    if n_cols < 2 and not (group[0].virtual and len(group) == 2):
        return None
    x0, x1 = group[0].x0, group[0].x1
    col_x = given_x or [x0, *_boundaries(bands, all_lines), x1]
    row_lines = _text_rows(regions, col_x, n_cols)
    cells: list[RawCell] = []
    for r, members in enumerate(row_lines):
        cells.extend(_row_cells(r, members, col_x, bands, page_index))
    row_tops = [members[0][0].top for members in row_lines]
    if len(row_lines) < (1 if n_cols == 1 else min_rows):
        return None
    return RawTable(
        page_index=page_index,
        n_rows=len(row_lines),
        n_cols=n_cols,
        cells=cells,
        style=RawTableStyle.THREE_LINE,
        bbox=(col_x[0], group[0].top, col_x[-1], group[-1].top),
        row_tops=row_tops,
        col_x=col_x,
        open_top=group[0].virtual,
        open_bottom=group[-1].virtual,
    )


def _boundaries(bands: list[tuple[float, float]], lines: list[_TextLine]) -> list[float]:
    """The x between each two column bands: the middle of the white gap left of the next band's text, where no
    word run prints (a cell spanning columns may end past the band of its last column)."""
    out = []
    for k in range(len(bands) - 1):
        nxt = bands[k + 1][0]
        left = max([bands[k][1]] + [r[1] for ln in lines for r in ln.runs if r[1] < nxt - 1.0])
        out.append((min(left, nxt) + nxt) / 2)
    return out


def _text_rows(
    regions: list[list[_TextLine]], col_x: list[float], n_cols: int
) -> list[list[tuple[_TextLine, list[str]]]]:
    """The lines grouped into rows, each line with its texts per column. The header region (the first of two or
    more) is one row; a body line starts a row when it is farther from the line above than the lines of one
    cell are (see ``_row_pitch_limit``), else by the columns it fills; rows never run across a rule."""
    row_lines: list[list[tuple[_TextLine, list[str]]]] = []
    limit = _row_pitch_limit(regions[1:] if len(regions) >= 2 else regions)
    for k, reg in enumerate(regions):
        header_region = k == 0 and len(regions) >= 2
        region_start = len(row_lines)
        for ln in reg:
            texts = [""] * n_cols
            for a, b, t in ln.runs:
                c = _column_of(col_x, (a + b) / 2)
                texts[c] = f"{texts[c]}{t}" if texts[c] else t
            in_region = len(row_lines) > region_start
            one_cell = n_cols == 1 and limit is None  # the end of one cell alone on a page, evenly spaced
            if in_region and (header_region or one_cell or _same_row(row_lines[-1], ln, texts, limit)):
                row_lines[-1].append((ln, texts))
            else:
                row_lines.append([(ln, texts)])
    return row_lines


def _row_cells(
    r: int,
    members: list[tuple[_TextLine, list[str]]],
    col_x: list[float],
    bands: list[tuple[float, float]],
    page_index: int,
) -> list[RawCell]:
    """The cells of one three-line row: per cell its lines, its word runs (with their own boxes) and a box
    whose right edge is the cell's text band (for telling a paragraph end from a wrapped line). A cell
    spans the columns its runs cross (see ``_row_spans``)."""
    cells: list[RawCell] = []
    top, bottom = members[0][0].top, members[-1][0].bottom
    for c, e in _row_spans(members, col_x):
        lines = [
            Line(text="".join(t[c : e + 1]), page_index=page_index, bbox=_run_box(ln, col_x, c, e))
            for ln, t in members
            if any(t[c : e + 1])
        ]
        runs = [
            Line(text=run[2], page_index=page_index, bbox=(run[0], ln.top, run[1], ln.bottom))
            for ln, _ in members
            for run in ln.runs
            if c <= _column_of(col_x, (run[0] + run[1]) / 2) <= e
        ]
        right = max([bands[e][1], col_x[c] + 1.0] + [ln.bbox[2] for ln in lines if e > c and ln.bbox])
        cells.append(
            RawCell(
                row=r,
                col=c,
                colspan=e - c + 1,
                text=lines_to_cell_text(lines, right),
                runs=runs,
                bbox=(col_x[c], top, right, bottom),
                lines=lines,
            )
        )
    return cells


def _row_spans(members: list[tuple[_TextLine, list[str]]], col_x: list[float]) -> list[tuple[int, int]]:
    """The (first, last) columns of the cells of one row: a word run starting in one column and ending in a
    later one (by more than half a character) makes one cell over them, unless another run of the row starts
    inside them."""
    n = len(col_x) - 1
    reach = list(range(n))
    starts: set[int] = set()
    for ln, _ in members:
        for a, b, _t in ln.runs:
            first = _column_of(col_x, a + 1.0)
            starts.add(first)
            reach[first] = max(reach[first], _column_of(col_x, b - max(1.0, 0.5 * (ln.bottom - ln.top))))
    out: list[tuple[int, int]] = []
    c = 0
    while c < n:
        e = reach[c] if not any(k in starts for k in range(c + 1, reach[c] + 1)) else c
        out.append((c, e))
        c = e + 1
    return out


def _column_of(col_x: list[float], x: float) -> int:
    return min(max(bisect.bisect_right(col_x, x) - 1, 0), len(col_x) - 2)


def _run_box(ln: _TextLine, col_x: list[float], c: int, e: int | None = None) -> BBox:
    """The box of the text a line prints in columns ``c`` … ``e`` (its word runs there; ``e`` defaults to ``c``)."""
    last = c if e is None else e
    runs = [r for r in ln.runs if c <= _column_of(col_x, (r[0] + r[1]) / 2) <= last]
    if not runs:
        return (col_x[c], ln.top, col_x[last + 1], ln.bottom)
    return (min(r[0] for r in runs), ln.top, max(r[1] for r in runs), ln.bottom)


def _row_pitch_limit(regions: list[list[_TextLine]]) -> float | None:
    """The largest line-to-line distance inside one row, when the rows are visibly spaced apart (cell padding
    makes the distance between two rows larger than between two lines of a cell); None when every line is
    at the same distance (then the columns decide, see ``_continues_row``)."""
    gaps = [b.top - a.top for reg in regions for a, b in itertools.pairwise(reg)]
    low = min((g for g in gaps if g > 0), default=0.0)
    if low <= 0 or not any(g > 1.25 * low for g in gaps):
        return None
    return 1.25 * low


def _same_row(prev: list[tuple[_TextLine, list[str]]], ln: _TextLine, texts: list[str], limit: float | None) -> bool:
    if limit is None:
        return _continues_row(prev, texts)
    return ln.top - prev[-1][0].top <= limit


def _continues_row(prev: list[tuple[_TextLine, list[str]]], texts: list[str]) -> bool:
    """A body line continues the row above (a wrapped cell) when its first column is empty and it fills fewer
    columns than the row's first line."""
    first = prev[0][1]
    return not texts[0] and sum(1 for t in texts if t) < sum(1 for t in first if t)


# --------------------------------------------------------------------------- borderless tables


@dataclass(slots=True)
class _TextBand:
    """The body of a page for the borderless finder: its lines between the running header and the folio, the
    band's top and bottom, whether a running-header rule bounds it, and the x-range of an open fragment (the
    running header's rule, else the text margins: the same on every page)."""

    lines: list[_TextLine]
    top: float
    bottom: float
    ruled: bool
    margins: tuple[float, float]


def _text_band(page: Any, chars: list[dict[str, Any]], taken: list[BBox], carry: Carry | None) -> _TextBand | None:
    height = float(page.height or 0.0)
    if not chars or height <= 0:
        return None
    head = [r for r in _horizontal_rules(page, taken) if not r.red and r.top < height / 8]
    band_top = max(r.top for r in head) + 0.5 if head else 0.0
    band_bottom = _band_bottom(chars, height)
    lines = text_lines(chars, band_top, band_bottom, taken)
    if not head:
        lines = _without_running_header(lines, height)
    margins = (head[-1].x0, head[-1].x1) if head else _margins(lines)
    if carry is not None and not head:  # a page of rows that leave the first or last column empty
        margins = (min(margins[0], carry.col_x[0]), max(margins[1], carry.col_x[-1]))
    return _TextBand(lines, band_top, band_bottom, bool(head), margins)


def _borderless_tables(
    page: Any, page_index: int, chars: list[dict[str, Any]], taken: list[BBox], carry: Carry | None = None
) -> list[RawTable]:
    """Tables without any rule, found by the column alignment of the text outside the other tables
    (``pipeline.tables.aligned``), as text-grid fragments like the three-line ones. A block that starts at the
    top of the page's text band (under a running header) is open at the top, one that ends at its bottom
    (above the folio) open at the bottom: a borderless table cut by a page break is stitched like a
    three-line one. ``carry``: the columns of a table left open at the bottom of the page before; the lines
    at the top of this page that print in those columns (``_carried_lines``) are its next fragment, even
    when they fill too few columns to show gutters of their own, and a repeat of its header there is a row
    of its own (``_repeated_header``)."""
    band = _text_band(page, chars, taken, carry)
    if band is None:
        return []
    lines = band.lines
    out: list[RawTable] = []
    blocks = aligned_blocks(lines)
    top_free = bool(lines) and not any(t[1] < lines[0].top for t in taken)
    n = _carried_lines(lines, carry) if carry is not None and top_free else 0
    if carry is not None and n and not (blocks and blocks[0].start == 0 and blocks[0].end >= n):
        edges = (band.top, band.bottom if n == len(lines) else lines[n - 1].bottom + 1.0, n == len(lines))
        raw = _carried_fragment(lines[:n], carry, edges, page_index)
        out.extend([raw] if raw is not None else [])
        blocks = [Block(b.start + n, b.end + n, b.bands) for b in aligned_blocks(lines[n:], page_top=False)]
    header = _repeated_header(lines, carry) if top_free else 0
    for block in blocks:
        raw = _block_fragment(block, band, page_index, header if block.start == 0 else 0)
        if raw is not None:
            out.append(raw)
    return out


def _block_fragment(block: Block, band: _TextBand, page_index: int, header: int) -> RawTable | None:
    """The fragment of one aligned block (None for two columns of prose); ``header``: how many of its first
    lines repeat the header of the table it continues (one row, apart from the rows under it)."""
    members = band.lines[block.start : block.end]
    if _prose_columns(members):
        return None  # a page printed in two columns: running text (pipeline.layout.columns reads it)
    opens, closes = block.start == 0, block.end == len(band.lines)
    if band.ruled or opens or closes:
        x0, x1 = min(block.bands[0][0], band.margins[0]), max(block.bands[-1][1], band.margins[1])
    else:
        x0, x1 = block.bands[0][0] - 1.0, block.bands[-1][1] + 1.0
    top = _Rule(top=band.top if opens else members[0].top - 1.0, x0=x0, x1=x1, red=False, virtual=opens)
    bottom = _Rule(top=band.bottom if closes else members[-1].bottom + 1.0, x0=x0, x1=x1, red=False, virtual=closes)
    regions = [members[:header], members[header:]] if 0 < header < len(members) else [members]
    # a header row alone at the page end (its rows follow on the next page) is a fragment of one row
    return _regions_to_raw_table([top, bottom], regions, page_index, 1 if closes else 2, (block.bands, None))


def _repeated_header(lines: list[_TextLine], carry: Carry | None) -> int:
    """How many lines (one to three) at the top of the page repeat the header of the table ``carry`` continues:
    their characters, spacing aside, are those of its header row (0 when they are not)."""
    if carry is None or not carry.header:
        return 0
    said: Counter[str] = Counter()
    for m, ln in enumerate(lines[:3], start=1):
        said.update(ch for r in ln.runs for ch in r[2] if not ch.isspace())
        if said == carry.header:
            return m
    return 0


@dataclass(slots=True)
class Carry:
    """The columns of a table left open at the bottom of a page (a three-line or borderless fragment): its
    column boundaries and the x where each column's text starts (None for a column without text)."""

    col_x: list[float]
    starts: list[float | None]
    header: Counter[str]  # the characters of the table's first row (its header), spacing aside
    size: float = 0.0  # the height of the table's printed lines (the most common one); 0 when unknown


def carry_after(tables: Sequence[RawTable], before: Carry | None = None) -> Carry | None:
    """The columns the next page may continue: those of the page's last fragment when it is a text grid of two
    or more columns left open at its bottom, else None. A fragment that continued ``before`` with fewer
    columns (a column empty on its page) carries ``before``'s finer columns on."""
    last = tables[-1] if tables else None
    if last is None or not last.open_bottom or last.style is not RawTableStyle.THREE_LINE or len(last.col_x) < 3:
        return None
    if before is not None and last.open_top and _coarser(last.col_x, before.col_x):
        return before
    starts = [_text_start(last, c) for c in range(last.n_cols)]
    if before is not None and last.open_top:
        header = before.header
    else:
        header = Counter(ch for c in last.cells if c.row == 0 for ch in c.text if not ch.isspace())
    heights = Counter(round(r.bbox[3] - r.bbox[1], 1) for c in last.cells for r in c.runs if r.bbox is not None)
    return Carry(list(last.col_x), starts, header, heights.most_common(1)[0][0] if heights else 0.0)


def _text_start(frag: RawTable, c: int) -> float | None:
    """The x where the text of column ``c`` of a text-grid fragment starts (None when the column is empty)."""
    xs = [r.bbox[0] for cell in frag.cells if cell.col == c for r in cell.runs if r.bbox is not None]
    return min(xs) if xs else None


def _coarser(col_x: list[float], finer: list[float]) -> bool:
    """Whether the boundaries ``col_x`` are fewer than ``finer``'s and each one of them (within 4 pt)."""
    return len(finer) > len(col_x) and all(min(abs(x - y) for y in finer) <= 4.0 for x in col_x)


def _carried_lines(lines: list[_TextLine], carry: Carry) -> int:
    """How many lines at the top of the page continue the columns of ``carry``: each of their runs lies in the
    table's width and in one column, or starts where a column's text starts and spans it and the next ones
    (never all of them: a line across the whole width is prose); lines follow each other closely and are
    printed in the table's type size. The lines
    must show it: one of them fills two cells, or none starts in the first column (a paragraph at the left
    margin is not the end of a cell)."""
    n = 0
    for j, ln in enumerate(lines):
        height = max(ln.bottom - ln.top, 1.0)
        if j and ln.top - lines[j - 1].bottom > 2.6 * height:
            break
        if carry.size and abs(height - carry.size) > 0.15 * carry.size + 0.5:
            break  # another type size: a title, a heading, a note; not the table's text
        if not all(_carried_run(r, height, carry) for r in ln.runs):
            break
        n = j + 1
    taken = lines[:n]
    two_cells = any(len(ln.runs) >= 2 for ln in taken)
    inner = all(_column_of(carry.col_x, r[0] + 1.0) > 0 for ln in taken for r in ln.runs)
    return n if two_cells or inner else 0


def _carried_run(run: tuple[float, float, str], height: float, carry: Carry) -> bool:
    col_x = carry.col_x
    if run[0] < col_x[0] - 2.0 or run[1] > col_x[-1] + 2.0:
        return False
    first, last = _column_of(col_x, run[0] + 1.0), _column_of(col_x, run[1] - max(1.0, 0.5 * height))
    if last == first:
        return True
    start = carry.starts[first]
    return start is not None and abs(run[0] - start) <= 2.0 and not (first == 0 and last == len(col_x) - 2)


def _carried_fragment(
    lines: list[_TextLine], carry: Carry, edges: tuple[float, float, bool], page_index: int
) -> RawTable | None:
    """The fragment of ``lines`` on the columns of ``carry``, open at the top (and at the bottom when it ends
    the page's text band: ``edges`` = top, bottom, open bottom)."""
    col_x = carry.col_x
    bands: list[tuple[float, float]] = []
    for c in range(len(col_x) - 1):
        inside = [r for ln in lines for r in ln.runs if _column_of(col_x, r[0] + 1.0) == c]
        right = max((r[1] for r in inside), default=col_x[c + 1] - 1.0)
        bands.append((col_x[c], right))
    top = _Rule(top=edges[0], x0=col_x[0], x1=col_x[-1], red=False, virtual=True)
    bottom = _Rule(top=edges[1], x0=col_x[0], x1=col_x[-1], red=False, virtual=edges[2])
    return _regions_to_raw_table([top, bottom], [lines], page_index, 1, (bands, list(col_x)))


def text_lines(chars: list[dict[str, Any]], top: float, bottom: float, taken: list[BBox]) -> list[_TextLine]:
    """The text lines (as word runs) between ``top`` and ``bottom`` made of characters outside the ``taken`` boxes."""
    free = [
        c
        for c in chars
        if top < c["top"]
        and c["bottom"] < bottom
        and not in_bboxes((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2, taken)
    ]
    lines: list[_TextLine] = []
    for g in _group_by_top(sorted(free, key=lambda c: c["top"])):
        g.sort(key=lambda c: c["x0"])
        runs = _word_runs(g, _GUTTER)
        if runs:
            lines.append(_TextLine(top=min(c["top"] for c in g), bottom=max(c["bottom"] for c in g), runs=runs))
    return lines


def _margins(lines: list[_TextLine]) -> tuple[float, float]:
    """The left and right text margins of a page: the extreme x of its lines (0, 0 without lines)."""
    xs = [x for ln in lines for r in ln.runs for x in (r[0], r[1])]
    return (min(xs), max(xs)) if xs else (0.0, 0.0)


def _without_running_header(lines: list[_TextLine], height: float) -> list[_TextLine]:
    """The lines without a running header printed with no rule: a first line in the top eighth of the page set
    apart from the body (more than two line heights above the next line)."""
    if len(lines) < 2:
        return lines
    first, second = lines[0], lines[1]
    size = max(first.bottom - first.top, 1.0)
    if first.bottom < height / 8 and second.top - first.bottom > 2 * size:
        return lines[1:]
    return lines
