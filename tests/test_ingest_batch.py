"""Batch ingest with injected stages: skipping, re-ingesting, failures, output layout, catalog agreement."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pipeline.archive import catalog
from pipeline.archive.ingest import (
    IngestReport,
    Outcome,
    WorkerOutput,
    dir_preferences,
    find_inputs,
    ingest_dir,
    issues_in,
    parse_and_index,
)
from pipeline.errors import GazetteError
from pipeline.options import RunOptions
from schemas.model import Issue, RunResult
from tests.faults import chinese  # noqa: F401 - autouse: messages in zh
from tests.test_ingest_fakes import ISSUE_B, fake_parse, no_render, simple_tokens, write_archive


def _ingest(in_dir: Path, out_dir: Path, **kw: object) -> IngestReport:
    args: dict[str, object] = {"parse": fake_parse, "exporters": [], "render": no_render, "tokenize": simple_tokens}
    args.update(kw)
    return ingest_dir(in_dir, out_dir, **args)  # type: ignore[arg-type]


def _issue_files(out_dir: Path) -> dict[str, bytes]:
    return {p.parent.name: p.read_bytes() for p in sorted(out_dir.glob("issues/*/issue.json"))}


def test_ingest_second_run_skips_everything(tmp_path: Path) -> None:
    write_archive(tmp_path / "in", 4)
    first = _ingest(tmp_path / "in", tmp_path / "out")
    assert (first.ingested, first.skipped, first.failed) == (4, 0, 0)
    second = _ingest(tmp_path / "in", tmp_path / "out")
    assert (second.ingested, second.skipped, second.failed) == (0, 4, 0)
    assert second.summary().startswith("4 个文件：0 个已导入，4 个未变（跳过），0 个失败")
    assert second.site == []  # nothing changed: the site is not re-rendered


def test_ingest_changed_file_only_is_reingested(tmp_path: Path) -> None:
    files = write_archive(tmp_path / "in", 3)
    out = tmp_path / "out"
    _ingest(tmp_path / "in", out)
    before = catalog.counts(out / "catalog.sqlite")
    files[1].write_text("关于防汛的补充通知\n加固堤防 | 区水务局 | | 2022-06-01\n", encoding="utf-8")
    report = _ingest(tmp_path / "in", out)
    assert [(Path(f.path).name, f.outcome) for f in report.files] == [
        ("issue-002.txt", Outcome.SKIPPED),
        ("issue-a.txt", Outcome.SKIPPED),
        ("issue-b.txt", Outcome.INGESTED),
    ]
    assert catalog.counts(out / "catalog.sqlite") == {**before, "units": before["units"] - 1}
    assert [t.text for t in catalog.list_tasks(out / "catalog.sqlite", unit="区水务局")] == ["加固堤防"]
    assert "加固堤防" in (out / "issues" / "issue-b" / "issue.json").read_text(encoding="utf-8")
    assert report.site == ["site/index.txt"]


def test_ingest_catalog_counts_match_json_output(tmp_path: Path) -> None:
    write_archive(tmp_path / "in", 5)
    out = tmp_path / "out"
    _ingest(tmp_path / "in", out)
    issues = [Issue.model_validate_json(b) for b in _issue_files(out).values()]
    tasks = [t for i in issues for d in i.documents for t in d.tasks + [t for a in d.attachments for t in a.tasks]]
    got = catalog.counts(out / "catalog.sqlite")
    assert got["files"] == got["issues"] == len(issues) == 5
    assert got["documents"] == sum(len(i.documents) for i in issues) == 12
    assert got["tasks"] == len(tasks) == 13
    assert got["units"] == sum(len(t.lead_units) + len(t.co_units) for t in tasks)
    assert got["findings"] == sum(len(i.findings) for i in issues)


def test_ingest_failures_are_recorded_and_batch_goes_on(tmp_path: Path) -> None:
    write_archive(tmp_path / "in", 2)
    (tmp_path / "in" / "broken.txt").write_text("BROKEN", encoding="utf-8")
    (tmp_path / "in" / "crash.txt").write_text("RAISE", encoding="utf-8")
    out = tmp_path / "out"
    report = _ingest(tmp_path / "in", out)
    codes = {Path(f.path).name: (f.outcome, f.code) for f in report.files}
    assert codes == {
        "broken.txt": (Outcome.FAILED, "E004"),
        "crash.txt": (Outcome.FAILED, "E099"),
        "issue-a.txt": (Outcome.INGESTED, None),
        "issue-b.txt": (Outcome.INGESTED, None),
    }
    conn = catalog.open_catalog(out / "catalog.sqlite")
    row = catalog.file_row(conn, str(tmp_path / "in" / "broken.txt"))
    conn.close()
    assert row is not None and (row.status, row.error_code) == ("failure", "E004")
    assert "error[E004]:" in report.summary() and "2 个失败" in report.summary()
    assert sorted(_issue_files(out)) == ["issue-a", "issue-b"]


def test_ingest_file_deleted_during_batch_is_e001(tmp_path: Path) -> None:
    files = write_archive(tmp_path / "in", 3)
    victim = files[1]  # sub/issue-b.txt: parsed last

    def parse_and_delete(path: Path, options: RunOptions) -> RunResult:
        victim.unlink(missing_ok=True)
        return fake_parse(path, options)

    report = _ingest(tmp_path / "in", tmp_path / "out", parse=parse_and_delete)
    outcomes = {Path(f.path).name: (f.outcome, f.code) for f in report.files}
    assert outcomes["issue-b.txt"] == (Outcome.FAILED, "E001")
    assert outcomes["issue-a.txt"] == (Outcome.INGESTED, None)


def test_ingest_unwritable_out_dir_is_e011(tmp_path: Path) -> None:
    write_archive(tmp_path / "in", 2)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(GazetteError) as err:
        _ingest(tmp_path / "in", blocker / "out")
    assert err.value.code.value == "E011"
    assert blocker.read_text() == "x"


def test_ingest_missing_input_dir_is_e001(tmp_path: Path) -> None:
    with pytest.raises(GazetteError) as err:
        _ingest(tmp_path / "nowhere", tmp_path / "out")
    assert err.value.code.value == "E001"
    assert not (tmp_path / "out").exists()


def test_ingest_failed_file_removes_its_old_output(tmp_path: Path) -> None:
    files = write_archive(tmp_path / "in", 2)
    out = tmp_path / "out"
    _ingest(tmp_path / "in", out)
    files[1].write_text("BROKEN now", encoding="utf-8")
    report = _ingest(tmp_path / "in", out)
    assert report.failed == 1
    assert sorted(_issue_files(out)) == ["issue-a"]
    assert catalog.counts(out / "catalog.sqlite")["issues"] == 1
    assert (out / "site" / "index.txt").read_text(encoding="utf-8") == "issue-a"


def test_ingest_process_pool_gives_identical_output(tmp_path: Path) -> None:
    write_archive(tmp_path / "in", 5)
    one = _ingest(tmp_path / "in", tmp_path / "one", jobs=1)
    two = _ingest(tmp_path / "in", tmp_path / "two", jobs=2)
    assert _issue_files(tmp_path / "one") == _issue_files(tmp_path / "two")
    assert len(_issue_files(tmp_path / "one")) == 5
    assert catalog.counts(tmp_path / "one" / "catalog.sqlite") == catalog.counts(tmp_path / "two" / "catalog.sqlite")
    assert [(f.path, f.outcome) for f in one.files] == [(f.path, f.outcome) for f in two.files]


def test_ingest_same_stem_gets_distinct_dirs(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "gaz.pdf").write_text(ISSUE_B, encoding="utf-8")
    (tmp_path / "in" / "gaz.txt").write_text(ISSUE_B, encoding="utf-8")
    report = _ingest(tmp_path / "in", tmp_path / "out")
    assert [f.output for f in report.files] == ["issues/gaz", "issues/gaz-txt"]
    # the site gets one page per issue id, the PDF's
    assert (tmp_path / "out" / "site" / "index.txt").read_text(encoding="utf-8") == "gaz"
    assert [i.source.kind.value for i in issues_in(tmp_path / "out")] == ["pdf", "text"]


@pytest.mark.parametrize(
    ("names", "suffixes"),
    [
        (["a.pdf", "b.txt"], ["", ""]),
        (["x.pdf", "x.txt"], ["", "-txt"]),
        (["a/x.pdf", "b/x.pdf", "c/x.pdf", "x.txt"], ["", "-pdf", "-3", "-txt"]),
    ],
)
def test_ingest_dir_preferences(names: list[str], suffixes: list[str]) -> None:
    paths = [Path(n) for n in names]
    prefs = dir_preferences(paths)
    assert [prefs[p] for p in paths] == suffixes


def test_ingest_find_inputs_sorted_recursive_and_filtered(tmp_path: Path) -> None:
    for name in ["b.txt", "a.PDF", "sub/c.txt", "notes.md", ".hidden/d.txt", "out/e.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in find_inputs(tmp_path, exclude=tmp_path / "out")]
    assert found == ["a.PDF", "b.txt", "sub/c.txt"]
    assert find_inputs(tmp_path / "b.txt") == [tmp_path / "b.txt"]


def test_ingest_exporter_failure_fails_the_file_and_publishes_nothing_of_it(tmp_path: Path) -> None:
    write_archive(tmp_path / "in", 2)

    def good(issue: Issue, out: Path) -> list[Path]:
        (out / "documents").mkdir()
        path = out / "documents" / "doc-1.json"
        path.write_text(json.dumps({"id": issue.documents[0].id}))
        return [path]

    def bad(issue: Issue, out: Path) -> list[Path]:
        raise KeyError("x")

    report = _ingest(tmp_path / "in", tmp_path / "out", exporters=[good, bad])
    assert (report.ingested, report.failed, report.exit_status) == (0, 2, 3)
    assert {f.code for f in report.files} == {"E020"}
    assert not (tmp_path / "out" / "issues" / "issue-a").exists()
    # the exporter fixed: the next run retries both files and publishes every output
    again = _ingest(tmp_path / "in", tmp_path / "out", exporters=[good])
    assert (again.ingested, again.failed, again.exit_status) == (2, 0, 0)
    assert (tmp_path / "out" / "issues" / "issue-a" / "documents" / "doc-1.json").exists()


def test_ingest_renderer_failure_is_reported(tmp_path: Path) -> None:
    write_archive(tmp_path / "in", 2)

    def broken(issues: list[Issue], out: Path, pdfs: dict[str, Path] | None) -> list[Path]:
        raise RuntimeError("template error")

    report = _ingest(tmp_path / "in", tmp_path / "out", render=broken)
    assert report.ingested == 2
    assert report.site_error is not None and report.site_error.code == "E099"
    assert not (tmp_path / "out" / "site").exists()


def test_ingest_progress_bar_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_archive(tmp_path / "in", 2)
    report = _ingest(tmp_path / "in", tmp_path / "out", progress=True)
    assert report.ingested == 2


def _tokens_or_die(text: str) -> list[str]:
    if "防汛" in text:
        raise RuntimeError("tokenizer bug")
    return simple_tokens(text)


def test_ingest_indexing_failure_is_e099_and_batch_goes_on(tmp_path: Path) -> None:
    write_archive(tmp_path / "in", 3)
    report = _ingest(tmp_path / "in", tmp_path / "out", tokenize=_tokens_or_die)
    outcomes = {Path(f.path).name: (f.outcome, f.code) for f in report.files}
    assert outcomes == {
        "issue-002.txt": (Outcome.INGESTED, None),
        "issue-a.txt": (Outcome.INGESTED, None),
        "issue-b.txt": (Outcome.FAILED, "E099"),
    }
    assert catalog.counts(tmp_path / "out" / "catalog.sqlite")["issues"] == 2


@pytest.mark.parametrize(("content", "code"), [(None, "E001"), ("BROKEN", "E004"), ("RAISE", "E099")])
def test_ingest_parse_and_index_never_raises(tmp_path: Path, content: str | None, code: str) -> None:
    path = tmp_path / "x.txt"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    out = parse_and_index(str(path), RunOptions(), fake_parse, simple_tokens)
    assert isinstance(out, WorkerOutput)
    assert out.result.status.value == "failure" and out.result.errors[0].code == code and out.index is None


def test_ingest_parse_and_index_indexes_in_the_worker(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_text(ISSUE_B, encoding="utf-8")
    out = parse_and_index(str(path), RunOptions(), fake_parse, simple_tokens)
    assert isinstance(out, WorkerOutput)
    assert out.index is not None
    assert [(r.kind, r.ref) for r in out.index] == [("document", "doc-1"), ("task", "doc-1/task-1")]
    assert out.index[1].title_tokens == "落 实 防 汛 责 任 制"


def test_ingest_dead_worker_fails_only_its_file(tmp_path: Path) -> None:
    write_archive(tmp_path / "in", 5)
    (tmp_path / "in" / "issue-000-exit.txt").write_text("EXIT", encoding="utf-8")
    report = _ingest(tmp_path / "in", tmp_path / "out", jobs=2)
    outcomes = {Path(f.path).name: (f.outcome, f.code) for f in report.files}
    assert outcomes.pop("issue-000-exit.txt") == (Outcome.FAILED, "E099")
    assert set(outcomes.values()) == {(Outcome.INGESTED, None)} and len(outcomes) == 5


def test_ingest_hashes_each_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.archive import ingest
    from pipeline.run import parse_file

    files = write_archive(tmp_path / "in", 3)
    planned: list[str] = []
    real_hash = ingest.sha256_file

    def counting(path: Path) -> str:
        if Path(path).is_relative_to(tmp_path / "in"):  # inputs only (outputs are checksummed too)
            planned.append(Path(path).name)
        return real_hash(path)

    monkeypatch.setattr(ingest, "sha256_file", counting)
    out = tmp_path / "out"
    first = _ingest(tmp_path / "in", out, parse=parse_file, accept_any=True)
    # new files: never hashed by the plan; the catalog holds the loader's hash (Issue.source.sha256)
    assert planned == [] and first.ingested == 3
    conn = catalog.open_catalog(out / "catalog.sqlite")
    rows = {Path(r.path).name: r.sha256 for r in catalog.all_files(conn)}
    conn.close()
    assert rows["issue-b.txt"] == hashlib.sha256(files[1].read_bytes()).hexdigest()
    # a second run hashes each (done, same-size) file once, to decide that it can be skipped
    second = _ingest(tmp_path / "in", out, parse=parse_file, accept_any=True)
    assert sorted(planned) == ["issue-002.txt", "issue-a.txt", "issue-b.txt"] and second.skipped == 3
    # a file of another size is parsed without a plan hash
    planned.clear()
    files[0].write_text(files[0].read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    third = _ingest(tmp_path / "in", out, parse=parse_file, accept_any=True)
    assert sorted(planned) == ["issue-002.txt", "issue-b.txt"] and (third.ingested, third.skipped) == (1, 2)


def test_ingest_same_size_rewrite_during_batch_is_e023(tmp_path: Path) -> None:
    files = write_archive(tmp_path / "in", 3)
    victim = files[0]  # issue-a.txt
    original = victim.read_bytes()
    out = tmp_path / "out"

    def rewrite(path: Path, options: RunOptions) -> RunResult:
        if path == victim:  # rewritten (same length) between the plan and the parse
            victim.write_bytes(original.replace("通知".encode(), "公告".encode(), 1))
        return fake_parse(path, options)

    _ingest(tmp_path / "in", out)
    victim.write_bytes(original.replace("通知".encode(), "办法".encode(), 1))  # same size: the plan hashes it
    report = _ingest(tmp_path / "in", out, parse=rewrite)
    assert {Path(f.path).name: (f.outcome, f.code) for f in report.files} == {
        "issue-002.txt": (Outcome.SKIPPED, None),
        "issue-a.txt": (Outcome.FAILED, "E023"),
        "issue-b.txt": (Outcome.SKIPPED, None),
    }
