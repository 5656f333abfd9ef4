"""Page images rendered once per PDF: a re-render of the site keeps the images of unchanged PDFs."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pdfplumber.page
import pytest

from pipeline.publish import site as render_html
from schemas.model import Issue
from tests.conftest import CORPUS_PDF


@pytest.mark.slow
def test_render_html_reuses_page_images_of_the_same_pdf(
    corpus_pdf: Issue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    render_html.render_site([corpus_pdf], site, {corpus_pdf.id: CORPUS_PDF})
    pages = site / render_html.issue_folder(corpus_pdf) / "pages"
    images = sorted(pages.glob("p-*.png"))
    assert images and (pages / render_html.PAGES_STAMP).read_text() == corpus_pdf.source.sha256

    def no_render(*_: object, **__: object) -> None:
        raise AssertionError("page images were rendered again")

    monkeypatch.setattr(pdfplumber.page.Page, "to_image", no_render)
    for html in pages.glob("p-*.html"):
        html.unlink()
    render_html.render_site([corpus_pdf], site, {corpus_pdf.id: CORPUS_PDF})
    assert sorted(pages.glob("p-*.png")) == images
    assert len(list(pages.glob("p-*.html"))) == len(images)  # the page views were written again

    # another PDF (another sha256) in the same place is rendered again
    changed = corpus_pdf.model_copy(update={"source": corpus_pdf.source.model_copy(update={"sha256": "0" * 64})})
    with pytest.raises(AssertionError, match="rendered again"):
        render_html.pdf_pages_to_png(CORPUS_PDF, [1], pages, source_sha256=changed.source.sha256)


def test_render_html_page_sizes_come_from_the_issue(corpus_pdf: Issue, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the renderer opened the PDF for its page sizes")

    with pdfplumber.open(CORPUS_PDF) as pdf:  # the loader's sizes are the file's
        expected = [(float(p.width), float(p.height)) for p in pdf.pages]
    monkeypatch.setattr(render_html.pdfplumber, "open", no_open)
    sizes = render_html._page_sizes(corpus_pdf, CORPUS_PDF)
    assert [sizes[i + 1] for i in range(62)] == expected and len(sizes) == 62


def test_render_html_page_sizes_of_an_issue_without_pages_read_the_pdf(corpus_pdf: Issue) -> None:
    old = corpus_pdf.model_copy(update={"pages": []})  # an issue.json written before Issue.pages existed
    assert render_html._page_sizes(old, CORPUS_PDF) == render_html._page_sizes(corpus_pdf, CORPUS_PDF)
    assert render_html._page_sizes(corpus_pdf, None) == {}
