"""Bad OFD/DOCX containers each give their own code, and a batch goes on after them (issue 16)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pipeline.errors import Code, GazetteError
from pipeline.load import guard
from pipeline.load.zipsafe import MAX_XML_BYTES, open_zip, parse_xml, unsafe_name
from pipeline.run import parse_file
from schemas.model import RunStatus, SourceKind
from tests.formats_fixtures import (
    dev_file,
    make_docx,
    make_ofd,
    ofd_members,
    para,
    set_declared_size,
    text_object,
    write_zip,
)

PIFU = dev_file("ofd", "luqiao-health-bureau-pifu-2011-sample.ofd")
GOOD_PAGE = text_object(1, 30, 40, "关于做好测试工作的通知")


def _code(path: Path) -> str | None:
    result = parse_file(path)
    return result.errors[0].code if result.status is RunStatus.FAILURE else None


def test_load_ofd_guards_truncated_zip(tmp_path: Path) -> None:
    path = tmp_path / "cut.ofd"
    data = PIFU.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert _code(path) == "E017"


def test_load_ofd_guards_missing_content_xml(tmp_path: Path) -> None:
    members = ofd_members([GOOD_PAGE])
    del members["Doc_0/Pages/Page_0/Content.xml"]
    path = write_zip(tmp_path / "nopage.ofd", members)
    assert _code(path) == "E014"


def test_load_ofd_guards_missing_document_xml(tmp_path: Path) -> None:
    members = ofd_members([GOOD_PAGE])
    del members["Doc_0/Document.xml"]
    assert _code(write_zip(tmp_path / "nodoc.ofd", members)) == "E014"


def test_load_ofd_guards_traversal_member(tmp_path: Path) -> None:
    members = ofd_members([GOOD_PAGE])
    members["../../x"] = "owned"
    assert _code(write_zip(tmp_path / "evil.ofd", members)) == "E013"


def test_load_ofd_guards_declared_one_gigabyte(tmp_path: Path) -> None:
    path = make_ofd(tmp_path / "bomb.ofd", [GOOD_PAGE])
    set_declared_size(path, "Doc_0/Pages/Page_0/Content.xml", 1 << 30)
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("Doc_0/Pages/Page_0/Content.xml").file_size == 1 << 30
    assert _code(path) == "E012"


def test_load_ofd_guards_compression_ratio(tmp_path: Path) -> None:
    members = ofd_members([GOOD_PAGE])
    members["Doc_0/Res/zeros.bin"] = b"\0" * (8 << 20)  # 8 MiB of zeros deflate ~1000:1
    assert _code(write_zip(tmp_path / "ratio.ofd", members)) == "E012"


def test_load_ofd_guards_entity_expansion_refused(tmp_path: Path) -> None:
    members = ofd_members([GOOD_PAGE])
    lol = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    members["Doc_0/Document.xml"] = str(members["Doc_0/Document.xml"]).replace(
        "<ofd:Document", lol + "<ofd:Document", 1
    )
    assert _code(write_zip(tmp_path / "lol.ofd", members)) == "E015"


def test_load_ofd_guards_docx_entity_and_missing_part(tmp_path: Path) -> None:
    bad = make_docx(tmp_path / "lol.docx", para("正文"), doctype='<!DOCTYPE d [<!ENTITY x "y">]>')
    assert _code(bad) == "E015"
    path = make_docx(tmp_path / "ok.docx", para("正文"))
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp_path / "nodoc.docx", "w") as dst:
        for name in src.namelist():
            if name != "word/document.xml":
                dst.writestr(name, src.read(name))
    assert _code(tmp_path / "nodoc.docx") == "E014"


def test_load_ofd_guards_old_binary_word(tmp_path: Path) -> None:
    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    with pytest.raises(GazetteError) as err:
        guard.sniff(path)
    assert err.value.code is Code.E016
    assert _code(path) == "E016"


def test_load_ofd_guards_kind_by_content_not_extension(tmp_path: Path) -> None:
    docx_named_pdf = make_docx(tmp_path / "report.pdf", para("正文"))
    assert guard.sniff(docx_named_pdf) is SourceKind.DOCX
    ofd_named_txt = make_ofd(tmp_path / "doc.txt", [GOOD_PAGE])
    assert guard.sniff(ofd_named_txt) is SourceKind.OFD
    text_named_ofd = tmp_path / "doc.ofd"
    text_named_ofd.write_text("关于做好测试工作的通知\n", encoding="utf-8")
    assert guard.sniff(text_named_ofd) is SourceKind.TEXT
    plain_zip = write_zip(tmp_path / "a.ofd", {"readme.txt": "x"})
    with pytest.raises(GazetteError) as err:
        guard.sniff(plain_zip)
    assert err.value.code is Code.E003


def test_load_ofd_guards_batch_goes_on(tmp_path: Path) -> None:
    bad = make_ofd(tmp_path / "1-bomb.ofd", [GOOD_PAGE])
    set_declared_size(bad, "OFD.xml", 1 << 30)
    members = ofd_members([GOOD_PAGE])
    members["../../x"] = "x"
    evil = write_zip(tmp_path / "2-evil.ofd", members)
    results = [parse_file(p) for p in (bad, evil, PIFU)]
    assert [r.status for r in results] == [RunStatus.FAILURE, RunStatus.FAILURE, RunStatus.SUCCESS]
    assert [r.errors[0].code for r in results[:2]] == ["E012", "E013"]
    assert all(r.errors[0].file == str(p) for r, p in zip(results[:2], (bad, evil), strict=True))


@pytest.mark.parametrize(
    ("name", "unsafe"),
    [("../../x", True), ("/etc/passwd", True), ("C:/x", True), ("a\\..\\..\\x", True), ("Doc_0/Res/a..b.png", False)],
)
def test_load_ofd_guards_unsafe_names(name: str, unsafe: bool) -> None:
    assert unsafe_name(name) is unsafe


def test_load_ofd_guards_huge_xml_refused() -> None:
    with pytest.raises(GazetteError) as err:
        parse_xml(b"<a>" + b" " * (MAX_XML_BYTES + 1) + b"</a>", "f.ofd", "x.xml")
    assert err.value.code is Code.E015


def test_load_ofd_guards_open_zip_reads_members(tmp_path: Path) -> None:
    path = make_ofd(tmp_path / "ok.ofd", [GOOD_PAGE])
    with open_zip(path) as zf:
        assert zf.find("/Doc_0/document.XML") == "Doc_0/Document.xml"  # absolute and case-folded references
        with pytest.raises(GazetteError) as err:
            zf.read("Doc_0/missing.xml")
        assert err.value.code is Code.E014


def test_load_ofd_guards_composite_expansion_bomb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # six levels of units each drawing the next ten times: 10^6 objects from a few hundred bytes
    monkeypatch.setattr("pipeline.load.ofd.MAX_OBJECTS", 5_000)  # the same check, reached sooner
    units = []
    for k in range(6):
        inner = (
            "".join(f'<ofd:CompositeObject ID="{k}{j}" ResourceID="{k + 1}" Boundary="0 0 1 1"/>' for j in range(10))
            if k < 5
            else '<ofd:TextObject ID="9" Font="10" Size="1" Boundary="0 0 1 1"><ofd:TextCode X="0" Y="1">字</ofd:TextCode></ofd:TextObject>'
        )
        units.append(
            f'<ofd:CompositeGraphicUnit ID="{k}" Width="1" Height="1"><ofd:Content>{inner}</ofd:Content></ofd:CompositeGraphicUnit>'
        )
    page = '<ofd:CompositeObject ID="500" ResourceID="0" Boundary="0 0 10 10"/>' + GOOD_PAGE
    path = make_ofd(tmp_path / "fanout.ofd", [page], composites="".join(units))
    assert _code(path) == "E015"


def test_load_ofd_guards_huge_delta_repeat(tmp_path: Path) -> None:
    huge = " ".join(["g 100000000 1"] * 200)
    page = (
        f'<ofd:TextObject ID="1" Font="10" Size="5" Boundary="20 20 100 10">'
        f'<ofd:TextCode X="0" Y="5" DeltaX="{huge}">关于做好测试工作的通知</ofd:TextCode></ofd:TextObject>'
    )
    result = parse_file(make_ofd(tmp_path / "delta.ofd", [page]))
    assert result.status is not RunStatus.FAILURE
    assert result.issue is not None and result.issue.documents[0].title == "关于做好测试工作的通知"


def test_load_ofd_guards_ingest_batch_finds_and_records(tmp_path: Path) -> None:
    from pipeline.archive.ingest import find_inputs

    inputs = tmp_path / "in"
    inputs.mkdir()
    good = inputs / "a-pifu.ofd"
    good.write_bytes(PIFU.read_bytes())
    make_docx(inputs / "b-notice.docx", para("关于做好测试工作的通知") + para("各单位："))
    (inputs / "c-old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    found = find_inputs(inputs)
    assert [p.name for p in found] == ["a-pifu.ofd", "b-notice.docx", "c-old.doc"]
    codes = [(r.status, [e.code for e in r.errors]) for r in map(parse_file, found)]
    assert codes == [(RunStatus.SUCCESS, []), (RunStatus.SUCCESS, []), (RunStatus.FAILURE, ["E016"])]
