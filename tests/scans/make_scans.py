"""Build the scanned rendition of a PDF: every page rasterised (PDFium) and wrapped into an image-only PDF.

    python tests/scans/make_scans.py [SOURCE.pdf] [OUT.pdf] [--dpi 200] [--pages 0,7,21]

The output has no text layer at all (each page is one colour JPEG at the page's size: red 版头 and seals stay red), like a gazette
issue scanned at ``--dpi``. It is a test fixture built at test time into ``tests/.cache/`` (git ignores
it), never committed. ``--pages`` keeps only the listed 0-based pages.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
CORPUS_PDF = ROOT / "corpus" / "maonan-2022-03.pdf"
CACHE = ROOT / "tests" / ".cache"


def make_scan(source: Path, out: Path, dpi: int = 200, pages: Sequence[int] | None = None) -> Path:
    """Rasterise ``pages`` of ``source`` (all when None) at ``dpi`` into the image-only PDF ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = pdfium.PdfDocument(str(source))
    try:
        wanted = list(pages) if pages is not None else list(range(len(doc)))
        images: list[Image.Image] = []
        for i in wanted:
            page = doc[i]
            try:
                bitmap = page.render(scale=dpi / 72.0)
                images.append(bitmap.to_pil().convert("RGB"))
            finally:
                page.close()
    finally:
        doc.close()
    tmp = out.with_suffix(".part")
    images[0].save(tmp, format="PDF", save_all=True, append_images=images[1:], resolution=float(dpi), quality=80)
    tmp.replace(out)
    return out


def cached_scan(pages: Sequence[int] | None = None, dpi: int = 200, source: Path = CORPUS_PDF) -> Path:
    """The scanned rendition in the test cache, built once (per page set and resolution)."""
    tag = "all" if pages is None else "-".join(str(p) for p in pages)
    out = CACHE / f"{source.stem}-scan-{dpi}dpi-{tag}.pdf"
    if not out.exists():
        make_scan(source, out, dpi, pages)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", nargs="?", type=Path, default=CORPUS_PDF)
    ap.add_argument("out", nargs="?", type=Path, default=None)
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--pages", default=None, help="0-based page numbers, comma-separated")
    args = ap.parse_args()
    pages = [int(p) for p in args.pages.split(",")] if args.pages else None
    out = args.out or cached_scan(pages, args.dpi, args.source)
    if args.out:
        make_scan(args.source, out, args.dpi, pages)
    print(out)


if __name__ == "__main__":
    main()
