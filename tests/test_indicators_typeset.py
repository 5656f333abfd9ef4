"""The same indicator table typeset three ways — ruled, ruled with the header repeated on the next page, and as a
three-line table (三线表) — gives the same indicators, through the real PDF table stages."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from pipeline.tables.indicators import is_indicator_table, table_to_indicators
from pipeline.tables.pdf_grids import page_to_raw_tables
from pipeline.tables.stitch import continues, fragments_to_table
from tests.test_pdf_tables_synthetic import make_pdf

HEADER = ["序号", "类别", "指标", "指标值"]
PAGE1 = [["1", "安全生产", "生产安全事故死亡人数", "下降15%"], ["2", "", "道路交通万车死亡率", "<1.5"]]
PAGE2 = [
    ["3", "", "森林火灾受害率", "≤1‰"],
    ["4", "应急救援", "灾害预警信息公众覆盖率", "≥95%"],
    ["5", "", "受灾群众基本生活初步救助时间", "<8小时"],
]


def _pdf(path: Path, style: str, repeat_header: bool) -> Path:
    return make_pdf(path, style, repeat_header, rows=(HEADER, PAGE1, PAGE2), merged2=[(0, 0), (1, 2)])


def _indicators(path: Path) -> list[tuple[object, ...]]:
    with pdfplumber.open(path) as pdf:
        fragments = [t for i, p in enumerate(pdf.pages) for t in page_to_raw_tables(p, i)]
    assert len(fragments) == 2 and continues(fragments[0], fragments[1])
    table = fragments_to_table(fragments, "t", {0: 1, 1: 2})
    assert is_indicator_table(table)
    found, problems = table_to_indicators(table, "t")
    assert problems == []
    return [(i.seq, i.category, i.name, i.target.op, i.target.value, i.target.unit) for i in found]


@pytest.mark.parametrize(("style", "repeat"), [("ruled", True), ("three-line", False), ("three-line", True)])
def test_indicators_typeset_variants_agree(tmp_path: Path, style: str, repeat: bool) -> None:
    reference = _indicators(_pdf(tmp_path / "ref.pdf", "ruled", False))
    assert [r[:3] for r in reference] == [
        (1, "安全生产", "生产安全事故死亡人数"),
        (2, "安全生产", "道路交通万车死亡率"),
        (3, "安全生产", "森林火灾受害率"),
        (4, "应急救援", "灾害预警信息公众覆盖率"),
        (5, "应急救援", "受灾群众基本生活初步救助时间"),
    ]
    assert _indicators(_pdf(tmp_path / f"{style}-{repeat}.pdf", style, repeat)) == reference
