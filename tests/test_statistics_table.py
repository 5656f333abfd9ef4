"""table_to_statistics on the corpus's 表 1–3 (built by hand from the gazette) and on period-table variants."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.tables.statistics import is_period, parse_stat_value, split_label_unit, table_to_statistics
from schemas.model import Source, Table, TableCell, TablePart

YEARS = ["2016", "2017", "2018", "2019", "2020"]


def stat_table(number: int, rows: list[list[str | None]], page: int, header: list[str] | None = None) -> Table:
    return Table(
        id=f"doc-1/att-1/table-{number}",
        number=number,
        caption=f"表 {number}",
        header=[header if header is not None else ["", *YEARS]],
        rows=rows,
        pages=[page],
        row_pages=[page] * len(rows),
        source=Source(page=page, pdf_page=page + 2, bbox=[90.0, 300.0, 505.0, 420.0]),
    )


TABLE_1 = stat_table(
    1,
    [
        ["检查企业（家次）", "88", "103", "89", "106", "132"],
        ["发现隐患（处）", "205", "358", "379", "375", "424"],
        ["落实整改（处）", "205", "337", "357", "375", "424"],
    ],
    10,
)
TABLE_2 = stat_table(
    2,
    [
        ["检查公司 (家)", "3", "3", "4", "4", "4"],
        ["零售点 (个)", "105", "142", "157", "152", "232"],
        ["发现隐患 (处)", "---", "178", "201", "103", "78"],
        ["落实整改 (处)", "---", "178", "201", "103", "78"],
    ],
    11,
)
TABLE_3 = stat_table(
    3,
    [
        ["检查企业（家次）", "82", "131", "106", "85", "103"],
        ["整改令", "14", "46", "40", "33", "95"],
        ["责令整改", "26", "321", "214", "145", "474"],
        ["落实整改（处）", "26", "321", "214", "145", "474"],
    ],
    12,
)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            TABLE_1,
            [
                ("检查企业（家次）", "检查企业", "家次", [88, 103, 89, 106, 132]),
                ("发现隐患（处）", "发现隐患", "处", [205, 358, 379, 375, 424]),
                ("落实整改（处）", "落实整改", "处", [205, 337, 357, 375, 424]),
            ],
        ),
        (
            TABLE_2,
            [
                ("检查公司(家)", "检查公司", "家", [3, 3, 4, 4, 4]),
                ("零售点(个)", "零售点", "个", [105, 142, 157, 152, 232]),
                ("发现隐患(处)", "发现隐患", "处", [None, 178, 201, 103, 78]),
                ("落实整改(处)", "落实整改", "处", [None, 178, 201, 103, 78]),
            ],
        ),
        (
            TABLE_3,
            [
                ("检查企业（家次）", "检查企业", "家次", [82, 131, 106, 85, 103]),
                ("整改令", "整改令", None, [14, 46, 40, 33, 95]),
                ("责令整改", "责令整改", None, [26, 321, 214, 145, 474]),
                ("落实整改（处）", "落实整改", "处", [26, 321, 214, 145, 474]),
            ],
        ),
    ],
    ids=["table-1", "table-2", "table-3"],
)
def test_statistics_corpus_tables(table: Table, expected: list[tuple[object, ...]]) -> None:
    stat = table_to_statistics(table)
    assert stat is not None
    assert (stat.table_id, stat.number, stat.caption) == (table.id, table.number, table.caption)
    assert stat.columns == YEARS
    assert [(s.label, s.quantity, s.unit, s.values) for s in stat.series] == expected


def test_statistics_missing_marks_are_none_never_zero() -> None:
    stat = table_to_statistics(TABLE_2)
    assert stat is not None
    assert stat.series[2].values[0] is None
    assert all(v is None or v > 0 for s in stat.series for v in s.values)


def test_statistics_series_source_is_the_row() -> None:
    stat = table_to_statistics(TABLE_1)
    assert stat is not None
    src = stat.series[1].source
    assert src is not None
    assert (src.page, src.pdf_page, src.text) == (10, 12, "发现隐患（处）")


def test_statistics_series_source_from_label_cell() -> None:
    cell_src = Source(page=10, pdf_page=12, bbox=[90.0, 330.0, 200.0, 345.0], text="检查企业（家次）")
    cells = [TableCell(part=TablePart.BODY, row=0, col=0, text="检查企业（家次）", source=cell_src)]
    stat = table_to_statistics(TABLE_1.model_copy(update={"cells": cells}))
    assert stat is not None
    assert stat.series[0].source == cell_src


@pytest.mark.parametrize(
    "header",
    [
        ["", "2016年", "2017年", "2018年"],
        ["项目", "2016 年", "2017 年", "2018 年"],
        ["年份", "2016年度", "2017年度", "2018年度"],
        ["", "一季度", "二季度", "三季度"],
        ["指标", "1月", "2月", "3月"],
        ["", "2021年上半年", "2021年下半年", "合计"],
        ["", "１０月", "１１月", "１２月"],
    ],
)
def test_statistics_period_headers(header: list[str]) -> None:
    rows: list[list[str | None]] = [["检查企业（家次）", "1,234", "5.5%", "—"], ["整改令", "-", "／", ""]]
    stat = table_to_statistics(Table(id="t", header=[header], rows=rows))
    assert stat is not None
    assert len(stat.columns) == 3
    assert [s.values for s in stat.series] == [[1234.0, 5.5, None], [None, None, None]]
    assert [s.unit for s in stat.series] == ["家次", None]


def test_statistics_percent_row_gets_percent_unit() -> None:
    rows: list[list[str | None]] = [["隐患整改率", "100%", "94.1％", "—"], ["检查企业", "88", "90%", "1"]]
    stat = table_to_statistics(Table(id="t", header=[["", "2016", "2017", "2018"]], rows=rows))
    assert stat is not None
    assert [(s.quantity, s.unit, s.values) for s in stat.series] == [
        ("隐患整改率", "%", [100.0, 94.1, None]),
        ("检查企业", None, [88.0, 90.0, 1.0]),
    ]


def test_statistics_unit_column() -> None:
    header = ["指标", "单位", "2019", "2020"]
    rows: list[list[str | None]] = [["生产总值", "亿元", "1,200.5", "1,300"]]
    stat = table_to_statistics(Table(id="t", header=[header], rows=rows))
    assert stat is not None
    assert stat.columns == ["2019", "2020"]
    assert (stat.series[0].unit, stat.series[0].quantity, stat.series[0].values) == (
        "亿元",
        "生产总值",
        [1200.5, 1300.0],
    )


def test_statistics_header_printed_as_first_body_row() -> None:
    table = TABLE_1.model_copy(update={"header": [], "rows": [["", *YEARS], *TABLE_1.rows], "row_pages": [10] * 4})
    stat = table_to_statistics(table)
    assert stat is not None
    assert stat.columns == YEARS
    assert [s.values[0] for s in stat.series] == [88.0, 205.0, 205.0]


def test_statistics_periods_down_the_first_column() -> None:
    header = ["年份", "检查企业（家次）", "发现隐患（处）"]
    rows: list[list[str | None]] = [["2016", "88", "205"], ["2017", "103", "358"], ["2018", "89", "379"]]
    stat = table_to_statistics(Table(id="t", header=[header], rows=rows))
    assert stat is not None
    assert stat.columns == ["2016", "2017", "2018"]
    assert [(s.quantity, s.unit, s.values) for s in stat.series] == [
        ("检查企业", "家次", [88.0, 103.0, 89.0]),
        ("发现隐患", "处", [205.0, 358.0, 379.0]),
    ]


@pytest.mark.parametrize(
    ("header", "rows"),
    [
        (
            ["序号", "类别", "指标", "指标值", "指标属性"],
            [["1", "安全生产", "生产安全事故死亡人数", "下降 15%", "约束性"]],
        ),
        (["序号", "分类", "主要任务"], [["1", "非煤矿山", "提高安全准入门槛。"]]),
        (["", "2016", "备注"], [["检查企业", "88", "无"]]),
        (["", "2021年", "2022年"], [["重点任务", "完成摸底调查。", "全面推行标准化建设。"]]),
        (["", "2016"], [["检查企业", "88"]]),
    ],
)
def test_statistics_non_period_tables_give_none(header: list[str], rows: list[list[str | None]]) -> None:
    assert table_to_statistics(Table(id="t", header=[header], rows=rows)) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("88", 88.0),
        (" 1,234 ", 1234.0),
        ("97.5%", 97.5),
        ("１２３", 123.0),
        ("-3.5", -3.5),
        ("---", None),
        ("—", None),
        ("-", None),
        ("／", None),
        ("", None),
        (None, None),
        ("约100", None),
    ],
)
def test_statistics_parse_stat_value(text: str | None, value: float | None) -> None:
    assert parse_stat_value(text) == value


@pytest.mark.parametrize(
    ("label", "quantity", "unit"),
    [
        ("检查企业（家次）", "检查企业", "家次"),
        ("检查公司(家)", "检查公司", "家"),
        ("整改令", "整改令", None),
        ("（家）", "（家）", None),
        ("比例（2020）", "比例（2020）", None),
        ("每百平方公里雨量（气象）站数量", "每百平方公里雨量（气象）站数量", None),
    ],
)
def test_statistics_split_label_unit(label: str, quantity: str, unit: str | None) -> None:
    assert split_label_unit(label) == (quantity, unit)


@pytest.mark.parametrize(("text", "expected"), [("2016", True), ("2016年", True), ("四季度", True), ("合计", False)])
def test_statistics_is_period(text: str, expected: bool) -> None:
    assert is_period(text) is expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_statistics_text_helpers_never_raise(a: str, b: str) -> None:
    parse_stat_value(a)
    split_label_unit(b)
    is_period(a)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.text(max_size=8)), min_size=0, max_size=6), max_size=6))
def test_statistics_never_raises_on_any_table(rows: list[list[str | None]]) -> None:
    table_to_statistics(Table(id="t", header=[["", *YEARS]], rows=rows))


@pytest.mark.parametrize("text", ["1" * 100_000, "(" * 100_000 + ")", "2016年" * 20_000, "1,00" * 25_000])
def test_statistics_text_helpers_fast_on_100kb(text: str) -> None:
    began = time.process_time()
    parse_stat_value(text)
    split_label_unit(text)
    is_period(text)
    assert time.process_time() - began < 0.5


@pytest.mark.parametrize("big", ["中 " * 50_000, "\n" * 100_000, "（" * 100_000 + "）"])
def test_statistics_fast_on_100kb_cells(big: str) -> None:
    began = time.process_time()
    assert table_to_statistics(Table(id="t", header=[["", *YEARS]], rows=[[big] * 6])) is None
    assert time.process_time() - began < 2.0  # linear: ~0.1 s on an idle core


def test_statistics_repeated_header_row_in_body_is_skipped() -> None:
    header = ["项目", *YEARS]
    rows = [*TABLE_3.rows[:2], list(header), *TABLE_3.rows[2:]]
    stat = table_to_statistics(TABLE_3.model_copy(update={"header": [header], "rows": rows, "row_pages": [12] * 5}))
    expected = table_to_statistics(TABLE_3)
    assert stat is not None and expected is not None
    assert [(s.label, s.values) for s in stat.series] == [(s.label, s.values) for s in expected.series]
