"""The published site in real Chromium over http://127.0.0.1: downloads, phones, keyboard, search, no errors.

Uses the site built from the corpus Issue (``tests.fixtures_site.corpus_site``). Screenshots of the key pages
go to ``output/screenshots/publish-*.png``.
"""

from __future__ import annotations

import io
import json
import urllib.parse
from pathlib import Path
from typing import Any

import icalendar
import pytest
from openpyxl import load_workbook

from tests.fixtures_site import corpus_issue, corpus_site
from tests.test_browser_site import CHROMIUM, Console, browser, serve, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing (make browser-deps installs it)"),
]
__all__ = ["corpus_site"]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}


def _pages(issue_id: str) -> list[str]:
    return [
        "index.html",
        f"{issue_id}/index.html",
        f"{issue_id}/doc-1.html",
        f"{issue_id}/doc-2.html",
        f"{issue_id}/deadlines.html",
        f"{issue_id}/findings.html",
    ]


def _unit_page(page: Any, base: str, issue_id: str, name: str) -> str:
    page.goto(base + f"{issue_id}/index.html")
    href = page.locator("#units a", has_text=name).first.get_attribute("href")
    return f"{issue_id}/{href}"


def check_download(name: str, body: bytes) -> str:
    """The content check of one downloaded file, by its kind; returns the kind."""
    suffix = name.rsplit(".", 1)[-1].lower()
    if suffix == "csv":
        assert body.startswith(b"\xef\xbb\xbf"), name
        lines = body.decode("utf-8-sig").splitlines()
        assert len(lines) >= 2, name
        if "/tables/" not in name:  # printed tables keep their printed header (e.g. years)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0]), f"{name}: header {lines[0]!r}"
    elif suffix == "xlsx":
        ws = load_workbook(io.BytesIO(body)).active
        assert ws is not None and ws.max_row >= 2 and ws.freeze_panes == "A2", name
    elif suffix == "ics":
        cal = icalendar.Calendar.from_ical(body)
        events = list(cal.walk("VEVENT"))
        assert events, name
        assert all("UNTIL" in e["rrule"] or "COUNT" in e["rrule"] for e in events if "rrule" in e)
    elif suffix == "json":
        data = json.loads(body)
        assert data, name
    elif suffix == "pdf":
        assert body.startswith(b"%PDF-"), name
    else:
        raise AssertionError(f"unexpected download {name}")
    return suffix


def test_browser_publish_downloads_every_linked_file(corpus_site: Path) -> None:
    issue = corpus_issue()
    with browser() as b, serve(corpus_site) as base:
        page = b.new_page(viewport=DESKTOP)
        console = Console(page)
        pages = [*_pages(issue.id)[1:5], _unit_page(page, base, issue.id, "区司法局")]
        seen: dict[str, str] = {}
        for path in pages:
            page.goto(base + path)
            hrefs = page.locator("#downloads a").evaluate_all("as => as.map(a => a.href)")
            assert hrefs, f"{path} links no downloads"
            for url in hrefs:
                if url in seen:
                    continue
                res = page.request.get(url)
                assert res.status == 200, url
                seen[url] = check_download(urllib.parse.unquote(url), res.body())
        names = {urllib.parse.unquote(u).rsplit("/downloads/", 1)[1] for u in seen}
        assert {"maonan-2022-03.pdf", "issue.json", "tasks.xlsx", "indicators.csv", "deadlines.ics"} <= names
        assert {"documents/doc-1.json", "units/区司法局.ics"} <= names
        assert {f"tables/doc-1-表{n}.xlsx" for n in (1, 2, 3)} <= names  # the statistics tables too
        assert console.errors == []


def test_browser_publish_no_sideways_scroll_on_phones(corpus_site: Path) -> None:
    issue = corpus_issue()
    with browser() as b, serve(corpus_site) as base:
        desk = b.new_page(viewport=DESKTOP)
        paths = [*_pages(issue.id), _unit_page(desk, base, issue.id, "区司法局")]
        for viewport in (PHONE, NARROW):
            page = b.new_page(viewport=viewport, is_mobile=True)
            console = Console(page)
            for path in paths:
                page.goto(base + path)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, f"{path} at {viewport['width']}px overflows by {overflow}px"
            page.goto(base + f"{issue.id}/doc-2.html")
            assert (
                page.locator("table.task-table tbody tr").first.evaluate("tr => getComputedStyle(tr).display")
                == "block"
            )
            for label in ("序号", "具体要求", "牵头单位", "时限"):
                cell = page.locator(f'table.task-table tbody tr:first-child td[data-label="{label}"]')
                assert cell.is_visible(), f"{label} hidden on a {viewport['width']}px phone"
            shot(page, f"publish-doc-2-{viewport['width']}.png")
            assert console.errors == []


def test_browser_publish_desktop_task_table_shows_key_columns(corpus_site: Path) -> None:
    issue = corpus_issue()
    with browser() as b, serve(corpus_site) as base:
        page = b.new_page(viewport=DESKTOP)
        page.goto(base + f"{issue.id}/doc-2.html")
        table = page.locator("table.task-table")
        spill = table.evaluate("t => t.scrollWidth - t.parentElement.clientWidth")
        assert spill <= 1, "the task table must fit: no side-scroll hiding 时限"
        for label in ("序号", "具体要求", "牵头单位", "时限"):
            box = page.locator("table.task-table thead th", has_text=label).first.bounding_box()
            assert box is not None and box["x"] + box["width"] <= DESKTOP["width"]
        shot(page, "publish-doc-2-1366.png")
        page.goto(base + f"{issue.id}/doc-1.html")
        cat = page.locator("table.indicators td.cat").first
        assert cat.evaluate("td => td.getClientRects().length === 1 && td.offsetHeight < 40"), "类别 wraps"
        shot(page, "publish-doc-1-1366.png")
        page.goto(base + f"{issue.id}/deadlines.html")
        assert page.locator("#by-month h3").count() >= 3
        shot(page, "publish-deadlines-1366.png", full=True)


def test_browser_publish_indicator_table_within_five_tabs(corpus_site: Path) -> None:
    issue = corpus_issue()
    with browser() as b, serve(corpus_site) as base:
        page = b.new_page(viewport=DESKTOP)
        console = Console(page)
        page.goto(base + f"{issue.id}/doc-1.html")
        presses = 0
        while presses < 5:
            page.keyboard.press("Tab")
            presses += 1
            if page.evaluate("(document.activeElement.getAttribute('href') || '').endsWith('__indicators')"):
                break
        else:
            raise AssertionError("the indicator table is not reachable in 5 Tab presses")
        page.keyboard.press("Enter")
        page.wait_for_function("location.hash.endsWith('__indicators')")
        heading = page.locator("h3[id$='__indicators']")
        assert heading.is_visible() and heading.evaluate("h => h.getBoundingClientRect().top < innerHeight")
        assert console.errors == []


def test_browser_publish_search_box_finds_unit_tasks(corpus_site: Path) -> None:
    issue = corpus_issue()
    judicial = next(u for u in issue.units if u.name == "区司法局")
    n_tasks = len({r.task_id for r in [*judicial.leads, *judicial.co_operates]})
    with browser() as b, serve(corpus_site) as base:
        for viewport in (DESKTOP, PHONE):
            page = b.new_page(viewport=viewport)
            console = Console(page)
            page.goto(base + f"{issue.id}/index.html")
            box = page.locator("form.search input")
            box.fill("区司法局")
            hits = page.locator(".search-results li.hit-task")
            hits.first.wait_for()
            assert hits.count() == n_tasks
            assert all("区司法局" in t for t in hits.all_inner_texts())
            assert page.locator(".search-results mark", has_text="区司法局").count() >= n_tasks
            shot(page, f"publish-search-{viewport['width']}.png")
            hits.first.locator("a").click()
            page.wait_for_load_state("load")
            assert "#doc-2__att-1__task-" in page.url
            assert "区司法局" in page.locator("tr:target").inner_text()
            box = page.locator("form.search input")
            box.fill("司法局 政务公开")  # two words, segmented as jieba does
            page.locator(".search-results li.hit").first.wait_for()
            assert console.errors == []
