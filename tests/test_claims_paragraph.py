"""paragraph_to_claims: numeric claims, periods, quantities, units and table references in prose."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.check.claims import (
    MAX_CLAIMS,
    ClaimKind,
    Rank,
    _kind_rule,
    clause_to_subject,
    paragraph_to_claims,
    text_to_refs,
    text_to_sentences,
)
from tests.fixtures_issue import BODY_1

P_TABLE1 = next(t for line, _, t in BODY_1 if line == 158)
P_FIG1 = next(t for line, _, t in BODY_1 if line == 164)
P_TABLE2 = next(t for line, _, t in BODY_1 if line == 176)
P_TABLE3 = next(t for line, _, t in BODY_1 if line == 192)
P_TABLE3_B = next(t for line, _, t in BODY_1 if line == 198)
P_FIG3 = next(t for line, _, t in BODY_1 if line == 213)


def _simple(text: str) -> list[tuple[str, list[int], str | None, float | None, str | None]]:
    return [(c.kind.value, c.periods, c.quantity, c.number, c.unit) for c in paragraph_to_claims(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2017年全区发现隐患358处，已落实整改337处。",
            [("value", [2017], "发现隐患", 358.0, "处"), ("value", [2017], "落实整改", 337.0, "处")],
        ),
        ("2016年—2020年危化品隐患整改率平均为97.67%。", [("average", list(range(2016, 2021)), "危化品隐患整改率", 97.67, "%")]),
        ("整改率平均为97.67%", [("average", [], "整改率", 97.67, "%")]),
        ("其中2016、2019和2020年整改率均达到100%", [("universal", [2016, 2019, 2020], "整改率", 100.0, "%")]),
        ("2016年—2020年茂南区烟花爆竹隐患整改率均为100%", [("universal", list(range(2016, 2021)), "茂南区烟花爆竹隐患整改率", 100.0, "%")]),
        ("2018年全区排查发现隐患379项，完成隐患整改357项，责成整改22项。", [
            ("value", [2018], "排查发现隐患", 379.0, "项"),
            ("value", [2018], "完成隐患整改", 357.0, "项"),
            ("difference", [2018], "责成整改", 22.0, "项"),
        ]),
        ("2019年全区检查批发企业5家（次），零售点152个", [
            ("value", [2019], "检查批发企业", 5.0, "家次"),
            ("value", [2019], "零售点", 152.0, "个"),
        ]),
        ("2016年对全区3家烟花爆竹批发公司、105个烟花爆竹零售点进行了全面检查", [
            ("value", [2016], "烟花爆竹批发公司", 3.0, "家"),
            ("value", [2016], "烟花爆竹零售点", 105.0, "个"),
        ]),
        ("2016年至2020年五年的整改率均为100%。", [("universal", list(range(2016, 2021)), "整改率", 100.0, "%")]),
        ("2016年—2020年合计发现隐患1741处。", [("total", list(range(2016, 2021)), "发现隐患", 1741.0, "处")]),
        ("２０１９年发现隐患３７５项", [("value", [2019], "发现隐患", 375.0, "项")]),
        ("详见表1和图2所示。", []),
        ("", []),
    ],
)  # fmt: skip
def test_claims_simple_cases(
    text: str, expected: list[tuple[str, list[int], str | None, float | None, str | None]]
) -> None:
    assert _simple(text) == expected


def test_claims_table1_paragraph_values_by_year() -> None:
    claims = paragraph_to_claims(P_TABLE1)
    values = [(c.periods, c.quantity, c.number) for c in claims if c.kind == ClaimKind.VALUE]
    assert values == [
        ([2016], "发现隐患", 205.0),
        ([2017], "发现隐患", 358.0),
        ([2017], "落实整改", 337.0),
        ([2018], "排查发现隐患", 379.0),
        ([2018], "完成隐患整改", 357.0),
        ([2019], "排查发现隐患", 375.0),
        ([2019], "完成隐患整改", 375.0),
        ([2020], "排查发现隐患", 424.0),
        ([2020], "完成整改", 424.0),
    ]
    derived = [c for c in claims if c.derived]
    assert [(c.kind, c.periods, c.number, c.unit) for c in derived] == [(ClaimKind.UNIVERSAL, [2016], 100.0, "%")]


def test_claims_figure1_paragraph_average_universal_and_rank() -> None:
    claims = paragraph_to_claims(P_FIG1)
    kinds = [(c.kind, c.periods, c.number, c.rank) for c in claims]
    assert kinds == [
        (ClaimKind.AVERAGE, [2016, 2017, 2018, 2019, 2020], 97.67, None),
        (ClaimKind.UNIVERSAL, [2016, 2019, 2020], 100.0, None),
        (ClaimKind.SUPERLATIVE, [2016, 2019, 2020], 100.0, Rank.HIGH),
    ]
    assert claims[0].decimals == 2
    assert [r.number for r in claims[0].refs] == []
    assert [(r.kind, r.number) for r in claims[-1].refs] == []


def test_claims_year_carries_over_semicolon() -> None:
    claims = paragraph_to_claims(P_TABLE2)
    found = [(c.periods, c.number) for c in claims if c.quantity == "发现隐患问题"]
    assert found == [([2017], 178.0), ([2018], 201.0), ([2020], 78.0)]
    universal = [c.periods for c in claims if c.derived]
    assert universal == [[2017], [2018], [2020]]


def test_claims_five_years_resolves_to_stated_range() -> None:
    claims = paragraph_to_claims(P_TABLE3_B)
    average = next(c for c in claims if c.kind == ClaimKind.AVERAGE)
    assert (average.periods, average.quantity, average.number, average.period_text) == (
        [2016, 2017, 2018, 2019, 2020],
        "发现隐患",
        236.0,
        "五年",
    )
    ranked = [(c.periods, c.number, c.rank) for c in claims if c.kind == ClaimKind.SUPERLATIVE]
    assert ranked == [([2016], 26.0, Rank.LOW), ([2020], 474.0, Rank.HIGH)]
    assert all(c.number != 2.0 for c in claims)  # "图2所示" is a reference, not a count


def test_claims_five_years_without_range_keeps_count() -> None:
    (claim,) = paragraph_to_claims("五年的平均发现隐患236处。")
    assert (claim.kind, claim.periods, claim.period_count) == (ClaimKind.AVERAGE, [], 5)


def test_claims_listed_superlatives_of_figure3() -> None:
    claims = paragraph_to_claims(P_FIG3)
    assert [(c.periods, c.rank, c.numbers) for c in claims] == [
        ([2019], Rank.HIGHEST, [48.0, 15.0, 42.0]),
        ([2018], Rank.HIGH, [37.0, 13.0, 36.0]),
        ([2020], Rank.LOWEST, [26.0, 11.0, 20.0]),
    ]
    assert [(r.kind, r.number) for r in claims[-1].refs] == [("figure", 3)]


def test_claims_table3_paragraph_has_prose_slip() -> None:
    claims = paragraph_to_claims(P_TABLE3)
    ordered = [(c.periods[0], c.number) for c in claims if c.quantity == "责令整改"]
    assert ordered == [(2016, 26.0), (2017, 26.0), (2018, 214.0), (2019, 145.0), (2020, 474.0)]
    assert [c.unit for c in claims if c.quantity in ("检查工矿商贸企业", "检查企业")] == ["家次"] * 5


@pytest.mark.parametrize(
    ("text", "refs"),
    [
        ("2016年—2020年茂南区危化品检查工作详情见表 1。", [("table", 1)]),
        ("详见表1", [("table", 1)]),
        ("见表 3", [("table", 3)]),
        ("由表 2 可以看出，整改率均为100%", [("table", 2)]),
        ("如表 3 和图 2 所示", [("table", 3), ("figure", 2)]),
        ("对比柱状图如图3所示", [("figure", 3)]),
        ("代表1名", []),
        ("详见附表1", []),
        ("图表", []),
    ],
)
def test_claims_refs(text: str, refs: list[tuple[str, int]]) -> None:
    assert [(r.kind, r.number) for r in text_to_refs(text)] == refs


@pytest.mark.parametrize(
    ("text", "n"),
    [("甲。乙；丙", 3), ("甲。。乙", 2), ("", 0), ("无终止", 1), ("甲！乙？", 2)],
)
def test_claims_sentences(text: str, n: int) -> None:
    assert len(text_to_sentences(text)) == n


@pytest.mark.parametrize("text", [P_TABLE1, P_FIG1, P_TABLE2, P_TABLE3, P_TABLE3_B, P_FIG3])
def test_claims_spans_index_the_text(text: str) -> None:
    for c in paragraph_to_claims(text):
        assert text[c.span[0] : c.span[1]] == c.raw
        assert c.sentence == text[c.sentence_span[0] : c.sentence_span[1]]
        for r in c.refs:
            assert text[r.span[0] : r.span[1]] == r.raw


_ALPHABET = st.sampled_from(
    [
        *"0123456789.、，。；%年—至和处项家个（次）表图均为平均最高较低值分别全部整改发现隐患五合计 ",
        *["2016", "2020年", "分别为", "处于最高值", "均达到", "责成整改", "五年的平均"],
    ]
)


@given(st.lists(_ALPHABET, max_size=200).map("".join))
@settings(max_examples=300, deadline=None)
def test_claims_never_raise_and_spans_hold(text: str) -> None:
    for c in paragraph_to_claims(text):
        assert 0 <= c.span[0] <= c.span[1] <= len(text)
        assert text[c.span[0] : c.span[1]] == c.raw


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_claims_never_raise_on_any_text(text: str) -> None:
    assert len(paragraph_to_claims(text)) <= MAX_CLAIMS


@pytest.mark.parametrize(
    "unit",
    [
        "1处",
        "2016年—",
        "最高值",
        "分别为1、",
        "表1。",
        "2016、",
        "全部整改",
        "1处，处于最高值",
        "五年的平均",
        "9",
        "最高值。",
        "分别为1、2。",
        "1处。",
    ],
)
def test_claims_fast_on_100kb_adversarial(unit: str) -> None:
    # CPU time of this process (not wall clock), so a loaded machine does not make the test flaky
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    t0 = time.process_time()
    claims = paragraph_to_claims(text)
    assert time.process_time() - t0 < 1.0
    assert len(claims) <= MAX_CLAIMS


@given(st.text(alphabet=st.sampled_from(list("12处年—、，。最高值分别为表图")), min_size=1000, max_size=3000))
@settings(max_examples=20, deadline=None)
def test_claims_fast_on_random_long_text(text: str) -> None:
    t0 = time.process_time()
    paragraph_to_claims(text * 30)
    assert time.process_time() - t0 < 1.0


# --------------------------------------------------------------------------- the claim tuple, kinds from data


def _tuples(text: str, area: str | None = None) -> list[tuple[str, tuple[object, ...]]]:
    return [(c.kind.value, tuple(c.as_tuple)) for c in paragraph_to_claims(text, area)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016年—2020年全区市场主体年均增长10%。",
         [("average-growth", ("全区", "市场主体", (2016, 2017, 2018, 2019, 2020), (10.0,), "%"))]),
        # a change without a quantity of its own is about the number before it (quantity and subject)
        ("2020年乙镇企业6641户，较上年增长14.3%。", [
            ("value", ("乙镇", "乙镇企业", (2020,), (6641.0,), "户")),
            ("change", ("乙镇", "乙镇企业", (2020,), (14.3,), "%")),
        ]),
        ("2020年个体工商户较上年减少500户。", [("change", (None, "个体工商户", (2020,), (-500.0,), "户"))]),
        ("2019年受理件数比上年下降4.5%。", [("change", (None, "受理件数", (2019,), (-4.5,), "%"))]),
        # 增长到 / 达到 after the change word: a level, not a change (the row's unless words)
        ("2020年受理件数较上年增长到380件。", [("value", (None, "受理件数", (2020,), (380.0,), "件"))]),
        ("2020年受理件数同比增长达380件。", [("value", (None, "受理件数", (2020,), (380.0,), "件"))]),
        ("2020年全市个体工商户占比54.6%。", [("share", ("全市", "个体工商户", (2020,), (54.6,), "%"))]),
        ("2016年—2020年累计完成企业登记26051户。",
         [("total", (None, "企业登记", (2016, 2017, 2018, 2019, 2020), (26051.0,), "户"))]),
        # the subject opens the clause (brackets do not break it) and carries to the claims after it
        ("2018年各镇（街道）受理诉求340件；2019年受理360件。", [
            ("value", ("各镇（街道）", "街道）受理诉求", (2018,), (340.0,), "件")),
            ("value", ("各镇（街道）", "受理", (2019,), (360.0,), "件")),
        ]),
        ("2018年全区培训1500人次，其中甲镇培训300人次。", [
            ("value", ("全区", "培训", (2018,), (1500.0,), "人次")),
            ("value", ("甲镇", "甲镇培训", (2018,), (300.0,), "人次")),
        ]),
    ],
)  # fmt: skip
def test_claims_tuple_of_new_wording(text: str, expected: list[tuple[str, tuple[object, ...]]]) -> None:
    assert _tuples(text) == expected


def test_claims_area_is_the_default_subject() -> None:
    assert _tuples("2018年受理诉求340件。", area="某某县") == [
        ("value", ("某某县", "受理诉求", (2018,), (340.0,), "件"))
    ]
    # a subject stated in the paragraph wins over the area, and carries on
    assert [c.subject for c in paragraph_to_claims("2018年甲镇受理340件。2019年受理360件。", "某某县")] == [
        "甲镇",
        "甲镇",
    ]


@pytest.mark.parametrize(
    ("clause", "subject"),
    [("全区发现隐患", "全区"), ("其中甲镇受理", "甲镇"), ("对全县3家", "全县"), ("各镇（街道）受理", "各镇（街道）"),
     ("某某县应急管理局", "某某县"), ("发现隐患", None), ("市场主体", None), ("", None)],
)  # fmt: skip
def test_claims_clause_to_subject(clause: str, subject: str | None) -> None:
    assert clause_to_subject(clause) == subject


def test_claims_kind_row_must_be_well_formed() -> None:
    assert _kind_rule(("share", "before", "占比", "previous")).words == ("占比",)
    with pytest.raises(ValueError, match="bad kind row"):
        _kind_rule(("share", "somewhere", "占比", "previous"))
    with pytest.raises(ValueError):
        _kind_rule(("no-such-kind", "before", "占比", "previous"))
    with pytest.raises(ValueError, match="bad kind row"):
        _kind_rule(("share", "before"))
    rule = _kind_rule(("change", "before", "较上年", "previous", "到"))
    assert rule.holds("受理件数较上年增长", "受理件数", [2020])
    assert not rule.holds("受理件数较上年增长到", "受理件数", [2020])
    assert not rule.holds("受理件数", "受理件数", [2020])


_NEW_WORDING = st.sampled_from(
    [
        *"0123456789.、，。；%年—（）户件镇区",
        *["2016年—2020年", "2020年", "年均增长", "较上年", "增长", "下降", "减少", "占比", "累计完成", "全区",
          "各镇（街道）", "甲镇", "其中", "市场主体", "企业", "分别为", "处于最高值", "均为", "合计"],
    ]
)  # fmt: skip


@given(st.lists(_NEW_WORDING, max_size=120).map("".join), st.one_of(st.none(), st.sampled_from(["某某县", "全区"])))
@settings(max_examples=300, deadline=None)
def test_claims_any_text_never_raises_and_tuples_hold(text: str, area: str | None) -> None:
    for c in paragraph_to_claims(text, area):
        assert 0 <= c.span[0] <= c.span[1] <= len(text)
        assert text[c.span[0] : c.span[1]] == c.raw
        assert c.sentence_span[0] <= c.span[0] and c.span[1] <= c.sentence_span[1]
        subject, quantity, periods, values, unit = c.as_tuple
        assert subject is None or subject == area or subject in text
        assert (quantity, unit) == (c.quantity, c.unit)
        assert list(periods) == c.periods and list(values) == c.values
        if c.kind == ClaimKind.CHANGE:
            assert len(values) == 1
