"""Build the layout zoo: every source model in every house style, into ``tests/.cache/zoo/<key>/``.

``python -m tests.zoo.build`` (``make zoo``). The cache key hashes the generator (this package, its texts,
the golden the corpus models come from) and the pipeline's schema; an unchanged zoo is not rebuilt. Each
rendition is ``<style>--<model>.pdf`` with ``<style>--<model>.json`` (the landmarks: printed page of every
document start and heading). The Word styles keep their source ``<style>--<model>.docx`` beside the PDF.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from tests.zoo.models import Landmarks

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
CACHE = ROOT / "tests" / ".cache" / "zoo"


def generator_key() -> str:
    h = hashlib.sha256()
    generator = ("models.py", "sources.py", "styles.py", "render_rl.py", "render_docx.py", "build.py")
    files = sorted([*(HERE / g for g in generator if (HERE / g).exists()), *HERE.glob("texts/*.txt")])
    files += [ROOT / "tests" / "golden" / "maonan-2022-03.pdf.gt.json"]
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    from tests.zoo.render_docx import soffice
    from tests.zoo.render_rl import FONT_FILES

    h.update(repr(sorted((k, Path(p).exists()) for k, (p, _) in FONT_FILES.items())).encode())
    h.update(b"soffice" if soffice() else b"-")
    return h.hexdigest()[:16]


def zoo_dir() -> Path:
    return CACHE / generator_key()


def landmarks_to_json(m: Landmarks) -> dict:
    return {
        "doc_first_page": m.doc_first_page,
        "heading_page": [[*k, v] for k, v in m.heading_page.items()],
    }


def landmarks_from_json(d: dict) -> Landmarks:
    return Landmarks(
        doc_first_page=dict(d["doc_first_page"]),
        heading_page={(k, int(p), int(n)): int(v) for k, p, n, v in d["heading_page"]},
    )


def _render_style(style_name: str, out: str) -> int:
    from tests.zoo.render_rl import render_issue
    from tests.zoo.sources import all_models
    from tests.zoo.styles import STYLES

    style = next(s for s in STYLES if s.name == style_name)
    n = 0
    for model in all_models():
        stem = f"{style.name}--{model.key}"
        marks = render_issue(model, style, Path(out) / f"{stem}.pdf")
        (Path(out) / f"{stem}.json").write_text(json.dumps(landmarks_to_json(marks), ensure_ascii=False), "utf-8")
        n += 1
    return n


def _render_word(out: str) -> int:
    """The single documents as Word files in each Word style, converted by LibreOffice in one run."""
    from tests.zoo.render_docx import WORD_STYLES, convert, document_to_docx, landmarks_from_pdf, soffice
    from tests.zoo.sources import all_models

    if soffice() is None:
        return 0
    singles = [m for m in all_models() if m.gazette is None]
    work = Path(out) / "word"
    work.mkdir()
    files = []
    for style in WORD_STYLES:
        for model in singles:
            path = work / f"{style.name}--{model.key}.docx"
            document_to_docx(model.documents[0], style, path)
            files.append(path)
    convert(files, Path(out))
    for style in WORD_STYLES:
        for model in singles:
            stem = f"{style.name}--{model.key}"
            marks = landmarks_from_pdf(model, Path(out) / f"{stem}.pdf")
            (Path(out) / f"{stem}.json").write_text(json.dumps(landmarks_to_json(marks), ensure_ascii=False), "utf-8")
    for f in files:  # kept beside their PDFs: the .docx is read directly too (tests/test_zoo_docx.py)
        f.rename(Path(out) / f.name)
    shutil.rmtree(work)
    return len(files)


def build(force: bool = False, jobs: int | None = None) -> Path:
    """Render the zoo unless an up-to-date build exists; returns its folder."""
    from tests.zoo.styles import STYLES

    target = zoo_dir()
    if (target / "DONE").exists() and not force:
        return target
    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    jobs = jobs or min(2, os.cpu_count() or 1)
    with ProcessPoolExecutor(jobs) as pool:
        word = pool.submit(_render_word, str(tmp))  # LibreOffice runs beside the reportlab styles
        counts = list(pool.map(_render_style, [s.name for s in STYLES], [str(tmp)] * len(STYLES)))
        counts.append(word.result())
    (tmp / "DONE").write_text(f"{sum(counts)} renditions\n", "utf-8")
    for old in CACHE.iterdir():
        if old.is_dir() and old.name != target.name and not old.name.startswith(target.name):
            shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        shutil.rmtree(target)
    tmp.rename(target)
    return target


def main(argv: list[str]) -> None:
    started = time.monotonic()
    out = build(force="--force" in argv)
    n = len(list(out.glob("*.pdf")))
    print(f"zoo: {n} renditions in {out} ({time.monotonic() - started:.1f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
