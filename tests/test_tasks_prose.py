"""Prose tagged （牵头单位：…） → Tasks, and the issue-wide unit index."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.tables.tasks import documents_to_unit_index, paragraphs_to_tasks, split_unit_tags
from schemas.model import Attachment, Document, Paragraph, Source, Task, UnitMention, UnitRole


def _para(text: str, n: int = 1) -> Paragraph:
    return Paragraph(id=f"doc-1/p-{n}", text=text, source=Source(page=n, line=10 * n))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("做好甲工作。（牵头单位：区教育局）", [("做好甲工作。", "牵头单位：区教育局")]),
        (
            "1. 做好甲。（责任单位：各镇（街道））2. 做好乙。(牵头部门:市发改局；配合部门:市财政局)",
            [("1. 做好甲。", "责任单位：各镇（街道）"), ("2. 做好乙。", "牵头部门:市发改局；配合部门:市财政局")],
        ),
        ("做好丙，（配合单位：区财政局）", [("做好丙", "配合单位：区财政局")]),
        ("（牵头：区教育局）没有名词的不是单位注。", []),
        ("没有单位的句子。", []),
        ("（牵头单位：未闭合", []),
    ],
)
def test_tasks_split_unit_tags(text: str, expected: list[tuple[str, str]]) -> None:
    assert split_unit_tags(text) == expected


def test_tasks_paragraphs_to_tasks() -> None:
    paras = [
        _para("（一）加快平台建设，2023年6月底前上线。（牵头单位：市政务服务数据管理局，配合单位：市财政局）", 1),
        _para("一般性段落，没有单位。", 2),
        _para("2. 每季度通报进展。（责任部门：各县（市、区）政府）", 3),
    ]
    tasks = paragraphs_to_tasks(paras, 2023, "doc-1/prose")
    assert [t.id for t in tasks] == ["doc-1/prose/task-1", "doc-1/prose/task-2"]
    assert [t.seq for t in tasks] == [None, 2]
    assert (tasks[0].lead_units, tasks[0].co_units) == (["市政务服务数据管理局"], ["市财政局"])
    assert tasks[0].deadlines[0].date == dt.date(2023, 6, 30)
    assert tasks[0].source == paras[0].source
    assert tasks[1].lead_units == ["各县（市、区）政府"]
    assert tasks[1].deadlines[0].recurrence is not None


def test_tasks_paragraph_tag_with_time_limit() -> None:
    (task,) = paragraphs_to_tasks([_para("建立台账。（责任单位：区教育局；完成时限：2022年底前）")], 2022, "d")
    assert task.lead_units == ["区教育局"] and task.units_raw == "区教育局"
    assert [(d.raw, d.date) for d in task.deadlines] == [("2022年底前", dt.date(2022, 12, 31))]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from([*list("（）()牵头责任单位部门：:区局、，。1."), "甲"])))
def test_tasks_paragraphs_never_raise(text: str) -> None:
    for t in paragraphs_to_tasks([_para(text)], 2022, "d"):
        assert t.text


@pytest.mark.parametrize("text", ["（牵头单位：" * 15_000, "（" * 100_000 + "（牵头单位：区局）", "甲。" * 50_000])
def test_tasks_paragraphs_adversarial_is_fast(text: str) -> None:
    t0 = time.process_time()
    paragraphs_to_tasks([_para(text)], 2022, "d")
    assert time.process_time() - t0 < 1.0  # CPU time: other processes on the machine do not count


def _task(task_id: str, seq: int, lead: list[str], co: list[str] | None = None) -> Task:
    return Task(id=task_id, seq=seq, text=f"任务{seq}", lead_units=lead, co_units=co or [])


def test_tasks_unit_index_over_documents_and_attachments() -> None:
    prose = Task(
        id="doc-1/prose/task-1",
        text="甲",
        units=[
            UnitMention(raw="区发改局", name="区发展和改革局", role=UnitRole.LEAD, in_vocabulary=True),
            UnitMention(raw="某协会", name="某协会", role=UnitRole.CO, in_vocabulary=False),
        ],
    )
    docs = [
        Document(id="doc-1", title="a", source=Source(page=1), tasks=[prose]),
        Document(
            id="doc-2",
            title="b",
            source=Source(page=5),
            attachments=[
                Attachment(
                    id="doc-2/att-1",
                    title="c",
                    tasks=[
                        _task("doc-2/att-1/task-1", 1, ["区发展改革局"], ["区财政局"]),
                        _task("doc-2/att-1/task-2", 2, ["区财政局"]),
                    ],
                )
            ],
        ),
    ]
    index = documents_to_unit_index(docs)
    assert [e.name for e in index] == sorted(e.name for e in index)
    by_name = {e.name: e for e in index}
    ndrc = by_name["区发展和改革局"]
    assert [(r.document_id, r.task_id) for r in ndrc.leads] == [
        ("doc-1", "doc-1/prose/task-1"),
        ("doc-2", "doc-2/att-1/task-1"),
    ]
    assert ndrc.aliases == ["区发展改革局", "区发改局"] and ndrc.in_vocabulary
    fin = by_name["区财政局"]
    assert [r.seq for r in fin.co_operates] == [1] and [r.seq for r in fin.leads] == [2]
    assert by_name["某协会"].in_vocabulary is False


def test_tasks_unit_index_empty() -> None:
    assert documents_to_unit_index([]) == []


def test_tasks_prose_lead_and_duty_units_without_labels() -> None:
    text = (
        "1.严格执行信息发布各项制度，统筹用好新闻发布会，及时回应社会关切。"
        "（牵头单位：区政府办公室；责任单位：区直和市驻区各单位、各镇（街道））"
    )
    (task,) = paragraphs_to_tasks([_para(text)], 2022, "d")
    assert task.seq == 1
    assert task.text == "1.严格执行信息发布各项制度，统筹用好新闻发布会，及时回应社会关切。"
    assert task.units_raw == "区政府办公室；区直和市驻区各单位、各镇（街道）"
    assert task.lead_units == ["区政府办公室"]
    assert task.co_units == ["区直和市驻区各单位", "各镇（街道）"]


def test_tasks_prose_duty_label_alone_leads() -> None:
    (task,) = paragraphs_to_tasks([_para("推进数据共享。（责任单位：市科委、市发展改革委）")], 2022, "d")
    assert task.text == "推进数据共享。"
    assert task.units_raw == "市科委、市发展改革委"
    assert task.lead_units == ["市科委", "市发展和改革委员会"] and task.co_units == []


def test_tasks_prose_co_label_after_lead() -> None:
    (task,) = paragraphs_to_tasks([_para("（1）建成平台（牵头部门：区数据局，配合部门：区财政局）")], 2022, "d")
    assert (task.seq, task.text, task.units_raw) == (1, "（1）建成平台", "区数据局，区财政局")
    assert (task.lead_units, task.co_units) == (["区数据局"], ["区财政局"])


def test_tasks_prose_two_tasks_in_one_paragraph_keep_their_stops() -> None:
    tasks = paragraphs_to_tasks([_para("1.做好甲。（牵头单位：区教育局）2.做好乙！（牵头单位：区财政局）")], 2022, "d")
    assert [(t.seq, t.text, t.units_raw) for t in tasks] == [
        (1, "1.做好甲。", "区教育局"),
        (2, "2.做好乙！", "区财政局"),
    ]
