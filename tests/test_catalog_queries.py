"""The SQLite catalog: rows per issue, replacement in one transaction, search and the typed queries."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.archive import catalog
from pipeline.archive.catalog import (
    SearchHit,
    TaskRow,
    UnitRow,
    counts,
    file_row,
    list_tasks,
    list_units,
    open_catalog,
    record_issue,
    search,
    task_due,
)
from schemas.model import Deadline, DeadlineKind, Problem, Recurrence, RunResult, RunStatus, Severity
from tests.test_ingest_fakes import ISSUE_A, ISSUE_B, build_issue, simple_tokens


def _result(tmp: Path, name: str, text: str) -> tuple[RunResult, str]:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    issue = build_issue(path, text)
    return RunResult(path=str(path), status=RunStatus.SUCCESS, issue=issue), issue.source.sha256


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "catalog.sqlite"
    conn = open_catalog(path)
    for name, text in (("a.txt", ISSUE_A), ("b.txt", ISSUE_B)):
        result, sha = _result(tmp_path, name, text)
        record_issue(conn, result, sha, size=len(text), mtime=0.0, output=name[0], tokenize=simple_tokens)
    conn.close()
    return path


def test_catalog_counts_match_the_issues(db: Path) -> None:
    assert counts(db) == {
        "files": 2,
        "issues": 2,
        "documents": 3,
        "tasks": 4,
        "units": 8,
        "indicators": 0,
        "findings": 0,
        "problems": 0,
    }


def test_catalog_uses_wal_mode(db: Path) -> None:
    conn = open_catalog(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_catalog_list_units_counts_roles(db: Path) -> None:
    units = list_units(db)
    assert units[0] == UnitRow("区应急管理局", 2, 1)
    assert UnitRow("区水务局", 1, 0) in units
    assert UnitRow("各镇人民政府", 0, 1) in units


@pytest.mark.parametrize(
    ("unit", "due_before", "texts"),
    [
        (None, None, ["完善应急预案体系", "开展安全生产检查", "推进政务公开标准化", "落实防汛责任制"]),
        ("区应急管理局", None, ["完善应急预案体系", "开展安全生产检查", "落实防汛责任制"]),
        ("区水务局", None, ["落实防汛责任制"]),
        (None, dt.date(2024, 1, 1), ["开展安全生产检查", "落实防汛责任制"]),
        ("区应急管理局", dt.date(2022, 5, 1), []),
        ("不存在的单位", None, []),
    ],
)
def test_catalog_list_tasks_filters(db: Path, unit: str | None, due_before: dt.date | None, texts: list[str]) -> None:
    assert [t.text for t in list_tasks(db, unit=unit, due_before=due_before)] == texts


def test_catalog_list_tasks_typed_rows(db: Path) -> None:
    row = list_tasks(db, unit="区水务局")[0]
    assert row == TaskRow(
        "b",
        "doc-1/task-1",
        "doc-1",
        1,
        "落实防汛责任制",
        ["区水务局"],
        ["区应急管理局"],
        dt.date(2022, 5, 1),
        1,
        str(db.parent / "b.txt"),
    )


@pytest.mark.parametrize(
    ("query", "refs"),
    [
        ("防汛", [("b", "document", "doc-1"), ("b", "task", "doc-1/task-1")]),
        ("预案", [("a", "task", "doc-1/task-1")]),
        ("区水务局", [("b", "task", "doc-1/task-1")]),
        ("政务公开", [("a", "document", "doc-2"), ("a", "task", "doc-2/task-1")]),
        ("没有这个词", []),
        ("", []),
        ("，。！", []),
    ],
)
def test_catalog_search_finds_documents_and_tasks(db: Path, query: str, refs: list[tuple[str, str, str]]) -> None:
    hits = search(db, query, tokenize=simple_tokens)
    assert sorted((h.issue_id, h.kind, h.ref) for h in hits) == sorted(refs)
    assert all(isinstance(h, SearchHit) for h in hits)


def test_catalog_search_snippet_and_limit(db: Path) -> None:
    hits = search(db, "应急", tokenize=simple_tokens, limit=2)
    assert len(hits) == 2
    assert all("应急" in h.snippet for h in hits)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(alphabet=st.sampled_from(list("\"*()^:-+ NEARORAND防汛应急{}[]'\\"))))
def test_catalog_search_never_raises(db: Path, query: str) -> None:
    hits = search(db, query, tokenize=simple_tokens)
    assert all(h.kind in ("document", "task") for h in hits)


def test_catalog_record_issue_replaces_old_rows(tmp_path: Path, db: Path) -> None:
    conn = open_catalog(db)
    new_text = "关于防汛的补充通知\n加固堤防 | 区水务局 | | 2022-06-01\n"
    result, sha = _result(tmp_path, "b.txt", new_text)
    record_issue(conn, result, sha, output="b", tokenize=simple_tokens)
    conn.close()
    assert counts(db)["issues"] == 2 and counts(db)["tasks"] == 4
    assert [t.text for t in list_tasks(db, unit="区水务局")] == ["加固堤防"]
    assert search(db, "责任制", tokenize=simple_tokens) == []


def test_catalog_record_failure_keeps_code_and_drops_rows(tmp_path: Path, db: Path) -> None:
    conn = open_catalog(db)
    path = str(tmp_path / "b.txt")
    problem = Problem(code="E004", message="corrupt", severity=Severity.ERROR)
    record_issue(conn, RunResult(path=path, status=RunStatus.FAILURE, errors=[problem]), "f" * 64)
    row = file_row(conn, path)
    conn.close()
    assert row is not None and (row.status, row.error_code, row.issue_id) == ("failure", "E004", None)
    assert counts(db)["issues"] == 1 and counts(db)["files"] == 2


def test_catalog_identical_copies_share_rows(tmp_path: Path, db: Path) -> None:
    conn = open_catalog(db)
    result, sha = _result(tmp_path, "b.txt", ISSUE_B)
    copy = result.model_copy(update={"path": str(tmp_path / "b-copy.txt")})
    record_issue(conn, copy, sha, output="b-copy", tokenize=simple_tokens)
    # the original changes: the copy still holds the old content's rows
    new, new_sha = _result(tmp_path, "b.txt", "另一份通知\n")
    record_issue(conn, new, new_sha, output="b", tokenize=simple_tokens)
    conn.close()
    assert counts(db)["files"] == 3 and counts(db)["issues"] == 3
    assert [t.text for t in list_tasks(db, unit="区水务局")] == ["落实防汛责任制"]


def test_catalog_record_issue_is_one_transaction(tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    insert = catalog._insert_issue

    def insert_then_die(*args: object) -> None:
        insert(*args)  # type: ignore[arg-type]
        raise RuntimeError("killed after the rows were written")

    monkeypatch.setattr(catalog, "_insert_issue", insert_then_die)
    before = counts(db)
    conn = open_catalog(db)
    result, sha = _result(tmp_path, "b.txt", "关于防汛的补充通知\n加固堤防 | 区水务局 | |\n")
    with pytest.raises(RuntimeError):
        record_issue(conn, result, sha, output="b", tokenize=simple_tokens)
    row = file_row(conn, str(tmp_path / "b.txt"))
    conn.close()
    assert counts(db) == before
    assert row is not None and row.sha256 != sha
    assert [t.text for t in list_tasks(db, unit="区水务局")] == ["落实防汛责任制"]
    assert search(db, "堤防", tokenize=simple_tokens) == []


@pytest.mark.parametrize(
    ("deadlines", "due"),
    [
        ([], None),
        ([Deadline(raw="2025年底前", date=dt.date(2025, 12, 31), kind=DeadlineKind.BY)], dt.date(2025, 12, 31)),
        ([Deadline(raw="每年", kind=DeadlineKind.RECURRING, recurrence=Recurrence.YEARLY)], None),
        (
            [
                Deadline(
                    raw="2021年至2025年", date=dt.date(2021, 1, 1), end=dt.date(2025, 12, 31), kind=DeadlineKind.PERIOD
                ),
                Deadline(raw="2023年6月底前", date=dt.date(2023, 6, 30), kind=DeadlineKind.BY),
            ],
            dt.date(2023, 6, 30),
        ),
    ],
)
def test_catalog_task_due(deadlines: list[Deadline], due: dt.date | None) -> None:
    assert task_due(deadlines) == due


def test_catalog_tables_exist_for_an_empty_catalog(tmp_path: Path) -> None:
    db = tmp_path / "empty.sqlite"
    assert counts(db) == dict.fromkeys(catalog.TABLES, 0)
    assert list_units(db) == [] and list_tasks(db) == []
    assert not db.exists()  # queries are read-only: they never create the catalog
    open_catalog(db).close()
    assert counts(db) == dict.fromkeys(catalog.TABLES, 0)
    conn = sqlite3.connect(db)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert {"files", "issues", "documents", "tasks", "units", "indicators", "findings", "fts"} <= names
