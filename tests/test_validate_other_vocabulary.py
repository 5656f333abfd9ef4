"""The V1xx claim checks on a plan with another vocabulary (培训人次 / 受理件数 per year): the same kinds of
findings as the sample plan's 发现隐患 / 落实整改 when prose and table disagree, none when they agree.

Nothing of this vocabulary is in the code or in ``pipeline/data/claims.tsv``: a claim is read as (quantity,
periods, value, unit) and compared with the table cell of the row that counts the quantity (by its words, or
by its head and unit) in the column of the period.
"""

from __future__ import annotations

import pytest

from pipeline.check.validate import issue_to_findings
from tests.test_validate_rules import _att, _issue, _stat

ROWS: list[tuple[str, list[float | None]]] = [
    ("培训人次（人次）", [1000, 1200, 1500, 1800, 2000]),
    ("受理件数（件）", [300, 320, 340, 360, 380]),
]


def _found(paragraph: str) -> list[tuple[str, str | None, str | None]]:
    issue = _issue(_att([paragraph], [_stat(2, ROWS)]))
    return [(f.code, f.expected, f.actual) for f in issue_to_findings(issue)]


@pytest.mark.parametrize(
    "paragraph",
    [
        "详见表2。2018年全区培训1500人次，受理投诉340件。",
        "详见表2。2018年全区培训人次为1500人次，受理件数为340件。",
        "2018年，全区共培训1500人次，受理群众诉求340件（详见表2）。",
        "详见表2。2016年—2020年合计受理1700件。",
        "详见表2。2016年—2020年累计培训7500人次。",
        "详见表2。2016年—2020年年均培训1500人次。",
        "详见表2。2020年受理件数为380件，处于最高值。",
    ],
)
def test_validate_other_vocabulary_agreeing_prose_is_silent(paragraph: str) -> None:
    assert _found(paragraph) == []


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("详见表2。2018年全区培训1600人次，受理投诉340件。", [("V101", "1500", "1600")]),
        (
            "详见表2。2018年全区培训人次为1600人次，受理件数为341件。",
            [("V101", "1500", "1600"), ("V101", "340", "341")],
        ),
        # 受理群众诉求 is no row's label: matched by its head (受理) and unit (件) to 受理件数（件）
        ("2018年，全区共培训1500人次，受理群众诉求341件（详见表2）。", [("V101", "340", "341")]),
        ("详见表2。2016年—2020年合计受理1701件。", [("V109", "1700", "1701")]),
        ("详见表2。2016年—2020年累计培训7600人次。", [("V109", "7500", "7600")]),
        ("详见表2。2016年—2020年年均培训1600人次。", [("V103", "1500", "1600")]),
        ("详见表2。2018年受理件数为340件，处于最高值。", [("V107", "最高", "340")]),
    ],
)
def test_validate_other_vocabulary_disagreeing_prose_is_found(
    paragraph: str, expected: list[tuple[str, str | None, str | None]]
) -> None:
    assert _found(paragraph) == expected


def test_validate_other_vocabulary_evidence_is_the_matched_cell() -> None:
    issue = _issue(_att(["2018年，全区受理群众诉求341件（详见表2）。"], [_stat(2, ROWS)]))
    [finding] = issue_to_findings(issue)
    assert finding.code == "V101"
    assert [(e.role, e.text, e.value) for e in finding.evidence] == [
        ("claim", "2018年，全区受理群众诉求341件（详见表2）。", "341"),
        ("table-cell", "表2 受理件数（件） 2018", "340"),
    ]


def test_validate_other_vocabulary_head_and_unit_must_both_match() -> None:
    # same head, other unit (人 vs 人次): no row counts it, so nothing is claimed about the table
    assert _found("详见表2。2018年全区培训学员1600人。") == []
    # same unit, other head (办理 vs 受理): no match either
    assert _found("详见表2。2018年全区办理诉求341件。") == []


# rows are subjects (row = subject + quantity, the quantity and unit in the label's bracket), columns periods
TOWNS: list[tuple[str, list[float | None]]] = [
    ("甲镇（件）", [100, 110, 120, 130, 140]),
    ("乙镇（件）", [200, 210, 220, 230, 240]),
]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("详见表3。2018年甲镇受理诉求120件，乙镇受理220件。", []),
        ("详见表3。2018年甲镇受理诉求121件，乙镇受理220件。", [("V101", "120", "121")]),
        ("详见表3。2019年乙镇受理诉求229件。", [("V101", "230", "229")]),
    ],
)
def test_validate_other_vocabulary_subject_rows(
    paragraph: str, expected: list[tuple[str, str | None, str | None]]
) -> None:
    issue = _issue(_att([paragraph], [_stat(3, TOWNS)]))
    assert [(f.code, f.expected, f.actual) for f in issue_to_findings(issue)] == expected


# --------------------------------------------------------------------------- a second plan: 年均增长 / 较上年 / 占比
# A market plan whose prose speaks of growth, changes from the year before and shares of a whole. Its wording is
# rows of pipeline/data/claims.tsv (kind rows: average-growth, change, share, total); its table (表4) has parts
# and their whole: 个体工商户 + 企业 = 市场主体合计, growing 10 % a year.
MARKET: list[tuple[str, list[float | None]]] = [
    ("个体工商户（户）", [6000, 6500, 7000, 7500, 8000]),
    ("企业（户）", [4000, 4500, 5100, 5810, 6641]),
    ("市场主体合计（户）", [10000, 11000, 12100, 13310, 14641]),
]


def _market(paragraph: str) -> list[tuple[str, str | None, str | None]]:
    issue = _issue(_att([paragraph], [_stat(4, MARKET)]))
    return [(f.code, f.expected, f.actual) for f in issue_to_findings(issue)]


@pytest.mark.parametrize(
    "paragraph",
    [
        "详见表4。2016年—2020年全区市场主体年均增长10%。",  # (14641 / 10000) ** (1/4) = 1.1
        "详见表4。2016年—2020年全区企业年均增长13.5%。",  # compound 13.51 %
        "详见表4。2020年企业6641户，较上年增长14.3%。",  # 5810 → 6641: +14.30 %
        "详见表4。2020年企业较上年增加831户。",
        "详见表4。2020年个体工商户比上年增加500户，企业同比增长14.3%。",
        "详见表4。2020年个体工商户占比54.6%。",  # 8000 / 14641 = 54.64 %
        "详见表4。2016年—2020年累计完成企业登记26051户。",
        "详见表4。2018年市场主体合计12100户，较上年增长10%。",
        "详见表4。2020年企业较上年增加到6641户。",  # a level (增加到), checked as the 2020 value
    ],
)
def test_validate_second_plan_agreeing_prose_is_silent(paragraph: str) -> None:
    assert _market(paragraph) == []


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("详见表4。2016年—2020年全区市场主体年均增长12%。", [("V191", "10", "12")]),
        ("详见表4。2020年企业6641户，较上年增长15.3%。", [("V190", "14.3", "15.3")]),
        ("详见表4。2020年企业较上年增加841户。", [("V190", "831", "841")]),
        # the direction counts: 减少 500 is −500, the table says +500
        ("详见表4。2020年个体工商户较上年减少500户。", [("V190", "500", "-500")]),
        ("详见表4。2020年个体工商户占比56.6%。", [("V192", "54.64", "56.6")]),
        ("详见表4。2016年—2020年累计完成企业登记26151户。", [("V109", "26051", "26151")]),
        ("详见表4。2020年企业较上年增加到6651户。", [("V101", "6641", "6651")]),
        # a share is a part of a whole: never above 100 %
        ("详见表4。2020年个体工商户占比154.6%。", [("V203", "≤ 100", "154.6"), ("V192", "54.64", "154.6")]),
    ],
)
def test_validate_second_plan_disagreeing_prose_is_found(
    paragraph: str, expected: list[tuple[str, str | None, str | None]]
) -> None:
    assert _market(paragraph) == expected


def test_validate_second_plan_change_evidence_is_both_periods() -> None:
    [finding] = issue_to_findings(_issue(_att(["详见表4。2020年企业6641户，较上年增长15.3%。"], [_stat(4, MARKET)])))
    assert finding.code == "V190" and finding.severity.value == "error"
    assert [(e.role, e.text, e.value) for e in finding.evidence] == [
        ("claim", "2020年企业6641户，较上年增长15.3%。", "15.3"),
        ("table-cell", "表4 企业（户） 2019", "5810"),
        ("table-cell", "表4 企业（户） 2020", "6641"),
    ]


def test_validate_second_plan_share_needs_one_whole() -> None:
    # without a 合计 row there is no whole to divide by: nothing is claimed about the table
    parts = MARKET[:2]
    issue = _issue(_att(["详见表4。2020年个体工商户占比56.6%。"], [_stat(4, parts)]))
    assert issue_to_findings(issue) == []
