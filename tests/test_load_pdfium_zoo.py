"""Every rendition of the layout zoo gives the same Issue with the PDFium backend (the default) as with the
pdfplumber backend (the reference), up to the differences listed, each with its reason, in
``BACKEND_DIFFERENCES`` (the test demands an exact match: a fixed difference must be removed from the list).

One difference is allowed everywhere: a box coordinate may differ by 0.01 pt where the PDF writes more digits
than PDFium's float32 keeps and the value sits on a rounding tie of the output's two decimals (the zoo's
tables write ``102.835005``: pdfminer rounds it to 102.84, PDFium holds 102.835 and rounds to 102.83).
"""

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

_DOT = (
    "pdfminer drops the middle dot · (U+00B7) printed in the non-embedded STSong-Light font (its UniGB-UCS2-H "
    "CMap has no code for it: 5·12 reads 512); PDFium reads it, so lines and paragraphs with it differ"
)
# (style, model) → why the two backends' Issues differ there
BACKEND_DIFFERENCES: dict[tuple[str, str], str] = {
    (style, "corpus-doc-1"): _DOT
    for style in (
        "a4-song-10.5-dense",
        "b5-reprint-kai-headings",
        "gazette-b5-song",
        "gbt9704-a4",
        "two-column-a4-song-10.5",
        "two-column-b5",
    )
}
TIE = 0.0101  # pt: a box coordinate on a rounding tie (see the module docstring)


def _dump(result: RunResult) -> dict[str, Any]:
    if result.issue is None:
        return {"errors": [e.code for e in result.errors]}
    return result.issue.model_dump(mode="json")


def _first_difference(got: Any, want: Any, path: str = "") -> str | None:
    """The path of the first field where two dumped Issues differ (None when equal); box coordinates may
    differ by a rounding tie."""
    if path.endswith("bbox") and isinstance(got, list) and isinstance(want, list) and len(got) == len(want):
        return None if all(abs(g - w) <= TIE for g, w in zip(got, want, strict=True)) else path
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


def test_load_pdfium_zoo_comparison_allows_only_ties() -> None:
    box = {"source": {"bbox": [102.83, 1.0, 2.0, 3.0], "text": "5·12"}}
    assert _first_difference(box, {"source": {"bbox": [102.84, 1.0, 2.0, 3.0], "text": "5·12"}}) is None
    assert _first_difference(box, {"source": {"bbox": [102.85, 1.0, 2.0, 3.0], "text": "5·12"}}) == ".source.bbox"
    assert _first_difference(box, {"source": {"bbox": [102.83, 1.0, 2.0, 3.0], "text": "512"}}) == ".source.text"
    assert _first_difference({"x": [1]}, {"x": [1, 2]}) == ".x (length)"


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
