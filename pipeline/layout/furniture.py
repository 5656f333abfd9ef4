"""Stage 2: pages → pages without page furniture, with the printed page number of each page.

Reads: ``list[Page]`` from a loader.
Writes: the same pages with running headers/footers and printed page labels moved from ``lines`` to
``furniture`` and ``printed`` set.
Guaranteed after:
  1. a line is furniture only if it sits in the top or bottom band of its page and its text (digits
     masked) repeats on three pages (two in a file of fewer than six pages), or it is a page label
     (``— 7 —``, ``- 7 -``, ``·7·``, ``7``, ``第 7 页``) in the bottom or top band; on a turned page a line
     printed across it (``Line.across``: upright on the paper) is judged in the page's left and right bands;
  2. ``printed`` comes from the page's own label; a page without one between two labelled pages with
     the same offset gets the offset's number; other pages stay None;
  3. text input (no geometry): a page label standing alone as the first or last line of a page is
     furniture; nothing else is removed.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from pipeline.grammar.pages import page_label_number
from pipeline.types import Line, Page

BAND = 0.1  # top/bottom fraction of the page height searched for furniture
_DIGITS = re.compile(r"\d+")


def _band(line: Line, page: Page) -> str | None:
    if line.bbox is None or not page.height or not page.width:
        return None
    if line.across:  # printed across a turned page (pipeline.load.upright): the paper's top and bottom are its sides
        low, high, extent, names = line.bbox[0], line.bbox[2], page.width, ("side-left", "side-right")
    else:
        low, high, extent, names = line.bbox[1], line.bbox[3], page.height, ("top", "bottom")
    if high <= extent * BAND:
        return names[0]
    if low >= extent * (1 - BAND):
        return names[1]
    return None


_ELEMENT_LABEL = re.compile(r"附\s*件\s*[0-9０-９]{0,3}")


def _key(text: str) -> str:
    return _DIGITS.sub("#", re.sub(r"\s+", "", text))


def pages_to_clean_pages(pages: list[Page]) -> list[Page]:
    """Remove running headers, footers and page labels; set ``printed`` (see the module docstring)."""
    geometric = any(ln.bbox is not None for p in pages for ln in p.lines)
    if geometric:
        _clean_geometric(pages)
    else:
        _clean_text(pages)
    _infer_missing(pages)
    return pages


def _clean_geometric(pages: list[Page]) -> None:
    counts: Counter[tuple[str, str]] = Counter()
    for p in pages:
        seen = set()
        for ln in p.lines:
            band = _band(ln, p)
            if band:
                seen.add((band, _key(ln.text)))
        counts.update(seen)
    # a header repeated on a third of the pages, or on three pages at least (a running title that changes
    # with each document of the issue repeats only over that document's pages)
    threshold = min(3, max(2, len(pages) // 3))
    repeated = {k for k, n in counts.items() if n >= threshold}
    for p in pages:
        keep: list[Line] = []
        for ln in p.lines:
            band = _band(ln, p)
            number = page_label_number(ln.text) if band else None
            if band and number is not None:
                p.printed = number
                p.furniture.append(ln)
            elif band and (band, _key(ln.text)) in repeated and not _ELEMENT_LABEL.fullmatch(ln.text.strip()):
                p.furniture.append(ln)  # (an 附件 label at the top of several pages is each attachment's own)
            else:
                keep.append(ln)
        p.lines = keep


def _clean_text(pages: list[Page]) -> None:
    for p in pages:
        for idx in (-1, 0):
            if not p.lines:
                break
            ln = p.lines[idx]
            number = page_label_number(ln.text)
            if number is not None and re.search(r"[-—–－―页]", ln.text):
                p.printed = number
                p.furniture.append(ln)
                p.lines.pop(idx)


def _infer_missing(pages: list[Page]) -> None:
    labelled = [(p.index, p.printed) for p in pages if p.printed is not None]
    for (i0, n0), (i1, n1) in itertools.pairwise(labelled):
        if n0 is None or n1 is None or n1 - n0 != i1 - i0:
            continue
        for p in pages:
            if i0 < p.index < i1 and p.printed is None:
                p.printed = n0 + (p.index - i0)


def printed_map(pages: list[Page]) -> dict[int, int | None]:
    """page index → printed page number."""
    return {p.index: p.printed for p in pages}
