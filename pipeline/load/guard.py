"""Input guards: decide whether a file can be processed at all, and fail early with a coded error if not.

Every guard raises :class:`pipeline.errors.GazetteError` with one of the ``E0xx`` codes and never lets a
library exception (pdfminer, codecs, OS) escape. The loaders (``pipeline/load/``) call them in this order::

    kind = sniff(path)                       # E001 missing, E002 empty, E003 not a PDF / not text, E008
    if kind is SourceKind.TEXT:
        text = read_text(path)               # E008 undecodable, E002 whitespace only
    else:
        with open_pdf(path) as pdf:          # E004 corrupt, E005 password, E010 too many pages
            try:
                ...                          # read the pages
            except pdf_read_errors() as exc:
                raise pdf_error(exc, str(path)) from None   # a page pdfminer cannot read -> E004
        # then, on the pages loaded (no second parse): load/pdf.check_text_layer -> E006 no text (needs
        # OCR), E007 garbled throughout (garbled_ratio >= GARBLED_DOC_RATIO); per page is_garbled -> P105

There is one text-layer check, the loader's, on the text it extracted: a pre-flight is ``run.load``.

Decisions (documented in the README's error table):

- A file is a PDF by its magic bytes (``%PDF-`` within the first 1,024 bytes), never by its extension.
  Anything else is text if it decodes; a ``.pdf`` name does not make text a PDF, nor garbage text.
- Bytes that are not text at all (NUL bytes, many control bytes, a known binary signature) → ``E003``.
  Bytes that look like text (no NULs, few control bytes) but decode to nothing that reads as text
  (mixed encodings, an encoding we cannot identify, mojibake) → ``E008``.
- A directory or other non-regular file → ``E003``; a file that cannot be read (permissions) → ``E001``.
- A PDF whose xref is broken but which pdfminer can rebuild by scanning the file opens normally; so does a
  complete file (ending in ``%%EOF``) whose xref offsets are wrong. A truncated file is E004.
- An encrypted PDF with an empty user password (owner password only) opens normally.
- A PDF without any text is E006 whether its pages carry images (a scan) or nothing (blank pages).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import logging
import re
import struct
import unicodedata
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import Code, GazetteError
from pipeline.i18n import pick
from schemas.model import SourceKind

if TYPE_CHECKING:
    import pdfplumber
    from pdfplumber.page import Page as PdfPage

PDF_MAGIC = re.compile(rb"%PDF-\d\.\d")
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip container: OFD or DOCX by its manifest
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary Office/WPS documents
HEADER_WINDOW = 1024  # readers accept junk before the %PDF- header within the first 1 KiB
SNIFF_WINDOW = 8192  # bytes looked at to tell binary from text

# Known binary signatures, so the E003 reason can say what the file is.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office/OFD document)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office (OLE) document"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
)

MAX_CONTROL_SHARE = 0.05  # control bytes (not \t \n \r \f \v ESC) allowed in text
MIN_CHINESE_SHARE = 0.6  # of the non-ASCII characters, this share must be Chinese-like
MIN_COMMON_HANZI_SHARE = 0.5  # of the CJK ideographs decoded as GB18030, this share must be common ones
MAX_FOREIGN_SHARE = 0.1  # non-ASCII, non-Chinese characters allowed in a mostly-ASCII text
MAX_REPLACEMENT_SHARE = 0.005  # U+FFFD already in the source text (valid UTF-8 of a lossy extraction)
MAX_CHAOS = 0.2  # charset-normalizer's mess ratio accepted for its best guess
GARBLED_PAGE_RATIO = 0.3  # a page text with this share of garbled glyphs is garbled (P105)
GARBLED_DOC_RATIO = 0.5  # the loaded text with this share of garbled glyphs: the whole file is (E007)

_CID = re.compile(r"\(cid:\d{1,9}\)")


# --------------------------------------------------------------------------- sniffing


def sniff(path: Path) -> SourceKind:
    """Tell what kind of source ``path`` is, from its content.

    Reads: the first KiB of the file (PDF), or the whole file (anything else, to try decoding it).
    Returns: ``SourceKind.PDF`` when the file starts with ``%PDF-``; ``SourceKind.OFD``/``DOCX`` for a zip
    container with their manifest (:func:`sniff_zip`); ``SourceKind.TEXT`` when the bytes decode to text
    (see :func:`read_text`). An old binary Word/WPS file (OLE2) is E016: convert it first.
    Raises ``GazetteError``: E001 missing or unreadable, E002 empty (or whitespace-only text), E003 not a
    regular file or binary data that is not a PDF, E008 text in an encoding that cannot be decoded.
    After this, guaranteed: a TEXT file can be read by :func:`read_text` without error.
    """
    shown = str(path)
    _regular_file(path, shown)
    try:
        size = path.stat().st_size
        if size == 0:
            raise GazetteError(Code.E002, shown, "file is empty (0 bytes)")
        with path.open("rb") as fh:
            head = fh.read(HEADER_WINDOW)
    except OSError as exc:
        raise GazetteError(Code.E001, shown, f"cannot be read: {exc.strerror or type(exc).__name__}") from None
    if PDF_MAGIC.search(head):
        return SourceKind.PDF
    if head.startswith(ZIP_MAGIC):
        return sniff_zip(path)
    if head.startswith(OLE2_MAGIC):
        raise GazetteError(
            Code.E016,
            shown,
            pick(
                "旧版二进制 Word/WPS 文档（.doc/.wps）：请先另存为 .docx、.ofd 或 .pdf 再处理",
                "old binary Word/WPS document (.doc/.wps): save it as .docx, .ofd or .pdf first",
            ),
        )
    read_text(path)
    return SourceKind.TEXT


def sniff_zip(path: Path) -> SourceKind:
    """Tell a zip container's kind by its manifest, never by its extension (issue 16).

    Reads: the zip's central directory (checked by ``pipeline.load.zipsafe.open_zip``: E012 bomb, E013
    traversal, E017 corrupt/truncated). Returns ``SourceKind.OFD`` when the package has ``OFD.xml`` at its
    root, ``SourceKind.DOCX`` when it has ``[Content_Types].xml`` and ``word/document.xml``.
    Raises ``GazetteError``: E014 for an Office package without ``word/document.xml``, E003 for any other zip.
    """
    from pipeline.load.zipsafe import open_zip

    shown = str(path)
    with open_zip(path) as zf:
        if zf.has("OFD.xml"):
            return SourceKind.OFD
        if zf.has("[Content_Types].xml"):
            if zf.has("word/document.xml"):
                return SourceKind.DOCX
            if any(n.startswith(("xl/", "ppt/")) for n in zf.names):
                raise GazetteError(
                    Code.E003,
                    shown,
                    pick("不支持的 Office 文档（表格或演示文稿）", "unsupported Office document (not Word)"),
                )
            raise GazetteError(
                Code.E014, shown, pick("Word 文档缺少 word/document.xml", "Word package without word/document.xml")
            )
    raise GazetteError(
        Code.E003, shown, pick("普通 ZIP 压缩包，不是 OFD 或 Word 文档", "a ZIP archive that is neither OFD nor Word")
    )


def _regular_file(path: Path, shown: str) -> None:
    """E001 when ``path`` is missing, E003 when it is not a regular file (a directory, a FIFO that would block)."""
    try:
        if not path.exists():
            raise GazetteError(Code.E001, shown, "file not found")
        if not path.is_file():
            raise GazetteError(Code.E003, shown, "not a regular file")
    except OSError as exc:
        raise GazetteError(Code.E001, shown, f"cannot be read: {exc.strerror or type(exc).__name__}") from None


def _read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes (the first ``limit`` of them when given), every way of failing a coded error:
    E001 missing or unreadable, E003 not a regular file, E002 empty."""
    shown = str(path)
    _regular_file(path, shown)
    try:
        with path.open("rb") as fh:
            data = fh.read() if limit is None else fh.read(limit)
    except FileNotFoundError:
        raise GazetteError(Code.E001, shown, "file not found") from None
    except IsADirectoryError:
        raise GazetteError(Code.E003, shown, "not a regular file") from None
    except OSError as exc:
        raise GazetteError(Code.E001, shown, f"cannot be read: {exc.strerror or type(exc).__name__}") from None
    if not data:
        raise GazetteError(Code.E002, shown, "file is empty (0 bytes)")
    return data


def binary_kind(data: bytes) -> str | None:
    """What binary data ``data`` looks like, or None when it could be text.

    Reads: the first 8 KiB. Returns a short description ("a PNG image", "binary data") for data with a
    known binary signature, a NUL byte, or more than 5 % control bytes; None otherwise. Text with a UTF-16
    or UTF-32 byte-order mark is text (its NUL bytes are part of the encoding).
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    for magic, what in BINARY_SIGNATURES:
        if data.startswith(magic):
            return what
    sample = data[:SNIFF_WINDOW]
    if b"\x00" in sample:
        return "binary data"
    controls = sum(1 for b in sample if b < 0x20 and b not in b"\t\n\r\f\v\x1b") + sample.count(0x7F)
    if controls > MAX_CONTROL_SHARE * len(sample):
        return "binary data"
    return None


# --------------------------------------------------------------------------- text decoding


def _is_chinese_like(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= o <= 0x4DBF  # extension A
        or 0x20000 <= o <= 0x3134F  # extensions B–G
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0x3000 <= o <= 0x303F  # CJK symbols and punctuation 、。〔〕《》
        or 0xFF00 <= o <= 0xFFEF  # full-width forms （），：
        or 0x2000 <= o <= 0x206F  # general punctuation “” — …
        or 0x2150 <= o <= 0x218F  # number forms Ⅰ Ⅱ
        or 0x2460 <= o <= 0x24FF  # enclosed alphanumerics ① ⑴ ⒈
        or 0x2190 <= o <= 0x22FF  # arrows, maths ≤ ≥ ×
        or 0x2500 <= o <= 0x25FF  # box drawing, shapes ■ ○
        or 0x3200 <= o <= 0x32FF  # enclosed CJK ㈠
        or 0xFE30 <= o <= 0xFE4F  # CJK compatibility forms
        or o in (0x00B7, 0x00D7, 0x00F7, 0x00B0, 0x00B1, 0x00A7, 0x2103, 0x2116, 0x2122)  # · × ÷ ° ± § ℃ № ™
    )


def _is_common_hanzi(ch: str) -> bool:
    """True for the 3,755 most common Chinese characters (GB 2312 level 1, lead bytes 0xB0–0xD7)."""
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xB0 <= b[0] <= 0xD7


def text_plausibility(text: str) -> tuple[float, float, float]:
    """Measure how much ``text`` reads like (Chinese) text.

    Returns ``(non_ascii_share, chinese_share, common_hanzi_share)``: the share of non-ASCII characters
    among non-whitespace characters; the share of Chinese-like characters (ideographs, CJK and full-width
    punctuation) among the non-ASCII ones; the share of common characters (GB 2312 level 1) among the
    ideographs. Shares of empty sets are 1.0 (nothing speaks against the text).
    """
    visible = [c for c in text if not c.isspace()]
    non_ascii = [c for c in visible if ord(c) > 0x7F]
    ideographs = [c for c in non_ascii if 0x4E00 <= ord(c) <= 0x9FFF]
    na_share = len(non_ascii) / len(visible) if visible else 0.0
    zh_share = sum(map(_is_chinese_like, non_ascii)) / len(non_ascii) if non_ascii else 1.0
    common = sum(map(_is_common_hanzi, ideographs)) / len(ideographs) if ideographs else 1.0
    return na_share, zh_share, common


def looks_like_text(text: str, *, require_common_hanzi: bool = False) -> bool:
    """Whether decoded ``text`` reads as text rather than mojibake.

    True when it has few replacement characters (U+FFFD, <= 0.5 %: an upstream extraction may have left
    some) and few control characters, and either its non-ASCII
    characters are mostly Chinese-like (>= 60 %) or they are rare (<= 10 % of the visible characters).
    With ``require_common_hanzi`` the ideographs must also be mostly common ones (>= 50 %): GB18030
    decodes many byte strings into rare ideographs, real Chinese text uses common ones.
    """
    replacements = text.count("\ufffd")
    if replacements and replacements > MAX_REPLACEMENT_SHARE * sum(1 for c in text if not c.isspace()):
        return False
    sample = text[: SNIFF_WINDOW * 8]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v\x1b")
    if sample and controls > MAX_CONTROL_SHARE * len(sample):
        return False
    na_share, zh_share, common = text_plausibility(sample)
    if na_share > MAX_FOREIGN_SHARE and zh_share < MIN_CHINESE_SHARE:
        return False
    return not (require_common_hanzi and common < MIN_COMMON_HANZI_SHARE)


def _mostly_utf8(data: bytes) -> bool:
    """True when ``data`` is mostly valid UTF-8 Chinese with some invalid bytes (damage, mixed encodings).

    Only Chinese-like characters count as valid: GBK byte pairs can happen to be valid UTF-8 too, but
    then they decode to Latin letters, not to ideographs.
    """
    decoded = data.decode("utf-8", errors="replace")
    bad = decoded.count("\ufffd")
    good = sum(1 for c in decoded if ord(c) > 0x7F and _is_chinese_like(c))
    return good > 0 and good >= 4 * bad


def decode_text(data: bytes, shown: str = "<bytes>") -> str:
    """Decode the bytes of a text gazette.

    Reads: raw bytes. Tries, in order: a UTF-32/UTF-16 byte-order mark; UTF-8 (with or without BOM);
    GB18030 (a superset of GBK and GB 2312) when it decodes cleanly into mostly common Chinese characters;
    charset-normalizer's best guess when its mess ratio is <= 0.2 and the result reads as text.
    Returns: the text with ``\\r\\n`` and lone ``\\r`` turned into ``\\n`` and no BOM.
    Raises ``GazetteError``: E003 for binary data, E008 when nothing decodes into text.
    After this, guaranteed: U+FFFD is at most 0.5 % of the text (never added by decoding) and, when the text
    is not ASCII, its non-ASCII characters are mostly Chinese-like.
    """
    what = binary_kind(data)
    if what is not None:
        raise GazetteError(Code.E003, shown, f"not a PDF or a text file: looks like {what}")
    text = _decode(data)
    if text is None:
        raise GazetteError(Code.E008, shown, "text encoding cannot be decoded (not UTF-8, GB18030 or a known encoding)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> str | None:
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            # any even run of bytes after a UTF-16 BOM decodes, mostly into rare ideographs: real text uses common ones
            return text if looks_like_text(text, require_common_hanzi=codec != "utf-8-sig") else None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if looks_like_text(text):
            return text
        # GBK pairs such as C4 B3 are also valid UTF-8 (as Latin letters): try the Chinese encodings
    if _mostly_utf8(data):
        return None  # UTF-8 with invalid bytes (mixed encodings or damage): never guess around it
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if looks_like_text(text, require_common_hanzi=True):
            return text
    return _best_guess(data)


def _best_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > MAX_CHAOS:
        return None
    text = str(best)
    needs_common = best.encoding.replace("-", "_").lower() in {"gb18030", "gbk", "gb2312", "hz", "cp936"}
    return text if looks_like_text(text, require_common_hanzi=needs_common) else None


def read_text(path: Path) -> str:
    """Read a text gazette.

    Reads: the whole file. Returns: its text, decoded as in :func:`decode_text`, ``\\n`` line ends.
    Raises ``GazetteError``: E001 missing, E002 empty or whitespace only, E003 binary, E008 undecodable.
    After this, guaranteed: the text has at least one non-whitespace character and no mojibake we can see.
    """
    shown = str(path)
    text = decode_text(_read_bytes(path), shown)
    if not text.strip():
        raise GazetteError(Code.E002, shown, "file is empty (whitespace only)")
    return text


# --------------------------------------------------------------------------- PDF


def pdf_read_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean "this PDF cannot be read" (pdfminer's and those it lets through).

    pdfplumber wraps errors raised while opening in ``PdfminerException``; reading pages later can raise
    pdfminer's own ``PSException`` family (``PSEOF``, ``PDFSyntaxError``, ``PDFNoValidXRef`` …) and, on
    malformed objects, a few built-in ones. The loader catches exactly these around page reads.
    """
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    return (
        PdfminerException,
        MalformedPDFException,
        PSException,  # base of PSEOF, PSSyntaxError, PDFException, PDFSyntaxError, PDFNoValidXRef …
        zlib.error,
        struct.error,
        EOFError,
        KeyError,
        IndexError,
        TypeError,
        ValueError,
        AttributeError,
        AssertionError,
        RecursionError,
    )


def pdf_error(exc: BaseException, shown: str) -> GazetteError:
    """The coded error for one of :func:`pdf_read_errors`: E005 for encryption problems, E004 otherwise.

    For the loader: ``except guard.pdf_read_errors() as exc: raise guard.pdf_error(exc, str(path)) from None``
    around the page loop, so a page that pdfminer cannot read is E004, not an internal error.
    """
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return GazetteError(Code.E005, shown, "encrypted PDF: a password is needed to open it")
    if isinstance(cause, PDFEncryptionError):
        return GazetteError(Code.E005, shown, f"encrypted PDF that cannot be opened ({type(cause).__name__})")
    detail = str(cause).strip()[:120] or type(cause).__name__
    return GazetteError(Code.E004, shown, f"corrupt or truncated PDF: {detail}")


def _open_counted(source: Path | io.BytesIO) -> pdfplumber.PDF:
    """Open with pdfplumber and build the page list; E004/E005 (with an empty path) on failure or no page."""
    import pdfplumber

    errors = pdf_read_errors()
    try:
        pdf = pdfplumber.open(source)
    except errors as exc:
        raise pdf_error(exc, "") from None
    try:
        n_pages = len(pdf.pages)
    except errors as exc:
        _close_quietly(pdf)
        raise pdf_error(exc, "") from None
    if n_pages == 0:
        _close_quietly(pdf)
        raise GazetteError(Code.E004, "", "corrupt PDF: no page could be read")
    return pdf


def _close_quietly(pdf: pdfplumber.PDF) -> None:
    """Close a PDF whose page tree may be broken (``PDF.close`` walks the pages and can raise again)."""
    if not pdf.stream_is_external:
        pdf.stream.close()


_STARTXREF = re.compile(rb"(startxref\s+)(\d+)")


def _open_rebuilt(path: Path) -> pdfplumber.PDF | None:
    """Retry a complete PDF whose xref is wrong by making pdfminer rebuild it from the objects.

    Only a file that ends with ``%%EOF`` (not truncated) is retried: its ``startxref`` keyword is disabled
    in an in-memory copy (offset replaced by non-digits), so pdfminer's fallback scans the file for objects
    (what viewers do to repair it).
    Returns the opened PDF, or None when that does not give a readable page either.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"%%EOF" not in data[-HEADER_WINDOW:] or not _STARTXREF.search(data[-HEADER_WINDOW * 4 :]):
        return None
    patched = _STARTXREF.sub(lambda m: m.group(1) + b"x" * len(m.group(2)), data)
    try:
        return _open_counted(io.BytesIO(patched))
    except GazetteError:
        return None


def open_pdf(path: Path, max_pages: int | None = None) -> pdfplumber.PDF:
    """Open a PDF with pdfplumber, turning every way it can fail into a coded error.

    Reads: the file's header, xref and page tree (not the page contents).
    Returns: an open ``pdfplumber.PDF`` (use it as a context manager; the caller closes it) whose page list
    has been built.
    Raises ``GazetteError``: E001 missing, E002 empty, E003 not a PDF, E004 corrupt/truncated/no pages,
    E005 encrypted with a user password, E010 more than ``max_pages`` pages.
    After this, guaranteed: ``len(pdf.pages) >= 1``. Not errors: a broken xref that pdfminer recovers from,
    wrong xref offsets in a complete file (ends with ``%%EOF``; the xref is rebuilt by scanning the objects,
    see :func:`_open_rebuilt`), and an encryption with an empty user password.
    """
    shown = str(path)
    head = _read_bytes(path, HEADER_WINDOW)
    if not PDF_MAGIC.search(head):
        raise GazetteError(Code.E003, shown, "not a PDF (no %PDF- header)")
    try:
        pdf = _open_counted(path)
    except GazetteError as first:
        if first.code is not Code.E004:
            raise GazetteError(first.code, shown, first.reason) from None
        rebuilt = _open_rebuilt(path)
        if rebuilt is None:
            raise GazetteError(first.code, shown, first.reason) from None
        pdf = rebuilt
    n_pages = len(pdf.pages)
    if max_pages is not None and n_pages > max_pages:
        _close_quietly(pdf)
        raise GazetteError(Code.E010, shown, f"{n_pages} pages, more than the limit of {max_pages}")
    return pdf


# --------------------------------------------------------------------------- text layer


def _is_garbled_char(ch: str) -> bool:
    o = ord(ch)
    return o == 0xFFFD or 0xE000 <= o <= 0xF8FF or o >= 0xF0000


def garbled_ratio(text: str) -> float:
    """Share of garbled glyphs in extracted text.

    Reads: text as pdfplumber extracts it. A ``(cid:NNN)`` sequence counts as one garbled glyph, as does
    each private-use character and U+FFFD. Returns: garbled glyphs / visible glyphs (0.0 for no glyphs).
    Linear in the length of ``text``.
    """
    n_cid = 0
    pieces: list[str] = []
    pos = 0
    for m in _CID.finditer(text):
        n_cid += 1
        pieces.append(text[pos : m.start()])
        pos = m.end()
    pieces.append(text[pos:])
    rest = "".join(pieces)
    visible = sum(1 for c in rest if not c.isspace())
    bad = sum(1 for c in rest if _is_garbled_char(c))
    total = visible + n_cid
    return (bad + n_cid) / total if total else 0.0


def is_garbled(text: str, threshold: float = GARBLED_PAGE_RATIO) -> bool:
    """Whether ``text`` (one page's extracted text) is garbled: ``garbled_ratio(text) >= threshold``."""
    return garbled_ratio(text) >= threshold


# --------------------------------------------------------------------------- lost content


class _LostContent(logging.Handler):
    """Collects pdfminer's reports that content was lost: a stream that failed to decompress (``Data-loss while
    decompressing corrupted data``) and every error-level report (an object it could not read)."""

    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            message = record.getMessage()
            if record.levelno >= logging.ERROR or "Data-loss" in message:
                self.sink.append(message[:200])


@contextlib.contextmanager
def lost_content() -> Iterator[list[str]]:
    """Collect, while the block runs, what pdfminer reports as lost content (never only a line on stderr).

    Yields: the list the messages are appended to (deduplicated by the caller if it wants). While the block
    runs, those reports reach this list instead of stderr.
    """
    sink: list[str] = []
    handler = _LostContent(sink)
    logger = logging.getLogger("pdfminer")
    logger.addHandler(handler)
    try:
        yield sink
    finally:
        logger.removeHandler(handler)


def vanished_streams(page: PdfPage) -> int:
    """How many content streams of a (read) page had bytes but decoded to nothing: pdfminer drops a stream
    that fails to decompress silently, and the page's text layer vanishes with it. 0 when it cannot tell."""
    from pdfminer.pdftypes import PDFStream, resolve1

    lost = 0
    with contextlib.suppress(Exception):
        for ref in getattr(page.page_obj, "contents", None) or []:
            stream = resolve1(ref)
            if not isinstance(stream, PDFStream):
                continue
            length = resolve1(stream.attrs.get("Length", 0))
            if isinstance(length, int) and length > 0 and not stream.get_data():
                lost += 1
    return lost
