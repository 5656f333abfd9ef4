"""Helpers of the fault-injection suite (``tests/test_faults_*.py``): a byte-level picture of an ingest output.

``output_tree`` is every output file's bytes (the catalog, the lock file and the site's cache key left out: they
hold timestamps or pids); ``catalog_dump`` is every catalog row, sorted, with the ``ingested_at`` timestamp
blanked, plus SQLite's own ``PRAGMA integrity_check`` verdict.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

SKIPPED_NAMES = (".inputs", ".lock")


@pytest.fixture(autouse=True)
def chinese(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The default language (zh) for a test, whatever an earlier test left in ``GAZETTE_LANG``."""
    monkeypatch.setenv("GAZETTE_LANG", "zh")
    yield


def output_tree(out_dir: Path) -> dict[str, bytes]:
    """Every file under ``out_dir`` by relative path, except the catalog, ``.lock`` and the site's ``.inputs``."""
    return {
        p.relative_to(out_dir).as_posix(): p.read_bytes()
        for p in sorted(Path(out_dir).rglob("*"))
        if p.is_file() and not p.name.startswith("catalog.sqlite") and p.name not in SKIPPED_NAMES
    }


def catalog_dump(db: Path) -> tuple[str, dict[str, list[tuple[object, ...]]]]:
    """``(integrity_check verdict, {table: sorted rows})`` of a catalog; ``files.ingested_at`` is blanked."""
    conn = sqlite3.connect(db)
    try:
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        tables = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'fts_%'")
        ]
        dump: dict[str, list[tuple[object, ...]]] = {}
        for table in sorted(tables):
            rows = [tuple(r) for r in conn.execute(f"SELECT * FROM {table}")]
            if table == "files":
                rows = [r[:-1] for r in rows]  # ingested_at
            dump[table] = sorted(rows, key=repr)
    finally:
        conn.close()
    return verdict, dump
