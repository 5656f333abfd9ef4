"""The zoo's Word renditions read from the .docx directly, scored against the same model as their PDF (issue 16).

Each Word style's single documents are kept as ``<style>--<model>.docx`` beside the PDF LibreOffice made of
them. Both are read with ``parse_file`` and scored with the round trip's checks; the table printed is
style × model: fields right from the .docx vs from the PDF. A .docx has no printed pages, so it is scored
against landmarks without pages (no page expected: a heading is right with its level, label and title).

Floors are the measured level per rendition (raise them, never lower them), and the fields where the two
readings differ are listed: a difference not in ``KNOWN_DIFFERENCES`` fails (a new one is a loader's misreading
or a fix: look, then record it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.run import parse_file
from tests.test_zoo_roundtrip import zoo  # noqa: F401  (the session fixture that builds the zoo)
from tests.zoo.build import landmarks_from_json
from tests.zoo.compare import Check, issue_checks
from tests.zoo.models import Landmarks
from tests.zoo.render_docx import WORD_STYLES
from tests.zoo.sources import all_models

# fields right / fields (page fields left out), per rendition, read from the .docx (floors only go up)
DOCX_FLOORS: dict[tuple[str, str], float] = {
    ("word-a4-kai-16", "corpus-doc-1"): 0.987,
    ("word-a4-kai-16", "corpus-doc-2"): 1.0,
    ("word-a4-kai-16", "report-anhui"): 0.631,
    ("word-a4-kai-16", "report-jilin"): 0.75,
    ("word-a4-kai-16", "annual-report"): 0.866,
    ("word-a4-kai-16", "criminal-law"): 1.0,
    ("word-b5-ming-12", "corpus-doc-1"): 0.987,
    ("word-b5-ming-12", "corpus-doc-2"): 1.0,
    ("word-b5-ming-12", "report-anhui"): 0.631,
    ("word-b5-ming-12", "report-jilin"): 0.75,
    ("word-b5-ming-12", "annual-report"): 0.866,
    ("word-b5-ming-12", "criminal-law"): 1.0,
}
# (style, model) -> {"where field #n": the side that reads it right}: every check right on one side only
KNOWN_DIFFERENCES: dict[tuple[str, str], dict[str, str]] = {}


def _checks(zoo_dir: Path, style: str, key: str, suffix: str) -> list[Check]:
    model = next(m for m in all_models() if m.key == key)
    stem = zoo_dir / f"{style}--{key}"
    marks = landmarks_from_json(json.loads(stem.with_name(stem.name + ".json").read_text("utf-8")))
    if suffix == ".docx":
        marks = Landmarks(doc_first_page={}, heading_page={})
    result = parse_file(stem.with_name(stem.name + suffix))
    return issue_checks(model, marks, result.issue)


def _named(checks: list[Check]) -> dict[str, bool]:
    """``where field #n`` (the n-th such check) -> right or not."""
    out: dict[str, bool] = {}
    for c in checks:
        name = f"{c.where} {c.field}"
        n = sum(k.rsplit(" #", 1)[0] == name for k in out) + 1
        out[f"{name} #{n}"] = c.ok
    return out


def _differences(from_docx: list[Check], from_pdf: list[Check]) -> dict[str, str]:
    """``where field #n`` -> the side that read it right, for the checks right on one side only (a check on
    one side only, such as a heading the model does not have, is right on the side without it)."""
    d, p = _named(from_docx), _named(from_pdf)
    out = {}
    for name in sorted(d.keys() | p.keys()):
        d_ok, p_ok = d.get(name, True), p.get(name, True)
        if d_ok != p_ok:
            out[name] = "docx" if d_ok else "pdf"
    return out


RENDITIONS = [(s.name, m.key) for s in WORD_STYLES for m in all_models() if m.gazette is None]


@pytest.mark.slow
@pytest.mark.issue(16)
@pytest.mark.parametrize(("style", "key"), RENDITIONS)
def test_zoo_docx_vs_pdf(zoo: Path, style: str, key: str) -> None:  # noqa: F811
    if not (zoo / f"{style}--{key}.docx").exists():
        pytest.skip("LibreOffice is not installed (make zoo-deps): no Word renditions")
    from_docx = _checks(zoo, style, key, ".docx")
    from_pdf = _checks(zoo, style, key, ".pdf")
    docx_right, total = sum(c.ok for c in from_docx), len(from_docx)
    print(f"\n{style:18} {key:22} docx {docx_right}/{total}  pdf {sum(c.ok for c in from_pdf)}/{len(from_pdf)}")
    differ = _differences(from_docx, from_pdf)
    for k, side in sorted(differ.items()):
        print(f"  right only from the {side}: {k}")
    misses = [f"{c.where} {c.field}: expected {c.expected!r}, read {c.actual!r}" for c in from_docx if not c.ok]
    print("".join(f"  docx miss: {m[:160]}\n" for m in misses), end="")
    assert total and docx_right / total >= DOCX_FLOORS[(style, key)], f"{style} {key}: {docx_right}/{total} from .docx"
    assert differ == KNOWN_DIFFERENCES.get((style, key), {}), f"{style} {key}: .docx vs PDF: {differ}"
