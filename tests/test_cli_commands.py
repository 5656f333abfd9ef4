"""The thin CLI: parse prints the contract JSON, validate groups findings and --strict sets the exit status."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pipeline.cli import app
from schemas.model import Issue
from tests.conftest import CORPUS_TXT

runner = CliRunner()


def test_cli_parse_prints_contract_json() -> None:
    out = runner.invoke(app, ["parse", str(CORPUS_TXT), "--format", "json"])
    assert out.exit_code == 0, out.output
    issue = Issue.model_validate_json(out.stdout)
    assert issue.schema_name == "GazetteIssue" and issue.number == 3
    assert json.loads(out.stdout)["documents"][0]["doc_number"]["raw"] == "茂南府〔2022〕2号"


def test_cli_validate_strict_exit_status() -> None:
    lenient = runner.invoke(app, ["validate", str(CORPUS_TXT)])
    assert lenient.exit_code == 0
    lines = lenient.stdout.splitlines()
    assert lines[0] == "错误 (1)" and "[V101]" in lines[1]
    assert "[V102]" in lenient.stdout and "[V106]" in lenient.stdout and "[V501]" in lenient.stdout
    strict = runner.invoke(app, ["validate", str(CORPUS_TXT), "--strict"])
    assert strict.exit_code == 1


def test_cli_missing_file_is_one_coded_line(tmp_path) -> None:
    missing = tmp_path / "nope.pdf"
    out = runner.invoke(app, ["parse", str(missing)])
    assert out.exit_code == 2
    assert out.output.strip() == f"error[E001]: {missing}: file not found"
