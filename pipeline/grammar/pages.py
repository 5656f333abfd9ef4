"""Page labels (folios): the printed page numbers at the foot of a page or at the end of a contents line.

``— 7 —``, ``- 7 -``, ``·7·``, ``第 7 页`` (``第 7 页 共 20 页``), a bare ``7``; full-width digits are folded by the
callers first where noted. Pure; every pattern is anchored and bounded.
"""

from __future__ import annotations

import re

DASHES = "-—–－―"  # the dashes printed around a page label

# A page label line at the top or bottom of a PDF page: — 7 — / - 7 - / ·7· / 第 7 页 (共 20 页) / 7.
PAGE_LABEL = re.compile(
    r"^\s*(?:[-—–－―·•]+\s*(\d{1,4})\s*[-—–－―·•]+|第\s*(\d{1,4})\s*页(?:\s*共\s*\d+\s*页)?|(\d{1,4}))\s*$"
)
# A page label cell of a text export: 7 / - 7 / 7 - / - 7 -.
PLAIN_PAGE_LABEL = re.compile(r"^\s*(?:[-—–－]\s*)?(\d{1,4})(?:\s*[-—–－])?\s*$")
# A page label line of a text export, dashed on both sides: - 7 -.
DASHED_PAGE_LABEL = re.compile(r"^\s*[-—–－]\s*\d{1,4}\s*[-—–－]\s*$")
# A page label at the very end of a contents line: 7 / - 7 - / — 7 — / 7 - (a lost leading dash), full-width.
PAGE_TAIL = re.compile(
    rf"(?:[{DASHES}]{{1,2}}[ \t\u3000]*)?(?P<n>[0-9０-９]{{1,4}})(?:[ \t\u3000]*[{DASHES}]{{1,2}})?$"
)
# A page at the end of an issue-contents line, after leaders, spaces or a tab (digits folded first).
LEADER_PAGE_TAIL = re.compile(r"(?:[.．…·。\s]+|\t)[-—–－]?\s*(?P<page>\d{1,4})\s*[-—–－]?\s*$")


# A dashed page label as OCR reads it: the dashes may come out as the ideograph 一 or katakana ー (one
# stroke, the same shape), as ASCII hyphens, or one of them lost (— 21 — → 21-).
OCR_DASHED_LABEL = re.compile(
    r"^\s*(?:[-—–－―一ー]{1,2}\s*(\d{1,4})\s*[-—–－―一ー]{0,2}|(\d{1,4})\s*[-—–－―一ー]{1,2})\s*$"
)


def ocr_dashed_label(text: str) -> int | None:
    """The page number of a folio line as OCR reads ``— 21 —`` (``一21一``, ``-26一``, ``21-``); None for
    anything else (a bare number is left alone: it may be a table's cell)."""
    m = OCR_DASHED_LABEL.match(text)
    return int(m.group(1) or m.group(2)) if m else None


def page_label_number(text: str) -> int | None:
    """``— 7 —`` / ``- 7 -`` / ``第 7 页`` / ``7`` → 7; anything else → None."""
    m = PAGE_LABEL.match(text)
    if not m:
        return None
    return int(next(g for g in m.groups() if g is not None))
