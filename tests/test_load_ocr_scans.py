"""Scanned pages read with OCR: the corpus pages rasterised at 200 dpi into an image-only PDF (built by
``tests/scans/make_scans.py`` into the gitignored ``tests/.cache/``), read back into the same fields.

Two pages keep the test short (OCR costs seconds per page): the first page of the first document (版头,
发文字号, title, 主送) and the page of its indicator table. The full 62-page run is in ``bench/run.py --ocr``.
"""

from __future__ import annotations

import difflib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.check.unsure import downgrade_unsure, mark_ocr_confidence
from pipeline.load.ocr import line_chars, line_sizes, normalise, rules
from pipeline.load.pdfium import pdfium_to_source
from pipeline.options import RunOptions
from pipeline.run import parse_file, source_to_issue
from pipeline.types import LoadedSource, Page
from schemas.model import Evidence, Finding, Issue, Severity, Source
from tests.scans.fields import score_fields
from tests.scans.make_scans import CORPUS_PDF, cached_scan

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "maonan-2022-03.pdf.gt.json"
PAGES = (2, 22)  # 0-based: the head of document 1, its indicator table


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _page_text(page: Page) -> str:
    cells = [c.text for t in page.tables for c in sorted(t.cells, key=lambda c: (c.row, c.col))]
    return _plain("".join(ln.text for ln in page.lines) + "".join(cells))


@pytest.fixture(scope="module")
def scanned() -> LoadedSource:
    return pdfium_to_source(cached_scan(PAGES))


@pytest.fixture(scope="module")
def text_layer() -> LoadedSource:
    return pdfium_to_source(CORPUS_PDF)


@pytest.fixture(scope="module")
def scanned_issue(scanned: LoadedSource) -> Issue:
    return source_to_issue(scanned, "scan", RunOptions())


@pytest.mark.slow
def test_load_ocr_scans_character_accuracy(scanned: LoadedSource, text_layer: LoadedSource) -> None:
    assert [bool(p.ocr_boxes) for p in scanned.pages] == [True, True]
    for k, original in enumerate(PAGES):
        ref = _page_text(text_layer.pages[original])
        got = _page_text(scanned.pages[k])
        ratio = difflib.SequenceMatcher(None, ref, got, autojunk=False).ratio()
        assert ratio >= 0.97, (original, ratio)


@pytest.mark.slow
def test_load_ocr_scans_document_fields(scanned_issue: Issue) -> None:
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))["documents"][0]
    doc = scanned_issue.documents[0]
    assert doc.header == want["header"]
    assert doc.doc_number is not None and doc.doc_number.raw == want["doc_number"]["raw"]
    assert doc.title == want["title"]
    assert doc.recipients == want["recipients"]
    assert doc.source.confidence is not None and 0.5 < doc.source.confidence <= 1.0


@pytest.mark.slow
def test_load_ocr_scans_golden_fields_of_the_slice(scanned_issue: Issue) -> None:
    """The golden fields printed on the slice's first page (document 1 is a one-page notice) are all found
    again, scored with the comparer of the full-corpus measurement (``tests/scans/fields.py``)."""
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    first = {k: v for k, v in golden["documents"][0].items() if k not in ("printed_by", "printed_date", "disclosure")}
    score = score_fields({"documents": [first | {"attachments": []}]}, scanned_issue.model_dump(mode="json"))
    assert (score.right["document"], score.total["document"], score.missed) == (9, 9, [])


@pytest.mark.slow
def test_load_ocr_scans_red_header_is_its_own_line(scanned: LoadedSource) -> None:
    red = [ln for ln in scanned.pages[0].lines if ln.color and ln.color[0] > 0.9 and ln.color[1] < 0.1]
    assert [ln.text for ln in red] == ["茂名市茂南区人民政府文件"]
    black = [ln.text for ln in scanned.pages[0].lines if ln not in red]
    assert not any("人民政府文件" in t for t in black)  # the red ink is not read twice


@pytest.mark.slow
def test_load_ocr_scans_indicator_table(scanned: LoadedSource, text_layer: LoadedSource) -> None:
    (ref,) = text_layer.pages[PAGES[1]].tables
    (got,) = scanned.pages[1].tables
    assert (got.style, got.n_cols) == (ref.style, ref.n_cols)
    ref_cells = {(c.row, c.col): _plain(c.text) for c in ref.cells}
    got_cells = {(c.row, c.col): _plain(c.text) for c in got.cells}
    same = sum(1 for k, v in ref_cells.items() if got_cells.get(k) == v)
    assert same / len(ref_cells) >= 0.95
    assert "下降15%" in got_cells.values()


def test_load_ocr_scans_off_keeps_e006() -> None:
    result = parse_file(cached_scan(PAGES), RunOptions(ocr="off"))
    assert result.issue is None
    assert [e.code for e in result.errors] == ["E006"]


def test_load_ocr_models_ship_in_the_package() -> None:
    """The OCR engine loads with the network blocked: its models come with the installed package."""
    code = (
        "import socket\n"
        "def boom(*a, **k): raise OSError('network blocked')\n"
        "socket.socket.connect = boom\nsocket.create_connection = boom\n"
        "from pipeline.load.ocr import engine\nengine()\nprint('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"


def test_load_ocr_line_chars_split_by_width() -> None:
    chars = line_chars((100.0, 50.0, 130.0, 62.0), "下降15%", 0.9, (0.0, 0.0, 0.0))
    assert [c["text"] for c in chars] == ["下", "降", "1", "5", "%"]
    assert [round(c["x1"] - c["x0"], 2) for c in chars] == [8.57, 8.57, 4.29, 4.29, 4.29]
    assert chars[-1]["x1"] == pytest.approx(130.0)
    assert {c["confidence"] for c in chars} == {0.9}


def test_load_ocr_normalise_document_number_brackets() -> None:
    assert normalise("茂南府【2022］2号") == "茂南府〔2022〕2号"
    assert normalise("某府办函[2021]68号") == "某府办函〔2021〕68号"
    assert normalise("见【附件】") == "见【附件】"


def test_load_ocr_normalise_dash_read_as_one() -> None:
    assert normalise("2016年一2020年") == "2016年—2020年"
    assert normalise("（2021一2025年）每年举办1一2次") == "（2021—2025年）每年举办1—2次"
    assert normalise("2020年一季度，第一章，十一") == "2020年一季度，第一章，十一"  # the ideograph stays


def test_load_ocr_normalise_keeps_punctuation_widths() -> None:
    assert normalise("风险等级,推行企业；加强:") == "风险等级,推行企业；加强:"  # as read: texts mix both widths
    assert normalise("场址及配套设施》（GB21734一") == "场址及配套设施》（GB21734—"  # the line breaks after the dash
    assert normalise("第一章，2020年一") == "第一章，2020年一"


def test_load_ocr_rules_from_pixels() -> None:
    import numpy as np

    ink = np.zeros((400, 600), dtype=bool)
    ink[100:102, 50:550] = True  # a rule 500 px (180 pt) long
    ink[300:302, 50:550] = True
    ink[100:302, 50:52] = True  # a vertical rule between them
    ink[150:190, 300:303] = True  # a character's stroke, touching no rule
    edges = rules(ink, (0.0, 0.0, 0.0))
    assert sorted(e["orientation"] for e in edges) == ["h", "h", "v"]
    v = next(e for e in edges if e["orientation"] == "v")
    assert v["x0"] == pytest.approx(50.5 * 72 / 200)


def _finding(conf: float | None) -> Finding:
    src = Source(pdf_page=1, bbox=[10.0, 10.0, 50.0, 20.0], confidence=conf)
    return Finding(
        code="V101",
        severity=Severity.ERROR,
        message="合计不符",
        location=src,
        evidence=[Evidence(role="table-cell", source=src.model_copy())],
    )


def test_load_ocr_low_confidence_is_to_be_checked() -> None:
    low, high, layer = downgrade_unsure([_finding(0.62), _finding(0.99), _finding(None)], [])
    assert (low.severity, low.message) == (Severity.WARNING, "待核（OCR 置信度 0.62）：合计不符")
    assert high.severity is Severity.ERROR and high.message == "合计不符"
    assert layer.severity is Severity.ERROR


def test_load_ocr_confidence_from_page_boxes() -> None:
    page = Page(
        index=0,
        width=595.0,
        height=842.0,
        ocr_boxes=[((0.0, 0.0, 100.0, 30.0), 0.8, "a"), ((0, 40, 100, 60), 0.99, "b")],
    )
    finding = _finding(None)
    finding.location.bbox = [5.0, 45.0, 20.0, 55.0]
    finding.evidence[0].source.bbox = None  # no box: the lowest confidence of the page
    assert mark_ocr_confidence([finding], [page]) == 2
    assert finding.location.confidence == 0.99
    assert finding.evidence[0].source.confidence == 0.8
    assert Source(page=1).model_dump(mode="json") == {
        "page": 1,
        "pdf_page": None,
        "bbox": None,
        "text": None,
        "line": None,
    }


def test_load_ocr_line_sizes_one_size_for_a_wrapped_title() -> None:
    """A title wrapped over two centred lines reads in one size although the boxes differ (quotation marks
    stand higher); the body line under it, lower by a quarter, keeps its own."""
    boxes = [
        (81.2, 402.8, 519.2, 423.6),  # 茂名市…关于印发茂名市茂南区
        (147.3, 436.3, 455.7, 459.6),  # 应急管理“十四五”规划的通知
        (80.4, 502.1, 512.0, 519.5),  # 各镇人民政府，…:
    ]
    sizes = line_sizes(boxes)
    assert sizes[0] == sizes[1] == pytest.approx(23.2, abs=0.05)
    assert sizes[2] == pytest.approx(18.3, abs=0.05)
