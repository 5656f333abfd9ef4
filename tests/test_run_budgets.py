"""Per-file budgets: one pathological file fails with a code instead of stalling the batch."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.options import RunOptions
from pipeline.run import parse_file
from schemas.model import RunStatus
from tests.conftest import CORPUS_PDF, CORPUS_TXT
from tests.faults import chinese  # noqa: F401 - autouse: messages in zh


def test_run_budgets_time_budget_is_e009() -> None:
    for path in (CORPUS_PDF, CORPUS_TXT):
        result = parse_file(path, RunOptions(time_budget=0.0))
        assert result.status is RunStatus.FAILURE
        assert [e.code for e in result.errors] == ["E009"]


def test_run_budgets_page_budget_is_e010() -> None:
    result = parse_file(CORPUS_PDF, RunOptions(max_pages=10))
    assert [e.code for e in result.errors] == ["E010"]


def test_run_budgets_cli_exit_status_and_one_line() -> None:
    out = CliRunner().invoke(app, ["parse", str(CORPUS_PDF), "--max-pages", "10"])
    assert out.exit_code == 2
    assert out.output.strip().splitlines() == [f"error[E010]: {CORPUS_PDF}: 62 pages exceed the page budget of 10"]


def test_run_budgets_ingest_goes_on_after_a_budget_failure(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(CORPUS_PDF, src / "big.pdf")
    shutil.copy(CORPUS_TXT, src / "small.txt")
    out = CliRunner().invoke(
        app, ["ingest", str(src), "--out", str(tmp_path / "out"), "--max-pages", "10", "--no-progress"]
    )
    assert out.exit_code == 3, out.output  # some files failed, the batch went on
    assert "1 个已导入" in out.output and "1 个失败" in out.output
    assert "error[E010]" in out.output
    assert (tmp_path / "out" / "issues" / "small" / "issue.json").exists()
