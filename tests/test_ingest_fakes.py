"""Fakes injected into the ingest/catalog tests (module-level, so spawned workers and Dask can import them).

``fake_parse`` reads a tiny line format instead of a gazette, deterministically:
a line without ``|`` starts a document (its title); ``text | lead、lead | co | 2025-06-30`` is a task of it.
A file starting with ``BROKEN`` fails with E004; one starting with ``RAISE`` makes the parser raise; one
starting with ``EXIT`` kills the (worker) process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import time
from pathlib import Path

from pipeline.options import RunOptions
from schemas.model import (
    Deadline,
    DeadlineKind,
    Document,
    Issue,
    IssueSource,
    Paragraph,
    Problem,
    RunResult,
    RunStatus,
    Severity,
    Source,
    SourceKind,
    Task,
)

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "corpus"


def simple_tokens(text: str) -> list[str]:
    """Latin words and single CJK characters: a stand-in for pipeline.nlp.tokens_for_index in unit tests."""
    return re.findall(r"[A-Za-z0-9]+|[\u3400-\u9fff]", text)


def build_issue(path: Path, text: str) -> Issue:
    docs: list[Document] = []
    tasks: list[Task] = []
    title: str | None = None

    def close() -> None:
        if title is not None:
            n = len(docs) + 1
            docs.append(
                Document(
                    id=f"doc-{n}",
                    title=title,
                    source=Source(line=n),
                    body=[Paragraph(id=f"doc-{n}/p-1", text=title + "的正文", source=Source(line=n))],
                    tasks=[t.model_copy(update={"id": f"doc-{n}/task-{k}"}) for k, t in enumerate(tasks, 1)],
                )
            )

    for no, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        if "|" not in line:
            close()
            title, tasks = line, []
            continue
        parts = [p.strip() for p in line.split("|")] + ["", "", ""]
        deadlines = []
        if parts[3]:
            deadlines.append(Deadline(raw=parts[3], date=dt.date.fromisoformat(parts[3]), kind=DeadlineKind.BY))
        tasks.append(
            Task(
                id="",
                seq=len(tasks) + 1,
                text=parts[0],
                lead_units=[u for u in parts[1].split("、") if u],
                co_units=[u for u in parts[2].split("、") if u],
                deadlines=deadlines,
                source=Source(line=no, page=1),
            )
        )
    close()
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    kind = SourceKind.PDF if path.suffix == ".pdf" else SourceKind.TEXT
    return Issue(
        id=path.stem, source=IssueSource(path=str(path), sha256=sha, kind=kind, pages=len(docs)), documents=docs
    )


def fake_parse(path: Path, options: RunOptions) -> RunResult:
    text = path.read_text(encoding="utf-8", errors="replace")
    if text.startswith("BROKEN"):
        problem = Problem(code="E004", message="corrupt", file=str(path), severity=Severity.ERROR)
        return RunResult(path=str(path), status=RunStatus.FAILURE, errors=[problem])
    if text.startswith("RAISE"):
        raise ValueError("a stage blew up")
    if text.startswith("EXIT"):  # only ever parsed in a pool worker: the worker process dies
        time.sleep(0.2)
        os._exit(3)
    return RunResult(path=str(path), status=RunStatus.SUCCESS, issue=build_issue(path, text), seconds=0.0)


def slow_parse(path: Path, options: RunOptions) -> RunResult:
    time.sleep(0.15)
    return fake_parse(path, options)


def slow_exporter(issue: Issue, out_dir: Path) -> list[Path]:
    """Writes documents/<doc-id>.json slowly (a kill often lands half-way through the staged directory)."""
    (out_dir / "documents").mkdir(exist_ok=True)
    written = []
    for doc in issue.documents:
        path = out_dir / "documents" / f"{doc.id}.json"
        path.write_text(doc.model_dump_json(), encoding="utf-8")
        written.append(path)
        time.sleep(0.03)
    return written


def no_render(issues: list[Issue], out_dir: Path, pdf_paths: dict[str, Path] | None) -> list[Path]:
    """A renderer that writes one index file listing the issue ids (enough to see what it was given)."""
    index = out_dir / "index.txt"
    index.write_text("\n".join(i.id for i in issues), encoding="utf-8")
    return [index]


ISSUE_A = """关于做好应急管理工作的通知
完善应急预案体系 | 区应急管理局 | 区财政局、区公安分局 | 2025-06-30
开展安全生产检查 | 区应急管理局 | | 2023-12-31
政务公开工作要点
推进政务公开标准化 | 区政务服务数据管理局 | 各镇人民政府 |
"""

ISSUE_B = """关于加强防汛工作的通知
落实防汛责任制 | 区水务局 | 区应急管理局 | 2022-05-01
"""


def write_archive(root: Path, n: int = 3) -> list[Path]:
    """A small archive: issue-a.txt, issue-b.txt, then copies of A with a distinct first line."""
    root.mkdir(parents=True, exist_ok=True)
    files = [root / "issue-a.txt", root / "sub" / "issue-b.txt"]
    files[1].parent.mkdir(exist_ok=True)
    files[0].write_text(ISSUE_A, encoding="utf-8")
    files[1].write_text(ISSUE_B, encoding="utf-8")
    for k in range(2, n):
        p = root / f"issue-{k:03d}.txt"
        p.write_text(f"第{k}号通知\n" + ISSUE_A, encoding="utf-8")
        files.append(p)
    return files[:n] if n < 2 else files
