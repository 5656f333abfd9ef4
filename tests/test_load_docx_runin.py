"""Run-in heads in Word files: ``（一）标题。`` printed bold (or in another font) and the body text run into
the same paragraph are seen from the runs (``Line.lead``, as the PDF loader gives it) and become headings
(issue 16)."""

from __future__ import annotations

from pathlib import Path

from pipeline.load.docx import docx_to_source
from pipeline.run import parse_file
from tests.formats_fixtures import SHARED_DEV, make_docx, para, runs


def _report(tmp_path: Path) -> Path:
    body = "".join(
        [
            para("关于测试工作的报告", bold=True),
            para("一、工作回顾", bold=True),
            runs(("（一）", True), ("经济运行稳中有进。", True), ("全年生产总值增长5%，好于预期。", False)),
            runs(("\u3000\u3000", False), ("（二）改革开放持续深化", True), ("。开放型经济加快发展。", False)),
            runs(("（三）民生保障有力。", False), ("城乡居民收入稳步增长。", False)),  # one look: no head
            runs(("（四）社会治理。", False), ("安全形势稳定。", True)),  # the body in bold, not the head
            para("二、工作安排", bold=True),
            runs(("扩大有效需求。", False), ("提振消费，扩大投资。", False), num=(1, 1), font="楷体"),
        ]
    )
    return make_docx(tmp_path / "report.docx", body)


def test_load_docx_runin_lead_from_runs(tmp_path: Path) -> None:
    lines = docx_to_source(_report(tmp_path)).pages[0].lines
    assert [ln.lead for ln in lines] == [
        "",
        "",
        "（一）经济运行稳中有进。",
        "（二）改革开放持续深化。",  # the closing 。 in the body's look belongs to the head
        "",
        "",  # the body in bold after a plain head: no head
        "",
        "（一）扩大有效需求。",  # Word's own list label joins the head printed in 楷体
    ]
    assert lines[3].text == "（二）改革开放持续深化。开放型经济加快发展。"  # the indentation runs are layout


def test_load_docx_runin_heads_in_outline(tmp_path: Path) -> None:
    result = parse_file(_report(tmp_path))
    assert result.issue is not None
    [doc] = result.issue.documents
    assert [(h.label, h.title) for h in doc.outline] == [("一、", "工作回顾"), ("二、", "工作安排")]
    assert [(h.label, h.title) for h in doc.outline[0].children] == [
        ("（一）", "经济运行稳中有进"),
        ("（二）", "改革开放持续深化"),
    ]
    assert [(h.label, h.title) for h in doc.outline[1].children] == [("（一）", "扩大有效需求")]
    texts = [p.text for p in doc.body]
    assert "（一）经济运行稳中有进。全年生产总值增长5%，好于预期。" in texts  # the paragraph stays body text


def test_load_docx_runin_dev_reports() -> None:
    """Real reports whose （一） heads are bold runs: found under the 一、 heads."""
    for name, first in [("jiangsu", "进一步巩固和增强经济回升向好态势"), ("hebei", "经济运行总体平稳、稳中有进")]:
        path = SHARED_DEV / "docx" / f"gov-work-report-2025-{name}.docx"
        result = parse_file(path)
        assert result.issue is not None
        [doc] = result.issue.documents
        subs = [(h.label, h.title) for top in doc.outline for h in top.children]
        assert subs[0] == ("（一）", first), name
        assert len(subs) >= 6, (name, subs)
