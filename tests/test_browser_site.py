"""The generated site in a real headless Chromium: navigation, the task filter, unit pages, page views."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pipeline.publish.site import render_site
from schemas.model import Issue
from tests.fixtures_site import ISSUE_ID, N_TASKS, build_issue

REPO = Path(__file__).resolve().parent.parent
PDF = REPO / "corpus" / "maonan-2022-03.pdf"
SCREENSHOTS = REPO / "output" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing (make browser-deps installs it)"),
]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) from a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def browser() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing (make browser-deps installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Console:
    """Collects console errors, page errors and failed requests of a page."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        page.on("response", lambda r: self.errors.append(f"{r.status}: {r.url}") if r.status >= 400 else None)


def visible_rows(page: Any) -> int:
    return int(page.locator("table.task-table tbody tr:not([hidden])").count())


def shot(page: Any, name: str, full: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full)


def walk_site(base: str, b: Any, issue: Issue, prefix: str) -> list[str]:
    """issue → document → filter → unit page → page image; returns the console errors seen."""
    page = b.new_page(viewport={"width": 1280, "height": 900})
    console = Console(page)
    page.goto(base + "index.html")
    shot(page, f"{prefix}-index.png")
    page.locator(".cards a").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"{issue.id}/index.html")
    shot(page, f"{prefix}-issue.png")
    tasks_doc = next(d for d in issue.documents if any(a.tasks for a in d.attachments))
    page.locator("#toc a", has_text=tasks_doc.title[:12]).first.click()
    page.wait_for_load_state("load")
    n_tasks = sum(len(a.tasks) for a in tasks_doc.attachments)
    assert visible_rows(page) == n_tasks
    assert page.locator("form.task-filter").is_visible()  # the script revealed the filter
    shot(page, f"{prefix}-document.png")

    office = next(u for u in issue.units if u.name == "区政府办公室")
    page.select_option("select[name=unit]", "区政府办公室")
    expected = len({r.task_id for r in [*office.leads, *office.co_operates] if r.document_id == tasks_doc.id})
    assert visible_rows(page) == expected
    assert page.locator("[data-count]").first.inner_text() == str(expected)
    shot(page, f"{prefix}-document-filtered.png")

    page.select_option("select[name=sort]", "deadline")
    dates = page.locator("table.task-table tbody tr:not([hidden])").evaluate_all(
        "rows => rows.map(r => r.dataset.deadline).filter(d => d)"
    )
    assert dates == sorted(dates) and dates
    page.fill("input[name=q]", "zzz-no-such-text")
    assert visible_rows(page) == 0
    page.fill("input[name=q]", "")
    page.select_option("select[name=unit]", "")
    assert visible_rows(page) == n_tasks

    page.locator("table.task-table a", has_text="区司法局").first.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "区司法局"
    judicial = next(u for u in issue.units if u.name == "区司法局")
    assert page.locator("table.unit-tasks tbody tr").count() == len(judicial.leads) + len(judicial.co_operates)
    shot(page, f"{prefix}-unit.png", full=True)

    page.locator("table.unit-tasks a").first.click()
    page.wait_for_load_state("load")
    page.locator("tr:target a.pg").first.click()
    page.wait_for_load_state("load")
    assert "/pages/p-" in page.url and "#b-" in page.url
    assert page.locator(".page-frame img").evaluate("img => img.complete && img.naturalWidth > 0")
    target = page.locator(".box:target")
    assert target.count() == 1 and target.bounding_box()["width"] > 10
    shot(page, f"{prefix}-page.png")

    page.goto(base + f"{issue.id}/findings.html")
    shot(page, f"{prefix}-findings.png")

    mobile = b.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    mobile_console = Console(mobile)
    mobile.goto(base + f"{issue.id}/{tasks_doc.id}.html")
    overflow = mobile.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, "the page must not scroll sideways on a phone (tables scroll inside their box)"
    shot(mobile, f"{prefix}-mobile.png")
    return console.errors + mobile_console.errors


def test_browser_fixture_site_navigation_and_filter(tmp_path: Path) -> None:
    issue = build_issue()
    render_site([issue], tmp_path, {issue.id: PDF})
    with browser() as b, serve(tmp_path) as base:
        errors = walk_site(base, b, issue, "fixture")
    assert errors == []
    assert issue.id == ISSUE_ID and N_TASKS == 54


def test_browser_page_is_readable_without_javascript(tmp_path: Path) -> None:
    issue = build_issue()
    render_site([issue], tmp_path)
    with browser() as b, serve(tmp_path) as base:
        context = b.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(base + f"{ISSUE_ID}/doc-2.html")
        assert page.locator("table.task-table tbody tr").count() == N_TASKS
        assert not page.locator("form.task-filter").is_visible()
        context.close()
