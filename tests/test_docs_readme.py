"""The README is the user's manual: every command, error code and finding code is documented there."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.check.validate import RULES
from pipeline.cli import app
from pipeline.errors import DESCRIPTIONS, Code

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_docs_readme_opens_with_the_two_commands() -> None:
    block = README.split("```")[1]
    assert [ln.split("#")[0].strip() for ln in block.strip().splitlines() if ln.strip()] == [
        "sh",
        "make demo",
        "make test",
    ]


@pytest.mark.parametrize("command", sorted(c.name or c.callback.__name__ for c in app.registered_commands))
def test_docs_readme_lists_every_command(command: str) -> None:
    assert f"gazette {command}" in README


@pytest.mark.parametrize("code", [c.value for c in Code])
def test_docs_readme_lists_every_error_code(code: str) -> None:
    assert f"| {code} |" in README
    assert Code(code) in DESCRIPTIONS


@pytest.mark.parametrize("code", sorted(RULES))
def test_docs_readme_lists_every_finding_code(code: str) -> None:
    severity = RULES[code][1].value
    assert f"| {code} | {severity} |" in README
