"""Stage 1 (PDF, both backends): a page whose text is printed turned → the same page in upright reading coordinates.

A wide 附表 is printed on a landscape page (mediabox wider than tall: nothing to do), on a portrait page with
``/Rotate 90`` or ``/Rotate 270`` (pdfminer applies the rotation: its characters are already upright), or on a
portrait page whose content matrix turns the text (``cm 0 1 -1 0 …``, no ``/Rotate``: the reader turns the
paper). In the last case pdfminer gives every character ``upright=False`` and boxes in the page's own frame,
where lines of text run down the page and the table finders see columns as rows.

Reads: a pdfplumber page, or any object with its attributes (``chars``, ``edges``, ``images``, ``width``,
``height``, ``rects``).
Writes: when most characters run in one turned direction (90°, 180° or 270°), a view of the page turned back:
every character of that direction, edge and image box mapped to the upright page (its width and height swapped
for a quarter turn), characters marked upright, horizontal and vertical edges exchanged; and the lines printed in
another direction (a book's running header and folio, upright on the portrait page whose table is turned), each
read in its own frame and placed on the turned-back page (``Line.across``: the furniture stage looks for them in
the page's side bands). Otherwise the page itself.
Guaranteed after: the view has the attributes the shared stages read (``pipeline.load.pdf.page_to_page`` and
``pipeline.tables.pdf_grids``), so lines are grouped and tables found by the very same code as on an upright
page; a page with only a few turned characters (a rotated stamp, a turned header cell) is left as it is.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from pipeline.tables.pdf_grids import visible_page

Obj = dict[str, Any]

TURNED_SHARE = 0.6  # a page is turned when at least this share of its printed characters run in one turned direction


def char_turn(ch: Obj) -> int:
    """The direction a character's baseline runs, counter-clockwise in degrees (0, 90, 180 or 270), from its
    text matrix (pdfminer's ``matrix``); 0 when the character carries no matrix."""
    m = ch.get("matrix")
    if not m or len(m) < 2:
        return 0
    angle = math.degrees(math.atan2(float(m[1]), float(m[0])))
    return round(angle / 90.0) % 4 * 90


def page_turn(chars: list[Obj]) -> int:
    """How far the reader turns the page to read it (clockwise degrees: 0, 90, 180 or 270): the direction most
    printed characters run in when at least ``TURNED_SHARE`` of them do, else 0."""
    turns = Counter(char_turn(c) for c in chars if str(c.get("text", "")).strip())
    if not turns:
        return 0
    turn, n = turns.most_common(1)[0]
    return turn if turn and n >= TURNED_SHARE * sum(turns.values()) else 0


def turn_box(box: tuple[float, float, float, float], turn: int, width: float, height: float) -> tuple[float, ...]:
    """A box (x0, top, x1, bottom, top-left origin) on a ``width`` × ``height`` page, as it lies on the page
    turned ``turn`` degrees clockwise."""
    x0, top, x1, bottom = box
    if turn == 90:
        return (height - bottom, x0, height - top, x1)
    if turn == 270:
        return (top, width - x1, bottom, width - x0)
    if turn == 180:
        return (width - x1, height - bottom, width - x0, height - top)
    return box


def _turned(obj: Obj, turn: int, width: float, height: float, new_height: float) -> Obj:
    x0, top, x1, bottom = turn_box((obj["x0"], obj["top"], obj["x1"], obj["bottom"]), turn, width, height)
    out = {**obj, "x0": x0, "top": top, "x1": x1, "bottom": bottom, "doctop": top, "width": x1 - x0}
    out["height"] = bottom - top
    if "y0" in obj:
        out["y0"], out["y1"] = new_height - bottom, new_height - top
    if obj.get("object_type") == "char":
        out["upright"] = char_turn(obj) == turn
        out["height"] = obj.get("size", bottom - top)
    orientation = obj.get("orientation")
    if orientation in ("h", "v") and turn in (90, 270):
        out["orientation"] = "v" if orientation == "h" else "h"
    return out


def upright_view(page: Any) -> tuple[Any, list[Obj]]:
    """``(page, [])`` when the page reads upright; else a view of it turned back (see the module docstring) and
    the lines printed across it (``across_lines``)."""
    turn = page_turn(list(page.chars))
    if not turn:
        return page, []
    from pipeline.load.pdfium import PdfiumPage  # the page-shaped holder of objects both backends share

    width, height = float(page.width), float(page.height)
    new_width, new_height = (height, width) if turn in (90, 270) else (width, height)
    chars = [_turned(c, turn, width, height, new_height) for c in page.chars if char_turn(c) == turn]
    edges = [_turned(e, turn, width, height, new_height) for e in visible_page(page).edges]
    images = [_turned(i, turn, width, height, new_height) for i in page.images]
    view = PdfiumPage(new_width, new_height, chars, edges, images, int(getattr(page, "page_number", 0)))
    return view, across_lines(page, turn)


def across_lines(page: Any, turn: int) -> list[Obj]:
    """The text lines of a turned page printed in another direction than its text — a book's running header and
    folio printed upright on the page whose table is turned — each read in its own frame (as pdfplumber's
    ``extract_text_lines`` gives them, without characters) with its box on the turned-back page."""
    others = page.filter(lambda o: o.get("object_type") != "char" or char_turn(o) != turn)
    out: list[Obj] = []
    width, height = float(page.width), float(page.height)
    for raw in others.extract_text_lines(return_chars=True, keep_blank_chars=False):
        x0, top, x1, bottom = turn_box((raw["x0"], raw["top"], raw["x1"], raw["bottom"]), turn, width, height)
        out.append({**raw, "x0": x0, "top": top, "x1": x1, "bottom": bottom})
    return out
