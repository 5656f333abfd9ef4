"""Output layout no input can collide with, and page images bounded in pixels whatever the page size."""

from __future__ import annotations

import time
from pathlib import Path

from PIL import Image

from pipeline.archive import catalog
from pipeline.archive.ingest import ingest_dir
from pipeline.archive.watchdog import memory_limit
from pipeline.publish.site import MAX_PAGE_PIXELS, capped_resolution, pdf_pages_to_png
from tests.badinputs import _pymupdf
from tests.faults import chinese  # noqa: F401 - autouse: messages in zh
from tests.test_ingest_fakes import ISSUE_B, fake_parse, simple_tokens

COLLIDING = ["catalog.sqlite.txt", "site.txt", "index.html.txt", "issues.txt", "admin.txt", "static.txt", ".lock.txt"]


def test_faults_layout_input_names_never_collide_with_the_output(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    for name in COLLIDING:
        (tmp_path / "in" / name).write_text(ISSUE_B, encoding="utf-8")
    out = tmp_path / "out"
    report = ingest_dir(tmp_path / "in", out, parse=fake_parse, tokenize=simple_tokens)
    assert (report.ingested, report.failed, report.exit_status, report.site_error) == (
        6,
        0,
        0,
        None,
    )  # .lock.txt hidden
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["catalog.sqlite", "issues", "site"]
    assert sorted(p.name for p in (out / "issues").iterdir()) == [
        "admin",
        "catalog.sqlite",
        "index.html",
        "issues",
        "site",
        "static",
    ]
    assert catalog.counts(out / "catalog.sqlite")["files"] == 6
    assert (out / "site" / "index.html").is_file()
    assert (out / "site" / "issue-index.html" / "index.html").is_file()
    assert (out / "site" / "issue-static" / "index.html").is_file()
    again = ingest_dir(tmp_path / "in", out, parse=fake_parse, tokenize=simple_tokens)
    assert (again.skipped, again.exit_status) == (6, 0)


def test_faults_layout_capped_resolution() -> None:
    assert capped_resolution(595, 842, 100) == 100
    assert capped_resolution(14400, 14400, 100) == MAX_PAGE_PIXELS * 72 / 14400
    assert capped_resolution(14400, 300, 100) * 14400 / 72 == MAX_PAGE_PIXELS


def test_faults_layout_huge_pages_render_small_in_bounded_memory(tmp_path: Path) -> None:
    fitz = _pymupdf()
    doc = fitz.open()
    for _ in range(2):
        page = doc.new_page(width=14400, height=14400)
        page.insert_text((720, 720), "Huge page", fontsize=400)
    pdf = tmp_path / "huge.pdf"
    doc.save(pdf)
    assert pdf.stat().st_size < 10_000
    t0 = time.monotonic()
    with memory_limit(2048):  # ~6 GB without the cap
        written = pdf_pages_to_png(pdf, [1, 2], tmp_path / "pages")
    assert time.monotonic() - t0 < 20
    sizes = [Image.open(p).size for p in written if p.suffix == ".png"]
    assert sizes == [(MAX_PAGE_PIXELS, MAX_PAGE_PIXELS)] * 2
