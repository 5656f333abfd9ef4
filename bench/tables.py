"""Table benchmark: this pipeline's table engine vs Camelot (lattice, stream) vs pdfplumber's defaults.

Run: ``python bench/tables.py [--out bench/RESULTS.md]`` (Camelot is a dev dependency; without it only the engine
and pdfplumber are measured and the report says so).

Inputs, each with a known truth:

- synthetic: the sample issue's indicator table (27 rows) and task table (44 rows, 9 A4 pages) re-typeset with
  reportlab (``tests/tables_render.py``) ruled, as Word's three-line table cut by page breaks (A4, B5, header
  repeated or not) and borderless (A4; B5 with the header repeated; A4 with no rule at all on the page, not
  even under the running header); truth = the golden table the pipeline reads from the issuer's own PDF;
- the development annual report (national template, WPS): hand-checked truth in
  ``tests/data/huaian-hongze-xxgk-annual-report-2024.tables.json``.

Metric (cell level): every table of a document is reduced to its printed cells, row by row (a merged cell
counted once, in the row where it starts; empty cells left out; whitespace removed); the rows of all tables
of the document, in reading order, are aligned with the truth rows (monotone alignment maximising the cells
matched, a cell matching when its text is equal, in order within the row). Precision = matched / cells output,
recall = matched / truth cells, F1 their harmonic mean. A table cut by a page break counts once in the truth:
a tool repeating the header or cutting a row in two loses precision or recall there. Time: wall seconds of
the tool's table extraction per page (one process, files read once before timing).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from schemas.model import Table, TablePart  # noqa: E402
from tests.tables_render import Spec, _blocks, _printed, render  # noqa: E402
from tests.test_pdf_grids_page_break import read_tables  # noqa: E402

GOLDEN = ROOT / "tests" / "golden" / "maonan-2022-03.pdf.gt.json"
AR_PDF = ROOT / "tests" / "data" / "huaian-hongze-xxgk-annual-report-2024.pdf"
AR_TRUTH = ROOT / "tests" / "data" / "huaian-hongze-xxgk-annual-report-2024.tables.json"
_WS = re.compile(r"\s+")

Rows = list[list[str]]


@dataclass
class Case:
    name: str
    family: str
    path: Path
    truth: Rows
    pages: int = 0


# --------------------------------------------------------------------------- truth


def _clean(text: str | None) -> str:
    return _WS.sub("", text or "")


def _printed_rows(header: list[str], rows: list[list[str]], groups: tuple[int, ...]) -> Rows:
    """The printed cells of a rendered table: header, then each row's cells (a group cell repeating the one
    above left out, equal neighbours one cell), as ``tests.tables_render`` draws them."""
    out: Rows = [[_clean(t) for t in header if t]]
    for row in _printed(rows, groups):
        out.append([_clean(row[a]) for a, _ in _blocks(row) if row[a]])
    return out


def synthetic_cases(folder: Path) -> list[Case]:
    golden = json.loads(GOLDEN.read_text("utf-8"))
    att1 = golden["documents"][0]["attachments"][0]
    ind = next(t for t in att1["tables"] if t["header"] and "指标" in t["header"][0])
    task = golden["documents"][1]["attachments"][0]["tables"][0]
    sources = [
        ("indicators", ind, (1,), [0.6, 1.2, 3, 1.2, 1.1]),
        ("tasks", task, (0, 1), [1.2, 1.6, 3, 1.6]),
    ]
    layouts = [  # style, page, header repeated, rule under the running header
        ("ruled", "A4", False, True),
        ("ruled", "B5", True, True),
        ("three-line", "A4", False, True),
        ("three-line", "B5", False, True),
        ("three-line", "A4", True, True),
        ("borderless", "A4", False, True),
        ("borderless", "B5", True, True),
        ("borderless", "A4", False, False),
    ]
    cases: list[Case] = []
    for label, table, groups, widths in sources:
        header, rows = table["header"][0], [[c or "" for c in r] for r in table["rows"]]
        for style, page, repeat, rule in layouts:
            name = f"{label}-{style}-{page}{'-repeat' if repeat else ''}{'' if rule else '-no-rule'}"
            spec = Spec(style, page, repeat, widths=widths, groups=groups, running_rule=rule)
            path = render(folder / f"{name}.pdf", header, rows, spec)
            family = f"{style}{' (page-break form)' if style == 'three-line' else ''}"
            cases.append(Case(name, family, path, _printed_rows(header, rows, groups)))
    return cases


def annual_report_case() -> Case:
    truth = json.loads(AR_TRUTH.read_text("utf-8"))
    rows = [[_clean(c) for c in row] for t in truth["tables"] for row in t["grid"]]
    return Case("annual-report (WPS, ruled, 4 tables)", "ruled (real)", AR_PDF, rows)


# --------------------------------------------------------------------------- tools


def engine(path: Path) -> Rows:
    """This pipeline: page finders, then fragments stitched across pages (as the reflow stage does)."""
    out: Rows = []
    for table in read_tables(path):
        out.extend(_table_rows(table))
    return out


def _table_rows(table: Table) -> Rows:
    rows: Rows = [[_clean(table.caption)]] if table.caption else []
    n_head = len(table.header)
    grid: Rows = [[] for _ in range(n_head + len(table.rows))]
    for c in sorted(table.cells, key=lambda c: (c.part == TablePart.BODY, c.row, c.col)):
        r = c.row + (n_head if c.part == TablePart.BODY else 0)
        if 0 <= r < len(grid) and c.text:
            grid[r].append(_clean(c.text))
    return rows + grid


def pdfplumber_default(path: Path) -> Rows:
    out: Rows = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                out.extend([_clean(c) for c in row if c] for row in table)
    return out


def camelot_tool(flavor: str) -> Callable[[Path], Rows]:
    def run(path: Path) -> Rows:
        import camelot

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tables = camelot.read_pdf(str(path), pages="all", flavor=flavor)
        out: Rows = []
        for t in sorted(tables, key=lambda t: (int(t.page), -t._bbox[3])):
            out.extend([_clean(c) for c in row if _clean(c)] for row in t.df.values.tolist())
        return out

    return run


# --------------------------------------------------------------------------- metric


def _lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def matched_cells(truth: Rows, got: Rows) -> int:
    """Cells matched under the best monotone alignment of the rows (rows may be skipped on either side)."""
    truth = [r for r in truth if r]
    got = [r for r in got if r]
    prev = [0] * (len(got) + 1)
    for t in truth:
        cur = [0]
        for j, g in enumerate(got):
            cur.append(max(prev[j] + _lcs(t, g), prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def score(truth: Rows, got: Rows) -> tuple[float, float, float]:
    m = matched_cells(truth, got)
    n_truth = sum(len(r) for r in truth)
    n_got = sum(len(r) for r in got)
    p = m / n_got if n_got else 0.0
    r = m / n_truth if n_truth else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# --------------------------------------------------------------------------- run


def _pages(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def measure(cases: list[Case], tools: dict[str, Callable[[Path], Rows]]) -> list[dict[str, Any]]:
    results = []
    for case in cases:
        case.pages = _pages(case.path)
        for name, tool in tools.items():
            started = time.perf_counter()
            try:
                got = tool(case.path)
                error = None
            except Exception as exc:  # a tool failing on an input is a result, not a crash of the benchmark
                got, error = [], f"{type(exc).__name__}: {exc}"[:80]
            seconds = time.perf_counter() - started
            p, r, f1 = score(case.truth, got)
            results.append(
                {
                    "case": case.name,
                    "family": case.family,
                    "tool": name,
                    "pages": case.pages,
                    "precision": p,
                    "recall": r,
                    "f1": f1,
                    "s_per_page": seconds / max(case.pages, 1),
                    "error": error,
                }
            )
    return results


def report(results: list[dict[str, Any]], tools: list[str], note: str) -> str:
    lines = [
        "## Tables (issue 13)",
        "",
        "Command: `python bench/tables.py` (cell-level F1 against known truth, see the module docstring; time = wall"
        " seconds of table extraction per page, one process).",
        "",
        note,
        "",
        "| case | pages | "
        + " | ".join(f"{t} F1" for t in tools)
        + " | "
        + " | ".join(f"{t} s/page" for t in tools)
        + " |",
        "|---|---:|" + "---:|" * (2 * len(tools)),
    ]
    cases = list(dict.fromkeys(r["case"] for r in results))
    for case in cases:
        rows = {r["tool"]: r for r in results if r["case"] == case}
        pages = next(iter(rows.values()))["pages"]
        f1 = " | ".join(f"{rows[t]['f1']:.3f}" + (" (error)" if rows[t]["error"] else "") for t in tools)
        sp = " | ".join(f"{rows[t]['s_per_page']:.3f}" for t in tools)
        lines.append(f"| {case} | {pages} | {f1} | {sp} |")
    lines += ["", "Mean cell F1 by table family:", ""]
    lines.append("| family | " + " | ".join(tools) + " |")
    lines.append("|---|" + "---:|" * len(tools))
    for family in dict.fromkeys(r["family"] for r in results):
        cells = []
        for t in tools:
            vals = [r["f1"] for r in results if r["family"] == family and r["tool"] == t]
            cells.append(f"{sum(vals) / len(vals):.3f}")
        lines.append(f"| {family} | " + " | ".join(cells) + " |")
    lines.append("")
    total = {t: sum(r["s_per_page"] * r["pages"] for r in results if r["tool"] == t) for t in tools}
    n_pages = sum(r["pages"] for r in results if r["tool"] == tools[0])
    lines.append("Time per page over all cases: " + ", ".join(f"{t} {total[t] / n_pages:.3f} s" for t in tools) + ".")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="append the report to this Markdown file (e.g. bench/RESULTS.md)")
    ap.add_argument("--json", type=Path, help="write the raw results here")
    args = ap.parse_args(argv)
    tools: dict[str, Callable[[Path], Rows]] = {"engine": engine}
    try:
        import camelot  # noqa: F401

        tools["camelot-lattice"] = camelot_tool("lattice")
        tools["camelot-stream"] = camelot_tool("stream")
        note = "Camelot installed from PyPI (`camelot-py`, dev extra)."
    except ImportError:
        note = "Camelot is not installed: compared against pdfplumber only."
    tools["pdfplumber"] = pdfplumber_default
    with tempfile.TemporaryDirectory() as tmp:
        cases = [*synthetic_cases(Path(tmp)), annual_report_case()]
        results = measure(cases, tools)
    text = report(results, list(tools), note)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    if args.out:
        with args.out.open("a", encoding="utf-8") as fh:
            fh.write("\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
