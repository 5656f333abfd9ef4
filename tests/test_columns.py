"""The column splitter (``pipeline.layout.columns``) on synthetic line boxes."""

from __future__ import annotations

import copy
import itertools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from pipeline.layout.columns import find_gutter, pages_to_column_pages
from pipeline.layout.furniture import pages_to_clean_pages
from pipeline.layout.reflow import pages_to_blocks
from pipeline.load.pdf import pdf_to_source
from pipeline.types import Line, Page

EM = 10.0
W, H = 595.0, 842.0
L, R = 50.0, 546.0  # the text block
GAP = 20.0
COL = (R - L - GAP) / 2  # 238
RL = L + COL + GAP  # the right column's left edge


def _line(text: str, x0: float, top: float, x1: float | None = None, size: float = EM, font: str = "Song") -> Line:
    x1 = x0 + len(text) * size if x1 is None else x1
    return Line(text=text, page_index=0, bbox=(x0, top, x1, top + size), font=font, size=size)


def _joined(left: Line, right: Line) -> Line:
    """One line of the text map made of a left-column run and a right-column run (the gap is the gutter)."""
    assert left.bbox is not None and right.bbox is not None
    box = (left.bbox[0], min(left.bbox[1], right.bbox[1]), right.bbox[2], max(left.bbox[3], right.bbox[3]))
    return Line(
        text=f"{left.text} {right.text}",
        page_index=0,
        bbox=box,
        font=left.font,
        size=EM,
        parts=[left, right],
    )


def _column(x0: float, tag: str, tops: list[float]) -> list[Line]:
    """A justified column: full lines, the first indented two ems, the last one short."""
    out = []
    for k, top in enumerate(tops):
        if k == len(tops) - 1:
            out.append(_line(f"{tag}{k}末行。", x0, top, x0 + COL / 3))
        else:
            out.append(_line(f"{tag}{k}正文", x0 + (2 * EM if k == 0 else 0), top, x0 + COL))
    return out


def _two_column_page(title: bool = True) -> Page:
    tops = [120.0 + 15 * k for k in range(12)]
    left = _column(L, "左", tops)
    right = _column(RL, "右", tops)
    lines = []
    if title:
        lines.append(_line("一个横跨两栏的居中大标题", (L + R) / 2 - 60, 80.0, (L + R) / 2 + 60, size=16.0, font="Hei"))
    # the text map joins the runs of both columns printed at the same height into one line
    lines += [_joined(a, b) for a, b in zip(left, right, strict=True)]
    return Page(index=0, width=W, height=H, lines=lines)


def test_columns_gutter_found_between_two_columns() -> None:
    g = find_gutter(_two_column_page())
    assert g is not None
    assert g.left == (L, L + COL)
    assert g.right == (RL, RL + COL)


def test_columns_reads_title_then_left_column_then_right_column() -> None:
    page = pages_to_column_pages([_two_column_page()])[0]
    texts = [ln.text for ln in page.lines]
    assert texts[0] == "一个横跨两栏的居中大标题"
    assert texts[1:13] == [f"左{k}正文" for k in range(11)] + ["左11末行。"]
    assert texts[13:] == [f"右{k}正文" for k in range(11)] + ["右11末行。"]
    assert page.ordered
    assert page.lines[0].column is None
    assert {ln.column for ln in page.lines[1:13]} == {(L, L + COL)}
    assert {ln.column for ln in page.lines[13:]} == {(RL, RL + COL)}


def test_columns_full_width_line_cuts_the_page_into_bands() -> None:
    page = _two_column_page(title=False)
    # a full-width heading between two bands of two columns
    upper = [ln for ln in page.lines if ln.top < 170]
    lower = [ln for ln in page.lines if ln.top >= 170]
    for ln in lower:
        assert ln.bbox is not None
        ln.bbox = (ln.bbox[0], ln.bbox[1] + 30, ln.bbox[2], ln.bbox[3] + 30)
        for p in ln.parts:
            assert p.bbox is not None
            p.bbox = (p.bbox[0], p.bbox[1] + 30, p.bbox[2], p.bbox[3] + 30)
    heading = _line("横跨两栏的通栏标题文字", L, 180.0, R)
    page.lines = [*upper, heading, *lower]
    out = pages_to_column_pages([page])[0]
    texts = [ln.text for ln in out.lines]
    assert texts == [
        *[f"左{k}正文" for k in range(4)],
        *[f"右{k}正文" for k in range(4)],
        "横跨两栏的通栏标题文字",
        *[f"左{k}正文" for k in range(4, 11)],
        "左11末行。",
        *[f"右{k}正文" for k in range(4, 11)],
        "右11末行。",
    ]


def test_columns_paragraphs_continue_from_left_column_to_right_column() -> None:
    page = _two_column_page(title=False)
    blocks = pages_to_blocks(pages_to_column_pages([page]))
    # each column is one paragraph: its first line indented, its full lines joined, its last line short
    assert [b.text for b in blocks] == [
        "".join(f"左{k}正文" for k in range(11)) + "左11末行。",
        "".join(f"右{k}正文" for k in range(11)) + "右11末行。",
    ]


def test_columns_page_without_columns_takes_the_files_gutter() -> None:
    first = Page(index=0, width=W, height=H, lines=_column(L, "左", [400.0 + 15 * k for k in range(4)]))
    second = _two_column_page(title=False)
    second.index = 1
    for ln in second.lines:
        ln.page_index = 1
    out = pages_to_column_pages([first, second])
    assert out[0].ordered
    assert {ln.column for ln in out[0].lines} == {(L, L + COL)}


def test_columns_file_without_two_column_page_unchanged() -> None:
    tops = [100.0 + 15 * k for k in range(20)]
    page = Page(index=0, width=W, height=H, lines=_column(L, "文", tops))
    before = copy.deepcopy(page)
    out = pages_to_column_pages([page])
    assert out[0] == before
    assert not out[0].ordered


@st.composite
def single_column_pages(draw: st.DrawFn) -> Page:
    """A random single-column page: paragraphs (first line indented, full lines, a shorter last line), centred
    titles, a right-aligned signature and date; any line may be parted by a wide gap (a tab stop)."""
    lines: list[Line] = []
    top = 80.0
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["para", "para", "para", "title", "sign"]))
        if kind == "title":
            for _ in range(draw(st.integers(1, 3))):
                half = draw(st.floats(1.0, (R - L) / 2))
                lines.append(_line("标题", (L + R) / 2 - half, top, (L + R) / 2 + half))
                top += 18
        elif kind == "sign":
            for _ in range(draw(st.integers(1, 2))):
                lines.append(_line("落款", R - draw(st.floats(EM, (R - L) * 0.6)), top, R))
                top += 15
        else:
            n = draw(st.integers(1, 8))
            for k in range(n):
                x0 = L + (2 * EM if k == 0 else 0)
                x1 = R if k < n - 1 else draw(st.floats(x0 + EM, R))
                lines.append(_line("正文", x0, top, x1))
                top += 15
        top += draw(st.floats(0, 20))
        if top > H - 60:
            break
    for ln in lines:
        assert ln.bbox is not None
        x0, t, x1, b = ln.bbox
        if x1 - x0 > 6 * EM and draw(st.booleans()):
            cut = draw(st.floats(x0 + EM, x1 - 3 * EM))
            ln.parts = [
                Line(text="甲", page_index=0, bbox=(x0, t, cut, b), size=EM),
                Line(text="乙", page_index=0, bbox=(cut + 1.5 * EM, t, x1, b), size=EM),
            ]
    return Page(index=0, width=W, height=H, lines=lines)


@settings(max_examples=300, deadline=None)
@given(single_column_pages())
def test_columns_single_column_page_never_split(page: Page) -> None:
    before = copy.deepcopy(page)
    assert find_gutter(page) is None
    assert pages_to_column_pages([page])[0] == before


def _two_column_pdf(path: Path) -> tuple[str, str]:
    """A page under a running header rule printed in two columns whose lines share their baselines (the text
    map joins each pair into one line); returns the left and right columns' texts."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    h = A4[1]
    c.setLineWidth(0.75)
    c.line(79, h - 78, 522, h - 78)
    c.setFont("STSong-Light", 9)
    c.drawString(80, h - 72, "某某市人民政府公报")
    size, per = 10.5, 20
    texts = []
    for x0, word in ((79.0, "左栏正文内容甲乙丙"), (310.0, "右栏正文内容丁戊己")):
        text = (word * 40)[: 2 * per - 2 + per * 16 + 7] + "。"
        cuts = [0, per - 2, *range(2 * per - 2, len(text), per), len(text)]
        c.setFont("STSong-Light", size)
        for k, (a, b) in enumerate(itertools.pairwise(sorted(set(cuts)))):
            c.drawString(x0 + (2 * size if k == 0 else 0), h - (100 + 16 * k) - size, text[a:b])
        texts.append(text)
    c.showPage()
    c.save()
    return texts[0], texts[1]


def test_columns_pdf_page_read_column_by_column(tmp_path: Path) -> None:
    left, right = _two_column_pdf(tmp_path / "two.pdf")
    source = pdf_to_source(tmp_path / "two.pdf")
    page = source.pages[0]
    assert page.tables == []  # two columns of running text under a rule are no three-line table
    joined = [ln for ln in page.lines if len(ln.parts) == 2]
    assert len(joined) >= 17  # the text map joined the lines printed side by side
    blocks = pages_to_blocks(pages_to_column_pages(pages_to_clean_pages(source.pages)))
    assert [b.text for b in blocks] == ["某某市人民政府公报", left, right]  # (one page: the header is no furniture)


def test_columns_right_column_with_indented_lines_splits_at_the_white_gap() -> None:
    """A two-column contents page: most right-column entries (节) indented two ems under flush ones (章). The
    flush entries start at the middle of the band between the columns' commonest edges; they are still the
    right column's (the split is at the middle of the white gap), so no line cuts the page into bands."""
    tops = [120.0 + 15 * k for k in range(12)]
    left = [_line(f"左{k}条目", L, top, L + COL) for k, top in enumerate(tops)]
    right = [_line(f"右{k}条目", RL if k % 4 == 0 else RL + 2 * EM, top, RL + COL) for k, top in enumerate(tops)]
    page = Page(index=0, width=W, height=H, lines=[_joined(a, b) for a, b in zip(left, right, strict=True)])
    g = find_gutter(page)
    assert g is not None and g.right[0] == RL + 2 * EM and g.mid == L + COL + GAP / 2
    texts = [ln.text for ln in pages_to_column_pages([page])[0].lines]
    assert texts == [f"左{k}条目" for k in range(12)] + [f"右{k}条目" for k in range(12)]
