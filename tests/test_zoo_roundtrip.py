"""Round trip through the layout zoo: every source model typeset in every house style, read back with
``parse_file`` and compared with the model field by field (documents, their elements, attachments nested,
outline with pages, tables, tasks, the issue's cover and 目录).

Each style's accuracy must stay at or above its floor (the level measured when the floor was set: raise it
as structure improves, never lower it to pass), and no rendition may get an error-severity finding: the
models carry no planted inconsistency, so any error finding is the tool's misreading.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from pipeline.run import parse_file
from schemas.model import Severity
from tests.zoo.build import CACHE, build, landmarks_from_json, zoo_dir
from tests.zoo.compare import issue_checks
from tests.zoo.render_docx import WORD_STYLES
from tests.zoo.report import write_result
from tests.zoo.sources import all_models
from tests.zoo.styles import STYLES

WORD = {s.name for s in WORD_STYLES}  # Word + LibreOffice: single documents only (see render_docx)

# fields right / fields, per style, measured on this commit's pipeline (floors only go up)
FLOORS: dict[str, float] = {
    "16k-hei-headings-15": 1.0,
    "a4-kai-14": 1.0,
    "a4-ming-16-narrow": 1.0,
    "a4-song-10.5-dense": 1.0,
    "b5-hei-title-kai-11": 1.0,
    "b5-reprint-kai-headings": 1.0,
    "gazette-16k-kai": 1.0,
    "gazette-b5-song": 1.0,
    "gbt9704-a4": 1.0,
    "letter-ming": 1.0,
    "letter-wide-margins-13": 1.0,
    "two-column-a4-song-10.5": 1.0,
    "two-column-b5": 0.996,
    "word-a4-kai-16": 1.0,
    "word-b5-ming-12": 1.0,
}
# error findings the pipeline still publishes on clean renditions (its misreadings, to be removed, never added to)
KNOWN_MISREADINGS: dict[tuple[str, str], list[str]] = {}


@pytest.fixture(scope="session")
def zoo() -> Path:
    """The zoo, built once (the first xdist worker builds, the others wait for it)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    lock = CACHE / "build.lock"
    while True:
        if (zoo_dir() / "DONE").exists():
            return zoo_dir()
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            if time.time() - lock.stat().st_mtime > 600:
                lock.unlink(missing_ok=True)
            time.sleep(0.5)
            continue
        try:
            return build(jobs=1)
        finally:
            os.close(fd)
            lock.unlink(missing_ok=True)


@pytest.mark.slow
@pytest.mark.issue(12)
@pytest.mark.parametrize("style", [s.name for s in STYLES] + sorted(WORD))
def test_zoo_roundtrip_style(zoo: Path, style: str) -> None:
    per_model: dict[str, tuple[int, int]] = {}
    misses: list[str] = []
    error_findings: dict[str, list[str]] = {}
    models = [m for m in all_models() if style not in WORD or m.gazette is None]
    if style in WORD and not (zoo / f"{style}--{models[0].key}.pdf").exists():
        pytest.skip("LibreOffice is not installed (make zoo-deps): no Word renditions")
    for model in models:
        stem = zoo / f"{style}--{model.key}"
        result = parse_file(stem.with_name(stem.name + ".pdf"))
        marks = landmarks_from_json(json.loads(stem.with_name(stem.name + ".json").read_text("utf-8")))
        checks = issue_checks(model, marks, result.issue)
        per_model[model.key] = (sum(c.ok for c in checks), len(checks))
        misses += [f"{c.where} {c.field}: expected {c.expected!r}, read {c.actual!r}" for c in checks if not c.ok]
        if result.issue is not None:
            errors = [f.code for f in result.issue.findings if f.severity is Severity.ERROR]
            if errors:
                error_findings[model.key] = errors
    write_result(style, per_model, misses, error_findings)
    right = sum(r for r, _ in per_model.values())
    total = sum(n for _, n in per_model.values())
    assert right / total >= FLOORS[style], f"{style}: {right}/{total} fields right; misses:\n" + "\n".join(misses)
    unexplained = {
        k: v for k, v in error_findings.items() if sorted(v) != sorted(KNOWN_MISREADINGS.get((style, k), []))
    }
    assert not unexplained, f"{style}: error findings on renditions without planted inconsistency: {unexplained}"
