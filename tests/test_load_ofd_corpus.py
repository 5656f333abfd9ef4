"""The OFD loader on the three real dev files: a red-header 批复 with a seal, a certificate form, a
multi-column magazine article whose text lives in CompositeObject resources (issue 16)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from pipeline.load.ofd import ofd_to_source
from pipeline.run import parse_file
from schemas.model import RunResult, RunStatus, SourceKind
from tests.formats_fixtures import dev_file

PIFU = dev_file("ofd", "luqiao-health-bureau-pifu-2011-sample.ofd")
CERT = dev_file("ofd", "lincang-land-presite-certificate-2022.ofd")
ARTICLE = dev_file("ofd", "zhongguo-dangan-2019-3-article.ofd")


@pytest.fixture(scope="module")
def pifu() -> RunResult:
    return parse_file(PIFU)


def test_load_ofd_pifu_elements(pifu: RunResult) -> None:
    assert pifu.status is RunStatus.SUCCESS, pifu.errors
    assert pifu.issue is not None
    assert pifu.issue.source.kind is SourceKind.OFD
    assert pifu.issue.source.pages == 2
    [doc] = pifu.issue.documents
    assert doc.header == "测试符路桥区卫生局文件"
    assert doc.doc_number is not None
    assert (doc.doc_number.raw, doc.doc_number.org, doc.doc_number.year, doc.doc_number.serial) == (
        "路卫发〔2011〕76号",
        "路卫发",
        2011,
        76,
    )
    assert doc.title == "关于同意张阿三同志辞职的批复"
    assert doc.recipients == ["区中医院"]
    assert doc.signature == "测试符路桥区卫生局办公室"
    assert doc.date == dt.date(2011, 3, 10)
    assert (doc.printed_by, doc.printed_date) == ("测试符路桥区卫生局办公室", dt.date(2011, 3, 10))
    cited = [(c.title, c.doc_number) for c in doc.citations]
    assert cited == [
        ("关于给张阿三同志辞职的请示", "路中医发〔2011〕10号"),
        ("浙江省专业技术人员和管理人员辞职暂行办法", "浙人才〔1993〕73号"),
    ]


def test_load_ofd_pifu_seal_recorded_not_verified(pifu: RunResult) -> None:
    assert pifu.issue is not None
    [seal] = pifu.issue.source.seals
    assert seal.signed is True
    assert seal.verified is False
    assert seal.name == "某某省人力资源和社会测试章"
    assert seal.page == 2
    assert seal.signed_at == "2020-01-25 15:31:56"
    assert seal.method == "1.2.156.10197.1.501"
    assert seal.owner == "www.dms360.cn"  # the subject CN of the certificate inside Seal.esl


def test_load_ofd_pifu_geometry_in_points() -> None:
    src = ofd_to_source(PIFU)
    first = src.pages[0]
    assert (first.width, first.height) == (595.28, 841.89)  # A4 in points
    header = first.lines[0]
    assert header.text == "测试符路桥区卫生局文件"
    assert header.color == (0.933, 0.125, 0.145)  # #ee #20 #25
    assert header.bold is True
    assert header.font == "小标宋体"
    number = next(ln for ln in first.lines if ln.text == "路卫发〔2011〕76号")
    assert number.size == 15.9  # 5.6 mm (三号)
    assert number.bbox is not None and number.bbox[0] == pytest.approx(80.98 * 72 / 25.4, abs=0.01)


def test_load_ofd_certificate_is_not_an_official_document() -> None:
    result = parse_file(CERT)
    assert result.status is RunStatus.PARTIAL_SUCCESS
    assert [e.code for e in result.errors] == ["P103"]
    assert result.issue is not None
    text = "".join(p.text for d in result.issue.documents for p in d.body)
    assert "临沧建投开发投资有限公司" in text  # read, not failed
    seals = result.issue.source.seals
    assert len(seals) == 2 and all(s.signed and not s.verified for s in seals)
    # no Seal.esl: the owner is the subject CN of the signer's certificate in SignedValue.dat
    assert [s.owner for s in seals] == ["一部手机办事通设备证书", "一部手机办事通设备证书"]


def _raw_glyph_count(path: Path) -> int:
    """Non-space characters of every TextCode that a page draws (directly or through a CompositeObject)."""
    import zipfile

    zf = zipfile.ZipFile(path)
    ns = "{http://www.ofdspec.org/2016}"
    res = etree.fromstring(zf.read("Doc_0/DocumentRes.xml"))
    units = {u.get("ID"): u for u in res.iter(f"{ns}CompositeGraphicUnit")}
    total = 0
    for name in sorted(n for n in zf.namelist() if n.endswith("Content.xml")):
        page = etree.fromstring(zf.read(name))
        for el in page.iter(f"{ns}TextCode", f"{ns}CompositeObject"):
            if el.tag == f"{ns}TextCode":
                total += sum(1 for c in el.text or "" if not c.isspace())
            else:
                unit = units[el.get("ResourceID")]
                total += sum(sum(1 for c in t.text or "" if not c.isspace()) for t in unit.iter(f"{ns}TextCode"))
    return total


@pytest.mark.skipif(not ARTICLE.is_file(), reason="the article OFD is read from ../shared/corpus/dev/ofd/ (absent)")
def test_load_ofd_article_text_complete_in_reading_order() -> None:
    src = ofd_to_source(ARTICLE)
    assert len(src.pages) == 3
    loaded = sum(sum(1 for c in ln.text if not c.isspace()) for p in src.pages for ln in p.lines + p.furniture)
    assert loaded == _raw_glyph_count(ARTICLE)  # every glyph of the composite resources, none twice
    text = "".join(ln.text for p in src.pages for ln in p.lines)
    # a sentence that runs from the bottom of the first column on into the next column, then the next page
    assert (
        "当前，随着信息技术的飞速发展和“互联网+”的无限延伸，数字化、网络化、信息化已深刻影响着人们的工作和生活" in text
    )
    assert "构建服务整合、业务协同和" in text
    assert text.index("构建服务整合、业务协同和") < text.index("数据共享的大平台。")
    assert text.index("勇立潮头真抓实干") < text.index("当前，随着信息技术") < text.index("三大趋势，迎来机遇")
