"""Text input tables round trip: the corpus's tables (golden, read from the issuer's PDF) and the development annual
report's 4 template tables (hand-checked truth) rendered as tab-separated, Markdown, ``<p>``-cell and
space-aligned text, read back by ``pipeline.load.text`` and stitched: kind, header paths, row paths, notes and
every cell equal to the model."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.load.text import text_to_pages
from pipeline.tables.classify import classify_table
from pipeline.tables.headers import row_paths
from pipeline.tables.stitch import fragments_to_table
from schemas.model import Table
from tests import text_tables

ROOT = Path(__file__).resolve().parent
GOLDEN = ROOT / "golden" / "maonan-2022-03.pdf.gt.json"
AR_TRUTH = ROOT / "data" / "huaian-hongze-xxgk-annual-report-2024.tables.json"
LEAD = "一、工作安排如下，具体见下表。"
TAIL = "二、各单位要按照上表要求抓好落实。"


@dataclass
class Model:
    name: str
    header: list[list[str]]
    rows: list[list[str]]
    column_paths: list[list[str]]
    row_paths: list[list[str]]
    kind: str
    notes: list[str]
    groups: tuple[int, ...] = ()


def _corpus_models() -> list[Model]:
    golden = json.loads(GOLDEN.read_text("utf-8"))
    tables = [t for d in golden["documents"] for a in d["attachments"] for t in a["tables"]]
    groups = {"indicators": (1,), "list": (0, 1), "tasks": (0, 1)}
    return [
        Model(
            f"corpus-{k + 1}-{t['kind']}",
            t["header"],
            [[c or "" for c in r] for r in t["rows"]],
            t["column_paths"],
            t["row_paths"],
            t["kind"],
            t["notes"],
            groups.get(t["kind"], ()),
        )
        for k, t in enumerate(tables)
    ]


def _spread(parts: list[str], n: int) -> list[str]:
    """A path (or a short row) over ``n`` columns, its last part repeated (a merged cell's text over its span)."""
    return [*parts, *[parts[-1]] * (n - len(parts))] if parts else [""] * n


def _annual_models() -> list[Model]:
    truth = json.loads(AR_TRUTH.read_text("utf-8"))
    out: list[Model] = []
    for k, t in enumerate(truth["tables"]):
        paths = [p.split("/") if p else [] for p in t["column_paths"]]
        n = len(paths)
        depth = max(len(p) for p in paths)
        header = [[_spread(p, depth)[level] if p else "" for p in paths] for level in range(depth)]
        if t["notes"]:
            header[0][0] = t["notes"][0]
        if "row_paths" in t:
            rps = [p.split("/") for p in t["row_paths"]]
            stub = n - len(t["rows"][0])
            rows = [_spread(p, stub) + r for p, r in zip(rps, t["rows"], strict=True)]
        else:
            rows = [_spread(r, n) for r in t["rows"]]
            rps = row_paths(Table(id="model", rows=rows))  # type: ignore[arg-type]
        groups = (0, 1) if "row_paths" in t else ()
        out.append(
            Model(f"annual-{k + 1}", header, rows, paths, rps if depth else [], "annual-report", t["notes"], groups)
        )
    return out


MODELS = _corpus_models() + _annual_models()
FLAT = ("tsv", "markdown", "spaced")  # forms without paragraph breaks inside a cell
FORMS: dict[str, Callable[[Model], list[str]]] = {
    "tsv": lambda m: text_tables.tsv(m.header, _joined(m.rows)),
    "markdown": lambda m: text_tables.markdown(m.header, _joined(m.rows)),
    "p-cells": lambda m: text_tables.p_cells(m.header, m.rows),
    "spaced": lambda m: text_tables.spaced(m.header, _joined(m.rows), m.groups),
}


def _joined(rows: list[list[str]]) -> list[list[str]]:
    return [[c.replace("\n", "") for c in r] for r in rows]


def read_back(lines: list[str]) -> list[Table]:
    """Text with a table between two paragraphs → the tables the loader finds, stitched and classified."""
    pages = text_to_pages("\n".join([LEAD, *lines, TAIL]) + "\n")
    out: list[Table] = []
    for p in pages:
        for k, raw in enumerate(p.tables):
            t = fragments_to_table([raw], f"t{k}", {})
            t.kind = classify_table(t)
            out.append(t)
    return out


def _flat(rows: list[list[str | None]], form: str) -> list[list[str]]:
    # tab-separated, Markdown and space-aligned rows have no paragraph break inside a cell: compared without them
    return [[(c or "").replace("\n", "") if form in FLAT else (c or "") for c in r] for r in rows]


CASES = [pytest.param(m, f, id=f"{m.name}-{f}") for m in MODELS for f in sorted(FORMS)]


@pytest.mark.parametrize(("model", "form"), CASES)
def test_text_tables_roundtrip_every_cell(model: Model, form: str) -> None:
    (table,) = read_back(FORMS[form](model))
    assert table.kind is not None and table.kind.value == model.kind
    assert table.column_paths == model.column_paths
    assert table.notes == model.notes
    assert _flat(table.rows, form) == _flat(model.rows, form)  # type: ignore[arg-type]
    assert table.row_paths == [[x.replace("\n", "") if form in FLAT else x for x in p] for p in model.row_paths]
