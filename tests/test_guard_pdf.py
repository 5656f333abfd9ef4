"""PDF guards: open_pdf (E004/E005/E010, recoverable xrefs); the loader's one text-layer check on the pages it
loaded (``load/pdf.check_text_layer``: E006/E007); garbled text per page (P105)."""

from __future__ import annotations

import time
from pathlib import Path

import pymupdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import Code, GazetteError
from pipeline.load.guard import garbled_ratio, is_garbled, open_pdf
from pipeline.load.pdf import pdf_to_source
from pipeline.options import RunOptions
from pipeline.run import parse_file
from pipeline.types import LoadedSource
from tests.badinputs import (
    CORPUS_PDF,
    make_big_pdf,
    make_broken_startxref_pdf,
    make_cid_pdf,
    make_encrypted_owner_pdf,
    make_encrypted_user_pdf,
    make_image_only_pdf,
    make_odd_path_pdf,
    make_partly_garbled_pdf,
    make_truncated_pdf,
    make_zeroed_xref_pdf,
)


def _load(path: Path) -> LoadedSource:
    """The product's PDF loading, OCR off (a scan is refused with E006, as without an OCR engine)."""
    return pdf_to_source(path, RunOptions(ocr="off"))


def _page_text(source: LoadedSource, index: int) -> str:
    return "\n".join(ln.text for ln in source.pages[index].lines)


def test_guard_pdf_corpus_opens_and_reads() -> None:
    with open_pdf(CORPUS_PDF) as pdf:
        assert len(pdf.pages) == 62
        first = pdf.pages[0].extract_text()
        assert "茂名市茂南区人民政府公报" in first
    source = _load(CORPUS_PDF)
    assert source.n_pages == 62 and source.problems == []
    assert garbled_ratio(_page_text(source, 2)) == 0.0


def test_guard_pdf_broken_startxref_recovers_same_text(tmp_path: Path) -> None:
    with open_pdf(CORPUS_PDF) as good:
        expected = good.pages[2].extract_text()
    with open_pdf(make_broken_startxref_pdf(tmp_path)) as pdf:
        assert len(pdf.pages) == 62
        assert pdf.pages[2].extract_text() == expected


def test_guard_pdf_zeroed_xref_offsets_rebuilt(tmp_path: Path) -> None:
    with open_pdf(make_zeroed_xref_pdf(tmp_path)) as pdf:
        assert len(pdf.pages) == 1
        assert "某府〔2022〕2号" in pdf.pages[0].extract_text()


def test_guard_pdf_truncated_is_not_rebuilt(tmp_path: Path) -> None:
    with pytest.raises(GazetteError) as info:
        open_pdf(make_truncated_pdf(tmp_path))
    assert info.value.code is Code.E004


def test_guard_pdf_user_password_e005_owner_only_opens(tmp_path: Path) -> None:
    with pytest.raises(GazetteError) as info:
        open_pdf(make_encrypted_user_pdf(tmp_path))
    assert info.value.code is Code.E005
    with open_pdf(make_encrypted_owner_pdf(tmp_path)) as pdf:
        assert "某某市人民政府关于印发" in pdf.pages[0].extract_text()


def test_guard_pdf_odd_path(tmp_path: Path) -> None:
    path = make_odd_path_pdf(tmp_path)
    assert " " in str(path) and "公报" in str(path)
    with open_pdf(path) as pdf:
        assert len(pdf.pages) == 6
    assert _load(path).n_pages == 6


def test_guard_pdf_page_budget_e010_and_big_file_is_cheap(tmp_path: Path) -> None:
    path = make_big_pdf(tmp_path)
    with pytest.raises(GazetteError) as info:
        open_pdf(path, max_pages=999)
    assert info.value.code is Code.E010
    started = time.process_time()
    with open_pdf(path, max_pages=1000) as pdf:
        assert len(pdf.pages) == 1000
    assert time.process_time() - started < 5.0
    with pytest.raises(GazetteError) as info:  # the loader refuses it before reading a page
        pdf_to_source(path, RunOptions(max_pages=999))
    assert info.value.code is Code.E010


def test_guard_pdf_image_only_e006(tmp_path: Path) -> None:
    path = make_image_only_pdf(tmp_path, pages=3)
    with pytest.raises(GazetteError) as info:
        _load(path)
    assert info.value.code is Code.E006
    assert "scanned images" in str(info.value)


def test_guard_pdf_text_on_one_page_of_a_scan_is_found(tmp_path: Path) -> None:
    scanned = pymupdf.open(make_image_only_pdf(tmp_path, pages=9))
    page = scanned.new_page(pno=4, width=595, height=842)
    page.insert_text((72, 100), "某某市人民政府公报", fontname="china-s", fontsize=12)
    path = tmp_path / "mostly-scanned.pdf"
    scanned.save(path)
    source = _load(path)  # every loaded page is checked: the one page with text is enough
    assert source.n_pages == 10
    assert [i for i in range(10) if _page_text(source, i)] == [4]
    assert "某某市人民政府公报" in _page_text(source, 4)


def test_guard_pdf_no_tounicode_e007(tmp_path: Path) -> None:
    path = make_cid_pdf(tmp_path)
    with open_pdf(path) as pdf:
        text = pdf.pages[0].extract_text()
        assert text.startswith("(cid:")
        assert is_garbled(text)
    with pytest.raises(GazetteError) as info:
        _load(path)
    assert info.value.code is Code.E007


def test_guard_pdf_partly_garbled_flags_only_that_page(tmp_path: Path) -> None:
    path = make_partly_garbled_pdf(tmp_path)
    source = _load(path)  # loads: most of the text is readable
    ratios = [garbled_ratio(_page_text(source, i)) for i in range(5)]
    assert ratios == [0.0, 1.0, 0.0, 0.0, 0.0]
    result = parse_file(path, RunOptions(ocr="off"))
    assert [(e.code, e.message.split(":")[0]) for e in result.errors if e.code == "P105"] == [("P105", "page 2")]


@pytest.mark.parametrize(
    ("text", "ratio"),
    [
        ("", 0.0),
        ("   \n", 0.0),
        ("某某市人民政府", 0.0),
        ("(cid:12)(cid:345)", 1.0),
        ("(cid:12) 某", 0.5),
        ("\ue000\ue001某某", 0.5),
        ("\ufffd某某某", 0.25),
        ("(cid:)某", 0.0),
    ],
)
def test_guard_pdf_garbled_ratio_inline(text: str, ratio: float) -> None:
    assert garbled_ratio(text) == pytest.approx(ratio)


@given(st.text(max_size=500))
@settings(max_examples=300, deadline=None)
def test_guard_pdf_garbled_ratio_never_raises(text: str) -> None:
    assert 0.0 <= garbled_ratio(text) <= 1.0


@pytest.mark.parametrize(
    "text",
    ["(cid:" * 20_000, "(cid:9999999999" * 7_000, "(cid:1)" * 15_000, "\ue000(" * 50_000, "(" * 100_000],
    ids=["open", "long-digits", "many", "pua", "parens"],
)
def test_guard_pdf_garbled_ratio_adversarial_is_fast(text: str) -> None:
    started = time.process_time()
    assert 0.0 <= garbled_ratio(text) <= 1.0
    assert time.process_time() - started < 1.0
