"""PDF guards: open_pdf (E004/E005/E010, recoverable xrefs), check_text_layer (E006/E007), garbled text."""

from __future__ import annotations

import time
from pathlib import Path

import pymupdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import Code, GazetteError
from pipeline.load.guard import (
    chars_garbled_ratio,
    check_text_layer,
    garbled_ratio,
    is_garbled,
    open_pdf,
    page_garbled_ratio,
    sample_indices,
)
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


def test_guard_pdf_corpus_opens_and_reads() -> None:
    with open_pdf(CORPUS_PDF) as pdf:
        assert len(pdf.pages) == 62
        check_text_layer(pdf, CORPUS_PDF)
        first = pdf.pages[0].extract_text()
        assert "茂名市茂南区人民政府公报" in first
        assert page_garbled_ratio(pdf.pages[2]) == 0.0


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
        check_text_layer(pdf, path)


def test_guard_pdf_page_budget_e010_and_big_file_is_cheap(tmp_path: Path) -> None:
    path = make_big_pdf(tmp_path)
    with pytest.raises(GazetteError) as info:
        open_pdf(path, max_pages=999)
    assert info.value.code is Code.E010
    started = time.process_time()
    with open_pdf(path, max_pages=1000) as pdf:
        assert len(pdf.pages) == 1000
        check_text_layer(pdf, path)
    assert time.process_time() - started < 5.0


def test_guard_pdf_image_only_e006(tmp_path: Path) -> None:
    path = make_image_only_pdf(tmp_path, pages=3)
    with open_pdf(path) as pdf, pytest.raises(GazetteError) as info:
        check_text_layer(pdf, path)
    assert info.value.code is Code.E006


def test_guard_pdf_text_on_an_unsampled_page_is_found(tmp_path: Path) -> None:
    scanned = pymupdf.open(make_image_only_pdf(tmp_path, pages=9))
    page = scanned.new_page(pno=4, width=595, height=842)
    page.insert_text((72, 100), "某某市人民政府公报", fontname="china-s", fontsize=12)
    path = tmp_path / "mostly-scanned.pdf"
    scanned.save(path)
    with open_pdf(path) as pdf:
        assert len(pdf.pages) == 10
        assert 4 not in sample_indices(10, 2)
        check_text_layer(pdf, path, sample_pages=2)


def test_guard_pdf_no_tounicode_e007(tmp_path: Path) -> None:
    path = make_cid_pdf(tmp_path)
    with open_pdf(path) as pdf:
        text = pdf.pages[0].extract_text()
        assert text.startswith("(cid:")
        assert is_garbled(text)
        with pytest.raises(GazetteError) as info:
            check_text_layer(pdf, path)
    assert info.value.code is Code.E007


def test_guard_pdf_partly_garbled_flags_only_that_page(tmp_path: Path) -> None:
    path = make_partly_garbled_pdf(tmp_path)
    with open_pdf(path) as pdf:
        check_text_layer(pdf, path)
        flags = [is_garbled(p.extract_text()) for p in pdf.pages]
        ratios = [page_garbled_ratio(p) for p in pdf.pages]
    assert flags == [False, True, False, False, False]
    assert ratios == [0.0, 1.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("n", "k", "expected"),
    [
        (0, 8, []),
        (1, 8, [0]),
        (5, 8, [0, 1, 2, 3, 4]),
        (10, 2, [0, 9]),
        (62, 8, [0, 9, 17, 26, 35, 44, 52, 61]),
        (100, 1, [0]),
        (3, 0, []),
    ],
)
def test_guard_pdf_sample_indices(n: int, k: int, expected: list[int]) -> None:
    assert sample_indices(n, k) == expected


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


def test_guard_pdf_chars_garbled_ratio() -> None:
    assert chars_garbled_ratio(["(cid:1)", "某", " ", "\ue123", "市"]) == pytest.approx(0.5)
    assert chars_garbled_ratio([]) == 0.0


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
