"""Tasks and the unit index in the issue the whole pipeline builds from the corpus (PDF and TXT)."""

from __future__ import annotations

import datetime as dt

import pytest

from schemas.model import DeadlineKind, Issue, Recurrence, Task


def _tasks(issue: Issue) -> dict[int, Task]:
    doc = next(d for d in issue.documents if any(a.tasks for a in d.attachments))
    (att,) = [a for a in doc.attachments if a.tasks]
    return {t.seq: t for t in att.tasks if t.seq is not None}


def test_tasks_issue_numbers_and_groups(corpus_issue: Issue) -> None:
    tasks = _tasks(corpus_issue)
    assert sorted(tasks) == list(range(1, 55))
    assert all(t.requirement and t.requirement[0] in "一二三四五" for t in tasks.values())
    assert [n for n, t in tasks.items() if t.task is None] == list(range(45, 55))
    assert tasks[23].requirement == "二、围绕服务中心工作、助力经济社会平稳健康发展深化重点领域信息公开"


def test_tasks_issue_units(corpus_issue: Issue) -> None:
    tasks = _tasks(corpus_issue)
    assert tasks[1].lead_units == ["区政府办公室", "区司法局"]
    assert tasks[3].lead_units == tasks[4].lead_units == tasks[2].lead_units
    assert (tasks[20].lead_units, tasks[20].co_units) == (["区人力资源和社会保障局"], ["各镇（街道）", "区其他单位"])
    assert len(tasks[23].lead_units) == 7 and all(u.startswith("区") for u in tasks[23].lead_units)
    assert all(tasks[n].lead_units == tasks[45].lead_units for n in range(46, 55))


@pytest.mark.parametrize(
    ("seq", "date"),
    [(1, dt.date(2022, 12, 31)), (4, dt.date(2022, 12, 31)), (29, dt.date(2022, 10, 31)), (36, dt.date(2022, 12, 31))],
)
def test_tasks_issue_deadlines(corpus_issue: Issue, seq: int, date: dt.date) -> None:
    assert [d.date for d in _tasks(corpus_issue)[seq].deadlines] == [date]


def test_tasks_issue_recurring_and_durations(corpus_issue: Issue) -> None:
    tasks = _tasks(corpus_issue)
    for n in (45, 46):
        assert [(d.kind, d.recurrence) for d in tasks[n].deadlines] == [(DeadlineKind.RECURRING, Recurrence.YEARLY)]
    assert tasks[52].deadlines == []


def test_tasks_issue_unit_index(corpus_issue: Issue) -> None:
    index = {u.name: u for u in corpus_issue.units}
    assert "区发展改革局" not in index
    assert {r.seq for r in index["区发展和改革局"].leads} >= {16, 18, 23}
    assert index["区人力资源和社会保障局"].aliases == ["区人力资源社会保障局"]
    assert [u.name for u in corpus_issue.units] == sorted(index)
