"""Stage 2b: clean pages → pages read column by column where they are printed in two columns.

Reads: ``list[Page]`` after the furniture stage (PDF geometry; text and DOCX pages, and pages a loader already
ordered, pass through untouched).
Writes: on a two-column page, ``lines`` in reading order with ``ordered`` set, each column line carrying its
column's text edges in ``column``, and ``columns`` listing the page's regions in reading order (a line, table or
figure belongs to the region holding its centre); a line the text map joined across the gutter is split into its
left and right parts.
Guaranteed after:
  1. a page is two-column only where a vertical band at least one em wide, near the middle of the text, is
     crossed by few line runs and has at least ``MIN_FULL`` lines as wide as their column on each side, the two
     columns of comparable width filling the text block; or where a justified column (``MIN_JUSTIFIED`` lines on
     one right edge, at least ``MIN_COLUMN_SHARE`` of the page wide) fills the left half with only lines that fit
     its mirror image beside it; every other page is returned exactly as it came;
  2. a full-width element (a title, a table or figure across the gutter) cuts the page into bands: each band is
     read left column then right column, the full-width elements in their place by height;
  3. a page without two columns of its own takes the columns of the nearest two-column page of the file when
     none of its runs crosses that gutter and all of them fit those columns (a document starting low in the
     left column, a last page with a short right column); a file without any two-column page is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from pipeline.types import BBox, Line, Page

MIN_FULL = 3  # lines as wide as their column needed on each side of a gutter
FULL = 0.8  # a line at least this fraction of its column's width is a full line
MIN_COLUMN_EMS = 8.0  # a column narrower than this many ems is not a text column
MIN_JUSTIFIED = 5  # lines ending on the same right edge that make a left column without a right one
MIN_COLUMN_SHARE = 0.3  # ... at least this fraction of the page wide
MAX_CROSSING = 0.25  # at most this fraction of a page's runs may cross the gutter (full-width titles, headings)


@dataclass(frozen=True, slots=True)
class Gutter:
    """Two text columns: the left column's edges, the gutter, the right column's edges (PDF points)."""

    left: tuple[float, float]
    right: tuple[float, float]
    gap: tuple[float, float] | None = None  # the white band between the two sides' runs, as measured

    @property
    def band(self) -> tuple[float, float]:
        return self.left[1], self.right[0]

    @property
    def mid(self) -> float:
        """The x a line part must start right of to be in the right column: the middle of the white band between
        the columns' runs (a right column whose commonest left edge is indented, e.g. a 目录 with its 节 entries
        indented under 章 entries, starts left of the middle of ``band``)."""
        return sum(self.gap or self.band) / 2


def runs(page: Page) -> list[Line]:
    """The page's line runs: each line's ``parts`` where a wide gap parts it, else the line itself."""
    out: list[Line] = []
    for ln in page.lines:
        if ln.bbox is None:
            continue
        out.extend(p for p in (ln.parts or [ln]) if p.bbox is not None and p.text.strip())
    return out


def _em(items: list[Line]) -> float:
    sizes = [ln.size for ln in items if ln.size]
    return float(median(sizes)) if sizes else 12.0


def _crosses(ln: Line, x0: float, x1: float) -> bool:
    assert ln.bbox is not None
    return ln.bbox[0] < x1 and ln.bbox[2] > x0


def _column_edges(side: list[BBox], em: float) -> tuple[float, float] | None:
    """A side's text edges (its commonest left edge, its right edge) if it reads as a text column."""
    if len(side) < MIN_FULL:
        return None
    x0s = sorted(round(b[0]) for b in side)
    x1s = sorted(b[2] for b in side)
    left = float(min(x0s))
    right = x1s[int((len(x1s) - 1) * 0.9)]
    width = right - left
    if width < MIN_COLUMN_EMS * em:
        return None
    if sum(1 for b in side if b[2] - b[0] >= FULL * width) < MIN_FULL:
        return None
    commonest = max(set(x0s), key=lambda x: (x0s.count(x), -x))
    return float(commonest), right


def _emptiest_band(items: list[Line]) -> tuple[int, float, float]:
    """The band of the middle 40 % of the text's width crossed by the fewest runs: (crossings, x0, x1)."""
    lo = min(ln.bbox[0] for ln in items if ln.bbox)
    span = max(ln.bbox[2] for ln in items if ln.bbox) - lo
    steps = max(int(span * 0.4), 1)
    best = (len(items) + 1, lo, lo)
    for k in range(steps + 1):
        x = lo + span * 0.3 + k * (span * 0.4 / steps)
        n = sum(1 for ln in items if _crosses(ln, x, x))
        if n < best[0]:
            best = (n, x, x)
        elif n == best[0] and abs(x - best[2]) <= 1.5:
            best = (n, best[1], x)
    return best


def find_gutter(page: Page) -> Gutter | None:
    """The gutter of a two-column page, or None (see the module docstring, guarantee 1)."""
    items = runs(page)
    if len(items) < 2 * MIN_FULL or not page.width:
        return None
    em = _em(items)
    n, x0, x1 = _emptiest_band(items)
    if n > MAX_CROSSING * len(items):
        return None
    left = [ln.bbox for ln in items if ln.bbox is not None and ln.bbox[2] <= x0]
    right = [ln.bbox for ln in items if ln.bbox is not None and ln.bbox[0] >= x1]
    le, re_ = _column_edges(left, em), _column_edges(right, em)
    if le is None:
        return None
    if re_ is None:
        return _left_column_alone(left, right, le, page.width, em)
    g0, g1 = max(b[2] for b in left), min(b[0] for b in right)
    if g1 - g0 < em or not _balanced(le, re_, items, em):
        return None
    return Gutter(left=le, right=re_, gap=(g0, g1))


def _left_column_alone(
    left: list[BBox], right: list[BBox], le: tuple[float, float], width: float, em: float
) -> Gutter | None:
    """A justified column in the left half of the page with at most a few short lines beside it (a document
    that ends high in the right column, or starts low in the left one): the right column mirrors the left."""
    flush = sum(1 for b in left if abs(b[2] - le[1]) <= 1.0)
    if flush < MIN_JUSTIFIED or le[1] > width / 2 or le[1] - le[0] < MIN_COLUMN_SHARE * width:
        return None
    mirrored = (width - le[1], width - le[0])
    if mirrored[0] - le[1] < em:
        return None
    if any(b[0] < mirrored[0] - em or b[2] > mirrored[1] + em for b in right):
        return None
    return Gutter(left=le, right=mirrored)


def _balanced(le: tuple[float, float], re_: tuple[float, float], items: list[Line], em: float) -> bool:
    """Two columns of comparable width filling the text block from its left edge to its right edge."""
    lo = min(ln.bbox[0] for ln in items if ln.bbox)
    hi = max(ln.bbox[2] for ln in items if ln.bbox)
    wl, wr = le[1] - le[0], re_[1] - re_[0]
    return min(wl, wr) >= 0.6 * max(wl, wr) and le[0] <= lo + 2.5 * em and re_[1] >= hi - em


def _fits(page: Page, g: Gutter) -> bool:
    """Whether no run of the page crosses the gutter ``g`` and every run fits one of its columns."""
    items = runs(page)
    if not items:
        return False
    em = _em(items)
    for ln in items:
        assert ln.bbox is not None
        if _crosses(ln, g.mid, g.mid):
            return False
        in_left = ln.bbox[0] >= g.left[0] - em and ln.bbox[2] <= g.left[1] + em
        in_right = ln.bbox[0] >= g.right[0] - em and ln.bbox[2] <= g.right[1] + em
        if not (in_left or in_right):
            return False
    return True


def _split(ln: Line, g: Gutter) -> list[Line]:
    """A line whose runs lie on both sides of the gutter → its left part and its right part."""
    if not ln.parts:
        return [ln]
    mid = g.mid
    sides = [[p for p in ln.parts if p.bbox and p.bbox[2] <= mid], [p for p in ln.parts if p.bbox and p.bbox[0] > mid]]
    if not sides[0] or not sides[1] or len(sides[0]) + len(sides[1]) != len(ln.parts):
        return [ln]
    return [_merge(side) for side in sides]


def _merge(parts: list[Line]) -> Line:
    if len(parts) == 1:
        return parts[0]
    main = max(parts, key=lambda p: len(p.text))
    boxes = [p.bbox for p in parts if p.bbox is not None]
    return Line(
        text=" ".join(p.text for p in parts),
        page_index=main.page_index,
        bbox=(min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)),
        font=main.font,
        size=main.size,
        color=main.color,
        bold=main.bold,
        lead=parts[0].lead,
        parts=parts,
    )


def _regions(page: Page, g: Gutter, lines: list[Line]) -> list[BBox]:
    """The page's regions in reading order: bands of two columns cut by full-width lines, tables and figures."""
    assert page.width is not None and page.height is not None
    g0, g1 = g.band
    mid = g.mid
    wide: list[BBox] = [ln.bbox for ln in lines if ln.bbox is not None and _crosses(ln, mid, mid)]
    boxes = [t.bbox for t in page.tables] + [f.bbox for f in page.figures]
    wide += [b for b in boxes if b is not None and b[0] < g0 and b[2] > g1]
    wide.sort(key=lambda b: b[1])
    out: list[BBox] = []
    top = 0.0
    for b in wide:
        if b[1] > top:
            out += [(0.0, top, mid, b[1]), (mid, top, page.width, b[1])]
        out.append((0.0, b[1], page.width, max(b[3], b[1] + 0.01)))
        top = max(top, b[3])
    out += [(0.0, top, mid, page.height + 1), (mid, top, page.width, page.height + 1)]
    return out


def region_of(box: BBox, regions: list[BBox]) -> int:
    """The index of the region holding the centre of ``box`` (the nearest one by height if none holds it)."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    for i, r in enumerate(regions):
        if r[0] <= cx < r[2] and r[1] <= cy < r[3]:
            return i
    return min(range(len(regions)), key=lambda i: (abs(cy - (regions[i][1] + regions[i][3]) / 2), i))


def _read(page: Page, g: Gutter) -> None:
    lines = [part for ln in page.lines for part in (_split(ln, g) if ln.bbox is not None else [ln])]
    regions = _regions(page, g, lines)
    mid = g.mid
    keyed = []
    for i, ln in enumerate(lines):
        if ln.bbox is None:
            keyed.append((len(regions), float(i), 0.0, ln))
            continue
        r = region_of(ln.bbox, regions)
        full_width = regions[r][0] == 0.0 and regions[r][2] == page.width
        if not full_width:
            ln.column = g.left if ln.bbox[0] < mid else g.right
        keyed.append((r, ln.top, ln.x0, ln))
    keyed.sort(key=lambda k: (k[0], k[1], k[2]))
    page.lines = [k[3] for k in keyed]
    page.columns = regions
    page.ordered = True


def pages_to_column_pages(pages: list[Page]) -> list[Page]:
    """Clean pages → pages read column by column where printed in two columns (see the module docstring)."""
    gutters: dict[int, Gutter] = {}
    for k, p in enumerate(pages):
        if p.ordered or not p.width or not p.height:
            continue
        g = find_gutter(p)
        if g is not None:
            gutters[k] = g
    if not gutters:
        return pages
    for k, p in enumerate(pages):
        if p.ordered or not p.width or not p.height:
            continue
        g = gutters.get(k)
        if g is None:
            nearest = min(gutters, key=lambda j: (abs(j - k), j))
            if _fits(p, gutters[nearest]):
                g = gutters[nearest]
        if g is not None:
            _read(p, g)
    return pages
