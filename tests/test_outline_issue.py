"""Outline and contents list of the corpus plan on the real Issue (the whole pipeline, PDF and text)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from pipeline.options import RunOptions
from pipeline.run import parse_file
from pipeline.structure.outline import flatten
from schemas.model import Attachment, RunStatus

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@lru_cache(maxsize=2)
def _plan(name: str) -> Attachment:
    result = parse_file(CORPUS / name, RunOptions(validate=False))
    assert result.status is RunStatus.SUCCESS and result.issue is not None
    return result.issue.documents[0].attachments[0]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "pages", "toc_pages"),
    [
        ("maonan-2022-03.pdf", [7, 18, 22, 39, 42, 45], [7, 18, 22, 39, 42, 45]),
        ("maonan-2022-03.txt", [None] * 6, [7, 18, 22, 39, 43, 46]),
    ],
)
def test_outline_issue_plan(name: str, pages: list[int | None], toc_pages: list[int]) -> None:
    plan = _plan(name)
    top = plan.outline
    assert [h.label for h in top] == ["第一章", "第二章", "第三章", "第四章", "第五章", "附件"]
    assert top[-1].title == "“十四五”时期专项整治工作"
    assert [h.page for h in top] == pages
    assert [len(h.children) for h in top[:5]] == [2, 3, 6, 6, 5]
    assert [[len(s.children) for s in h.children] for h in top[:3]] == [[4, 2], [0, 4, 2], [3, 4, 3, 4, 3, 5]]
    assert all(not s.children for h in top[3:5] for s in h.children)
    flat = flatten(top)
    assert len(flat) == 62 and len({h.id for h in flat}) == 62
    assert all(h.source is not None for h in flat)
    # every contents entry points at a heading with its label
    assert len(plan.toc) == 63
    assert all(e.heading_id is not None for e in plan.toc)
    by_id = {h.id: h for h in flat}
    assert all(e.label is None or by_id[e.heading_id or ""].label == e.label for e in plan.toc)
    assert [e.page for e in plan.toc if e.level == 1] == toc_pages
    assert [e.heading_id for e in plan.toc[-2:]] == ["doc-1/att-1/h-6", "doc-1/att-1/h-6"]


@pytest.mark.slow
def test_outline_issue_pdf_toc_pages_match_headings() -> None:
    plan = _plan("maonan-2022-03.pdf")
    by_id = {h.id: h for h in flatten(plan.outline)}
    chapters_and_sections = [e for e in plan.toc if e.label and e.label.startswith("第")]
    assert len(chapters_and_sections) == 5 + 22
    assert all(e.page == by_id[e.heading_id or ""].page for e in chapters_and_sections)
    # body paragraphs sit under the innermost heading
    first_item = plan.outline[0].children[0].children[0]
    assert any(p.heading_id == first_item.id for p in plan.body)
