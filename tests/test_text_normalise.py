"""Whitespace normalisation and numerals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.grammar.numerals import cn_to_int
from pipeline.grammar.text import ends_sentence, normalise, one_line


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("茂南府〔2022〕2 号", "茂南府〔2022〕2号"),
        ("茂南区 2022 年", "茂南区2022年"),
        ("GB 21734 标准", "GB 21734标准"),
        ("Hello   world", "Hello world"),
        ("  各镇 （街道）  ", "各镇（街道）"),
        ("第一行\n\n 第二行 ", "第一行\n第二行"),
    ],
)
def test_text_normalise(raw: str, norm: str) -> None:
    assert normalise(raw) == norm


def test_text_one_line_joins_titles() -> None:
    assert (
        one_line("关于印发\n茂南区 2022 年政务公开工作要点\n分工方案的通知")
        == "关于印发茂南区2022年政务公开工作要点分工方案的通知"
    )


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("三", 3),
        ("十二", 12),
        ("二十一", 21),
        ("一百零五", 105),
        ("二〇二二", 2022),
        ("12", 12),
        ("abc", None),
        ("", None),
    ],
)
def test_text_cn_to_int(text: str, n: int | None) -> None:
    assert cn_to_int(text) == n


@pytest.mark.parametrize(
    ("text", "ends"), [("请认真贯彻落实。", True), ("通知》", False), ("整改完毕。”", True), ("持续变", False)]
)
def test_text_ends_sentence(text: str, ends: bool) -> None:
    assert ends_sentence(text) is ends


@given(st.text(max_size=200))
def test_text_normalise_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
