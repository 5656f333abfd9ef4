"""The zoo's accuracy table: per style, fields right / fields, over every source model.

``tests/test_zoo_roundtrip.py`` writes one result file per style into ``tests/.cache/zoo-results/``; the
session summary (``tests/conftest.py``) prints the table, and with ``ZOO_REPORT=1`` writes it to
``bench/ZOO.md``.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "tests" / ".cache" / "zoo-results"
REPORT = ROOT / "bench" / "ZOO.md"


def write_result(
    style: str, per_model: dict[str, tuple[int, int]], misses: list[str], errors: dict[str, list[str]]
) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {"style": style, "models": per_model, "misses": misses, "error_findings": errors}
    (RESULTS / f"{style}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")


def table(since: float = 0.0) -> str:
    """The accuracy table (markdown) of the result files written after ``since`` (a timestamp)."""
    files = sorted(f for f in RESULTS.glob("*.json") if f.stat().st_mtime >= since) if RESULTS.exists() else []
    if not files:
        return ""
    rows = [json.loads(f.read_text("utf-8")) for f in files]
    models = list(rows[0]["models"])
    head = "| style | " + " | ".join(models) + " | all |"
    out = [head, "|" + " --- |" * (len(models) + 2)]
    total_r = total_n = 0
    for r in rows:
        cells = []
        sr = sn = 0
        for m in models:
            right, n = r["models"].get(m, (0, 0))
            sr, sn = sr + right, sn + n
            cells.append(f"{right}/{n}")
        total_r, total_n = total_r + sr, total_n + sn
        out.append(f"| {r['style']} | " + " | ".join(cells) + f" | {sr}/{sn} ({100 * sr / max(sn, 1):.1f} %) |")
    out.append(f"\nAll styles: {total_r}/{total_n} fields right ({100 * total_r / max(total_n, 1):.1f} %).")
    return "\n".join(out)


def write_report(text: str) -> None:
    REPORT.write_text(
        "# Layout zoo: round-trip accuracy\n\n"
        "Every source model (columns) typeset in every house style (rows) by `python -m tests.zoo.build`, read\n"
        "back with `pipeline.run.parse_file` and compared field by field with the model\n"
        "(`tests/test_zoo_roundtrip.py`; cells: fields right / fields). Regenerate with\n"
        "`ZOO_REPORT=1 .venv/bin/python -m pytest -n 2 -q tests/test_zoo_roundtrip.py`.\n\n" + text + "\n",
        "utf-8",
    )
