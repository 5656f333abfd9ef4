"""Fault injection on the output side: disk full (ENOSPC), a read-only output, drift repaired by verify, the
output lock and two concurrent ingests. Each ends with the promised behaviour and nothing published half."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.archive import catalog, ingest
from pipeline.archive.ingest import IngestReport, Outcome, ingest_dir
from pipeline.archive.lock import output_lock
from pipeline.archive.verify import verify_out
from pipeline.errors import GazetteError
from tests.faults import (
    catalog_dump,
    chinese,  # noqa: F401 - autouse: messages in zh
    output_tree,
)
from tests.test_ingest_fakes import fake_parse, no_render, simple_tokens, slow_exporter, write_archive

ROOT = Path(__file__).resolve().parents[1]


def _ingest(in_dir: Path, out_dir: Path, **kw: object) -> IngestReport:
    args: dict[str, object] = {
        "parse": fake_parse,
        "exporters": [slow_exporter],
        "render": no_render,
        "tokenize": simple_tokens,
    }
    args.update(kw)
    return ingest_dir(in_dir, out_dir, **args)  # type: ignore[arg-type]


@pytest.fixture()
def clean(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    write_archive(tmp_path / "in", 4)
    _ingest(tmp_path / "in", tmp_path / "clean")
    return tmp_path / "in", output_tree(tmp_path / "clean")


# --------------------------------------------------------------------------- disk full


def test_faults_enospc_simulated_fails_the_file_e011_and_is_redone_when_space_is_back(
    clean: tuple[Path, dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC simulated in the write layer (the exporter's writes of one file), since not every sandbox can
    mount a tmpfs; the tmpfs variant below runs where it can."""
    in_dir, clean_tree = clean
    out = tmp_path / "out"

    def full_disk_exporter(issue: object, stage: Path) -> list[Path]:
        if "issue-b" in str(stage):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return slow_exporter(issue, stage)  # type: ignore[arg-type]

    report = _ingest(in_dir, out, exporters=[full_disk_exporter])
    assert [(Path(f.path).name, f.code) for f in report.files if f.outcome == Outcome.FAILED] == [
        ("issue-b.txt", "E011")
    ]
    assert report.exit_status == 3
    assert not (out / "issues" / "issue-b").exists()  # nothing of it published
    conn = catalog.open_catalog(out / "catalog.sqlite")
    row = catalog.file_row(conn, str(in_dir / "sub" / "issue-b.txt"))
    conn.close()
    assert row is not None and (row.status, row.error_code) == ("failure", "E011")
    again = _ingest(in_dir, out)
    assert (again.ingested, again.skipped, again.exit_status) == (1, 3, 0)
    assert output_tree(out) == clean_tree


def test_faults_enospc_catalog_write_is_e011_not_a_traceback(
    clean: tuple[Path, dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_dir, _ = clean

    def no_space(*args: object, **kw: object) -> None:
        raise catalog.sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(ingest, "open_catalog", no_space)
    with pytest.raises(GazetteError) as err:
        _ingest(in_dir, tmp_path / "out")
    assert err.value.code.value == "E011"


@pytest.fixture()
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "tmpfs"
    mnt.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not allowed here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_faults_enospc_on_a_small_tmpfs(clean: tuple[Path, dict[str, bytes]], tmpfs: Path) -> None:
    in_dir, clean_tree = clean
    out = tmpfs / "out"
    out.mkdir()
    filler = tmpfs / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:  # fill the disk to the last byte
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    try:
        report = _ingest(in_dir, out)
        assert report.ingested < 4 and report.exit_status == 3
        assert {f.code for f in report.files if f.outcome == Outcome.FAILED} <= {"E011"}
    except GazetteError as exc:  # not even the catalog could be written
        assert exc.code.value == "E011"
    for path in out.glob("issues/*/issue.json"):  # whatever was published is whole
        assert path.read_bytes() == clean_tree[path.relative_to(out).as_posix()]
    filler.unlink()
    again = _ingest(in_dir, out)
    assert (again.failed, again.exit_status) == (0, 0)
    assert output_tree(out) == clean_tree
    assert catalog_dump(out / "catalog.sqlite")[0] == "ok"


# --------------------------------------------------------------------------- read-only output


def test_faults_readonly_output_queries_open_read_only_and_ingest_is_e011(
    clean: tuple[Path, dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A published, read-only copy (simulated: the tests run as root, whom permissions do not stop)."""
    in_dir, _ = clean
    published = tmp_path / "published"
    shutil.copytree(tmp_path / "clean", published)
    for leftover in published.glob("catalog.sqlite-*"):
        leftover.unlink()
    before = output_tree(published), (published / "catalog.sqlite").read_bytes()
    monkeypatch.setattr(catalog.os, "access", lambda path, mode: False)  # the folder is not writable
    db = published / "catalog.sqlite"
    assert [u.name for u in catalog.list_units(db)][:1] == ["区应急管理局"]
    assert catalog.counts(db)["files"] == 4
    assert {t.text for t in catalog.list_tasks(db, unit="区水务局")} == {"落实防汛责任制"}
    assert not list(published.glob("catalog.sqlite-*"))  # no -wal/-shm created
    assert (output_tree(published), db.read_bytes()) == before
    conn = catalog.open_catalog_readonly(db)
    with pytest.raises(catalog.sqlite3.OperationalError):
        conn.execute("DELETE FROM files")
    conn.close()

    def read_only(*args: object, **kw: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(ingest.tempfile, "TemporaryFile", read_only)
    with pytest.raises(GazetteError) as err:
        _ingest(in_dir, published)
    assert err.value.code.value == "E011"
    assert (output_tree(published), db.read_bytes()) == before


# --------------------------------------------------------------------------- drift: verify and the next run


def test_faults_deleted_export_and_site_file_are_reported_and_repaired(
    clean: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    in_dir, clean_tree = clean
    out = tmp_path / "out"
    _ingest(in_dir, out)
    (out / "issues" / "issue-a" / "documents" / "doc-1.json").unlink()
    (out / "site" / "index.txt").write_text("tampered", encoding="utf-8")
    kw = {"exporters": [slow_exporter], "render": no_render, "parse": fake_parse, "tokenize": simple_tokens}
    found = verify_out(out, **kw)  # type: ignore[arg-type]
    assert [(d.owner.rsplit("/", 1)[-1], d.name, d.missing) for d in found.drift] == [
        ("issue-a.txt", "issues/issue-a/documents/doc-1.json", True),
        ("<site>", "site/index.txt", False),
    ]
    assert len(found.remaining) == 2 and "error[E021]: issues/issue-a/documents/doc-1.json" in found.summary()
    fixed = verify_out(out, repair=True, **kw)  # type: ignore[arg-type]
    assert (len(fixed.drift), fixed.remaining) == (2, [])
    assert output_tree(out) == clean_tree
    # a normal run verifies the checksums too: a deleted export makes its file be redone
    (out / "issues" / "issue-b" / "documents" / "doc-1.json").unlink()
    again = _ingest(in_dir, out)
    assert [Path(f.path).name for f in again.files if f.outcome == Outcome.INGESTED] == ["issue-b.txt"]
    assert output_tree(out) == clean_tree


def test_faults_verify_cli_exit_status(clean: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    out = tmp_path / "clean"
    (out / "issues" / "issue-a" / "issue.json").unlink()
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "verify", "--out", str(out)], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 3, proc.stderr
    assert f"error[E021]: issues/issue-a/issue.json: 缺失 ({clean[0] / 'issue-a.txt'})" in proc.stdout


# --------------------------------------------------------------------------- the lock


def test_faults_lock_refuses_a_second_ingest_with_e019_naming_the_holder(
    clean: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    in_dir, _ = clean
    out = tmp_path / "clean"
    before = output_tree(out)
    with output_lock(out):
        with pytest.raises(GazetteError) as err:
            _ingest(in_dir, out, lock_wait=0.2)
    assert err.value.code.value == "E019" and f"pid {os.getpid()}" in err.value.reason
    assert output_tree(out) == before


def test_faults_lock_waits_for_the_holder_then_runs(clean: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    in_dir, _ = clean
    out = tmp_path / "clean"
    held = threading.Event()

    def hold() -> None:
        with output_lock(out):
            held.set()
            time.sleep(0.5)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    report = _ingest(in_dir, out, lock_wait=30)
    thread.join()
    assert report.skipped == 4


def test_faults_stale_lock_of_a_dead_process_is_taken_over(
    clean: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    in_dir, _ = clean
    out = tmp_path / "out"
    out.mkdir()
    (out / ".lock").write_text("999999999\n")  # a pid that is not running: no flock behind it
    assert _ingest(in_dir, out).ingested == 4


_DRIVER = """
import sys
from pathlib import Path
from pipeline.archive.ingest import ingest_dir
from pipeline.errors import GazetteError
from tests.test_ingest_fakes import no_render, simple_tokens, slow_exporter, slow_parse
try:
    r = ingest_dir(Path(sys.argv[1]), Path(sys.argv[2]), parse=slow_parse, exporters=[slow_exporter],
                   render=no_render, tokenize=simple_tokens, lock_wait=float(sys.argv[3]))
    print("ok", r.ingested, r.skipped)
except GazetteError as exc:
    print(exc.code.value)
"""


@pytest.mark.parametrize(("wait", "expected"), [(0.0, ["4 0", "E019"]), (60.0, ["0 4", "4 0"])])
def test_faults_two_concurrent_ingests(
    clean: tuple[Path, dict[str, bytes]], tmp_path: Path, wait: float, expected: list[str]
) -> None:
    in_dir, clean_tree = clean
    out = tmp_path / "out"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _DRIVER, str(in_dir), str(out), str(wait)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = sorted(p.communicate(timeout=120)[0].strip().removeprefix("ok ") for p in procs)
    assert results == expected
    assert output_tree(out) == clean_tree
    assert catalog_dump(out / "catalog.sqlite") == catalog_dump(tmp_path / "clean" / "catalog.sqlite")


def test_faults_lock_cli_refuses_with_exit_2_and_one_coded_line(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("关于做好应急管理工作的通知\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    with output_lock(out):
        proc = subprocess.run(
            [sys.executable, "-m", "pipeline.cli", "ingest", str(tmp_path / "in"), "--out", str(out), "--no-progress"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error[E019]: {out}: ") and f"pid {os.getpid()}" in proc.stderr
    assert "Traceback" not in proc.stderr and sorted(p.name for p in out.iterdir()) == [".lock"]
