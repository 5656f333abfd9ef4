"""GB/T 9704 element parsers on small inline inputs."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.structure.elements import (
    is_date_line,
    looks_like_signature,
    parse_attachment_label,
    parse_cc,
    parse_citations,
    parse_date,
    parse_disclosure,
    parse_doc_number,
    parse_printed,
    split_bodies,
)


@pytest.mark.parametrize(
    ("text", "raw", "org", "year", "serial"),
    [
        ("茂南府〔2022〕2 号", "茂南府〔2022〕2号", "茂南府", 2022, 2),
        ("茂南府办函〔2022〕68号", "茂南府办函〔2022〕68号", "茂南府办函", 2022, 68),
        ("国办发〔２０２１〕３６号", "国办发〔2021〕36号", "国办发", 2021, 36),
        ("粤府[2020]1号", "粤府[2020]1号", "粤府", 2020, 1),
        ("京政发（2019）12 号", "京政发（2019）12号", "京政发", 2019, 12),
    ],
)
def test_elements_doc_number(text: str, raw: str, org: str, year: int, serial: int) -> None:
    n = parse_doc_number(text)
    assert n is not None
    assert (n.raw, n.org, n.year, n.serial) == (raw, org, year, serial)


@pytest.mark.parametrize("text", ["", "2022年7月4日", "关于印发方案的通知", "〔〕号", "第2号"])
def test_elements_doc_number_absent(text: str) -> None:
    assert parse_doc_number(text) is None


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2022年7月4日", dt.date(2022, 7, 4)),
        ("2022 年 9 月 17 日", dt.date(2022, 9, 17)),
        ("二〇二二年七月四日", dt.date(2022, 7, 4)),
        ("二○二一年十二月三十一日", dt.date(2021, 12, 31)),
        ("（2023年1月1日）", dt.date(2023, 1, 1)),
        ("２０２２年１０月１日", dt.date(2022, 10, 1)),
    ],
)
def test_elements_date(text: str, date: dt.date) -> None:
    assert parse_date(text) == date
    assert is_date_line(text)


@pytest.mark.parametrize("text", ["2022年2月30日", "2022年13月1日", "今年10月底", "2022年底前"])
def test_elements_date_invalid_or_partial(text: str) -> None:
    assert parse_date(text) is None


def test_elements_split_bodies_keeps_dun_comma() -> None:
    assert split_bodies("各镇人民政府，各街道办事处，区府直属和省、市驻区各单位：") == [
        "各镇人民政府",
        "各街道办事处",
        "区府直属和省、市驻区各单位",
    ]


def test_elements_cc() -> None:
    cc = parse_cc("抄送：区委各部委办，区人大办，区政协办，区纪委监委办，区武\n装部，区人民法院，区新闻中心。")
    assert cc == ["区委各部委办", "区人大办", "区政协办", "区纪委监委办", "区武装部", "区人民法院", "区新闻中心"]
    assert parse_cc("公开方式：主动公开") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("公开方式：主动公开", "主动公开"),
        ("（信息公开形式：主动公开）", "主动公开"),
        ("（此件公开发布）", "此件公开发布"),
        ("公开属性：依申请公开", "依申请公开"),
        ("（此件不公开）", "此件不公开"),
        ("公开工作要点", None),
    ],
)
def test_elements_disclosure(text: str, value: str | None) -> None:
    assert parse_disclosure(text) == value


def test_elements_printed() -> None:
    assert parse_printed("茂名市茂南区人民政府办公室 2022 年 7 月 4 日印发") == (
        "茂名市茂南区人民政府办公室",
        dt.date(2022, 7, 4),
    )
    assert parse_printed("2022年7月4日印发") == (None, dt.date(2022, 7, 4))
    assert parse_printed("2022年7月4日") is None


def test_elements_citations() -> None:
    text = (
        "为贯彻落实《广东省人民政府办公厅关于印发某方案的通知》（粤府办〔2022〕17 号）和《茂名市 2022 年政务公开"
        "工作要点分工方案》（茂府办函〔2022〕100 号）的工作部署，制定了《本区方案》。"
    )
    cites = [(c.title, c.doc_number) for c in parse_citations(text)]
    assert cites == [
        ("广东省人民政府办公厅关于印发某方案的通知", "粤府办〔2022〕17号"),
        ("茂名市2022年政务公开工作要点分工方案", "茂府办函〔2022〕100号"),
        ("本区方案", None),
    ]


def test_elements_attachment_label() -> None:
    assert parse_attachment_label("附件") == (None, "")
    assert parse_attachment_label("附件2") == (2, "")
    assert parse_attachment_label("附件：1.甲方案") == (None, "1.甲方案")
    assert parse_attachment_label("附近的人") is None


@pytest.mark.parametrize(
    ("text", "ok"),
    [("茂名市茂南区人民政府", True), ("某某县应急管理局（某某县人民政府代章）", True), ("请认真贯彻落实。", False)],
)
def test_elements_signature(text: str, ok: bool) -> None:
    assert looks_like_signature(text) is ok


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("〔〕[]（）()年月日号第一二三〇0123456789府办函《》，、：印发 \n")), max_size=300
    )
)
def test_elements_parsers_never_raise(text: str) -> None:
    parse_doc_number(text)
    parse_date(text)
    split_bodies(text)
    parse_disclosure(text)
    parse_cc(text)
    parse_printed(text)
    parse_citations(text)
    parse_attachment_label(text)
