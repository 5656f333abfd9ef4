"""Three-line tables whose cells' texts run close to each other: the word runs are cut at the columns' starts."""

from __future__ import annotations

from typing import Any

from pipeline.tables.pdf_grids import _region_lines, _Rule, _rule_group


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


def test_pdf_grids_close_header_words_cut_where_the_body_columns_start() -> None:
    """序号 and 分类 printed 7 points apart in the header (less than 0.8 em): the body, whose 分类 texts start at
    102.2 on several lines, says where the header is cut."""
    header = (
        _chars("序号", 73.9, 264.0, 10.5) + _chars("分类", 102.2, 264.0, 10.5) + _chars("主要任务", 149.5, 264.0, 10.5)
    )
    body = (
        _chars("1", 73.9, 284.0, 10.5)
        + _chars("非煤矿", 102.2, 284.0, 10.5)
        + _chars("提高安全准入门槛。", 149.5, 284.0, 10.5)
        + _chars("山", 102.2, 299.0, 10.5)
        + _chars("严把复工复产关口。", 149.5, 299.0, 10.5)
        + _chars("2", 73.9, 314.0, 10.5)
        + _chars("危险化", 102.2, 314.0, 10.5)
        + _chars("贯彻国家文件精神。", 149.5, 314.0, 10.5)
    )
    chars = sorted(header + body, key=lambda c: c["top"])
    rules = [_Rule(260.0, 71.0, 524.0, False), _Rule(278.0, 71.0, 524.0, False), _Rule(330.0, 71.0, 524.0, False)]
    group, regions = _rule_group(rules, 0, chars, [c["top"] for c in chars], [])
    assert len(group) == 3
    assert [r[2] for r in regions[0][0].runs] == ["序号", "分类", "主要任务"]
