"""Text decoding guard: UTF-8 / GB18030 / GBK / UTF-16 read back to the corpus text; mojibake is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import Code, GazetteError
from pipeline.load.guard import decode_text, looks_like_text, read_text, text_plausibility
from tests.badinputs import (
    CORPUS_TXT,
    OUTSIDE_GBK,
    gb18030_text,
    make_gb18030_txt,
    make_gbk_txt,
    make_odd_path_txt,
    make_utf8_bom_crlf_txt,
    make_utf16_txt,
)

CORPUS = CORPUS_TXT.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "make",
    [make_gbk_txt, make_utf8_bom_crlf_txt, make_utf16_txt, make_odd_path_txt],
    ids=["gbk", "utf8-bom-crlf", "utf16", "odd-path"],
)
def test_guard_text_encodings_read_back_to_corpus(make, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = read_text(make(tmp_path))
    assert text == CORPUS
    assert "\r" not in text and not text.startswith("\ufeff")
    assert "茂名市茂南区人民政府公报" in text


def test_guard_text_gb18030_keeps_char_outside_gbk(tmp_path: Path) -> None:
    with pytest.raises(UnicodeEncodeError):
        OUTSIDE_GBK.encode("gbk")
    text = read_text(make_gb18030_txt(tmp_path))
    assert text == gb18030_text()
    assert f"目 录 {OUTSIDE_GBK}" in text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"a\r\nb\rc\n", "a\nb\nc\n"),
        (b"\xef\xbb\xbf\xe5\x85\xac\xe6\x8a\xa5", "公报"),
        ("第一章 总则\r\n".encode("gb18030"), "第一章 总则\n"),
        ("（一）加强领导。".encode("gbk"), "（一）加强领导。"),
        (b"plain ASCII gazette 2022\n", "plain ASCII gazette 2022\n"),
    ],
)
def test_guard_text_decode_inline(raw: bytes, expected: str) -> None:
    assert decode_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"\x00\x01\x02\x03binary", Code.E003),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, Code.E003),
        (b"PK\x03\x04" + b"docx", Code.E003),
        (CORPUS.encode("utf-8")[:3000] + "政府".encode("gbk") + CORPUS.encode("utf-8")[3000:6000], Code.E008),
        (bytes(range(0x80, 0x100)) * 20, Code.E008),
        ("公报".encode() + b"\xff\xfe\xfd" * 40, Code.E008),
    ],
    ids=["nul-bytes", "png", "zip", "utf8-with-gbk-patch", "high-bytes", "utf8-then-junk"],
)
def test_guard_text_decode_refuses(raw: bytes, code: Code) -> None:
    with pytest.raises(GazetteError) as info:
        decode_text(raw)
    assert info.value.code is code


def test_guard_text_utf8_read_as_gb18030_is_mojibake() -> None:
    moji = CORPUS[:4000].encode("utf-8").decode("gb18030", errors="ignore")
    assert not looks_like_text(moji, require_common_hanzi=True)
    assert looks_like_text(CORPUS, require_common_hanzi=True)


def test_guard_text_plausibility_of_corpus() -> None:
    na, zh, common = text_plausibility(CORPUS)
    assert na > 0.8 and zh > 0.99 and common > 0.99


def test_guard_text_few_replacement_chars_from_source_are_kept() -> None:
    text = CORPUS[:5000] + "\ufffd"
    assert decode_text(text.encode("utf-8")) == text
    with pytest.raises(GazetteError) as info:
        decode_text(("公报\ufffd" * 100).encode("utf-8"))
    assert info.value.code is Code.E008


def test_guard_text_latin1_english_is_decoded() -> None:
    raw = ("Résumé of the council meeting, café owners attended. " * 20).encode("latin-1")
    assert decode_text(raw).startswith("Résumé of the council")


CJK_TEXT = st.text(
    alphabet=st.sampled_from(
        list("某市人民政府关于印发规划的通知第一章总则年月日〔〕（）、。，：；“”0123456789 abcXYZ\n\t")
    ),
    min_size=1,
    max_size=400,
)


@given(CJK_TEXT)
@settings(max_examples=150, deadline=None)
def test_guard_text_roundtrip_utf8_and_gb18030(text: str) -> None:
    assert decode_text(text.encode("utf-8")) == text
    encoded = text.encode("gb18030")
    if any(ord(c) > 0x7F for c in text):
        assert decode_text(encoded) == text


@given(st.binary(max_size=3000))
@settings(max_examples=300, deadline=None)
def test_guard_text_decode_never_raises_other_errors(raw: bytes) -> None:
    try:
        text = decode_text(raw)
    except GazetteError as exc:
        assert exc.code in (Code.E003, Code.E008)
    else:
        assert "\r" not in text
        assert text.count("\ufffd") <= 0.005 * len(text)
