"""Render a table (header rows and body rows as a resolved grid: a merged cell's text repeated over its span) in the
text forms a text input may hold: tab-separated, Markdown pipe rows, ``<p>`` paragraphs in tab-separated cells
(HTML copied from a web page) and space-aligned (a monospaced dump: wide characters two columns, long cells
wrapped inside their column, a merged cell printed once: header cells over the columns they head, group cells
in the first row of their group, a row label over several stub columns).

Used by ``tests/test_text_tables_roundtrip.py``; the truth of each rendering is the grid given.
"""

from __future__ import annotations

import re
import unicodedata

GUTTER = "   "
_FIGURE = re.compile(r"^[<>≤≥=+\-−~～]?\s*\d[\d,.\s]*(?:%|‰)?$|^[-—–/／]{1,3}$")


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def tsv(header: list[list[str]], rows: list[list[str]]) -> list[str]:
    return ["\t".join(r) for r in header + rows]


def markdown(header: list[list[str]], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(r) + " |" for r in header + rows]
    rule = "|" + "|".join(":---" if k == 0 else "---" for k in range(len((header + rows)[0]))) + "|"
    return [lines[0], rule, *lines[1:]]


def p_cells(header: list[list[str]], rows: list[list[str]]) -> list[str]:
    def cell(text: str) -> str:
        return " ".join(f"<p>{p}</p>" for p in text.split("\n")) if text else ""

    return ["\t".join(cell(c) for c in r) for r in header + rows]


def _wrap(text: str, cols: int) -> list[str]:
    out: list[str] = []
    for para in text.split("\n"):
        cur = ""
        for ch in para:
            if cur and width(cur + ch) > cols:
                out.append(cur)
                cur = ""
            cur += ch
        out.append(cur)
    return [x for x in out if x] or [""]


def _spans(row: list[str], above: list[str] | None, merge_figures: bool) -> list[tuple[int, int, str]]:
    """The printed cells of a grid row: equal neighbours one cell (figures only when ``merge_figures``), a cell
    repeating the same cell of the row above (same text, same columns) left blank."""
    out: list[tuple[int, int, str]] = []
    c = 0
    while c < len(row):
        end = c + 1
        while end < len(row) and row[end] == row[c] and row[c] and (merge_figures or not _FIGURE.match(row[c])):
            end += 1
        out.append((c, end, row[c]))
        c = end
    if above is None:
        return out
    prev = _spans(above, None, merge_figures)
    return [(a, b, "" if (a, b, t) in prev and t else t) for a, b, t in out]


def spaced(
    header: list[list[str]],
    rows: list[list[str]],
    groups: tuple[int, ...] = (),
    wrap: int = 30,
    like: list[list[str]] | None = None,
) -> list[str]:
    """The table as a monospaced dump (module docstring). ``groups``: body columns whose repeats are printed once;
    ``like``: rows whose column widths are used too (the other pages of a table cut by page breaks)."""
    n = len((header + rows)[0])
    printed: list[list[tuple[int, int, str]]] = []
    for r, row in enumerate(header):
        printed.append(_spans(row, header[r - 1] if r else None, merge_figures=False))
    for r, row in enumerate(rows):
        cells = _spans(row, None, merge_figures=False)
        if r:
            cells = [
                (a, b, "" if b == a + 1 and a in groups and rows[r - 1][a] == t and _same_left(rows, r, a) else t)
                for a, b, t in cells
            ]
        printed.append(cells)
    widths = [1] * n
    for cells in [*printed, *([_spans(r, None, merge_figures=False) for r in like] if like else [])]:
        for a, b, t in cells:
            if b == a + 1:
                widths[a] = max(widths[a], min(wrap, max((width(x) for x in t.split("\n")), default=1)))
    starts = [sum(widths[:k]) + len(GUTTER) * k for k in range(n + 1)]
    out: list[str] = []
    for cells in printed:
        blocks = [(starts[a], _wrap(t, starts[b] - starts[a] - len(GUTTER))) for a, b, t in cells if t]
        for k in range(max((len(ls) for _, ls in blocks), default=0)):
            line = ""
            for x, ls in blocks:
                if k < len(ls):
                    line += " " * (x - width(line)) + ls[k]
            out.append(line)
    return out


def _same_left(rows: list[list[str]], r: int, col: int) -> bool:
    """Whether the group cells left of ``col`` are the same as in the row above (a group within its group)."""
    return all(rows[r][k] == rows[r - 1][k] for k in range(col))
