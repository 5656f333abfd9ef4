"""Stage 1 (PDF): a PDF file → ``LoadedSource`` of positioned lines, raw tables and figures.

Reads: a PDF path (checked by ``pipeline.load.guard``: not empty, a real PDF, not encrypted, has a text layer).
Writes: one ``Page`` per PDF page with
  - ``lines``: the text lines outside tables, each with bbox, font name, size, fill colour, bold flag;
  - ``tables``: raw table grids (``pipeline.tables.pdf_grids.page_to_raw_tables``);
  - ``figures``: image boxes.
Guaranteed after: pages are in PDF order, lines in reading order (top to bottom, then left to right);
no line lies inside a table box; every pdfplumber page is closed after use, so memory stays flat
whatever the page count.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from pipeline.errors import Code, GazetteError, problem
from pipeline.load import guard
from pipeline.load.digest import file_to_sha256
from pipeline.load.upright import upright_view
from pipeline.options import RunOptions
from pipeline.tables.pdf_grids import Carry, carry_after, page_to_raw_tables
from pipeline.types import Line, LoadedSource, Page, RawFigure, RawTable
from schemas.model import Problem

_TENTH = Decimal("0.1")
MIN_FIGURE_AREA = 2500.0  # pt²: smaller images are logos or bullets, not figures


def _inside(bbox: tuple[float, float, float, float], obj: dict[str, Any], tol: float = 1.0) -> bool:
    x0, top, x1, bottom = bbox
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return x0 - tol <= cx <= x1 + tol and top - tol <= cy <= bottom + tol


def _font_family(name: str | None) -> str:
    """A font's family without the subset prefix: ``AAAAAB+UKaiCN-0`` → ``UKaiCN-0``."""
    return (name or "").split("+", 1)[-1]


def printed_size(size: float) -> float:
    """A font size to one decimal, half up from its value to 3 decimals: 21.95 as pdfminer computes it
    (21.9499999…) and as PDFium does (21.9500003…) both give 22.0, so the backends agree at a tie."""
    return float(Decimal(f"{size:.3f}").quantize(_TENTH, rounding=ROUND_HALF_UP))


def _line_from(raw: dict[str, Any], page_index: int) -> Line:
    chars = raw.get("chars") or []
    # the font of a line is the font of most of its characters
    fonts: dict[str, int] = {}
    for ch in chars:
        fonts[ch.get("fontname", "")] = fonts.get(ch.get("fontname", ""), 0) + 1
    font = max(fonts, key=lambda k: fonts[k]) if fonts else None
    first = next((c for c in chars if c.get("fontname") == font), chars[0] if chars else None)
    color = first.get("non_stroking_color") if first else None
    if color is not None and not isinstance(color, tuple):
        color = tuple(color) if isinstance(color, list) else (float(color),)
    size = printed_size(float(first["size"])) if first else None
    bold = bool(font and ("Bold" in font or "bold" in font or "Heavy" in font))
    lead = ""
    # a run-in head in 黑体/楷体/bold before the body text: the line changes font family once (two subsets
    # of one font, ``AAAAAA+UKaiCN`` and ``AAAAAB+UKaiCN``, are one family)
    family = _font_family(chars[0].get("fontname")) if chars else None
    for ch in chars:
        if _font_family(ch.get("fontname")) != family:
            break
        lead += ch.get("text", "")
    else:
        lead = ""
    return Line(
        text=raw["text"],
        page_index=page_index,
        bbox=(round(raw["x0"], 2), round(raw["top"], 2), round(raw["x1"], 2), round(raw["bottom"], 2)),
        font=font,
        size=size,
        color=color,
        bold=bold,
        lead=lead,
        parts=_parts(raw, page_index),
    )


GAP_EM = 1.0  # a gap of this many ems between two characters of a line parts it into runs


def _parts(raw: dict[str, Any], page_index: int) -> list[Line]:
    """The runs of a line parted by gaps of ``GAP_EM`` or more (each a ``Line``), or [] for a line of one run.

    The text map joins the lines of two columns printed at the same height into one line; the layout phase
    splits such a line at the column gutter (``pipeline.layout.columns``)."""
    text: str = raw["text"]
    chars = [c for c in raw.get("chars") or [] if not c.get("text", "").isspace()]
    starts: list[int] = []  # index in ``text`` of the first character of each run, with the run's first char
    firsts: list[int] = []
    at = 0
    for k, ch in enumerate(chars):
        found = text.find(ch["text"], at)
        if found < 0:
            return []  # the text does not follow the characters (ligatures, reordering): keep the line whole
        if k == 0 or ch["x0"] - chars[k - 1]["x1"] >= GAP_EM * float(ch.get("size") or 12.0):
            starts.append(found)
            firsts.append(k)
        at = found + len(ch["text"])
    if len(starts) < 2:
        return []
    out: list[Line] = []
    for r, (s, k) in enumerate(zip(starts, firsts, strict=True)):
        end_text = starts[r + 1] if r + 1 < len(starts) else len(text)
        end_char = firsts[r + 1] if r + 1 < len(firsts) else len(chars)
        run = chars[k:end_char]
        sub = {
            "text": text[s:end_text].strip(),
            "x0": min(c["x0"] for c in run),
            "x1": max(c["x1"] for c in run),
            "top": min(c["top"] for c in run),
            "bottom": max(c["bottom"] for c in run),
            "chars": run,
        }
        out.append(_line_from(sub, page_index))
    return out


def _across_line(raw: dict[str, Any], page_index: int) -> Line:
    """A line printed across a turned page (``pipeline.load.upright.across_lines``): one run, its box on the
    turned-back page."""
    line = _line_from(raw, page_index)
    line.parts = []
    line.across = True
    return line


def page_to_page(page: Any, page_index: int, carry: Carry | None = None) -> Page:
    """One pdfplumber page → a ``Page`` (lines outside tables, raw tables, figures); a page printed turned is
    read turned back (``pipeline.load.upright``). ``carry``: the columns of a table left open at the bottom of
    the page before (``pipeline.tables.pdf_grids.carry_after``)."""
    page, across = upright_view(page)
    tables: list[RawTable] = page_to_raw_tables(page, page_index, carry)
    boxes = [t.bbox for t in tables if t.bbox is not None]
    view = page
    if boxes:
        view = page.filter(lambda obj: not (obj.get("object_type") == "char" and any(_inside(b, obj) for b in boxes)))
    raw_lines = view.extract_text_lines(return_chars=True, keep_blank_chars=False)
    lines = [_line_from(r, page_index) for r in raw_lines if r["text"].strip()]
    lines += [_across_line(r, page_index) for r in across if r["text"].strip()]
    lines.sort(key=lambda ln: (round(ln.top / 3), ln.x0))
    figures = [
        RawFigure(page_index=page_index, bbox=(im["x0"], im["top"], im["x1"], im["bottom"]))
        for im in page.images
        if (im["x1"] - im["x0"]) * (im["bottom"] - im["top"]) >= MIN_FIGURE_AREA
    ]
    return Page(
        index=page_index,
        width=float(page.width),
        height=float(page.height),
        lines=lines,
        tables=tables,
        figures=figures,
    )


def pdf_to_source(
    path: Path,
    options: RunOptions | None = None,
    on_page: Callable[[int, int], None] | None = None,
    *,
    digest: str | None = None,
) -> LoadedSource:
    """Load a PDF into pages. Raises ``GazetteError`` (E004–E007, E009, E010) for unusable input.

    ``digest`` is the file's sha256 when a caller has already computed it (the PDFium loader falling back to
    this one), so a file is hashed once per load."""
    options = options or RunOptions()
    started = time.monotonic()
    digest = digest or file_to_sha256(path)
    pages: list[Page] = []
    problems: list[Problem] = []
    with guard.open_pdf(path) as pdf:
        n = len(pdf.pages)
        if options.max_pages is not None and n > options.max_pages:
            raise GazetteError(Code.E010, str(path), f"{n} pages exceed the page budget of {options.max_pages}")
        carry: Carry | None = None
        for i, page in enumerate(pdf.pages):
            try:
                with guard.lost_content() as lost:
                    pages.append(page_to_page(page, i, carry))
                    carry = carry_after(pages[-1].tables, carry)
                    lost.extend(vanished_report(page))
            except guard.pdf_read_errors() as exc:  # a page whose content cannot be read: the file is corrupt
                raise guard.pdf_error(exc, str(path)) from None
            finally:
                page.close()
            if lost:  # a stream that failed to decompress, an unreadable object: the page lost content
                problems.append(lost_problem(i, lost))
            page_done(path, options, started, i, n, on_page)
    pages = pages_to_text_pages(path, pages, options)
    return LoadedSource(path=str(path), sha256=digest, kind="pdf", pages=pages, n_pages=n, problems=problems)


def vanished_report(page: Any) -> list[str]:
    """The report for a (read) pdfplumber page whose content streams had bytes but decoded to nothing."""
    if n_lost := guard.vanished_streams(page):
        return [f"{n_lost} content stream(s) failed to decompress: the page's text is missing"]
    return []


def lost_problem(i: int, lost: list[str]) -> Problem:
    """P120 for page ``i`` (0-based) from what was reported lost while reading it (both backends)."""
    lost_text = "; ".join(dict.fromkeys(lost))
    return problem(Code.P120, f"PDF page {i + 1}: content lost while reading: {lost_text}", page=i + 1)


def page_done(
    path: Path, options: RunOptions, started: float, i: int, n: int, on_page: Callable[[int, int], None] | None
) -> None:
    """After page ``i`` of ``n`` (both backends): stop at the time budget (E009), report progress."""
    if options.time_budget is not None and time.monotonic() - started > options.time_budget:
        raise GazetteError(
            Code.E009, str(path), f"stopped after {i + 1} of {n} pages: time budget of {options.time_budget:g} s"
        )
    if on_page:
        on_page(i + 1, n)


def pages_to_text_pages(path: Path, pages: list[Page], options: RunOptions) -> list[Page]:
    """The loaded pages with scanned ones read by OCR (``--ocr auto``); E006/E007 when no usable text remains.
    The OCR module (numpy, the engine) is imported only when a page needs it."""
    if options.ocr == "auto" and any(needs_ocr(p) for p in pages):
        from pipeline.load.ocr import fill_scanned_pages

        pages = fill_scanned_pages(path, pages)
    check_text_layer(pages, path)
    return pages


def needs_ocr(page: Page) -> bool:
    """Whether a loaded page is a scan: no text at all, and an image to read (a blank page is left alone).

    Pages with a garbled text layer keep their codes (P105, E007): OCR of those is not done yet."""
    if not page.figures:
        return False
    return not any(ln.text.strip() for ln in page.lines) and not any(
        c.text.strip() for t in page.tables for c in t.cells
    )


def check_text_layer(pages: list[Page], path: Path) -> None:
    """Refuse a PDF whose text cannot be used, judged from the pages already loaded (no second parse).

    E006 when no page has any text (a scan: needs OCR); E007 when most of the text is garbled
    (``(cid:N)`` glyphs from fonts without a ToUnicode map). Pages garbled on their own are reported later
    as P105 and the rest of the file is kept.
    """
    texts = [ln.text for p in pages for ln in p.lines]
    texts += [c.text for p in pages for t in p.tables for c in t.cells]
    if not any(t.strip() for t in texts):
        has_images = any(p.figures for p in pages)
        reason = "no text layer (scanned images): needs OCR" if has_images else "no text on any page: needs OCR"
        raise GazetteError(Code.E006, str(path), reason)
    if guard.garbled_ratio("\n".join(texts)) >= guard.GARBLED_DOC_RATIO:
        raise GazetteError(Code.E007, str(path), "text is garbled (fonts without a ToUnicode map, (cid:N) glyphs)")
