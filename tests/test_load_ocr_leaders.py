"""Dot leaders of a scanned 目录: OCR reads an entry as its title and its page number (two boxes, the dots
lost); the OCR stage joins them again with the leader's dots counted from the pixels (issue 17)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.grammar.pages import ocr_dashed_label
from pipeline.load.ocr import (
    SCALE,
    _folio,
    _join_folio_pieces,
    join_leaders,
    leader_dots,
    run_in_head,
    split_at_rules,
)


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


def test_load_ocr_leaders_folio_dashes_read_as_one() -> None:
    assert [ocr_dashed_label(t) for t in ("一29一", "-26一", "—27一", "21-", "— 5 —", "29", "一二", "2016-2020")] == [
        29,
        26,
        27,
        21,
        5,
        None,  # a bare number: maybe a cell
        None,
        None,
    ]
    foot = ((280.0, 800.0, 310.0, 812.0), 0.9, "一29一")
    body = ((280.0, 400.0, 310.0, 412.0), 0.9, "一29一")
    assert _folio(foot, 842.0) == (foot[0], 0.9, "— 29 —")
    assert _folio(body, 842.0) == body  # mid-page: not a folio


def test_load_ocr_leaders_folio_in_pieces() -> None:
    """OCR split ``— 49 —`` into ``49`` and ``一`` (the first dash lost): one folio line again; a body line
    and pieces far apart stay as they are."""
    pieces = [
        ((487.9, 764.4, 504.4, 773.7), 0.77, "一"),
        ((471.8, 762.2, 492.6, 775.4), 0.99, "49"),
        ((80.0, 683.0, 520.0, 699.0), 0.99, "公室制定了《工作要点分工方案》，经"),
    ]
    out = [_folio(ln, 842.0) for ln in _join_folio_pieces(pieces, 842.0)]
    assert out == [pieces[2], ((471.8, 762.2, 504.4, 775.4), 0.77, "— 49 —")]
    apart = [((80.0, 780.0, 100.0, 792.0), 0.9, "12"), ((500.0, 780.0, 520.0, 792.0), 0.9, "一")]
    assert _join_folio_pieces(apart, 842.0) == apart


def _v(x: float, top: float, bottom: float) -> dict:  # type: ignore[type-arg]
    return {"orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom}


def test_load_ocr_leaders_rows_split_at_table_rules() -> None:
    """One OCR line over three cells of a ruled row (the rule at 437 read as ``|``, the one at 215 not read):
    three boxes cut on the rules, the mark dropped; a short stroke-like vertical cuts nothing."""
    line = ((141.0, 709.0, 515.0, 722.0), 0.97, "府网站重点领范，结合近年工作重点修改调整重点领|室；区政务服")
    edges = [_v(215.0, 105.0, 741.0), _v(437.0, 105.0, 741.0), _v(300.0, 708.0, 718.0)]
    assert split_at_rules([line], edges) == [
        ((141.0, 709.0, 215.0, 722.0), 0.97, "府网站重点领"),
        ((215.0, 709.0, 437.0, 722.0), 0.97, "范，结合近年工作重点修改调整重点领"),
        ((437.0, 709.0, 515.0, 722.0), 0.97, "室；区政务服"),
    ]
    plain = ((80.0, 300.0, 520.0, 316.0), 0.99, "一行正文，没有表格线")
    assert split_at_rules([plain], edges[2:]) == [plain]
    end_mark = ((218.0, 727.0, 437.5, 739.0), 0.96, "域相关栏目名称表述、子栏目设置、内|")
    assert split_at_rules([end_mark], edges) == [
        ((218.0, 727.0, 437.0, 739.0), 0.96, "域相关栏目名称表述、子栏目设置、内")
    ]


def test_load_ocr_leaders_run_in_head_from_ink_weight() -> None:
    """``一、标题。正文`` whose head is printed in heavier strokes (黑体) than the body run into it: the head's
    characters are counted from the ink of each ideograph's place in the box; one weight throughout: none."""
    text = "一、高度重视提高政治站位。各镇街道各单位要以"
    box = (100.0, 100.0, 100.0 + 16.0 * len(text), 116.0)
    ink = np.zeros((_px(200), _px(600)), dtype=bool)
    head_end = 100.0 + 16.0 * 13  # 13 characters up to 。
    ink[_px(102) : _px(114), _px(100) : _px(head_end)] = (np.arange(_px(head_end) - _px(100)) % 3) == 0  # 1/3
    ink[_px(102) : _px(114), _px(head_end) : _px(box[2])] = (np.arange(_px(box[2]) - _px(head_end)) % 6) == 0
    assert run_in_head(box, text, ink) == 13
    even = np.zeros_like(ink)
    even[_px(102) : _px(114), _px(100) : _px(box[2])] = (np.arange(_px(box[2]) - _px(100)) % 3) == 0
    assert run_in_head(box, text, even) == 0
    assert run_in_head(box, "高度重视提高政治站位。各镇街道各单位要以", ink) == 0  # no label: not a head
