"""Crash safety: an ingest killed (SIGKILL) at a random moment, then rerun, equals a clean run."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.archive import catalog
from pipeline.archive.ingest import IngestReport, ingest_dir
from tests.test_ingest_fakes import no_render, simple_tokens, slow_exporter, slow_parse, write_archive

ROOT = Path(__file__).resolve().parents[1]

_DRIVER = """
import sys
from pathlib import Path
from pipeline.archive.ingest import ingest_dir
from tests.test_ingest_fakes import no_render, simple_tokens, slow_exporter, slow_parse
ingest_dir(Path(sys.argv[1]), Path(sys.argv[2]), parse=slow_parse, exporters=[slow_exporter], render=no_render,
           tokenize=simple_tokens)
"""


def _ingest(in_dir: Path, out_dir: Path) -> IngestReport:
    return ingest_dir(
        in_dir, out_dir, parse=slow_parse, exporters=[slow_exporter], render=no_render, tokenize=simple_tokens
    )


def _tree(out_dir: Path) -> dict[str, bytes]:
    """Every output file by relative path, except the catalog and the site's cache key (both hold timestamps)."""
    return {
        p.relative_to(out_dir).as_posix(): p.read_bytes()
        for p in sorted(out_dir.rglob("*"))
        if p.is_file() and not p.name.startswith("catalog.sqlite") and p.name not in (".inputs", ".lock")
    }


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], dict[str, int]]:
    root = tmp_path_factory.mktemp("crash")
    write_archive(root / "in", 8)
    _ingest(root / "in", root / "clean")
    return root / "in", _tree(root / "clean"), catalog.counts(root / "clean" / "catalog.sqlite")


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_ingest_killed_then_rerun_equals_clean_run(
    tmp_path: Path, clean: tuple[Path, dict[str, bytes], dict[str, int]], seed: int
) -> None:
    in_dir, clean_tree, clean_counts = clean
    out = tmp_path / "out"
    delay = random.Random(seed).uniform(0.4, 2.2)
    proc = subprocess.Popen([sys.executable, "-c", _DRIVER, str(in_dir), str(out)], cwd=ROOT)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # whatever the kill left: every issue.json present is complete
    for path in out.glob("issues/*/issue.json"):
        if path.parent.name.startswith("."):
            continue  # a staging directory: not visible as output
        assert path.read_bytes() == clean_tree[path.relative_to(out).as_posix()]
    report = _ingest(in_dir, out)
    assert report.failed == 0
    assert _tree(out) == clean_tree
    assert catalog.counts(out / "catalog.sqlite") == clean_counts
    assert not [p.name for p in out.rglob(".*") if p.name not in (".inputs", ".lock")]
    again = _ingest(in_dir, out)
    assert again.skipped == 8
