"""The site built from the real corpus Issue (pipeline.run.parse_file on the corpus PDF)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.publish.export import unit_slug, write_document_json, write_exports
from pipeline.publish.site import anchor
from tests.fixtures_site import PageLinks, broken_links, corpus_issue, corpus_site

pytestmark = pytest.mark.slow
__all__ = ["corpus_site"]  # a session fixture shared with the browser tests

OFFICE_TASKS = [1, 6, 7, 9, 10, 12, 13, 38, 44]  # tasks whose unit cell names 区政府办公室
JUSTICE_TASKS = [1, 6, 7]  # … and 区司法局


@pytest.fixture
def site(corpus_site: Path) -> Path:
    return corpus_site / corpus_issue().id


def _task_rows(page: Path) -> list[dict[str, str | None]]:
    html = page.read_text(encoding="utf-8")
    start = html.index('class="grid task-table"')
    parser = PageLinks()
    parser.feed(html[start : html.index("</table>", start)])
    return [attrs for tag, attrs in parser.tags if tag == "tr" and "data-units" in attrs]


def test_render_html_corpus_document_2_lists_54_tasks(site: Path) -> None:
    rows = _task_rows(site / "doc-2.html")
    assert len(rows) == 54
    assert rows[0]["id"] == anchor("doc-2/att-1/task-1")
    office = [int(r["data-seq"] or 0) for r in rows if "区政府办公室" in (r["data-units"] or "").split("|")]
    assert office == OFFICE_TASKS
    justice = [int(r["data-seq"] or 0) for r in rows if "区司法局" in (r["data-units"] or "").split("|")]
    assert justice == JUSTICE_TASKS


def test_render_html_corpus_unit_page_lists_tasks_with_deadlines(site: Path) -> None:
    html = (site / "units" / f"{unit_slug('区司法局')}.html").read_text(encoding="utf-8")
    for n in JUSTICE_TASKS:
        assert f'href="../doc-2.html#{anchor(f"doc-2/att-1/task-{n}")}"' in html
    assert "2022-12-31" in html and "2022年底前" in html  # task 1: 于 2022 年底前建成


def test_render_html_corpus_indicator_table_shows_27_targets(site: Path) -> None:
    html = (site / "doc-1.html").read_text(encoding="utf-8")
    start = html.index('class="grid indicators"')
    parser = PageLinks()
    parser.feed(html[start : html.index("</table>", start)])
    rows = [a for t, a in parser.tags if t == "tr" and a.get("id")]
    assert len(rows) == 27
    first = html[html.index(f'id="{anchor("doc-1/att-1/ind-1")}"') :].split("</tr>")[0]
    pair = html[html.index(f'id="{anchor("doc-1/att-1/ind-13")}"') :].split("</tr>")[0]
    assert '<td class="n" data-label="数值">1 / 2.5</td>' in pair  # 1.0级/2.5级: two targets, not a range
    assert (
        "生产安全事故死亡人数" in first
        and '<td class="op" data-label="目标">下降</td><td class="n" data-label="数值">15</td><td data-label="单位">%</td>'
        in first
    )
    last = html[html.index(f'id="{anchor("doc-1/att-1/ind-27")}"') :].split("</tr>")[0]
    assert "应急管理执法信息系统使用率" in last and '<td class="n" data-label="数值">100</td>' in last


def test_render_html_corpus_links_resolve(site: Path) -> None:
    broken, reachable = broken_links(site.parent)
    assert broken == []
    assert reachable == {p.resolve() for p in site.parent.rglob("*.html")}
    assert (site / "pages" / "p-54.png").is_file()  # the page of task 1


def test_render_html_corpus_findings_point_at_their_pages(site: Path) -> None:
    html = (site / "findings.html").read_text(encoding="utf-8")
    assert "V104" in html and "97.67%" in html
    assert "pages/p-13.html#b-finding-" in html and "pages/p-12.html#b-finding-" in html


def test_render_html_corpus_exports(tmp_path: Path) -> None:
    issue = corpus_issue()
    write_exports(issue, tmp_path)
    paths = write_document_json(issue, tmp_path)
    assert [p.name for p in paths] == ["doc-1.json", "doc-2.json", "index.json"]
    tasks = (tmp_path / "tasks.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert tasks[1].startswith("doc-2/att-1/task-1,doc-2,") and "区政府办公室；区司法局" in tasks[1]
    assert "UID:doc-2/att-1/task-1/deadline-1@gazette-pipeline" in (tmp_path / "deadlines.ics").read_text()
