"""Running headers and page labels found by repetition and position."""

from __future__ import annotations

import pytest

from pipeline.grammar.pages import page_label_number
from pipeline.layout.furniture import pages_to_clean_pages
from pipeline.types import Line, Page


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("— 7 —", 7),
        ("- 12 -", 12),
        ("7", 7),
        ("第 3 页", 3),
        ("第3页 共9页", 3),
        ("2022年第3期", None),
        ("— a —", None),
    ],
)
def test_furniture_page_label(text: str, n: int | None) -> None:
    assert page_label_number(text) == n


def _page(i: int, label: str | None, body: str) -> Page:
    lines = [
        Line("某某市人民政府公报 2022年第3期", i, (200, 60, 400, 72), size=10.5),
        Line(body, i, (80, 300, 520, 316), size=16),
    ]
    if label:
        lines.append(Line(label, i, (460, 760, 508, 774), size=14))
    return Page(index=i, width=595, height=842, lines=lines)


def test_furniture_removes_header_and_labels_and_infers_gaps() -> None:
    pages = [_page(0, None, "封面"), _page(1, "— 1 —", "正文一"), _page(2, None, "图"), _page(3, "— 3 —", "正文三")]
    clean = pages_to_clean_pages(pages)
    assert [p.printed for p in clean] == [None, 1, 2, 3]
    assert all(len(p.lines) == 1 for p in clean)
    assert clean[1].lines[0].text == "正文一"


def test_furniture_keeps_unrepeated_top_text() -> None:
    pages = [_page(i, f"— {i} —", "正文") for i in range(1, 4)]
    pages[1].lines.insert(0, Line("只出现一次的标题", 1, (100, 40, 300, 60), size=16))
    clean = pages_to_clean_pages(pages)
    assert clean[1].lines[0].text == "只出现一次的标题"


def test_furniture_text_input_labels() -> None:
    pages = [Page(index=0, width=None, height=None, lines=[Line("正文", 0, line_no=1), Line("- 7 -", 0, line_no=2)])]
    clean = pages_to_clean_pages(pages)
    assert clean[0].printed == 7
    assert [ln.text for ln in clean[0].lines] == ["正文"]


def test_furniture_corpus_pdf_has_no_header_left(corpus_pdf) -> None:
    for doc in corpus_pdf.documents:
        for att in doc.attachments:
            for p in att.body:
                assert "人民政府公报 2022年第3期" not in p.text
                assert "— " not in p.text


def test_furniture_running_title_of_one_document_only() -> None:
    pages = [_page(i, f"·{i}·", "正文") for i in range(1, 13)]
    for p in pages[3:6]:  # a document's own running title on its three pages only
        p.lines.insert(0, Line("关于某某工作的通知", p.index, (230, 40, 370, 52), size=10.5))
    clean = pages_to_clean_pages(pages)
    assert all(ln.text == "正文" for p in clean for ln in p.lines)
    assert [p.printed for p in clean] == list(range(1, 13))
