"""The Dask distributed path gives byte-identical outputs and catalog rows to the local path."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.archive import catalog
from pipeline.archive.ingest import IngestReport, ingest_dir
from tests.test_ingest_fakes import fake_parse, no_render, simple_tokens, write_archive


def _ingest(in_dir: Path, out_dir: Path, **kw: object) -> IngestReport:
    args: dict[str, object] = {"parse": fake_parse, "exporters": [], "render": no_render, "tokenize": simple_tokens}
    args.update(kw)
    return ingest_dir(in_dir, out_dir, **args)  # type: ignore[arg-type]


def _issue_files(out_dir: Path) -> dict[str, bytes]:
    return {p.parent.name: p.read_bytes() for p in sorted(out_dir.glob("issues/*/issue.json"))}


@pytest.mark.parametrize(
    "mode",
    ["threads", pytest.param("processes", marks=pytest.mark.slow), pytest.param("local", marks=pytest.mark.slow)],
)
def test_ingest_dask_local_cluster_matches_local_run(tmp_path: Path, mode: str) -> None:
    from distributed import LocalCluster

    write_archive(tmp_path / "in", 6)
    (tmp_path / "in" / "broken.txt").write_text("BROKEN", encoding="utf-8")
    local = _ingest(tmp_path / "in", tmp_path / "local")
    if mode == "local":  # ingest_dir starts (and stops) its own LocalCluster
        dask = _ingest(tmp_path / "in", tmp_path / "dask", scheduler="local", jobs=2)
    else:
        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=mode == "processes", dashboard_address=":0"
        ) as cluster:
            dask = _ingest(tmp_path / "in", tmp_path / "dask", scheduler=cluster.scheduler_address, jobs=2)
    assert _issue_files(tmp_path / "local") == _issue_files(tmp_path / "dask")
    assert len(_issue_files(tmp_path / "dask")) == 6
    assert catalog.counts(tmp_path / "local" / "catalog.sqlite") == catalog.counts(tmp_path / "dask" / "catalog.sqlite")
    assert [(f.path, f.outcome, f.code) for f in local.files] == [(f.path, f.outcome, f.code) for f in dask.files]
    assert dask.failed == 1
