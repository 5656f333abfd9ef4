"""The code registry: one entry per E/P/V code, README tables rendered from it, messages in zh by default."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import errors
from pipeline.check.validate import RULES, issue_to_findings
from pipeline.errors import FINDINGS, Code, describe, readme_table, render_readme, rule
from schemas.model import Severity
from tests.fixtures_issue import stat_table
from tests.test_validate_rules import _att, _issue

README = Path(__file__).resolve().parent.parent / "README.md"


def test_errors_registry_readme_agrees() -> None:
    text = README.read_text(encoding="utf-8")
    assert render_readme(text) == text
    assert errors.main(["--check", str(README)]) == 0


def test_errors_registry_readme_render_replaces_stale_rows(tmp_path: Path) -> None:
    stale = README.read_text(encoding="utf-8").replace("| V101 | error |", "| V101 | info |")
    path = tmp_path / "README.md"
    path.write_text(stale, encoding="utf-8")
    assert errors.main(["--check", str(path)]) == 1
    assert errors.main(["--readme", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == README.read_text(encoding="utf-8")


def test_errors_registry_every_code_has_both_languages_and_a_unique_name() -> None:
    entries = [rule(c) for c in Code] + list(FINDINGS.values())
    assert all(r.zh and r.en and r.name for r in entries)
    assert len({r.name for r in entries}) == len(entries)
    assert rule(Code.E005).severity is Severity.ERROR and rule("P301").severity is Severity.WARNING
    assert RULES["V104"] == ("average-definition", Severity.INFO, FINDINGS["V104"].en)
    assert readme_table("V").count("\n| V") == len(FINDINGS)


def test_errors_registry_text_follows_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GAZETTE_LANG", raising=False)
    assert describe(Code.E002) == "文件为空"
    monkeypatch.setenv("GAZETTE_LANG", "en")
    assert describe("E002") == "file is empty"


def test_errors_registry_finding_message_zh_default_en_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    att = _att(["详见表2。2019年全区检查批发企业5家（次）。"], [stat_table(2)])
    monkeypatch.delenv("GAZETTE_LANG", raising=False)
    (zh,) = issue_to_findings(_issue(att))
    assert (
        zh.message
        == "[V102] 正文数值与一个仅大致对应的单元格不一致（计数单位不同，如 家（次） 与 家）（应为 4，实为 5）"
    )
    assert zh.rule == "value-mismatch-weak"
    monkeypatch.setenv("GAZETTE_LANG", "en")
    (en,) = issue_to_findings(_issue(att))
    assert en.message.startswith("[V102] ") and "应为" not in en.message
    assert (en.code, en.expected, en.actual) == (zh.code, zh.expected, zh.actual)
