"""The real chain on the corpus text: parse_file, exports, site, catalog and Chinese search agree."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from pipeline.archive import catalog
from pipeline.archive.ingest import IngestReport, Outcome, ingest_dir
from schemas.model import Issue

CORPUS_TXT = Path(__file__).resolve().parents[1] / "corpus" / "maonan-2022-03.txt"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, IngestReport, Issue]:
    root = tmp_path_factory.mktemp("corpus")
    (root / "in").mkdir()
    shutil.copy(CORPUS_TXT, root / "in" / CORPUS_TXT.name)
    report = ingest_dir(root / "in", root / "out")
    issue = Issue.model_validate_json((root / "out" / "issues" / "maonan-2022-03" / "issue.json").read_bytes())
    return root, report, issue


def test_ingest_corpus_txt_is_ingested(ingested: tuple[Path, IngestReport, Issue]) -> None:
    root, report, issue = ingested
    assert [(f.outcome, f.issue_id, f.output, f.code) for f in report.files] == [
        (Outcome.INGESTED, "maonan-2022-03", "issues/maonan-2022-03", None)
    ]
    out = root / "out"
    assert len(list((out / "issues" / "maonan-2022-03" / "documents").glob("*.json"))) >= len(issue.documents) == 2
    assert (out / "issues" / "maonan-2022-03" / "tasks.csv").is_file()
    assert (out / "site" / "index.html").is_file() and report.site_error is None


def test_ingest_corpus_catalog_counts_match_json(ingested: tuple[Path, IngestReport, Issue]) -> None:
    root, _, issue = ingested
    tasks = [t for d in issue.documents for t in d.tasks + [t for a in d.attachments for t in a.tasks]]
    units = {
        (t.id, name, role)
        for t in tasks
        for role, names in (("lead", t.lead_units), ("co", t.co_units))
        for name in names
    }
    got = catalog.counts(root / "out" / "catalog.sqlite")
    assert got["issues"] == got["files"] == 1
    assert got["documents"] == len(issue.documents) == 2
    assert got["tasks"] == len(tasks) == 54
    assert got["units"] == len(units)
    assert got["indicators"] == sum(len(a.indicators) for d in issue.documents for a in d.attachments) == 27
    assert got["findings"] == len(issue.findings)
    assert got["problems"] == len(issue.errors)


def test_ingest_corpus_search_finds_a_task_by_a_chinese_word(ingested: tuple[Path, IngestReport, Issue]) -> None:
    root, _, _ = ingested
    hits = catalog.search(root / "out" / "catalog.sqlite", "规范性文件")
    tasks = [h for h in hits if h.kind == "task"]
    assert "doc-2/att-1/task-1" in [h.ref for h in tasks]
    assert all("规范性文件" in h.title for h in tasks)
    docs = catalog.search(root / "out" / "catalog.sqlite", "应急管理")
    assert docs[0].kind == "document" and docs[0].ref == "doc-1"


def test_ingest_corpus_units_and_due_tasks(ingested: tuple[Path, IngestReport, Issue]) -> None:
    root, _, _ = ingested
    db = root / "out" / "catalog.sqlite"
    assert catalog.list_units(db)[0] == catalog.UnitRow("各镇（街道）", 31, 1)
    due = catalog.list_tasks(db, due_before=dt.date(2023, 1, 1))
    assert [t.id for t in due][:1] == ["doc-2/att-1/task-1"] and len(due) == 4
    assert due[0].lead_units == ["区政府办公室", "区司法局"] and due[0].due == dt.date(2022, 12, 31)


def test_ingest_corpus_rerun_skips(ingested: tuple[Path, IngestReport, Issue]) -> None:
    root, _, _ = ingested
    again = ingest_dir(root / "in", root / "out")
    assert (again.ingested, again.skipped, again.failed, again.site) == (0, 1, 0, [])


def _json_tree(out: Path) -> dict[str, bytes]:
    """issue.json and documents/*.json of every issue (the exports' XLSX files carry timestamps)."""
    files = sorted(out.glob("issues/*/issue.json")) + sorted(out.glob("issues/*/documents/*.json"))
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in files if not p.parts[-2].startswith(".")}


def test_ingest_corpus_dask_processes_match_local(ingested: tuple[Path, IngestReport, Issue], tmp_path: Path) -> None:
    from distributed import LocalCluster

    root, _, _ = ingested
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        report = ingest_dir(root / "in", tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert report.ingested == 1
    assert _json_tree(tmp_path / "dask") == _json_tree(root / "out")
    assert catalog.counts(tmp_path / "dask" / "catalog.sqlite") == catalog.counts(root / "out" / "catalog.sqlite")


@pytest.mark.parametrize("delay", [3.0, 6.5])
def test_ingest_corpus_killed_then_rerun_matches(
    ingested: tuple[Path, IngestReport, Issue], tmp_path: Path, delay: float
) -> None:
    import signal
    import subprocess
    import sys
    import time

    root, _, _ = ingested
    cli = [sys.executable, "-m", "pipeline.cli", "ingest", str(root / "in"), "--out", str(tmp_path / "out")]
    proc = subprocess.Popen([*cli, "--no-progress"], cwd=CORPUS_TXT.parents[1], stdout=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    report = ingest_dir(root / "in", tmp_path / "out")
    assert report.failed == 0 and report.ingested + report.skipped == 1
    assert _json_tree(tmp_path / "out") == _json_tree(root / "out")
    assert catalog.counts(tmp_path / "out" / "catalog.sqlite") == catalog.counts(root / "out" / "catalog.sqlite")
