"""Raw table fragments → one contract ``schemas.model.Table`` (header, resolved rows, spans, provenance).

Reads ``pipeline.types.RawTable`` fragments (one per page or text column a table runs over, from
``pipeline.tables.pdf_grids`` or from the text loader) and returns ``schemas.model.Table``. The rules are about
layout and punctuation only, never about a particular gazette:

- each fragment's column boundaries are read in its own frame, relative to its left edge (:func:`frame`): a
  table continued in the next text column, or in the other column of the next page, lines up with its first
  part; fragments whose relative boundaries differ are never one table;

- a first row holding one cell across the whole table (``专栏 …指标表``) is the caption;
- header rows are the first rows of short, value-free texts; a header repeated at the top of a later
  fragment is dropped (and a repeated header the finder left above a fragment, :func:`repeats_header`,
  does not stop the table from continuing there);
- a row split by a page break (its texts continue: no 。；！？ at the end of the previous part, no new
  numbered item at the start of the next one) is joined into one row; a merged cell that runs over the page
  break stays one cell;
- text extractions: a blank body cell is merged with the cell above, and a row that only continues the
  texts of the row above is joined into it.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.grammar.labels import CONTINUED_CAPTION, SEQUENCE_CELL, TABLE_CAPTION, TABLE_NOTE, split_label
from pipeline.grammar.labels import NUMBERED_LINE as NUMBERED
from pipeline.grammar.text import normalise
from pipeline.tables.headers import column_paths, row_paths
from pipeline.tables.pdf_grids import lines_to_cell_text
from pipeline.types import Line, RawCell, RawTable, RawTableStyle
from schemas.model import Source, Table, TableCell, TablePart, TableStyle

COL_TOLERANCE = 4.0  # points: column boundaries of two fragments closer than this are the same

_TERMINAL = "。；！？;!?"
_VALUE = re.compile(r"^[<>≤≥=+\-−~～]?\s*\d[\d,.\s]*(?:%|‰)?\*?$|^[-—–]{2,}$|^[/／]$")
_YEAR = re.compile(r"^(?:19|20)\d\d\s*年?$")
_NOTE = re.compile(r"^\s*(?:注|备注|说明|资料来源|数据来源)\s*\d?\s*[:：]")
_STYLE = {
    RawTableStyle.RULED: TableStyle.RULED,
    RawTableStyle.THREE_LINE: TableStyle.THREE_LINE,
    RawTableStyle.TEXT: TableStyle.TEXT,
}


def normalise_cell(text: str) -> str:
    """Normalise the whitespace of a cell text per the output contract (``pipeline.grammar.text.normalise``):
    whitespace next to a Chinese character or full-width punctuation removed, other runs collapsed to one
    space, ``"\\n"`` paragraph breaks kept, empty lines dropped. Idempotent."""
    return normalise(text)


def continues(prev: RawTable, nxt: RawTable) -> bool:
    """Whether fragment ``nxt`` (top of the next page) continues the table of fragment ``prev``.

    Reads the two fragments' styles, column counts and column boundaries, each fragment's boundaries in its own
    frame (:func:`relative_columns`: a table continued in the next text column, or in the other column of the
    next page, is printed further right or left). Returns True when both have the same style and the same
    columns: equal boundaries within
    ``COL_TOLERANCE`` points (three-line tables, whose boundaries are estimated from the text: the same
    number of columns in the same order), or the boundaries of one a subset of the other's with the same outer edges (a
    page whose rows happen not to use a fine column boundary). Text fragments compare column counts.
    A fragment that opens with its own caption row (one cell over the whole width) starts a new table,
    unless that row says 续表 or repeats the caption row of ``prev``.
    """
    if prev.style != nxt.style:
        return False
    opening = _caption_text(nxt)
    if opening is not None and not CONTINUED_CAPTION.match(opening) and opening != _caption_text(prev):
        return False
    if prev.style == RawTableStyle.TEXT or len(prev.col_x) < 2 or len(nxt.col_x) < 2:
        return prev.n_cols == nxt.n_cols
    if prev.style == RawTableStyle.THREE_LINE:
        return _three_line_continues(prev, nxt)
    a, b = relative_columns(prev), relative_columns(nxt)
    if abs(a[0] - b[0]) > COL_TOLERANCE or abs(a[-1] - b[-1]) > COL_TOLERANCE:
        return False
    return _subset_columns(a, b, _col_tolerance(prev))


def frame(t: RawTable) -> float:
    """The x of the fragment's own left edge (its first column boundary, else its box's left side): the origin
    of the frame its columns are compared and placed in."""
    if t.col_x:
        return t.col_x[0]
    return t.bbox[0] if t.bbox is not None else 0.0


def relative_columns(t: RawTable) -> list[float]:
    """The fragment's column boundaries relative to its own left edge (:func:`frame`): two fragments of one table
    printed in different text columns have the same relative boundaries."""
    x0 = frame(t)
    return [x - x0 for x in t.col_x]


def repeats_header(first: RawTable, lines: Sequence[Line]) -> bool:
    """Whether ``lines`` (the text over a fragment at the top of a page) repeat the header of the table whose
    first fragment is ``first``: their characters, spacing aside, are those of its first one, two or three
    rows (a header repeated above a table whose opening rule is not drawn, so that the finder left it out).
    """
    said = Counter(ch for ln in lines for ch in ln.text if not ch.isspace())
    if not said:
        return False
    seen: Counter[str] = Counter()
    for row in range(min(3, first.n_rows - 1)):
        seen.update(ch for c in first.cells if c.row == row for ch in c.text if not ch.isspace())
        if seen == said:
            return True
    return False


def only_repeats_header(first: RawTable, frag: RawTable) -> bool:
    """Whether fragment ``frag`` holds nothing but a repeat of the header of the table whose first fragment is
    ``first`` (a repeated header read as a fragment of its own above the rest of the page's part)."""
    lines = [Line(text=c.text, page_index=frag.page_index) for c in frag.cells]
    return frag is not first and repeats_header(first, lines)


def _three_line_continues(prev: RawTable, nxt: RawTable) -> bool:
    """Three-line fragments: both ends open (Word's page-break form: no closing rule under the first part, no
    opening rule over the next) with the columns of one on the other's (a page with blank first columns and no
    running rule to give its outer edges); or the same outer edges, and either both ends open (an empty column
    may hide on a page), an open
    top over some of the columns of ``prev`` (neighbouring columns read as one on that page), or the same
    columns in the same order (boundaries estimated from the text move with the widths of the texts on each
    page: each boundary between the neighbours of its counterpart is enough)."""
    pa, pb = prev.col_x, nxt.col_x
    if (
        prev.open_bottom
        and nxt.open_top
        and _subset_columns(pa, pb, _col_tolerance(prev if len(pa) <= len(pb) else nxt))
    ):
        return True  # a page without a running rule: its outer edges are its text's, blank first columns move them
    a, b = relative_columns(prev), relative_columns(nxt)
    outer = max(COL_TOLERANCE, 0.06 * (a[-1] - a[0]))
    if abs(a[0] - b[0]) > outer or abs(a[-1] - b[-1]) > outer:
        return False
    if prev.open_bottom and nxt.open_top:
        return True
    if nxt.open_top and len(b) < len(a) and all(min(abs(x - y) for y in a) <= _col_tolerance(prev) for x in b):
        return True  # no opening rule, fewer columns all on the table's: columns printed close read as one
    if len(a) == len(b):
        return all(a[k] < b[k + 1] and b[k] < a[k + 1] for k in range(len(a) - 1))
    if abs(a[0] - b[0]) > COL_TOLERANCE or abs(a[-1] - b[-1]) > COL_TOLERANCE:
        return False
    return _subset_columns(a, b, _col_tolerance(prev))


def _subset_columns(a: list[float], b: list[float], tol: float) -> bool:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if len(large) - len(small) > max(1, len(large) // 3):
        return False
    return all(min(abs(x - y) for y in large) <= tol for x in small)


def numbered_caption(text: str) -> bool:
    """Whether a cell's text is a numbered caption (``附表2 …``, ``表3 …``, ``专栏1 …``, ``续表2``): a caption the
    finder took into a text grid as a row of its own (a borderless table's caption over its open top)."""
    m = TABLE_CAPTION.match(text)
    return m is not None and bool(m.group("n") or m.group("m") or m.group("k")) and len(text) <= 60


def _caption_text(t: RawTable) -> str | None:
    """The text of the fragment's first row when it is one cell over the whole width, or its only filled cell
    and a numbered caption (None otherwise)."""
    if t.n_rows < 2 or t.n_cols < 2:
        return None
    first = [c for c in t.cells if c.row == 0]
    filled = [c for c in first if c.text.strip()]
    if len(filled) == 1 and numbered_caption(normalise_cell(filled[0].text)):
        return normalise_cell(filled[0].text)
    if t.style == RawTableStyle.TEXT:
        filled = [c for c in first if c.text.strip()]
        if len(filled) == 1 and filled[0].col == 0:
            return normalise_cell(filled[0].text)
        return None
    if len(first) == 1 and first[0].col == 0 and first[0].colspan == t.n_cols and first[0].text.strip():
        return normalise_cell(first[0].text)
    return None


# --------------------------------------------------------------------------- assembly


@dataclass(slots=True)
class _Anchor:
    """A raw cell placed on the table's reference columns."""

    cell: RawCell
    frag: RawTable
    row: int  # row in the fragment
    col: int  # reference column
    colspan: int
    rowspan: int
    text: str  # normalised


@dataclass(slots=True)
class _Logical:
    """A printed cell of the whole table, possibly spanning fragments."""

    part: TablePart
    row: int
    col: int
    rowspan: int
    colspan: int
    anchors: list[_Anchor] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    raw: str = ""

    @property
    def text(self) -> str:
        return "".join(self.texts)

    def add(self, a: _Anchor) -> None:
        if a.text and a.text != self.text:  # a merged cell's text printed again after a page break is said once
            joiner = "\n" if self.texts and (NUMBERED.match(a.text) or self._ends_paragraph()) else ""
            if self.texts and not joiner and self.text[-1:].isascii() and self.text[-1:].isalnum():
                joiner = " " if a.text[:1].isascii() and a.text[:1].isalnum() else ""
            self.texts.append(joiner + a.text)
            self.raw = f"{self.raw}{joiner}{a.cell.text}" if self.raw else a.cell.text
        self.anchors.append(a)

    def _ends_paragraph(self) -> bool:
        """Whether the text so far ends a paragraph: 。；！？ at the end of a line visibly short of the cell."""
        if self.text[-1:] not in _TERMINAL:
            return False
        last = next((a.cell for a in reversed(self.anchors) if a.text), None)
        if last is None or not last.lines or last.bbox is None or last.lines[-1].bbox is None:
            return True
        size = last.lines[-1].size or 10.0
        return last.lines[-1].bbox[2] < last.bbox[2] - 1.5 * size


def _col_tolerance(t: RawTable) -> float:
    """Ruled boundaries are printed rules; three-line boundaries are estimated from the text, so looser."""
    if t.style == RawTableStyle.THREE_LINE and len(t.col_x) >= 2:
        narrowest = min(b - a for a, b in zip(t.col_x, t.col_x[1:], strict=False))
        return max(COL_TOLERANCE, min(0.06 * (t.col_x[-1] - t.col_x[0]), 0.45 * narrowest))
    return COL_TOLERANCE


def _reference_columns(fragments: Sequence[RawTable]) -> list[float] | None:
    """The first fragment's column boundaries plus those of later fragments that are not near one of them, each
    relative to its fragment's left edge (None when a fragment has no geometry, or when three-line fragments
    share their column count)."""
    if any(len(f.col_x) != f.n_cols + 1 for f in fragments):
        return None
    if all(f.style == RawTableStyle.THREE_LINE for f in fragments):
        return None  # estimated boundaries: columns by index, or by the text's position (``_fragment_rows``)
    tol = _col_tolerance(fragments[0])
    xs = sorted(relative_columns(fragments[0]))
    for f in fragments[1:]:
        extra = [x for x in relative_columns(f) if min(abs(x - y) for y in xs) > tol]
        xs = sorted(xs + extra)
    return xs


def _nearest(bounds: list[float], x: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - x))


def _text_columns(fragments: Sequence[RawTable]) -> list[float] | None:
    """Three-line fragments whose column counts differ (a column left empty on a page is not seen): the
    column boundaries of the fragment with the most columns (relative to its left edge), onto which the others'
    texts are placed."""
    if all(f.style == RawTableStyle.THREE_LINE and len(f.col_x) == f.n_cols + 1 for f in fragments) and (
        len({f.n_cols for f in fragments}) > 1
    ):
        return relative_columns(max(fragments, key=lambda f: f.n_cols))
    return None


def _by_text(frag: RawTable, text_ref: list[float], n_cols: int) -> list[list[_Anchor]]:
    """A three-line fragment's text placed on the widest fragment's columns by the position of each word run
    (two columns printed close together on a page may have been read as one); a column no text reaches gets
    an empty cell (merged with the cell above when stitched)."""
    rows: list[list[_Anchor]] = [[] for _ in range(frag.n_rows)]
    starts = sorted({r.bbox[0] for c in frag.cells for r in c.runs if r.bbox is not None})
    for cell in frag.cells:
        if not (0 <= cell.row < frag.n_rows):
            continue
        by_col: dict[int, list[Line]] = {}
        for col, runs in _runs_by_column(cell.runs, text_ref, n_cols, starts):
            by_col.setdefault(col, []).extend(runs)
        for col, runs in by_col.items():
            lines = _runs_to_lines(runs, frag.page_index)
            text = cell.text if len(by_col) == 1 else lines_to_cell_text(lines, cell.bbox[2] if cell.bbox else None)
            part = RawCell(row=cell.row, col=col, text=text, bbox=cell.bbox, lines=lines)
            rows[cell.row].append(_Anchor(part, frag, cell.row, col, 1, 1, normalise_cell(text)))
    for r, anchors in enumerate(rows):
        taken = {a.col for a in anchors}
        anchors.extend(
            _Anchor(RawCell(row=r, col=c, text=""), frag, r, c, 1, 1, "") for c in range(n_cols) if c not in taken
        )
        anchors.sort(key=lambda a: a.col)
    return rows


def _char_width(ch: str) -> float:
    return 0.5 if unicodedata.east_asian_width(ch) in ("Na", "H") else 1.0  # “”、… are full-width in CJK fonts


def _split_run(run: Line, text_ref: list[float], starts: Sequence[float]) -> list[Line]:
    """A word run cut at an inner column boundary that it crosses (the texts of two neighbouring cells printed
    close together read as one run), when the run is wider than its characters (one em, the box's height;
    narrow Latin ½) by a visible gap and other runs of the fragment start just right of the boundary.
    The left part keeps the characters that fit before the boundary; the right part starts after the gap."""
    if run.bbox is None or len(run.text) < 2:
        return [run]
    x0, top, x1, bottom = run.bbox
    em = bottom - top
    gap = (x1 - x0) - em * sum(_char_width(ch) for ch in run.text)
    if em <= 0 or gap < 0.3 * em:
        return [run]
    for b in text_ref[1:-1]:
        if not (x0 + em < b < x1 - em and any(b < s <= b + 2 * em for s in starts)):
            continue
        acc = 0.0
        i = 0
        while i < len(run.text) and x0 + (acc + _char_width(run.text[i])) * em <= b + 0.25 * em:
            acc += _char_width(run.text[i])
            i += 1
        if 0 < i < len(run.text):
            left = Line(text=run.text[:i], page_index=run.page_index, bbox=(x0, top, x0 + acc * em, bottom))
            right = Line(text=run.text[i:], page_index=run.page_index, bbox=(x0 + acc * em + gap, top, x1, bottom))
            return [left, right]
    return [run]


def _runs_by_column(
    runs: list[Line], text_ref: list[float], n_cols: int, starts: Sequence[float] = ()
) -> list[tuple[int, list[Line]]]:
    """Word runs grouped by their left edge (the lines of one left-aligned cell), each group placed in the
    column holding the centre of its widest run (a cell spanning two columns goes to the second; its short
    last line follows it). A run crossing a column boundary is cut there first (:func:`_split_run`)."""
    groups: list[list[Line]] = []
    parts = [part for r in runs if r.bbox is not None for part in _split_run(r, text_ref, starts)]
    for run in sorted(parts, key=lambda r: r.bbox[0] if r.bbox else 0.0):
        if groups and groups[-1][0].bbox and run.bbox and run.bbox[0] - groups[-1][0].bbox[0] <= 2.0:
            groups[-1].append(run)
        else:
            groups.append([run])
    out: list[tuple[int, list[Line]]] = []
    for g in groups:
        widest = max(g, key=lambda r: (r.bbox[2] - r.bbox[0]) if r.bbox else 0.0)
        x = (widest.bbox[0] + widest.bbox[2]) / 2 if widest.bbox else 0.0
        out.append((min(max(bisect.bisect_right(text_ref, x) - 1, 0), n_cols - 1), g))
    return out


def _runs_to_lines(runs: list[Line], page_index: int) -> list[Line]:
    """Word runs of one column joined into printed lines (runs on the same line, left to right)."""
    out: list[Line] = []
    for run in sorted(runs, key=lambda r: (r.bbox[1] if r.bbox else 0.0, r.bbox[0] if r.bbox else 0.0)):
        last = out[-1] if out else None
        if last is not None and last.bbox is not None and run.bbox is not None and abs(last.bbox[1] - run.bbox[1]) < 2:
            box = (last.bbox[0], last.bbox[1], max(last.bbox[2], run.bbox[2]), max(last.bbox[3], run.bbox[3]))
            out[-1] = Line(text=last.text + run.text, page_index=page_index, bbox=box)
        else:
            out.append(Line(text=run.text, page_index=page_index, bbox=run.bbox))
    return out


def _fragment_rows(
    frag: RawTable, ref: list[float] | None, n_cols: int, text_ref: list[float] | None = None
) -> list[list[_Anchor]]:
    """The fragment's anchors placed on reference columns (boundaries relative to a fragment's left edge, placed
    at this fragment's left edge), grouped by the row they start in."""
    x0 = frame(frag)
    if text_ref is not None and frag.n_cols != n_cols:
        return _by_text(frag, [x + x0 for x in text_ref], n_cols)
    rows: list[list[_Anchor]] = [[] for _ in range(frag.n_rows)]
    for cell in sorted(frag.cells, key=lambda c: (c.row, c.col)):
        if not (0 <= cell.row < frag.n_rows and 0 <= cell.col < frag.n_cols):
            continue
        if ref is not None:
            c0 = _nearest(ref, frag.col_x[cell.col] - x0)
            c1 = _nearest(ref, frag.col_x[min(cell.col + cell.colspan, frag.n_cols)] - x0)
        else:
            c0, c1 = cell.col, min(cell.col + cell.colspan, n_cols)
        if c0 >= n_cols:
            continue
        c1 = max(c1, c0 + 1)  # a cell never vanishes, even on a column the reference grid merged
        rowspan = max(1, min(cell.rowspan, frag.n_rows - cell.row))
        rows[cell.row].append(_Anchor(cell, frag, cell.row, c0, c1 - c0, rowspan, normalise_cell(cell.text)))
    return rows


def _row_texts(anchors: list[_Anchor], n_cols: int) -> list[str]:
    out = [""] * n_cols
    for a in anchors:
        for c in range(a.col, min(a.col + a.colspan, n_cols)):
            out[c] = a.text
    return out


def _header_like(anchors: list[_Anchor]) -> bool:
    texts = [a.text for a in anchors if a.text and not TABLE_NOTE.match(a.text)]
    if not texts:
        return False
    for t in texts:
        if len(t) > 20 or t[-1] in _TERMINAL or "\n" in t:
            return False
        if (_VALUE.match(t) and not _YEAR.match(t)) or NUMBERED.match(t):
            return False
    return True


def _is_caption_row(anchors: list[_Anchor], n_cols: int, style: RawTableStyle) -> bool:
    filled = [a for a in anchors if a.text]
    if len(filled) == 1 and n_cols > 1 and numbered_caption(filled[0].text):
        return True
    if style == RawTableStyle.TEXT:
        filled = [a for a in anchors if a.text]
        return len(filled) == 1 and n_cols > 1 and filled[0].col == 0
    return len(anchors) == 1 and anchors[0].colspan == n_cols and n_cols > 1 and anchors[0].rowspan == 1


def _continues_text(prev: str, new: str) -> bool:
    """Whether ``new`` reads as the continuation of ``prev`` (no sentence end, no new numbered item)."""
    if not prev or not new or prev[-1] in _TERMINAL:
        return False
    return not (NUMBERED.match(new) or SEQUENCE_CELL.match(new))


def _empty_cols(anchors: list[_Anchor], n_cols: int) -> list[int]:
    """Reads a row's anchors; returns its empty columns (those no cell covers, then cells without text)."""
    covered = {c for a in anchors for c in range(a.col, a.col + a.colspan)}
    return [c for c in range(n_cols) if c not in covered] + [a.col for a in anchors if not a.text]


def continues_list(prev: str, new: str) -> bool:
    """Whether ``new`` is the next item of a numbered list held in one cell ``prev``: two or more of its
    paragraphs start with labels of one kind, and ``new`` starts with the label after the last of them."""
    items = [lb for lb in (split_label(p) for p in prev.split("\n")) if lb is not None]
    nxt = split_label(new)
    if nxt is None or nxt.number is None or len(items) < 2 or any(lb.kind is not nxt.kind for lb in items):
        return False
    return items[-1].number == nxt.number - 1


def _cell_votes(
    owners: list[_Logical | None], filled: list[_Anchor], page_break: bool = False
) -> tuple[int, bool] | None:
    """Reads a row's filled cells and the cells above; returns (votes, any long text run on), None if one starts
    anew. After a page break, the next item of a numbered list held in the cell above runs on (+1)."""
    votes = 0
    long_text = False
    for a in filled:
        o = owners[a.col]
        if page_break and len(filled) == 1 and o is not None and continues_list(o.text, a.text):
            votes += 1
            continue
        if o is None or not o.text or SEQUENCE_CELL.match(a.text) or NUMBERED.match(a.text) or _NOTE.match(a.text):
            return None
        if _continues_text(o.text, a.text):
            votes += 1
            long_text = long_text or len(o.text) >= 10
        elif o._ends_paragraph():
            votes -= 1  # the text above ended its paragraph on a short line: a new row starts
    return votes, long_text


def _should_join(
    owners: list[_Logical | None], anchors: list[_Anchor], n_cols: int, last: int, pdf: bool, page_break: bool = False
) -> bool:
    """Whether a row continues the last row (a row split by a page break, or a text row that only continues).

    No cell may start a new item (a numbered marker, a bare sequence number or a note 注：), except, after a page
    break, the one filled cell of a row going on with the numbered list of the cell above. Then each non-empty cell
    votes: +1 when it continues the text above (no 。；！？ at its end), -1 when the text above ended its
    paragraph (。；！？ on a line visibly short of the cell), 0 otherwise. PDF: a cell left empty under a
    cell that started in the last row (a short cell finished before the page break) is a +1 too. A row
    with no empty cell joins only when (nearly) all its cells run on from long texts.
    """
    filled = [a for a in anchors if a.text]
    empty_cols = _empty_cols(anchors, n_cols)
    if not filled:
        return False
    votes = 0
    if pdf and any((o := owners[c]) is not None and o.row == last and o.rowspan == 1 and o.text for c in empty_cols):
        votes += 1
    cast = _cell_votes(owners, filled, page_break)
    if cast is None:
        return False
    votes += cast[0]
    long_text = cast[1]
    if empty_cols:
        return votes > 0
    # a row without an empty cell: only when (nearly) every cell visibly runs on from long texts above
    return pdf and long_text and votes >= max(2, len(filled) - 1)


def fragments_to_table(
    fragments: list[RawTable],
    table_id: str,
    printed: dict[int, int | None],
    caption: str | None = None,
    number: int | None = None,
) -> Table:
    """Stitch the fragments of one table into a contract ``Table``.

    Reads: the fragments in page order (``continues`` already decided they are one table), ``printed``
    (page index → printed page number), an optional caption and table number.
    Returns: the ``Table`` with ``header`` (rows of header texts, a merged header cell repeated over the
    columns it spans), ``rows`` (every position filled with the text of the cell covering it), ``cells``
    (one per printed cell with its span and ``Source``), ``row_pages``, ``pages``, ``style`` and ``source``.

    Guaranteed after:
    1. a caption row (one cell over the whole width, or a single non-empty text cell) is not a header and
       becomes ``caption`` when none was given; header rows repeated on later fragments are dropped;
    2. a body row split by a page break is one row; a merged cell running over a page break is one cell;
    3. text and three-line fragments: blank body cells are merged with the cell above (text fragments: rows
       continuing the texts of the row above are joined into it);
    4. all texts are normalised with ``normalise_cell``; ``Source.text`` keeps the raw text;
       note rows at the end (one cell over the whole width starting 注：/备注：/资料来源：…) go to ``notes``;
    5. never raises on well-formed fragments; an empty fragment list gives an empty table.
    """
    if not fragments:
        return Table(id=table_id, number=number, caption=normalise_cell(caption) if caption else caption)
    ref = _reference_columns(fragments)
    n_cols = len(ref) - 1 if ref is not None else max(f.n_cols for f in fragments)
    text_ref = _text_columns(fragments)
    frag_rows = [_fragment_rows(f, ref, n_cols, text_ref) for f in fragments]
    style = fragments[0].style
    # text and three-line tables draw no merged cells: a blank body cell is merged with the cell above
    blank_merges = style in (RawTableStyle.TEXT, RawTableStyle.THREE_LINE)

    # caption and header rows of the first fragment
    first = frag_rows[0]
    start = 1 if len(first) > 1 and _is_caption_row(first[0], n_cols, style) else 0
    if start and caption is None:
        caption = next((a.text for a in first[0] if a.text), None)
    n_header = _count_header_rows(first, start, more=len(fragments) > 1)
    header_rows, header_cells, header_notes = _header(first, start, n_header, n_cols)

    body = _Body(
        n_cols=n_cols,
        is_text=style == RawTableStyle.TEXT,
        blank_merges=blank_merges,
        sparse=_sparse_columns(frag_rows, start + n_header, n_cols) if blank_merges else set(),
    )
    for k, (frag, rows) in enumerate(zip(fragments, frag_rows, strict=True)):
        r0 = start + n_header if k == 0 else _later_start(rows, header_rows, caption, first[start : start + 1], n_cols)
        _add_fragment(body, frag, rows, r0, k > 0)

    notes = _pop_notes(body.owner, body.row_frag, body.logical, n_cols, blank_merges)
    table = _build_table(
        table_id,
        number,
        caption,
        fragments,
        printed,
        header_rows,
        header_cells,
        body.logical,
        body.owner,
        body.row_frag,
        n_cols,
    )
    table.notes = header_notes + notes
    table.column_paths = column_paths(table)
    table.row_paths = row_paths(table)
    return table


def _later_start(
    rows: list[list[_Anchor]], header: list[list[str]], caption: str | None, first_row: list[list[_Anchor]], n_cols: int
) -> int:
    """The first body row of a later fragment: after a repeated caption and header, or after an unmarked
    first row of the table repeated at the top of the page."""
    r0 = _skip_repeats(rows, header, caption, n_cols)
    if (
        not header
        and r0 == 0
        and rows
        and first_row
        and _row_texts(rows[0], n_cols) == _row_texts(first_row[0], n_cols)
    ):
        return 1
    return r0


@dataclass(slots=True)
class _Body:
    """The body rows being assembled: which logical cell covers each position, and each row's fragment."""

    n_cols: int
    is_text: bool
    blank_merges: bool
    sparse: set[int]
    owner: list[list[_Logical | None]] = field(default_factory=list)
    row_frag: list[RawTable] = field(default_factory=list)
    logical: list[_Logical] = field(default_factory=list)


def _header(
    first: list[list[_Anchor]], start: int, n_header: int, n_cols: int
) -> tuple[list[list[str]], list[_Logical], list[str]]:
    """The header rows' texts, their printed cells and the notes printed inside the header (勾稽关系, 注：).

    A note cell stays a cell (part ``note``, with its span) but gives no text to the header rows."""
    header_rows: list[list[str]] = [[""] * n_cols for _ in range(n_header)]
    header_cells: list[_Logical] = []
    notes: list[str] = []
    for r in range(start, start + n_header):
        for a in first[r]:
            is_note = bool(a.text and TABLE_NOTE.match(a.text))
            part = TablePart.NOTE if is_note else TablePart.HEADER
            lc = _Logical(part, r - start, a.col, min(a.rowspan, start + n_header - r), a.colspan)
            lc.add(a)
            header_cells.append(lc)
            if is_note:
                notes.append(normalise_cell(a.text))
                continue
            for hr in range(lc.row, lc.row + lc.rowspan):
                for hc in range(lc.col, min(lc.col + lc.colspan, n_cols)):
                    header_rows[hr][hc] = a.text
    return header_rows, header_cells, notes


def _add_fragment(body: _Body, frag: RawTable, rows: list[list[_Anchor]], r0: int, later: bool) -> None:
    """Add the body rows of one fragment from row ``r0``: the first one after a page break may be joined
    to the last row (a row cut by the break); text rows and three-line rows (no rule between rows: a cell
    whose merged text is printed again under a page break reads as rows of its own) that only continue the
    row above are joined."""
    next_g = len(body.owner)  # the global index of the next new body row
    for r in range(r0, len(rows)):
        anchors = rows[r]
        last = next_g - 1
        page_break = later and r == r0
        if (
            last >= 0
            and (body.is_text or page_break or frag.style == RawTableStyle.THREE_LINE)
            and _should_join(body.owner[last], anchors, body.n_cols, last, not body.is_text, page_break)
        ):
            _join_row(anchors, last, body.owner, body.row_frag, body.logical, frag, body.n_cols)
            continue
        _add_row(body, frag, anchors, next_g, page_break)
        next_g += 1


def _add_row(body: _Body, frag: RawTable, anchors: list[_Anchor], g: int, page_break: bool) -> None:
    """Place the anchors of a new body row ``g``: each continues the merged cell above it or starts a cell."""
    owner = body.owner
    _extend_rows(owner, body.row_frag, g, body.n_cols, frag)
    new_group_at = min((b.col for b in anchors if b.text and b.col in body.sparse), default=body.n_cols)
    for a in anchors:
        if owner[g][a.col] is not None:
            continue  # covered by a span from above (malformed grid): the first anchor wins
        above = owner[g - 1][a.col] if g > 0 else None
        _extend_rows(owner, body.row_frag, g + a.rowspan - 1, body.n_cols, frag)
        if (
            above is not None
            and not (body.blank_merges and not a.text and a.col > new_group_at)
            and above.part == TablePart.BODY
            and above.col == a.col
            and above.colspan == a.colspan
            and _merges_down(above, a, g, body.blank_merges, page_break)
        ):
            above.add(a)
            _grow(above, g + a.rowspan - 1, owner)
        else:
            _place(_new(a, g, body.logical), owner)


def _pop_notes(
    owner: list[list[_Logical | None]],
    row_frag: list[RawTable],
    logical: list[_Logical],
    n_cols: int,
    text_row: bool,
) -> list[str]:
    """Remove the note rows at the table's end (one cell over the whole width: 注：… / 资料来源：…)."""
    notes: list[str] = []
    while len(owner) > 1:
        last = len(owner) - 1
        cells = list({id(o): o for o in owner[last] if o is not None}.values())
        starting = [o for o in cells if o.text and o.row == last]  # others are blanks merged from above
        if len(starting) != 1 or not _NOTE.match(starting[0].text):
            break
        note = starting[0]
        if not (note.colspan == n_cols or (text_row and note.col == 0)):
            break
        notes.insert(0, normalise_cell(note.text))
        owner.pop()
        row_frag.pop()
        logical[:] = [o for o in logical if o.row < last]
        for o in cells:
            if o.row < last:
                o.rowspan = last - o.row
    return notes


def _join_row(
    anchors: list[_Anchor],
    last: int,
    owner: list[list[_Logical | None]],
    row_frag: list[RawTable],
    logical: list[_Logical],
    frag: RawTable,
    n_cols: int,
) -> None:
    """Join a row into body row ``last``: each cell's text continues the cell covering it there."""
    _extend_rows(owner, row_frag, last + max((a.rowspan for a in anchors), default=1) - 1, n_cols, frag)
    for a in anchors:
        o = owner[last][a.col]
        if o is None:
            _place(_new(a, last, logical), owner)
            continue
        o.add(a)
        _grow(o, last + a.rowspan - 1, owner)


def _count_header_rows(rows: list[list[_Anchor]], start: int, more: bool) -> int:
    """Header rows at the top of the first fragment: header-like rows, extended over the rows header cells
    span, and over a sub-header row under a header cell merged across columns. At least one body row must
    remain, unless later fragments follow (a table whose header ends a page)."""
    keep = 0 if more else 1
    if len(rows) - start < 1 + keep or not _header_like(rows[start]):
        return 0
    n = 1
    while start + n < len(rows):
        spans_down = any(a.row + a.rowspan > start + n for r in range(start, start + n) for a in rows[r])
        multi_level = any(a.colspan > 1 for a in rows[start + n - 1]) and _header_like(rows[start + n])
        if (spans_down or multi_level) and len(rows) - start - n > keep:
            n += 1
        else:
            break
    return n


def _skip_repeats(rows: list[list[_Anchor]], header: list[list[str]], caption: str | None, n_cols: int) -> int:
    """How many rows at the top of a later fragment repeat the caption (or say 续表) and the header."""
    r = 0
    first = [a.text for a in rows[0] if a.text] if rows else []
    if len(first) == 1 and (CONTINUED_CAPTION.match(first[0]) or (caption and first[0] == normalise_cell(caption))):
        r = 1
    if header and len(rows) - r >= len(header):
        if all(_row_texts(rows[r + i], n_cols) == header[i] for i in range(len(header))):
            r += len(header)
    return r


def _sparse_columns(frag_rows: list[list[list[_Anchor]]], first_body: int, n_cols: int) -> set[int]:
    """Group columns of a table without drawn merges: columns filled in fewer than 60 % of the body rows.

    A new text in a group column starts a new group: a blank cell to its right does not carry the value
    of the previous group down (``五、…`` with a blank ``（X）`` column has no ``（X）`` task)."""
    filled = [0] * n_cols
    total = 0
    for k, rows in enumerate(frag_rows):
        for r in rows[first_body if k == 0 else 0 :]:
            total += 1
            for a in r:
                if a.text and 0 <= a.col < n_cols:
                    filled[a.col] += 1
    return {c for c in range(n_cols) if total and filled[c] / total < 0.6}


def _merges_down(above: _Logical, a: _Anchor, g: int, blank_merges: bool, page_break: bool) -> bool:
    """Whether anchor ``a`` starting row ``g`` is the continuation of the cell ``above`` (merged cell)."""
    if above.row + above.rowspan != g:
        return False
    if blank_merges and not a.text and a.rowspan == 1:
        return True
    if not page_break:
        return False
    if not a.text:  # an empty cell at the top of a page continues the (merged) cell above it
        return True
    # a merged, numbered group label (二、…) whose text runs on at the top of the next page
    merged = above.rowspan > 1 or a.rowspan > 1
    if merged and a.text == above.text:
        return True  # a merged cell printing its text again on the next page (Word repeats it)
    return merged and bool(NUMBERED.match(above.text)) and _continues_text(above.text, a.text)


def _new(a: _Anchor, row: int, logical: list[_Logical]) -> _Logical:
    lc = _Logical(TablePart.BODY, row, a.col, a.rowspan, a.colspan)
    lc.add(a)
    logical.append(lc)
    return lc


def _extend_rows(
    owner: list[list[_Logical | None]], row_frag: list[RawTable], upto: int, n_cols: int, f: RawTable
) -> None:
    while len(owner) <= upto:
        owner.append([None] * n_cols)
        row_frag.append(f)


def _place(lc: _Logical, owner: list[list[_Logical | None]], n_rows: int | None = None) -> None:
    last = lc.row + lc.rowspan if n_rows is None else min(lc.row + lc.rowspan, n_rows)
    for r in range(lc.row, min(last, len(owner))):
        for c in range(lc.col, min(lc.col + lc.colspan, len(owner[r]))):
            if owner[r][c] is None:
                owner[r][c] = lc


def _grow(lc: _Logical, last_row: int, owner: list[list[_Logical | None]]) -> None:
    if last_row >= lc.row + lc.rowspan:
        lc.rowspan = last_row - lc.row + 1
    _place(lc, owner)


def _source(a: _Anchor, printed: dict[int, int | None], raw: str, parts: list[Source] | None = None) -> Source:
    f, cell = a.frag, a.cell
    if f.style == RawTableStyle.TEXT:
        line = cell.lines[0].line_no if cell.lines and cell.lines[0].line_no else None
        if line is None and f.first_line_no is not None:
            line = f.first_line_no + a.row
        return Source(page=printed.get(f.page_index), line=line, text=raw)
    return Source(
        page=printed.get(f.page_index),
        pdf_page=f.page_index + 1,
        bbox=[round(v, 2) for v in cell.bbox] if cell.bbox else None,
        text=raw,
        parts=parts,
    )


def _pieces(lc: _Logical, printed: dict[int, int | None]) -> list[Source] | None:
    """A cell printed in pieces on several fragments (cut by a page break, continued in the next text column):
    each fragment's piece, its page, its box (the union of the cell's boxes there) and raw text; None for a cell
    of one fragment or of a text extraction."""
    by_frag: dict[int, list[_Anchor]] = {}
    for a in lc.anchors:
        by_frag.setdefault(id(a.frag), []).append(a)
    if len(by_frag) < 2 or lc.anchors[0].frag.style == RawTableStyle.TEXT:
        return None
    out: list[Source] = []
    for anchors in by_frag.values():
        f = anchors[0].frag
        boxes = [a.cell.bbox for a in anchors if a.cell.bbox is not None]
        text = "\n".join(a.cell.text for a in anchors if a.cell.text)
        if not boxes and not text:
            continue  # a column no text reaches on that page (three-line parts placed by their text)
        box = (
            [round(min(b[i] for b in boxes) if i < 2 else max(b[i] for b in boxes), 2) for i in range(4)]
            if boxes
            else None
        )
        out.append(Source(page=printed.get(f.page_index), pdf_page=f.page_index + 1, bbox=box, text=text or None))
    return out if len(out) >= 2 else None


def _build_table(
    table_id: str,
    number: int | None,
    caption: str | None,
    fragments: list[RawTable],
    printed: dict[int, int | None],
    header_rows: list[list[str]],
    header_cells: list[_Logical],
    logical: list[_Logical],
    owner: list[list[_Logical | None]],
    row_frag: list[RawTable],
    n_cols: int,
) -> Table:
    rows: list[list[str | None]] = [[normalise_cell(o.text) if o is not None else None for o in row] for row in owner]
    cells: list[TableCell] = []
    for lc in header_cells + sorted(logical, key=lambda x: (x.row, x.col)):
        cells.append(
            TableCell(
                part=lc.part,
                row=lc.row,
                col=lc.col,
                rowspan=lc.rowspan,
                colspan=lc.colspan,
                text=normalise_cell(lc.text),
                source=_source(lc.anchors[0], printed, lc.raw, _pieces(lc, printed)) if lc.anchors else None,
            )
        )
    first = fragments[0]
    pages = sorted({p for f in fragments if (p := printed.get(f.page_index)) is not None})
    if first.style == RawTableStyle.TEXT:
        source = Source(page=printed.get(first.page_index), line=first.first_line_no)
    else:
        source = Source(
            page=printed.get(first.page_index),
            pdf_page=first.page_index + 1,
            bbox=[round(v, 2) for v in first.bbox] if first.bbox else None,
        )
    return Table(
        id=table_id,
        number=number,
        caption=normalise_cell(caption) if caption else caption,
        header=[list(r) for r in header_rows],
        rows=rows,
        pages=pages,
        style=_STYLE[first.style],
        row_pages=[printed.get(f.page_index) for f in row_frag],
        cells=cells,
        source=source,
    )
