"""Screenshots of the key pages of a built site (``make demo``): ``python bench/screenshots.py SITE OUT``.

Serves SITE on 127.0.0.1 and drives the Debian Chromium (``/usr/bin/chromium``, installed by
``make browser-deps``) with Playwright at 1366×900 and 390×844: the home page, each issue page, each
document page, the deadline overview, the first unit page and the search box with a query. Writes
``OUT/<page>-<width>.png``; prints a note and exits 0 when Chromium is missing.
"""

from __future__ import annotations

import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
VIEWPORTS = ({"width": 1366, "height": 900}, {"width": 390, "height": 844})
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


def key_pages(site: Path) -> list[str]:
    """Site paths worth a look: home, issue pages, documents, overviews, one unit page."""
    pages = ["index.html"]
    for issue in sorted(p.parent for p in site.glob("*/index.html") if p.parent.name != "admin"):
        pages.append(f"{issue.name}/index.html")
        pages += [f"{issue.name}/{p.name}" for p in sorted(issue.glob("doc-*.html"))]
        pages.append(f"{issue.name}/deadlines.html")
        units = sorted((issue / "units").glob("*.html"))
        if units:
            pages.append(f"{issue.name}/units/{units[0].name}")
    return pages


def main(site: Path, out: Path) -> int:
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} 不存在：未生成截图（make browser-deps 可安装）")
        return 0
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            for vp in VIEWPORTS:
                page = browser.new_page(viewport=vp)
                for path in key_pages(site):
                    page.goto(base + path)
                    name = path.replace("/", "_").removesuffix(".html")
                    page.screenshot(path=str(out / f"{name}-{vp['width']}.png"))
                    for part, selector in (("tasks", "section.tasks"), ("indicators", "table.indicators")):
                        found = page.locator(selector)
                        if found.count():
                            found.first.scroll_into_view_if_needed()
                            page.screenshot(path=str(out / f"{name}-{part}-{vp['width']}.png"))
                issue = next((p for p in key_pages(site) if p.count("/") == 1 and p.endswith("index.html")), None)
                if issue:
                    page.goto(base + issue)
                    page.fill("form.search input", "司法局")
                    page.wait_for_timeout(500)
                    page.screenshot(path=str(out / f"search-{vp['width']}.png"))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    print(f"截图：{out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
