"""Small text helpers shared by the stages: whitespace normalisation and sentence ends.

Pure functions on strings; no stage logic here.
"""

from __future__ import annotations

import re

# CJK ideographs, CJK punctuation, full-width forms and the typographic quotes/dashes used in Chinese text.
_CJK = (
    r"\u2E80-\u2FFF\u3000-\u303F\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF"
    r"\u2018\u2019\u201C\u201D\u2014\u2026\u00B7\u2030\u2103"
)
_WS = r"[ \t\u00A0\u2002\u2003\u2009\u3000]"
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_MULTI_WS = re.compile(rf"{_WS}+")

TERMINAL = "。！？；!?;"
CLOSING = "”’」』）)》】"


def _drop_space(m: re.Match[str]) -> str:
    """A whitespace run: removed next to a Chinese character or full-width mark, else one space."""
    text, a, b = m.string, m.start(), m.end()
    before = text[a - 1] if a > 0 else ""
    after = text[b] if b < len(text) else ""
    if _CJK_CHAR.match(before) or _CJK_CHAR.match(after):
        return ""
    return " "


def normalise(text: str) -> str:
    """Whitespace-normalise per the output contract.

    Whitespace next to a Chinese character or full-width punctuation is removed; other runs of
    whitespace (between Latin letters or digits) collapse to one space; newlines are kept as
    paragraph breaks (each line normalised, blank lines dropped); the result is stripped.
    Linear in the length of the text (each whitespace run is looked at once).
    """
    lines = []
    for line in text.split("\n"):
        line = _MULTI_WS.sub(_drop_space, line).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


def one_line(text: str) -> str:
    """``normalise`` and then join the lines (a title broken over two lines is one string)."""
    return normalise(text).replace("\n", "")


def ends_sentence(text: str) -> bool:
    """Whether the text ends a sentence (terminal punctuation, possibly followed by closing marks)."""
    t = text.rstrip()
    while t and t[-1] in CLOSING:
        t = t[:-1]
    return bool(t) and t[-1] in TERMINAL
