"""The PDFium backend gives the same pages and the same Issue as the pdfplumber backend (the reference)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.load.pdf import pdf_to_source
from pipeline.load.pdfium import PdfiumPage, pdfium_page, pdfium_to_source
from pipeline.options import RunOptions
from pipeline.run import parse_file
from pipeline.types import LoadedSource
from schemas.model import Issue
from tests.test_pdf_tables_synthetic import make_pdf

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "maonan-2022-03.pdf"
# the annual report is copied into tests/data by the tables work; the shared development folder otherwise
DEV_PDF = next((d for d in (ROOT / "tests" / "data", Path("/work/shared/corpus/dev/pdf")) if d.is_dir()), ROOT)


def _pages(source: LoadedSource) -> list[tuple[object, ...]]:
    """Everything a page carries, boxes rounded to the output's two decimals."""

    def box(b: tuple[float, ...] | None) -> tuple[float, ...] | None:
        return tuple(round(v, 2) for v in b) if b else None

    out: list[tuple[object, ...]] = []
    for p in source.pages:
        lines = [(ln.text, box(ln.bbox), ln.size, ln.bold) for ln in p.lines]
        tables = [
            (t.style, t.n_rows, t.n_cols, box(t.bbox), [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in t.cells])
            for t in p.tables
        ]
        out.append((p.index, round(p.width or 0, 2), round(p.height or 0, 2), lines, tables, len(p.figures)))
    return out


def test_load_pdfium_corpus_issue_equals_reference(corpus_pdf: Issue) -> None:
    """A run with the pdfplumber backend (the reference) against the session's corpus Issue (default: PDFium)."""
    assert RunOptions().backend == "pdfium"
    result = parse_file(CORPUS, RunOptions(backend="pdfplumber"))
    assert result.issue is not None
    got = result.issue.model_dump(mode="json")
    want = corpus_pdf.model_dump(mode="json")
    for key in sorted(set(got) | set(want)):
        assert got.get(key) == want.get(key), f"field {key!r} differs between the backends"
    assert [f.code for f in result.issue.findings] == [f.code for f in corpus_pdf.findings]


@pytest.mark.parametrize("style", ["ruled", "three-line"])
@pytest.mark.parametrize("repeat", [True, False])
def test_load_pdfium_synthetic_tables_equal_reference(tmp_path: Path, style: str, repeat: bool) -> None:
    path = make_pdf(tmp_path / f"{style}.pdf", style, repeat)
    fast, ref = pdfium_to_source(path), pdf_to_source(path)
    assert _pages(fast) == _pages(ref)
    assert sum(len(p.tables) for p in fast.pages) == 2
    want = "three-line" if style == "three-line" else "ruled"
    assert {t.style.value for p in fast.pages for t in p.tables} == {want}


def test_load_pdfium_page_facts(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "ruled.pdf", "ruled", True)
    doc = pdfium.PdfDocument(str(path))
    try:
        page = pdfium_page(doc[0], 1)
    finally:
        doc.close()
    assert isinstance(page, PdfiumPage)
    assert (round(page.width, 1), round(page.height, 1)) == (595.3, 841.9)
    red = [e for e in page.edges if e["orientation"] == "h" and e["stroking_color"] == (1.0, 0.0, 0.0)]
    assert len(red) == 2  # the double separator under the issuing-organ mark
    assert sum(e["orientation"] == "v" for e in page.edges) >= 5  # the ruled grid's vertical rules
    first = next(c for c in page.chars if c["text"] == "件")
    assert first["size"] == pytest.approx(16.0) and first["upright"] is True


def _rotated_pdf(tmp_path: Path) -> Path:
    """A two-page three-line PDF whose second page carries ``/Rotate 90``."""
    src = make_pdf(tmp_path / "plain.pdf", "three-line", False)
    doc = pdfium.PdfDocument(str(src))
    doc[1].set_rotation(90)
    rotated = tmp_path / "rotated.pdf"
    doc.save(str(rotated))
    doc.close()
    return rotated


def test_load_pdfium_rotated_page_falls_back_to_pdfplumber(tmp_path: Path) -> None:
    rotated = _rotated_pdf(tmp_path)
    check = pdfium.PdfDocument(str(rotated))
    try:
        assert pdfium_page(check[1], 2) is None  # PDFium's coordinates are not pdfminer's on this page
        assert pdfium_page(check[0], 1) is not None
    finally:
        check.close()
    assert _pages(pdfium_to_source(rotated)) == _pages(pdf_to_source(rotated))


@pytest.mark.parametrize("content", [b"", b"%PDF-1.4\n%broken\n", b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"])
def test_load_pdfium_bad_files_same_code(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    codes = []
    for backend in ("pdfium", "pdfplumber"):
        result = parse_file(path, RunOptions(backend=backend))
        assert result.issue is None
        codes.append(result.errors[0].code if result.errors else None)
    assert codes[0] == codes[1] and codes[0] is not None


@pytest.mark.parametrize("name", ["huaian-hongze-xxgk-annual-report-2024.pdf"])
def test_load_pdfium_dev_pdf_equals_reference(name: str) -> None:
    """A WPS file with vertical writing in a merged cell (that page is read by pdfplumber)."""
    path = DEV_PDF / name
    if not path.is_file():
        pytest.skip("the development PDF is not on this machine")
    fast, ref = parse_file(path, RunOptions(backend="pdfium")), parse_file(path, RunOptions(backend="pdfplumber"))
    assert fast.issue is not None and ref.issue is not None
    assert fast.issue.model_dump(mode="json") == ref.issue.model_dump(mode="json")


def _count_hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file hash the loaders compute, by path (both loaders' imported name is patched)."""
    from pipeline.load import digest, pdf
    from pipeline.load import pdfium as pdfium_loader

    calls: list[str] = []

    def counting(path: Path | str) -> str:
        calls.append(str(path))
        return digest.file_to_sha256(path)

    monkeypatch.setattr(pdfium_loader, "file_to_sha256", counting)
    monkeypatch.setattr(pdf, "file_to_sha256", counting)
    return calls


def test_load_pdfium_whole_file_fallback_hashes_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.load import digest
    from pipeline.load import pdfium as pdfium_loader

    path = make_pdf(tmp_path / "plain.pdf", "three-line", False)
    calls = _count_hashes(monkeypatch)

    def choke(*_: object) -> pdfium.PdfDocument:
        raise pdfium.PdfiumError("simulated: PDFium cannot open the file")

    monkeypatch.setattr(pdfium_loader, "_open", choke)  # the PDFium read fails after the file was hashed
    source = pdfium_to_source(path)
    assert calls == [str(path)]
    assert source.sha256 == digest.file_to_sha256(path)
    assert _pages(source) == _pages(pdf_to_source(path))


def test_load_pdfium_page_fallback_hashes_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rotated = _rotated_pdf(tmp_path)
    calls = _count_hashes(monkeypatch)
    pdfium_to_source(rotated)
    assert calls == [str(rotated)]


def test_load_pdfium_text_pdf_imports_no_ocr(tmp_path: Path) -> None:
    """A PDF with a text layer never imports the OCR module (numpy, the engine): a fixed cost saved."""
    path = make_pdf(tmp_path / "ruled.pdf", "ruled", True)
    code = (
        "import sys; from pathlib import Path; from pipeline.run import parse_file; "
        f"r = parse_file(Path({str(path)!r})); "
        "print(r.status.value, 'pipeline.load.ocr' in sys.modules, 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split()[1:] == ["False", "False"]
    assert out.stdout.split()[0] in ("success", "partial_success")


def test_load_pdfium_reopened_document_reads_the_same_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The document is reopened every ``REOPEN_PAGES`` pages (PDFium's object cache freed): same pages."""
    import pipeline.load.pdfium as loader

    path = make_pdf(tmp_path / "ruled.pdf", "ruled", True)
    whole = pdfium_to_source(path)
    opened: list[Path] = []
    real = loader._Document._opened

    def spy(self: loader._Document) -> pdfium.PdfDocument:
        opened.append(self.path)
        return real(self)

    monkeypatch.setattr(loader, "REOPEN_PAGES", 1)
    monkeypatch.setattr(loader._Document, "_opened", spy)
    reopened = pdfium_to_source(path)
    assert len(opened) == whole.n_pages == 2  # opened for page 1, again for page 2
    assert _pages(reopened) == _pages(whole)
    assert sum(len(p.tables) for p in reopened.pages) == 2
