"""The site built from the real corpus Issue, in headless Chromium: the same walk as the fixture site."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures_site import corpus_issue, corpus_site
from tests.test_browser_site import CHROMIUM, browser, serve, walk_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing (make browser-deps installs it)"),
]
__all__ = ["corpus_site"]  # a session fixture shared with the render tests


def test_browser_corpus_site_navigation_and_filter(corpus_site: Path) -> None:
    issue = corpus_issue()
    with browser() as b, serve(corpus_site) as base:
        errors = walk_site(base, b, issue, "corpus")
    assert errors == []
