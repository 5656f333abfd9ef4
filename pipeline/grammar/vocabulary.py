"""Vocabularies read from data: column-header words and the claim vocabulary.

Reads ``pipeline/data/headers.tsv`` and ``pipeline/data/claims.tsv`` once each. Guarantees: :func:`header` returns a
compiled, case-insensitive alternation of the key's words in file order; a new header word is a data change. The
claim vocabulary is ``key<TAB>value`` rows (a ``-re`` value is a regular expression, others are ``|``-separated
words); a key may repeat (``kind`` rows, read in file order by :func:`claim_rows`, the others by their first row).
An unknown key raises ``KeyError`` (a programming error, caught by the tests).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "headers.tsv"


@cache
def _table() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, words = line.partition("\t")
        out[key.strip()] = tuple(w.strip() for w in words.split("|") if w.strip())
    return out


def header_words(key: str) -> tuple[str, ...]:
    """The words of ``key``, in file order."""
    return _table()[key]


def header(key: str, *, whole: bool = False, prefix: bool = False) -> re.Pattern[str]:
    """A pattern for the header words of ``key``: ``whole`` anchors both ends, ``prefix`` the start only."""
    alt = "|".join(map(re.escape, header_words(key)))
    if whole:
        return re.compile(rf"^(?:{alt})$", re.IGNORECASE)
    if prefix:
        return re.compile(rf"^(?:{alt})", re.IGNORECASE)
    return re.compile(alt, re.IGNORECASE)


# --------------------------------------------------------------------------- claim vocabulary

CLAIMS = Path(__file__).resolve().parent.parent / "data" / "claims.tsv"


@cache
def _claim_rows() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every row of the claim vocabulary in file order: (key, tab-separated values)."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for line in CLAIMS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, value = line.partition("\t")
        out.append((key.strip(), tuple(v.strip() for v in value.split("\t"))))
    return tuple(out)


@cache
def _claims() -> dict[str, str]:
    out: dict[str, str] = {}
    for key, values in _claim_rows():
        out.setdefault(key, "\t".join(values))
    return out


def claim_text(key: str) -> str:
    """The raw value of a claim-vocabulary key (a regular expression for ``-re`` keys)."""
    return _claims()[key]


def claim_words(key: str) -> tuple[str, ...]:
    """The words of a claim-vocabulary key, in file order."""
    return tuple(w for w in claim_text(key).split("|") if w)


def claim_map(key: str) -> dict[str, str]:
    """A ``word=value|…`` claim-vocabulary key as a mapping."""
    return dict(w.split("=", 1) for w in claim_words(key))


def claim_pattern(key: str) -> re.Pattern[str]:
    """A ``-re`` claim-vocabulary key compiled."""
    return re.compile(claim_text(key))


def claim_rows(key: str) -> list[tuple[str, ...]]:
    """The values of every row of a repeated key (``kind``), in file order, split on tabs."""
    return [values for k, values in _claim_rows() if k == key]
