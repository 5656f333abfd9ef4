"""Stage 3: clean pages → blocks in reading order (paragraphs, tables, figures).

Reads: ``list[Page]`` after the furniture stage (no running headers or page labels left in ``lines``).
Writes: ``list[Block]``:
  - PARAGRAPH: wrapped lines joined into one paragraph, Chinese text joined with no space inserted
    (a space is kept only between two Latin letters/digits), ``lines`` keeping every printed line;
  - TABLE: a table with all its fragments: a table that ends one page and continues at the top of the
    next, or ends a text column of a two-column page and continues at the top of the next column
    (``pipeline.tables.stitch.continues``, columns compared relative to each fragment's left edge), is one
    block; a fragment under any text of its column, or with its own caption, starts a new table;
  - FIGURE: an image box (its caption is a paragraph of its own, found by later stages).
Guaranteed after:
  1. blocks are in reading order: pages in order; in a page top to bottom (PDF) or by line (text);
  2. a paragraph continues across a page break when its sentence has not ended and the next page
     starts without a first-line indent (PDF) / the text line after the break is not a heading (text);
  3. a contents line with dot leaders and a page number is always a paragraph of its own;
  4. each paragraph's ``text`` is whitespace-normalised per the output contract;
  5. a line opening with a 条 (``第十二条 …``, ``grammar.labels.ARTICLE_HEAD``) after a sentence end starts a
     paragraph, even when the line above is full (a law's text has no first-line indent).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.grammar.doctypes import TITLE_END
from pipeline.grammar.labels import ARTICLE_HEAD, HEADING_START, is_bare_attachment_label
from pipeline.grammar.text import ends_sentence, one_line
from pipeline.grammar.toc import TOC_LINE
from pipeline.layout.columns import region_of
from pipeline.tables.stitch import continues, only_repeats_header, repeats_header
from pipeline.types import BBox, Block, BlockKind, Line, Page, RawFigure, RawTable

_LATIN_END = re.compile(r"[A-Za-z0-9]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9]")


def join_lines(texts: list[str]) -> str:
    """Join wrapped lines: no space between Chinese characters, one space between Latin words."""
    out = ""
    for t in texts:
        t = t.strip()
        if not t:
            continue
        if out and _LATIN_END.search(out) and _LATIN_START.match(t):
            out += " " + t
        else:
            out += t
    return one_line(out)


@dataclass(slots=True)
class _Metrics:
    left: float
    right: float
    pitch: float  # typical distance between the tops of consecutive body lines
    centre: dict[int, float]  # page index → horizontal centre of the page


def _full_lines(pages: list[Page]) -> set[int]:
    """The ids of the lines that span most of the usual line width (the body text's lines): the many short,
    tightly spaced lines of a table read as text would otherwise set the margin and the line pitch."""
    widths = sorted(ln.bbox[2] - ln.bbox[0] for p in pages for ln in p.lines if ln.bbox is not None)
    if not widths:
        return set()
    usual = widths[int(len(widths) * 0.9)]
    return {id(ln) for p in pages for ln in p.lines if ln.bbox is not None and ln.bbox[2] - ln.bbox[0] >= 0.6 * usual}


def _metrics(pages: list[Page]) -> _Metrics:
    xs: Counter[float] = Counter()
    rights: list[float] = []
    pitches: Counter[float] = Counter()
    full = _full_lines(pages)
    for p in pages:
        prev: Line | None = None
        for ln in p.lines:
            if ln.bbox is None:
                continue
            if id(ln) in full:
                xs[round(ln.bbox[0])] += 1
            rights.append(ln.bbox[2])
            if (
                prev is not None
                and prev.bbox is not None
                and id(prev) in full
                and id(ln) in full
                and 0 < ln.bbox[1] - prev.bbox[1] < 60
            ):
                pitches[round(ln.bbox[1] - prev.bbox[1])] += 1
            prev = ln
    left = float(xs.most_common(1)[0][0]) if xs else 0.0
    rights.sort()
    right = rights[int(len(rights) * 0.9)] if rights else 0.0
    pitch = float(pitches.most_common(1)[0][0]) if pitches else 20.0
    centre = {p.index: p.width / 2 for p in pages if p.width}
    return _Metrics(left=left, right=right, pitch=pitch, centre=centre)


def _family(font: str | None) -> str:
    if not font:
        return ""
    return font.split("+", 1)[-1]


def _starts_new(prev: Line, cur: Line, m: _Metrics, same_page: bool) -> bool:
    """Whether ``cur`` starts a new paragraph after ``prev`` (PDF geometry)."""
    assert prev.bbox is not None and cur.bbox is not None
    size = cur.size or 12.0
    left, _ = _edges(cur, m)
    _, right = _edges(prev, m)
    if TOC_LINE.search(cur.text) or TOC_LINE.search(prev.text):
        # a contents title wrapped over two lines continues into the line carrying the page number
        return not (
            TOC_LINE.search(cur.text)
            and not TOC_LINE.search(prev.text)
            and not HEADING_START.match(cur.text)
            and prev.bbox[2] >= right - size * 1.5
        )
    if (prev.size and cur.size and abs(prev.size - cur.size) > 0.6) or is_bare_attachment_label(cur.text):
        return True
    if prev.bold != cur.bold and not _mixed_ok(prev, cur):
        return True
    if ends_sentence(prev.text) and ARTICLE_HEAD.match(cur.text):
        return True  # a 条 (第一条 …) opens its paragraph, even after a full line (a law sets no first-line indent)
    if _centered(prev, m) and _centered(cur, m) and _family(prev.font) == _family(cur.font):
        # a centred title wrapped over several lines, unless a visible gap or a heading label separates them
        return cur.bbox[1] - prev.bbox[1] > size * 1.8 or bool(HEADING_START.match(cur.text))
    if cur.bbox[0] > left + size * 0.8 and not _centered(cur, m):
        return True  # first-line indent
    if prev.bbox[2] < right - size * 1.5:
        return True  # the previous line stopped short: its paragraph ended
    if same_page and cur.bbox[1] - prev.bbox[1] > m.pitch * 1.6:
        return True
    if _centered(prev, m) != _centered(cur, m) and prev.size == cur.size:
        # text after a centred heading, or a centred heading in its own font after a full line of text
        return not _centered(cur, m) or _family(prev.font) != _family(cur.font)
    return False


def _mixed_ok(prev: Line, cur: Line) -> bool:
    """Lines of one paragraph may differ in font when both are body-size text in the same size."""
    return bool(
        prev.size
        and cur.size
        and abs(prev.size - cur.size) <= 0.6
        and not (prev.bold or cur.bold)
        and ("Hei" not in _family(prev.font) and "Hei" not in _family(cur.font))
    )


def _centered(ln: Line, m: _Metrics) -> bool:
    """A centred line: clear of both margins, its middle on the middle of the text block or of the page
    (the page's middle is the safer guide where few lines make the text block's right edge uncertain)."""
    if ln.bbox is None:
        return False
    size = ln.size or 12.0
    left, right = _edges(ln, m)
    lm = ln.bbox[0] - left
    rm = right - ln.bbox[2]
    middle = (ln.bbox[0] + ln.bbox[2]) / 2
    page_middle = m.centre.get(ln.page_index)
    if rm < size and lm < size * 2.5 and lm - rm > size * 0.8 and " " not in ln.text.strip():
        return False  # a full line after a first-line indent, reaching the right margin: not on any axis
    on_axis = abs(lm - rm) < size * 1.5 or (page_middle is not None and abs(middle - page_middle) < size)
    if ln.column is not None:  # in a narrow column an indented line is near the axis: centred means both margins alike
        return lm > size * 1.5 and rm > size and abs(lm - rm) < size * 0.6
    return lm > size * 1.5 and (rm > size * 1.5 or page_middle is not None) and on_axis and not _first_line(ln, m)


_GAP = re.compile(r"\S\s+\S")


def _first_line(ln: Line, m: _Metrics) -> bool:
    """A paragraph's first line: indented at the left and running, in one run of text, to the right margin
    (near the page's middle when the indent is small, yet no centred line). A line of several spaced runs
    (two columns or a table row read as one line) is no such evidence."""
    assert ln.bbox is not None
    size = ln.size or 12.0
    return m.right - ln.bbox[2] <= size * 0.5 and ln.bbox[0] - m.left <= size * 4 and not _GAP.search(ln.text.strip())


def pages_to_blocks(pages: list[Page]) -> list[Block]:
    """Clean pages → blocks in reading order (see the module docstring)."""
    geometric = any(ln.bbox is not None for p in pages for ln in p.lines)
    return _pdf_blocks(pages) if geometric else _text_blocks(pages)


def _paragraph(lines: list[Line]) -> Block:
    return Block(kind=BlockKind.PARAGRAPH, text=join_lines([ln.text for ln in lines]), lines=lines)


def _edges(ln: Line, m: _Metrics) -> tuple[float, float]:
    """The left and right text edges a line is measured against: its column's on a two-column page."""
    return ln.column if ln.column is not None else (m.left, m.right)


def _place(box: BBox, page: Page) -> float:
    """Sort key of a table or figure with box ``box``: its top, or on a page whose lines are ordered (OFD
    columns, ``layout.columns``), the position after the last line above it in its region."""
    top = box[1]
    if not page.ordered:
        return top
    if page.columns:
        return _place_in_columns(box, page)
    above = [i for i, ln in enumerate(page.lines) if ln.top < top]
    return (max(above) + 0.5) if above else -0.5


def _place_in_columns(box: BBox, page: Page) -> float:
    r = region_of(box, page.columns)
    regions = [region_of(ln.bbox, page.columns) if ln.bbox else len(page.columns) for ln in page.lines]
    above = [i for i, ln in enumerate(page.lines) if regions[i] == r and ln.top < box[1]]
    if above:
        return max(above) + 0.5
    after = [i for i in range(len(page.lines)) if regions[i] >= r]
    return (min(after) - 0.5) if after else float(len(page.lines))


def _pdf_blocks(pages: list[Page]) -> list[Block]:
    m = _metrics(pages)
    blocks: list[Block] = []
    current: list[Line] = []

    def flush() -> None:
        nonlocal current
        if current:
            blocks.append(_paragraph(current))
            current = []

    for p in pages:
        items: list[tuple[float, int, int, float, Line | RawTable | RawFigure]] = []
        for i, ln in enumerate(p.lines):
            items.append((i if p.ordered else ln.top, 1, 0, 0.0, ln))
        for t in p.tables:
            items.append((_place(t.bbox or (0, 0, 0, 0), p), 0, *_region_top(t.bbox, p), t))
        for f in p.figures:
            items.append((_place(f.bbox or (0, 0, 0, 0), p), 2, *_region_top(f.bbox, p), f))
        items.sort(key=lambda it: it[:4])
        opened: set[int] = set()  # the page's regions (text columns) where an item was read already
        for _, _, region, _, item in items:
            if isinstance(item, Line):
                opened.add(region_of(item.bbox, p.columns) if item.bbox is not None and p.columns else 0)
                if current:
                    same_page = current[-1].page_index == item.page_index
                    if not same_page:
                        new = _continues_page(current[-1], item, m) is False
                    else:
                        new = _starts_new(current[-1], item, m, True)
                    if new:
                        flush()
                current.append(item)
                continue
            first_on_page, first_in_column = not opened, region not in opened
            opened.add(region)
            if isinstance(item, RawTable):
                if _continued_table(blocks, current, item, first_on_page, first_in_column, p):
                    current = []  # the repeated header over the fragment
                    blocks[-1].tables.append(item)
                else:
                    flush()
                    blocks.append(Block(kind=BlockKind.TABLE, text="", tables=[item]))
            else:
                flush()
                blocks.append(Block(kind=BlockKind.FIGURE, text="", figure=item))
    flush()
    return blocks


def _continued_table(
    blocks: list[Block], current: list[Line], item: RawTable, first_on_page: bool, first_in_column: bool, page: Page
) -> bool:
    """Whether table fragment ``item`` continues the table block right before it: that block ended the page
    before and ``item`` comes first on its page, or that block ended a text column of this page and ``item``
    comes first in the next column (:func:`_next_column`); or ``item`` comes after nothing but a repeat of the
    table's header (``current``)."""
    prev = blocks[-1] if blocks else None
    if prev is None or prev.kind is not BlockKind.TABLE:
        return False
    last = prev.tables[-1]
    if last.page_index == item.page_index and not current and only_repeats_header(prev.tables[0], last):
        return len(prev.tables) >= 2 and continues(prev.tables[-2], item)  # under its header repeated as a fragment
    if last.page_index == item.page_index:
        if not _next_column(last, item, page):
            return False
        first = first_in_column
    elif last.page_index == item.page_index - 1:
        first = first_on_page
    else:
        return False
    if current:
        on_page = all(ln.page_index == item.page_index for ln in current)
        if not (on_page and repeats_header(prev.tables[0], current)):
            return False
    elif not first:
        return False
    return continues(last, item)


def _region_top(box: BBox | None, page: Page) -> tuple[int, float]:
    """Tie-break of tables and figures placed at the same position: their region's reading order, then their top."""
    if box is None:
        return 0, 0.0
    return (region_of(box, page.columns) if page.columns else 0), box[1]


def _next_column(last: RawTable, item: RawTable, page: Page) -> bool:
    """Whether ``item`` lies in the text column read right after the one holding ``last`` (the left and right
    columns of one band of a two-column page)."""
    if not page.columns or last.bbox is None or item.bbox is None:
        return False
    a, b = region_of(last.bbox, page.columns), region_of(item.bbox, page.columns)
    return b == a + 1 and not _full_width(page.columns[a], page) and not _full_width(page.columns[b], page)


def _full_width(region: BBox, page: Page) -> bool:
    return region[0] <= 0.0 and page.width is not None and region[2] >= page.width


def _continues_page(prev: Line, cur: Line, m: _Metrics) -> bool:
    """Whether the first line of a page continues the paragraph of the last line of the page before."""
    assert prev.bbox is not None and cur.bbox is not None
    size = cur.size or 12.0
    if ends_sentence(prev.text) and prev.bbox[2] < _edges(prev, m)[1] - size * 0.5:
        return False
    if TOC_LINE.search(prev.text) or TOC_LINE.search(cur.text):
        return False
    if prev.size and cur.size and abs(prev.size - cur.size) > 0.6:
        return False
    if prev.bold != cur.bold and not _mixed_ok(prev, cur):
        return False
    if cur.bbox[0] > _edges(cur, m)[0] + size * 0.8:
        return False  # indented: a new paragraph
    if prev.bbox[2] < _edges(prev, m)[1] - size * 1.5:
        return False
    return True


def _text_blocks(pages: list[Page]) -> list[Block]:
    items: list[tuple[int, Line | RawTable]] = []
    whole: set[int | None] = set()  # line numbers that start a paragraph of their own (DOCX paragraphs)
    for p in pages:
        for ln in p.lines:
            items.append((ln.line_no or 0, ln))
            if p.whole_paragraphs:
                whole.add(ln.line_no)
        for t in p.tables:
            items.append((t.first_line_no or 0, t))
    items.sort(key=lambda it: it[0])
    blocks: list[Block] = []
    current: list[Line] = []
    for _, item in items:
        if isinstance(item, RawTable):
            if current:
                blocks.append(_paragraph(current))
                current = []
            blocks.append(Block(kind=BlockKind.TABLE, text="", tables=[item]))
            continue
        if current and (
            not _text_continues(current[-1].text, item.text)
            or (item.line_no != current[-1].line_no and item.line_no in whole)
        ):
            blocks.append(_paragraph(current))
            current = []
        current.append(item)
    if current:
        blocks.append(_paragraph(current))
    return blocks


def _text_continues(prev: str, cur: str) -> bool:
    """In a text extraction every line is a paragraph; one cut by a page break continues on the next line."""
    p, c = prev.strip(), cur.strip()
    if not p or not c:
        return False
    if ends_sentence(p) or p.endswith(("：", ":")) or c.endswith(("：", ":")):
        return False
    if TOC_LINE.search(p) or TOC_LINE.search(c) or "\t" in p or "\t" in c:
        return False
    if HEADING_START.match(c) or TITLE_END.search(one_line(p)):
        return False
    if HEADING_START.match(p) and len(p) <= 40:
        return False
    return len(one_line(p)) >= 20
