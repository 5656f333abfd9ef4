"""README "How it works": the table naming the stage of every Issue field covers every field of the contract."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from schemas.model import Attachment, Document, Issue, IssueSource, Source

README = Path(__file__).resolve().parent.parent / "README.md"


def _table_names() -> set[str]:
    """Every identifier written in backticks in the first column of the field → stage table."""
    text = README.read_text(encoding="utf-8")
    start = text.index("Which stage writes each field of the `Issue`")
    rows = [ln for ln in text[start:].splitlines()[1:40] if ln.startswith("| ")]
    names: set[str] = set()
    for row in rows:
        first = row.split("|")[1]
        for code in re.findall(r"`([^`]+)`", first):
            names.update(re.findall(r"[a-z_][a-z0-9_]*", code))
    return names


@pytest.mark.parametrize("model", [Issue, IssueSource, Document, Attachment, Source])
def test_readme_chain_names_the_stage_of_every_field(model: type[BaseModel]) -> None:
    missing = sorted(set(model.model_fields) - _table_names())
    assert missing == [], f"{model.__name__} fields without a stage in README 'How it works': {missing}"


def test_readme_chain_table_is_read() -> None:
    names = _table_names()
    assert {"printed_by", "attachments", "confidence", "seals", "schema_version"} <= names
    assert "no_such_field" not in names
