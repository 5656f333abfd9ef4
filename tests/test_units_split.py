"""Unit cells → UnitMention: splitting, roles, prefix carrying, canonical names."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.tables.units import canonical_unit, load_vocabulary, role_labels, split_units, strip_role_labels
from schemas.model import UnitRole

LEAD, CO = UnitRole.LEAD, UnitRole.CO


def _roles(cell: str) -> list[tuple[str, UnitRole]]:
    return [(m.name, m.role) for m in split_units(cell)]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("区政府办公室；区司法局", [("区政府办公室", LEAD), ("区司法局", LEAD)]),
        ("各镇(街道); 区直和市驻区各单位", [("各镇（街道）", LEAD), ("区直和市驻区各单位", LEAD)]),
        ("区卫生健康局、区政务服务数据管理局", [("区卫生健康局", LEAD), ("区政务服务数据管理局", LEAD)]),
        ("区有关单位按职能分工落实", [("区有关单位", LEAD)]),
        ("各镇（街道）；区有关单位按职能分工落实", [("各镇（街道）", LEAD), ("区有关单位", LEAD)]),
        (
            "区人力资源社会保障局牵头，各镇（街道）；区其他单位按职能分工落实",
            [("区人力资源和社会保障局", LEAD), ("各镇（街道）", CO), ("区其他单位", CO)],
        ),
        (
            "区交通运输分局、区科工商务局、区发展改革局牵头，区有关单位按职能分工落实",
            [("区交通运输分局", LEAD), ("区科工商务局", LEAD), ("区发展和改革局", LEAD), ("区有关单位", CO)],
        ),
        ("市教育局牵头，市财政局配合", [("市教育局", LEAD), ("市财政局", CO)]),
        ("县民政局负责，县财政局、县审计局配合", [("县民政局", LEAD), ("县财政局", CO), ("县审计局", CO)]),
        (
            "牵头单位：省发改委；配合单位：省财政厅、省统计局等",
            [("省发展和改革委员会", LEAD), ("省财政厅", CO), ("省统计局", CO)],
        ),
        ("配合单位：各镇（街道）", [("各镇（街道）", CO)]),
        ("区教育局\n区财政局", [("区教育局", LEAD), ("区财政局", LEAD)]),
        ("区教育局，区教育局", [("区教育局", LEAD)]),
        ("", []),
        ("；、，", []),
    ],
)
def test_units_split_roles(cell: str, expected: list[tuple[str, UnitRole]]) -> None:
    assert _roles(cell) == expected


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        (
            "区发展和改革局、教育局、生态环境局、住房和城乡建设局、交通运输局、文广旅体局、卫生健康局",
            [
                "区发展和改革局",
                "区教育局",
                "区生态环境局",
                "区住房和城乡建设局",
                "区交通运输局",
                "区文化广电旅游体育局",
                "区卫生健康局",
            ],
        ),
        # every body prints its own prefix: nothing is carried to the last one
        ("区发展改革局、区科工商务局、市场监督管理局", ["区发展和改革局", "区科工商务局", "市场监督管理局"]),
        # collectives never receive a prefix, and carrying stops at them
        ("市财政局、各镇（街道）、教育局", ["市财政局", "各镇（街道）", "教育局"]),
        # a place-name prefix is carried as printed
        ("某某县发展改革局、统计局", ["某某县发展和改革局", "某某县统计局"]),
        # an unknown department name ending in 局 is still a department
        ("区甲乙丙局、丁戊局", ["区甲乙丙局", "区丁戊局"]),
        # carrying does not cross a clause boundary
        ("区教育局；财政局", ["区教育局", "财政局"]),
    ],
)
def test_units_split_carries_level_prefix(cell: str, names: list[str]) -> None:
    assert [m.name for m in split_units(cell)] == names


def test_units_split_keeps_raw_as_printed() -> None:
    mentions = split_units("区发展和改革局、教育局；各镇(街道)按职能分工落实")
    assert [m.raw for m in mentions] == ["区发展和改革局", "教育局", "各镇(街道)"]
    assert [m.name for m in mentions] == ["区发展和改革局", "区教育局", "各镇（街道）"]


def test_units_split_unknown_body_is_not_in_vocabulary() -> None:
    (m,) = split_units("某某研究会")
    assert (m.name, m.in_vocabulary, m.role) == ("某某研究会", False, LEAD)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("区发展改革局", ("区发展和改革局", True)),
        ("区发改局", ("区发展和改革局", True)),
        ("区发展和改革局", ("区发展和改革局", True)),
        ("市人社局", ("市人力资源和社会保障局", True)),
        ("县人力资源社会保障局", ("县人力资源和社会保障局", True)),
        ("省人社厅", ("省人力资源和社会保障厅", True)),
        ("区人民政府办公室", ("区政府办公室", True)),
        ("各镇(街道)", ("各镇（街道）", True)),
        ("市直和省驻市各单位", ("市直和省驻市各单位", True)),
        ("市场监督管理局", ("市场监督管理局", True)),
        ("市市场监管局", ("市市场监督管理局", True)),
        ("区 教育局", ("区教育局", True)),
        ("区委办", ("区委办公室", True)),
        ("县委组织部", ("县委组织部", True)),
        ("区人武部", ("区人民武装部", True)),
        ("某某协会", ("某某协会", False)),
        ("", ("", False)),
    ],
)
def test_units_canonical_unit(name: str, expected: tuple[str, bool]) -> None:
    assert canonical_unit(name) == expected


def test_units_vocabulary_expands_levels() -> None:
    vocab = load_vocabulary()
    assert {"区", "市", "县", "省"} <= set(vocab.levels)
    assert vocab.depts["发改局"] == "发展和改革局"
    assert vocab.collectives["县直各单位"] == "县直各单位"
    assert vocab.collectives["区直和市驻区单位"] == "区直和市驻区各单位"
    names = vocab.full_names()
    assert "县住房和城乡建设局" in names and "省教育厅" in names
    assert all("{" not in n for n in names)


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from([*list("区市各镇（街道）()、，；;,\n牵头配合局负责按职能分工落实等单位："), "a", "1"])
    )
)
def test_units_split_never_raises(cell: str) -> None:
    for m in split_units(cell):
        assert m.name and m.raw
        assert "(" not in m.name and ")" not in m.name


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_units_split_never_raises_on_any_text(cell: str) -> None:
    split_units(cell)
    canonical_unit(cell)


@pytest.mark.parametrize(
    "cell",
    [
        "（" * 100_000,
        "、" * 100_000,
        "区" * 100_000,
        "区教育局、" * 20_000,
        "按职能分工落实" * 14_000,
        "牵头单位：" * 20_000,
    ],
)
def test_units_split_adversarial_is_fast(cell: str) -> None:
    t0 = time.process_time()
    split_units(cell)
    assert time.process_time() - t0 < 1.0  # CPU time: other processes on the machine do not count


_NAMES = ["区政府办公室", "区司法局", "区卫生健康局", "各镇（街道）", "区直和市驻区各单位", "市财政局", "区教育局"]
_NOTE_NAMES = st.lists(st.sampled_from(_NAMES), min_size=1, max_size=3, unique=True)


@settings(max_examples=150, deadline=None)
@given(
    lead=_NOTE_NAMES,
    other=_NOTE_NAMES,
    lead_word=st.sampled_from([w for w, r in role_labels().items() if r == "lead"]),
    other_word=st.sampled_from([w for w, r in role_labels().items() if r in ("duty", "co")]),
    noun=st.sampled_from(["单位", "部门"]),
    sep=st.sampled_from(["；", ";", "，"]),
    colon=st.sampled_from(["：", ":"]),
)
def test_units_split_labelled_note_roles(
    lead: list[str], other: list[str], lead_word: str, other_word: str, noun: str, sep: str, colon: str
) -> None:
    """``<lead label>：A、B；<duty or co label>：C`` → A, B lead and C co; without labels the names as printed."""
    other = [n for n in other if n not in lead] or ["区审计局"]
    note = f"{lead_word}{noun}{colon}{'、'.join(lead)}{sep}{other_word}{noun}{colon}{'、'.join(other)}"
    assert strip_role_labels(note) == f"{'、'.join(lead)}{sep}{'、'.join(other)}"
    got = _roles(note)
    assert [n for n, r in got if r is LEAD] == [canonical_unit(n)[0] for n in lead]
    assert [n for n, r in got if r is CO] == [canonical_unit(n)[0] for n in other]


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("牵头单位：区政府办公室；责任单位：区直各单位", "区政府办公室；区直各单位"),
        ("责任部门:市科委、市发展改革委", "市科委、市发展改革委"),
        ("区负责任务办公室", "区负责任务办公室"),
        ("", ""),
    ],
)
def test_units_strip_role_labels(note: str, expected: str) -> None:
    assert strip_role_labels(note) == expected


def test_units_duty_label_alone_leads() -> None:
    assert _roles("责任单位：区教育局、区财政局") == [("区教育局", LEAD), ("区财政局", LEAD)]
