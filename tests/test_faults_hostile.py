"""Hostile text reaches every output inert: script and attribute breakers, ``{{7*7}}``, formula prefixes, CR/LF and
Unicode line separators in ICS text, ``../`` unit names, control characters (ESC), a 100,000-character cell.

The Issue is built in memory (a loader would clean some of these characters first), then ingested with the real
exporters and the real site renderer; every output must be written and carry the payloads as plain text.
"""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import openpyxl
import pytest

from pipeline.archive.ingest import IngestReport, ingest_dir
from pipeline.options import RunOptions
from pipeline.tables.tasks import documents_to_unit_index
from schemas.model import Issue, RunResult, RunStatus
from tests.faults import chinese  # noqa: F401 - autouse: messages in zh
from tests.test_ingest_fakes import ISSUE_A, build_issue, simple_tokens

LONG = "长" * 100_000
ICS_BREAKER = "结束\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nATTENDEE:mailto:x@invalid\u2028ORGANIZER:x\u2029X-A:1\x85X-B:2"
PAYLOADS = [
    "<script>alert(1)</script>任务",
    '"><img src=x onerror=alert(1)>任务',
    "{{7*7}}任务",
    '=HYPERLINK("http://x.invalid","x")',
    "+1+1",
    "@SUM(A1:A2)",
    ICS_BREAKER,
    "含控制符\x1b[31m\x07\x00任务",
    LONG,
]
UNITS = ["../../etc/passwd", "<b>区水务局</b>", "=区财政局"]


def hostile_parse(path: Path, options: RunOptions) -> RunResult:
    """The fake gazette of ``ISSUE_A`` with a hostile payload in each task's text and hostile unit names."""
    issue = build_issue(path, path.read_text(encoding="utf-8"))
    docs = []
    k = 0
    for doc in issue.documents:
        tasks = []
        for task in doc.tasks:
            for payload in PAYLOADS[k::3] if k < 3 else []:
                tasks.append(
                    task.model_copy(
                        update={
                            "id": f"{doc.id}/task-{len(tasks) + 1}",
                            "seq": len(tasks) + 1,
                            "text": payload,
                            "lead_units": [UNITS[len(tasks) % 3]],
                        }
                    )
                )
            k += 1
        docs.append(doc.model_copy(update={"tasks": tasks, "title": doc.title + "</title><script>x()</script>"}))
    issue = issue.model_copy(update={"documents": docs, "units": documents_to_unit_index(docs)})
    return RunResult(path=str(path), status=RunStatus.SUCCESS, issue=issue)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, IngestReport]:
    base = tmp_path_factory.mktemp("hostile-outputs")
    (base / "in").mkdir()
    (base / "in" / "hostile.txt").write_text(ISSUE_A, encoding="utf-8")
    report = ingest_dir(base / "in", base / "out", parse=hostile_parse, tokenize=simple_tokens)
    return base / "out", report


def test_faults_hostile_every_output_is_written(ingested: tuple[Path, IngestReport]) -> None:
    out, report = ingested
    assert (report.ingested, report.failed, report.exit_status, report.site_error) == (1, 0, 0, None)
    folder = out / "issues" / "hostile"
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    for expected in ("issue.json", "tasks.csv", "tasks.xlsx", "indicators.csv", "indicators.xlsx", "deadlines.ics"):
        assert expected in names
    issue = Issue.model_validate_json((folder / "issue.json").read_bytes())
    assert set(UNITS) <= {u.name for u in issue.units}
    # one calendar per unit whose tasks have a dated deadline (publishing, issue 14)
    dated = [u for u in issue.units if any(r.deadlines for r in [*u.leads, *u.co_operates])]
    assert len([n for n in names if n.startswith("units/") and n.endswith(".ics")]) == len(dated)
    assert all(p.resolve().is_relative_to(out.resolve()) for p in out.rglob("*"))  # no ../ escaped


def test_faults_hostile_xlsx_has_no_formula_and_no_illegal_character(ingested: tuple[Path, IngestReport]) -> None:
    out, _ = ingested
    wb = openpyxl.load_workbook(out / "issues" / "hostile" / "tasks.xlsx")
    cells = [c for row in wb.active.iter_rows() for c in row if c.value is not None]  # type: ignore[union-attr]
    assert cells and all(c.data_type != "f" for c in cells)
    texts = [str(c.value) for c in cells]
    assert '\'=HYPERLINK("http://x.invalid","x")' in texts and "'+1+1" in texts and "'@SUM(A1:A2)" in texts
    assert "含控制符\ufffd[31m\ufffd\ufffd任务" in texts  # ESC, BEL, NUL cleaned, the rest kept
    assert max(len(t) for t in texts) == 32_767  # the 100,000-character cell cut to what a cell holds


def test_faults_hostile_csv_keeps_the_long_cell_and_escapes_formulas(ingested: tuple[Path, IngestReport]) -> None:
    out, _ = ingested
    text = (out / "issues" / "hostile" / "tasks.csv").read_bytes().decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]
    assert LONG in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]


def test_faults_hostile_ics_has_no_injected_property(ingested: tuple[Path, IngestReport]) -> None:
    out, _ = ingested
    total = 0
    for ics in sorted((out / "issues" / "hostile").rglob("*.ics")):
        cal = icalendar.Calendar.from_ical(ics.read_bytes())
        events = list(cal.walk("VEVENT"))
        total += len(events)
        for ev in events:
            allowed = {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "TRANSP", "RRULE", "URL"}
            assert set(ev.keys()) <= allowed  # URL: the link back to the task (publishing, issue 14)
            assert "ATTENDEE" not in ev and "ORGANIZER" not in ev
        raw = ics.read_bytes().decode("utf-8")
        assert not any(ch in raw for ch in "\u2028\u2029\x85\x1b\x07")
        assert raw.count("\r\nBEGIN:VEVENT\r\n") == len(events)  # the payload's BEGIN:VEVENT stayed text
    assert total >= len(PAYLOADS)


class _Executable(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        self.handlers += [k for k, _ in attrs if k.lower().startswith("on")]

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.scripts.append(data)


def test_faults_hostile_site_pages_are_inert(ingested: tuple[Path, IngestReport]) -> None:
    out, _ = ingested
    pages = sorted((out / "site").rglob("*.html"))
    assert len(pages) > 3
    for page in pages:
        html = page.read_text(encoding="utf-8")
        parser = _Executable()
        parser.feed(html)
        assert not [s for s in parser.scripts if "alert" in s or "x()" in s], page
        assert not parser.handlers, page
        assert "49" not in html.split("{{7*7}}")[0][-5:]  # no template evaluation next to the payload
    assert "{{7*7}}" in "".join(p.read_text(encoding="utf-8") for p in pages)
