"""Text extractions: page breaks, contents lines, tab rows aligned to their columns."""

from __future__ import annotations

from pipeline.load.text import align_row, cell_text, marker_of, text_to_pages


def test_load_text_form_feed_and_standalone_label_break_pages() -> None:
    pages = text_to_pages("第一页\n- 1 -\n第二页\f第三页")
    assert [[ln.text for ln in p.lines] for p in pages] == [["第一页", "- 1 -"], ["第二页"], ["第三页"]]


def test_load_text_contents_lines_are_not_a_table() -> None:
    pages = text_to_pages("目 录\n第一章 总则.....\t7 -\n第二章 任务.....\t9 -\n")
    assert pages[0].tables == []
    assert len(pages[0].lines) == 3


def test_load_text_year_table_is_a_table() -> None:
    pages = text_to_pages("表 1: 统计\n\t2016\t2017\n检查企业（家次）\t88\t103\n")
    (t,) = pages[0].tables
    assert (t.n_rows, t.n_cols) == (2, 3)


def test_load_text_p_cells() -> None:
    assert cell_text("<p>甲。</p> <p>乙。</p>") == "甲。\n乙。"
    assert marker_of("训等方式。\n48. 要严格") == "num"


def test_load_text_align_row_by_markers() -> None:
    cols = ["cn", "paren", "num", None]
    assert align_row(["(四) 强化", "20. 加强", "", "区人社局"], 4, cols) == ["", "(四) 强化", "20. 加强", "区人社局"]
    assert align_row(["五、坚持", "45. 各镇", "各单位", ""], 4, cols) == ["五、坚持", "", "45. 各镇", "各单位"]
    assert align_row(["", "", "级财政部门要做好业务指导。", ""], 4, cols) == ["", "", "级财政部门要做好业务指导。", ""]


def test_load_text_drops_dash_rows() -> None:
    pages = text_to_pages("甲\t乙\t丙\n1\t2\t3\n--\t---\t--\n")
    assert pages[0].tables[0].n_rows == 2
