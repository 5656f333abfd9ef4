"""DOCX automatic numbering rendered as Word shows it; tables with merged cells; headers as furniture;
paragraph provenance (issue 16)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from pipeline.grammar.numerals import cn_to_int
from pipeline.grammar.numerals import int_to_cn as chinese_number
from pipeline.load.docx import docx_to_source, format_number
from pipeline.run import parse_file
from schemas.model import SourceKind
from tests.formats_fixtures import cell, make_docx, para, table


def test_load_docx_numbering_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 21, 99, 100, 105, 110)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十一",
        "九十九",
        "一百",
        "一百零五",
        "一百一十",
    ]


@given(st.integers(min_value=1, max_value=999))
def test_load_docx_numbering_chinese_round_trip(n: int) -> None:
    assert cn_to_int(chinese_number(n)) == n  # what Word writes is what the outline reads back


def test_load_docx_numbering_formats() -> None:
    cases = [
        ("decimal", 12, "12"),
        ("upperLetter", 28, "BB"),
        ("lowerRoman", 14, "xiv"),
        ("decimalEnclosedCircle", 3, "③"),
        ("ideographTraditional", 2, "乙"),
        ("chineseLegalSimplified", 12, "壹拾贰"),
        ("decimalFullWidth", 7, "７"),
        ("somethingUnknown", 4, "4"),
    ]
    assert [format_number(n, fmt) for fmt, n, _ in cases] == [want for _, _, want in cases]


def _numbered(tmp_path: Path) -> Path:
    body = "".join(
        [
            para("关于推进测试工作的实施意见", bold=True),
            para("总体要求", num=(1, 0)),
            para("指导思想", num=(1, 1)),
            para("基本原则", num=(1, 1)),
            para("坚持问题导向。", num=(1, 2)),
            para("重点任务", num=(1, 0)),
            para("加强组织领导", num=(1, 1)),  # restarts under the new 一级
            para("保障措施", style="Chapter"),  # numbering inherited from the style: 第一章
            para("附则", style="Chapter"),
            para("另一个列表从五开始", num=(3, 0)),  # w:startOverride 5 on a second instance of the list
        ]
    )
    return make_docx(tmp_path / "numbered.docx", body)


def test_load_docx_numbering_labels_rendered(tmp_path: Path) -> None:
    src = docx_to_source(_numbered(tmp_path))
    assert [ln.text for ln in src.pages[0].lines] == [
        "关于推进测试工作的实施意见",
        "一、总体要求",
        "（一）指导思想",
        "（二）基本原则",
        "1. 坚持问题导向。",
        "二、重点任务",
        "（一）加强组织领导",
        "第一章 保障措施",
        "第二章 附则",
        "五、另一个列表从五开始",
    ]


def test_load_docx_numbering_provenance_and_fonts(tmp_path: Path) -> None:
    src = docx_to_source(_numbered(tmp_path))
    lines = src.pages[0].lines
    assert [ln.line_no for ln in lines] == list(range(1, 11))  # paragraph index in the body
    assert lines[0].bold is True and lines[1].bold is False
    assert (lines[1].font, lines[1].size) == ("仿宋", 16.0)  # from the Normal style (w:sz 32 half-points)
    assert lines[7].style == "Chapter"
    assert all(ln.bbox is None for ln in lines)  # no geometry invented


def test_load_docx_numbering_outline_level(tmp_path: Path) -> None:
    body = para("第一部分", style="Heading1") + para("正文段落。")
    src = docx_to_source(make_docx(tmp_path / "h.docx", body))
    assert [(ln.text, ln.outline_level, ln.bold, ln.font) for ln in src.pages[0].lines] == [
        ("第一部分", 1, True, "黑体"),
        ("正文段落。", None, False, "仿宋"),
    ]


def test_load_docx_numbering_outline_from_word_numbers(tmp_path: Path) -> None:
    result = parse_file(_numbered(tmp_path))
    assert result.issue is not None
    assert result.issue.source.kind is SourceKind.DOCX
    [doc] = result.issue.documents
    assert doc.title == "关于推进测试工作的实施意见"
    top = [(h.label, h.title) for h in doc.outline]
    assert top[:2] == [("一、", "总体要求"), ("二、", "重点任务")]
    assert [(h.label, h.title) for h in doc.outline[0].children] == [("（一）", "指导思想"), ("（二）", "基本原则")]


def test_load_docx_numbering_merged_table_cells(tmp_path: Path) -> None:
    rows = [
        [cell("序号"), cell("任务", span=2), cell("责任单位")],
        [cell("1"), cell("甲"), cell("乙"), cell("市发展改革委", vmerge="restart")],
        [cell("2"), cell("丙"), cell("丁"), cell("", vmerge="continue")],
    ]
    body = para("前言。") + table(rows, 4) + para("结语。")
    src = docx_to_source(make_docx(tmp_path / "t.docx", body))
    [t] = src.pages[0].tables
    assert (t.n_rows, t.n_cols, t.first_line_no) == (3, 4, 2)
    spans = {(c.row, c.col): (c.text, c.rowspan, c.colspan) for c in t.cells}
    assert spans[(0, 1)] == ("任务", 1, 2)
    assert spans[(1, 3)] == ("市发展改革委", 2, 1)
    assert (2, 3) not in spans  # covered by the merged cell above
    assert [ln.line_no for ln in src.pages[0].lines] == [1, 3]


def test_load_docx_numbering_header_is_furniture(tmp_path: Path) -> None:
    src = docx_to_source(make_docx(tmp_path / "f.docx", para("正文。"), header="某某市人民政府公报"))
    page = src.pages[0]
    assert [ln.text for ln in page.furniture] == ["某某市人民政府公报"]
    assert [ln.text for ln in page.lines] == ["正文。"]
