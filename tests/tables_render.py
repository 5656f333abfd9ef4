"""Render a table (header + resolved rows) into a multi-page PDF with reportlab, in a given table style.

Used by the table tests and by ``bench/tables.py``: the truth of each rendered table is the table given. Styles:

- ``ruled``: every rule drawn; cells of a group column repeating the row above are merged (no rule between);
- ``three-line``: a top rule, a rule under the header and a bottom rule only, as Word draws a 三线表 that
  breaks across pages: no closing rule at the bottom of a page and no opening rule at the top of the next
  (unless the header is repeated, which brings its own two rules);
- ``borderless``: no rule at all.

Rows that do not fit on a page are cut between two printed lines (the rest continues on the next page),
as Word and WPS do by default. Every page has a running header (with its rule unless ``running_rule`` is off)
and a folio (— N —).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4, B5
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
PAGES = {"A4": A4, "B5": B5, "16K": (185 * mm, 260 * mm)}  # 16开: the format of many gazettes
PAD = 5.4  # Word's default cell margin (0.19 cm)


@dataclass
class Spec:
    style: str  # ruled | three-line | borderless
    page: str = "A4"  # A4 | B5 | 16K
    repeat_header: bool = False
    size: float = 10.5
    widths: list[float] = field(default_factory=list)  # relative column widths (equal when empty)
    groups: tuple[int, ...] = ()  # columns whose repeated values are printed once (merged cells)
    caption: str | None = None
    lead: str = "一、工作安排如下。"  # a paragraph before the table
    running_rule: bool = True  # the rule under the running header (off: a page with no rule at all)
    # the page: "portrait"; "landscape" (mediabox wider than tall); "rotate90"/"rotate270" (a portrait mediabox
    # with /Rotate, the content drawn so the turned page reads upright); "turned90"/"turned270" (a portrait
    # page, no /Rotate, the content turned by the content matrix: the reader turns the paper clockwise/back);
    # "turned180" (a portrait page printed upside down)
    orient: str = "portrait"
    # turned pages: the running header and folio printed upright on the portrait page, as a book prints them
    book_furniture: bool = False
    new_page: bool = False  # ``render_tables``: the table starts at the top of a new page


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    for para in (text or "").split("\n"):
        cur = ""
        for ch in para:
            if cur and pdfmetrics.stringWidth(cur + ch, FONT, size) > width:
                lines.append(cur)
                cur = ""
            cur += ch
        lines.append(cur)
    return [ln for ln in lines if ln] or [""]


@dataclass
class _Page:
    c: canvas.Canvas
    spec: Spec
    w: float
    h: float
    number: int = 1
    y: float = 0.0  # distance from the page top of the next thing to draw
    fresh: bool = False  # no body row drawn on this page yet

    @property
    def x0(self) -> float:
        return 0.12 * self.w

    @property
    def x1(self) -> float:
        return 0.88 * self.w

    @property
    def bottom(self) -> float:
        return self.h - 0.1 * self.h

    @property
    def book(self) -> bool:
        """A turned table page of a portrait book: its running header and folio are printed upright."""
        return self.spec.book_furniture and self.spec.orient.startswith("turned")

    def start(self) -> None:
        c = self.c
        w, h = (self.h, self.w) if self.book else (self.w, self.h)  # the furniture's frame
        if not self.book:
            _turn(c, self.spec.orient, self.w, self.h)
        c.setFont(FONT, 9)
        c.drawString(0.12 * w, h - 0.06 * h, "某某区人民政府公报")
        if self.spec.running_rule:
            c.setLineWidth(0.5)
            c.line(0.12 * w, h - 0.065 * h, 0.88 * w, h - 0.065 * h)
        if self.book:
            c.saveState()
            _turn(c, self.spec.orient, self.w, self.h)
        self.y = 0.1 * self.h
        self.fresh = True

    def finish(self) -> None:
        c = self.c
        w, h = (self.h, self.w) if self.book else (self.w, self.h)
        if self.book:
            c.restoreState()
        c.setFont(FONT, 10)
        label = f"— {self.number} —"
        c.drawString(w / 2 - pdfmetrics.stringWidth(label, FONT, 10) / 2, 0.05 * h, label)
        c.showPage()
        self.number += 1

    def rule(self, weight: float, x0: float | None = None, x1: float | None = None) -> None:
        self.c.setLineWidth(weight)
        self.c.line(
            x0 if x0 is not None else self.x0, self.h - self.y, x1 if x1 is not None else self.x1, self.h - self.y
        )

    def text(self, x: float, top: float, s: str, size: float) -> None:
        self.c.setFont(FONT, size)
        self.c.drawString(x, self.h - (top + size), s)


def _turn(c: canvas.Canvas, orient: str, w: float, h: float) -> None:
    """Set up a new page so that the ``w`` × ``h`` (landscape) frame drawn next lands as ``orient`` says."""
    if orient in ("rotate90", "rotate270"):
        c.setPageRotation(90 if orient == "rotate90" else 270)  # reportlab then writes the mediabox h × w
    if orient in ("rotate90", "turned90"):  # the frame's x runs up the portrait page, its y leftwards
        c.transform(0, 1, -1, 0, h, 0)
    elif orient in ("rotate270", "turned270"):  # the frame's x runs down the portrait page, its y rightwards
        c.transform(0, -1, 1, 0, 0, w)
    elif orient == "turned180":  # a portrait page printed upside down
        c.transform(-1, 0, 0, -1, w, h)


def _canvas(path: Path, spec: Spec) -> tuple[canvas.Canvas, float, float]:
    """The canvas for ``spec`` and the width and height of the frame the table is drawn in."""
    w, h = PAGES[spec.page]
    if spec.orient in ("portrait", "turned180"):
        return canvas.Canvas(str(path), pagesize=(w, h)), w, h
    if spec.orient in ("landscape", "rotate90", "rotate270"):
        return canvas.Canvas(str(path), pagesize=(h, w)), h, w
    return canvas.Canvas(str(path), pagesize=(w, h)), h, w  # turned: a portrait page, a landscape frame


def render(path: Path, header: list[str], rows: list[list[str]], spec: Spec) -> Path:
    """Draw ``header`` and ``rows`` as one table (see the module docstring); return ``path``."""
    return render_tables(path, [(header, rows, spec)])


def render_tables(path: Path, tables: list[tuple[list[str], list[list[str]], Spec]]) -> Path:
    """Draw several tables one after the other, each with its lead paragraph (when not empty) and caption; a
    table whose spec says ``new_page`` starts at the top of a new page. The page (size, orientation, running
    header) is the first spec's; return ``path``."""
    first = tables[0][2]
    c, w, h = _canvas(path, first)
    pg = _Page(c, first, w, h)
    pg.start()
    for k, (header, rows, spec) in enumerate(tables):
        if k and spec.new_page:
            pg.finish()
            pg.start()
        elif k:
            pg.y += 2 * spec.size
        pg.spec = spec
        _table(pg, header, rows, spec)
    pg.y += first.size
    pg.text(pg.x0 + 2 * first.size, pg.y, "二、其他事项按有关规定执行。", first.size + 1.5)
    pg.finish()
    pg.c.save()
    return path


def _table(pg: _Page, header: list[str], rows: list[list[str]], spec: Spec) -> None:
    if spec.lead:
        pg.text(pg.x0 + 2 * spec.size, pg.y, spec.lead, spec.size + 1.5)
        pg.y += 2.5 * spec.size
    if spec.caption:
        cw = pdfmetrics.stringWidth(spec.caption, FONT, spec.size + 1)
        pg.text(pg.w / 2 - cw / 2, pg.y, spec.caption, spec.size + 1)
        pg.y += 2.2 * spec.size
    rel = spec.widths or [1.0] * len(header)
    total = pg.x1 - pg.x0
    xs = [pg.x0]
    for r in rel:
        xs.append(xs[-1] + total * r / sum(rel))
    printed = _printed(rows, spec.groups)
    _header(pg, header, xs)
    pg.fresh = False
    for k, row in enumerate(printed):
        _row(pg, row, xs, header, continues=[k > 0 and c in spec.groups and not row[c] for c in range(len(row))])
    if spec.style in ("three-line", "ruled"):
        pg.rule(1.5 if spec.style == "three-line" else 0.5)


def _printed(rows: list[list[str]], groups: tuple[int, ...]) -> list[list[str]]:
    """The rows as printed: a group cell repeating the one above (same group to its left) left blank."""
    out: list[list[str]] = []
    for k, row in enumerate(rows):
        cur = list(row)
        for c in groups:
            same_left = all(rows[k - 1][g] == row[g] for g in groups if g < c) if k else False
            if k and same_left and row[c] == rows[k - 1][c]:
                cur[c] = ""
        out.append(cur)
    return out


def _header(pg: _Page, header: list[str], xs: list[float]) -> None:
    size = pg.spec.size
    lines = [_wrap(t, xs[i + 1] - xs[i] - 2 * PAD, size) for i, t in enumerate(header)]
    height = max(len(ls) for ls in lines) * size * 1.4 + size
    if pg.spec.style == "three-line":
        pg.rule(1.5)
    elif pg.spec.style == "ruled":
        pg.rule(0.5)
    for i, ls in enumerate(lines):
        for j, ln in enumerate(ls):
            pg.text(xs[i] + PAD, pg.y + size * 0.5 + j * size * 1.4, ln, size)
    if pg.spec.style == "ruled":
        _verticals(pg, xs, pg.y, pg.y + height)
    pg.y += height
    if pg.spec.style in ("three-line", "ruled"):
        pg.rule(0.75 if pg.spec.style == "three-line" else 0.5)


def _verticals(pg: _Page, xs: list[float], top: float, bottom: float) -> None:
    pg.c.setLineWidth(0.5)
    for x in xs:
        pg.c.line(x, pg.h - top, x, pg.h - bottom)


def _blocks(row: list[str]) -> list[tuple[int, int]]:
    """Printed cells of a row as (first, last) columns: equal neighbouring texts are one cell over both."""
    out: list[tuple[int, int]] = []
    for c, text in enumerate(row):
        if out and text and row[out[-1][0]] == text:
            out[-1] = (out[-1][0], c)
        else:
            out.append((c, c))
    return out


def _row(pg: _Page, row: list[str], xs: list[float], header: list[str], continues: list[bool]) -> None:
    """Draw one body row, cutting it between printed lines at the page end."""
    size = pg.spec.size
    pitch = size * 1.4
    blocks = _blocks(row)
    lines = [_wrap(row[a], xs[b + 1] - xs[a] - 2 * PAD, size) for a, b in blocks]
    edges = [xs[a] for a, _ in blocks] + [xs[-1]]
    done = 0
    first_part = True
    while True:
        n_lines = max(len(ls) for ls in lines) - done
        room = int((pg.bottom - pg.y - size) // pitch)
        take = min(n_lines, max(room, 0))
        if take <= 0:
            _page_break(pg, xs, header)
            continue
        top = pg.y
        for (a, _), ls in zip(blocks, lines, strict=True):
            for j, ln in enumerate(ls[done : done + take]):
                pg.text(xs[a] + PAD, top + size * 0.5 + j * pitch, ln, size)
        height = take * pitch + size
        if pg.spec.style == "ruled":
            fresh = pg.fresh
            _row_rules(pg, xs, top, height, [c and first_part and not fresh for c in continues])
            _verticals(pg, edges, top, top + height)
        pg.fresh = False
        pg.y += height
        done += take
        first_part = False
        if done >= max(len(ls) for ls in lines):
            return
        _page_break(pg, xs, header)


def _row_rules(pg: _Page, xs: list[float], top: float, height: float, continues: list[bool]) -> None:
    pg.c.setLineWidth(0.5)
    for i in range(len(xs) - 1):
        if not continues[i]:
            pg.c.line(xs[i], pg.h - top, xs[i + 1], pg.h - top)


def _page_break(pg: _Page, xs: list[float], header: list[str]) -> None:
    if pg.spec.style == "ruled":
        pg.rule(0.5)  # the grid is closed at the page end
    pg.finish()
    pg.start()
    if pg.spec.repeat_header:
        _header(pg, header, xs)
