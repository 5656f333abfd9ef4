"""Width folding: full-width digits and forms to ASCII (and back for brackets), for matching and comparing.

Pure translations of strings; every function returns a string of the same length.
"""

from __future__ import annotations

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_NUMBER_FORMS = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
_WIDTH_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE.update({0x3000: 0x20, 0x2266: ord("≤"), 0x2267: ord("≥"), 0xFE64: ord("<"), 0xFE65: ord(">")})
FULL_BRACKETS = str.maketrans({"(": "（", ")": "）", "[": "【", "]": "】"})  # ASCII brackets → full-width
_HALF_PARENS = str.maketrans({"（": "(", "）": ")"})

FULLWIDTH_DIGITS = "０-９"  # inside a character class: [0-9０-９]


def fold_digits(text: str) -> str:
    """Full-width digits to ASCII."""
    return text.translate(_FULLWIDTH_DIGITS)


def fold_number(text: str) -> str:
    """Full-width digits, ``％`` and ``．`` to ASCII: the characters a number is written with."""
    return text.translate(_NUMBER_FORMS)


def fold_width(text: str) -> str:
    """Fold full-width ASCII forms (``１２％＜``) and the ideographic space to their ASCII forms; ``≦ ≧`` → ``≤ ≥``.

    Reads any string, returns a string of the same length. Chinese characters and full-width CJK punctuation
    outside the ASCII range (``，。（）`` are folded; ``、`` is not) are otherwise untouched.
    """
    return text.translate(_WIDTH_TABLE)


def half_parens(text: str) -> str:
    """Full-width parentheses to ASCII: ``（`` → ``(``."""
    return text.translate(_HALF_PARENS)
