"""Deadline text → Deadline: by-dates, recurring duties, periods; durations are not deadlines."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.grammar.deadlines import MAX_DEADLINES, parse_deadlines
from schemas.model import DeadlineKind, Recurrence, Source

D = dt.date
BY, RECURRING, PERIOD = DeadlineKind.BY, DeadlineKind.RECURRING, DeadlineKind.PERIOD


@pytest.mark.parametrize(
    ("text", "raw", "date"),
    [
        ("依托平台于 2022 年底前建成区级文件库", "2022 年底前", D(2022, 12, 31)),
        ("2022年底前完成", "2022年底前", D(2022, 12, 31)),
        ("2023年年底前完成", "2023年年底前", D(2023, 12, 31)),
        ("２０２４年末前完成", "２０２４年末前", D(2024, 12, 31)),
        ("10 月底前完成本地区政策咨询综合服务平台建设", "10 月底前", D(2022, 10, 31)),
        ("2月底前报送", "2月底前", D(2022, 2, 28)),
        ("2024年2月底前报送", "2024年2月底前", D(2024, 2, 29)),
        ("明年6月底前完成", "明年6月底前", D(2023, 6, 30)),
        ("年底前将发放结果公开", "年底前", D(2022, 12, 31)),
        ("今年年底前完成", "今年年底前", D(2022, 12, 31)),
        ("6月30日前报送", "6月30日前", D(2022, 6, 30)),
        ("2023 年 1 月 1 日前报送", "2023 年 1 月 1 日前", D(2023, 1, 1)),
        ("今年 10 月 1 日前报送", "今年 10 月 1 日前", D(2022, 10, 1)),
        ("截止到2022年11月30日", "截止到2022年11月30日", D(2022, 11, 30)),
        ("到2025年，基本建成", "到2025年", D(2025, 12, 31)),
        ("到 2025 年底，全面建成", "到 2025 年底", D(2025, 12, 31)),
        ("上半年前完成", "上半年前", D(2022, 6, 30)),
        ("2023年下半年内完成", "2023年下半年内", D(2023, 12, 31)),
        ("第三季度前完成", "第三季度前", D(2022, 9, 30)),
        ("一季度末前完成", "一季度末前", D(2022, 3, 31)),
    ],
)
def test_deadlines_by_date(text: str, raw: str, date: dt.date) -> None:
    (dl,) = parse_deadlines(text, 2022)
    assert (dl.raw, dl.date, dl.kind) == (raw, date, BY)


@pytest.mark.parametrize(
    ("text", "raw", "recurrence"),
    [
        ("每年至少召开一次会议，及时研究", "每年至少召开一次", Recurrence.YEARLY),
        ("主要负责同志每年至少听取 1 次政务公开工作汇报", "每年至少听取 1 次", Recurrence.YEARLY),
        ("每年开展两次检查", "每年开展两次", Recurrence.YEARLY),
        ("每季度报送进展", "每季度", Recurrence.QUARTERLY),
        ("每半年通报一次", "每半年通报一次", Recurrence.HALF_YEARLY),
        ("每月更新", "每月", Recurrence.MONTHLY),
        ("每周巡检", "每周", Recurrence.WEEKLY),
    ],
)
def test_deadlines_recurring(text: str, raw: str, recurrence: Recurrence) -> None:
    (dl,) = parse_deadlines(text, 2022)
    assert (dl.raw, dl.kind, dl.recurrence, dl.date) == (raw, RECURRING, recurrence, None)


@pytest.mark.parametrize(
    ("text", "raw", "first", "last"),
    [
        ("2021年至2025年", "2021年至2025年", D(2021, 1, 1), D(2025, 12, 31)),
        ("2021—2025年规划", "2021—2025年", D(2021, 1, 1), D(2025, 12, 31)),
        ("2021 年至 2025 年底", "2021 年至 2025 年底", D(2021, 1, 1), D(2025, 12, 31)),
        ("2022-2024年", "2022-2024年", D(2022, 1, 1), D(2024, 12, 31)),
    ],
)
def test_deadlines_period(text: str, raw: str, first: dt.date, last: dt.date) -> None:
    (dl,) = parse_deadlines(text, 2022)
    assert (dl.raw, dl.kind, dl.date, dl.end) == (raw, PERIOD, first, last)


@pytest.mark.parametrize(
    "text",
    [
        "开展挂牌督办 1 年；开展挂牌督办 6 个月。开展挂牌督办 3 个月",
        "挂牌督办6个月",
        "试行期3年",
        "2022 年 9 月 17 日",  # a date of signature, not a deadline
        "截至2022年底，全区共有",  # as of: a statement of status
        "每年增长 5%",  # a rate, not a duty
        "优化 12366 纳税服务平台",
        "不低于 4% 的要求",
        "支持互联网协议第 6 版",
        "",
    ],
)
def test_deadlines_none(text: str) -> None:
    assert parse_deadlines(text, 2022) == []


def test_deadlines_two_in_one_sentence_in_order() -> None:
    text = "各单位要于今年 10 月 1 日前、2023 年 1 月 1 日前，向区政府办公室报送工作总结"
    got = [(d.raw, d.date) for d in parse_deadlines(text, 2022)]
    assert got == [("今年 10 月 1 日前", D(2022, 10, 1)), ("2023 年 1 月 1 日前", D(2023, 1, 1))]


@pytest.mark.parametrize("text", ["年底前", "10月底前", "今年 10 月 1 日前", "上半年前"])
def test_deadlines_relative_without_year_has_no_date(text: str) -> None:
    (dl,) = parse_deadlines(text, None)
    assert (dl.kind, dl.date) == (BY, None)


def test_deadlines_impossible_date_has_no_date() -> None:
    (dl,) = parse_deadlines("2月30日前", 2022)
    assert (dl.raw, dl.date) == ("2月30日前", None)


def test_deadlines_carry_given_source() -> None:
    src = Source(page=7, line=12)
    (dl,) = parse_deadlines("年底前完成", 2022, src)
    assert dl.source == src


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789２０年月日底末前至到—-每季度半上下第三个次至少今明截 ，。"))))
def test_deadlines_never_raise_on_date_soup(text: str) -> None:
    found = parse_deadlines(text, 2022)
    for dl in found:
        assert dl.raw and dl.raw in text
        if dl.kind == PERIOD:
            assert dl.date is not None and dl.end is not None and dl.date <= dl.end
        if dl.kind == RECURRING:
            assert dl.recurrence is not None


@settings(max_examples=100, deadline=None)
@given(st.text(), st.one_of(st.none(), st.integers(min_value=1, max_value=9999)))
def test_deadlines_never_raise_on_any_text(text: str, year: int | None) -> None:
    parse_deadlines(text, year)


@pytest.mark.parametrize(
    "text",
    [
        "2" * 100_000,
        "2022年" * 20_000,
        "年底" * 50_000,
        "每年" * 50_000,
        "2021年至" * 25_000,
        "1月1日前" * 16_000,
        "每年至少" + "召" * 100_000,
        " " * 100_000 + "年底前",
    ],
)
def test_deadlines_adversarial_is_fast(text: str) -> None:
    t0 = time.process_time()
    found = parse_deadlines(text, 2022)
    assert time.process_time() - t0 < 1.0  # CPU time: other processes on the machine do not count
    assert len(found) <= MAX_DEADLINES
