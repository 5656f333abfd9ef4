"""The corpus task-division table (document 2's attachment), built by hand from the TXT rows."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import pytest

from pipeline.grammar.deadlines import parse_deadlines
from pipeline.tables.tasks import documents_to_unit_index, table_to_tasks
from schemas.model import Attachment, DeadlineKind, Document, Recurrence, Source, Table, TableStyle, Task

CORPUS_TXT = Path(__file__).resolve().parent.parent / "corpus" / "maonan-2022-03.txt"
DOC_YEAR = 2022
PREFIX = "doc-2/att-1"

_PARAS = re.compile(r"</p>\s*<p>")
_ITEM = re.compile(r"(?:^|\n)\d{1,3}\s*[.．]")
_REQ = re.compile(r"^[一二三四五六七八九十]+、")


def _row_cells(line: str) -> list[str]:
    """One TXT row as the four printed columns (工作要求, 具体任务, 具体要求, 牵头落实单位).

    The text extraction shifts some rows: an empty extra cell before the item (5 cells), the item in the
    second cell when a group column is absent (a 一、 cell spanning both group columns, or a (四) cell in the
    first), the unit cell after an empty one. The item column is found by its number; <p>…</p> paragraphs
    become lines.
    """
    cells = [_PARAS.sub("\n", c).replace("<p>", "").replace("</p>", "").strip() for c in line.split("\t")]
    item = next((i for i, c in enumerate(cells) if _ITEM.search(c)), None)
    if item is None:  # the rest of a cell split over a page: columns as printed
        return (cells + [""] * 4)[:4]
    groups, rest = cells[:item], cells[item + 1 :]
    while len(groups) > 2 and "" in groups:
        groups.pop(len(groups) - 1 - groups[::-1].index(""))
    if len(groups) == 1:
        groups = [groups[0], groups[0]] if _REQ.match(groups[0]) else ["", groups[0]]
    groups = ([*groups, "", ""])[:2]
    return [groups[0], groups[1], cells[item], next((c for c in rest if c), "")]


@cache
def corpus_table() -> Table:
    """The table as the pipeline hands it over: header, and rows with merged (blank) cells resolved."""
    lines = CORPUS_TXT.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("工作要求\t具体任务"))
    rows: list[list[str | None]] = []
    for line in lines[start + 1 :]:
        if line.startswith("--"):
            break
        if not line.strip():
            continue
        cells = _row_cells(line)
        resolved: list[str | None] = [v or (rows[-1][c] if rows else "") for c, v in enumerate(cells)]
        rows.append(resolved)
    return Table(
        id=f"{PREFIX}/table-1",
        header=[lines[start].split("\t")],
        rows=rows,
        style=TableStyle.TEXT,
        source=Source(line=start + 1),
    )


@cache
def corpus_tasks() -> dict[int, Task]:
    tasks, problems = table_to_tasks(corpus_table(), DOC_YEAR, PREFIX)
    assert problems == []
    return {t.seq: t for t in tasks if t.seq is not None}


def test_tasks_corpus_one_task_per_number() -> None:
    tasks, _ = table_to_tasks(corpus_table(), DOC_YEAR, PREFIX)
    assert [t.seq for t in tasks] == list(range(1, 55))
    assert [t.id for t in tasks][:2] == ["doc-2/att-1/task-1", "doc-2/att-1/task-2"]
    assert all(t.requirement and _REQ.match(t.requirement) for t in tasks)


@pytest.mark.parametrize(
    ("seq", "requirement", "task"),
    [
        (1, "一、优化政务公开工作基础", "(一)深化规范性文件集中公开。"),
        (12, "二、围绕服务中心工作、助力经济社会平稳健康发展深化重点领域信息公开", "(一)持续做好疫情防控信息公开。"),
        (
            20,
            "二、围绕服务中心工作、助力经济社会平稳健康发展深化重点领域信息公开",
            "(四) 强化保障和改善民生方面信息公开。",
        ),
        (28, "三、推动重大政策解读提质增效，优化政策咨询服务", "(一)加大重大政策解读力度。"),
        (45, "五、坚持全区一盘棋，强化工作指导监督", None),
        (54, "五、坚持全区一盘棋，强化工作指导监督", None),
    ],
)
def test_tasks_corpus_groups(seq: int, requirement: str, task: str | None) -> None:
    t = corpus_tasks()[seq]
    assert (t.requirement, t.task) == (requirement, task)


def test_tasks_corpus_fifth_group_has_no_task_column() -> None:
    assert all(corpus_tasks()[n].task is None for n in range(45, 55))
    assert all(corpus_tasks()[n].task is not None for n in range(1, 45))


def test_tasks_corpus_items_split_inside_cells() -> None:
    tasks = corpus_tasks()
    assert tasks[25].text.startswith("25. 认真落实") and tasks[25].text.endswith("提高解读针对性。")
    assert tasks[26].text.startswith("26. 进一步改进政策解读方式方法")
    assert tasks[47].text.endswith("鼓励各单位通过跟班轮训等方式，培训政务公开工作人员。")
    assert tasks[48].text == "48. 要严格落实政务公开纳入政府绩效考核体系且分值权重不低于 4% 的要求。"
    assert "12366 纳税服务平台" in tasks[17].text
    assert tasks[4].text.endswith("区、镇两级财政部门要做好业务指导。")


@pytest.mark.parametrize(
    ("seq", "lead", "co"),
    [
        (1, ["区政府办公室", "区司法局"], []),
        (2, ["各镇（街道）", "区直和市驻区有关单位"], []),
        (3, ["各镇（街道）", "区直和市驻区有关单位"], []),
        (4, ["各镇（街道）", "区直和市驻区有关单位"], []),
        (12, ["区政府办公室", "各镇（街道）", "区直和市驻区各单位"], []),
        (16, ["区发展和改革局", "区科工商务局", "市场监督管理局"], []),
        (18, ["区交通运输分局", "区科工商务局", "区发展和改革局"], ["区有关单位"]),
        (20, ["区人力资源和社会保障局"], ["各镇（街道）", "区其他单位"]),
        (
            23,
            [
                "区发展和改革局",
                "区教育局",
                "区生态环境局",
                "区住房和城乡建设局",
                "区交通运输局",
                "区文化广电旅游体育局",
                "区卫生健康局",
            ],
            [],
        ),
        (45, ["各镇（街道）", "区直和市驻区各单位"], []),
    ],
)
def test_tasks_corpus_units(seq: int, lead: list[str], co: list[str]) -> None:
    t = corpus_tasks()[seq]
    assert (t.lead_units, t.co_units) == (lead, co)


def test_tasks_corpus_merged_units_carry_down() -> None:
    tasks = corpus_tasks()
    assert tasks[3].units_raw == tasks[2].units_raw == tasks[4].units_raw
    for n in range(46, 55):
        assert (tasks[n].lead_units, tasks[n].co_units) == (tasks[45].lead_units, tasks[45].co_units)
    assert next(m.raw for m in tasks[20].units) == "区人力资源社会保障局"


@pytest.mark.parametrize(
    ("seq", "raw", "date"),
    [
        (1, "2022 年底前", dt.date(2022, 12, 31)),
        (4, "年底前", dt.date(2022, 12, 31)),
        (29, "10 月底前", dt.date(2022, 10, 31)),
        (36, "2022 年底前", dt.date(2022, 12, 31)),
    ],
)
def test_tasks_corpus_by_deadlines(seq: int, raw: str, date: dt.date) -> None:
    (dl,) = corpus_tasks()[seq].deadlines
    assert (dl.raw, dl.date, dl.kind) == (raw, date, DeadlineKind.BY)


@pytest.mark.parametrize("seq", [45, 46])
def test_tasks_corpus_yearly_duties(seq: int) -> None:
    (dl,) = corpus_tasks()[seq].deadlines
    assert (dl.kind, dl.recurrence) == (DeadlineKind.RECURRING, Recurrence.YEARLY)


def test_tasks_corpus_durations_are_not_deadlines() -> None:
    t = corpus_tasks()[52]
    assert "挂牌督办 6 个月" in t.text
    assert t.deadlines == []


def test_tasks_corpus_notice_body_deadlines() -> None:
    text = next(line for line in CORPUS_TXT.read_text(encoding="utf-8").splitlines() if "今年 10 月 1 日前" in line)
    dates = [d.date for d in parse_deadlines(text, DOC_YEAR) if d.kind == DeadlineKind.BY]
    assert dt.date(2022, 10, 1) in dates and dt.date(2023, 1, 1) in dates


def test_tasks_corpus_unit_index_merges_aliases() -> None:
    tasks = list(corpus_tasks().values())
    doc = Document(
        id="doc-2",
        title="t",
        source=Source(page=1),
        attachments=[Attachment(id=PREFIX, title="a", tasks=tasks)],
    )
    index = {e.name: e for e in documents_to_unit_index([doc])}
    ndrc = index["区发展和改革局"]
    assert {r.seq for r in ndrc.leads} >= {16, 23}
    assert "区发展改革局" in ndrc.aliases
    assert "区发展改革局" not in index
    hr = index["区人力资源和社会保障局"]
    assert [r.seq for r in hr.leads] == [20] and hr.aliases == ["区人力资源社会保障局"]
    towns = index["各镇（街道）"]
    assert 20 in [r.seq for r in towns.co_operates] and 2 in [r.seq for r in towns.leads]
    assert list(index) == sorted(index)
