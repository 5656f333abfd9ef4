"""Landscape and turned pages (issue 13): the sample issue's indicator table (27 indicators) and task table (54 tasks)
typeset again with reportlab (``tests/tables_render.py``) on a landscape A4 page, on a portrait page with
``/Rotate 90`` and ``/Rotate 270``, and on a portrait page whose content matrix turns the text (no ``/Rotate``:
90°, 270°, and 180° upside down),
read back through the loaders (``pipeline.load.upright``) and the table stages.

Truth: the corpus golden file, as in ``tests/test_pdf_grids_page_break.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.layout.furniture import pages_to_clean_pages
from pipeline.load.pdf import pdf_to_source
from pipeline.load.pdfium import pdfium_to_source
from pipeline.load.upright import char_turn, page_turn, turn_box
from pipeline.options import RunOptions
from pipeline.run import parse_file
from tests.tables_render import Spec, render
from tests.test_load_pdfium_backends import _pages
from tests.test_pdf_grids_page_break import _indicator_source, _indicators_right, _task_source, _tasks_right

ORIENTS = ["landscape", "rotate90", "rotate270", "turned90", "turned270", "turned180"]


def render_indicators(path: Path, style: str, orient: str) -> Path:
    source, _ = _indicator_source()
    spec = Spec(style, "A4", groups=(1,), widths=[0.6, 1.2, 3, 1.2, 1.1], caption=source["caption"], orient=orient)
    return render(path, source["header"][0], source["rows"], spec)


def render_tasks(path: Path, style: str, orient: str, repeat: bool = False, book: bool = False) -> Path:
    source, _ = _task_source()
    spec = Spec(style, "A4", repeat, groups=(0, 1), widths=[1.2, 1.6, 3, 1.6], orient=orient, book_furniture=book)
    return render(path, source["header"][0], source["rows"], spec)


@pytest.mark.parametrize("style", ["ruled", "three-line", "borderless"])
@pytest.mark.parametrize("orient", ORIENTS)
def test_upright_pages_all_27_indicators(tmp_path: Path, orient: str, style: str) -> None:
    assert _indicators_right(render_indicators(tmp_path / "ind.pdf", style, orient)) == 27


@pytest.mark.parametrize("style", ["ruled", "three-line"])
@pytest.mark.parametrize("orient", ORIENTS)
def test_upright_pages_all_54_tasks_stitched_across_pages(tmp_path: Path, orient: str, style: str) -> None:
    path = render_tasks(tmp_path / "tasks.pdf", style, orient)
    assert len(pdf_to_source(path).pages) >= 4  # the table breaks across several landscape pages
    assert _tasks_right(path) == (54, 54)


@pytest.mark.parametrize("style", ["ruled", "three-line"])
@pytest.mark.parametrize("orient", ["turned90", "turned270"])
def test_upright_pages_book_furniture_printed_upright(tmp_path: Path, orient: str, style: str) -> None:
    """A turned table page of a portrait book: the running header and folio are printed upright on the paper, across
    the table's lines; they are read in their own direction, found as furniture in the page's side bands, and the
    table is stitched over them."""
    path = render_tasks(tmp_path / "tasks.pdf", style, orient, book=True)
    pages = pages_to_clean_pages(pdf_to_source(path).pages)
    assert [p.printed for p in pages] == list(range(1, len(pages) + 1))
    assert {ln.text for p in pages for ln in p.furniture} >= {"某某区人民政府公报", "— 2 —"}
    assert all(ln.across for p in pages for ln in p.furniture)
    assert not any(ln.across for p in pages for ln in p.lines)
    assert _tasks_right(path) == (54, 54)


@pytest.mark.parametrize("orient", ORIENTS)
def test_upright_pages_loader_reads_lines_upright(tmp_path: Path, orient: str) -> None:
    source = pdf_to_source(render_indicators(tmp_path / "ind.pdf", "three-line", orient))
    first = source.pages[0]
    size = (595.3, 841.9) if orient == "turned180" else (841.9, 595.3)
    assert (round(first.width or 0, 1), round(first.height or 0, 1)) == size
    texts = [ln.text for ln in first.lines]
    assert texts[0] == "某某区人民政府公报"  # the running header, first in reading order, read left to right
    assert "一、工作安排如下。" in texts
    assert first.lines[0].bbox is not None and first.lines[0].bbox[1] < 60  # at the top of the turned page
    assert [t.style.value for t in first.tables] == ["three-line"]


@pytest.mark.parametrize("orient", ORIENTS)
def test_upright_pages_backends_equal(tmp_path: Path, orient: str) -> None:
    path = render_tasks(tmp_path / "tasks.pdf", "ruled", orient, repeat=True)
    assert _pages(pdfium_to_source(path)) == _pages(pdf_to_source(path))


def test_upright_pages_backends_give_equal_issues(tmp_path: Path) -> None:
    path = render_tasks(tmp_path / "tasks.pdf", "three-line", "turned90")
    fast = parse_file(path, RunOptions(backend="pdfium"))
    ref = parse_file(path, RunOptions(backend="pdfplumber"))
    assert fast.issue is not None and ref.issue is not None
    assert fast.issue.model_dump(mode="json") == ref.issue.model_dump(mode="json")


def test_upright_turn_box_known_values() -> None:
    box = (100.0, 700.0, 112.0, 742.0)  # on a 595 × 842 portrait page
    assert turn_box(box, 90, 595.0, 842.0) == (100.0, 100.0, 142.0, 112.0)
    assert turn_box(box, 270, 595.0, 842.0) == (700.0, 483.0, 742.0, 495.0)
    assert turn_box(box, 180, 595.0, 842.0) == (483.0, 100.0, 495.0, 142.0)
    assert turn_box(box, 0, 595.0, 842.0) == box


def test_upright_page_turn_by_the_majority_of_characters() -> None:
    up = {"text": "字", "matrix": (0.0, 12.0, -12.0, 0.0, 90.0, 100.0)}  # baseline running up the page
    down = {"text": "字", "matrix": (0.0, -12.0, 12.0, 0.0, 90.0, 100.0)}
    flat = {"text": "字", "matrix": (12.0, 0.0, 0.0, 12.0, 90.0, 100.0)}
    assert [char_turn(c) for c in (up, down, flat)] == [90, 270, 0]
    assert page_turn([up] * 7 + [flat] * 3) == 90
    assert page_turn([down] * 7 + [flat] * 3) == 270
    assert page_turn([up] * 5 + [flat] * 5) == 0  # a few turned cells do not turn the page
    assert page_turn([{"text": " ", "matrix": (0.0, 1.0, -1.0, 0.0, 0.0, 0.0)}]) == 0
