"""Table benchmark: this pipeline's table engine vs Camelot (lattice, stream) vs pdfplumber's defaults.

Run: ``python bench/tables.py [--out bench/RESULTS.md]`` (Camelot is a dev dependency; without it only the engine
and pdfplumber are measured and the report says so).

Inputs, each with a known truth:

- synthetic: the sample issue's indicator table (27 rows) and task table (44 rows, 9 A4 pages) re-typeset with
  reportlab (``tests/tables_render.py``) ruled, as Word's three-line table cut by page breaks (A4, B5, header
  repeated or not) and borderless (A4; B5 with the header repeated; A4 with no rule at all on the page, not
  even under the running header); truth = the golden table the pipeline reads from the issuer's own PDF;
- layout: the indicator table on a landscape page and on a portrait page with ``/Rotate 90``, the task table on a
  portrait page whose content matrix turns it (``turned270``; and ``turned90`` as a book prints it, the running
  header and folio upright on the paper, across the table's lines), and two captioned annex tables with the same
  columns on consecutive pages (附表1 breaking across pages 1–2, 附表2 at the top of page 3; truth: two tables);
- the development annual report (national template, WPS): hand-checked truth in
  ``tests/data/huaian-hongze-xxgk-annual-report-2024.tables.json``.

Metric 1 (cell level): every table of a document is reduced to its printed cells, row by row (a merged cell
counted once, in the row where it starts; empty cells left out; whitespace removed); the rows of all tables
of the document, in reading order, are aligned with the truth rows (monotone alignment maximising the cells
matched, a cell matching when its text is equal, in order within the row). Precision = matched / cells output,
recall = matched / truth cells, F1 their harmonic mean. A table cut by a page break counts once in the truth:
a tool repeating the header or cutting a row in two loses precision or recall there. Time: wall seconds of
the tool's table extraction per page (one process, files read once before timing).

Metric 2 (TEDS, tree-edit-distance-based similarity, Zhong et al. 2020, the PubTabNet metric): each document's
tables as an HTML-like tree, ``document`` → ``table`` → ``tr`` → ``td`` (the same printed cells as metric 1:
a merged cell once, empty cells left out); TEDS = 1 − TED(truth, output) / max(|truth|, |output|), where TED is
the tree edit distance (Zhang–Shasha; inserting or deleting a node costs 1, renaming a node into one of another
tag costs 1, a ``td`` into a ``td`` the normalised Levenshtein distance of their texts). Unlike metric 1 it
charges structure: a table cut into one table per page, a row cut in two, a row glued to the next, cells of two
rows read as one. Spans are not compared (the hand-checked truth and Camelot's and pdfplumber's output carry
none), nor are header and body told apart (``thead``/``tbody``: only this engine finds headers).
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
from tests.test_stitch_captions import PROJECTS, render_annexes  # noqa: E402
from tests.test_stitch_captions import ROWS as ANNEX_ROWS  # noqa: E402
from tests.test_upright_pages import render_indicators, render_tasks  # noqa: E402

GOLDEN = ROOT / "tests" / "golden" / "maonan-2022-03.pdf.gt.json"
AR_PDF = ROOT / "tests" / "data" / "huaian-hongze-xxgk-annual-report-2024.pdf"
AR_TRUTH = ROOT / "tests" / "data" / "huaian-hongze-xxgk-annual-report-2024.tables.json"
_WS = re.compile(r"\s+")

Rows = list[list[str]]
Tables = list[Rows]  # a document's tables, each its rows of printed cells


@dataclass
class Case:
    name: str
    family: str
    path: Path
    truth: Tables
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
            cases.append(Case(name, family, path, [_printed_rows(header, rows, groups)]))
    return cases


def layout_cases(folder: Path) -> list[Case]:
    """The indicator and task tables on landscape, rotated and turned pages (``tests/test_upright_pages.py``), and
    two captioned annex tables with the same columns on consecutive pages (``tests/test_stitch_captions.py``)."""
    golden = json.loads(GOLDEN.read_text("utf-8"))
    ind = next(
        t for t in golden["documents"][0]["attachments"][0]["tables"] if t["header"] and "指标" in t["header"][0]
    )
    task = golden["documents"][1]["attachments"][0]["tables"][0]
    ind_truth = _printed_rows(ind["header"][0], [[c or "" for c in r] for r in ind["rows"]], (1,))
    task_truth = _printed_rows(task["header"][0], [[c or "" for c in r] for r in task["rows"]], (0, 1))
    family = "landscape / rotated"
    cases = [
        Case(
            "indicators-ruled-landscape", family, render_indicators(folder / "a.pdf", "ruled", "landscape"), [ind_truth]
        ),
        Case(
            "indicators-three-line-rotate90",
            family,
            render_indicators(folder / "b.pdf", "three-line", "rotate90"),
            [ind_truth],
        ),
        Case("tasks-ruled-turned270", family, render_tasks(folder / "c.pdf", "ruled", "turned270"), [task_truth]),
        Case(
            "tasks-three-line-turned90-book",
            family,
            render_tasks(folder / "d.pdf", "three-line", "turned90", book=True),
            [task_truth],
        ),
    ]
    annexes = [ind_truth, _printed_rows(PROJECTS, ANNEX_ROWS, ())]
    for style in ("ruled", "three-line"):
        path = render_annexes(folder / f"annexes-{style}.pdf", style, False, "附表2 重点项目表")
        cases.append(Case(f"annexes-{style} (附表1, 附表2)", "two captioned tables", path, annexes))
    return cases


def annual_report_case() -> Case:
    truth = json.loads(AR_TRUTH.read_text("utf-8"))
    tables = [[[_clean(c) for c in row] for row in t["grid"]] for t in truth["tables"]]
    return Case("annual-report (WPS, ruled, 4 tables)", "ruled (real)", AR_PDF, tables)


# --------------------------------------------------------------------------- tools


def engine(path: Path) -> Tables:
    """This pipeline: loaded, page finders, fragments grouped by the reflow stage and stitched (``read_tables``)."""
    return [_table_rows(table) for table in read_tables(path)]


def _table_rows(table: Table) -> Rows:
    rows: Rows = [[_clean(table.caption)]] if table.caption else []
    n_head = len(table.header)
    grid: Rows = [[] for _ in range(n_head + len(table.rows))]
    for c in sorted(table.cells, key=lambda c: (c.part == TablePart.BODY, c.row, c.col)):
        r = c.row + (n_head if c.part == TablePart.BODY else 0)
        if 0 <= r < len(grid) and c.text:
            grid[r].append(_clean(c.text))
    return rows + grid


def pdfplumber_default(path: Path) -> Tables:
    out: Tables = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                out.append([[_clean(c) for c in row if c] for row in table])
    return out


def camelot_tool(flavor: str) -> Callable[[Path], Tables]:
    def run(path: Path) -> Tables:
        import camelot

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tables = camelot.read_pdf(str(path), pages="all", flavor=flavor)
        ordered = sorted(tables, key=lambda t: (int(t.page), -t._bbox[3]))
        return [[[_clean(c) for c in row if _clean(c)] for row in t.df.values.tolist()] for t in ordered]

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


# --------------------------------------------------------------------------- TEDS


@dataclass
class Tree:
    """A tree in postorder: each node's label (``tag`` or ``td`` with its text), the postorder index of its
    leftmost leaf, and the keyroots (Zhang–Shasha: the root and every node with a left sibling)."""

    labels: list[tuple[str, str]]
    leftmost: list[int]
    keyroots: list[int]


def tables_to_tree(tables: Tables) -> Tree:
    """``document`` → ``table`` → ``tr`` → ``td`` (empty rows left out), in postorder."""
    labels: list[tuple[str, str]] = []
    leftmost: list[int] = []
    keyroots: list[int] = []

    def node(tag: str, text: str, first_leaf: int | None, left_sibling: bool) -> int:
        k = len(labels)
        labels.append((tag, text))
        leftmost.append(k if first_leaf is None else first_leaf)
        if left_sibling:
            keyroots.append(k)
        return leftmost[k]

    table_leaves: list[int] = []
    for t, table in enumerate(tables):
        row_leaves: list[int] = []
        for r, row in enumerate(x for x in table if x):
            cells = [node("td", text, None, c > 0) for c, text in enumerate(row)]
            row_leaves.append(node("tr", "", cells[0], r > 0))
        table_leaves.append(node("table", "", row_leaves[0] if row_leaves else None, t > 0))
    node("document", "", table_leaves[0] if table_leaves else None, True)
    return Tree(labels, leftmost, keyroots)


def levenshtein(a: str, b: str) -> int:
    """Edit distance of two strings (insert, delete, substitute: 1 each), bit-parallel (Myers 1999, Hyyrö 2001):
    one pass over ``b`` with the columns of ``a`` as the bits of an integer."""
    if a == b:
        return 0
    if not a or not b:
        return len(a) or len(b)
    peq: dict[str, int] = {}
    for i, ch in enumerate(a):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    mask, high = (1 << len(a)) - 1, 1 << (len(a) - 1)
    pv, mv, dist = mask, 0, len(a)
    for ch in b:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | ~(xh | pv)
        mh = pv & xh
        dist += 1 if ph & high else -1 if mh & high else 0
        ph = (ph << 1) | 1
        pv = ((mh << 1) | ~(xv | ph)) & mask
        mv = ph & xv & mask
    return dist


def _rename(x: tuple[str, str], y: tuple[str, str]) -> float:
    if x[0] != y[0]:
        return 1.0
    if x[0] != "td" or x[1] == y[1]:
        return 0.0
    return levenshtein(x[1], y[1]) / max(len(x[1]), len(y[1]))


def tree_edit_distance(a: Tree, b: Tree) -> float:
    """Zhang–Shasha tree edit distance (unit insert and delete, ``_rename`` for a node turned into another)."""
    la, lb = a.leftmost, b.leftmost
    td = [[0.0] * len(lb) for _ in range(len(la))]
    renamed: dict[tuple[int, int], float] = {}
    for i in a.keyroots:
        for j in b.keyroots:
            _forest(a, b, i, j, td, renamed)
    return td[-1][-1]


def _forest(a: Tree, b: Tree, i: int, j: int, td: list[list[float]], renamed: dict[tuple[int, int], float]) -> None:
    """Zhang–Shasha's forest distances for the keyroots ``i`` of ``a`` and ``j`` of ``b`` (fills ``td``)."""
    la, lb = a.leftmost, b.leftmost
    li, lj = la[i], lb[j]
    m, n = i - li + 2, j - lj + 2
    fd = [[0.0] * n for _ in range(m)]
    for y in range(1, n):
        fd[0][y] = float(y)
    for x in range(1, m):
        ii = li + x - 1
        fd[x][0] = float(x)
        prev, cur = fd[x - 1], fd[x]
        whole_a = la[ii] == li
        for y in range(1, n):
            jj = lj + y - 1
            best = min(prev[y], cur[y - 1]) + 1.0
            if whole_a and lb[jj] == lj:
                key = (ii, jj)
                cost = renamed.get(key)
                if cost is None:
                    cost = renamed[key] = _rename(a.labels[ii], b.labels[jj])
                cur[y] = td[ii][jj] = min(best, prev[y - 1] + cost)
            else:
                cur[y] = min(best, fd[la[ii] - li][lb[jj] - lj] + td[ii][jj])


def teds(truth: Tables, got: Tables) -> float:
    """TEDS of a document's tables (see the module docstring): 1.0 for identical trees, 0.0 at worst."""
    a, b = tables_to_tree(truth), tables_to_tree(got)
    return max(0.0, 1.0 - tree_edit_distance(a, b) / max(len(a.labels), len(b.labels)))


# --------------------------------------------------------------------------- run


def _pages(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def measure(cases: list[Case], tools: dict[str, Callable[[Path], Tables]]) -> list[dict[str, Any]]:
    results = []
    for case in cases:
        case.pages = _pages(case.path)
        truth_rows = [row for table in case.truth for row in table]
        for name, tool in tools.items():
            started = time.perf_counter()
            try:
                got = tool(case.path)
                error = None
            except Exception as exc:  # a tool failing on an input is a result, not a crash of the benchmark
                got, error = [], f"{type(exc).__name__}: {exc}"[:80]
            seconds = time.perf_counter() - started
            p, r, f1 = score(truth_rows, [row for table in got for row in table])
            results.append(
                {
                    "case": case.name,
                    "family": case.family,
                    "tool": name,
                    "pages": case.pages,
                    "precision": p,
                    "recall": r,
                    "f1": f1,
                    "teds": teds(case.truth, got),
                    "tables": len(got),
                    "s_per_page": seconds / max(case.pages, 1),
                    "error": error,
                }
            )
    return results


def _case_table(results: list[dict[str, Any]], tools: list[str]) -> list[str]:
    lines = [
        "| case | pages | "
        + " | ".join(f"{t} F1 / TEDS" for t in tools)
        + " | "
        + " | ".join(f"{t} s/page" for t in tools)
        + " |",
        "|---|---:|" + "---:|" * (2 * len(tools)),
    ]
    for case in dict.fromkeys(r["case"] for r in results):
        rows = {r["tool"]: r for r in results if r["case"] == case}
        pages = next(iter(rows.values()))["pages"]
        scores = " | ".join(
            f"{rows[t]['f1']:.3f} / {rows[t]['teds']:.3f}" + (" (error)" if rows[t]["error"] else "") for t in tools
        )
        sp = " | ".join(f"{rows[t]['s_per_page']:.3f}" for t in tools)
        lines.append(f"| {case} | {pages} | {scores} | {sp} |")
    return lines


def _family_table(results: list[dict[str, Any]], tools: list[str], key: str) -> list[str]:
    lines = ["| family | " + " | ".join(tools) + " |", "|---|" + "---:|" * len(tools)]
    for family in dict.fromkeys(r["family"] for r in results):
        cells = []
        for t in tools:
            vals = [r[key] for r in results if r["family"] == family and r["tool"] == t]
            cells.append(f"{sum(vals) / len(vals):.3f}")
        lines.append(f"| {family} | " + " | ".join(cells) + " |")
    return lines


def report(results: list[dict[str, Any]], tools: list[str], note: str) -> str:
    lines = [
        "## Tables (issue 13)",
        "",
        "Command: `python bench/tables.py` (cell-level F1 and TEDS against known truth, see the module docstring;"
        " time = wall seconds of table extraction per page, one process).",
        "",
        note,
        "",
        *_case_table(results, tools),
        "",
        "Mean cell F1 by table family:",
        "",
        *_family_table(results, tools, "f1"),
        "",
        "Mean TEDS by table family:",
        "",
        *_family_table(results, tools, "teds"),
        "",
    ]
    total = {t: sum(r["s_per_page"] * r["pages"] for r in results if r["tool"] == t) for t in tools}
    n_pages = sum(r["pages"] for r in results if r["tool"] == tools[0])
    lines.append("Time per page over all cases: " + ", ".join(f"{t} {total[t] / n_pages:.3f} s" for t in tools) + ".")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="append the report to this Markdown file (e.g. bench/RESULTS.md)")
    ap.add_argument("--json", type=Path, help="write the raw results here")
    args = ap.parse_args(argv)
    tools: dict[str, Callable[[Path], Tables]] = {"engine": engine}
    try:
        import camelot  # noqa: F401

        tools["camelot-lattice"] = camelot_tool("lattice")
        tools["camelot-stream"] = camelot_tool("stream")
        note = "Camelot installed from PyPI (`camelot-py`, dev extra)."
    except ImportError:
        note = "Camelot is not installed: compared against pdfplumber only."
    tools["pdfplumber"] = pdfplumber_default
    with tempfile.TemporaryDirectory() as tmp:
        cases = [*synthetic_cases(Path(tmp)), *layout_cases(Path(tmp)), annual_report_case()]
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
