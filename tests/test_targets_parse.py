"""parse_target: every target form of the corpus's indicator table, the usual variants, and junk."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.grammar.targets import parse_target
from pipeline.grammar.width import fold_width
from schemas.model import TargetOp

LT, LE, GT, GE, EQ = TargetOp.LT, TargetOp.LE, TargetOp.GT, TargetOp.GE, TargetOp.EQ
DEC, INC = TargetOp.DECREASE, TargetOp.INCREASE


@pytest.mark.parametrize(
    ("raw", "op", "value", "value2", "unit", "footnote"),
    [
        # the corpus's forms
        ("下降 15%", DEC, 15.0, None, "%", None),
        ("下降 4%", DEC, 4.0, None, "%", None),
        ("<0.15", LT, 0.15, None, None, None),
        ("<1%*", LT, 1.0, None, "%", "*"),
        ("<1*", LT, 1.0, None, None, "*"),
        ("<15000*", LT, 15000.0, None, None, "*"),
        ("100%", EQ, 100.0, None, "%", None),
        ("≥ 80%", GE, 80.0, None, "%", None),
        ("≥ 5", GE, 5.0, None, None, None),
        ("50 厘米", EQ, 50.0, None, "厘米", None),
        ("1.0 级/2.5 级", EQ, 1.0, 2.5, "级", None),
        ("≤ 1 分钟", LE, 1.0, None, "分钟", None),
        ("≤ 1‰", LE, 1.0, None, "‰", None),
        ("≥ 0.4‰", GE, 0.4, None, "‰", None),
        ("<8 小时", LT, 8.0, None, "小时", None),
        # directions
        ("提高 10%", INC, 10.0, None, "%", None),
        ("增长5%", INC, 5.0, None, "%", None),
        ("降低 3 个百分点", DEC, 3.0, None, "个百分点", None),
        ("减少20%", DEC, 20.0, None, "%", None),
        # ASCII and full-width operators, full-width digits
        ("<=5", LE, 5.0, None, None, None),
        (">= 90 %", GE, 90.0, None, "%", None),
        (">3", GT, 3.0, None, None, None),
        ("＜１５％", LT, 15.0, None, "%", None),
        ("≦ 2", LE, 2.0, None, None, None),
        ("≧９８．５％", GE, 98.5, None, "%", None),
        ("＝100%", EQ, 100.0, None, "%", None),
        # Chinese wording
        ("不低于 90%", GE, 90.0, None, "%", None),
        ("不少于3次", GE, 3.0, None, "次", None),
        ("不高于 0.5‰", LE, 0.5, None, "‰", None),
        ("不超过 2 小时", LE, 2.0, None, "小时", None),
        ("95%以上", GE, 95.0, None, "%", None),
        ("5%以下", LE, 5.0, None, "%", None),
        ("30 分钟以内", LE, 30.0, None, "分钟", None),
        # numbers and units
        ("15,000人", EQ, 15000.0, None, "人", None),
        ("≥ 5次/年", GE, 5.0, None, "次/年", None),
        ("<1%①", LT, 1.0, None, "%", "①"),
        ("1/2", EQ, 1.0, 2.0, None, None),
        # junk: not a target
        ("", None, None, None, None, None),
        ("—", None, None, None, None, None),
        ("翻一番", None, None, None, None, None),
        ("稳步提升", None, None, None, None, None),
        ("≥", None, None, None, None, None),
        ("1.0 级/2.5 米", None, None, None, None, None),
        ("≥ 5 以下", None, None, None, None, None),
        ("24 小时森林火灾扑灭率", None, None, None, None, None),
    ],
)
def test_targets_parse_forms(
    raw: str, op: TargetOp | None, value: float | None, value2: float | None, unit: str | None, footnote: str | None
) -> None:
    t = parse_target(raw)
    assert t.raw == raw
    assert (t.op, t.value, t.value2, t.unit, t.footnote) == (op, value, value2, unit, footnote)


def test_targets_parse_keeps_raw_exactly() -> None:
    assert parse_target(" ≥ 95% ").raw == " ≥ 95% "


def test_targets_fold_width() -> None:
    assert fold_width("＜１５．５％　≦≧") == "<15.5% ≤≥"


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("0123456789.,%‰*<>=≤≥/ 级小时下降提高以上以下不低于＜％１-—")), max_size=40)
)
def test_targets_parse_never_raises_on_target_soup(raw: str) -> None:
    t = parse_target(raw)
    assert t.raw == raw
    assert (t.op is None) == (t.value is None)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_targets_parse_never_raises_on_any_text(raw: str) -> None:
    assert parse_target(raw).raw == raw


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["<", "≤", "≥", ">", "", "下降", "提高", "不低于"]),
    st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "%", "‰", "小时", "分钟", "厘米"]),
)
def test_targets_parse_round_trips_generated_targets(prefix: str, number: object, unit: str) -> None:
    raw = f"{prefix} {number}{unit}"
    t = parse_target(raw)
    assert t.op is not None
    assert t.value == pytest.approx(float(str(number)))
    assert t.unit == (unit or None)


@pytest.mark.parametrize(
    "raw",
    [
        "1" * 100_000,
        "≥" * 100_000,
        "1." * 50_000,
        "1,000" * 20_000,
        "1%" * 50_000 + "*",
        "<" + "9" * 99_999,
        "下降" + " " * 99_990 + "15%",
        "*" * 100_000,
    ],
)
def test_targets_parse_is_fast_on_100kb(raw: str) -> None:
    began = time.perf_counter()
    t = parse_target(raw)
    assert time.perf_counter() - began < 0.2
    assert t.raw == raw
