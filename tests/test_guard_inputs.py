"""Every generated bad input gets its exact code from the guards and the loader (``run.load``, the product's one
path: sniff, open, read, the text-layer check on the loaded pages); the inputs that must open, open."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.errors import Code, GazetteError
from pipeline.load.guard import open_pdf, read_text, sniff
from pipeline.options import RunOptions
from pipeline.run import load
from pipeline.types import LoadedSource
from schemas.model import SourceKind
from tests.badinputs import CASES, CORPUS_PDF, CORPUS_TXT, FATAL_CASES, OPENING_CASES, Case


def _load(path: Path) -> LoadedSource:
    """The product's loading of a file, OCR off (a scan is refused with E006, as without an OCR engine)."""
    return load(path, RunOptions(ocr="off"))


@pytest.mark.parametrize("case", FATAL_CASES, ids=lambda c: c.name)
def test_guard_bad_input_gets_its_code(case: Case, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    with pytest.raises(GazetteError) as info:
        _load(path)
    assert info.value.code.value == case.code
    assert info.value.path == str(path)
    assert str(info.value).startswith(f"error[{case.code}]: {path}: ")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("case", OPENING_CASES, ids=lambda c: c.name)
def test_guard_good_input_opens(case: Case, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    assert _load(path).kind == case.kind


@pytest.mark.parametrize("case", [c for c in CASES if c.kind == "pdf"], ids=lambda c: c.name)
def test_guard_sniff_pdf_by_magic_even_when_broken(case: Case, tmp_path: Path) -> None:
    assert sniff(case.make(tmp_path)) is SourceKind.PDF


def test_guard_missing_file_is_e001(tmp_path: Path) -> None:
    for fn in (sniff, read_text, open_pdf, _load):
        with pytest.raises(GazetteError) as info:
            fn(tmp_path / "nope.pdf")
        assert info.value.code is Code.E001


def test_guard_directory_is_e003(tmp_path: Path) -> None:
    for fn in (sniff, read_text, open_pdf):
        with pytest.raises(GazetteError) as info:
            fn(tmp_path)
        assert info.value.code is Code.E003


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files without permission")
def test_guard_unreadable_file_is_e001(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("某某市人民政府公报", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(GazetteError) as info:
            sniff(path)
        assert info.value.code is Code.E001
    finally:
        path.chmod(0o644)


def test_guard_extension_does_not_decide_kind(tmp_path: Path) -> None:
    pdf_named_txt = tmp_path / "gazette.txt"
    pdf_named_txt.write_bytes(CORPUS_PDF.read_bytes())
    assert sniff(pdf_named_txt) is SourceKind.PDF
    text_named_pdf = tmp_path / "gazette.pdf"
    text_named_pdf.write_bytes(CORPUS_TXT.read_bytes())
    assert sniff(text_named_pdf) is SourceKind.TEXT
    with pytest.raises(GazetteError) as info:
        open_pdf(text_named_pdf)
    assert info.value.code is Code.E003


def test_guard_pdf_header_after_junk_is_pdf(tmp_path: Path) -> None:
    path = tmp_path / "junk-header.pdf"
    path.write_bytes(b"\r\n  junk from a mail gateway\r\n" + CORPUS_PDF.read_bytes())
    assert sniff(path) is SourceKind.PDF
    with open_pdf(path) as pdf:
        assert len(pdf.pages) == 62


def test_guard_corpus_files_pass() -> None:
    assert _load(CORPUS_PDF).kind == SourceKind.PDF.value
    assert _load(CORPUS_TXT).kind == SourceKind.TEXT.value


def test_guard_vanished_between_sniff_and_read_is_e001(tmp_path: Path) -> None:
    path = tmp_path / "gone.txt"
    path.write_text("某某市人民政府公报\n", encoding="utf-8")
    assert sniff(path) is SourceKind.TEXT
    path.unlink()
    with pytest.raises(GazetteError) as info:
        read_text(path)
    assert info.value.code is Code.E001


def test_guard_to_problem_carries_code_and_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(GazetteError) as info:
        _load(path)
    prob = info.value.to_problem()
    assert (prob.code, prob.file, prob.severity.value) == ("E002", str(path), "error")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_guard_fifo_is_e003_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "stuck.txt"
    os.mkfifo(fifo)
    for fn in (sniff, read_text, open_pdf, _load):
        with pytest.raises(GazetteError) as info:
            fn(fifo)  # opening a FIFO for reading would block forever
        assert info.value.code is Code.E003
