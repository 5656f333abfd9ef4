"""table_to_indicators on the corpus's 指标表 (document 1's plan attachment), built by hand from the gazette."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.tables.indicators import column_headers, is_indicator_table, row_sources, table_to_indicators
from schemas.model import IndicatorAttribute, Source, Table, TableCell, TablePart, TargetOp

HEADER = ["序号", "类别", "指标", "指标值", "指标属性"]

# The body rows as printed in corpus/maonan-2022-03.txt (category cells only on the first row of each group).
CORPUS_ROWS = """\
1	安全生产	生产安全事故死亡人数	下降 15%	约束性
2		亿元地区生产总值生产安全事故死亡率	下降 33%	约束性
3		工矿商贸就业人员十万人生产安全事故死亡率	下降 20%	约束性
4		道路交通万车死亡率	下降 4%	预期性
5		十万人口火灾死亡率	<0.15	预期性
6	防灾减灾	年均因灾直接经济损失占地区生产总值比例	<1%*	预期性
7		年均每百万人口因自然灾害死亡率	<1*	预期性
8		年均每十万人受灾人次	<15000*	预期性
9		主要河流控制断面洪水预警发布率	100%	预期性
10		暴雨预警准确度	≥ 80%	预期性
11		每百平方公里雨量（气象）站数量	≥ 5	预期性
12		台风风暴潮增水预报偏差	50 厘米	预期性
13		陆域人口稠密区/近海海域地震监测能力	1.0 级/2.5 级	预期性
14		地震基本参数自动速报时效	≤ 1 分钟	预期性
15		重点区域林火瞭望监测覆盖率	≥ 90%	预期性
16		森林火灾受害率	≤ 1‰	预期性
17		受灾群众基本生活初步救助时间	<8 小时	预期性
18	应急救援	灾害预警信息公众覆盖率	≥ 95%	预期性
19		灾害事故救援现场应急通信保障率	100%	预期性
20		专职消防人员占全区总人口比例	≥ 0.4‰	预期性
21		森林消防应急队伍达标率	≥ 90%	预期性
22		应急航空救援力量到达重大灾害事故风险区域时间	<1 小时	预期性
23		内河应急处置现场到达时间	<2 小时	预期性
24		24 小时森林火灾扑灭率	≥ 95%	预期性
25		县级以上应急管理部门装备达标率	100%	预期性
26	综合	应急管理干部专业培训率	100%	预期性
27		应急管理执法信息系统使用率	100%	预期性"""

PRINTED = [r.split("\t") for r in CORPUS_ROWS.splitlines()]


def _resolved(rows: list[list[str]]) -> list[list[str | None]]:
    """Category cells carried down, as the table stage resolves a vertically merged cell."""
    out: list[list[str | None]] = []
    category = ""
    for r in rows:
        category = r[1] or category
        out.append([r[0], category, *r[2:]])
    return out


def _pages(n_rows: int) -> list[int | None]:
    # printed page 21 holds rows 1–22, page 22 rows 23–27
    return [21 if i < 22 else 22 for i in range(n_rows)]


def corpus_table(rows: list[list[str | None]] | None = None, pages: list[int | None] | None = None) -> Table:
    body = rows if rows is not None else _resolved(PRINTED)
    return Table(
        id="doc-1/att-1/table-4",
        caption="专栏 茂名市茂南区应急管理“十四五”规划指标表",
        header=[HEADER],
        rows=body,
        pages=[21, 22],
        row_pages=pages if pages is not None else _pages(len(body)),
        source=Source(page=21, pdf_page=23, bbox=[90.0, 400.0, 505.0, 780.0]),
    )


def _facts(table: Table) -> list[tuple[object, ...]]:
    indicators, problems = table_to_indicators(table, "doc-1/att-1")
    assert problems == []
    return [(i.id, i.seq, i.category, i.name, i.target, i.attribute) for i in indicators]


def test_indicators_corpus_table_counts() -> None:
    table = corpus_table()
    assert is_indicator_table(table)
    indicators, problems = table_to_indicators(table, "doc-1/att-1")
    assert problems == []
    assert len(indicators) == 27
    assert [i.seq for i in indicators] == list(range(1, 28))
    cats = [i.category for i in indicators]
    assert (cats.count("安全生产"), cats.count("防灾减灾"), cats.count("应急救援"), cats.count("综合")) == (5, 12, 8, 2)
    attrs = [i.attribute for i in indicators]
    assert attrs.count(IndicatorAttribute.BINDING) == 3
    assert attrs.count(IndicatorAttribute.EXPECTED) == 24
    assert all(i.target.op is not None for i in indicators)


@pytest.mark.parametrize(
    ("seq", "name", "op", "value", "value2", "unit", "footnote"),
    [
        (1, "生产安全事故死亡人数", TargetOp.DECREASE, 15.0, None, "%", None),
        (5, "十万人口火灾死亡率", TargetOp.LT, 0.15, None, None, None),
        (6, "年均因灾直接经济损失占地区生产总值比例", TargetOp.LT, 1.0, None, "%", "*"),
        (7, "年均每百万人口因自然灾害死亡率", TargetOp.LT, 1.0, None, None, "*"),
        (8, "年均每十万人受灾人次", TargetOp.LT, 15000.0, None, None, "*"),
        (9, "主要河流控制断面洪水预警发布率", TargetOp.EQ, 100.0, None, "%", None),
        (11, "每百平方公里雨量（气象）站数量", TargetOp.GE, 5.0, None, None, None),
        (12, "台风风暴潮增水预报偏差", TargetOp.EQ, 50.0, None, "厘米", None),
        (13, "陆域人口稠密区/近海海域地震监测能力", TargetOp.EQ, 1.0, 2.5, "级", None),
        (14, "地震基本参数自动速报时效", TargetOp.LE, 1.0, None, "分钟", None),
        (16, "森林火灾受害率", TargetOp.LE, 1.0, None, "‰", None),
        (17, "受灾群众基本生活初步救助时间", TargetOp.LT, 8.0, None, "小时", None),
        (18, "灾害预警信息公众覆盖率", TargetOp.GE, 95.0, None, "%", None),
        (20, "专职消防人员占全区总人口比例", TargetOp.GE, 0.4, None, "‰", None),
        (24, "24小时森林火灾扑灭率", TargetOp.GE, 95.0, None, "%", None),
        (27, "应急管理执法信息系统使用率", TargetOp.EQ, 100.0, None, "%", None),
    ],
)
def test_indicators_corpus_values(
    seq: int, name: str, op: TargetOp, value: float, value2: float | None, unit: str | None, footnote: str | None
) -> None:
    indicators, _ = table_to_indicators(corpus_table(), "doc-1/att-1")
    ind = indicators[seq - 1]
    assert (ind.id, ind.seq, ind.name) == (f"doc-1/att-1/ind-{seq}", seq, name)
    t = ind.target
    assert (t.op, t.value, t.value2, t.unit, t.footnote) == (op, value, value2, unit, footnote)


def test_indicators_row_18_category_printed_on_its_row() -> None:
    indicators, _ = table_to_indicators(corpus_table(), "doc-1/att-1")
    assert [i.category for i in indicators[16:18]] == ["防灾减灾", "应急救援"]


def test_indicators_unresolved_category_cells_carried_forward() -> None:
    unresolved: list[list[str | None]] = [[r[0], r[1] or None, *r[2:]] for r in PRINTED]
    assert _facts(corpus_table(unresolved)) == _facts(corpus_table())


def _split_18(first: list[str | None], second: list[str | None]) -> list[list[str | None]]:
    rows = _resolved(PRINTED)
    return [*rows[:17], first, second, *rows[18:]]


SPLIT_VARIANTS = {
    # the table stage carried every blank cell of the continuation row down from above
    "carried": (
        ["18", "应急救援", "灾害预警信息", "≥ 95%", "预期性"],
        ["18", "应急救援", "公众覆盖率", "≥ 95%", "预期性"],
    ),
    # the target and attribute are printed on the second page only
    "target-below": (["18", "应急救援", "灾害预警信息", "", ""], ["", "应急救援", "公众覆盖率", "≥ 95%", "预期性"]),
    # the continuation row holds nothing but the rest of the name
    "name-only": (["18", "应急救援", "灾害预警信息", "≥ 95%", "预期性"], [None, None, "公众覆盖率", None, None]),
    # same 序号 printed again, target on the first part only
    "same-seq-empty-target": (["18", "应急救援", "灾害预警信息", "≥ 95%", "预期性"], ["18", "", "公众覆盖率", "", ""]),
}


@pytest.mark.parametrize("variant", sorted(SPLIT_VARIANTS))
def test_indicators_name_split_over_page_break_is_one_indicator(variant: str) -> None:
    first, second = SPLIT_VARIANTS[variant]
    rows = _split_18(first, second)
    pages = [21] * 18 + [22] * 10
    assert _facts(corpus_table(rows, pages)) == _facts(corpus_table())


def test_indicators_repeated_header_row_in_body_is_skipped() -> None:
    rows = _resolved(PRINTED)
    with_header: list[list[str | None]] = [*rows[:22], list(HEADER), *rows[22:]]
    assert _facts(corpus_table(with_header)) == _facts(corpus_table())


def test_indicators_header_printed_as_first_body_row() -> None:
    table = corpus_table([list(HEADER), *_resolved(PRINTED)], [21, *_pages(27)]).model_copy(update={"header": []})
    assert is_indicator_table(table)
    assert _facts(table) == _facts(corpus_table())


def test_indicators_columns_in_any_order_and_wording() -> None:
    order = [4, 2, 0, 3, 1]  # 指标属性 / 指标 / 序号 / 指标值 / 类别
    header = ["属性", "指标名称", "编号", "2025年目标值", "领域"]
    rows: list[list[str | None]] = [[r[k] for k in order] for r in _resolved(PRINTED)]
    table = Table(id="t", header=[header], rows=rows)
    indicators, problems = table_to_indicators(table, "doc-1/att-1")
    assert problems == []
    assert [(i.seq, i.category, i.name, i.target, i.attribute) for i in indicators] == [
        f[1:] for f in _facts(corpus_table())
    ]


def test_indicators_year_column_is_the_target() -> None:
    table = Table(
        id="t",
        header=[["序号", "类别", "指标", "单位", "2020年", "2025年", "属性"]],
        rows=[
            ["1", "经济", "地区生产总值增速", "%", "6", "≥ 7", "预期性"],
            ["2", "", "城镇新增就业", "万人", "1.2", "1.5", "预期性"],
        ],
    )
    indicators, problems = table_to_indicators(table, "doc-3/att-1")
    assert problems == []
    assert [(i.id, i.category, i.target.op, i.target.value, i.target.unit) for i in indicators] == [
        ("doc-3/att-1/ind-1", "经济", TargetOp.GE, 7.0, "%"),
        ("doc-3/att-1/ind-2", "经济", TargetOp.EQ, 1.5, "万人"),
    ]


def test_indicators_unparsed_target_is_p201_problem() -> None:
    rows = _resolved(PRINTED)
    rows[4] = ["5", "安全生产", "十万人口火灾死亡率", "明显下降", "预期性"]
    indicators, problems = table_to_indicators(corpus_table(rows), "doc-1/att-1")
    assert len(indicators) == 27
    assert indicators[4].target.op is None
    assert indicators[4].target.raw == "明显下降"
    assert [(p.code, p.page) for p in problems] == [("P201", 21)]


def test_indicators_source_from_table_source_and_row_page() -> None:
    indicators, _ = table_to_indicators(corpus_table(), "doc-1/att-1")
    first, last = indicators[0].source, indicators[26].source
    assert first is not None and last is not None
    assert (first.page, first.pdf_page, first.text) == (21, 23, "生产安全事故死亡人数")
    assert (last.page, last.pdf_page) == (22, 24)


def test_indicators_source_from_name_cell() -> None:
    cell_source = Source(page=21, pdf_page=23, bbox=[150.0, 420.0, 330.0, 440.0], text="生产安全事故死亡人数")
    cells = [TableCell(part=TablePart.BODY, row=0, col=2, text="生产安全事故死亡人数", source=cell_source)]
    table = corpus_table().model_copy(update={"cells": cells})
    indicators, _ = table_to_indicators(table, "doc-1/att-1")
    assert indicators[0].source == cell_source
    assert row_sources(table, 2)[0] == cell_source


def test_indicators_ids_unique_when_seq_repeats() -> None:
    rows: list[list[str | None]] = [["1", "甲", "指标一", "100%", "预期性"], ["1", "乙", "指标二", "50%", "约束性"]]
    indicators, _ = table_to_indicators(Table(id="t", header=[HEADER], rows=rows), "p")
    assert [i.id for i in indicators] == ["p/ind-1", "p/ind-1-2"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (HEADER, True),
        (["序号", "指标", "目标值", "指标属性"], True),
        (["", "2016", "2017", "2018", "2019", "2020"], False),
        (["序号", "分类", "主要任务"], False),
        (["工作要求", "具体任务", "具体要求", "牵头落实单位"], False),
        (["序号", "指标", "指标值"], False),
    ],
)
def test_indicators_is_indicator_table(header: list[str], expected: bool) -> None:
    rows: list[list[str | None]] = [["1", "x", "y", "100%", "预期性", "z"][: len(header)]]
    assert is_indicator_table(Table(id="t", header=[header], rows=rows)) is expected


def test_indicators_not_an_indicator_table_gives_nothing() -> None:
    table = Table(id="t", header=[["", "2016", "2017"]], rows=[["检查企业（家次）", "88", "103"]])
    assert table_to_indicators(table, "p") == ([], [])


def test_indicators_column_headers_join_header_rows() -> None:
    table = Table(id="t", header=[["指标", "指标值", "指标值"], ["", "2020 年", "2025 年"]], rows=[])
    assert column_headers(table) == ["指标", "指标值2020年", "指标值2025年"]


@pytest.mark.parametrize("big", ["中 " * 50_000, "\n" * 100_000, "约束性" * 30_000, "<" * 100_000])
def test_indicators_fast_on_100kb_cells(big: str) -> None:
    table = Table(id="t", header=[HEADER], rows=[["1", big, big, big, big], [big, big, big, big, big]])
    began = time.process_time()
    indicators, problems = table_to_indicators(table, "p")
    assert time.process_time() - began < 2.0  # linear: ~0.1 s on an idle core
    assert len(indicators) == len(problems)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.none(), st.sampled_from(["", "1", "2", "安全", "指标", "≥ 5%", "约束性"]), st.text(max_size=8)
            ),
            max_size=6,
        ),
        max_size=8,
    )
)
def test_indicators_never_raise_on_any_rows(rows: list[list[str | None]]) -> None:
    indicators, problems = table_to_indicators(Table(id="t", header=[HEADER], rows=rows), "p")
    assert len({i.id for i in indicators}) == len(indicators)
    assert len(problems) == sum(1 for i in indicators if i.target.op is None)
    assert all(i.name for i in indicators)


def test_indicators_ids_unique_when_seq_missing() -> None:
    header = ["指标", "指标值", "指标属性"]
    rows: list[list[str | None]] = [["指标一", "100%", "预期性"], ["指标二", "50%", "约束性"]]
    indicators, _ = table_to_indicators(Table(id="t", header=[header], rows=rows), "p")
    assert [i.id for i in indicators] == ["p/ind-1", "p/ind-2"]
