"""Indicator targets: the text of a 指标值 / 目标值 cell → a typed :class:`schemas.model.Target`.

A target is an optional comparison (``<``, ``≤``, ``≥`` …, or a direction: 下降 / 提高), a number, an optional
second number (``1.0 级/2.5 级``), an optional unit and an optional footnote marker (``<1%*``). The parser folds
full-width forms first (``＜１５％`` reads as ``<15%``) and understands the usual Chinese wording
(不低于 / 不超过 / 以上 / 以内 …).

:func:`pipeline.grammar.width.fold_width` (full-width forms → ASCII) is shared with the other table-reading stages.
"""

from __future__ import annotations

import re

from pipeline.grammar.width import fold_width
from schemas.model import Target, TargetOp

# Longest text still read as a target: a target cell is short; anything longer is prose (and is not scanned).
MAX_TARGET_CHARS = 120

# Comparison wording in front of the number (longest first, so 不低于 wins over 低于).
_PREFIX_OPS: list[tuple[str, TargetOp]] = [
    ("<=", TargetOp.LE),
    (">=", TargetOp.GE),
    ("=<", TargetOp.LE),
    ("=>", TargetOp.GE),
    ("≤", TargetOp.LE),
    ("≥", TargetOp.GE),
    ("<", TargetOp.LT),
    (">", TargetOp.GT),
    ("=", TargetOp.EQ),
    ("不低于", TargetOp.GE),
    ("不少于", TargetOp.GE),
    ("不小于", TargetOp.GE),
    ("不高于", TargetOp.LE),
    ("不超过", TargetOp.LE),
    ("不大于", TargetOp.LE),
    ("不多于", TargetOp.LE),
    ("控制在", TargetOp.LE),
    ("低于", TargetOp.LT),
    ("小于", TargetOp.LT),
    ("少于", TargetOp.LT),
    ("高于", TargetOp.GT),
    ("大于", TargetOp.GT),
    ("超过", TargetOp.GT),
    ("多于", TargetOp.GT),
    ("达到", TargetOp.GE),
    ("下降", TargetOp.DECREASE),
    ("降低", TargetOp.DECREASE),
    ("减少", TargetOp.DECREASE),
    ("压减", TargetOp.DECREASE),
    ("提高", TargetOp.INCREASE),
    ("提升", TargetOp.INCREASE),
    ("增长", TargetOp.INCREASE),
    ("增加", TargetOp.INCREASE),
    ("上升", TargetOp.INCREASE),
]
_PREFIX_OPS.sort(key=lambda pair: -len(pair[0]))

# Wording after the number and unit: 以上 → ≥, 以下 / 以内 → ≤ (左右 / 及 are dropped).
_SUFFIX_OPS: list[tuple[str, TargetOp]] = [
    ("及以上", TargetOp.GE),
    ("及以下", TargetOp.LE),
    ("以上", TargetOp.GE),
    ("以下", TargetOp.LE),
    ("以内", TargetOp.LE),
    ("之内", TargetOp.LE),
]

_FOOTNOTE = re.compile(r"(?:[*†‡※]+|[①-⑳]|\[\d{1,2}\]|\(\d{1,2}\)|（\d{1,2}）)$")
_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|-?\.\d+")
_UNIT = re.compile(r"(?:[%‰‱℃°]|[A-Za-z\u4e00-\u9fff²³μ]{1,6}(?:/[A-Za-z\u4e00-\u9fff²³μ]{1,4})?)")
_DIRECTIONS = (TargetOp.DECREASE, TargetOp.INCREASE)


def _unparsed(raw: str) -> Target:
    return Target(raw=raw, op=None, value=None)


def _strip_prefix_op(text: str) -> tuple[TargetOp | None, str]:
    for word, op in _PREFIX_OPS:
        if text.startswith(word):
            return op, text[len(word) :]
    return None, text


def _number_unit(text: str, pos: int) -> tuple[float, str | None, int] | None:
    """Read ``number [unit]`` at ``pos``: (value, unit, end) or None."""
    m = _NUMBER.match(text, pos)
    if not m:
        return None
    value = float(m.group().replace(",", ""))
    u = _UNIT.match(text, m.end())
    if not u:
        return value, None, m.end()
    return value, u.group(), u.end()


def _target_text(raw: str) -> str | None:
    """Reads a target cell; returns its width-folded text without whitespace, None when empty or too long to scan."""
    text = fold_width(raw)
    if len(text) > MAX_TARGET_CHARS * 2:
        return None
    text = re.sub(r"\s+", "", text)
    if not text or len(text) > MAX_TARGET_CHARS:
        return None
    return text


def _split_footnote(text: str) -> tuple[str, str | None]:
    """Reads a target text; returns (the text before a trailing footnote marker, the marker or None)."""
    fm = _FOOTNOTE.search(text)
    if fm and fm.start() > 0:
        return text[: fm.start()], fm.group()
    return text, None


def _strip_suffix_op(rest: str) -> tuple[str, TargetOp | None]:
    """Reads a target text after its prefix operator; returns (the text without suffix operator and 左右, the operator)."""
    suffix_op: TargetOp | None = None
    for word, sop in _SUFFIX_OPS:
        if rest.endswith(word):
            suffix_op = sop
            rest = rest[: -len(word)]
            break
    if rest.endswith("左右"):
        rest = rest[:-2]
    return rest, suffix_op


def _target_values(rest: str) -> tuple[float, float | None, str | None] | None:
    """Reads the number part of a target; returns (value, value2, unit), None unless it is one number or a pair."""
    first = _number_unit(rest, 0)
    if first is None:
        return None
    value, unit, end = first
    value2: float | None = None
    if end < len(rest) and rest[end] == "/":
        second = _number_unit(rest, end + 1)
        if second is None:
            return None
        value2, unit2, end = second
        if unit is not None and unit2 is not None and unit != unit2:
            return None
        unit = unit or unit2
    if end != len(rest):
        return None
    return value, value2, unit


def parse_target(raw: str) -> Target:
    """Parse the text of a target cell into a :class:`Target`.

    Reads any string (the cell as extracted). Returns a Target whose ``raw`` is ``raw`` unchanged; when the text
    reads as a target, ``op`` and ``value`` are set (a bare number means ``=``; 下降/提高 give ``decrease`` /
    ``increase``), ``value2`` for a pair like ``1.0 级/2.5 级``, ``unit`` as printed (``%``, ``‰``, ``小时`` …;
    None for a bare number) and ``footnote`` for a trailing marker (``*``, ``※``, ``①``). Otherwise ``op`` and
    ``value`` are None (the caller reports P201).

    Guaranteed: never raises; runs in time linear in ``len(raw)`` (texts over ``MAX_TARGET_CHARS`` characters
    are not scanned and come back unparsed).
    """
    text = _target_text(raw)
    if text is None:
        return _unparsed(raw)
    text, footnote = _split_footnote(text)
    op, rest = _strip_prefix_op(text)
    rest, suffix_op = _strip_suffix_op(rest)
    values = _target_values(rest)
    if values is None:
        return _unparsed(raw)
    value, value2, unit = values
    if op is None:
        op = suffix_op or TargetOp.EQ
    elif suffix_op is not None and op not in _DIRECTIONS and op is not suffix_op:
        return _unparsed(raw)
    return Target(raw=raw, op=op, value=value, value2=value2, unit=unit, footnote=footnote)
