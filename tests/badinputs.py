"""Generators of bad (and a few good) input files for the guard, robustness and fuzz tests.

Each ``make_*`` function writes one file into ``out`` (a directory) and returns its path. Files are
generated from the real corpus or built with pymupdf/reportlab, so nothing binary needs committing.
``CASES`` lists every bad input with the code the guards must give it (None: the file opens and is
processed). Paths are resolved from this file, never from the working directory.
"""

from __future__ import annotations

import random
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS_PDF = ROOT / "corpus" / "maonan-2022-03.pdf"
CORPUS_TXT = ROOT / "corpus" / "maonan-2022-03.txt"

# An ideograph of CJK extension A: encodable in GB18030 (four bytes), not in GBK.
OUTSIDE_GBK = "䶮"

HOSTILE_PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    '=HYPERLINK("http://x.invalid","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
)
LONG_LINE_CHARS = 200_000

GAZETTE_LINES = (
    "某某市人民政府关于印发某某市应急管理规划的通知",
    "某府〔2022〕2号",
    "各镇人民政府，各街道办事处，市府直属和驻市各单位：",
    "现将《某某市应急管理规划》印发给你们，请认真组织实施。",
    "某某市人民政府",
    "2022年1月24日",
)


def _pymupdf():  # type: ignore[no-untyped-def]
    import pymupdf

    return pymupdf


def _text_pdf_doc(lines: tuple[str, ...] = GAZETTE_LINES, pages: int = 1, fontname: str = "china-s"):  # type: ignore[no-untyped-def]
    """A pymupdf document with ``lines`` of Chinese text on each of ``pages`` A4 pages."""
    fitz = _pymupdf()
    doc = fitz.open()
    for _ in range(pages):
        page = doc.new_page(width=595, height=842)
        for i, line in enumerate(lines):
            page.insert_text((72, 100 + 24 * i), line, fontname=fontname, fontsize=12)
    return doc


def minimal_pdf(pages: tuple[str, ...] = ("Gazette 2022 No. 3", "Notice on the plan"), deflate: bool = False) -> bytes:
    """A small valid PDF written byte by byte (Helvetica text, one line per page), independent of library versions.

    Used where tests need the exact same bytes everywhere (seeded mutation fuzzing).
    """
    import zlib

    objs: list[bytes] = [b"<</Type/Catalog/Pages 2 0 R>>", b""]  # the page tree is filled in below
    kids = []
    for text in pages:
        content = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("latin-1")
        if deflate:
            content = zlib.compress(content, 9)
            stream = b"<</Length %d/Filter/FlateDecode>>stream\n" % len(content) + content + b"\nendstream"
        else:
            stream = b"<</Length %d>>stream\n" % len(content) + content + b"\nendstream"
        objs.append(stream)
        content_no = len(objs)
        objs.append(
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 %d 0 R>>>>/Contents %d 0 R>>"
            % (len(pages) * 2 + 3, content_no)
        )
        kids.append(len(objs))
    objs[1] = b"<</Type/Pages/Count %d/Kids[%s]>>" % (len(kids), b" ".join(b"%d 0 R" % k for k in kids))
    objs.append(b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


# --------------------------------------------------------------------------- empty and garbage


def make_empty_pdf(out: Path) -> Path:
    path = out / "empty.pdf"
    path.write_bytes(b"")
    return path


def make_empty_txt(out: Path) -> Path:
    path = out / "empty.txt"
    path.write_bytes(b"")
    return path


def make_whitespace_txt(out: Path) -> Path:
    path = out / "whitespace.txt"
    path.write_text(" \n\t\r\n\u3000\n  \n", encoding="utf-8")
    return path


def make_garbage_pdf(out: Path) -> Path:
    path = out / "garbage.pdf"
    path.write_bytes(random.Random(1).randbytes(20_000))
    return path


def make_garbage_txt(out: Path) -> Path:
    path = out / "garbage.txt"
    path.write_bytes(random.Random(2).randbytes(20_000))
    return path


def make_png_named_pdf(out: Path) -> Path:
    fitz = _pymupdf()
    pix = fitz.Pixmap(fitz.csGRAY, fitz.IRect(0, 0, 32, 32), False)
    path = out / "image-named.pdf"
    path.write_bytes(pix.tobytes("png"))
    return path


def make_high_bytes_txt(out: Path) -> Path:
    """Bytes 0x80–0xFF only: plausibly text (no NUL, no control bytes) in no encoding that reads as text."""
    rng = random.Random(3)
    path = out / "unknown-encoding.txt"
    path.write_bytes(bytes(rng.randrange(0x80, 0x100) for _ in range(6000)))
    return path


def make_mixed_encoding_txt(out: Path) -> Path:
    """The corpus text with its first part in GBK and the rest in UTF-8 (a bad concatenation)."""
    text = CORPUS_TXT.read_text(encoding="utf-8")
    cut = len(text) // 3
    path = out / "mixed-encoding.txt"
    path.write_bytes(text[:cut].encode("gbk") + text[cut:].encode("utf-8"))
    return path


# --------------------------------------------------------------------------- text encodings (good)


def make_gbk_txt(out: Path) -> Path:
    path = out / "gazette-gbk.txt"
    path.write_bytes(CORPUS_TXT.read_text(encoding="utf-8").encode("gbk"))
    return path


def gb18030_text() -> str:
    """The corpus text with a character outside GBK added to its first heading line."""
    text = CORPUS_TXT.read_text(encoding="utf-8")
    return text.replace("目 录", f"目 录 {OUTSIDE_GBK}", 1)


def make_gb18030_txt(out: Path) -> Path:
    path = out / "gazette-gb18030.txt"
    path.write_bytes(gb18030_text().encode("gb18030"))
    return path


def make_utf8_bom_crlf_txt(out: Path) -> Path:
    path = out / "gazette-bom-crlf.txt"
    text = CORPUS_TXT.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return path


def make_utf16_txt(out: Path) -> Path:
    path = out / "gazette-utf16.txt"
    path.write_bytes(CORPUS_TXT.read_text(encoding="utf-8").encode("utf-16"))
    return path


def make_odd_path_txt(out: Path) -> Path:
    """The corpus text at a path with spaces and Chinese characters."""
    folder = out / "政府 公报 folder"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "某某 区 2022年 第3期.txt"
    shutil.copyfile(CORPUS_TXT, path)
    return path


# --------------------------------------------------------------------------- PDFs


def make_truncated_pdf(out: Path) -> Path:
    data = CORPUS_PDF.read_bytes()
    path = out / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


def make_header_only_pdf(out: Path) -> Path:
    path = out / "header-only.pdf"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    return path


def make_broken_startxref_pdf(out: Path) -> Path:
    """The corpus PDF with its ``startxref`` offset pointing into the middle of the file (recoverable)."""
    data = bytearray(CORPUS_PDF.read_bytes())
    m = list(re.finditer(rb"startxref\s+(\d+)", bytes(data)))[-1]
    digits = m.group(1)
    data[m.start(1) : m.end(1)] = str(int(digits) // 2).rjust(len(digits), "0").encode()
    path = out / "broken-startxref.pdf"
    path.write_bytes(bytes(data))
    return path


def make_zeroed_xref_pdf(out: Path) -> Path:
    """A small uncompressed PDF whose xref table offsets are all zero (pdfminer rebuilds it by scanning)."""
    data = _text_pdf_doc().tobytes(garbage=0, deflate=False, no_new_id=True)
    data = re.sub(rb"\d{10} (\d{5}) n", rb"0000000000 \1 n", data)
    path = out / "zeroed-xref.pdf"
    path.write_bytes(data)
    return path


def make_unrecoverable_xref_pdf(out: Path) -> Path:
    """A PDF with a bogus ``startxref`` and no recognisable objects left to rebuild the xref from."""
    data = _text_pdf_doc().tobytes(garbage=0, deflate=False, no_new_id=True)
    data = re.sub(rb"(\d+) (\d+) obj", rb"\1 \2 ojb", data)
    data = re.sub(rb"startxref\s+\d+", b"startxref\n999999", data)
    path = out / "unrecoverable-xref.pdf"
    path.write_bytes(data)
    return path


def make_encrypted_user_pdf(out: Path) -> Path:
    fitz = _pymupdf()
    path = out / "encrypted-user.pdf"
    _text_pdf_doc().save(path, encryption=fitz.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    return path


def make_encrypted_owner_pdf(out: Path) -> Path:
    """Encrypted with an owner password and an empty user password: opens without a password."""
    fitz = _pymupdf()
    path = out / "encrypted-owner-only.pdf"
    _text_pdf_doc().save(path, encryption=fitz.PDF_ENCRYPT_AES_256, user_pw="", owner_pw="owner", permissions=0)
    return path


def make_image_only_pdf(out: Path, pages: int = 2) -> Path:
    """A 'scanned' PDF: each page is one grey image, no text."""
    fitz = _pymupdf()
    doc = fitz.open()
    pix = fitz.Pixmap(fitz.csGRAY, fitz.IRect(0, 0, 200, 280), False)
    pix.set_rect(pix.irect, (200,))
    pix.set_rect(fitz.IRect(20, 20, 180, 40), (30,))
    for _ in range(pages):
        page = doc.new_page(width=595, height=842)
        page.insert_image(page.rect, pixmap=pix)
    path = out / "image-only.pdf"
    doc.save(path)
    return path


def make_blank_pdf(out: Path) -> Path:
    """Two blank pages: no text, no image."""
    fitz = _pymupdf()
    doc = fitz.open()
    doc.new_page(width=595, height=842)
    doc.new_page(width=595, height=842)
    path = out / "blank.pdf"
    doc.save(path)
    return path


def _reportlab_pdf(path: Path, lines: list[str], title_size: int = 18) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    y = 780.0
    for i, line in enumerate(lines):
        c.setFont("Helvetica-Bold" if i == 0 else "Helvetica", title_size if i == 0 else 11)
        c.drawString(60, y, line)
        y -= 28 if i == 0 else 16
    c.showPage()
    c.save()
    return path


def make_invoice_pdf(out: Path) -> Path:
    """A valid PDF that is not a gazette: an English invoice."""
    lines = [
        "INVOICE",
        "Invoice No. 2022-0417        Date: 17 April 2022",
        "Bill to: Example Trading Ltd, 12 Harbour Road, Springfield",
        "Item                          Qty      Unit price      Amount",
        "Consulting services            10          120.00     1200.00",
        "Travel expenses                 1          310.50      310.50",
        "Subtotal                                             1510.50",
        "VAT 20%                                               302.10",
        "Total due                                            1812.60",
        "Payment within 30 days to account GB00 0000 0000 0000.",
    ]
    return _reportlab_pdf(out / "invoice.pdf", lines)


def make_paper_pdf(out: Path) -> Path:
    """A valid PDF that is not a gazette: the first page of an English research paper."""
    lines = [
        "On the Stability of Layered Table Detection",
        "A. Author and B. Author, Department of Examples, Example University",
        "Abstract. We study how ruled and three-line tables can be detected in scanned and born-digital",
        "documents. Section 1 introduces the problem; Section 2 reviews related work; Section 3 presents",
        "our method, and Section 4 reports results on 1,204 pages (precision 0.93, recall 0.88).",
        "1 Introduction",
        "Tables carry much of the quantitative content of official publications [1, 2].",
        "References",
        "[1] Smith, J. (2019). Tables in the wild. Journal of Document Analysis, 12(3), 45-67.",
    ]
    return _reportlab_pdf(out / "paper.pdf", lines)


def _strip_to_unicode(doc, fontname_prefix: str = "") -> None:  # type: ignore[no-untyped-def]
    """Make the Type0 fonts of ``doc`` undecodable: Identity-H encoding, no ToUnicode, unknown ordering."""
    for xref in range(1, doc.xref_length()):
        if doc.xref_get_key(xref, "Type")[1] != "/Font":
            continue
        base = doc.xref_get_key(xref, "BaseFont")[1]
        if fontname_prefix and not base.startswith("/" + fontname_prefix):
            continue
        subtype = doc.xref_get_key(xref, "Subtype")[1]
        if subtype == "/Type0":
            doc.xref_set_key(xref, "Encoding", "/Identity-H")
            doc.xref_set_key(xref, "ToUnicode", "null")
        elif subtype.startswith("/CIDFont"):
            doc.xref_set_key(xref, "CIDSystemInfo", "<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>")


def make_cid_pdf(out: Path, pages: int = 3) -> Path:
    """A Chinese text PDF whose fonts have no ToUnicode map: every glyph extracts as ``(cid:NNN)``.

    reportlab's ``UnicodeCIDFont('STSong-Light')`` is not enough (its UniGB-UCS2-H CMap still decodes),
    so the fonts of a pymupdf-generated PDF are rewritten to Identity-H without ToUnicode.
    """
    doc = _text_pdf_doc(pages=pages)
    _strip_to_unicode(doc)
    path = out / "no-tounicode.pdf"
    doc.save(path)
    return path


def make_partly_garbled_pdf(out: Path) -> Path:
    """Five pages: pages 1, 3, 4, 5 readable (font china-s), page 2 garbled (font china-t without ToUnicode)."""
    fitz = _pymupdf()
    doc = fitz.open()
    for i in range(5):
        page = doc.new_page(width=595, height=842)
        font = "china-t" if i == 1 else "china-s"
        for j, line in enumerate(GAZETTE_LINES):
            page.insert_text((72, 100 + 24 * j), line, fontname=font, fontsize=12)
    _strip_to_unicode(doc, fontname_prefix="Fangti")
    path = out / "partly-garbled.pdf"
    doc.save(path)
    return path


def make_corpus_slice_pdf(out: Path, first: int = 0, last: int = 5, name: str = "slice.pdf") -> Path:
    """PDF pages ``first``..``last`` (0-based, inclusive) of the corpus PDF: a small real gazette."""
    fitz = _pymupdf()
    src = fitz.open(CORPUS_PDF)
    doc = fitz.open()
    doc.insert_pdf(src, from_page=first, to_page=last)
    path = out / name
    doc.save(path, garbage=3, deflate=True)
    return path


def make_odd_path_pdf(out: Path) -> Path:
    """A small real gazette PDF at a path with spaces and Chinese characters."""
    folder = out / "政府 公报 pdf"
    folder.mkdir(parents=True, exist_ok=True)
    return make_corpus_slice_pdf(folder, name="某某 区 2022年 第3期.pdf")


_BIG_CACHE = Path(tempfile.gettempdir()) / "gazette-badinputs-cache"


def make_big_pdf(out: Path, pages: int = 1000) -> Path:
    """A ``pages``-page PDF (one small text page repeated). Built once per machine and cached in the temp dir."""
    fitz = _pymupdf()
    _BIG_CACHE.mkdir(parents=True, exist_ok=True)
    cached = _BIG_CACHE / f"big-{pages}.pdf"
    if not cached.exists():
        one = _text_pdf_doc()
        doc = fitz.open()
        for _ in range(pages):
            doc.insert_pdf(one)
        tmp = cached.with_suffix(f".{random.Random().randrange(1 << 30)}.tmp")
        doc.save(tmp)
        tmp.replace(cached)  # atomic: parallel test workers never see a half-written file
    path = out / f"big-{pages}.pdf"
    shutil.copyfile(cached, path)
    return path


# --------------------------------------------------------------------------- hostile text


def hostile_text() -> str:
    """The corpus text with script/markup/template/formula payloads injected, plus one 200,000-character line.

    Payloads go into every 印发…的通知 title line (TOC and document), the first 主送 line, the first
    three rows of each table (a cell gets markup appended, another cell starts with a CSV formula
    character) and a paragraph made of one very long line.
    """
    text = CORPUS_TXT.read_text(encoding="utf-8")
    payload = "".join(HOSTILE_PAYLOADS[:3])
    out: list[str] = []
    done_body = False
    table_rows = 0
    for line in text.split("\n"):
        if line.count("\t") >= 2:
            table_rows += 1
            cells = line.split("\t")
            if table_rows <= 3 and len(cells[-2].strip()) > 0:
                cells[-2] = cells[-2] + HOSTILE_PAYLOADS[0] + HOSTILE_PAYLOADS[2]
                if cells[0].strip():
                    cells[0] = HOSTILE_PAYLOADS[3 + table_rows % 4] + cells[0]
            line = "\t".join(cells)
        else:
            table_rows = 0
            if "印发" in line and line.strip().endswith("的通知"):
                line = line.replace("的通知", f"{payload}的通知", 1)
            elif not done_body and line.startswith("各镇人民政府"):
                line = line + payload
                done_body = True
        out.append(line)
    unit = "长" * 1000 + HOSTILE_PAYLOADS[0] + HOSTILE_PAYLOADS[1]
    long_line = (unit * (LONG_LINE_CHARS // len(unit) + 1))[:LONG_LINE_CHARS]
    at = next((i for i, line in enumerate(out) if line.startswith("各镇人民政府")), 0) + 2
    out.insert(at, long_line)
    return "\n".join(out)


def make_hostile_txt(out: Path) -> Path:
    path = out / "hostile.txt"
    path.write_text(hostile_text(), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Case:
    """A generated input and what the guards must say about it (``code`` None: processed normally)."""

    name: str
    make: Callable[[Path], Path]
    code: str | None
    kind: str | None = None  # "pdf" | "text" when sniff succeeds


CASES: tuple[Case, ...] = (
    Case("empty-pdf", make_empty_pdf, "E002"),
    Case("empty-txt", make_empty_txt, "E002"),
    Case("whitespace-txt", make_whitespace_txt, "E002"),
    Case("garbage-pdf", make_garbage_pdf, "E003"),
    Case("garbage-txt", make_garbage_txt, "E003"),
    Case("png-named-pdf", make_png_named_pdf, "E003"),
    Case("high-bytes-txt", make_high_bytes_txt, "E008"),
    Case("mixed-encoding-txt", make_mixed_encoding_txt, "E008"),
    Case("truncated-pdf", make_truncated_pdf, "E004", "pdf"),
    Case("header-only-pdf", make_header_only_pdf, "E004", "pdf"),
    Case("unrecoverable-xref-pdf", make_unrecoverable_xref_pdf, "E004", "pdf"),
    Case("encrypted-user-pdf", make_encrypted_user_pdf, "E005", "pdf"),
    Case("image-only-pdf", make_image_only_pdf, "E006", "pdf"),
    Case("blank-pdf", make_blank_pdf, "E006", "pdf"),
    Case("no-tounicode-pdf", make_cid_pdf, "E007", "pdf"),
    Case("broken-startxref-pdf", make_broken_startxref_pdf, None, "pdf"),
    Case("zeroed-xref-pdf", make_zeroed_xref_pdf, None, "pdf"),
    Case("encrypted-owner-pdf", make_encrypted_owner_pdf, None, "pdf"),
    Case("partly-garbled-pdf", make_partly_garbled_pdf, None, "pdf"),
    Case("invoice-pdf", make_invoice_pdf, None, "pdf"),
    Case("paper-pdf", make_paper_pdf, None, "pdf"),
    Case("odd-path-pdf", make_odd_path_pdf, None, "pdf"),
    Case("gbk-txt", make_gbk_txt, None, "text"),
    Case("gb18030-txt", make_gb18030_txt, None, "text"),
    Case("utf8-bom-crlf-txt", make_utf8_bom_crlf_txt, None, "text"),
    Case("utf16-txt", make_utf16_txt, None, "text"),
    Case("odd-path-txt", make_odd_path_txt, None, "text"),
    Case("hostile-txt", make_hostile_txt, None, "text"),
)

FATAL_CASES = tuple(c for c in CASES if c.code is not None)
OPENING_CASES = tuple(c for c in CASES if c.code is None)


def make_all(out: Path) -> dict[str, Path]:
    """Generate every case of ``CASES`` into ``out``; returns name → path."""
    out.mkdir(parents=True, exist_ok=True)
    return {c.name: c.make(out) for c in CASES}


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="badinputs-"))
    for name, p in make_all(target).items():
        print(f"{name}\t{p}")
