"""OCR lines over several cells of a ruled table cut where the page shows the cells (issue 17): a word
centred in a narrow cell, a detector box reaching over a rule by its padding, a rule row caught in a line's
band (synthetic ink and rules)."""

from __future__ import annotations

import numpy as np

from pipeline.load.ocr import SCALE, comma_gaps, split_at_rules


def _px(pt: float) -> int:
    return round(pt * SCALE)


def _v(x: float, top: float, bottom: float) -> dict:  # type: ignore[type-arg]
    return {"orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom}


def _glyphs(ink: np.ndarray, x: float, n: int, pitch: float = 14.0, top: float = 101.0, bottom: float = 113.0) -> float:
    """``n`` ideographs of ink from ``x`` at ``pitch`` (1 pt bearings); returns the x after them."""
    for k in range(n):
        ink[_px(top) : _px(bottom), _px(x + k * pitch + 1) : _px(x + (k + 1) * pitch - 1)] = True
    return x + n * pitch


def _table_ink(rule_row: bool = False) -> np.ndarray:
    ink = np.zeros((_px(200), _px(600)), dtype=bool)
    ink[_px(60) : _px(130), _px(140) : _px(140.5)] = True  # the rule between the two cells
    if rule_row:
        ink[_px(113.5) : _px(114), _px(80) : _px(520)] = True  # the table's bottom rule in the band
    return ink


def test_load_ocr_cells_centred_word_takes_only_its_own_characters() -> None:
    """``监督`` centred in a 50 pt cell, the next cell's ``46.各镇…`` justified: the proportional cut would give
    the left cell ``监督46``; the ink shows two characters there."""
    ink = _table_ink()
    _glyphs(ink, 106.0, 2)
    _glyphs(ink, 143.0, 1, pitch=7.0)  # 4
    _glyphs(ink, 150.0, 1, pitch=7.0)  # 6
    ink[_px(110) : _px(112), _px(158) : _px(160)] = True  # .
    _glyphs(ink, 164.0, 18)
    text = "监督46.各镇街道各单位主要负责同志每年至少听取"
    line = ((96.0, 100.0, 416.0, 114.0), 0.99, text)
    edges = [_v(140.2, 60.0, 130.0)]
    assert [t for _, _, t in split_at_rules([line], edges, ink)] == [
        "监督",
        "46.各镇街道各单位主要负责同志每年至少听取",
    ]
    assert [t for _, _, t in split_at_rules([line], edges)] == ["监督46", ".各镇街道各单位主要负责同志每年至少听取"]


def test_load_ocr_cells_table_rule_row_in_the_band_is_not_text() -> None:
    """The same row with the table's bottom rule inside the line's box: the rule's row is not ink of text."""
    ink = _table_ink(rule_row=True)
    _glyphs(ink, 106.0, 2)
    _glyphs(ink, 143.0, 18)
    line = ((96.0, 100.0, 400.0, 114.5), 0.99, "监督" + "字" * 18)
    edges = [_v(140.2, 60.0, 114.2)]  # the rule ends on the bottom rule, above the box's padding
    assert [t for _, _, t in split_at_rules([line], edges, ink)] == ["监督", "字" * 18]


def test_load_ocr_cells_justified_cells_keep_the_proportional_cut() -> None:
    """Both cells filled by their text: the cut is where the characters' proportional places put it."""
    ink = _table_ink()
    _glyphs(ink, 84.0, 4)
    _glyphs(ink, 142.0, 10)
    line = ((84.0, 100.0, 282.0, 114.0), 0.99, "全区一盘挥统筹协调监督调度")
    edges = [_v(140.2, 60.0, 130.0)]
    assert [t for _, _, t in split_at_rules([line], edges, ink)] == ["全区一盘", "挥统筹协调监督调度"]


def test_load_ocr_cells_box_padding_over_a_rule_is_trimmed() -> None:
    """A box starting 6 pt left of a rule (less than its first ideograph's width): it starts at the rule,
    so its first character is not placed in the cell on the left; 10 pt over a 12 pt line is a character."""
    edges = [_v(437.0, 60.0, 700.0)]
    padded = ((431.0, 650.0, 515.0, 662.0), 0.99, "区直和市驻区")
    assert split_at_rules([padded], edges) == [((437.0, 650.0, 515.0, 662.0), 0.99, "区直和市驻区")]
    right = ((218.0, 650.0, 441.0, 662.0), 0.99, "综合")
    assert split_at_rules([right], edges) == [((218.0, 650.0, 437.0, 662.0), 0.99, "综合")]
    over = ((427.0, 650.0, 515.0, 662.0), 0.99, "区直和市驻区")
    assert split_at_rules([over], edges) == [over]


def test_load_ocr_cells_comma_next_to_a_rule_row_is_measured() -> None:
    """A comma in a line whose box holds a table's rule row: the rule does not hide the blank after it."""
    ink = np.zeros((_px(200), _px(600)), dtype=bool)
    x = _glyphs(ink, 50.0, 2, pitch=12.0, top=100.5, bottom=111.5)
    ink[_px(108) : _px(111.5), _px(x + 2.5) : _px(x + 4)] = True  # an ASCII comma
    _glyphs(ink, x + 6.0, 2, pitch=12.0, top=100.5, bottom=111.5)
    ink[_px(112.5) : _px(113), _px(40) : _px(150)] = True
    gaps = comma_gaps((50.0, 100.0, x + 30.0, 113.5), "政府，依法", ink)
    assert set(gaps) == {2} and gaps[2] < 0.4
