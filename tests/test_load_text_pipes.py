"""Markdown pipe tables in a text input are tables, like tab-separated rows."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.load.text import pipe_row_to_tabs, text_to_pages

TEXT = """一、工作任务

| 序号 | 任务 | 牵头单位 |
|:---|---|---:|
| 1 | 完成隐患排查。 | 区应急管理局 |
| 2 | 修订应急预案。 | 区应急管理局；区消防救援大队 |

二、其他事项。
"""


def test_load_text_pipes_markdown_table_is_a_table() -> None:
    pages = text_to_pages(TEXT)
    assert len(pages[0].tables) == 1
    table = pages[0].tables[0]
    assert (table.n_rows, table.n_cols) == (3, 3)
    texts = [[c.text for c in table.cells if c.row == r] for r in range(table.n_rows)]
    assert texts == [
        ["序号", "任务", "牵头单位"],
        ["1", "完成隐患排查。", "区应急管理局"],
        ["2", "修订应急预案。", "区应急管理局；区消防救援大队"],
    ]
    assert table.first_line_no == 3
    assert [ln.text for ln in pages[0].lines] == ["一、工作任务", "二、其他事项。"]


def test_load_text_pipes_prose_with_a_bar_unchanged() -> None:
    assert pipe_row_to_tabs("甲|乙") == "甲|乙"
    assert pipe_row_to_tabs("|只有一格|") == "|只有一格|"
    assert pipe_row_to_tabs("|---|---|") == ""


@given(
    st.lists(
        st.text(alphabet="甲乙丙123 ,", min_size=1, max_size=6).map(str.strip).filter(bool), min_size=2, max_size=6
    )
)
def test_load_text_pipes_row_round_trips(cells: list[str]) -> None:
    assert pipe_row_to_tabs("| " + " | ".join(cells) + " |").split("\t") == cells
