"""The sample issue's text extraction with every table typed with spaces instead of tabs (a monospaced dump: the
pages of one table share their column widths) reads the statistics and indicator tables as the tab-separated
text does: kind, column paths and every cell, and the 27 indicators."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.load.text import _is_contents_run
from pipeline.run import parse_file
from schemas.model import Issue, Table
from tests import text_tables

ROOT = Path(__file__).resolve().parent.parent
CORPUS_TXT = ROOT / "corpus" / "maonan-2022-03.txt"
GOLDEN_TXT = ROOT / "tests" / "golden" / "maonan-2022-03.txt.gt.json"


def _pieces(lines: list[str]) -> list[tuple[str, list[str] | list[list[str]]]]:
    """The text as ('lines', lines) and ('table', tab rows) pieces (contents lists with tabs stay lines)."""
    out: list[tuple[str, list[str] | list[list[str]]]] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and "\t" in lines[j] and "\f" not in lines[j]:
            j += 1
        if j == i:
            out.append(("lines", [lines[i]]))
            i += 1
            continue
        rows = [[c.replace("<p>", "").replace("</p>", "") for c in ln.split("\t")] for ln in lines[i:j]]
        out.append(("lines", lines[i:j]) if _is_contents_run(rows) else ("table", rows))
        i = j
    return out


def spaced_corpus(lines: list[str]) -> str:
    pieces = _pieces(lines)
    tables = [rows for kind, rows in pieces if kind == "table"]
    out: list[str] = []
    for kind, payload in pieces:
        if kind == "lines":
            out += payload  # type: ignore[arg-type]
            continue
        rows = payload  # type: ignore[assignment]
        n = max(len(r) for r in rows)
        like = [r + [""] * (n - len(r)) for t in tables if max(len(r) for r in t) == n for r in t]
        out += text_tables.spaced([], [r + [""] * (n - len(r)) for r in rows], like=like)  # type: ignore[arg-type]
    return "\n".join(out)


@pytest.fixture(scope="module")
def issue(tmp_path_factory: pytest.TempPathFactory) -> Issue:
    path = tmp_path_factory.mktemp("spaced") / "maonan-spaced.txt"
    path.write_text(spaced_corpus(CORPUS_TXT.read_text("utf-8").split("\n")), "utf-8")
    result = parse_file(path)
    assert result.issue is not None
    return result.issue


def _flat(rows: list[list[str | None]]) -> list[list[str]]:
    return [[(c or "").replace("\n", "") for c in r] for r in rows]


def test_spaced_corpus_statistics_and_indicator_tables_as_tab_text(issue: Issue) -> None:
    golden = json.loads(GOLDEN_TXT.read_text("utf-8"))
    expected = golden["documents"][0]["attachments"][0]["tables"][:4]
    found: list[Table] = issue.documents[0].attachments[0].tables[:4]
    assert [t.kind.value if t.kind else None for t in found] == ["statistics"] * 3 + ["indicators"]
    for want, got in zip(expected, found, strict=True):
        assert got.column_paths == want["column_paths"]
        assert _flat(got.rows) == _flat(want["rows"])
    assert len(issue.documents[0].attachments[0].indicators) == 27
