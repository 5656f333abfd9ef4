"""The static site built from the hand-built fixture Issue (with page images from the corpus PDF)."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from pipeline.publish.export import unit_slug
from pipeline.publish.site import (
    anchor,
    deadline_to_view,
    make_environment,
    render_site,
    table_to_view,
)
from schemas.model import Deadline, DeadlineKind, Recurrence, Table
from tests.fixtures_site import (
    ISSUE_ID,
    N_INDICATORS,
    N_TASKS,
    PageLinks,
    broken_links,
    build_issue,
    parse_page,
)

REPO = Path(__file__).resolve().parent.parent
PDF = REPO / "corpus" / "maonan-2022-03.pdf"
HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    issue = build_issue()
    render_site([issue], out, {issue.id: PDF})
    return out


def _rows(page: Path, table_class: str) -> list[dict[str, str | None]]:
    """The attributes of each body row of the first table with class ``table_class``."""
    html = page.read_text(encoding="utf-8")
    start = html.index(f'class="grid {table_class}"')
    sub = PageLinks()
    sub.feed(html[start : html.index("</table>", start)])
    return [attrs for tag, attrs in sub.tags if tag == "tr" and "id" in attrs]


def test_render_html_writes_every_page(site: Path) -> None:
    issue = build_issue()
    base = site / ISSUE_ID
    for name in (
        "index.html",
        "static/site.css",
        "static/site.js",
        f"{ISSUE_ID}/index.html",
        f"{ISSUE_ID}/findings.html",
        f"{ISSUE_ID}/doc-1.html",
        f"{ISSUE_ID}/doc-2.html",
    ):
        assert (site / name).is_file(), name
    assert sorted(p.name for p in (base / "units").iterdir()) == sorted(
        f"{unit_slug(u.name)}.html" for u in issue.units
    )
    pngs = sorted(int(p.stem[2:]) for p in (base / "pages").glob("p-*.png"))
    htmls = sorted(int(p.stem[2:]) for p in (base / "pages").glob("p-*.html"))
    assert pngs == htmls and 54 in pngs and 24 in pngs
    assert (base / "pages" / "p-24.png").read_bytes().startswith(b"\x89PNG")


def test_render_html_document_shows_all_tasks_with_filter_data(site: Path) -> None:
    rows = _rows(site / ISSUE_ID / "doc-2.html", "task-table")
    assert len(rows) == N_TASKS
    assert rows[0]["id"] == anchor("doc-2/att-1/task-1")
    office = [r for r in rows if "区政府办公室" in (r["data-units"] or "").split("|")]
    assert len(office) == 27 + 5
    assert rows[0]["data-deadline"] == "2022-07-31"
    html = (site / ISSUE_ID / "doc-2.html").read_text(encoding="utf-8")
    assert '<option value="区司法局">区司法局</option>' in html
    assert '<form class="task-filter" hidden>' in html  # the page is complete without JS


def test_render_html_indicator_table_shows_parsed_targets(site: Path) -> None:
    page = site / ISSUE_ID / "doc-1.html"
    rows = _rows(page, "indicators")
    assert len(rows) == N_INDICATORS
    html = page.read_text(encoding="utf-8")
    first = html[html.index(f'id="{anchor("doc-1/att-1/ind-1")}"') :].split("</tr>")[0]
    assert (
        '<td class="op" data-label="目标">下降</td><td class="n" data-label="数值">15</td><td data-label="单位">%</td>'
        in first
    )
    sixth = html[html.index(f'id="{anchor("doc-1/att-1/ind-6")}"') :].split("</tr>")[0]
    assert (
        '<td class="raw key" data-label="原文">&lt;1%*</td><td class="op" data-label="目标">&lt;</td>'
        '<td class="n" data-label="数值">1</td><td data-label="单位">%</td><td data-label="注">*</td>'
    ) in sixth


def test_render_html_tables_keep_rowspans(site: Path) -> None:
    html = (site / ISSUE_ID / "doc-1.html").read_text(encoding="utf-8")
    block = html[html.index(f'id="{anchor("doc-1/att-1/table-4")}"') :].split("</details>")[0]
    assert re.findall(r'<td rowspan="(\d+)">', block) == ["5", "12", "8", "2"]
    assert block.count("<tr>") == 1 + N_INDICATORS
    assert "注：带*的为五年平均值。" in block


def test_render_html_links_resolve_and_pages_are_reachable(site: Path) -> None:
    broken, reachable = broken_links(site)
    assert broken == []
    assert reachable == {p.resolve() for p in site.rglob("*.html")}


def test_render_html_values_link_to_highlighted_page_box(site: Path) -> None:
    doc = (site / ISSUE_ID / "doc-1.html").read_text(encoding="utf-8")
    assert 'href="pages/p-24.html#b-doc-1__att-1__ind-1"' in doc
    page = (site / ISSUE_ID / "pages" / "p-24.html").read_text(encoding="utf-8")
    box = page[page.index('id="b-doc-1__att-1__ind-1"') :].split(">")[0]
    # bbox [90, 140, 505, 170] on a 595.30 × 841.89 pt page
    assert "left:15.118%;top:16.629%;width:69.712%;height:3.563%" in box
    assert 'href="../doc-1.html#doc-1__att-1__ind-1"' in box


def test_render_html_findings_link_both_sides(site: Path) -> None:
    report = parse_page(site / ISSUE_ID / "findings.html")
    assert {"finding-1", "finding-2", "finding-3"} <= report.ids
    html = (site / ISSUE_ID / "findings.html").read_text(encoding="utf-8")
    first = html[html.index('id="finding-1"') : html.index('id="finding-2"')]
    assert "pages/p-12.html#b-finding-1__ev-1" in first and "pages/p-12.html#b-finding-1__ev-2" in first
    assert 'href="doc-1.html#doc-1__att-1__p-2"' in first  # the claim is the paragraph on that page
    assert 'href="doc-1.html#doc-1__att-1__table-1"' in first  # the cell lies inside table 1's box
    assert "正文表述" in first and "表格数据" in first
    doc2 = (site / ISSUE_ID / "doc-2.html").read_text(encoding="utf-8")
    assert 'id="finding-3"' in doc2 and 'id="finding-1"' not in doc2


def test_render_html_unit_page_lists_tasks_with_deadlines(site: Path) -> None:
    page = site / ISSUE_ID / "units" / f"{unit_slug('区司法局')}.html"
    html = page.read_text(encoding="utf-8")
    assert "<h1>区司法局</h1>" in html and "牵头 3 项 · 配合 2 项" in html
    assert 'href="../doc-2.html#doc-2__att-1__task-18"' in html
    assert "2022-08-31" in html  # task 9's deadline (区司法局 co-operates)


def test_render_html_citations_and_figures_link_to_pages(site: Path) -> None:
    doc2 = (site / ISSUE_ID / "doc-2.html").read_text(encoding="utf-8")
    assert "《某省2022年政务公开工作要点分工方案》（某府办〔2022〕17号）" in doc2
    assert 'href="pages/p-52.html#b-doc-2__cite-1"' in doc2
    doc1 = (site / ISSUE_ID / "doc-1.html").read_text(encoding="utf-8")
    assert '<li id="doc-1__att-1__fig-1">图 1 应急指挥体系示意图' in doc1


def test_render_html_issue_page_links_toc_to_documents(site: Path) -> None:
    links = parse_page(site / ISSUE_ID / "index.html")
    assert "doc-1.html" in links.refs and "doc-2.html" in links.refs and "findings.html" in links.refs
    assert parse_page(site / "index.html").refs.count(f"{ISSUE_ID}/index.html") == 1


def _hostile_issue():  # type: ignore[no-untyped-def]
    issue = build_issue()
    a, b, c = HOSTILE
    doc = issue.documents[1]
    doc.title = a
    doc.keywords = [b, c]
    task = doc.attachments[0].tasks[0]
    task.text = f"{a}{b}{c}"
    task.lead_units = [b]
    issue.units[0].name = a
    issue.findings[0].message = b
    issue.gazette = c
    issue.documents[0].attachments[0].tables[0].cells[1].text = a
    return issue


def test_render_html_hostile_text_is_inert(tmp_path: Path) -> None:
    render_site([_hostile_issue()], tmp_path)
    for page in tmp_path.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html and "onerror=alert(1)>" not in html
        parsed = parse_page(page)
        assert all(tag != "img" for tag, _ in parsed.tags)  # no page images without a PDF
        assert [t for t, _ in parsed.tags if t == "script"] == ["script"]  # only site.js
    doc = (tmp_path / ISSUE_ID / "doc-2.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc and "{{ 7*7 }}" in doc
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in doc


def test_render_html_text_input_has_page_labels_without_images(tmp_path: Path) -> None:
    render_site([build_issue()], tmp_path, None)
    assert not (tmp_path / ISSUE_ID / "pages").exists()
    html = (tmp_path / ISSUE_ID / "doc-2.html").read_text(encoding="utf-8")
    assert '<span class="pg">第52页</span>' in html and "pages/" not in html
    assert broken_links(tmp_path)[0] == []


def test_render_html_missing_pdf_degrades_to_labels(tmp_path: Path) -> None:
    issue = build_issue()
    render_site([issue], tmp_path, {issue.id: tmp_path / "gone.pdf"})
    assert not (tmp_path / ISSUE_ID / "pages").exists()
    assert broken_links(tmp_path)[0] == []


def test_render_html_unsafe_issue_id_gets_safe_folder(tmp_path: Path) -> None:
    issue = build_issue()
    issue.id = "../../etc/公报 3"
    written = render_site([issue], tmp_path)
    assert all(p.resolve().is_relative_to(tmp_path.resolve()) for p in written)
    assert broken_links(tmp_path)[0] == []


def test_render_html_environment_is_strict_and_escaping() -> None:
    env = make_environment()
    assert env.autoescape is True and env.undefined is jinja2.StrictUndefined
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing.attr }}").render()


@pytest.mark.parametrize(
    ("deadline", "kind", "date", "key"),
    [
        (Deadline(raw="2022年底前", date="2022-12-31", kind=DeadlineKind.BY), "截止", "2022-12-31", "2022-12-31"),
        (Deadline(raw="每季度", kind=DeadlineKind.RECURRING, recurrence=Recurrence.QUARTERLY), "定期", "每季度", ""),
        (
            Deadline(raw="2021年至2025年", date="2021-01-01", end="2025-12-31", kind=DeadlineKind.PERIOD),
            "期间",
            "2021-01-01 至 2025-12-31",
            "2025-12-31",
        ),
        (Deadline(raw="长期坚持", kind=DeadlineKind.BY), "截止", "", ""),
    ],
)
def test_render_html_deadline_view(deadline: Deadline, kind: str, date: str, key: str) -> None:
    view = deadline_to_view(deadline)
    assert (view.kind, view.date, view.sort_key) == (kind, date, key)


@pytest.mark.parametrize(
    ("rows", "spans"),
    [
        ([["1", "安全", "a"], ["2", None, "b"], ["3", None, "c"]], [[1, 3, 1], [1, 1], [1, 1]]),
        ([["1", "x"], [None, "y"]], [[2, 1, 1], [1, 1]]),
        ([["1"], ["2", "extra"]], [[1, 1, 1], [1, 1, 1]]),
    ],
)
def test_render_html_table_from_grid_merges_none_cells(rows: list[list[str | None]], spans: list[list[int]]) -> None:
    view = table_to_view(Table(id="t-1", header=[["序号", "类别", "内容"]], rows=rows), None)
    assert [[c.rowspan for c in r.cells] for r in view.body] == spans
    assert [c.text for c in view.header[0].cells] == ["序号", "类别", "内容"]


@given(st.text(max_size=100))
def test_render_html_anchor_is_always_an_html_id(ident: str) -> None:
    assert re.fullmatch(r"[A-Za-z0-9_-]+", anchor(ident) or "-")
    assert anchor(ident) != ""


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300) | st.sampled_from([*HOSTILE, "a\rb"]))
def test_render_html_any_title_renders_escaped(tmp_path: Path, title: str) -> None:
    issue = build_issue()
    issue.documents = issue.documents[:1]
    issue.documents[0].title = title
    issue.units = []
    render_site([issue], tmp_path)
    html = (tmp_path / ISSUE_ID / "doc-1.html").read_bytes().decode("utf-8")  # no newline translation
    assert f'<h1 class="doc-title">{escape(title)}</h1>' in html
