"""Task-division tables → Tasks: recognition by header, item splitting, merged rows, sources, problems."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.tables.tasks import split_items, table_to_tasks
from schemas.model import Source, Table, TableCell, TablePart

HEADER = ["工作要求", "具体任务", "具体要求", "牵头落实单位"]


def _table(header: list[str], rows: list[list[str | None]], **kw: object) -> Table:
    return Table(id="t", header=[header] if header else [], rows=rows, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. 甲。", [(1, "1. 甲。")]),
        ("25. 甲。\n26. 乙。", [(25, "25. 甲。"), (26, "26. 乙。")]),
        ("25. 甲。26. 乙。27、丙。", [(25, "25. 甲。"), (26, "26. 乙。"), (27, "27、丙。")]),
        ("5.要规范,依法做好。6.政府", [(5, "5.要规范,依法做好。"), (6, "6.政府")]),
        ("1. 优化 12366 纳税服务平台。", [(1, "1. 优化 12366 纳税服务平台。")]),
        ("1. 于 2022 年底前建成。2. 乙", [(1, "1. 于 2022 年底前建成。"), (2, "2. 乙")]),
        ("1. 权重不低于 4% 的要求，2. 不是新项", [(1, "1. 权重不低于 4% 的要求，2. 不是新项")]),
        ("1. 增长 2.5 倍。2.5 倍", [(1, "1. 增长 2.5 倍。2.5 倍")]),
        ("1. 甲。3. 不是下一项", [(1, "1. 甲。3. 不是下一项")]),
        ("没有编号的文字", [(None, "没有编号的文字")]),
        ("", []),
    ],
)
def test_tasks_split_items(text: str, expected: list[tuple[int | None, str]]) -> None:
    assert split_items(text) == expected


def test_tasks_split_items_continues_at_expected_number() -> None:
    text = "训等方式，培训人员。\n48. 甲。 49. 乙。"
    assert split_items(text, 48) == [(None, "训等方式，培训人员。"), (48, "48. 甲。"), (49, "49. 乙。")]
    assert split_items(text, 50) == [(None, text)]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet=st.sampled_from(list("甲乙丙 2022年12366%.，。")), max_size=20), min_size=1, max_size=8)
)
def test_tasks_split_items_round_trips_numbered_lists(bodies: list[str]) -> None:
    text = "".join(f"{n}. {b}。" for n, b in enumerate(bodies, start=1))
    # a body that itself prints the next number at a sentence boundary (``。3.``) is a real item start
    assume(not re.search(r"(^|[。\s])\d+\.", "".join(f"{b}。" for b in bodies)))
    items = split_items(text)
    assert [s for s, _ in items] == list(range(1, len(bodies) + 1))
    assert "".join(t for _, t in items).replace(" ", "") == text.replace(" ", "")


@settings(max_examples=200, deadline=None)
@given(st.text(), st.one_of(st.none(), st.integers(min_value=0, max_value=999)))
def test_tasks_split_items_never_raises(text: str, expected: int | None) -> None:
    for seq, item in split_items(text, expected):
        assert item
        assert seq is None or seq >= 0


@pytest.mark.parametrize(
    "text", ["1. " + "1." * 50_000, "1. " + "2. " * 33_000, "1." + " " * 100_000 + "2.", "。2." * 33_000]
)
def test_tasks_split_items_adversarial_is_fast(text: str) -> None:
    t0 = time.process_time()
    split_items(text, 1)
    assert time.process_time() - t0 < 1.0  # CPU time: other processes on the machine do not count


@pytest.mark.parametrize(
    "header",
    [
        ["序号", "指标名称", "单位", "2025年目标值", "属性"],
        ["项目", "金额"],
        ["工作要求", "具体要求"],  # no unit column
        [],
    ],
)
def test_tasks_other_tables_give_nothing(header: list[str]) -> None:
    table = _table(header, [["1", "甲", "万元", "5", "预期性"]])
    assert table_to_tasks(table, 2022, "doc-1") == ([], [])


def test_tasks_four_column_table() -> None:
    rows: list[list[str | None]] = [
        ["一、甲要求", "(一)甲任务", "1. 做好甲。2022年底前完成。", "区教育局牵头，区财政局配合"],
        ["一、甲要求", "(一)甲任务", "2. 做好乙。\n3. 做好丙，每季度报送。", "区教育局"],
        ["二、乙要求", "二、乙要求", "4. 做好丁。", "各镇（街道）"],
    ]
    tasks, problems = table_to_tasks(_table(HEADER, rows), 2022, "doc-1/att-1")
    assert problems == []
    assert [(t.id, t.seq) for t in tasks] == [(f"doc-1/att-1/task-{n}", n) for n in range(1, 5)]
    assert [(t.requirement, t.task) for t in tasks] == [
        ("一、甲要求", "(一)甲任务"),
        ("一、甲要求", "(一)甲任务"),
        ("一、甲要求", "(一)甲任务"),
        ("二、乙要求", None),
    ]
    assert (tasks[0].lead_units, tasks[0].co_units) == (["区教育局"], ["区财政局"])
    assert tasks[0].deadlines[0].date == dt.date(2022, 12, 31)
    assert tasks[2].deadlines[0].recurrence is not None
    assert tasks[1].text == "2. 做好乙。" and tasks[2].units_raw == "区教育局"


def test_tasks_item_cell_spanning_the_task_column_gives_no_task() -> None:
    rows: list[list[str | None]] = [
        ["四、丁", "(四)戊", "44. 甲。", "区政府办公室"],
        ["五、己", "45. 乙。", "45. 乙。", "各镇（街道）"],
        ["五、己", "46. 丙。\n47. 丁。", "46. 丙。\n47. 丁。", "各镇（街道）"],
    ]
    tasks, _ = table_to_tasks(_table(HEADER, rows), 2022, "d")
    assert [(t.seq, t.requirement, t.task) for t in tasks] == [
        (44, "四、丁", "(四)戊"),
        (45, "五、己", None),
        (46, "五、己", None),
        (47, "五、己", None),
    ]


def test_tasks_task_group_stops_at_the_next_requirement() -> None:
    rows: list[list[str | None]] = [
        ["四、丁", "(四)戊", "44. 甲。", "区政府办公室"],
        ["五、己", "(四)戊", "45. 乙。", "各镇（街道）"],  # blank resolved from above: not a (四) task
        ["五、己", "(四)戊", "46. 丙。", "各镇（街道）"],
    ]
    tasks, _ = table_to_tasks(_table(HEADER, rows), 2022, "d")
    assert [t.task for t in tasks] == ["(四)戊", None, None]


def test_tasks_empty_group_cell_means_no_group() -> None:
    rows: list[list[str | None]] = [
        ["四、丁", "(四)戊", "44. 甲。", "区政府办公室"],
        ["五、己", "", "45. 乙。", "各镇（街道）"],
        ["五、己", None, "46. 丙。", None],
    ]
    tasks, problems = table_to_tasks(_table(HEADER, rows), 2022, "d")
    assert [(t.requirement, t.task) for t in tasks] == [("四、丁", "(四)戊"), ("五、己", None), ("五、己", None)]
    assert tasks[2].lead_units == ["各镇（街道）"] and problems == []


def test_tasks_repeated_rows_do_not_duplicate() -> None:
    rows: list[list[str | None]] = [
        ["一、甲", "(一)乙", "1. 跨页的要求。", "区教育局"],
        ["一、甲", "(一)乙", "1. 跨页的要求。", "区教育局"],
        ["一、甲", "(一)乙", "2. 下一项。", "区财政局"],
    ]
    tasks, _ = table_to_tasks(_table(HEADER, rows), 2022, "d")
    assert [t.seq for t in tasks] == [1, 2]


def test_tasks_cell_split_over_page_is_joined() -> None:
    rows: list[list[str | None]] = [
        ["二、围绕服务、助力经", "(一)甲", "12.加强协调，要与上级单位", "区政府办公室;区直和市驻"],
        ["济社会 发展", "(一)甲", "对下级单位保持一致。", "区各单位"],
        ["济社会 发展", "(一)甲", "13. 下一项。", "区各单位"],
    ]
    tasks, _ = table_to_tasks(_table(HEADER, rows), 2022, "d")
    assert [t.seq for t in tasks] == [12, 13]
    assert tasks[0].text == "12.加强协调，要与上级单位对下级单位保持一致。"
    assert tasks[0].requirement == tasks[1].requirement == "二、围绕服务、助力经济社会发展"
    assert tasks[0].lead_units == tasks[1].lead_units == ["区政府办公室", "区直和市驻区各单位"]


def test_tasks_deadline_and_sequence_columns() -> None:
    header = ["序号", "重点任务", "责任单位", "配合单位", "完成时限"]
    rows: list[list[str | None]] = [
        ["1", "建成数据平台", "市政务服务数据管理局", "市财政局", "2023年6月底前"],
        ["2", "完善制度", "市司法局", None, "长期坚持"],
    ]
    tasks, problems = table_to_tasks(_table(header, rows), 2023, "doc-3")
    assert problems == []
    assert [(t.id, t.seq, t.text) for t in tasks] == [
        ("doc-3/task-1", 1, "建成数据平台"),
        ("doc-3/task-2", 2, "完善制度"),
    ]
    assert (tasks[0].lead_units, tasks[0].co_units) == (["市政务服务数据管理局"], ["市财政局"])
    assert [d.date for d in tasks[0].deadlines] == [dt.date(2023, 6, 30)]
    assert tasks[1].deadlines == []


def test_tasks_header_in_first_body_row() -> None:
    rows: list[list[str | None]] = [["任务", "责任单位"], ["1. 甲。", "区教育局"]]
    tasks, _ = table_to_tasks(_table([], rows), 2022, "d")
    assert [(t.seq, t.lead_units) for t in tasks] == [(1, ["区教育局"])]


def test_tasks_row_without_unit_is_a_problem() -> None:
    rows: list[list[str | None]] = [["1. 甲。", None]]
    tasks, problems = table_to_tasks(_table(["具体任务", "责任单位"], rows, row_pages=[7]), 2022, "d")
    assert len(tasks) == 1 and tasks[0].lead_units == []
    assert [(p.code, p.page) for p in problems] == [("P301", 7)]


def test_tasks_source_from_anchor_cell() -> None:
    cell_src = Source(page=45, pdf_page=47, bbox=[1.0, 2.0, 3.0, 4.0], text="1. 甲。2. 乙。")
    rows: list[list[str | None]] = [["1. 甲。2. 乙。", "区教育局"]]
    cells = [TableCell(part=TablePart.BODY, row=0, col=0, text="1. 甲。2. 乙。", source=cell_src)]
    tasks, _ = table_to_tasks(_table(["具体任务", "责任单位"], rows, cells=cells), 2022, "d")
    assert [t.source for t in tasks] == [cell_src, cell_src]


def test_tasks_source_from_row_page() -> None:
    rows: list[list[str | None]] = [["1. 甲。", "区教育局"], ["2. 乙。", "区教育局"]]
    table = _table(["具体任务", "责任单位"], rows, row_pages=[44, 45], source=Source(page=44, pdf_page=46))
    tasks, _ = table_to_tasks(table, 2022, "d")
    assert [(t.source.page, t.source.pdf_page) for t in tasks if t.source] == [(44, 46), (45, 47)]


@pytest.mark.parametrize("header", [HEADER, ["序号", "重点任务", "责任单位", "配合单位", "完成时限"]])
@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.text(alphabet=st.sampled_from(list("一、(一)1.2.3²٣。区局牵头，各镇（街道）年底前"))),
                st.text(max_size=30),
            ),
            max_size=5,
        ),
        max_size=8,
    )
)
def test_tasks_table_never_raises(header: list[str], rows: list[list[str | None]]) -> None:
    tasks, problems = table_to_tasks(_table(header, rows), 2022, "d")
    ids = [t.id for t in tasks]
    assert len(ids) == len(set(ids))
    assert all(p.code == "P301" for p in problems)
