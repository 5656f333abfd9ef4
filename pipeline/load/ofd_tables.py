"""Stage 1 (OFD, tables): the straight rules of an OFD page (PathObject lines and rectangles) → ruled
``RawTable`` grids, with the glyphs inside each cell.

Reads: axis-aligned segments in page points (from ``PathObject`` ``AbbreviatedData`` with only ``M``/``S``/``L``/``C``
commands: paths with curves are drawings or outlined glyphs, never rules) and the page's glyphs.
Writes: one ``RawTable`` (style RULED) per group of connected rules that makes a grid of at least two cells
with text in two of them; cells merge where the rule between two grid cells is missing (``rowspan``/
``colspan``); the glyphs inside a table are taken out of the page's running text.
Guaranteed after: every grid position is covered by exactly one anchor cell; a single rule (the red line under
a 发文机关标志, the rules of a 版记) or a frame around one block of text is never a table.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.tables.pdf_grids import lines_to_cell_text
from pipeline.types import Line, RawCell, RawTable, RawTableStyle

if TYPE_CHECKING:
    from pipeline.load.ofd import Glyph

TOL = 2.0  # pt: rules this close are one rule, ends this close touch
MIN_RULE = 8.0  # pt: shorter straight segments are not table rules
MIN_CELL = 6.0  # pt: grid rows and columns at least this wide
MAX_RULES = 4000  # rules looked at on one page (the pairwise grouping is quadratic)


@dataclass(slots=True, frozen=True)
class Rule:
    horizontal: bool
    at: float  # y of a horizontal rule, x of a vertical one
    start: float
    end: float


def path_segments(data: str) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The straight segments of an ``AbbreviatedData`` path, in its own space; [] when it has curves."""
    toks = data.split()
    segs: list[tuple[tuple[float, float], tuple[float, float]]] = []
    cur: tuple[float, float] | None = None
    first: tuple[float, float] | None = None
    i = 0
    try:
        while i < len(toks):
            op = toks[i]
            if op in ("M", "S", "L"):
                pt = (float(toks[i + 1]), float(toks[i + 2]))
                if op == "L" and cur is not None:
                    segs.append((cur, pt))
                else:
                    first = pt
                cur = pt
                i += 3
            elif op == "C":
                if cur is not None and first is not None and cur != first:
                    segs.append((cur, first))
                cur = first
                i += 1
            else:  # B, Q, A: a curve — a drawing or an outlined glyph
                return []
    except (IndexError, ValueError):
        return []
    return segs


def segment_to_rule(a: tuple[float, float], b: tuple[float, float]) -> Rule | None:
    """An axis-aligned segment at least ``MIN_RULE`` long → a ``Rule``; anything else → None."""
    (x0, y0), (x1, y1) = a, b
    if abs(y1 - y0) <= 0.5 and abs(x1 - x0) >= MIN_RULE:
        return Rule(True, (y0 + y1) / 2, min(x0, x1), max(x0, x1))
    if abs(x1 - x0) <= 0.5 and abs(y1 - y0) >= MIN_RULE:
        return Rule(False, (x0 + x1) / 2, min(y0, y1), max(y0, y1))
    return None


def _touch(h: Rule, v: Rule) -> bool:
    return h.start - TOL <= v.at <= h.end + TOL and v.start - TOL <= h.at <= v.end + TOL


def _groups(rules: list[Rule]) -> list[list[Rule]]:
    """Rules connected through crossings or touching ends (union-find)."""
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(rules):
        for j in range(i + 1, len(rules)):
            b = rules[j]
            if a.horizontal != b.horizontal and _touch(a if a.horizontal else b, b if a.horizontal else a):
                parent[find(i)] = find(j)
    out: dict[int, list[Rule]] = {}
    for i, r in enumerate(rules):
        out.setdefault(find(i), []).append(r)
    return list(out.values())


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > TOL:
            out.append(v)
    return out


def _has_rule(rules: Sequence[Rule], horizontal: bool, at: float, a: float, b: float) -> bool:
    mid = (a + b) / 2
    return any(
        r.horizontal == horizontal and abs(r.at - at) <= TOL and r.start - TOL <= mid <= r.end + TOL for r in rules
    )


def _cells(rules: list[Rule], xs: list[float], ys: list[float]) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """Anchor (row, col) → (row, col, rowspan, colspan): fine grid cells merged where no rule divides them."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(n_rows) for c in range(n_cols)}

    def find(k: tuple[int, int]) -> tuple[int, int]:
        while parent[k] != k:
            k = parent[k]
        return k

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not _has_rule(rules, False, xs[c + 1], ys[r], ys[r + 1]):
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < n_rows and not _has_rule(rules, True, ys[r + 1], xs[c], xs[c + 1]):
                parent[find((r + 1, c))] = find((r, c))
    members: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for k in parent:
        members.setdefault(find(k), []).append(k)
    out = {}
    for ks in members.values():
        r0, c0 = min(k[0] for k in ks), min(k[1] for k in ks)
        r1, c1 = max(k[0] for k in ks), max(k[1] for k in ks)
        out[(r0, c0)] = (r0, c0, r1 - r0 + 1, c1 - c0 + 1)
    return out


def _index(bounds: list[float], v: float) -> int | None:
    for i in range(len(bounds) - 1):
        if bounds[i] <= v < bounds[i + 1]:
            return i
    return None


def _grid_ok(xs: list[float], ys: list[float]) -> bool:
    """At least two cells, every row and column at least ``MIN_CELL`` wide."""
    if len(xs) < 2 or len(ys) < 2 or (len(xs) - 1) * (len(ys) - 1) < 2:
        return False
    return (
        min(b - a for a, b in itertools.pairwise(xs)) >= MIN_CELL
        and min(b - a for a, b in itertools.pairwise(ys)) >= MIN_CELL
    )


def _assign(
    glyphs: list[Glyph], xs: list[float], ys: list[float], anchor_of: dict[tuple[int, int], tuple[int, int]]
) -> tuple[dict[tuple[int, int], list[Glyph]], set[int]]:
    """The glyphs whose middle falls in the grid, by the anchor of the cell they fall in; their indices."""
    inside: dict[tuple[int, int], list[Glyph]] = {}
    taken: set[int] = set()
    for gi, g in enumerate(glyphs):
        col, row = _index(xs, g.x + g.advance / 2), _index(ys, g.y - g.size * 0.4)
        if col is None or row is None:
            continue
        inside.setdefault(anchor_of[(row, col)], []).append(g)
        taken.add(gi)
    return inside, taken


def _grid_table(
    group: list[Rule], glyphs: list[Glyph], page_index: int, to_lines: Callable[[list[Glyph], int], list[Line]]
) -> tuple[RawTable, set[int]] | None:
    xs = _cluster([r.at for r in group if not r.horizontal])
    ys = _cluster([r.at for r in group if r.horizontal])
    if not _grid_ok(xs, ys):
        return None
    spans = _cells(group, xs, ys)
    anchor_of = {
        (r, c): key for key, (r0, c0, rs, cs) in spans.items() for r in range(r0, r0 + rs) for c in range(c0, c0 + cs)
    }
    inside, taken = _assign(glyphs, xs, ys, anchor_of)
    if sum(1 for gs in inside.values() if gs) < 2:
        return None
    cells = []
    for key, (r0, c0, rs, cs) in sorted(spans.items()):
        lines = to_lines(inside.get(key, []), page_index) if inside.get(key) else []
        cells.append(
            RawCell(
                row=r0,
                col=c0,
                text=lines_to_cell_text(lines, xs[c0 + cs]),
                rowspan=rs,
                colspan=cs,
                bbox=(xs[c0], ys[r0], xs[c0 + cs], ys[r0 + rs]),
                lines=lines,
            )
        )
    table = RawTable(
        page_index=page_index,
        n_rows=len(ys) - 1,
        n_cols=len(xs) - 1,
        cells=cells,
        style=RawTableStyle.RULED,
        bbox=(xs[0], ys[0], xs[-1], ys[-1]),
        row_tops=ys[:-1],
        col_x=xs,
    )
    return table, taken


def rules_to_tables(
    rules: list[Rule], glyphs: list[Glyph], page_index: int, to_lines: Callable[[list[Glyph], int], list[Line]]
) -> tuple[list[RawTable], list[Glyph]]:
    """Ruled grids of one page and the glyphs left for the running text (see the module docstring)."""
    tables: list[RawTable] = []
    taken: set[int] = set()
    for group in _groups(rules[:MAX_RULES]):
        found = _grid_table(group, glyphs, page_index, to_lines)
        if found is not None:
            tables.append(found[0])
            taken |= found[1]
    tables.sort(key=lambda t: (t.bbox or (0.0, 0.0, 0.0, 0.0))[1])
    return tables, [g for i, g in enumerate(glyphs) if i not in taken]
