"""JSON Schema export: committed files are fresh, output is deterministic, the schema validates real JSON."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from pipeline.publish.schema import SCHEMA_FILES, export_schemas, model_to_schema_text
from schemas.model import Document, Issue, RunResult, RunStatus
from tests.fixtures_site import build_issue

REPO = Path(__file__).resolve().parent.parent
COMMITTED = REPO / "schemas"


def test_schema_export_committed_files_are_fresh(tmp_path: Path) -> None:
    written = export_schemas(tmp_path)
    assert [p.name for p in written] == ["issue.schema.json", "document.schema.json", "run-result.schema.json"]
    for path in written:
        committed = COMMITTED / path.name
        assert committed.is_file(), f"{path.name} missing: run `make schema`"
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"{path.name} is stale: run `make schema`"
        )


def test_schema_export_is_deterministic(tmp_path: Path) -> None:
    first = [p.read_bytes() for p in export_schemas(tmp_path / "a")]
    second = [p.read_bytes() for p in export_schemas(tmp_path / "b")]
    assert first == second
    assert not [p for p in (tmp_path / "a").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("name", list(SCHEMA_FILES))
def test_schema_export_files_are_valid_draft_2020_12(name: str) -> None:
    schema = json.loads(model_to_schema_text(SCHEMA_FILES[name]))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False  # extra="forbid" survives the export


def test_schema_export_issue_schema_accepts_fixture_and_rejects_unknown_field() -> None:
    schema = json.loads(model_to_schema_text(Issue))
    data = json.loads(build_issue().model_dump_json())
    jsonschema.validate(data, schema)
    data["documents"][0]["typo_field"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_schema_export_run_result_schema_accepts_a_run() -> None:
    run = RunResult(path="x.pdf", status=RunStatus.PARTIAL_SUCCESS, issue=build_issue(), seconds=1.5)
    jsonschema.validate(json.loads(run.model_dump_json()), json.loads(model_to_schema_text(RunResult)))


def test_schema_export_document_schema_requires_title() -> None:
    schema = json.loads(model_to_schema_text(Document))
    assert "title" in schema["required"] and "source" in schema["required"]
