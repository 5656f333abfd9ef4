"""Fault injection on the input side: non-documents and mojibake (never published), inputs deleted, truncated,
renamed or removed while or between runs, budgets that bind while a stage runs, content lost in a PDF."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from pipeline.archive import catalog
from pipeline.archive.ingest import IngestReport, Outcome, ingest_dir, parse_one
from pipeline.errors import GazetteError
from pipeline.load import guard
from pipeline.options import BACKENDS, RunOptions
from pipeline.run import parse_file
from schemas.model import RunResult
from tests.badinputs import minimal_pdf
from tests.faults import (
    chinese,  # noqa: F401 - autouse: messages in zh
    output_tree,
)
from tests.test_ingest_fakes import ISSUE_A, fake_parse, no_render, simple_tokens, slow_exporter, write_archive


def _ingest(in_dir: Path, out_dir: Path, **kw: object) -> IngestReport:
    args: dict[str, object] = {
        "parse": fake_parse,
        "exporters": [slow_exporter],
        "render": no_render,
        "tokenize": simple_tokens,
    }
    args.update(kw)
    return ingest_dir(in_dir, out_dir, **args)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- only documents are published


def test_faults_non_document_is_quarantined_e018_and_listed_on_the_admin_page(tmp_path: Path) -> None:
    write_archive(tmp_path / "in", 2)
    (tmp_path / "in" / "form.txt").write_text("姓名 | 性别 | 出生年月\n", encoding="utf-8")  # rows, no document
    out = tmp_path / "out"
    report = _ingest(tmp_path / "in", out)
    form = str(tmp_path / "in" / "form.txt")
    assert [(f.path, f.outcome, f.code) for f in report.files if f.outcome != Outcome.INGESTED] == [
        (form, Outcome.QUARANTINED, "E018")
    ]
    assert (report.quarantined, report.exit_status) == (1, 3)
    assert f"error[E018]: {form}: 未发现公文结构" in report.summary()
    assert sorted(p.name for p in (out / "issues").iterdir()) == ["issue-a", "issue-b"]
    assert (out / "site" / "index.txt").read_text(encoding="utf-8") == "issue-a\nissue-b"  # public pages
    admin = (out / "site" / "admin" / "index.html").read_text(encoding="utf-8")
    assert form in admin and "quarantined" in admin and "E018" in admin
    conn = catalog.open_catalog(out / "catalog.sqlite")
    row = catalog.file_row(conn, form)
    conn.close()
    assert row is not None and (row.status, row.error_code, row.output) == ("quarantined", "E018", None)
    assert catalog.counts(out / "catalog.sqlite")["issues"] == 2
    accepted = _ingest(tmp_path / "in", out, accept_any=True)
    assert [Path(f.path).name for f in accepted.files if f.outcome == Outcome.INGESTED] == ["form.txt"]
    assert accepted.exit_status == 0 and (out / "issues" / "form" / "issue.json").is_file()


def test_faults_utf16_bom_then_binary_is_mojibake_e008(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(b"\xff\xfe" + random.Random(7).randbytes(4000).replace(b"\x00", b"\x01"))
    with pytest.raises(GazetteError) as err:
        guard.read_text(path)
    assert err.value.code.value == "E008"
    real = tmp_path / "real.txt"
    real.write_bytes("\ufeff关于做好应急管理工作的通知\n各镇人民政府：现将有关事项通知如下。".encode("utf-16-le"))
    assert guard.read_text(real).startswith("关于做好应急管理工作的通知")


# --------------------------------------------------------------------------- inputs that change under the batch


def test_faults_input_deleted_and_one_truncated_mid_run(tmp_path: Path) -> None:
    files = write_archive(tmp_path / "in", 4)  # issue-a, sub/issue-b, issue-002, issue-003
    deleted, truncated = files[0], files[1]

    def saboteur(path: Path, options: RunOptions) -> RunResult:
        if path == files[2]:  # while the first file (issue-002) is parsed, two later ones change on disk
            deleted.unlink()
            data = truncated.read_bytes()
            truncated.write_bytes(data[: len(data) // 2])
        return fake_parse(path, options)

    out = tmp_path / "out"
    report = _ingest(tmp_path / "in", out, parse=saboteur)
    got = {Path(f.path).name: (f.outcome, f.code) for f in report.files}
    assert got == {
        "issue-002.txt": (Outcome.INGESTED, None),
        "issue-003.txt": (Outcome.INGESTED, None),
        "issue-a.txt": (Outcome.FAILED, "E001"),
        "issue-b.txt": (Outcome.FAILED, "E023"),
    }
    assert report.exit_status == 3
    assert sorted(p.name for p in (out / "issues").iterdir()) == ["issue-002", "issue-003"]
    again = _ingest(tmp_path / "in", out)  # the truncated file is what it is now: ingested; the deleted one forgotten
    assert [(Path(f.path).relative_to(tmp_path / "in").as_posix(), f.outcome) for f in again.files] == [
        ("issue-002.txt", Outcome.SKIPPED),
        ("issue-003.txt", Outcome.SKIPPED),
        ("sub/issue-b.txt", Outcome.INGESTED),
    ]
    assert again.removed == [str(deleted)]


def test_faults_renamed_and_removed_inputs_leave_no_ghost_rows(tmp_path: Path) -> None:
    files = write_archive(tmp_path / "in", 3)
    out = tmp_path / "out"
    _ingest(tmp_path / "in", out)
    renamed = tmp_path / "in" / "renamed.txt"
    files[0].rename(renamed)
    files[1].unlink()
    kept = _ingest(tmp_path / "in", tmp_path / "kept", keep_removed=True)
    assert kept.removed == []
    report = _ingest(tmp_path / "in", out)
    assert sorted(report.removed) == sorted([str(files[0]), str(files[1])])
    assert [(Path(f.path).name, f.outcome, f.warnings) for f in report.files] == [
        ("issue-002.txt", Outcome.SKIPPED, []),
        ("renamed.txt", Outcome.INGESTED, [f"由 {files[0]} 改名而来"]),
    ]
    # edit the renamed file: its old content leaves no ghost rows behind
    renamed.write_text("关于加强防汛工作的通知\n加固堤防 | 区水务局 | |\n", encoding="utf-8")
    _ingest(tmp_path / "in", out)
    counts = catalog.counts(out / "catalog.sqlite")
    assert (counts["files"], counts["issues"], counts["documents"]) == (2, 2, 4)
    assert sorted(p.name for p in (out / "issues").iterdir()) == ["issue-002", "renamed"]
    assert (out / "site" / "index.txt").read_text(encoding="utf-8") == "issue-002\nrenamed"
    assert {t.text for t in catalog.list_tasks(out / "catalog.sqlite")} == {
        "加固堤防",
        "完善应急预案体系",
        "开展安全生产检查",
        "推进政务公开标准化",
    }


# --------------------------------------------------------------------------- budgets that bind


def test_faults_time_budget_stops_a_5mb_single_line_text(tmp_path: Path) -> None:
    path = tmp_path / "one-line.txt"
    rng = random.Random(3)
    alphabet = "关于做好应急管理工作的通知，一二三四五六七八九十（）、。区人民政府"
    path.write_text("".join(rng.choices(alphabet, k=5 * 1024 * 1024 // 3)), encoding="utf-8")
    parse_file(_deflated_pdf(tmp_path, slice(0, 0), "warm.pdf"))  # imports are not the budget's business
    t0 = time.monotonic()
    result = parse_one(str(path), RunOptions(time_budget=2))
    elapsed = time.monotonic() - t0
    assert elapsed < 6, elapsed  # stopped while the stages ran (> 100 s without the budget)
    assert [e.code for e in result.errors] == ["E009"] or result.issue is not None


def test_faults_time_budget_bounds_a_pdf_with_random_xref_offsets(tmp_path: Path) -> None:
    data = bytearray(minimal_pdf(tuple(f"Notice {k} on the plan" for k in range(150)), deflate=True))
    start = data.rindex(b"xref\n")
    rng = random.Random(11)
    lines = data[start:].split(b"\n")
    for k, line in enumerate(lines):
        if line.endswith(b" n "):
            lines[k] = b"%010d 00000 n " % rng.randrange(0, len(data))
    path = tmp_path / "xref.pdf"
    path.write_bytes(bytes(data[:start]) + b"\n".join(lines))
    parse_file(_deflated_pdf(tmp_path, slice(0, 0), "warm.pdf"))  # imports are not the budget's business
    t0 = time.monotonic()
    result = parse_one(str(path), RunOptions(time_budget=2))
    assert time.monotonic() - t0 < 6  # ~15 s without the budget
    assert result.issue is not None or result.errors[0].code in {"E004", "E009", "E006"}


def test_faults_time_budget_interrupts_a_stage_that_never_ends(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("x", encoding="utf-8")

    def stuck(p: Path, options: RunOptions) -> RunResult:
        while True:  # a stage that loops, catching everything a stage may catch
            try:
                time.sleep(0.05)
            except Exception:
                pass

    t0 = time.monotonic()
    result = parse_one(str(path), RunOptions(time_budget=0.5), stuck)
    assert [e.code for e in result.errors] == ["E009"] and time.monotonic() - t0 < 3


def test_faults_memory_budget_is_e022_and_lifted_afterwards(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("x", encoding="utf-8")

    def hungry(p: Path, options: RunOptions) -> RunResult:
        blob = bytearray(8 << 30)  # 8 GiB
        raise AssertionError(len(blob))

    result = parse_one(str(path), RunOptions(max_memory_mb=1024), hungry)
    assert [e.code for e in result.errors] == ["E022"]
    assert len(bytearray(64 << 20)) == 64 << 20  # the limit is gone after the file


# --------------------------------------------------------------------------- every lost byte reported


def _deflated_pdf(tmp_path: Path, damage: slice, name: str) -> Path:
    data = bytearray(minimal_pdf(("Gazette 2022 No. 3", "Notice on the plan"), deflate=True))
    at = data.index(b"stream\n") + len(b"stream\n")
    end = data.index(b"\nendstream", at)
    stream = data[at:end]
    stream[damage] = b"\xff" * len(stream[damage])
    data[at:end] = stream
    path = tmp_path / name
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("damage", "what"),
    [(slice(8, 12), "failed to decompress"), (slice(-4, None), "Data-loss while decompressing")],
)
def test_faults_lost_pdf_content_is_p120_with_its_page(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], damage: slice, what: str, backend: str
) -> None:
    path = _deflated_pdf(tmp_path, damage, "lost.pdf")
    result = parse_file(path, RunOptions(backend=backend))
    assert result.issue is not None
    lost = [e for e in result.issue.errors if e.code == "P120"]
    assert [(e.page, what in e.message) for e in lost] == [(1, True)]
    assert "Data-loss" not in capfd.readouterr().err  # reported as a code, not a stray stderr line


@pytest.mark.parametrize("backend", BACKENDS)
def test_faults_intact_pdf_has_no_p120(tmp_path: Path, backend: str) -> None:
    path = tmp_path / "ok.pdf"
    path.write_bytes(minimal_pdf(deflate=True))
    result = parse_file(path, RunOptions(backend=backend))
    assert result.issue is not None and not [e for e in result.issue.errors if e.code == "P120"]


def test_faults_kill_free_inputs_stay_byte_identical(tmp_path: Path) -> None:
    """A sanity anchor for the suite: the same archive ingested twice into two folders gives the same bytes."""
    write_archive(tmp_path / "in", 3)
    (tmp_path / "in" / "extra.txt").write_text(ISSUE_A, encoding="utf-8")
    _ingest(tmp_path / "in", tmp_path / "one")
    _ingest(tmp_path / "in", tmp_path / "two")
    assert output_tree(tmp_path / "one") == output_tree(tmp_path / "two")
    assert os.listdir(tmp_path / "one" / "issues") == os.listdir(tmp_path / "two" / "issues")
