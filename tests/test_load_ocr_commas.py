"""Comma widths of a scanned line read from the glyphs (issue 17): OCR tells ``,`` from ``，`` badly between
Chinese characters; the blank after the comma's ink on the page tells them apart (synthetic lines of ink)."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pipeline.load.ocr import SCALE, comma_gaps, comma_widths, per_mille, point_spaces

PITCH = 12.0  # points per ideograph cell
TOP, BOTTOM = 100.0, 112.0


def _px(pt: float) -> int:
    return round(pt * SCALE)


def _line(items: str, rule_after: bool = False) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """Ink of one printed line at x = 50 pt: ``字`` an ideograph filling its cell less a 1 pt bearing each side,
    ``，`` a full-width comma (its glyph at the left of a whole cell, low), ``,`` an ASCII comma (half a cell);
    optionally a table's vertical rule 1 pt after the last cell. Returns the ink and the line's box (points)."""
    ink = np.zeros((_px(200), _px(600)), dtype=bool)
    x = 50.0
    for ch in items:
        if ch == "，":
            ink[_px(108) : _px(111.5), _px(x + 1) : _px(x + 2.5)] = True
            x += PITCH
        elif ch == ",":
            ink[_px(108) : _px(111.5), _px(x + 2.5) : _px(x + 4)] = True
            x += PITCH / 2
        else:
            ink[_px(100.5) : _px(111.5), _px(x + 1) : _px(x + PITCH - 1)] = True
            x += PITCH
    if rule_after:
        ink[_px(90) : _px(130), _px(x + 1) : _px(x + 1.5)] = True
    return ink, (50.0, TOP, x, BOTTOM)


def test_load_ocr_commas_ascii_comma_read_full_width_is_ascii() -> None:
    ink, box = _line("政府,依法")
    assert comma_widths(box, "政府，依法", ink) == "政府,依法"
    assert comma_gaps(box, "政府，依法", ink)[2] < 0.4


def test_load_ocr_commas_full_width_comma_read_ascii_is_full_width() -> None:
    ink, box = _line("政府，依法")
    assert comma_widths(box, "政府,依法", ink) == "政府，依法"
    assert comma_gaps(box, "政府,依法", ink)[2] > 0.6


def test_load_ocr_commas_mixed_line_each_comma_by_its_own_glyph() -> None:
    ink, box = _line("一二,三四，五六,七")
    assert comma_widths(box, "一二，三四，五六，七", ink) == "一二,三四，五六,七"


def test_load_ocr_commas_line_end_comma_left_as_read() -> None:
    ink, box = _line("政府依法,")
    assert comma_gaps(box, "政府依法，", ink) == {}
    assert comma_widths(box, "政府依法，", ink) == "政府依法，"


def test_load_ocr_commas_vertical_rule_is_not_the_next_character() -> None:
    ink, box = _line("政府依法,", rule_after=True)
    wide = (box[0], box[1], box[2] + 2.0, box[3])  # the box reaches over the rule (cut on it)
    assert comma_gaps(wide, "政府依法，", ink) == {}
    assert comma_widths(wide, "政府依法，", ink) == "政府依法，"


def test_load_ocr_commas_no_glyph_where_the_comma_should_be_left_as_read() -> None:
    ink, box = _line("政府字依法")  # an ideograph where OCR read a comma: no low, narrow glyph there
    assert comma_gaps(box, "政府，依法", ink) == {}
    assert comma_widths(box, "政府，依法", ink) == "政府，依法"


@given(
    st.lists(st.tuples(st.integers(1, 3), st.sampled_from([",", "，"])), min_size=1, max_size=5),
    st.integers(1, 3),
    st.randoms(use_true_random=False),
)
def test_load_ocr_commas_every_inner_comma_gets_its_printed_width(
    runs: list[tuple[int, str]], last: int, rnd: random.Random
) -> None:
    truth = "".join("字" * n + comma for n, comma in runs) + "字" * last
    ink, box = _line(truth)
    read = "".join(rnd.choice(",，") if ch in ",，" else ch for ch in truth)
    assert comma_widths(box, read, ink) == truth


def _digits_line(label_space: bool) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """``29.10月`` printed: two digits (half a cell each), a low point (a quarter), then ``10`` after a space (label
    ``29.``) or right after the point (the decimal ``29.10``), then an ideograph."""
    ink = np.zeros((_px(200), _px(600)), dtype=bool)
    x = 50.0
    for _ in range(2):
        ink[_px(101) : _px(111.5), _px(x + 1) : _px(x + 5)] = True
        x += PITCH / 2
    ink[_px(109.5) : _px(111.5), _px(x + 0.5) : _px(x + 2)] = True  # the point, a quarter em
    x += PITCH / 4 + (PITCH / 2 if label_space else 0.0)
    for _ in range(2):
        ink[_px(101) : _px(111.5), _px(x + 1) : _px(x + 5)] = True
        x += PITCH / 2
    ink[_px(100.5) : _px(111.5), _px(x + 1) : _px(x + PITCH - 1)] = True
    return ink, (50.0, TOP, x + PITCH, BOTTOM)


def test_load_ocr_commas_space_after_a_label_point_put_back() -> None:
    ink, box = _digits_line(label_space=True)
    assert point_spaces(box, "29.10月", ink) == "29. 10月"


def test_load_ocr_commas_decimal_point_keeps_its_digits_together() -> None:
    ink, box = _digits_line(label_space=False)
    assert point_spaces(box, "29.10月", ink) == "29.10月"
    assert point_spaces(box, "29,10月", ink) == "29,10月"  # only a point between digits gets a space


def _percent_line(ring: bool, after: str = "") -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """``≤ 1%`` printed (half-width signs, the percent sign as wide as high), with ``ring`` the second ring of
    ``‰`` right after it, low; ``after``: a full-width comma after the sign."""
    ink = np.zeros((_px(200), _px(600)), dtype=bool)
    ink[_px(102) : _px(110), _px(51) : _px(55)] = True  # ≤
    ink[_px(101) : _px(111), _px(63) : _px(66)] = True  # 1
    ink[_px(100.5) : _px(111.5), _px(68) : _px(78)] = True  # %
    x = 78.0
    if ring:
        ink[_px(106) : _px(111.5), _px(78.5) : _px(82)] = True
        x = 82.0
    if after == "，":
        ink[_px(108) : _px(111.5), _px(x + 0.5) : _px(x + 2)] = True
        x += 12.0
    return ink, (50.0, TOP, x + 1.0, BOTTOM)


def test_load_ocr_commas_per_mille_from_its_second_ring() -> None:
    ink, box = _percent_line(ring=True)
    assert per_mille(box, "≤ 1%", ink) == "≤ 1‰"


def test_load_ocr_commas_percent_sign_stays() -> None:
    ink, box = _percent_line(ring=False)
    assert per_mille(box, "≤ 1%", ink) == "≤ 1%"
    ink, box = _percent_line(ring=False, after="，")
    assert per_mille(box, "≤ 1%，", ink) == "≤ 1%，"  # the low ink after it is the comma read
