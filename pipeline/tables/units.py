"""Units (承办单位): the unit vocabulary, canonical names, and a unit cell split into ``UnitMention``s.

The vocabulary is data (``pipeline/data/units.tsv``): department names without a level prefix, collective
bodies with ``{L}``/``{M}`` level placeholders, the level prefixes and the department suffixes. Department
names are recognised under any level or place prefix (区/市/县/省 or a place name ending in one of them), so
nothing here is specific to one gazette.

Level-prefix carrying (``区发展和改革局、教育局、生态环境局``): inside one clause of a unit cell (clauses are
separated by ，；, or a newline, bodies inside a clause by 、), the level prefix of the FIRST body is carried
to the bodies right after it that print no prefix of their own and are department names (known to the
vocabulary, or ending in a department suffix such as 局/办公室/中心). Carrying stops for good at the first body
that prints its own prefix, is a collective body (各镇（街道）, 区有关单位 …) or is not a department name: in
``区发展改革局、区科工商务局、市场监督管理局`` every body carries its own prefix, so 市场监督管理局 stays as printed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.grammar.width import FULL_BRACKETS as _FOLD
from schemas.model import UnitMention, UnitRole

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
UNITS_TSV = DATA_DIR / "units.tsv"

_OPEN = frozenset("(（[【〔《<")
_CLOSE = frozenset(")）]】〕》>")
_CLAUSE_SEPS = frozenset("，,；;。\n\r")
_LIST_SEPS = frozenset("、")
_CJK_PLACE = re.compile(r"[\u4e00-\u9fff]{1,12}(?:省|市|区|县|州|旗|盟|镇|乡)")
_WS = re.compile(r"\s+")
_MAX_PREFIX = 13  # a level or place prefix is at most 12 characters and a level word

_LABEL_NOUN = r"(?:单位|部门)"  # the noun of a role label (牵头单位, 配合部门)
# wording at the end of a clause, longest first; the value says which role it marks
_TRAILING: tuple[tuple[str, str], ...] = (
    ("按职能分工落实", "share"),
    ("按职责分工落实", "share"),
    ("按职能分工负责", "share"),
    ("按职责分工负责", "share"),
    ("按职能职责落实", "share"),
    ("按职责落实", "share"),
    ("按职能落实", "share"),
    ("按职责负责", "share"),
    ("分工负责", "share"),
    ("分工落实", "share"),
    ("负责落实", "share"),
    ("共同落实", "share"),
    ("牵头负责", "lead"),
    ("牵头落实", "lead"),
    ("配合落实", "co"),
    ("协助落实", "co"),
    ("参与落实", "co"),
    ("牵头", "lead"),
    ("负责", "lead"),
    ("主办", "lead"),
    ("配合", "co"),
    ("协助", "co"),
    ("协办", "co"),
    ("参与", "co"),
    ("落实", "share"),
    ("等单位", ""),
    ("等部门", ""),
    ("等", ""),
)
_MAX_STRIP_ROUNDS = 8  # 区有关单位等按职能分工落实 needs 2; more is not a unit cell
_STRIP_CHARS = " \t\r\n　:：.。·•-—–*“”\"'‘’"


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The unit vocabulary loaded from ``units.tsv``.

    ``depts`` maps every department name and alias (no level prefix, full-width brackets) to its canonical
    name; ``collectives`` maps every expanded collective name and alias to its canonical name.
    """

    levels: tuple[str, ...]
    depts: dict[str, str]
    collectives: dict[str, str]
    suffixes: tuple[str, ...]  # longest first

    def full_names(self) -> list[str]:
        """Every unit name the vocabulary knows with its level prefixes expanded (for the jieba dictionary)."""
        names = set(self.collectives)
        for dept in self.depts:
            names.add(dept)
            names.update(level + dept for level in self.levels)
        return sorted(names)


def _expand(template: str, levels: tuple[str, ...]) -> list[str]:
    """All expansions of the ``{L}``/``{M}`` placeholders of a collective name over the level prefixes."""
    out = [template]
    for key in ("{L}", "{M}"):
        if any(key in t for t in out):
            out = [t.replace(key, level) for t in out for level in levels]
    return out


@functools.cache
def load_vocabulary() -> Vocabulary:
    """Read ``pipeline/data/units.tsv`` once.

    Returns the parsed :class:`Vocabulary`. Guaranteed after: every key and value uses full-width brackets;
    collective placeholders are expanded over every ``level`` line of the file.
    """
    levels: list[str] = []
    depts: dict[str, str] = {}
    collective_rows: list[tuple[str, list[str]]] = []
    suffixes: list[str] = []
    for line in UNITS_TSV.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        kind = parts[0].strip()
        canonical = parts[1].strip().translate(_FOLD) if len(parts) > 1 else ""
        aliases = [a.strip().translate(_FOLD) for a in parts[2].split("|")] if len(parts) > 2 else []
        aliases = [a for a in aliases if a]
        if not canonical:
            continue
        if kind == "level":
            levels.append(canonical)
        elif kind == "dept":
            for name in (canonical, *aliases):
                depts.setdefault(name, canonical)
        elif kind == "collective":
            collective_rows.append((canonical, aliases))
        elif kind == "suffix":
            suffixes.append(canonical)
    level_t = tuple(levels)
    collectives: dict[str, str] = {}
    for canonical, aliases in collective_rows:
        for level_canon, *level_aliases in zip(
            _expand(canonical, level_t), *(_expand(a, level_t) for a in aliases), strict=True
        ):
            for name in (level_canon, *level_aliases):
                collectives.setdefault(name, level_canon)
    return Vocabulary(
        levels=level_t,
        depts=depts,
        collectives=collectives,
        suffixes=tuple(sorted(set(suffixes), key=len, reverse=True)),
    )


@functools.cache
def role_labels() -> dict[str, str]:
    """The role label words of ``units.tsv`` (``role`` lines) → their role: ``lead``, ``co`` or ``duty``
    (lead, but co after a lead label in the same note). Longest words first."""
    roles: dict[str, str] = {}
    for line in UNITS_TSV.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) > 2 and parts[0].strip() == "role":
            for word in parts[2].split("|"):
                if word.strip():
                    roles.setdefault(word.strip(), parts[1].strip())
    return dict(sorted(roles.items(), key=lambda kv: -len(kv[0])))


@functools.cache
def role_label_pattern(*, noun: bool = False) -> re.Pattern[str]:
    """A role label and its colon (``牵头单位：``); group 1 is the label word. ``noun`` demands the 单位/部门
    after the word (a unit note in prose starts so); otherwise the noun is optional (``牵头：…`` in a cell)."""
    words = "|".join(map(re.escape, role_labels()))
    return re.compile(rf"({words}){_LABEL_NOUN}{'' if noun else '?'}\s*[：:]\s*")


def strip_role_labels(text: str) -> str:
    """A unit note without its role labels: ``牵头单位：甲；责任单位：乙、丙`` → ``甲；乙、丙`` (a label is removed
    at the start of the text or right after a clause separator, so a name containing a label word stays)."""
    label = role_label_pattern()
    out: list[str] = []
    for part in re.split(r"([，,；;\n])", text):
        stripped = part.lstrip(" \t　")
        m = label.match(stripped)
        out.append(stripped[m.end() :] if m else part)
    return "".join(out).strip()


def _fold(name: str) -> str:
    return _WS.sub("", name).translate(_FOLD)


def _valid_prefix(prefix: str, vocab: Vocabulary) -> bool:
    return prefix == "" or prefix in vocab.levels or _CJK_PLACE.fullmatch(prefix) is not None


def _analyse(folded: str, vocab: Vocabulary) -> tuple[str, str] | None:
    """``(prefix, canonical department)`` when the name is a known department under a valid prefix."""
    for i in range(min(len(folded), _MAX_PREFIX + 1)):
        tail = folded[i:]
        canonical = vocab.depts.get(tail)
        if canonical is not None and _valid_prefix(folded[:i], vocab):
            return folded[:i], canonical
    return None


def canonical_unit(name: str) -> tuple[str, bool]:
    """The canonical form of one unit name.

    Reads a single body's name as printed (whitespace and bracket width do not matter). Returns
    ``(canonical name, in vocabulary)``: a known department keeps its printed level/place prefix and gets its
    canonical department name (区发改局 → 区发展和改革局); a known collective gets its canonical spelling
    (各镇(街道) → 各镇（街道）). An unknown name comes back folded (no whitespace, full-width brackets) with
    ``False``. Never raises.
    """
    vocab = load_vocabulary()
    folded = _fold(name)
    if folded in vocab.collectives:
        return vocab.collectives[folded], True
    found = _analyse(folded, vocab)
    if found is not None:
        return found[0] + found[1], True
    return folded, False


def _own_prefix(folded: str, vocab: Vocabulary) -> str:
    """The level/place prefix a body prints itself ('' when none)."""
    found = _analyse(folded, vocab)
    if found is not None:
        return found[0]
    if len(folded) > 2 and folded[0] in vocab.levels and folded.endswith(vocab.suffixes):
        return folded[0]
    return ""


def _is_collective(folded: str, vocab: Vocabulary) -> bool:
    return folded in vocab.collectives or folded.startswith("各")


def _is_department(folded: str, vocab: Vocabulary) -> bool:
    if _is_collective(folded, vocab) or folded.endswith("单位"):
        return False
    return _analyse(folded, vocab) is not None or folded.endswith(vocab.suffixes)


def _split_top_level(text: str, seps: frozenset[str]) -> list[str]:
    """Split on any separator character that is not inside brackets (full or half width)."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in seps:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _strip_trailing(text: str) -> tuple[str, str | None]:
    """Remove role wording from the end of a clause; return the rest and the strongest marker found."""
    marker: str | None = None
    changed = True
    rounds = 0
    while changed and text and rounds < _MAX_STRIP_ROUNDS:
        changed = False
        rounds += 1
        text = text.strip(_STRIP_CHARS)
        for word, role in _TRAILING:
            if text.endswith(word) and len(text) > len(word):
                text = text[: -len(word)]
                if role and (marker is None or marker == "share"):
                    marker = role
                changed = True
                break
    return text.strip(_STRIP_CHARS), marker


@dataclass(slots=True)
class _Clause:
    names: list[str]
    label: str | None  # role given by a 牵头单位：/配合单位： label
    marker: str | None  # role given by trailing wording (lead/co/share)


def _clauses(cell: str) -> list[_Clause]:
    out: list[_Clause] = []
    for part in _split_top_level(cell, _CLAUSE_SEPS):
        text = part.strip(_STRIP_CHARS)
        if not text:
            continue
        label: str | None = None
        m = role_label_pattern().match(text)
        if m:
            label = role_labels()[m.group(1)]
            if label == "duty":  # 责任单位 after a 牵头单位 co-operate; alone they lead
                label = "co" if any(c.label == "lead" for c in out) else "lead"
            text = text[m.end() :]
        text, marker = _strip_trailing(text)
        names = []
        for raw in _split_top_level(text, _LIST_SEPS):
            name, inner = _strip_trailing(raw)
            if inner in ("lead", "co") and marker is None:
                marker = inner
            if name:
                names.append(name)
        if names:
            out.append(_Clause(names, label, marker))
    return out


def split_units(cell: str) -> list[UnitMention]:
    """Split a unit cell (牵头落实单位 / 责任单位 …) into unit mentions with roles.

    Reads the cell text as printed. Returns one :class:`UnitMention` per body, in printed order, without
    duplicates (same canonical name and role). Guaranteed after:

    1. separators 、，,；; and newlines split bodies, never inside brackets (各镇(街道) is one body);
    2. ``raw`` is the body as printed, ``name`` its canonical name (full-width brackets);
    3. roles: ``X牵头，Y、Z按职能分工落实`` / ``X牵头，Y配合`` / ``配合单位：…`` make X lead and Y, Z co; a cell
       with no 牵头/负责 wording makes every body lead (按职能分工落实 alone means lead);
    4. trailing 按职能分工落实 / 牵头 / 负责 / 配合 / 等 wording is not part of any name;
    5. a shared level prefix is carried as described in the module docstring.

    Never raises; an empty cell gives ``[]``.
    """
    if not cell or not cell.strip():
        return []
    vocab = load_vocabulary()
    clauses = _clauses(cell)
    has_lead = any(c.marker == "lead" or c.label == "lead" for c in clauses)
    out: list[UnitMention] = []
    seen: set[tuple[str, UnitRole]] = set()
    lead_seen = False
    label_role: str | None = None
    for clause in clauses:
        if clause.label is not None:
            label_role = clause.label
        if clause.marker == "lead":
            role = "lead"
        elif clause.marker == "co":
            role = "co"
        elif clause.label is not None:
            role = clause.label
        elif clause.marker == "share":
            role = "co" if has_lead else "lead"
        elif label_role is not None:
            role = label_role
        else:
            role = "co" if has_lead and lead_seen else "lead"
        lead_seen = lead_seen or role == "lead"
        unit_role = UnitRole.LEAD if role == "lead" else UnitRole.CO
        for raw, name, known in _names_with_prefix(clause.names, vocab):
            key = (name, unit_role)
            if key in seen:
                continue
            seen.add(key)
            out.append(UnitMention(raw=raw, name=name, role=unit_role, in_vocabulary=known))
    return out


def _names_with_prefix(names: list[str], vocab: Vocabulary) -> list[tuple[str, str, bool]]:
    """``(raw, canonical, in vocabulary)`` for the bodies of one clause, carrying the first body's prefix."""
    out: list[tuple[str, str, bool]] = []
    carry: str | None = None
    for i, raw in enumerate(names):
        folded = _fold(raw)
        if i == 0:
            prefix = _own_prefix(folded, vocab)
            if prefix and _is_department(folded, vocab):
                carry = prefix
        elif carry is not None:
            if _own_prefix(folded, vocab) or not _is_department(folded, vocab):
                carry = None
            else:
                folded = carry + folded
        name, known = canonical_unit(folded)
        out.append((raw, name, known))
    return out
