"""Fault injection: an 8-file ingest killed with SIGKILL at 10 moments, each followed by a rerun, ends
byte-identical to a clean run (outputs and catalog rows, timestamps aside) with ``PRAGMA integrity_check`` ok."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.archive.ingest import IngestReport, ingest_dir
from tests.faults import (
    catalog_dump,
    chinese,  # noqa: F401 - autouse: messages in zh
    output_tree,
)
from tests.test_ingest_fakes import no_render, simple_tokens, slow_exporter, slow_parse, write_archive

ROOT = Path(__file__).resolve().parents[1]
MOMENTS = 10

_DRIVER = """
import sys
from pathlib import Path
from pipeline.archive.ingest import ingest_dir
from tests.test_ingest_fakes import no_render, simple_tokens, slow_exporter, slow_parse
print("started", flush=True)
ingest_dir(Path(sys.argv[1]), Path(sys.argv[2]), parse=slow_parse, exporters=[slow_exporter], render=no_render,
           tokenize=simple_tokens)
print("done", flush=True)
"""


def _ingest(in_dir: Path, out_dir: Path) -> IngestReport:
    return ingest_dir(
        in_dir, out_dir, parse=slow_parse, exporters=[slow_exporter], render=no_render, tokenize=simple_tokens
    )


def _start(in_dir: Path, out_dir: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _DRIVER, str(in_dir), str(out_dir)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
    return proc


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], object, float]:
    """The archive, the clean run's outputs and catalog, and how long an ingest takes in a child process."""
    root = tmp_path_factory.mktemp("faults-kill")
    write_archive(root / "in", 8)
    t0 = time.monotonic()
    proc = _start(root / "in", root / "clean")
    assert proc.wait(timeout=120) == 0
    duration = time.monotonic() - t0
    return root / "in", output_tree(root / "clean"), catalog_dump(root / "clean" / "catalog.sqlite"), duration


@pytest.mark.parametrize("moment", range(MOMENTS))
def test_faults_kill_at_a_moment_then_rerun_equals_clean_run(
    tmp_path: Path, clean: tuple[Path, dict[str, bytes], object, float], moment: int
) -> None:
    in_dir, clean_tree, clean_catalog, duration = clean
    out = tmp_path / "out"
    proc = _start(in_dir, out)
    time.sleep(duration * (moment + 0.5) / MOMENTS)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # what the kill left: every visible issue.json is complete, nothing half-published
    for path in out.glob("issues/*/issue.json"):
        if path.parent.name.startswith("."):
            continue  # a staging folder: not published
        assert path.read_bytes() == clean_tree[path.relative_to(out).as_posix()]
    report = _ingest(in_dir, out)
    assert (report.failed, report.exit_status) == (0, 0)
    assert output_tree(out) == clean_tree
    verdict, rows = catalog_dump(out / "catalog.sqlite")
    assert verdict == "ok"
    assert (verdict, rows) == clean_catalog
    assert not [p.name for p in out.rglob(".*") if p.name not in (".inputs", ".lock")]
    assert _ingest(in_dir, out).skipped == 8
