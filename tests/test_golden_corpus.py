"""Golden files: the whole Issue of each corpus file, compared field by field.

Regenerate after an intended change with ``GEN_GOLDEN=1 make test`` (or ``GEN_GOLDEN=1 pytest
tests/test_golden_corpus.py``) and review the diff of ``tests/golden/*.gt.json`` before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from schemas.model import Issue

GOLDEN = Path(__file__).resolve().parent / "golden"
GEN = os.environ.get("GEN_GOLDEN") == "1"


def _comparable(issue: Issue) -> dict[str, Any]:
    data = issue.model_dump(mode="json")
    data["source"]["path"] = Path(data["source"]["path"]).name  # the checkout folder differs between machines
    return data


def _check(issue: Issue, name: str) -> None:
    path = GOLDEN / name
    data = _comparable(issue)
    if GEN:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    for key in sorted(set(expected) | set(data)):
        assert data.get(key) == expected.get(key), f"{name}: field {key!r} differs from the golden file"


def test_golden_corpus_pdf(corpus_pdf: Issue) -> None:
    _check(corpus_pdf, "maonan-2022-03.pdf.gt.json")


def test_golden_corpus_txt(corpus_txt: Issue) -> None:
    _check(corpus_txt, "maonan-2022-03.txt.gt.json")


def test_golden_regeneration_flag_is_off_in_ci() -> None:
    if os.environ.get("CI") and GEN:
        pytest.fail("GEN_GOLDEN=1 is set in CI: golden files would be rewritten instead of checked")
