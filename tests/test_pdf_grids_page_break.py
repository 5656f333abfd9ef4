"""The sample issue's indicator table (27 indicators) and task table (54 tasks) typeset again with reportlab — ruled,
and as Word's three-line table cut by page breaks (no closing rule on a page, no opening rule on the next), on A4
and B5, with and without a repeated header — and read back through the real PDF table stages.

Truth: the corpus golden file (the indicators and tasks the pipeline reads from the issuer's own PDF).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from pipeline.layout.furniture import pages_to_clean_pages, printed_map
from pipeline.layout.reflow import pages_to_blocks
from pipeline.options import RunOptions
from pipeline.run import load
from pipeline.tables.indicators import is_indicator_table, table_to_indicators
from pipeline.tables.pdf_grids import page_to_raw_tables
from pipeline.tables.stitch import continues, fragments_to_table
from pipeline.tables.tasks import table_to_tasks
from pipeline.types import BlockKind
from schemas.model import Table
from tests.tables_render import Spec, render

GOLDEN = Path(__file__).resolve().parent / "golden" / "maonan-2022-03.pdf.gt.json"


@cache
def _golden() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GOLDEN.read_text("utf-8"))
    return data


def _indicator_source() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    att = _golden()["documents"][0]["attachments"][0]
    table = next(t for t in att["tables"] if t["header"] and "指标" in t["header"][0])
    return table, att["indicators"]


def _task_source() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    att = _golden()["documents"][1]["attachments"][0]
    return att["tables"][0], att["tasks"]


def read_tables(path: Path) -> list[Table]:
    """The tables of a PDF as the pipeline finds them: loaded (default backend; a turned page read turned back),
    page furniture removed, fragments grouped by the reflow stage (a fragment continues the table before it only
    when nothing but page furniture or a repeat of its header lies between: a caption line starts a new table),
    then stitched."""
    pages = pages_to_clean_pages(load(path, RunOptions()).pages)
    printed = printed_map(pages)
    blocks = [b for b in pages_to_blocks(pages) if b.kind is BlockKind.TABLE]
    return [fragments_to_table(b.tables, f"t{n}", printed) for n, b in enumerate(blocks)]


def _indicators_right(path: Path) -> int:
    _, truth = _indicator_source()
    tables = read_tables(path)
    found = [i for t in tables if is_indicator_table(t) for i in table_to_indicators(t, "x")[0]]
    assert len(found) == len(truth)
    return sum(
        (a.seq, a.category, a.name, a.target.raw, a.attribute)
        == (b["seq"], b["category"], b["name"], b["target"]["raw"], b["attribute"])
        for a, b in zip(found, truth, strict=True)
    )


def _tasks_right(path: Path) -> tuple[int, int]:
    _, truth = _task_source()
    found = [x for t in read_tables(path) for x in table_to_tasks(t, 2022, "x")[0]]
    right = sum(
        (a.seq, a.requirement, a.task, a.text, a.lead_units, a.co_units)
        == (b["seq"], b["requirement"], b["task"], b["text"], b["lead_units"], b["co_units"])
        for a, b in zip(found, truth, strict=False)
    )
    return len(found), right


def render_indicators(path: Path, style: str, page: str, repeat: bool, rule: bool = True) -> Path:
    source, _ = _indicator_source()
    widths = [0.6, 1.2, 3, 1.2, 1.1]
    spec = Spec(style, page, repeat, groups=(1,), widths=widths, caption=source["caption"], running_rule=rule)
    return render(path, source["header"][0], source["rows"], spec)


def render_tasks(path: Path, style: str, page: str, repeat: bool, rule: bool = True) -> Path:
    source, _ = _task_source()
    spec = Spec(style, page, repeat, groups=(0, 1), widths=[1.2, 1.6, 3, 1.6], running_rule=rule)
    return render(path, source["header"][0], source["rows"], spec)


LAYOUTS = [
    ("ruled", "A4", False),
    ("ruled", "B5", True),
    ("three-line", "A4", False),
    ("three-line", "B5", False),
    ("three-line", "A4", True),
]


@pytest.mark.parametrize(("style", "page", "repeat"), LAYOUTS)
def test_pdf_grids_page_break_all_27_indicators(tmp_path: Path, style: str, page: str, repeat: bool) -> None:
    path = render_indicators(tmp_path / "ind.pdf", style, page, repeat)
    assert _indicators_right(path) == 27


@pytest.mark.parametrize(("style", "page", "repeat"), LAYOUTS)
def test_pdf_grids_page_break_all_54_tasks(tmp_path: Path, style: str, page: str, repeat: bool) -> None:
    path = render_tasks(tmp_path / "tasks.pdf", style, page, repeat)
    assert _tasks_right(path) == (54, 54)


@pytest.mark.parametrize(("page", "repeat", "rule"), [("A4", False, True), ("B5", True, True), ("A4", False, False)])
def test_pdf_grids_page_break_borderless_all_27_indicators(tmp_path: Path, page: str, repeat: bool, rule: bool) -> None:
    path = render_indicators(tmp_path / "ind.pdf", "borderless", page, repeat, rule)
    assert _indicators_right(path) == 27


# borderless, and three-line with no rule under the running header: A4, B5 and 16开, header repeated or not
NO_RULE_LAYOUTS = [
    ("borderless", "A4", False, True),
    ("borderless", "A4", True, True),
    ("borderless", "B5", False, True),
    ("borderless", "B5", True, True),
    ("borderless", "A4", False, False),
    ("borderless", "B5", False, False),
    ("borderless", "B5", True, False),
    ("borderless", "16K", False, True),
    ("borderless", "16K", True, False),
    ("three-line", "A4", False, False),
    ("three-line", "B5", True, False),
]


@pytest.mark.parametrize(("style", "page", "repeat", "rule"), NO_RULE_LAYOUTS)
def test_pdf_grids_page_break_borderless_all_54_tasks(
    tmp_path: Path, style: str, page: str, repeat: bool, rule: bool
) -> None:
    # rows cut by the page break, cells spanning two columns, pages of rows in two bands, a repeated header
    path = render_tasks(tmp_path / "tasks.pdf", style, page, repeat, rule)
    assert _tasks_right(path) == (54, 54)


@pytest.mark.parametrize(("style", "page", "repeat"), [("borderless", "A4", True), ("three-line", "B5", False)])
def test_pdf_grids_page_break_no_rule_all_27_indicators(tmp_path: Path, style: str, page: str, repeat: bool) -> None:
    # a header repeated over the cut end of a row; a running header printed without rule
    path = render_indicators(tmp_path / "ind.pdf", style, page, repeat, rule=False)
    assert _indicators_right(path) == 27


def test_pdf_grids_page_break_fragments_open_at_the_break(tmp_path: Path) -> None:
    path = render_indicators(tmp_path / "ind.pdf", "three-line", "A4", False)
    with pdfplumber.open(path) as pdf:
        frags = [t for i, p in enumerate(pdf.pages) for t in page_to_raw_tables(p, i)]
    assert [(f.page_index, f.open_top, f.open_bottom) for f in frags] == [(0, False, True), (1, True, False)]
    assert continues(frags[0], frags[1])
