"""Dot leaders of a scanned 目录: OCR reads an entry as its title and its page number (two boxes, the dots
lost); the OCR stage joins them again with the leader's dots counted from the pixels (issue 17)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.load.ocr import SCALE, join_leaders, leader_dots


def _px(pt: float) -> int:
    return round(pt * SCALE)


def _page(dots: tuple[float, float] | None, pitch_pt: float = 4.0) -> np.ndarray:
    """A page of ink: a title's glyphs at 80–200 pt and a page number at 505–520 pt on the row 100–116 pt,
    dots (a 1 pt square on the baseline every ``pitch_pt``) over ``dots`` (pt)."""
    ink = np.zeros((_px(300), _px(600)), dtype=bool)
    ink[_px(100) : _px(116), _px(80) : _px(200)] = True  # the title (solid: only its ends matter here)
    ink[_px(101) : _px(115), _px(505) : _px(520)] = True  # the page number
    if dots is not None:
        x = dots[0]
        while x < dots[1]:
            ink[_px(112) : _px(113.2), _px(x) : _px(x + 1.2)] = True
            x += pitch_pt
    return ink


def test_load_ocr_leaders_dots_counted_from_pixels() -> None:
    ink = _page((202.0, 502.0))
    assert leader_dots(ink, (200.0, 100.0, 505.0, 116.0)) == 76  # 305 pt / 4 pt
    assert leader_dots(_page(None), (200.0, 100.0, 505.0, 116.0)) == 0  # a gap of white: two cells
    assert leader_dots(ink, (60.0, 100.0, 505.0, 116.0)) == 0  # glyphs inside: not a leader
    assert leader_dots(_page((202.0, 260.0)), (200.0, 100.0, 505.0, 116.0)) == 0  # dots in a part only


def test_load_ocr_leaders_join_title_and_page() -> None:
    boxes = [
        ((80.0, 100.0, 200.0, 116.0), 0.99, "第一节 发展基础.."),  # OCR keeps two of the dots
        ((505.0, 101.0, 520.0, 115.0), 0.98, "7"),
        ((80.0, 140.0, 300.0, 156.0), 0.97, "正文一行"),
    ]
    out = join_leaders(boxes, _page((190.0, 502.0)))
    assert [t for _, _, t in out[:1]] + [t[:3] for _, _, t in out[1:2]] + [t for _, _, t in out[2:]] == [
        "第一节 发展基础",
        "...",
        "7",
        "正文一行",
    ]
    head, leader, page = out[0][0], out[1][0], out[2][0]
    assert head[2] == pytest.approx(leader[0]) and leader[2] == pytest.approx(page[0])  # one row, touching
    assert head[1] == leader[1] == page[1] == 100.0 and out[1][1] == 0.98
    assert 78 <= len(out[1][2]) <= 81  # (505 − 186) pt at 4 pt a dot: the leader printed from the title's end


def test_load_ocr_leaders_table_cells_stay_apart() -> None:
    boxes = [
        ((80.0, 100.0, 200.0, 116.0), 0.99, "生产安全事故死亡人数"),
        ((505.0, 101.0, 520.0, 115.0), 0.98, "下降15%"),
    ]
    assert join_leaders(boxes, _page(None)) == boxes


@given(st.lists(st.tuples(st.floats(0, 500), st.floats(0, 250), st.text("一二.", min_size=1, max_size=5)), max_size=6))
def test_load_ocr_leaders_never_lose_text(rows: list[tuple[float, float, str]]) -> None:
    boxes = [((x, y, x + 40.0, y + 16.0), 0.9, t) for x, y, t in rows]
    out = join_leaders(boxes, _page((202.0, 502.0)))
    words = sorted(t.strip(".·…．") for _, _, t in boxes if t.strip(".·…．"))
    assert sorted(t.strip(".·…．") for _, _, t in out if t.strip(".·…．")) == words
