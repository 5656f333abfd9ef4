"""Verify an ingest output against its catalog, and repair drift: ``gazette verify --out DIR [--repair]``.

Reads: ``OUT/catalog.sqlite`` (the ``outputs`` table: every output file with its sha256, per input file and for
the site) and the files under ``OUT``. Writes (``repair`` only, under the output lock): every issue folder with a
missing or changed file, rebuilt from its ``issue.json`` when that is intact, else from the source file when it is
still there unchanged; the site, re-rendered and swapped in whole. Guarantees: every drifted file is reported
with E021; after a repair, :attr:`VerifyReport.remaining` lists exactly what could not be rebuilt.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.archive.catalog import FileRow, Tokenizer, all_files, open_catalog, output_rows, record_outputs
from pipeline.archive.ingest import (
    CATALOG_NAME,
    QUARANTINED,
    SITE_KEY,
    Exporter,
    ParseFn,
    RenderFn,
    _Batch,
    _Job,
    _site,
    _store,
    default_exporters,
    drifted,
    file_sha256,
    parse_and_index,
    write_issue_dir,
)
from pipeline.archive.lock import output_lock
from pipeline.errors import Code
from pipeline.i18n import pick
from pipeline.options import RunOptions
from schemas.model import Issue, RunStatus


@dataclass(frozen=True, slots=True)
class Drift:
    """One output file that is missing or changed: ``owner`` is its input file (``<site>`` for the site)."""

    owner: str
    name: str  # relative to the output folder
    missing: bool


@dataclass(slots=True)
class VerifyReport:
    drift: list[Drift]
    repaired: list[str] = field(default_factory=list)  # owners whose outputs were rebuilt
    remaining: list[Drift] = field(default_factory=list)

    def summary(self) -> str:
        """One line of counts, then one ``error[E021]`` line per drifted file still not repaired."""
        lines = [
            pick(
                f"{len(self.drift)} 个输出文件缺失或被改动；已修复 {len(self.repaired)} 处，剩余 {len(self.remaining)} 个",
                f"{len(self.drift)} output files missing or changed; {len(self.repaired)} repaired, "
                f"{len(self.remaining)} remaining",
            )
        ]
        for d in self.remaining:
            state = pick("缺失", "missing") if d.missing else pick("已被改动", "changed")
            lines.append(f"error[{Code.E021.value}]: {d.name}: {state} ({d.owner})")
        return "\n".join(lines)


def find_drift(conn: sqlite3.Connection, out_dir: Path) -> list[Drift]:
    """Every recorded output (of a published file or of the site) whose bytes on disk differ from the catalog."""
    owners = [r.path for r in all_files(conn) if _published(r)] + [SITE_KEY]
    found: list[Drift] = []
    for owner in owners:
        for name in drifted(out_dir, output_rows(conn, owner)):
            found.append(Drift(owner, name, not (out_dir / name).exists()))
    return found


def _published(row: FileRow) -> bool:
    return bool(row.output) and row.status not in (RunStatus.FAILURE.value, QUARANTINED)


def verify_out(
    out_dir: Path,
    *,
    repair: bool = False,
    lock_wait: float = 0.0,
    options: RunOptions = RunOptions(),  # noqa: B008 - frozen dataclass, safe as a default
    parse: ParseFn | None = None,
    exporters: Sequence[Exporter] | None = None,
    render: RenderFn | None = None,
    tokenize: Tokenizer | None = None,
) -> VerifyReport:
    """Compare every output under ``out_dir`` with the catalog's checksums; rebuild the drifted ones if ``repair``.

    Raises: GazetteError E019 when an ingest holds the output folder longer than ``lock_wait`` seconds.
    """
    out_dir = Path(out_dir)
    with output_lock(out_dir, lock_wait):
        conn = open_catalog(out_dir / CATALOG_NAME)
        try:
            report = VerifyReport(find_drift(conn, out_dir))
            if not repair or not report.drift:
                report.remaining = list(report.drift)
                return report
            batch = _Batch(conn, out_dir, options, parse, exporters or default_exporters(), tokenize, True, {})
            rows = {r.path: r for r in all_files(conn)}
            for owner in sorted({d.owner for d in report.drift} - {SITE_KEY}):
                if _repair_file(batch, rows[owner]):
                    report.repaired.append(owner)
            admin = [r for r in rows.values() if r.status in (RunStatus.FAILURE.value, QUARANTINED)]
            _, error = _site(batch, render, admin)
            if error is None and any(d.owner == SITE_KEY for d in report.drift):
                report.repaired.append(SITE_KEY)
            report.remaining = find_drift(conn, out_dir)
            return report
        finally:
            conn.close()


def _repair_file(batch: _Batch, row: FileRow) -> bool:
    """Rebuild one input's issue folder: from its intact ``issue.json``, else by parsing the unchanged source."""
    assert row.output is not None
    recorded = output_rows(batch.conn, row.path)
    issue_json = f"{row.output}/issue.json"
    final = batch.out_dir / row.output
    if recorded.get(issue_json) == file_sha256(batch.out_dir / issue_json):
        issue = Issue.model_validate_json((batch.out_dir / issue_json).read_bytes())
        record_outputs(batch.conn, row.path, write_issue_dir(issue, final, batch.exporters))
        return True
    source = Path(row.path)
    if row.sha256 is None or file_sha256(source) != row.sha256:
        return False  # the source is gone or changed: the next ingest of its folder redoes it
    st = source.stat()
    output = parse_and_index(row.path, batch.options, batch.parse, batch.tokenize)
    outcome = _store(batch, _Job(source, row.sha256, st.st_size, st.st_mtime, st.st_mtime_ns), output)
    return outcome.output == row.output
