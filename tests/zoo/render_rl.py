"""Typeset a zoo model in a house style with reportlab (the "other producers" of the zoo).

A small page-layout engine: greedy CJK line breaking by glyph widths, one or two columns, running header,
folio, red 版头 or gazette reprint, a cover with the issue 目录 (two passes: the contents list gets the pages
the documents actually start on), tables (ruled, three-line, borderless) broken across pages with or
without a repeated header, merged cells for repeated values. It records in ``Landmarks`` the printed page
of every document start and heading: the truth the round-trip test compares with.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from tests.zoo.models import Landmarks, ZAttachment, ZDocument, ZHeading, ZIssue, ZPara, ZTable, ZTask
from tests.zoo.styles import Style

FONT_FILES = {
    "Ming": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "Kai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    "Hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
}
_registered: set[str] = set()
HANZI = "〇一二三四五六七八九"


def font(name: str) -> str:
    """The reportlab font for a style's font name (STSong-Light when a Debian font is not installed)."""
    if name == "Song":
        name = "STSong-Light"
    if name in _registered:
        return name
    if name == "STSong-Light":
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    else:
        path, index = FONT_FILES[name]
        if not Path(path).exists():
            return font("Song")
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
    _registered.add(name)
    return name


def date_text(d, form: str) -> str:  # type: ignore[no-untyped-def]
    if form == "hanzi":
        y = "".join(HANZI[int(c)] for c in str(d.year))
        return f"{y}年{_hanzi_num(d.month)}月{_hanzi_num(d.day)}日"
    return f"{d.year}年{d.month}月{d.day}日"


def _hanzi_num(n: int) -> str:
    tens, ones = divmod(n, 10)
    head = ("" if tens == 1 else HANZI[tens]) + "十" if tens else ""
    return head + (HANZI[ones] if ones or not tens else "")


@dataclass
class Pen:
    font: str
    size: float
    color: tuple[float, float, float] = (0, 0, 0)


class Layout:
    """The running state of one rendition: canvas, page, column, cursor, landmarks."""

    def __init__(self, out: Path | io.BytesIO, style: Style, issue: ZIssue, toc_pages: dict[str, int]):
        self.s = style
        self.issue = issue
        self.c = canvas.Canvas(out if isinstance(out, io.BytesIO) else str(out), pagesize=style.page)
        self.w, self.h = style.page
        self.left, self.right, self.top, self.bottom = style.margins
        self.col = 0
        self.y = self.top
        self.physical = 1
        self.front = 0  # unnumbered front pages (cover, 目录)
        self.on_front = False
        self.page_dirty = False
        self.running_title = ""
        self.marks = Landmarks()
        self.toc_pages = toc_pages
        self.body = Pen(font(style.body_font), style.body_size)

    # geometry -------------------------------------------------------------------------------------
    @property
    def col_width(self) -> float:
        full = self.w - self.left - self.right
        gap = 8 * 2.835 if self.s.columns == 2 else 0
        return (full - gap) / self.s.columns

    @property
    def x0(self) -> float:
        gap = 8 * 2.835 if self.s.columns == 2 else 0
        return self.left + self.col * (self.col_width + gap)

    @property
    def folio_no(self) -> int:
        return self.physical - self.front

    def pitch(self, size: float) -> float:
        return size * self.s.leading

    # pages ----------------------------------------------------------------------------------------
    def finish_page(self) -> None:
        if not self.on_front:
            self._furniture()
        self.c.showPage()
        self.physical += 1
        self.col = 0
        self.y = self.top
        self.page_dirty = False

    def _furniture(self) -> None:
        c = self.c
        size = max(9.0, self.s.body_size * 0.7)
        text = self.s.folio.format(n=self.folio_no)
        c.setFont(font("Song"), size)
        c.setFillColorRGB(0, 0, 0)
        y = self.bottom * 0.5
        if self.s.folio_align == "outer":
            if self.folio_no % 2:
                c.drawRightString(self.w - self.right, y, text)
            else:
                c.drawString(self.left, y, text)
        else:
            c.drawCentredString(self.w / 2, y, text)
        head = {"gazette": self._gazette_head(), "doc": self.running_title}.get(self.s.running, "")
        if head:
            c.setFont(font("Song"), size)
            c.drawCentredString(self.w / 2, self.h - self.top * 0.55, head)
            c.setLineWidth(0.5)
            c.line(self.left, self.h - self.top * 0.55 - 4, self.w - self.right, self.h - self.top * 0.55 - 4)

    def _gazette_head(self) -> str:
        i = self.issue
        return f"{i.gazette} {i.year}年第{i.number}期" if i.gazette else ""

    def new_page(self) -> None:
        if self.page_dirty:
            self.finish_page()

    def need(self, height: float) -> None:
        if self.y + height <= self.h - self.bottom:
            return
        if self.col + 1 < self.s.columns:
            self.col += 1
            self.y = self.top
        else:
            self.finish_page()

    # text -----------------------------------------------------------------------------------------
    def wrap(self, text: str, pen: Pen, width: float, indent: float = 0.0) -> list[str]:
        lines: list[str] = []
        cur = ""
        avail = width - indent
        used = 0.0
        for ch in text:
            cw = pdfmetrics.stringWidth(ch, pen.font, pen.size)
            if used + cw > avail and cur:
                lines.append(cur)
                cur, used, avail = "", 0.0, width
            cur += ch
            used += cw
        if cur:
            lines.append(cur)
        return lines

    def line(self, text: str, pen: Pen, align: str = "left", indent: float = 0.0) -> None:
        self.need(self.pitch(pen.size))
        c = self.c
        c.setFont(pen.font, pen.size)
        c.setFillColorRGB(*pen.color)
        base = self.h - self.y - pen.size
        if align == "centre":
            c.drawCentredString(self.x0 + self.col_width / 2, base, text)
        elif align == "right":
            c.drawRightString(self.x0 + self.col_width - indent, base, text)
        else:
            c.drawString(self.x0 + indent, base, text)
        self.y += self.pitch(pen.size)
        self.page_dirty = True

    def para(self, text: str, pen: Pen | None = None, align: str = "left", first: float | None = None) -> None:
        pen = pen or self.body
        indent = 2 * pen.size if first is None else first
        lines = self.wrap(text, pen, self.col_width * (0.86 if align == "centre" else 1.0), indent)
        for k, ln in enumerate(lines):
            self.line(ln, pen, align, indent if k == 0 and align == "left" else 0.0)

    def para_runs(self, runs: list[tuple[str, Pen]]) -> None:
        """A paragraph whose text changes font (a run-in head in 黑体/楷体, then body text), first-line indent."""
        chars = [(ch, pen) for text, pen in runs for ch in text]
        size = max(pen.size for _, pen in runs)
        width, indent = self.col_width, 2 * self.body.size
        lines: list[list[tuple[str, Pen]]] = [[]]
        used = indent
        for ch, pen in chars:
            cw = pdfmetrics.stringWidth(ch, pen.font, pen.size)
            if used + cw > width and lines[-1]:
                lines.append([])
                used = 0.0
            lines[-1].append((ch, pen))
            used += cw
        for k, line in enumerate(lines):
            self.need(self.pitch(size))
            x = self.x0 + (indent if k == 0 else 0.0)
            for ch, pen in line:
                self.c.setFont(pen.font, pen.size)
                self.c.setFillColorRGB(*pen.color)
                self.c.drawString(x, self.h - self.y - pen.size, ch)
                x += pdfmetrics.stringWidth(ch, pen.font, pen.size)
            self.y += self.pitch(size)
            self.page_dirty = True

    def gap(self, lines: float = 0.5) -> None:
        self.y += self.pitch(self.s.body_size) * lines


def heading_pen(layout: Layout, level: int) -> Pen:
    fonts = layout.s.heading_fonts
    name = fonts[min(level, len(fonts)) - 1]
    return Pen(layout.body.font if name == "body" else font(name), layout.s.body_size)


def render_heading(lay: Layout, h: ZHeading, key: tuple[str, int, int], kind: str) -> None:
    pen = heading_pen(lay, h.level)
    if h.label.startswith("附件"):
        lay.need(lay.pitch(pen.size) * 3)
        lay.marks.heading_page[key] = lay.folio_no
        lay.line(h.label, Pen(font("Hei"), lay.s.body_size))
        lay.para(h.title, Pen(font(lay.s.title_font), lay.s.body_size + 2), "centre")
        return
    if kind == "law":
        lay.need(lay.pitch(pen.size) * 2)
        lay.marks.heading_page[key] = lay.folio_no
        lay.para(f"{h.label}　{h.title}", Pen(font("Hei"), lay.s.body_size), "centre")
        return
    if h.run_in:
        lay.need(lay.pitch(pen.size))
        lay.marks.heading_page[key] = lay.folio_no
        if pen.font == lay.body.font:  # a style without heading fonts: the head reads as the body
            lay.para(f"{h.label}{h.title}。{h.run_in}")
        else:
            lay.para_runs([(f"{h.label}{h.title}。", pen), (h.run_in, lay.body)])
        return
    lay.need(lay.pitch(pen.size) * 2)  # keep a heading with the next line
    lay.marks.heading_page[key] = lay.folio_no
    lay.para(h.label + h.title, pen)


def render_table(lay: Layout, t: ZTable) -> None:
    s = lay.s
    size = max(8.0, s.body_size * 0.75)
    pen = Pen(lay.body.font, size)
    ncol = len(t.header)
    lens = [max(len(t.header[k]), *(len(r[k]) if k < len(r) else 0 for r in t.rows)) for k in range(ncol)]
    weights = [min(max(n, 3), 40) for n in lens]
    width = lay.col_width
    xs = [lay.x0]
    for wgt in weights:
        xs.append(xs[-1] + width * wgt / sum(weights))
    pad = 3.0
    lead = size * 1.35
    if t.caption:
        lay.need(lay.pitch(size) + lead * 4)
        lay.para(t.caption, Pen(font("Hei"), size + 1), "centre")

    def cells(row: list[str]) -> list[list[str]]:
        return [lay.wrap(row[k] if k < len(row) else "", pen, xs[k + 1] - xs[k] - 2 * pad) for k in range(ncol)]

    def draw_row(row: list[str], merged: list[bool], header: bool, first_on_page: bool) -> None:
        wrapped = cells(row)
        height = max(len(x) for x in wrapped) * lead + 2 * pad
        if lay.y + height > lay.h - lay.bottom:
            if s.table != "borderless":
                rule(lay.y, 0.8 if s.table == "three-line" else 0.5)
            lay.need(lay.h)  # next column or page
            if s.repeat_header and not header:
                draw_row(t.header, [False] * ncol, True, True)
            first_on_page = True
        shift = lay.x0 - xs[0]  # the table starts or goes on in the next column: its grid moves with it
        xs[:] = [x + shift for x in xs]
        top = lay.y
        c = lay.c
        c.setFont(pen.font, pen.size)
        c.setFillColorRGB(0, 0, 0)
        for k, lines in enumerate(wrapped):
            if merged[k] and not first_on_page:
                continue
            for n, ln in enumerate(lines):
                c.drawString(xs[k] + pad, lay.h - (top + pad + n * lead + size), ln)
        c.setLineWidth(0.5)
        if s.table == "ruled":
            for k in range(ncol):  # top edge of the row, open where the cell above continues
                if not merged[k] or first_on_page:
                    c.line(xs[k], lay.h - top, xs[k + 1], lay.h - top)
            for x in xs:
                c.line(x, lay.h - top, x, lay.h - top - height)
        elif s.table == "three-line" and (header or first_on_page):
            c.setLineWidth(1.2 if header else 0.5)
            c.line(xs[0], lay.h - top, xs[-1], lay.h - top)
        if s.table == "three-line" and header:
            c.setLineWidth(0.5)
            c.line(xs[0], lay.h - top - height, xs[-1], lay.h - top - height)
        lay.y = top + height
        lay.page_dirty = True

    def rule(y: float, wgt: float) -> None:
        lay.c.setLineWidth(wgt)
        lay.c.line(xs[0], lay.h - y, xs[-1], lay.h - y)

    lay.need(lead * 3 + 4 * pad)
    draw_row(t.header, [False] * ncol, True, True)
    prev: list[str] | None = None
    for r in t.rows:
        merged = [prev is not None and k < 2 and ncol >= 3 and r[k] == prev[k] for k in range(ncol)]
        draw_row(r, merged, False, False)
        prev = r
    if s.table == "ruled":
        rule(lay.y, 0.5)
    elif s.table == "three-line":
        rule(lay.y, 1.2)
    lay.gap(0.6)


def render_blocks(lay: Layout, doc: ZDocument, part: int, blocks: list) -> None:  # type: ignore[type-arg]
    n = 0
    for b in blocks:
        if isinstance(b, ZHeading):
            render_heading(lay, b, (doc.key, part, n), doc.kind)
            n += 1
        elif isinstance(b, ZPara):
            lay.para(b.text)
        elif isinstance(b, ZTask):
            units = "、".join(b.units)
            lay.para(f"{b.number}{b.text}（{b.role_word}：{units}）")
        elif isinstance(b, ZTable):
            render_table(lay, b)


def render_attachment(lay: Layout, doc: ZDocument, part: int, a: ZAttachment, n: int, parts: list[int]) -> None:
    lay.new_page()
    label = a.label
    if label and lay.s.att_label == "附件1" and len(doc.attachments) > 1:
        label = f"附件{n}"
    if label:
        lay.line(label, Pen(font("Hei"), lay.s.body_size))
        lay.gap(0.5)
    lay.para(a.title, Pen(font(lay.s.title_font), lay.s.title_size * 0.9), "centre")
    lay.gap(0.5)
    render_blocks(lay, doc, part, a.blocks)
    for k, sub in enumerate(a.attachments, start=1):
        parts[0] += 1
        render_attachment(lay, doc, parts[0], sub, k, parts)


def render_document(lay: Layout, doc: ZDocument, first: bool) -> None:
    s = lay.s
    if not first:
        if s.doc_start == "page" or lay.y > (lay.h - lay.bottom) * 0.6 or (doc.header and s.header == "red"):
            lay.new_page()
        else:
            lay.gap(2)
    lay.running_title = doc.title
    lay.need(lay.pitch(s.title_size) * 3)
    lay.marks.doc_first_page[doc.key] = lay.folio_no
    title_pen = Pen(font(s.title_font), s.title_size)
    if doc.header and s.header == "red":
        lay.gap(1)
        lay.para(doc.header, Pen(font("Song"), s.title_size * 1.4, (0.9, 0.05, 0.05)), "centre")
        lay.gap(1)
        if doc.doc_number:
            lay.line(doc.doc_number, lay.body, "centre")
        lay.c.setStrokeColorRGB(0.9, 0.05, 0.05)
        lay.c.setLineWidth(1.5)
        lay.c.line(lay.x0, lay.h - lay.y, lay.x0 + lay.col_width, lay.h - lay.y)
        lay.c.setStrokeColorRGB(0, 0, 0)
        lay.gap(1)
        for t in doc.title_lines:
            lay.para(t, title_pen, "centre")
    else:
        for t in doc.title_lines:
            lay.para(t, title_pen, "centre")
        if doc.doc_number:
            form = doc.doc_number if s.number_form == "centre" else f"（{doc.doc_number}）"
            lay.line(form, lay.body, "centre")
    for p in doc.preamble:
        lay.para(p, lay.body, "centre")
    lay.gap(0.5)
    if doc.recipients:
        lay.para("，".join(doc.recipients) + "：", first=0.0)
    render_blocks(lay, doc, 0, doc.body)
    if doc.attachment_list:
        items = doc.attachment_list
        if len(items) == 1:
            lay.para(f"附件：{items[0]}")
        else:
            lay.para(f"附件：1．{items[0]}")
            for k, it in enumerate(items[1:], start=2):
                lay.para(f"{k}．{it}", first=5 * lay.s.body_size)
    if doc.signature or doc.date:
        lay.gap(1.5)
        for ln in doc.signature:
            lay.line(ln, lay.body, "right", 2 * s.body_size)
        if doc.date:
            lay.line(date_text(doc.date, s.date_form), lay.body, "right", 3 * s.body_size)
    if doc.disclosure:
        lay.gap(0.5)
        lay.para(f"（信息公开形式：{doc.disclosure}）" if s.header == "reprint" else f"公开方式：{doc.disclosure}")
    parts = [0]
    for n, a in enumerate(doc.attachments, start=1):
        parts[0] += 1
        render_attachment(lay, doc, parts[0], a, n, parts)


def render_cover(lay: Layout) -> None:
    i = lay.issue
    s = lay.s
    lay.on_front = True
    lay.gap(3)
    lay.para(
        i.gazette or "",
        Pen(font("Song"), min(34.0, lay.col_width / max(len(i.gazette or ""), 1)), (0.85, 0, 0)),
        "centre",
    )
    lay.gap(1)
    lay.line(str(i.year), Pen(font("Hei"), 18), "centre")
    lay.line(f"第 {i.number} 期", Pen(font("Hei"), 18), "centre")
    lay.finish_page()
    lay.line("目  录", Pen(font("Hei"), s.title_size), "centre")
    lay.gap(1)
    small = Pen(lay.body.font, max(9.0, s.body_size * 0.8))
    seen: set[str | None] = set()
    for e in i.toc:
        if s.categories and e.category and e.category not in seen:
            seen.add(e.category)
            lay.line(f"【{e.category}】", Pen(font("Hei"), small.size))
        page = lay.toc_pages.get(e.doc_key, 0)
        if s.toc_form == "number-line":
            lay.para(e.title, small, first=0.0)
            tail = f"{e.doc_number}  " if e.doc_number else ""
            lay.line(f"{tail}{page}", small, "right")
        else:
            text = e.title + (f"（{e.doc_number}）" if e.doc_number and s.toc_form == "leaders" else "")
            lines = lay.wrap(text, small, lay.col_width * 0.85)
            for ln in lines[:-1]:
                lay.line(ln, small)
            leader = "…" * 3 if s.toc_form == "plain" else "." * 12
            lay.line(f"{lines[-1]}{leader}{page}", small)
    lay.finish_page()
    lay.front = lay.physical - 1
    lay.on_front = False


def render_issue(issue: ZIssue, style: Style, out: Path) -> Landmarks:
    """Typeset ``issue`` in ``style`` into ``out`` (PDF); returns where things landed."""
    toc_pages: dict[str, int] = {}
    if issue.gazette:  # first pass: where do the documents start?
        probe = _typeset(issue, style, io.BytesIO(), {})
        toc_pages = probe.doc_first_page
    return _typeset(issue, style, out, toc_pages)


def _typeset(issue: ZIssue, style: Style, out: Path | io.BytesIO, toc_pages: dict[str, int]) -> Landmarks:
    lay = Layout(out, style, issue, toc_pages)
    if issue.gazette:
        render_cover(lay)
    for n, doc in enumerate(issue.documents):
        render_document(lay, doc, n == 0)
    if lay.page_dirty:
        lay.finish_page()
    lay.c.save()
    return lay.marks
