"""Stage 1 (PDF, scanned pages): a page without a usable text layer → the same ``Page`` read with OCR.

Reads: the PDF (pypdfium2) and the pages already loaded by a PDF loader; a page with no text at all but an
image (a scan) is rendered at 200 dpi and read with RapidOCR (ONNX models shipped
inside the ``rapidocr-onnxruntime`` wheel: nothing is downloaded at run time).
Writes: for each such page a new ``Page`` built by the shared stages from
  - characters: each OCR line's box split over its characters (a Chinese or full-width character counts
    one em, any other half), carrying the line's ``confidence``;
  - rules: long horizontal and vertical runs of dark (or red) pixels, as edges, so the ruled-table and
    three-line-table finders work on scans as on text layers;
  - ``Page.ocr_boxes``: every OCR line's box and confidence, for provenance.
Marks the reader guesses are read from the page's ink instead (``read_marks``): a comma inside a line gets
the width its glyph shows (the blank after its ink), a label's point the space after it (``29. 10月``), ``%``
with a second ring after it is ``‰``; dot leaders of a 目录 are counted from the pixels. A table row read as
one line is cut on the rules where the ink shows the cells. Lines of ideographs read with low confidence are
read again from finer renderings round their box (``reread_unsure``).
Red ink (a seal over the text, a red 版头) is taken out of the image before the black text is read, so it
cannot break or garble the lines, and is read on its own: red text becomes lines of red characters (as the
text layer gives the red 发文机关标志).
Guaranteed after: ``ocr="off"`` changes nothing (a scan is still refused with E006); OCR'd pages are in
place of the originals, same index, same size; ``Source.confidence`` is set later from ``ocr_boxes``.
"""

from __future__ import annotations

import itertools
import re
import threading
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.grammar.pages import ocr_dashed_label
from pipeline.load.pdf import needs_ocr
from pipeline.load.pdfium import PdfiumPage, edge_object
from pipeline.types import BBox, Page

DPI = 200
SCALE = DPI / 72.0
DARK = 150  # grey level below which a pixel is ink
MIN_RULE_PT = 30.0  # a horizontal run at least this long (points) is a rule, not a stroke of a character
MIN_VRULE_PT = 9.0  # a vertical rule must be this long and end on a horizontal rule
MIN_RED_PIXELS = 400  # fewer red pixels than this: no red text to read
DET_SIDE = 1600  # the text detector sees the page at most this many pixels high (speed; lines stay found)
LOW_CONFIDENCE = 0.95  # below this, a value read by OCR is 待核 (to be checked), never an error
SIZE_FROM_HEIGHT = 1.05  # an OCR line's box is about this much lower than its font size
SAME_SIZE_RATIO = 1.2  # adjacent lines on one axis whose estimated sizes differ less than this: one size

_ENGINE: Any = None
_LOCK = threading.Lock()


def engine() -> Any:
    """The OCR engine, loaded once per process (models from the installed package, offline)."""
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            from rapidocr_onnxruntime import RapidOCR

            _ENGINE = RapidOCR(det_limit_side_len=DET_SIDE, det_limit_type="max")
    return _ENGINE


def fill_scanned_pages(path: Path, pages: list[Page]) -> list[Page]:
    """Replace every page that needs OCR by its OCR reading; the other pages are returned as they are."""
    todo = [i for i, p in enumerate(pages) if needs_ocr(p)]
    if not todo:
        return pages
    import pypdfium2 as pdfium

    from pipeline.load.pdf import page_to_page

    out = list(pages)
    doc = pdfium.PdfDocument(str(path))
    try:
        for i in todo:
            pdf_page = doc[i]
            try:
                shim, boxes = scan_to_page(pdf_page, i + 1)
            finally:
                pdf_page.close()
            page = page_to_page(shim, i)
            page.ocr_boxes = boxes
            out[i] = page
    finally:
        doc.close()
    return out


def scan_to_page(pdf_page: Any, page_number: int) -> tuple[PdfiumPage, list[tuple[BBox, float, str]]]:
    """Render one page, read it with OCR and return it as a ``PdfiumPage`` (characters and rules) with the
    OCR line boxes (bbox in points, confidence, text)."""
    width, height = pdf_page.get_size()
    grey, red = _black_and_red(np.asarray(pdf_page.render(scale=SCALE).to_pil().convert("RGB"), dtype=np.int16))
    black_img = np.repeat(grey[..., None], 3, axis=2).astype(np.uint8)
    edges = rules(grey < DARK, (0.0, 0.0, 0.0))
    read = reread_unsure(pdf_page, _read(black_img, 0, 0))
    boxes = [_folio(box, float(height)) for box in _join_folio_pieces(read, float(height))]
    boxes = split_at_rules(boxes, edges, grey < DARK)
    ink = grey < DARK
    lines = [(box, conf, read_marks(box, text, ink)) for box, conf, text in join_leaders(boxes, ink)]
    sizes = line_sizes([box for box, _, _ in lines])
    chars = []
    for (box, conf, text), size in zip(lines, sizes, strict=True):
        line = line_chars(box, text, conf, (0.0, 0.0, 0.0), size)
        for c in line[: run_in_head(box, text, grey < DARK)]:
            c["fontname"] = "OCR-Bold"  # a run-in head in heavier ink: the line changes font once
        chars += line
    if int(red.sum()) >= MIN_RED_PIXELS:
        red_lines = _read_red(red)
        chars += [c for box, conf, text in red_lines for c in line_chars(box, text, conf, (1.0, 0.0, 0.0))]
        boxes += red_lines
        edges += rules(red, (1.0, 0.0, 0.0))
    chars.sort(key=lambda c: (c["top"], c["x0"]))
    return PdfiumPage(float(width), float(height), chars, edges, [], page_number), boxes


def _black_and_red(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A rendered page (RGB, int16) as its black ink's grey levels, red ink taken out, and the red ink."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    tint = r - np.maximum(g, b)
    red = (r > 120) & (tint > 60)  # red ink
    grey = rgb.min(axis=2)
    # red ink out of the black text, with its fringe: JPEG keeps colour at half resolution, so the edge of a
    # red stroke is a colourless grey as dark as red itself (≈ 76); black ink (darker) under a seal stays
    grey[(tint > 25) | (_grow(red, 3) & (grey > 50))] = 255
    return grey, red


REREAD_BELOW = 0.97  # a line read with less confidence than this is read again from finer renderings
REREADS = ((300, 2.0), (400, 2.0), (300, 4.0))  # (dpi, points of page round the box) of each reading again


REREAD_MIN_IDEOGRAPHS = 4  # shorter lines (folios, numbers, signs) are not read again


def _ideograph(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _better_ideographs(first: str, again: str) -> bool:
    """Whether ``again`` differs from ``first`` only in its ideographs, and has no fewer: the signs, digits
    and punctuation stay as first read (their widths and forms are decided from the page, see
    :func:`read_marks`; the recogniser alone reads full-width brackets as ASCII, ≤ as <)."""
    a, b = "".join(first.split()), "".join(again.split())
    marks_a = [c for c in a if not _ideograph(c)]
    marks_b = [c for c in b if not _ideograph(c)]
    return marks_a == marks_b and len(b) >= len(a) and a != b


def _reread(pdf_page: Any, box: BBox, dpi: int, pad: float) -> tuple[str, float] | None:
    """The recogniser's reading of the page round ``box`` rendered at ``dpi`` (red ink out), or None."""
    width, height = pdf_page.get_size()
    crop = (
        max(box[0] - pad, 0.0),
        max(height - box[3] - pad, 0.0),
        max(width - box[2] - pad, 0.0),
        max(box[1] - pad, 0.0),
    )
    rgb = np.asarray(pdf_page.render(scale=dpi / 72.0, crop=crop).to_pil().convert("RGB"), dtype=np.int16)
    grey, _ = _black_and_red(rgb)
    result, _ = engine()(np.repeat(grey[..., None], 3, axis=2).astype(np.uint8), use_det=False, use_cls=False)
    if not result:
        return None
    return normalise(str(result[0][0]).strip()), round(float(result[0][1]), 4)


def reread_unsure(pdf_page: Any, lines: list[tuple[BBox, float, str]]) -> list[tuple[BBox, float, str]]:
    """Lines of ideographs read with low confidence read again, each alone, from the page rendered finer
    round its box (``REREADS``; the recogniser only: the box stays; red ink taken out as on the page): the
    reading with the highest confidence is kept among those that change ideographs only and drop none (the
    recogniser drops a stroke-heavy character it is unsure of, with high confidence in what is left). The
    detector's crop of the whole page at 200 dpi loses strokes a finer, tighter crop keeps (纾 read 经)."""
    out = []
    for box, conf, text in lines:
        if conf < REREAD_BELOW and sum(map(_ideograph, text)) >= REREAD_MIN_IDEOGRAPHS:
            first = text
            for dpi, pad in REREADS:
                again = _reread(pdf_page, box, dpi, pad)
                if again and again[1] > conf and _better_ideographs(first, again[0]):
                    text, conf = again
        out.append((box, conf, text))
    return out


RULE_MARKS = "|丨｜「」"  # what OCR makes of a table's vertical rule caught inside a line's box


def _crossing(box: BBox, verticals: list[tuple[float, float, float]], x: float) -> float | None:
    """The vertical rule crossing the whole height of ``box`` nearest to ``x`` within one character."""
    em = box[3] - box[1]
    near = [v for v, top, bottom in verticals if top <= box[1] + 0.25 * em and bottom >= box[3] - 0.25 * em]
    best = min(near, key=lambda v: abs(v - x), default=None)
    return best if best is not None and abs(best - x) <= em else None


def _split_at_marks(
    line: tuple[BBox, float, str], verticals: list[tuple[float, float, float]]
) -> list[tuple[BBox, float, str]]:
    box, conf, text = line
    for i, ch in enumerate(text):
        if ch not in RULE_MARKS:
            continue
        x = box[0] + (box[2] - box[0]) * (_width_share(text, text[:i]) + _width_share(text, ch) / 2)
        rule = _crossing(box, verticals, x)
        if rule is None:
            continue
        left, right = text[:i], text[i + 1 :]
        out = [((box[0], box[1], rule, box[3]), conf, left)] if left else []
        return out + (_split_at_marks(((rule, box[1], box[2], box[3]), conf, right), verticals) if right else [])
    return [line]


def split_at_rules(
    lines: list[tuple[BBox, float, str]], edges: list[dict[str, Any]], ink: np.ndarray | None = None
) -> list[tuple[BBox, float, str]]:
    """OCR lines cut where a table's vertical rule crosses them. The detector reads a row of a ruled table
    as one line over several cells and the rule inside it as ``|``, ``丨`` or ``「``: at such a mark with a
    rule crossing the line's height within one character, the line is two boxes, split on the rule, and the
    mark is dropped (at either end of a line it is dropped alone), so each cell gets its own text. A box
    reaching over a rule by less than its end character's width ends at the rule (the detector's padding:
    no character fits there). ``ink`` (the page's pixels): where a rule crosses a line with no mark, the
    characters are divided as the ink on either side shows (see :func:`_split_across`)."""
    verticals = [(e["x0"], e["top"], e["bottom"]) for e in edges if e["orientation"] == "v"]
    marked = [piece for line in lines for piece in _split_at_marks(line, verticals)]
    trimmed = [_trim_at_rules(line, verticals) for line in marked]
    return [piece for line in trimmed for piece in _split_across(line, verticals, ink)]


SLIVER = 0.75  # a box end beyond a rule narrower than this share of its end character's width is padding


def _trim_at_rules(
    line: tuple[BBox, float, str], verticals: list[tuple[float, float, float]]
) -> tuple[BBox, float, str]:
    """``line`` with its box ended at a rule that crosses it less than a character from either end."""
    box, conf, text = line
    if not text:
        return line
    em = box[3] - box[1]
    x0, x1 = box[0], box[2]
    for v, top, bottom in verticals:
        if top > box[1] + 0.25 * em or bottom < box[3] - 0.25 * em:
            continue
        if box[0] < v < box[0] + SLIVER * em * _em(text[0]):
            x0 = max(x0, v)
        elif box[2] - SLIVER * em * _em(text[-1]) < v < box[2]:
            x1 = min(x1, v)
    return line if (x0, x1) == (box[0], box[2]) else ((x0, box[1], x1, box[3]), conf, text)


def _ink_width(ink: np.ndarray, box: BBox, x0: float, x1: float) -> float:
    """Points from the first to the last column of ink between ``x0`` and ``x1`` on the rows of ``box``
    (a rule's column, inked over the whole height, left out); 0 without ink."""
    band = _text_band(ink, box, x0, x1)
    runs = _ink_runs(band) if band.size else []
    return (runs[-1][1] - runs[0][0]) / SCALE if runs else 0.0


FILLED = 0.8  # a cell's text whose ink spans less of the cell than this is centred (or short), not justified


def _cut_by_ink(text: str, box: BBox, rules: list[float], ink: np.ndarray) -> int | None:
    """Where to divide ``text`` at the first of ``rules`` (those inside ``box``, left to right) when the
    text on one side of it does not fill its cell (a word centred in a narrow cell, where the characters'
    proportional places are wrong): that side takes as many characters as its ink is wide, at the pitch
    of the whole line's ink (each cell's ink width, over all the ems). None when both sides fill their
    cells (the proportional cut holds) or a side shows no ink."""
    ends = [box[0], *rules, box[2]]
    widths = [_ink_width(ink, box, a + 1.0, b - 1.0) for a, b in itertools.pairwise(ends)]
    if widths[0] <= 0 or widths[1] <= 0:
        return None
    pitch = sum(widths) / sum(_em(c) for c in text)
    fills = [w / max(b - a, 1e-6) for w, (a, b) in zip(widths, itertools.pairwise(ends), strict=True)]
    if fills[0] < FILLED and fills[0] <= fills[1]:
        want = widths[0] / pitch + 0.15
        return min(range(1, len(text)), key=lambda k: abs(sum(_em(c) for c in text[:k]) - want))
    if fills[1] < FILLED and len(rules) == 1:
        want = widths[1] / pitch + 0.15
        return min(range(1, len(text)), key=lambda k: abs(sum(_em(c) for c in text[k:]) - want))
    return None


def _split_across(
    line: tuple[BBox, float, str], verticals: list[tuple[float, float, float]], ink: np.ndarray | None = None
) -> list[tuple[BBox, float, str]]:
    """A line that a long vertical rule (over two lines high) crosses inside, no mark read for it: split
    between the characters the ink on either side of the rule shows (:func:`_cut_by_ink`), without ``ink``
    the characters nearest the rule (a table row is set in one size, so widths are proportional)."""
    box, conf, text = line
    em = box[3] - box[1]
    inside = sorted(
        v
        for v, top, bottom in verticals
        if bottom - top >= 2 * em
        and top <= box[1] + 0.25 * em
        and bottom >= box[3] - 0.25 * em  # the box's padding may pass the table's last rule
        and box[0] + em < v < box[2] - em
    )
    if not inside or len(text) < 2:
        return [line]
    rule = inside[0]
    k = _cut_by_ink(text, box, inside, ink) if ink is not None else None
    if k is None:
        share = (rule - box[0]) / (box[2] - box[0])
        cuts = [_width_share(text, text[:k]) for k in range(1, len(text))]
        k = 1 + min(range(len(cuts)), key=lambda j: abs(cuts[j] - share))
    left = ((box[0], box[1], rule, box[3]), conf, text[:k])
    return [left, *_split_across(((rule, box[1], box[2], box[3]), conf, text[k:]), verticals, ink)]


HEAD_INK_RATIO = 1.5  # a run-in head in 黑体/bold has about twice the ink of the 仿宋 body after it
_HEAD_ENDS = "。：:"


def _ideograph_ink(ink: np.ndarray, box: BBox, text: str) -> list[tuple[int, float]]:
    """(index, share of ink pixels) of every ideograph of an OCR line, at its proportional place in the box."""
    total = sum(_em(c) for c in text) or 1.0
    x, out = box[0], []
    top, bottom = round(box[1] * SCALE), round(box[3] * SCALE)
    for k, ch in enumerate(text):
        step = (box[2] - box[0]) * _em(ch) / total
        if "\u4e00" <= ch <= "\u9fff":
            cell = ink[top:bottom, round(x * SCALE) : max(round((x + step) * SCALE), round(x * SCALE) + 1)]
            out.append((k, float(cell.mean()) if cell.size else 0.0))
        x += step
    return out


def run_in_head(box: BBox, text: str, ink: np.ndarray) -> int:
    """How many first characters of a labelled OCR line are a run-in head (``一、标题。`` in 黑体 or bold, the
    body text run into it): the characters up to the first 。/： when their ideographs carry at least
    ``HEAD_INK_RATIO`` times the ink of the ideographs after it (four or more on each side); 0 otherwise.
    OCR gives no fonts: the weight of the strokes is what tells the head from the body."""
    from pipeline.grammar.labels import split_label

    end = next((k for k, ch in enumerate(text) if ch in _HEAD_ENDS), None)
    if end is None or end + 1 >= len(text) or split_label(text) is None:
        return 0
    marks = _ideograph_ink(ink, box, text)
    head = [v for k, v in marks if k < end]
    body = [v for k, v in marks if k > end]
    if len(head) < 4 or len(body) < 4:
        return 0
    body_ink = sum(body) / len(body)
    return end + 1 if body_ink > 0 and sum(head) / len(head) >= HEAD_INK_RATIO * body_ink else 0


def _grow(mask: np.ndarray, steps: int) -> np.ndarray:
    """``mask`` dilated by ``steps`` pixels (a 3×3 square per step)."""
    out = mask.copy()
    for _ in range(steps):
        grown = out.copy()
        grown[1:, :] |= out[:-1, :]
        grown[:-1, :] |= out[1:, :]
        grown[:, 1:] |= out[:, :-1]
        grown[:, :-1] |= out[:, 1:]
        out = grown
    return out


def _read(img: np.ndarray, dx: int, dy: int) -> list[tuple[BBox, float, str]]:
    """OCR lines of an image (offset ``dx``, ``dy`` pixels in the page) as (bbox in points, confidence, text)."""
    result, _ = engine()(img, use_cls=False)
    out: list[tuple[BBox, float, str]] = []
    for quad, text, score in result or []:
        text = normalise(str(text).strip())
        if not text:
            continue
        xs = [float(p[0]) + dx for p in quad]
        ys = [float(p[1]) + dy for p in quad]
        bbox = (min(xs) / SCALE, min(ys) / SCALE, max(xs) / SCALE, max(ys) / SCALE)
        out.append((bbox, round(float(score), 4), text))
    return out


_NUMBER_BRACKETS = re.compile(r"[〔【［\[](\s*(?:19|20)\d{2}\s*)[〕】］\]]")


FOLIO_BAND = 0.12  # a folio line sits in the top or bottom eighth of the page


def _in_folio_band(box: BBox, page_height: float) -> bool:
    return box[3] <= FOLIO_BAND * page_height or box[1] >= (1 - FOLIO_BAND) * page_height


def _join_folio_pieces(lines: list[tuple[BBox, float, str]], page_height: float) -> list[tuple[BBox, float, str]]:
    """Boxes in the head or foot band that OCR split on one row less than a character apart (``49`` and
    ``一`` of ``— 49 —``) as one box, so a folio reads as one line."""
    out: list[tuple[BBox, float, str]] = []
    for line in sorted(lines, key=lambda ln: (ln[0][1], ln[0][0])):
        box = line[0]
        prev = next((k for k in range(len(out) - 1, -1, -1) if _in_folio_band(out[k][0], page_height)), None)
        if prev is not None and _in_folio_band(box, page_height):
            pbox, pconf, ptext = out[prev]
            height = min(box[3] - box[1], pbox[3] - pbox[1])
            if _same_row(pbox, box) and box[0] - pbox[2] < height:
                joined = (pbox[0], min(pbox[1], box[1]), max(pbox[2], box[2]), max(pbox[3], box[3]))
                out[prev] = (joined, min(pconf, line[1]), ptext + line[2])
                continue
        out.append(line)
    return out


def _folio(line: tuple[BBox, float, str], page_height: float) -> tuple[BBox, float, str]:
    """A folio line at the head or foot of the page as the text layer prints it (``— 21 —``) when OCR read
    its dashes as 一, ー or hyphens, or lost one of them; any other line as it is."""
    box, conf, text = line
    if not _in_folio_band(box, page_height):
        return line
    number = ocr_dashed_label(text)
    return line if number is None else (box, conf, f"— {number} —")


_DASH_AS_ONE = re.compile(r"(?<=[0-9年])一(?=[0-9])|(?<=[0-9])一$")


def normalise(text: str) -> str:
    """OCR text put in the typographic forms the text layer has: the year of a document number between
    六角括号 (``〔2022〕``, GB/T 9704), which OCR reads as 【】 or ［］; the dash of a range of numbers or
    years (``2016—2020年``, ``1—2次``, also when the line breaks after the dash), which OCR reads as the
    ideograph 一 (one stroke, the same shape). Punctuation widths are left as OCR read them here: texts do
    mix ``，`` and ``,`` between Chinese, and a comma's width is read from the page later
    (:func:`comma_widths`)."""
    text = _NUMBER_BRACKETS.sub(lambda m: "〔" + m.group(1).strip() + "〕", text)
    return _DASH_AS_ONE.sub("—", text)


def _read_red(red: np.ndarray) -> list[tuple[BBox, float, str]]:
    """Red text read on its own: the red pixels as black on white, cropped to where they are."""
    rows = np.flatnonzero(red.any(axis=1))
    cols = np.flatnonzero(red.any(axis=0))
    pad = 10
    y0, y1 = max(int(rows[0]) - pad, 0), min(int(rows[-1]) + pad + 1, red.shape[0])
    x0, x1 = max(int(cols[0]) - pad, 0), min(int(cols[-1]) + pad + 1, red.shape[1])
    crop = np.where(red[y0:y1, x0:x1], 0, 255).astype(np.uint8)
    lines = _read(np.repeat(crop[..., None], 3, axis=2), x0, y0)
    return [ln for ln in lines if ln[1] >= 0.5]  # a seal's ring of characters reads as noise


# --------------------------------------------------------------------------- comma widths from the glyphs

COMMAS = ",，"
COMMA_MAX_WIDTH = 0.4  # a comma's ink is at most this share of the character pitch wide
COMMA_LOW = 0.5  # and lies wholly in the lower half of the line's ink
NARROW_GAP = 0.4  # blank after the comma's ink, in pitches: under this an ASCII comma (half a cell) ...
WIDE_GAP = 0.55  # ... at least this a full-width one (its glyph at the left of a whole cell)


def _text_band(ink: np.ndarray, box: BBox, x0: float, x1: float) -> np.ndarray:
    """The ink of ``box``'s rows between ``x0`` and ``x1`` (points), a table's horizontal rule caught in it
    (a row inked over nine tenths of the width) cleared."""
    band = ink[
        max(round(box[1] * SCALE), 0) : round(box[3] * SCALE), max(round(x0 * SCALE), 0) : max(round(x1 * SCALE), 0)
    ]
    if band.size == 0:
        return band
    rule_rows = band.mean(axis=1) >= 0.9
    if rule_rows.any():
        band = band.copy()
        band[rule_rows] = False
    return band


def _ink_runs(band: np.ndarray) -> list[tuple[int, int]]:
    """Runs of columns of ``band`` holding ink, as (start, end) with ``end`` exclusive; a table's vertical rule
    caught in the band (ink in every row of it) is not ink of the line's characters."""
    cols = band.any(axis=0) & ~band.all(axis=0)
    d = np.diff(np.concatenate(([0], cols.astype(np.int8), [0])))
    return [(int(a), int(b)) for a, b in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True)]


def comma_gaps(box: BBox, text: str, ink: np.ndarray, marks: str = COMMAS) -> dict[int, float]:
    """For each comma (or other low mark of ``marks``: ``.``) of an OCR line with a character on either side,
    the blank after its glyph up to the next character's ink, in character pitches (the line's width over
    its ems). The mark's glyph is the column run of ink nearest to its proportional place (within one
    pitch) that is narrow and wholly in the lower half of the line's ink; a mark not found so is left out."""
    band = _text_band(ink, box, box[0], box[2])
    total = sum(_em(c) for c in text)
    if not band.any() or total <= 0:
        return {}
    pitch = band.shape[1] / total
    rows = np.flatnonzero(band.any(axis=1))
    ink_top, height = int(rows[0]), int(rows[-1] - rows[0] + 1)
    runs = _ink_runs(band)

    def low(a: int, b: int) -> bool:
        r = np.flatnonzero(band[:, a:b].any(axis=1))
        return b - a <= COMMA_MAX_WIDTH * pitch and r[0] >= ink_top + COMMA_LOW * height

    out: dict[int, float] = {}
    for i, ch in enumerate(text):
        if ch not in marks or i == 0 or i == len(text) - 1:
            continue
        at = pitch * (sum(_em(c) for c in text[:i]) + _em(ch) / 2)
        near = [k for k, (a, b) in enumerate(runs) if abs((a + b) / 2 - at) <= pitch and low(a, b)]
        if not near:
            continue
        k = min(near, key=lambda j: abs((runs[j][0] + runs[j][1]) / 2 - at))
        if k + 1 < len(runs):
            out[i] = (runs[k + 1][0] - runs[k][1]) / pitch
    return out


def comma_widths(box: BBox, text: str, ink: np.ndarray) -> str:
    """An OCR line with each comma in the width its glyph shows: the reader tells ``,`` from ``，`` badly
    between Chinese characters (the shapes are alike), the page does not: an ASCII comma takes half a cell,
    the next character follows it closely; a full-width comma sits at the left of a whole cell, a blank of
    about half a pitch after it (:func:`comma_gaps`). A comma whose blank is between the two is left as read.
    The places of the commas are found again with the widths found (a misread width shifts the places of
    the characters after it), until nothing changes (three rounds at most)."""
    for _ in range(3):
        chars = list(text)
        for i, gap in comma_gaps(box, text, ink).items():
            if gap < NARROW_GAP:
                chars[i] = ","
            elif gap >= WIDE_GAP:
                chars[i] = "，"
        if "".join(chars) == text:
            break
        text = "".join(chars)
    return text


def read_marks(box: BBox, text: str, ink: np.ndarray) -> str:
    """The marks of an OCR line that the page's ink decides better than the reader: comma widths, the
    space after a label's point, ``‰``."""
    return per_mille(box, point_spaces(box, comma_widths(box, text, ink), ink), ink)


POINT_SPACE = 0.3  # blank after a point between digits, in pitches: at least this, a space follows it


def point_spaces(box: BBox, text: str, ink: np.ndarray) -> str:
    """An OCR line with the space the page shows after a point between digits put back: the reader drops
    spaces, and ``29. 10月`` (item 29, whose text starts with a number) read ``29.10月`` is a decimal, not
    an item label. A decimal point is followed closely by its next digit (corpus: 0.07–0.16 pitch after
    the glyph), a label's point by a space (≈ 0.5 pitch); see :func:`comma_gaps`."""
    gaps = comma_gaps(box, text, ink, ".．")
    wide = [i for i, gap in gaps.items() if gap >= POINT_SPACE and text[i - 1].isdigit() and text[i + 1].isdigit()]
    for i in sorted(wide, reverse=True):
        text = text[: i + 1] + " " + text[i + 1 :]
    return text


LOW_MARKS = ",，.。、"


def per_mille(box: BBox, text: str, ink: np.ndarray) -> str:
    """An OCR line with ``%`` read for ``‰`` set right: the reader's model has the sign but reads the
    glyph as ``%``; the page shows it by the ring after the ``%`` — right after the percent sign's ink
    (less than a sixth of the line's ink height), a narrow run of ink (at most half that height wide) in the
    lower part of the line, for which the text read has no character (the line ends at the sign, or goes on
    with no low mark such as a comma that could be that ink)."""
    if "%" not in text:
        return text
    band = _text_band(ink, box, box[0], box[2])
    runs = _ink_runs(band)
    rows = np.flatnonzero(band.any(axis=1)) if band.size else np.array([], dtype=int)
    total = sum(_em(c) for c in text)
    if len(runs) < 2 or not len(rows) or total <= 0:
        return text
    ink_top, height = int(rows[0]), int(rows[-1] - rows[0] + 1)
    pitch = band.shape[1] / total
    chars = list(text)
    for i, ch in enumerate(text):
        if ch != "%" or (i + 1 < len(text) and text[i + 1] in LOW_MARKS):
            continue
        at = pitch * (sum(_em(c) for c in text[:i]) + _em(ch) / 2)
        wide = [j for j, (a, b) in enumerate(runs) if b - a > height / 2]  # the sign: about as wide as high
        k = min(wide, key=lambda j: abs((runs[j][0] + runs[j][1]) / 2 - at), default=len(runs))
        if k + 1 >= len(runs):
            continue
        (_, b), (c, d) = runs[k], runs[k + 1]
        ring_top = int(np.flatnonzero(band[:, c:d].any(axis=1))[0])
        if c - b <= height / 6 and d - c <= height / 2 and ring_top >= ink_top + 0.35 * height:
            chars[i] = "‰"
    return "".join(chars)


# --------------------------------------------------------------------------- dot leaders (目录 entries)

DOTS = ".·…．"  # what OCR makes of the edge of a dot leader


def _width_share(text: str, part: str) -> float:
    return sum(_em(c) for c in part) / (sum(_em(c) for c in text) or 1.0)


def leader_dots(ink: np.ndarray, box: BBox) -> int:
    """How many dots a dot leader has in ``box`` (points) of the page's ink (pixels), 0 when the box holds
    anything else: at least 3 marks, each as narrow and as low as a dot (under 0.4 of the line's height),
    spread over the box. Only the middle of the box is looked at (0.25 em off each end: the estimated ends
    of the texts around it are not exact; a piece of a glyph left at either end is not counted), the
    count scaled back to the whole box."""
    x0, top, x1, bottom = (round(v * SCALE) for v in box)
    height = max(bottom - top, 1)
    margin = round(height * 0.25)
    band = ink[max(top, 0) : bottom, max(x0 + margin, 0) : max(x1 - margin, 0)]
    if band.shape[1] < height or not band.any():
        return 0
    cols = np.concatenate(([0], band.any(axis=0).astype(np.int8), [0]))
    edges = np.diff(cols)
    marks = [(int(a), int(b)) for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True)]

    def dot(start: int, end: int) -> bool:
        rows = np.flatnonzero(band[:, start:end].any(axis=1))
        return end - start <= 0.4 * height and rows[-1] - rows[0] + 1 <= 0.4 * height

    while marks and not dot(*marks[0]):
        marks.pop(0)
    while marks and not dot(*marks[-1]):
        marks.pop()
    if len(marks) < 3 or not all(dot(a, b) for a, b in marks):
        return 0
    pitch = (marks[-1][1] - marks[0][0]) / (len(marks) - 1)
    if band.shape[1] - (marks[-1][1] - marks[0][0]) > 2.5 * pitch + height * 0.5:  # dots in a part only
        return 0
    return max(round((x1 - x0) / pitch), len(marks)) if pitch > 0 else 0


def _same_row(a: BBox, b: BBox) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return b[0] > a[0] and overlap >= 0.5 * min(a[3] - a[1], b[3] - b[1])


def _leader_after(
    a: tuple[BBox, float, str], b: tuple[BBox, float, str], ink: np.ndarray
) -> list[tuple[BBox, float, str]] | None:
    """Box ``a``, the dot leader after it and box ``b`` (the page number) as three touching segments of
    one row, when the gap between their texts holds a dot leader; None otherwise."""
    (ab, ac, at), (bb, bc, bt) = a, b
    head, tail = at.rstrip(DOTS), bt.lstrip(DOTS)
    if not head or not tail:
        return None
    start = ab[0] + (ab[2] - ab[0]) * _width_share(at, head)
    end = bb[0] + (bb[2] - bb[0]) * _width_share(bt, bt[: len(bt) - len(tail)])
    top, bottom = min(ab[1], bb[1]), max(ab[3], bb[3])
    n = leader_dots(ink, (start, top, end, bottom)) if end > start else 0
    if not n:
        return None
    tail_box = (end, top, bb[2], bottom)
    return [
        ((ab[0], top, start, bottom), ac, head),
        ((start, top, end, bottom), min(ac, bc), "." * n),
        (tail_box, bc, tail),
    ]


def join_leaders(lines: list[tuple[BBox, float, str]], ink: np.ndarray) -> list[tuple[BBox, float, str]]:
    """OCR boxes of one row that a dot leader joins (a 目录 entry: title …… page, which OCR reads as two
    boxes and no dots) as one row of touching segments with the leader's dots between them, as the text
    layer prints it: the contents list reads as contents, not as a two-column table. ``ink``: page pixels."""
    # left to right: the title of a row is met before its page number, whichever box stands higher
    order = sorted(range(len(lines)), key=lambda k: (lines[k][0][0], lines[k][0][1]))
    out: list[tuple[BBox, float, str]] = []
    used: set[int] = set()
    for k in order:
        if k in used:
            continue
        used.add(k)  # every box is given out once, joined or alone
        box = lines[k]
        right = [j for j in order if j not in used and lines[j][0][0] > box[0][0] and _same_row(box[0], lines[j][0])]
        words = [j for j in right if lines[j][2].strip(DOTS)]  # a box of dots alone is part of a leader
        nearest = min(words, key=lambda j: lines[j][0][0], default=None)
        joined = _leader_after(box, lines[nearest], ink) if nearest is not None else None
        if joined is None or nearest is None:
            out.append(box)
            continue
        used.add(nearest)
        used.update(j for j in right if j not in words and lines[j][0][2] <= lines[nearest][0][0] + 1)
        out += joined
    return out


def _em(ch: str) -> float:
    return 1.0 if ord(ch) >= 0x2E80 else 0.5


def line_sizes(boxes: list[BBox]) -> list[float]:
    """The font size of each OCR line, estimated from its box height.

    A box wraps the ink, not the em square, so its height varies with the glyphs (quotation marks stand
    higher than ideographs, a detector pads unevenly): lines printed in one size read a few points apart.
    Adjacent lines centred on one axis (a title wrapped over two lines, the lines of a justified paragraph),
    or a shorter line back at the left margin under an indented one (the last word of a wrapped heading:
    a box round one or two characters stands taller than a line's), whose estimates differ by less than
    ``SAME_SIZE_RATIO`` are one size: their mean, weighted by height."""
    heights = [b[3] - b[1] for b in boxes]
    order = sorted(range(len(boxes)), key=lambda k: boxes[k][1])
    runs: list[list[int]] = []
    for k in order:
        run = runs[-1] if runs else None
        if run is not None and _same_size_run(boxes[run[-1]], boxes[k]):
            run.append(k)
        else:
            runs.append([k])
    sizes = [0.0] * len(boxes)
    for run in runs:
        mean = sum(heights[k] for k in run) / len(run)
        for k in run:
            sizes[k] = round(mean * SIZE_FROM_HEIGHT, 1)
    return sizes


def _same_size_run(a: BBox, b: BBox) -> bool:
    """Whether line box ``b`` follows ``a`` in the same size: right under it, on its axis, similar height."""
    ha, hb = a[3] - a[1], b[3] - b[1]
    low, high = sorted((ha, hb))
    if low <= 0 or high / low >= SAME_SIZE_RATIO:
        return False
    gap = b[1] - a[3]
    on_axis = abs((a[0] + a[2]) / 2 - (b[0] + b[2]) / 2) <= low * 0.5
    wrapped = b[0] < a[0] - low and b[2] < a[2]  # the end of a line indented above, back at the left margin
    return -0.3 * low <= gap <= high and (on_axis or wrapped)


def line_chars(
    box: BBox, text: str, confidence: float, color: tuple[float, float, float], size: float | None = None
) -> list[dict[str, Any]]:
    """An OCR line as characters: the box split in proportion to the characters' widths (em or half em),
    printed in ``size`` (by default estimated from the box height, see :func:`line_sizes`)."""
    x0, top, x1, bottom = box
    weights = [_em(c) for c in text]
    total = sum(weights) or 1.0
    size = size if size is not None else round((bottom - top) * SIZE_FROM_HEIGHT, 1)
    out: list[dict[str, Any]] = []
    x = x0
    for ch, w in zip(text, weights, strict=True):
        step = (x1 - x0) * w / total
        out.append(
            {
                "object_type": "char",
                "text": ch,
                "x0": x,
                "x1": x + step,
                "top": top,
                "bottom": bottom,
                "doctop": top,
                "width": step,
                "height": bottom - top,
                "size": size,
                "fontname": "OCR",
                "upright": True,
                "non_stroking_color": color,
                "confidence": confidence,
            }
        )
        x += step
    return out


# --------------------------------------------------------------------------- rules from the raster


def _runs(mask: np.ndarray, min_len: int) -> list[tuple[int, int, int]]:
    """Runs of True along each row of ``mask`` at least ``min_len`` long, as (row, start, end)."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    starts = np.argwhere(d == 1)
    ends = np.argwhere(d == -1)
    out = []
    for (row, s), (_, e) in zip(starts, ends, strict=True):
        if e - s >= min_len:
            out.append((int(row), int(s), int(e)))
    return out


def _merge(runs: list[tuple[int, int, int]]) -> list[tuple[float, float, float]]:
    """Runs on neighbouring rows that overlap are one rule (its thickness): (centre row, start, end)."""
    rules: list[list[float]] = []  # [first row, last row, start, end]
    for row, s, e in sorted(runs):
        for rule in reversed(rules[-8:]):
            if row - rule[1] <= 2 and s < rule[3] and e > rule[2]:
                rule[1], rule[2], rule[3] = row, min(rule[2], s), max(rule[3], e)
                break
        else:
            rules.append([row, row, s, e])
    return [((a + b) / 2, s, e) for a, b, s, e in rules]


def rules(ink: np.ndarray, color: tuple[float, float, float]) -> list[dict[str, Any]]:
    """Horizontal and vertical rules of a page image (``ink``: True where a pixel is ink) as pdfplumber edges."""
    horizontal = _merge(_runs(ink, int(MIN_RULE_PT * SCALE)))
    vertical = _merge(_runs(ink.T, int(MIN_VRULE_PT * SCALE)))
    tops = [h[0] for h in horizontal]

    def on_rule(y: float, x: float) -> bool:
        return any(abs(y - t) <= 6 and s - 6 <= x <= e + 6 for t, s, e in horizontal) if tops else False

    edges = [_edge(s, e, row, row, color) for row, s, e in horizontal]
    edges += [_edge(col, col, s, e, color) for col, s, e in vertical if on_rule(s, col) or on_rule(e, col)]
    return edges


def _edge(x0: float, x1: float, top: float, bottom: float, color: tuple[float, float, float]) -> dict[str, Any]:
    x0, x1, top, bottom = x0 / SCALE, x1 / SCALE, top / SCALE, bottom / SCALE
    style = {"stroking_color": color, "non_stroking_color": color}
    return edge_object("line", x0, x1, top, bottom, "h" if bottom == top else "v", style)
