"""Bad inputs through the real command line: one coded error line, no traceback; batches go on.

Runs ``python -m pipeline.cli`` in a subprocess (from a temporary working directory, so nothing depends
on the CWD), exactly as a user would.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.badinputs import (
    CORPUS_TXT,
    FATAL_CASES,
    Case,
    make_corpus_slice_pdf,
    make_invoice_pdf,
    make_paper_pdf,
    make_partly_garbled_pdf,
)
from tests.faults import chinese  # noqa: F401 - autouse: messages in zh

ROOT = Path(__file__).resolve().parent.parent
ERROR_LINE = re.compile(r"^error\[(E0\d\d)\]: (.+)$")


def error_line_ok(line: str, code: str, path: Path | str) -> bool:
    """``error[E0xx]: <file>: <reason>`` with this code, this file and a non-empty reason."""
    prefix = f"error[{code}]: {path}: "
    return line.startswith(prefix) and len(line) > len(prefix) and "\n" not in line


def gazette(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


def _no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    both = proc.stdout + proc.stderr
    assert "Traceback" not in both
    assert "Error:" not in proc.stderr.replace("error[", "")


@pytest.mark.parametrize("case", FATAL_CASES, ids=lambda c: c.name)
def test_robust_parse_bad_input_one_error_line(case: Case, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    proc = gazette("parse", str(path), "--format", "json", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    _no_traceback(proc)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert error_line_ok(lines[0], str(case.code), path), lines[0]


def test_robust_parse_missing_file_e001(tmp_path: Path) -> None:
    missing = tmp_path / "no such 公报.pdf"
    proc = gazette("parse", str(missing), cwd=tmp_path)
    assert proc.returncode == 2
    _no_traceback(proc)
    assert error_line_ok(proc.stderr.rstrip("\n"), "E001", missing), proc.stderr


def test_robust_parse_page_budget_e010(tmp_path: Path) -> None:
    path = make_corpus_slice_pdf(tmp_path, 0, 5)
    proc = gazette("parse", str(path), "--max-pages", "3", cwd=tmp_path)
    assert proc.returncode == 2
    _no_traceback(proc)
    assert error_line_ok(proc.stderr.rstrip("\n"), "E010", path), proc.stderr


def _issue(proc: subprocess.CompletedProcess[str]) -> dict:  # type: ignore[type-arg]
    assert proc.returncode == 0, proc.stderr
    _no_traceback(proc)
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


DOC_FIELDS_NOT_INVENTED = ("doc_number", "issuer", "signature", "date", "printed_by", "printed_date", "header")


@pytest.mark.parametrize("make", [make_invoice_pdf, make_paper_pdf], ids=["invoice", "paper"])
def test_robust_not_a_gazette_is_issue_with_p103(make, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    issue = _issue(gazette("parse", str(make(tmp_path)), "--format", "json", cwd=tmp_path))
    assert [e["code"] for e in issue["errors"]] == ["P103"]
    assert (issue["gazette"], issue["year"], issue["number"], issue["toc"]) == (None, None, None, [])
    for doc in issue["documents"]:
        assert all(doc.get(k) is None for k in DOC_FIELDS_NOT_INVENTED), doc
        assert doc.get("recipients", []) == [] and doc.get("cc", []) == []
        assert doc.get("attachments", []) == [] and doc.get("tasks", []) == []


def test_robust_partly_garbled_pdf_reports_p105(tmp_path: Path) -> None:
    issue = _issue(gazette("parse", str(make_partly_garbled_pdf(tmp_path)), "--format", "json", cwd=tmp_path))
    assert [e["code"] for e in issue["errors"]] == ["P105"]
    assert issue["source"]["pages"] == 5


# --------------------------------------------------------------------------- ingest: the batch goes on


def _tree_hash(root: Path, skip: tuple[str, ...] = ("catalog.sqlite", "site/admin/", "site/.inputs")) -> dict[str, str]:
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_file() and not rel.startswith(skip):
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.mark.slow
def test_robust_ingest_mixed_dir_goes_on_and_keeps_good_outputs(tmp_path: Path) -> None:
    in_dir, out_dir = tmp_path / "in put 输入", tmp_path / "out"
    in_dir.mkdir()
    shutil.copyfile(CORPUS_TXT, in_dir / "good-text.txt")
    make_corpus_slice_pdf(in_dir, 0, 5, name="good-slice.pdf")

    first = gazette("ingest", str(in_dir), "--out", str(out_dir), "--no-progress", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    _no_traceback(first)
    before = _tree_hash(out_dir)
    assert "issues/good-text/issue.json" in before and "issues/good-slice/issue.json" in before

    bad_dir = in_dir / "bad 坏"
    bad_dir.mkdir()
    bad = {c.name: c.make(bad_dir) for c in FATAL_CASES}
    second = gazette("ingest", str(in_dir), "--out", str(out_dir), "--no-progress", cwd=tmp_path)
    assert second.returncode == 3, second.stderr  # some files failed, every other one was done
    _no_traceback(second)

    errors = [line for line in second.stdout.splitlines() if ERROR_LINE.match(line)]
    assert len(errors) == len(FATAL_CASES)
    for c in FATAL_CASES:
        assert sum(error_line_ok(line, str(c.code), bad[c.name]) for line in errors) == 1, c.name
    assert f"{len(FATAL_CASES) + 2} 个文件：0 个已导入，2 个未变（跳过），{len(FATAL_CASES)} 个失败" in second.stdout

    after = _tree_hash(out_dir)
    assert {k: v for k, v in after.items() if k in before} == before
    assert not any(k.split("/")[1:2] in [[p.stem] for p in bad.values()] for k in set(after) - set(before))

    with sqlite3.connect(out_dir / "catalog.sqlite") as conn:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
        dump = "\n".join(conn.iterdump())
    assert tables
    for c in FATAL_CASES:
        assert c.code in dump and str(bad[c.name]) in dump  # the failure is recorded with its code


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_robust_parse_fifo_e003(tmp_path: Path) -> None:
    fifo = tmp_path / "stuck.pdf"
    os.mkfifo(fifo)
    proc = gazette("parse", str(fifo), cwd=tmp_path, timeout=60)
    assert proc.returncode == 2
    assert error_line_ok(proc.stderr.rstrip("\n"), "E003", fifo), proc.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_robust_ingest_fifo_does_not_hang(tmp_path: Path) -> None:
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    os.mkfifo(in_dir / "stuck.txt")
    shutil.copyfile(CORPUS_TXT, in_dir / "good.txt")
    proc = gazette("ingest", str(in_dir), "--out", str(tmp_path / "out"), "--no-progress", cwd=tmp_path, timeout=60)
    assert proc.returncode == 3, proc.stderr
    assert "1 个已导入" in proc.stdout
    assert "error[E003]" in proc.stdout and "stuck.txt" in proc.stdout
