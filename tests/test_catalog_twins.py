"""Catalog queries over a PDF and its text twin (one issue, two sources), unit matching, search hits and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.archive.catalog import highlight, list_tasks, list_units, open_catalog, record_issue, resolve_unit, search
from pipeline.cli import app
from schemas.model import RunResult, RunStatus
from tests.test_ingest_fakes import ISSUE_A, ISSUE_B, build_issue, simple_tokens

runner = CliRunner()


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    """An output folder whose catalog holds a.pdf + a.txt (twins: same issue id) and b.txt."""
    folder = tmp_path / "out"
    folder.mkdir()
    conn = open_catalog(folder / "catalog.sqlite")
    for name, text in (("a.pdf", ISSUE_A), ("a.txt", ISSUE_A + "\n"), ("b.txt", ISSUE_B)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        issue = build_issue(path, text)
        result = RunResult(path=str(path), status=RunStatus.SUCCESS, issue=issue)
        record_issue(conn, result, issue.source.sha256, output=name, tokenize=simple_tokens)
    conn.close()
    return folder


def test_catalog_twins_count_units_once(out: Path) -> None:
    units = {u.name: (u.leads, u.co) for u in list_units(out / "catalog.sqlite")}
    assert units["区应急管理局"] == (2, 1)
    assert units["各镇人民政府"] == (0, 1)


def test_catalog_twins_list_each_task_once(out: Path) -> None:
    texts = [t.text for t in list_tasks(out / "catalog.sqlite")]
    assert texts == ["完善应急预案体系", "开展安全生产检查", "推进政务公开标准化", "落实防汛责任制"]
    assert {t.path.rsplit(".", 1)[1] for t in list_tasks(out / "catalog.sqlite") if t.issue_id == "a"} == {"pdf"}


def test_catalog_twins_search_hits_once_with_title_and_page(out: Path) -> None:
    hits = search(out / "catalog.sqlite", "预案", tokenize=simple_tokens)
    assert [(h.issue_id, h.kind, h.ref) for h in hits] == [("a", "task", "doc-1/task-1")]
    assert hits[0].doc_title == "关于做好应急管理工作的通知" and hits[0].page == 1
    assert hits[0].path.endswith("a.pdf")


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("区水务局", ["区水务局"]),
        ("水务局", ["区水务局"]),
        ("应急管理", ["区应急管理局"]),
        ("区", ["区公安分局", "区应急管理局", "区政务服务数据管理局", "区水务局", "区财政局"]),
        ("司法局", []),
        ("  ", []),
    ],
)
def test_catalog_resolve_unit_by_name_or_unique_part(out: Path, query: str, names: list[str]) -> None:
    assert resolve_unit(out / "catalog.sqlite", query) == names


def test_catalog_list_tasks_by_unit_part(out: Path) -> None:
    assert [t.text for t in list_tasks(out / "catalog.sqlite", unit="水务局")] == ["落实防汛责任制"]
    assert list_tasks(out / "catalog.sqlite", unit="区") == []


def test_catalog_highlight_marks_longest_terms() -> None:
    assert highlight("落实防汛责任制，防汛", ["防汛", "防", "，"]) == "落实【防汛】责任制，【防汛】"
    assert highlight("无匹配", []) == "无匹配"


def test_cli_search_prints_title_page_and_highlight(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pipeline.archive.catalog.default_tokenizer", lambda: simple_tokens)
    res = runner.invoke(app, ["search", "防汛", "--out", str(out)])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert "[文件] 关于加强防汛工作的通知 · 第1页" not in lines  # documents carry no page in this fake
    assert "[任务] 关于加强防汛工作的通知 · 第1页" in lines
    assert any("【防】【汛】" in line for line in lines)


def test_cli_search_no_hit_exits_1_with_message(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pipeline.archive.catalog.default_tokenizer", lambda: simple_tokens)
    res = runner.invoke(app, ["search", "没有这个词", "--out", str(out)])
    assert res.exit_code == 1
    assert res.stderr.strip() == "没有找到“没有这个词”。"
    en = runner.invoke(app, ["--lang", "en", "search", "没有这个词", "--out", str(out)])
    assert en.exit_code == 1 and en.stderr.strip() == 'Nothing found for "没有这个词".'


def test_cli_units_counts_twins_once(out: Path) -> None:
    res = runner.invoke(app, ["units", "--out", str(out)])
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0] == "单位\t牵头\t配合"
    assert "区应急管理局\t2\t1" in lines and "各镇人民政府\t0\t1" in lines


def test_cli_tasks_unit_part_and_ambiguity(out: Path) -> None:
    res = runner.invoke(app, ["tasks", "--unit", "水务局", "--out", str(out)])
    assert res.exit_code == 0
    assert res.stdout.splitlines()[1:] == ["2022-05-01\tdoc-1\t1\t落实防汛责任制"]
    amb = runner.invoke(app, ["tasks", "--unit", "区", "--out", str(out)])
    assert amb.exit_code == 1 and "可指多个单位" in amb.stderr and "区水务局" in amb.stderr
    unknown = runner.invoke(app, ["tasks", "--unit", "司法局", "--out", str(out)])
    assert unknown.exit_code == 1 and unknown.stderr.strip() == "目录库中没有单位“司法局”。"


def test_cli_schema_defaults_to_output_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["schema"])
    assert res.exit_code == 0, res.output
    written = [Path(line) for line in res.stdout.splitlines()]
    assert written and all(p.parent == Path("output") / "schemas" for p in written)
    assert (tmp_path / "output" / "schemas" / "issue.schema.json").exists()
