"""Two captioned annex tables on consecutive pages are two tables (issue 13: a 159-page national notice had 附表1 and
附表2 stitched into one under the first one's header).

Fixture (``tests/tables_render.render_tables``): 附表1, the sample issue's indicator table, breaks across pages 1–2;
附表2, another table with the very same column geometry (and, harder, the same header), starts at the top of page 3
under its own caption. Stitching follows the evidence: a caption line between two fragments starts a new table,
whatever the columns say.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.options import RunOptions
from pipeline.run import parse_file
from pipeline.tables.stitch import continues
from pipeline.types import RawCell, RawTable, RawTableStyle
from tests.tables_render import Spec, render_tables
from tests.test_pdf_grids_page_break import _indicator_source, read_tables

WIDTHS = [0.6, 1.2, 3, 1.2, 1.1]
PROJECTS = ["序号", "项目名称", "建设内容", "牵头单位", "完成时限"]
ROWS = [
    [
        str(k),
        f"重点项目{k}号",
        "新建道路两条，改造供水管网十二公里，同步完善沿线绿化和照明设施",
        "区住房城乡建设局",
        "2022年12月底前",
    ]
    for k in range(1, 9)
]


def render_annexes(path: Path, style: str, same_header: bool, caption2: str) -> Path:
    source, _ = _indicator_source()
    first = Spec(style, "A4", groups=(1,), widths=WIDTHS, caption="附表1 主要指标表")
    second = Spec(style, "A4", widths=WIDTHS, caption=caption2, lead="", new_page=True)
    header2 = source["header"][0] if same_header else PROJECTS
    return render_tables(path, [(source["header"][0], source["rows"], first), (header2, ROWS, second)])


@pytest.mark.parametrize("same_header", [False, True])
@pytest.mark.parametrize("style", ["ruled", "three-line", "borderless"])
def test_stitch_captions_two_annex_tables_stay_two(tmp_path: Path, style: str, same_header: bool) -> None:
    path = render_annexes(tmp_path / "annexes.pdf", style, same_header, "附表2 重点项目表")
    result = parse_file(path, RunOptions())
    assert result.issue is not None
    tables = result.issue.documents[0].tables
    header2 = "类别" if same_header else "项目名称"
    got = [(t.caption, t.number, t.header[0][1], len(t.rows), t.pages) for t in tables]
    assert got == [("附表1主要指标表", 1, "类别", 27, [1, 2]), ("附表2重点项目表", 2, header2, 8, [3])]
    assert tables[1].rows[0][:2] == ["1", "重点项目1号"]


@pytest.mark.parametrize("style", ["ruled", "three-line", "borderless"])
def test_stitch_captions_bare_label_caption_starts_a_table(tmp_path: Path, style: str) -> None:
    """The caption is only the label (附表2), the columns and header are the first table's."""
    path = render_annexes(tmp_path / "annexes.pdf", style, True, "附表2")
    assert [(len(t.rows), t.pages[0] if t.pages else None) for t in read_tables(path)] == [(27, 1), (8, 3)]


def _fragment(page: int, caption: str | None) -> RawTable:
    cells = [RawCell(0, 0, caption, colspan=3)] if caption else []
    cells += [RawCell(len(cells) and 1, c, f"x{c}") for c in range(3)]
    return RawTable(page, 2 if caption else 1, 3, cells, RawTableStyle.RULED, col_x=[50.0, 150.0, 250.0, 350.0])


def test_stitch_captions_fragment_opening_with_its_own_caption_row() -> None:
    prev = _fragment(0, None)
    assert continues(prev, _fragment(1, None))
    assert not continues(prev, _fragment(1, "附表2 重点项目表"))
    assert continues(prev, _fragment(1, "续表"))
