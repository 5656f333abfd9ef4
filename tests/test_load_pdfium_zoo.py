"""Every rendition of the layout zoo gives the same Issue with the PDFium backend (the default) as with the
pdfplumber backend (the reference), up to the differences listed, each with its reason, in
``BACKEND_DIFFERENCES`` (the test demands an exact match: a fixed difference must be removed from the list)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.options import RunOptions
from pipeline.run import parse_file
from schemas.model import RunResult
from tests import test_zoo_roundtrip
from tests.zoo.render_docx import WORD_STYLES
from tests.zoo.styles import STYLES

zoo = test_zoo_roundtrip.zoo  # the zoo fixture of the round-trip test (built once, shared cache)

# (style, model) → why the two backends' Issues differ there
BACKEND_DIFFERENCES: dict[tuple[str, str], str] = {}


def _dump(result: RunResult) -> dict[str, Any]:
    if result.issue is None:
        return {"errors": [e.code for e in result.errors]}
    return result.issue.model_dump(mode="json")


def _first_difference(got: Any, want: Any, path: str = "") -> str | None:
    """The path of the first field where two dumped Issues differ (None when equal)."""
    if type(got) is not type(want):
        return path or "."
    if isinstance(got, dict):
        for key in sorted(set(got) | set(want)):
            where = _first_difference(got.get(key), want.get(key), f"{path}.{key}")
            if where is not None:
                return where
        return None
    if isinstance(got, list):
        for k, (g, w) in enumerate(zip(got, want, strict=False)):
            where = _first_difference(g, w, f"{path}[{k}]")
            if where is not None:
                return where
        return None if len(got) == len(want) else f"{path} (length)"
    return None if got == want else path


@pytest.mark.slow
@pytest.mark.issue(17)
@pytest.mark.parametrize("style", [s.name for s in STYLES] + sorted(s.name for s in WORD_STYLES))
def test_load_pdfium_zoo_issue_equals_reference(zoo: Path, style: str) -> None:
    renditions = sorted(zoo.glob(f"{style}--*.pdf"))
    if not renditions:
        pytest.skip("LibreOffice is not installed (make zoo-deps): no Word renditions")
    differ: dict[str, str] = {}
    for pdf in renditions:
        model = pdf.stem.split("--", 1)[1]
        fast = _dump(parse_file(pdf, RunOptions(backend="pdfium")))
        ref = _dump(parse_file(pdf, RunOptions(backend="pdfplumber")))
        where = _first_difference(fast, ref)
        if where is not None:
            differ[model] = where
    listed = {model for (s, model) in BACKEND_DIFFERENCES if s == style}
    assert set(differ) == listed, f"{style}: the backends' Issues differ at {differ} (listed: {sorted(listed)})"
