"""Stage 1 (PDF, fast path): a PDF file → ``LoadedSource`` read with PDFium (pypdfium2).

Reads: a PDF path. Each page is read with PDFium's text page (characters with their origin, advance, font
size, font name and fill colour) and its page objects (paths → rules and rectangles, images → figures).
Writes: the same ``Page`` objects as ``pipeline.load.pdf`` (pdfplumber, the reference): the PDFium facts are
put into a small page object with the attributes ``pipeline.load.pdf.page_to_page`` and
``pipeline.tables.pdf_grids`` read from a pdfplumber page (``chars``, ``edges``, ``images``, ``width``,
``height``, ``bbox``, ``filter``, ``extract_text_lines``, ``find_tables``), so lines are grouped and tables
found by the very same code.

Guaranteed after: pages in PDF order, each ``Page`` as the pdfplumber backend would give it up to the listed
differences; a page PDFium cannot describe the way pdfminer does (a rotated page, a page box not at the
origin, a glyph without a Unicode mapping, vertical writing, most text turned by the content matrix:
``pipeline.load.upright`` turns it back) is read with pdfplumber instead (per-page fallback), so the
garbled-text codes (P105/E007) keep their meaning. Every PDFium page, text page and the document are closed
after use: memory stays flat whatever the page count.

Differences from pdfplumber (pdfminer), by design:
- a character's bottom is its baseline minus the font's descent as PDFium reads it from the font program;
  pdfminer takes ``/Descent`` from the font descriptor (often 0 in TeX-made PDFs, then bottom = baseline);
- font names come without the subset prefix (``FandolSong-Regular``, not ``EAAAAA+FandolSong-Regular``);
- colours are always RGB triples (PDFium converts grey and CMYK fills);
- PDFium reports no duplicate overprinted space characters; spaces never reach a line's text anyway
  (words are split on blanks).
"""

from __future__ import annotations

import ctypes
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import TableFinder, TableSettings
from pdfplumber.utils.text import chars_to_textmap

from pipeline.errors import Code, GazetteError
from pipeline.load import guard
from pipeline.load.digest import file_to_sha256
from pipeline.load.pdf import (
    lost_problem,
    page_done,
    page_to_page,
    pages_to_text_pages,
    vanished_report,
)
from pipeline.load.upright import page_turn
from pipeline.options import RunOptions
from pipeline.tables.pdf_grids import Carry, carry_after
from pipeline.types import LoadedSource, Page
from schemas.model import Problem

Obj = dict[str, Any]
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_EPS = 1e-3  # points: coordinates closer than this are equal (PDFium computes in float32)


class PdfiumPage:
    """The facts of one page in the shape of a pdfplumber page (what the shared stages read)."""

    def __init__(
        self, width: float, height: float, chars: list[Obj], edges: list[Obj], images: list[Obj], page_number: int
    ) -> None:
        self.width = width
        self.height = height
        self.bbox = (0.0, 0.0, width, height)
        self.chars = chars
        self.edges = edges
        self.images = images
        self.page_number = page_number

    def filter(self, keep: Callable[[Obj], bool]) -> PdfiumPage:
        """A view of the page with only the objects ``keep`` accepts (as ``pdfplumber.Page.filter``)."""
        return PdfiumPage(
            self.width,
            self.height,
            [c for c in self.chars if keep(c)],
            [e for e in self.edges if keep(e)],
            [i for i in self.images if keep(i)],
            self.page_number,
        )

    def extract_text_lines(self, strip: bool = True, return_chars: bool = True, **kwargs: Any) -> list[Obj]:
        """Lines of text, grouped by pdfplumber's own text map (same settings as ``Page.extract_text_lines``)."""
        settings = {"layout_bbox": self.bbox, "layout_width": self.width, "layout_height": self.height, **kwargs}
        textmap = chars_to_textmap(self.chars, **settings)
        return list(textmap.extract_text_lines(strip=strip, return_chars=return_chars))

    def find_tables(self, settings: dict[str, Any]) -> list[Any]:
        """Ruled tables by pdfplumber's table finder (it reads ``edges`` and ``bbox`` only)."""
        return list(TableFinder(self, TableSettings.resolve(settings)).tables)  # type: ignore[arg-type]

    def close(self) -> None:
        self.chars, self.edges, self.images = [], [], []


# --------------------------------------------------------------------------- characters


@dataclass(frozen=True)
class FontFacts:
    """One font of a page's resources as pdfminer reads it (what pdfplumber's characters carry).

    ``basefont``: ``/BaseFont`` as written (subset prefix included); ``fontname``: pdfminer's name for it (the
    descriptor's ``/FontName``); ``descent``: per 1 pt of size; ``widths``: advance by character, in 1/1000 em;
    ``default_width``: the advance of a character not in ``widths`` (CID fonts' ``/DW``; None: unknown).
    """

    basefont: str
    fontname: str
    descent: float
    widths: dict[str, float]
    default_width: float | None

    def width(self, text: str) -> float | None:
        return self.widths.get(text, self.default_width)


@dataclass
class PdfFacts:
    """What the pdfminer object layer tells about a file without parsing any page's content.

    ``descents``: ``/Descent`` of every font descriptor (per 1 pt of size), by font name without subset prefix
    (for fonts outside the page's own resources); ``fonts``: by 0-based page index, the fonts of the page's
    resources; ``sizes``: each page's width and height as pdfminer reads them; ``lost``: by 0-based page index,
    what was lost while decoding that page's content streams (P120).
    """

    descents: dict[str, float] = field(default_factory=dict)
    fonts: dict[int, list[FontFacts]] = field(default_factory=dict)
    sizes: list[tuple[float, float]] = field(default_factory=list)
    lost: dict[int, list[str]] = field(default_factory=dict)


def pdf_facts(path: Path) -> PdfFacts:
    """The font descents, page sizes and lost content streams of a PDF, read from a few objects per page.

    pdfminer places a character's bottom at baseline − ``/Descent``; PDFium knows only the font program's
    descender, and gives page sizes in float32. Reading the descriptors and page boxes keeps the boxes and
    sizes identical. Each page's content streams are decompressed (zlib, in C: not parsed) while pdfminer's
    reports are collected, so a stream that fails to decompress or loses its tail is reported as the
    reference backend reports it (PDFium decodes what it can and says nothing).
    """
    from pdfminer.pdfinterp import PDFResourceManager

    facts = PdfFacts()
    seen: set[int] = set()
    built: dict[int, FontFacts | None] = {}
    rsrc = PDFResourceManager()
    with guard.open_pdf(path) as pdf:
        for i, page in enumerate(pdf.pages):
            facts.sizes.append((float(page.width), float(page.height)))
            with guard.lost_content() as lost:
                _page_descents(page, facts.descents, seen)
                facts.fonts[i] = _page_fonts(page, rsrc, built)
                lost.extend(vanished_report(page))
            if lost:
                facts.lost[i] = lost
    return facts


def _page_descents(page: Any, out: dict[str, float], seen: set[int]) -> None:
    from pdfminer.pdftypes import resolve1

    fonts = resolve1((resolve1(page.page_obj.resources) or {}).get("Font")) or {}
    for ref in fonts.values() if isinstance(fonts, dict) else ():
        key = getattr(ref, "objid", None)
        if key is not None and key in seen:
            continue
        seen.add(key if key is not None else -1)
        try:
            _descriptor_descent(resolve1(ref), out, resolve1)
        except guard.pdf_read_errors():  # a broken font object: PDFium's own descent is used
            continue


def _page_fonts(page: Any, rsrc: Any, built: dict[int, FontFacts | None]) -> list[FontFacts]:
    """The fonts of a page's own resources, each built once per file (as pdfminer's interpreter builds them)."""
    from pdfminer.pdftypes import resolve1

    fonts = resolve1((resolve1(page.page_obj.resources) or {}).get("Font")) or {}
    out: list[FontFacts] = []
    for ref in fonts.values() if isinstance(fonts, dict) else ():
        key = getattr(ref, "objid", None)
        font = built[key] if key is not None and key in built else _font_facts(rsrc, key, ref)
        if key is not None:
            built[key] = font
        if font is not None:
            out.append(font)
    return out


def _font_facts(rsrc: Any, objid: int | None, ref: Any) -> FontFacts | None:
    """pdfminer's reading of one font (None for a font it cannot read: PDFium's own facts are used)."""
    from pdfminer.pdffont import PDFCIDFont
    from pdfminer.pdftypes import resolve1

    try:
        spec = resolve1(ref)
        if not isinstance(spec, dict):
            return None
        font = rsrc.get_font(objid, spec)
        base = getattr(resolve1(spec.get("BaseFont")), "name", None)
        widths = _widths_by_char(font)
    except guard.pdf_read_errors():
        return None
    default = float(font.default_width) if isinstance(font, PDFCIDFont) else None
    return FontFacts(
        basefont=base if isinstance(base, str) else str(font.fontname),
        fontname=str(font.fontname),
        descent=float(font.get_descent()),
        widths=widths,
        default_width=default,
    )


def _widths_by_char(font: Any) -> dict[str, float]:
    """A pdfminer font's advances (1/1000 em) by the character each code prints."""
    from pdfminer.pdffont import PDFUnicodeNotDefined

    unreadable: tuple[type[BaseException], ...] = (PDFUnicodeNotDefined, *guard.pdf_read_errors())
    out: dict[str, float] = {}
    for code, w in (font.widths or {}).items():
        if not isinstance(w, (int, float)):
            continue
        if isinstance(code, str):
            out.setdefault(code, float(w))
            continue
        try:
            text = font.to_unichr(code)
        except unreadable:
            continue
        if len(text) == 1:
            out.setdefault(text, float(w))
    return out


def _descriptor_descent(font: Any, out: dict[str, float], resolve1: Callable[[Any], Any]) -> None:
    if not isinstance(font, dict):
        return
    desc = resolve1(font.get("FontDescriptor"))
    kids = resolve1(font.get("DescendantFonts"))
    if not isinstance(desc, dict) and isinstance(kids, list) and kids:
        desc = resolve1(resolve1(kids[0]).get("FontDescriptor"))
    if not isinstance(desc, dict):
        return
    name = getattr(resolve1(font.get("BaseFont")), "name", None)
    value = resolve1(desc.get("Descent", 0))
    if isinstance(name, str) and isinstance(value, (int, float)):
        out.setdefault(name.split("+", 1)[-1], -abs(float(value)) / 1000.0)


class _FontNames:
    """Per PDFium font handle (looked up once): its name and descent, and the page's pdfminer fonts it may be.

    PDFium names a simple font without its subset prefix and knows no descriptor ``/FontName``; two subsets
    of one font (``AAAAAA+UKaiCN-0``, ``AAAAAB+UKaiCN-0``) then share a PDFium name, and the character picks
    the subset whose widths list it.
    """

    def __init__(self, descents: dict[str, float] | None = None, page_fonts: list[FontFacts] | None = None) -> None:
        self._descents = descents or {}
        self._page_fonts = page_fonts or []
        self._cache: dict[int, tuple[str, float, list[FontFacts]]] = {}
        self._by_object: dict[int, tuple[str, float, list[FontFacts]]] = {}
        self._buf = ctypes.create_string_buffer(512)

    def of_object(self, key: int, text_obj: Any) -> tuple[str, float, list[FontFacts]]:
        """``get`` for a text object known by its address ``key`` (looked up once per object)."""
        hit = self._by_object.get(key)
        if hit is None:
            hit = self._by_object[key] = self.get(text_obj)
        return hit

    def get(self, text_obj: Any) -> tuple[str, float, list[FontFacts]]:
        font = pdfium_c.FPDFTextObj_GetFont(text_obj) if text_obj else None
        key = ctypes.cast(font, ctypes.c_void_p).value or 0 if font else 0
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        name, descent = "", 0.0
        if font:
            n = pdfium_c.FPDFFont_GetBaseFontName(font, self._buf, len(self._buf))
            name = self._buf.value.decode("utf-8", "replace") if n else ""
            d = ctypes.c_float()
            if name in self._descents:
                descent = self._descents[name]
            elif pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1.0), d):
                descent = float(d.value)
        found = [f for f in self._page_fonts if name and name in (f.basefont, f.basefont.split("+", 1)[-1])]
        self._cache[key] = (name, descent, found)
        return name, descent, found

    def space_of(self, font: FontFacts | None) -> float | None:
        """The advance (1/1000 em) of a space in ``font`` or in another subset of it on the page; 0 when none
        of them has a space glyph (the file prints no space in it); None when the font is unknown."""
        if font is None:
            return None
        if " " in font.widths:
            return font.widths[" "]
        family = font.basefont.split("+", 1)[-1]
        return next(
            (f.widths[" "] for f in self._page_fonts if " " in f.widths and f.basefont.split("+", 1)[-1] == family),
            0.0,
        )

    def font_of(self, key: int, text_obj: Any, text: str) -> tuple[str, float, FontFacts | None]:
        """The name and descent of the font printing ``text`` (in the text object at address ``key``), and
        pdfminer's reading of it when known."""
        name, descent, found = self.of_object(key, text_obj)
        if not found:
            return name, descent, None
        font = found[0] if len(found) == 1 else next((f for f in found if text in f.widths), found[0])
        return font.fontname, font.descent, font


class _Advances:
    """Exact character positions along a run of text.

    PDFium advances a run by integer widths (599 for a ``/Widths`` entry of 599.609), pdfminer by the exact
    ones: each character is shifted by the fractions of the characters before it in its run, and its right
    edge is its exact advance. A run goes on across text objects that abut on one baseline (``Tj Tj``).
    """

    def __init__(self) -> None:
        # PDFium's out-parameters, allocated once per page: origin, loose box, matrix, fill colour
        self.out = (
            ctypes.c_double(),
            ctypes.c_double(),
            pdfium_c.FS_RECTF(),
            pdfium_c.FS_MATRIX(),
            ctypes.c_uint(),
            ctypes.c_uint(),
            ctypes.c_uint(),
            ctypes.c_uint(),
        )
        self.styles: dict[int, Style] = {}  # by text object address: see ``_style``
        self.run: int | None = None
        self.shift = 0.0
        self.end: tuple[float, float] | None = None  # where PDFium puts the run's next character

    def place(self, run: int, ox: float, oy: float, width: float | None, scale: float) -> tuple[float, float | None]:
        """x0 and (when the width is known) x1 of a character PDFium puts at (``ox``, ``oy``); ``scale``: the
        size of 1 em along the baseline."""
        if run != self.run and (self.end is None or _far(self.end, (ox, oy))):
            self.shift = 0.0
        self.run = run
        x0 = ox + self.shift
        if width is None:
            self.end = None
            return x0, None
        whole = math.trunc(width)
        self.end = (ox + whole * scale / 1000.0, oy)
        self.shift += (width - whole) * scale / 1000.0
        return x0, x0 + width * scale / 1000.0


def _chars(textpage: Any, height: float, fonts: _FontNames) -> list[Obj] | None:
    """Every printed character of a text page as a pdfplumber-style dict; None when a glyph has no Unicode
    or a font writes vertically (the page is then read by pdfplumber).

    PDFium marks some printed spaces as generated (drops a second space in a row, or puts a generated line
    break where it dropped a space glyph): a generated space or line break between two characters of one
    baseline with a visible gap becomes a space over that gap when ``_space_between`` accepts the gap.
    """
    tp = textpage.raw
    n = pdfium_c.FPDFText_CountChars(tp)
    out: list[Obj] = []
    runs = _Advances()
    pending_space = False
    prev_font: FontFacts | None = None
    for i in range(n):
        if pdfium_c.FPDFText_IsGenerated(tp, i) == 1:
            # a space, or a line break PDFium puts where it dropped a printed space glyph between two
            # characters of one baseline (``_space_between`` judges the gap either way)
            pending_space = pending_space or pdfium_c.FPDFText_GetUnicode(tp, i) in (32, 13)
            continue
        if pdfium_c.FPDFText_HasUnicodeMapError(tp, i) == 1:
            return None
        code = pdfium_c.FPDFText_GetUnicode(tp, i)
        if code in (0, 10, 13, 0xFFFE, 0xFFFF):
            continue
        ch, font = _char(tp, i, code, height, fonts, runs)
        if ch is None:  # vertical writing: PDFium's box is not pdfminer's
            return None
        prev = out[-1] if out else None
        if (pending_space or (prev is not None and prev["text"] == " ")) and prev is not None:
            gap = _space_between(prev, ch, fonts.space_of(prev_font))
            if gap is not None:
                out.append(gap)
        pending_space = False
        out.append(ch)
        prev_font = font
    return out


def _space_between(prev: Obj, ch: Obj, space: float | None = None) -> Obj | None:
    """A space over the visible gap (at most the width of a space, 0.6 em) between two characters of one
    baseline, one of them not Chinese. None when they touch, when the gap is wider (a column gap) or between
    Chinese characters (justified Chinese text has gaps without spaces), and when the previous character's
    font has no space glyph (``space`` 0) or one wider than the gap allows (a space shrinks by at most a
    quarter): the gap is then spacing without a glyph (the CJK–Latin autospace of LibreOffice and Word).
    ``space``: that font's space advance in 1/1000 em (None: unknown)."""
    gap = ch["x0"] - prev["x1"]
    if abs(prev["bottom"] - ch["bottom"]) > 1.0 or gap <= 1.0 or gap > 0.6 * max(prev["size"], ch["size"]):
        return None
    if space is not None and gap < 0.75 * space * prev["size"] / 1000.0:
        return None
    if ord(prev["text"]) >= 0x2E80 and ord(ch["text"]) >= 0x2E80:
        return None
    return {**prev, "text": " ", "x0": prev["x1"], "x1": ch["x0"], "width": ch["x0"] - prev["x1"]}


Style = tuple[float, float, float, float, bool, tuple[float, float, float], tuple[float, float, float, float]]


def _style(tp: Any, i: int, runs: _Advances) -> Style:
    """What PDFium tells of character ``i`` that is its text object's (matrix, font size, fill colour): font
    size, size as printed, vertical scale, size of 1 em along the baseline, upright, fill colour."""
    m, r, g, b, a = runs.out[3:]
    pdfium_c.FPDFText_GetMatrix(tp, i, m)
    pdfium_c.FPDFText_GetFillColor(tp, i, r, g, b, a)
    # the em as printed; float32 noise off (21.950000327 must round like pdfminer's 21.9499999 in the output)
    font_size = round(float(pdfium_c.FPDFText_GetFontSize(tp, i)), 4)
    vertical_scale = math.hypot(m.c, m.d)
    along = font_size * abs(m.a) if m.b == 0 else font_size * math.hypot(m.a, m.b)
    # the vertical scale without PDFium's float32 noise (0.05, not 0.0500000007)
    return (
        font_size,
        round(font_size * vertical_scale, 4),
        round(vertical_scale, 6),
        along,
        bool(m.a * m.d > 0 and m.b * m.c <= 0),
        (r.value / 255.0, g.value / 255.0, b.value / 255.0),
        (m.a, m.b, m.c, m.d),
    )


def _char(
    tp: Any, i: int, code: int, height: float, fonts: _FontNames, runs: _Advances
) -> tuple[Obj | None, FontFacts | None]:
    """One character as pdfplumber describes it (None for a glyph written vertically: its loose box is far
    wider than its size), and pdfminer's reading of its font when known. The matrix, font size and colour are
    its text object's: read once per object (``runs.styles``)."""
    ox, oy, box = runs.out[0], runs.out[1], runs.out[2]
    pdfium_c.FPDFText_GetCharOrigin(tp, i, ox, oy)
    pdfium_c.FPDFText_GetLooseCharBox(tp, i, box)
    text = chr(code)
    text_obj = pdfium_c.FPDFText_GetTextObject(tp, i)
    run = ctypes.cast(text_obj, ctypes.c_void_p).value or 0 if text_obj else 0
    style = runs.styles.get(run) if run else None
    if style is None:
        style = _style(tp, i, runs)
        if run:
            runs.styles[run] = style
    font_size, size, d, along, upright, colour, turn = style
    name, descent, font = fonts.font_of(run, text_obj, text)
    # the origin without PDFium's float32 noise (451.5079, not 451.50790405): the box is then pdfminer's
    # float64 arithmetic on the numbers the content stream wrote
    x, y = round(ox.value, 4), round(oy.value, 4)
    bottom = height - (d * (descent * font_size) + y)
    top = height - (d * (descent * font_size + font_size) + y)
    width = font.widths.get(text, font.default_width) if font is not None else None
    left, right = runs.place(run, x, y, width, along)
    x0 = round(left, 4)
    if float(box.right) - x > 3 * size + 1.0:
        return None, font
    x1 = max(round(float(box.right) + left - x if right is None else right, 4), x0)
    ch = {
        "object_type": "char",
        "text": text,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": size,
        "size": size,
        "fontname": name,
        "upright": upright,
        "matrix": turn,  # the text matrix's linear part (pdfminer's ``matrix[:4]``)
        "non_stroking_color": colour,
    }
    return ch, font


# --------------------------------------------------------------------------- paths and images


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _matrix_of(obj: Any) -> Matrix:
    fm = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, fm):
        return _IDENTITY
    return (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)


def _color(obj: Any, getter: Callable[..., int]) -> tuple[float, float, float] | None:
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not getter(obj, r, g, b, a):
        return None
    return (r.value / 255.0, g.value / 255.0, b.value / 255.0)


def _subpaths(obj: Any, m: Matrix, height: float) -> Iterator[list[tuple[float, float]]]:
    """The subpaths of a path object as lists of points in page space (top-left origin); a closed subpath
    ends with its first point again (pdfminer's ``h``)."""
    pts: list[tuple[float, float]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        px, py = _apply(m, x.value, y.value)
        point = (round(px, 4), height - round(py, 4))  # float32 noise off, then pdfminer's flip (as for characters)
        if pdfium_c.FPDFPathSegment_GetType(seg) == pdfium_c.FPDF_SEGMENT_MOVETO and pts:
            yield pts
            pts = []
        pts.append(point)
        if pdfium_c.FPDFPathSegment_GetClose(seg) and pts and _far(pts[-1], pts[0]):
            pts.append(pts[0])
    if pts:
        yield pts


def _far(p: tuple[float, float], q: tuple[float, float]) -> bool:
    return abs(p[0] - q[0]) > _EPS or abs(p[1] - q[1]) > _EPS


def _edge(p: tuple[float, float], q: tuple[float, float], kind: str, style: Obj) -> Obj:
    x0, x1 = min(p[0], q[0]), max(p[0], q[0])
    top, bottom = min(p[1], q[1]), max(p[1], q[1])
    if kind == "line":
        orientation: str | None = "h" if abs(top - bottom) <= _EPS else "v"
    else:
        orientation = "v" if abs(x0 - x1) <= _EPS else ("h" if abs(top - bottom) <= _EPS else None)
    if orientation == "h":
        top = bottom = (top + bottom) / 2 if kind != "line" else top
    if orientation == "v" and kind != "line":
        x0 = x1 = (x0 + x1) / 2
    return edge_object(f"{kind}_edge" if kind != "line" else "line", x0, x1, top, bottom, orientation, style)


def edge_object(
    object_type: str, x0: float, x1: float, top: float, bottom: float, orientation: str | None, style: dict[str, Any]
) -> dict[str, Any]:
    """An edge as pdfplumber describes one (what the ruled-grid finder reads), from PDFium paths or scanned rules."""
    return {
        "object_type": object_type,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
        **style,
    }


def _is_rect(pts: list[tuple[float, float]]) -> bool:
    if len(pts) != 5 or _far(pts[0], pts[4]):
        return False
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[:4]

    def eq(u: float, v: float) -> bool:
        return abs(u - v) <= _EPS

    return (eq(x0, x1) and eq(y1, y2) and eq(x2, x3) and eq(y3, y0)) or (
        eq(y0, y1) and eq(x1, x2) and eq(y2, y3) and eq(x3, x0)
    )


def _path_edges(pts: list[tuple[float, float]], style: Obj) -> list[Obj]:
    """pdfminer's reading of one subpath: a line (``ml``/``mlh``), a rectangle (four edges) or a curve (an
    edge per pair of consecutive points)."""
    if len(pts) == 2 or (len(pts) == 3 and not _far(pts[0], pts[2])):
        return [_edge(pts[0], pts[1], "line", style)]
    if _is_rect(pts):
        xs = [p[0] for p in pts[:4]]
        ys = [p[1] for p in pts[:4]]
        x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        return [
            _edge((x0, top), (x1, top), "rect", style),
            _edge((x0, bottom), (x1, bottom), "rect", style),
            _edge((x0, top), (x0, bottom), "rect", style),
            _edge((x1, top), (x1, bottom), "rect", style),
        ]
    return [_edge(p, q, "curve", style) for p, q in pairwise(pts)]


def _objects(page: Any, height: float) -> tuple[list[Obj], list[Obj]]:
    """Edges (from path objects) and image boxes of a page, form XObjects included."""
    line_edges: list[Obj] = []
    rect_edges: list[Obj] = []
    curve_edges: list[Obj] = []
    images: list[Obj] = []
    parents: list[Matrix] = []
    wanted = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM)
    for obj in page.get_objects(filter=wanted, max_depth=8):
        del parents[obj.level :]
        outer = parents[-1] if parents else _IDENTITY
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            parents.append(_mul(_matrix_of(obj.raw), outer))
            continue
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images.append(_image(obj.raw, outer, height))
            continue
        style = {
            "stroking_color": _color(obj.raw, pdfium_c.FPDFPageObj_GetStrokeColor),
            "non_stroking_color": _color(obj.raw, pdfium_c.FPDFPageObj_GetFillColor),
        }
        m = _mul(_matrix_of(obj.raw), outer)
        blank = _white_unstroked(obj.raw, style)
        for pts in _subpaths(obj.raw, m, height):
            if blank and _is_rect(pts):  # a paragraph background (WPS/Word): not a rule (as pdf_grids._invisible)
                continue
            for e in _path_edges(pts, style):
                kind = e["object_type"]
                (line_edges if kind == "line" else rect_edges if kind == "rect_edge" else curve_edges).append(e)
    return line_edges + rect_edges + curve_edges, images


def _white_unstroked(obj: Any, style: Obj) -> bool:
    """A path filled with white and not stroked."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke):
        return False
    color = style.get("non_stroking_color")
    return bool(fill.value) and not stroke.value and color is not None and all(v >= 0.97 for v in color)


def _image(obj: Any, outer: Matrix, height: float) -> Obj:
    m = _mul(_matrix_of(obj), outer)  # an image is the unit square under its matrix
    corners = [_apply(m, x, y) for x, y in ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0))]
    xs = [c[0] for c in corners]
    ys = [height - c[1] for c in corners]
    return {"object_type": "image", "x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys)}


# --------------------------------------------------------------------------- pages and the file


def pdfium_page(
    page: Any,
    page_number: int,
    descents: dict[str, float] | None = None,
    size: tuple[float, float] | None = None,
    fonts: list[FontFacts] | None = None,
) -> PdfiumPage | None:
    """One PDFium page as a ``PdfiumPage``; None when pdfplumber must read it (rotation, offset page box,
    glyphs without Unicode, vertical writing, turned text). ``size``: the page's width and height as pdfminer reads them;
    ``fonts``: pdfminer's reading of the page's fonts (names, descents, exact widths)."""
    if page.get_rotation() % 360 != 0:
        return None
    left, bottom, _right, _top = page.get_mediabox()
    if abs(left) > _EPS or abs(bottom) > _EPS or page.get_cropbox() != page.get_mediabox():
        return None
    width, height = page.get_size()
    if size is not None and abs(size[0] - width) < 0.01 and abs(size[1] - height) < 0.01:
        width, height = size  # the exact values, not PDFium's float32 ones
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage, height, _FontNames(descents, fonts))  # font handles are per page
    finally:
        textpage.close()
    if chars is None or page_turn(chars):  # turned text: read by pdfplumber, turned back (pipeline.load.upright)
        return None
    edges, images = _objects(page, height)
    return PdfiumPage(width, height, chars, edges, images, page_number)


REOPEN_PAGES = 100  # pages read from one PDFium document before it is closed and opened again


class _Document:
    """The PDFium document of a file, closed and opened again every ``REOPEN_PAGES`` pages.

    PDFium keeps every object it has parsed (content streams, fonts, images) until the document is closed:
    memory grew by about 55 MB over the 1,054-page archive. A page's reading does not depend on the pages read
    before it (font handles are per page), so reopening changes nothing in the output; it costs one xref read.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.doc = self._opened()
        self.served = 0

    def _opened(self) -> pdfium.PdfDocument:
        """Open with PDFium; when PDFium refuses the file, the reference opener names the coded error."""
        try:
            return pdfium.PdfDocument(str(self.path))
        except pdfium.PdfiumError:
            with guard.open_pdf(self.path):
                pass
            raise GazetteError(Code.E004, str(self.path), "PDFium cannot open the file") from None

    def __len__(self) -> int:
        return len(self.doc)

    def page(self, i: int) -> Any:
        """Page ``i`` (0-based); the caller closes it."""
        if self.served >= REOPEN_PAGES:
            self.doc.close()
            self.doc = self._opened()
            self.served = 0
        self.served += 1
        return self.doc[i]

    def close(self) -> None:
        self.doc.close()


@contextmanager
def _open(path: Path) -> Iterator[_Document]:
    doc = _Document(path)
    try:
        yield doc
    finally:
        doc.close()


def pdfium_to_source(
    path: Path, options: RunOptions | None = None, on_page: Callable[[int, int], None] | None = None
) -> LoadedSource:
    """Load a PDF into pages with PDFium (pdfplumber for the pages listed in the module docstring).

    A file PDFium or the font-descriptor read chokes on is read with pdfplumber as a whole, so a damaged
    file gets the reference backend's code (E004 …), never an internal error. The file is hashed once, here:
    the whole-file fallback is handed the digest."""
    options = options or RunOptions()
    digest = file_to_sha256(path)
    try:
        return _pdfium_to_source(path, options, on_page, digest)
    except (pdfium.PdfiumError, *guard.pdf_read_errors()):
        from pipeline.load.pdf import pdf_to_source

        return pdf_to_source(path, options, on_page, digest=digest)


def _pdfium_to_source(
    path: Path, options: RunOptions, on_page: Callable[[int, int], None] | None, digest: str
) -> LoadedSource:
    started = time.monotonic()
    pages: list[Page] = []
    problems: list[Problem] = []
    with _open(path) as doc:
        n = len(doc)
        if options.max_pages is not None and n > options.max_pages:
            raise GazetteError(Code.E010, str(path), f"{n} pages exceed the page budget of {options.max_pages}")
        facts = pdf_facts(path)  # also: the reference opener's code for a PDF without pages
        carry: Carry | None = None
        for i in range(n):
            lost = facts.lost.get(i, [])
            pages.append(_load_page(doc, i, path, facts, lost, carry))
            carry = carry_after(pages[-1].tables, carry)
            if lost:  # a stream that failed to decompress, an unreadable object: the page lost content
                problems.append(lost_problem(i, lost))
            page_done(path, options, started, i, n, on_page)
    pages = pages_to_text_pages(path, pages, options)
    return LoadedSource(path=str(path), sha256=digest, kind="pdf", pages=pages, n_pages=n, problems=problems)


def _load_page(
    doc: _Document, i: int, path: Path, facts: PdfFacts, lost: list[str], carry: Carry | None = None
) -> Page:
    page = doc.page(i)
    size = facts.sizes[i] if i < len(facts.sizes) else None
    try:
        shim = pdfium_page(page, i + 1, facts.descents, size, facts.fonts.get(i))
    finally:
        page.close()
    if shim is not None:
        return page_to_page(shim, i, carry)
    return _plumber_page(path, i, lost, carry)


def _plumber_page(path: Path, i: int, lost: list[str], carry: Carry | None = None) -> Page:
    """The reference reading of one page (the per-page fallback); what pdfminer reports lost while parsing
    its content is added to ``lost``."""
    with guard.open_pdf(path) as pdf:
        page = pdf.pages[i]
        try:
            with guard.lost_content() as found:
                loaded = page_to_page(page, i, carry)
            lost.extend(m for m in found if m not in lost)
            return loaded
        except guard.pdf_read_errors() as exc:
            raise guard.pdf_error(exc, str(path)) from None
        finally:
            page.close()
