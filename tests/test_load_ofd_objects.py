"""The OFD reader's pieces on built files: DeltaX shorthand, CTM and Boundary composition, composite
resources, template furniture, columns read in order, seals (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.load.ofd import (
    MM_TO_PT,
    apply,
    certificate_owner,
    colour_of,
    deltas,
    mul,
    ofd_to_source,
    seal_name,
)
from tests.formats_fixtures import der_seal, make_ofd, text_object


def test_load_ofd_objects_delta_shorthand() -> None:
    assert deltas("g 3 4.5 2 g 2 1") == [4.5, 4.5, 4.5, 2.0, 1.0, 1.0]
    assert deltas("") == []
    assert deltas("1 x 2") == [1.0, 2.0]


@given(st.text(alphabet="g0123456789. -x", max_size=60))
def test_load_ofd_objects_delta_parser_total(raw: str) -> None:
    out = deltas(raw)
    assert all(isinstance(v, float) for v in out)


@given(st.lists(st.tuples(st.integers(1, 50), st.floats(-100, 100, allow_nan=False)), max_size=8))
def test_load_ofd_objects_delta_repeat_counts(runs: list[tuple[int, float]]) -> None:
    raw = " ".join(f"g {n} {v!r}" for n, v in runs)
    assert deltas(raw) == [v for n, v in runs for _ in range(n)]


def test_load_ofd_objects_matrix_composition() -> None:
    scale, move = (2.0, 0.0, 0.0, 2.0, 0.0, 0.0), (1.0, 0.0, 0.0, 1.0, 10.0, 5.0)
    assert apply(mul(scale, move), 1.0, 1.0) == (12.0, 7.0)  # scale first, then move
    assert apply(mul(move, scale), 1.0, 1.0) == (22.0, 12.0)


def test_load_ofd_objects_colours() -> None:
    from lxml import etree

    assert colour_of(etree.fromstring('<c Value="#ff #0 #80"/>')) == (1.0, 0.0, 0.502)
    assert colour_of(etree.fromstring('<c Value="255 255 255"/>')) == (1.0, 1.0, 1.0)
    assert colour_of(etree.fromstring('<c Value="0 0 0 255"/>')) == (0.0, 0.0, 0.0)  # CMYK black
    assert colour_of(None) is None


def test_load_ofd_objects_composite_with_ctm(tmp_path: Path) -> None:
    # a unit whose text is drawn at Size 1 scaled 10× by its CTM, placed at 20 mm, 50 mm by the composite
    inner = (
        '<ofd:TextObject ID="5" Font="10" Size="1" CTM="10 0 0 10 0 0" Boundary="0 0 40 12">'
        '<ofd:TextCode X="0" Y="1" DeltaX="g 3 1">复合对象</ofd:TextCode></ofd:TextObject>'
    )
    unit = f'<ofd:CompositeGraphicUnit ID="70" Width="100" Height="100"><ofd:Content>{inner}</ofd:Content></ofd:CompositeGraphicUnit>'
    page = '<ofd:CompositeObject ID="6" ResourceID="70" Boundary="20 50 100 100" CTM="0.5 0 0 0.5 0 0"/>'
    src = ofd_to_source(make_ofd(tmp_path / "c.ofd", [page], composites=unit))
    [line] = src.pages[0].lines
    assert line.text == "复合对象"
    assert line.size == pytest.approx(5 * MM_TO_PT, abs=0.05)  # 1 × 10 × 0.5 mm
    assert line.bbox is not None
    assert line.bbox[0] == pytest.approx(20 * MM_TO_PT, abs=0.01)
    assert line.bbox[2] == pytest.approx((20 + 4 * 5) * MM_TO_PT, abs=0.01)  # 4 glyphs 5 mm apart
    baseline = (50 + 5) * MM_TO_PT  # Y=1 → 10 → 5 mm below the composite's origin
    assert line.bbox[3] == pytest.approx(baseline + line.size * 0.12, abs=0.05)


def test_load_ofd_objects_template_is_furniture(tmp_path: Path) -> None:
    template = text_object(1, 90, 285, "第 1 页 共 1 页")
    page = text_object(2, 30, 40, "关于做好测试工作的通知")
    src = ofd_to_source(make_ofd(tmp_path / "t.ofd", [page], template=template))
    assert [ln.text for ln in src.pages[0].lines] == ["关于做好测试工作的通知"]
    assert [ln.text for ln in src.pages[0].furniture] == ["第1页共1页"]


def test_load_ofd_objects_columns_in_reading_order(tmp_path: Path) -> None:
    left = [f"左栏第{n}行文字内容" for n in range(1, 7)]
    right = [f"右栏第{n}行文字内容" for n in range(1, 7)]
    objs = [text_object(10, 20, 20, "两栏排版的测试文章标题", size=8)]
    for n in range(6):  # both columns on the same baselines, as magazines set them
        objs.append(text_object(20 + n, 20, 40 + 6 * n, left[n], size=4))
        objs.append(text_object(40 + n, 115, 40 + 6 * n, right[n], size=4))
    src = ofd_to_source(make_ofd(tmp_path / "cols.ofd", ["".join(objs)]))
    texts = [ln.text for ln in src.pages[0].lines]
    assert texts == ["两栏排版的测试文章标题", *left, *right]
    assert src.pages[0].ordered is True


def test_load_ofd_objects_single_column_stays_top_down(tmp_path: Path) -> None:
    objs = [text_object(1, 30, 40, "区中医院：")]
    objs.append(text_object(2, 40, 50, "你院请示收悉。经研究，同意张某同志辞职，请按规定办理相关手续。"))
    objs.append(text_object(3, 120, 80, "某某区卫生局", size=5.6))
    objs.append(text_object(4, 125, 88, "2011年3月10日", size=5.6))
    src = ofd_to_source(make_ofd(tmp_path / "one.ofd", ["".join(objs)]))
    texts = [ln.text for ln in src.pages[0].lines]
    assert (texts[0], texts[-1]) == ("区中医院：", "2011年3月10日")


def test_load_ofd_objects_seal_from_signatures(tmp_path: Path) -> None:
    pages = [text_object(1, 30, 40, "关于做好测试工作的通知"), text_object(2, 30, 40, "某某市测试局")]
    src = ofd_to_source(make_ofd(tmp_path / "s.ofd", pages, signatures=True))
    [seal] = src.seals
    assert (seal.signed, seal.verified, seal.name, seal.page) == (True, False, "某某市测试局电子印章", 2)
    assert seal.provider == "test"
    assert src.problems == []


def test_load_ofd_objects_seal_name_from_der() -> None:
    assert seal_name(der_seal("测试专用章")) == "测试专用章"
    assert seal_name(b"\x30\x03\x16\x01A") is None
    assert seal_name(b"") is None


def _certificate(**subject: str) -> bytes:
    """A self-signed DER certificate whose subject has the given CN/O (an EC key: quick to make)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    oids = {"cn": NameOID.COMMON_NAME, "o": NameOID.ORGANIZATION_NAME, "c": NameOID.COUNTRY_NAME}
    name = x509.Name([x509.NameAttribute(oids[k], v) for k, v in subject.items()])
    key = ec.generate_private_key(ec.SECP256R1())
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def test_load_ofd_objects_seal_owner_from_certificate() -> None:
    blob = der_seal("测试专用章") + _certificate(c="CN", o="某某市测试局", cn="某某市测试局签章") + b"\x03\x02\x00\x01"
    assert certificate_owner(blob) == "某某市测试局签章"
    assert certificate_owner(b"\x30\x82\x00\x05junk" + _certificate(c="CN", o="某某市测试局")) == "某某市测试局"
    assert certificate_owner(_certificate(c="CN")) is None  # neither CN nor O
    assert certificate_owner(der_seal("测试专用章")) is None
    assert certificate_owner(b"\x30\x82\xff\xff") is None


@given(st.binary(max_size=300))
def test_load_ofd_objects_certificate_parser_never_raises(blob: bytes) -> None:
    assert certificate_owner(b"\x30\x82" + blob) is None or isinstance(certificate_owner(b"\x30\x82" + blob), str)


@given(st.binary(max_size=300))
def test_load_ofd_objects_seal_parser_never_raises(blob: bytes) -> None:
    name = seal_name(blob)
    assert name is None or isinstance(name, str)


def test_load_ofd_objects_missing_seal_part_is_p110(tmp_path: Path) -> None:
    from tests.formats_fixtures import ofd_members, write_zip

    members = ofd_members([text_object(1, 30, 40, "关于做好测试工作的通知")], signatures=True)
    del members["Doc_0/Signs/Sign_0/Seal.esl"]
    src = ofd_to_source(write_zip(tmp_path / "noseal.ofd", members))
    assert [p.code for p in src.problems] == ["P110"]
    assert src.seals[0].signed is True and src.seals[0].name is None


_ATTR = st.text(alphabet="0123456789.-e g#x ", max_size=24)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=_ATTR, box=_ATTR, ctm=_ATTR, dx=_ATTR, x=_ATTR, y=_ATTR, text=st.text(min_size=1, max_size=12))
def test_load_ofd_objects_hostile_attributes_never_crash(
    tmp_path: Path, size: str, box: str, ctm: str, dx: str, x: str, y: str, text: str
) -> None:
    from xml.sax.saxutils import escape, quoteattr

    from pipeline.errors import GazetteError

    obj = (
        f'<ofd:TextObject ID={quoteattr("1")} Font="10" Size={quoteattr(size)} Boundary={quoteattr(box)} '
        f"CTM={quoteattr(ctm)}><ofd:TextCode X={quoteattr(x)} Y={quoteattr(y)} DeltaX={quoteattr(dx)}>"
        f"{escape(text)}</ofd:TextCode></ofd:TextObject>"
    ) + text_object(2, 30, 40, "关于做好测试工作的通知")
    path = make_ofd(tmp_path / "h.ofd", [obj])
    try:
        src = ofd_to_source(path)
    except GazetteError as exc:  # only coded errors (unsafe XML from odd characters …)
        assert exc.code.value.startswith("E")
        return
    import math

    lines = src.pages[0].lines
    assert lines and all(ln.bbox is not None and all(math.isfinite(v) for v in ln.bbox) for ln in lines)
    assert sum(len(ln.text) for ln in lines) >= len("关于做好测试工作的通知")  # the sane object is never lost


def _rule(oid: int, x0: float, y0: float, x1: float, y1: float) -> str:
    """A PathObject drawing one straight line from (x0, y0) to (x1, y1) mm."""
    return (
        f'<ofd:PathObject ID="{oid}" Stroke="true" Boundary="{min(x0, x1)} {min(y0, y1)} {abs(x1 - x0)} {abs(y1 - y0)}">'
        f"<ofd:AbbreviatedData>M {x0 - min(x0, x1)} {y0 - min(y0, y1)} L {x1 - min(x0, x1)} {y1 - min(y0, y1)}"
        f"</ofd:AbbreviatedData></ofd:PathObject>"
    )


def test_load_ofd_objects_ruled_table_with_merged_cell(tmp_path: Path) -> None:
    # 3 rows × 3 columns, x at 20/60/100/140 mm, y at 50/60/70/80 mm; the top row's last two cells merged
    xs, ys = [20, 60, 100, 140], [50, 60, 70, 80]
    rules = [_rule(900 + i, 20, y, 140, y) for i, y in enumerate(ys)]
    rules += [_rule(910, 20, 50, 20, 80), _rule(911, 60, 50, 60, 80), _rule(912, 140, 50, 140, 80)]
    rules.append(_rule(913, 100, 60, 100, 80))  # no rule between the top row's 2nd and 3rd cells
    texts = [(22, 52, "项目"), (62, 52, "目标值"), (22, 62, "指标甲"), (62, 62, "10"), (102, 62, "20")]
    texts += [(22, 72, "指标乙"), (62, 72, "30"), (102, 72, "40")]
    objs = [text_object(1, 20, 20, "关于测试表格的通知", size=6)]
    objs += [text_object(10 + k, x, y, t, size=4) for k, (x, y, t) in enumerate(texts)]
    objs.append(text_object(30, 20, 100, "表格之后的正文。", size=4))
    src = ofd_to_source(make_ofd(tmp_path / "tab.ofd", ["".join(rules + objs)]))
    page = src.pages[0]
    [table] = page.tables
    assert (table.n_rows, table.n_cols) == (3, 3)
    cells = {(c.row, c.col): (c.text, c.rowspan, c.colspan) for c in table.cells}
    assert cells[(0, 1)] == ("目标值", 1, 2)
    assert (0, 2) not in cells
    assert cells[(2, 2)] == ("40", 1, 1)
    assert len(table.cells) == 8
    assert [ln.text for ln in page.lines] == ["关于测试表格的通知", "表格之后的正文。"]  # cell text left the prose
    assert table.col_x == pytest.approx([x * MM_TO_PT for x in xs], abs=0.01)


def test_load_ofd_objects_lone_rules_are_not_tables(tmp_path: Path) -> None:
    objs = [_rule(900, 28, 83, 184, 83), _rule(901, 28, 250, 184, 250), _rule(902, 28, 260, 184, 260)]
    objs.append(text_object(1, 30, 40, "关于做好测试工作的通知"))
    objs.append(text_object(2, 30, 252, "某某市办公室"))
    src = ofd_to_source(make_ofd(tmp_path / "rules.ofd", ["".join(objs)]))
    assert src.pages[0].tables == []
    assert [ln.text for ln in src.pages[0].lines] == ["关于做好测试工作的通知", "某某市办公室"]


def test_load_ofd_objects_path_segments() -> None:
    from pipeline.load.ofd_tables import path_segments

    assert path_segments("M 0 0 L 10 0 L 10 5 C") == [((0, 0), (10, 0)), ((10, 0), (10, 5)), ((10, 5), (0, 0))]
    assert path_segments("S 0 0 L 156 0 C") == [((0, 0), (156, 0)), ((156, 0), (0, 0))]
    assert path_segments("M 0 0 B 1 1 2 2 3 3 C") == []  # a curve: a drawing, not a rule
    assert path_segments("M 0 L") == []


def test_load_ofd_objects_ruled_table_reaches_the_document(tmp_path: Path) -> None:
    from pipeline.run import parse_file

    rules = [_rule(900 + i, 20, y, 140, y) for i, y in enumerate((50, 60, 70))]
    rules += [_rule(910 + i, x, 50, x, 70) for i, x in enumerate((20, 80, 140))]
    cells = [text_object(10, 22, 52, "指标", size=4), text_object(11, 82, 52, "目标值", size=4)]
    cells += [text_object(12, 22, 62, "森林覆盖率", size=4), text_object(13, 82, 62, "不低于60%", size=4)]
    title = text_object(1, 40, 20, "关于测试表格的通知", size=6)
    result = parse_file(make_ofd(tmp_path / "doc.ofd", ["".join([title, *rules, *cells])]))
    assert result.issue is not None
    [doc] = result.issue.documents
    [table] = doc.tables
    assert (table.header, table.rows) == ([["指标", "目标值"]], [["森林覆盖率", "不低于60%"]])
