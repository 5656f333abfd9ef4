"""The one safe-name function (``pipeline/grammar/names.py``): issue ids, issue folders and readable export names."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.grammar.names import text_to_file_name
from pipeline.run import issue_id_for

_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_FORBIDDEN = set('/\\:*?"<>|') | {chr(c) for c in range(0x20)} | {chr(c) for c in range(0x7F, 0xA0)}

# texts a safe name is most often asked for: titles and unit names with Chinese, paths, devices, controls
_TEXTS = st.one_of(
    st.text(max_size=80),
    st.lists(
        st.sampled_from(
            ["区司法局", "（街道）", "..", "/", "\\", "con", "NUL", ".txt", "\x00", "\u2028", " ", "-", "表1"]
        ),
        max_size=8,
    ).map("".join),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("区司法局", "区司法局"),
        ("各镇（街道）", "各镇（街道）"),
        ("../../etc/passwd", "etc_passwd"),
        ("a:b*c?d", "a_b_c_d"),
        ("a..b", "a.b"),
        ("CON", "fallback_CON"),
        ("nul.txt", "fallback_nul.txt"),
        ("console", "console"),
        ("\u2028\x00", "fallback"),
        ("", "fallback"),
    ],
)
def test_names_text_to_file_name_examples(text: str, expected: str) -> None:
    assert text_to_file_name(text, "fallback") == expected


@given(_TEXTS, st.integers(min_value=5, max_value=120), st.sampled_from(["_", "-"]))
def test_names_text_to_file_name_is_always_one_safe_component(text: str, limit: int, joiner: str) -> None:
    out = text_to_file_name(text, "fallback", limit=limit, joiner=joiner)
    assert out and len(out) <= max(limit, len("fallback"))
    assert not set(out) & _FORBIDDEN and "\u2028" not in out and "\u2029" not in out
    assert ".." not in out and out not in (".", "..")
    assert out[0] not in "._- " and out[-1] not in "._- "
    assert out.partition(".")[0].upper() not in _WINDOWS_DEVICES
    assert text_to_file_name(text, "fallback", limit=limit, joiner=joiner) == out  # stable


@given(st.text(alphabet=st.characters(categories=["Lo"]), min_size=1, max_size=40))
def test_names_text_to_file_name_keeps_chinese(text: str) -> None:
    assert text_to_file_name(text, "fallback") == text


def test_names_issue_id_for_uses_the_one_function() -> None:
    assert issue_id_for(Path("/in/maonan-2022-03.pdf")) == "maonan-2022-03"
    assert issue_id_for(Path("/in/某区政府公报 2022年第3期.pdf")) == "某区政府公报-2022年第3期"
    assert issue_id_for(Path("/in/...pdf")) == "issue"
    assert issue_id_for(Path("/in/" + "公" * 200 + ".pdf")) == "公" * 120
