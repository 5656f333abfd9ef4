"""Hostile text (script/markup/template/formula payloads, a 200 KB line) comes out as inert text everywhere.

The gazette text of the corpus with payloads injected (``tests.badinputs.hostile_text``) is ingested once
through the real CLI; every HTML page of the site, every CSV/XLSX export and the JSON are then checked.
"""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from tests.badinputs import HOSTILE_PAYLOADS, LONG_LINE_CHARS, make_hostile_txt
from tests.test_robust_cli import gazette

pytestmark = pytest.mark.slow

SCRIPT, IMG, TEMPLATE = HOSTILE_PAYLOADS[0], HOSTILE_PAYLOADS[1], HOSTILE_PAYLOADS[2]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    in_dir = base / "in"
    in_dir.mkdir()
    make_hostile_txt(in_dir)
    proc = gazette("ingest", str(in_dir), "--out", str(base / "out"), "--no-progress", cwd=base, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return base / "out"


class _Page(HTMLParser):
    """Collects what a browser would execute (script bodies, event-handler attributes) and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_script = False
        self.scripts: list[str] = []
        self.handlers: list[tuple[str, str, str | None]] = []
        self.images: list[str | None] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        self.handlers += [(tag, k, v) for k, v in attrs if k.lower().startswith("on")]
        if tag == "img":
            self.images += [v for k, v in attrs if k == "src"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self.in_script else self.text).append(data)


def _parse_html(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def test_robust_hostile_html_is_inert(ingested: Path) -> None:
    pages = sorted((ingested / "site").rglob("*.html"))
    assert len(pages) > 5
    for path in pages:
        page = _parse_html(path)
        assert not any("alert(" in s for s in page.scripts), path
        assert not any("alert(" in (v or "") for _, _, v in page.handlers), path
        assert "x" not in page.images, path


def test_robust_hostile_payloads_shown_as_text(ingested: Path) -> None:
    docs = sorted((ingested / "site" / "hostile").glob("doc-*.html"))
    assert docs
    text = "".join(_parse_html(docs[0]).text)
    assert SCRIPT in text and IMG in text and TEMPLATE in text  # printed literally, not executed or evaluated
    long_text = "".join(t for p in docs for t in _parse_html(p).text)
    assert "长" * 1000 + SCRIPT in long_text


def test_robust_hostile_json_keeps_payloads_verbatim(ingested: Path) -> None:
    issue = json.loads((ingested / "issues" / "hostile" / "issue.json").read_text(encoding="utf-8"))
    titles = [d["title"] for d in issue["documents"]]
    assert len(titles) == 2 and all(SCRIPT + IMG + TEMPLATE in t for t in titles)
    longest = max(len(p["text"]) for d in issue["documents"] for p in d.get("body", []))
    assert longest >= LONG_LINE_CHARS


def _csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [cell for row in csv.reader(fh) for cell in row]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("name", ["tasks.csv", "indicators.csv"])
def test_robust_hostile_csv_cells_escaped(ingested: Path, name: str) -> None:
    cells = _csv_cells(ingested / "issues" / "hostile" / name)
    assert len(cells) > 50
    unsafe = [c for c in cells if c.startswith(FORMULA_START) and not _is_number(c)]
    assert unsafe == []


def test_robust_hostile_tasks_csv_has_escaped_payload(ingested: Path) -> None:
    cells = _csv_cells(ingested / "issues" / "hostile" / "tasks.csv")
    escaped = [c for c in cells if c.startswith("'") and c[1:].startswith(FORMULA_START)]
    assert escaped, "a payload starting with a formula character should reach tasks.csv, escaped"
    assert any(SCRIPT in c for c in cells)


@pytest.mark.parametrize("name", ["tasks.xlsx", "indicators.xlsx"])
def test_robust_hostile_xlsx_has_no_formulas(ingested: Path, name: str) -> None:
    wb = openpyxl.load_workbook(ingested / "issues" / "hostile" / name)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert cells
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not any(t.startswith(FORMULA_START) for t in texts)
