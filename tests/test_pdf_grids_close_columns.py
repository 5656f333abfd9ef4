"""Three-line tables whose cells' texts run close to each other: the word runs are cut at the columns' starts."""

from __future__ import annotations

from typing import Any

from pipeline.tables.pdf_grids import _region_lines


def _chars(text: str, x0: float, top: float, size: float = 14.0) -> list[dict[str, Any]]:
    return [
        {"text": ch, "x0": x0 + i * size, "x1": x0 + (i + 1) * size, "top": top, "bottom": top + size, "size": size}
        for i, ch in enumerate(text)
    ]


def _region(rows: list[list[tuple[str, float]]], header: tuple[float, ...] = ()) -> list[list[str]]:
    chars = [c for k, row in enumerate(rows) for text, x in row for c in _chars(text, x, 100.0 + 20 * k)]
    chars.sort(key=lambda c: c["top"])
    lines = _region_lines(chars, [c["top"] for c in chars], 70.0, 530.0, 90.0, 100.0 + 20 * len(rows), header)
    return [[r[2] for r in ln.runs] for ln in lines]


def test_pdf_grids_close_cells_cut_at_column_starts() -> None:
    """Columns start at 74, 133 and 248; the first row's texts reach the next column with 3 point gaps
    (narrower than the 0.8 em that splits words), the other rows show where the columns start."""
    rows = [
        [("一、优化", 74.0), ("(一)深化规范性", 133.0), ("1.加快推进区政府", 248.0)],
        [("务公开", 74.0), ("中公开。", 133.0), ("行政规范性文件库", 248.0)],
        [("基础", 74.0), ("标准化。", 133.0), ("参照市级规范性文件库模式", 248.0)],
    ]
    assert _region(rows) == [
        ["一、优化", "(一)深化规范性", "1.加快推进区政府"],
        ["务公开", "中公开。", "行政规范性文件库"],
        ["基础", "标准化。", "参照市级规范性文件库模式"],
    ]


def test_pdf_grids_close_cells_cut_at_header_starts_only_with_a_gap() -> None:
    # the unit column starts at 444 in the header only; the body's text reaches it with a 3 pt gap
    assert _region([[("规范性文件", 371.0), ("区司法局", 444.0)]], header=(74.0, 444.0)) == [["规范性文件", "区司法局"]]
    # no gap at the header's start: one text running through it is not cut
    assert _region([[("一二三四五六七八", 332.0)]], header=(74.0, 444.0)) == [["一二三四五六七八"]]
