"""Document-type words (文种): 通知, 决定, 意见 … read from ``pipeline/data/doctypes.tsv``.

Reads the data file once. Guarantees: each pattern is the words of one role, in file order, as an anchored
alternation (a new 文种 is a data change).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "doctypes.tsv"


@cache
def words(role: str) -> tuple[str, ...]:
    """The document-type words with ``role`` (title, title-end, header, forward), in file order."""
    out = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, _, roles = line.partition("\t")
        if role in roles.split() or (role == "title-end" and "title" in roles.split()):
            out.append(word.strip())
    return tuple(out)


def _alt(role: str) -> str:
    return "|".join(map(re.escape, words(role)))


# A paragraph ending in a document-type word (a title, when the reflow decides whether to join lines).
TITLE_END = re.compile(rf"(?:{_alt('title-end')})$")
# A paragraph that reads like a document title: 关于… or ending in a (two-character) document-type word.
TITLE_LIKE = re.compile(rf"关于.{{2,120}}$|(?:{_alt('title')})$")
# The document-type word ending a header line (版头): 文件 / 令 …; and the whole line: 某某人民政府文件.
HEADER_WORD = re.compile(rf"(?:{_alt('header')})$")
HEADER_TEXT = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,40}}{HEADER_WORD.pattern}")
# A notice forwarding another document: 关于印发《X》的通知 → X.
FORWARDED = re.compile(rf"(?:印发|转发|批转|发布)《?(?P<x>.+?)》?的(?:{_alt('forward')})$")
