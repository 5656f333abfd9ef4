"""Numeric claims in prose: ``paragraph_to_claims`` turns one paragraph into typed :class:`Claim` objects.

A claim is the tuple (subject, quantity, period(s), value(s), unit) plus its kind: a number the prose states
about a period (``2017年全区发现隐患358处``: 全区, 发现隐患, 2017, 358, 处), an average (``整改率平均为95.5%``), a
statement over several periods (``整改率均为100%``, ``已全部整改完毕``), a ranking (``处于最高值，分别为48、15和42``),
a difference (``责成整改22项``), a total (``累计…``), a change from the period before (``较上年增长6%``), an average
growth (``年均增长10%``) or a share (``占比54.6%``), plus the references to tables and figures the sentence makes
(``详见表1``, ``如表3和图2所示``).

One reader produces every kind: the kind is the first row of ``pipeline/data/claims.tsv`` (``kind`` rows) whose
words hold at the number (or, for word claims such as 全部整改 and 最高值, whose pattern matches), so a plan's
new wording is a line of data. The code knows only *where* a row's words are looked for (its test) and how its
quantity is read.

Claims are internal (not part of the output contract): :mod:`pipeline.check.validate` reads them to check the
prose against the tables. Everything here works on patterns only (numbers, units, years, 表/图 N, area words)
and never on the wording of one gazette. Every regex is linear (no nested unbounded quantifiers over
overlapping classes), so arbitrary text of any length parses in linear time and never raises.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from pipeline.grammar.dates import SPAN_WORD as _SPAN_WORD
from pipeline.grammar.dates import YEAR_LIST as _YEAR_LIST
from pipeline.grammar.dates import YEAR_ONE as _YEAR_ONE
from pipeline.grammar.dates import YEAR_RANGE as _YEAR_RANGE
from pipeline.grammar.labels import TABLE_FIGURE_REF
from pipeline.grammar.numerals import count_word
from pipeline.grammar.vocabulary import claim_map, claim_pattern, claim_rows, claim_text, claim_words
from pipeline.grammar.width import fold_number

# --------------------------------------------------------------------------- types


class ClaimKind(StrEnum):
    VALUE = "value"  # a number for one period (or none stated)
    AVERAGE = "average"  # 平均 / 年均
    UNIVERSAL = "universal"  # 均为 / 均达到 / 全部整改: the same value for every stated period
    SUPERLATIVE = "superlative"  # 处于最高值 / 较低值 …
    DIFFERENCE = "difference"  # items left over: found − fixed (责成整改 / 未整改 …)
    TOTAL = "total"  # 合计 / 累计 over several periods
    CHANGE = "change"  # 较上年增长 6% / 减少 500户: from the period before (signed: 下降 is negative)
    AVERAGE_GROWTH = "average-growth"  # 年均增长 10%: compound growth from the first period to the last
    SHARE = "share"  # 占比 54.6%: the quantity's part of the table's whole (合计) in the period


class Rank(StrEnum):
    HIGHEST = "highest"
    HIGH = "high"
    LOW = "low"
    LOWEST = "lowest"


class Ref(BaseModel):
    """A reference to a numbered table or figure (``表 1``, ``图 3``)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["table", "figure"]
    number: int
    raw: str
    span: tuple[int, int]


class ClaimTuple(NamedTuple):
    """What a claim states, whatever its kind: about ``subject``, ``quantity`` over ``periods`` is ``values`` ``unit``."""

    subject: str | None
    quantity: str | None
    periods: tuple[int, ...]
    values: tuple[float, ...]
    unit: str | None


class Claim(BaseModel):
    """One numeric statement of a paragraph: :attr:`as_tuple` (subject, quantity, periods, values, unit) and its kind.

    ``subject`` is whom or where the claim is about, read by pattern at the start of its clause (a scope word:
    ``全区``, ``各镇（街道）``; a place name ending in an area word: ``甲镇``), else the subject of the claim before it
    in the paragraph, else the ``area`` the caller gives (the document's own area word); it may also open the
    quantity as printed (``甲镇受理诉求``: rows of a table may be subjects). ``periods`` are the years the claim
    is about (a range is expanded: 2016年—2020年 → 2016…2020); ``period_count`` is set for ``五年`` / ``三年``
    when no matching range could be found in the paragraph. ``quantity`` is the noun phrase the number counts
    (``发现隐患``, ``落实整改``, ``烟花爆竹零售点``), ``number``/``unit`` the figure as printed (a change is signed:
    ``下降5%`` → −5), ``decimals`` its printed precision.
    ``numbers`` holds listed values (``分别为48、15和42``) of a superlative. ``span`` is the character span
    of the claim's own text in the paragraph, ``sentence_span`` that of its sentence. ``refs`` are the
    table/figure references of the sentence. ``derived`` marks a claim implied by wording rather than
    printed as a number (``已全部整改完毕`` → a 100 % rectification rate).
    """

    model_config = ConfigDict(extra="forbid")

    kind: ClaimKind
    subject: str | None = None
    periods: list[int] = Field(default_factory=list)
    period_text: str | None = None
    period_count: int | None = None
    quantity: str | None = None
    number: float | None = None
    numbers: list[float] = Field(default_factory=list)
    unit: str | None = None
    decimals: int = 0
    rank: Rank | None = None
    sentence: str
    span: tuple[int, int]
    sentence_span: tuple[int, int]
    refs: list[Ref] = Field(default_factory=list)
    raw: str
    derived: bool = False

    @property
    def values(self) -> list[float]:
        """The stated value(s): the listed numbers of a superlative, else the one number (none for no number)."""
        if self.numbers:
            return list(self.numbers)
        return [self.number] if self.number is not None else []

    @property
    def as_tuple(self) -> ClaimTuple:
        """The claim as (subject, quantity, periods, values, unit)."""
        return ClaimTuple(self.subject, self.quantity, tuple(self.periods), tuple(self.values), self.unit)


# --------------------------------------------------------------------------- patterns


_SENTENCE_END = frozenset("。；;！？!?")
_REF = TABLE_FIGURE_REF
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")
_UNIT = claim_text("count-unit-re")
_UNIT_ALIAS = claim_map("unit-alias")
_NUMBER = re.compile(r"(?<![\d.表图第])(?<![表图第]\s)(\d{1,12}(?:\.\d{1,6})?)\s{0,2}(" + _UNIT + r")")
_LIST = re.compile(
    r"分别(?:为|是|达到?)?\s{0,3}(\d{1,12}(?:\.\d{1,6})?(?:\s{0,3}[、，,和及与]\s{0,3}\d{1,12}(?:\.\d{1,6})?)+)"
    r"\s{0,2}(" + _UNIT + r")?"
)


@dataclass(frozen=True, slots=True)
class KindRule:
    """One ``kind`` row of the claim vocabulary: where its words are looked for (``test``), the kind they give,
    and how the claim's quantity is read (``clause`` | ``split`` | ``previous``); ``unless``: words between the
    row's word and the number that undo it (较上年增长**到** 380 件 is a level, not a change)."""

    kind: ClaimKind
    test: str
    words: tuple[str, ...]
    pattern: re.Pattern[str] | None
    quantity: str
    unless: re.Pattern[str] | None = None

    def _before(self, clause_prefix: str) -> bool:
        """A word of the row stands in the clause before the number (and no ``unless`` word after it)."""
        if self.unless is None:
            return any(w in clause_prefix for w in self.words)
        ends = [clause_prefix.rfind(w) + len(w) for w in self.words if w in clause_prefix]
        return bool(ends) and not self.unless.search(clause_prefix[max(ends) :])

    def holds(self, clause_prefix: str, quantity: str, periods: list[int]) -> bool:
        """Reads the clause before a number, its quantity and its years; True when this row claims the number."""
        if self.test == "before":
            return self._before(clause_prefix)
        if self.test == "ends":
            return any(clause_prefix.endswith(w) for w in self.words)
        if self.test == "several":
            return len(periods) > 1 and self._before(clause_prefix)
        return self.test == "quantity-re" and self.pattern is not None and bool(self.pattern.search(quantity))


_NUMBER_TESTS = ("before", "ends", "several", "quantity-re")
_WORD_TESTS = ("all-done-re", "rank-re")  # word claims: a pattern of their own, no number of their own
_QUANTITY_MODES = ("clause", "split", "previous")


def _kind_rule(row: tuple[str, ...]) -> KindRule:
    """A ``kind`` row (name, test, words, quantity[, unless]) as a rule; a malformed row raises (a data error the
    tests catch)."""
    if len(row) not in (4, 5):
        raise ValueError(f"claims.tsv: bad kind row {row!r}")
    name, test, words, quantity = row[:4]
    if test not in _NUMBER_TESTS + _WORD_TESTS or quantity not in _QUANTITY_MODES:
        raise ValueError(f"claims.tsv: bad kind row {row!r}")
    is_re = test.endswith("-re")
    return KindRule(
        ClaimKind(name),
        test,
        () if is_re else tuple(w for w in words.split("|") if w),
        re.compile(words) if is_re else None,
        quantity,
        re.compile(row[4]) if len(row) == 5 and row[4] else None,
    )


KIND_RULES: tuple[KindRule, ...] = tuple(_kind_rule(row) for row in claim_rows("kind"))
_NUMBER_RULES = tuple(r for r in KIND_RULES if r.test in _NUMBER_TESTS)
_WORD_RULES = tuple(r for r in KIND_RULES if r.test in _WORD_TESTS)
# words after which a quantity is read (平均 / 年均增长 / 较上年 / 占比 …): the split rows', in file order
# with what follows them and is no quantity: direction words (增长, 下降) and the row's unless words (到, 达)
_SPLIT_WORDS = tuple(
    (w, re.compile("^(?:" + r.unless.pattern + ")+") if r.unless is not None else None)
    for r in _NUMBER_RULES
    if r.quantity != "clause"
    for w in r.words
)
_UNIVERSAL_WORDS = tuple(w for r in _NUMBER_RULES if r.kind == ClaimKind.UNIVERSAL for w in r.words)
_RANK_WORDS = {word: Rank(rank) for word, rank in claim_map("rank").items()}
_RANK_LEAD = claim_words("rank-lead")
_ALL_DONE_QUANTITY = claim_text("all-done-quantity")
_UP = claim_words("change-up")
_DOWN = claim_words("change-down")
_DIRECTION = re.compile("^(?:" + "|".join(map(re.escape, _UP + _DOWN)) + ")+")
_STANDALONE = tuple(r.pattern for r in _WORD_RULES if r.test == "all-done-re" and r.pattern is not None)
_SUBJECT = claim_pattern("subject-re")
_SUBJECT_LEAD = claim_pattern("subject-lead-re")
_FILLER_HEAD = claim_pattern("filler-head-re")
_FILLER_TAIL = claim_pattern("filler-tail-re")
_QUANTITY_STOPS = claim_words("quantity-stop")
_CLAUSE_BREAK = frozenset("，,、：:（）()")
_CLAUSE_STARTS = frozenset("，,、：:（(；;")
_SUBJECT_BREAKS = frozenset("，,、：:；;")
_MAX_SENTENCE = 600  # longer "sentences" are kept as a window around each claim
_WINDOW = 120
_PREFIX_WINDOW = 60
_SUBJECT_WINDOW = 40  # a subject opens its clause: only that many characters are read for it

MAX_CLAIMS = 500  # per paragraph: real prose has a few dozen; more is noise (keeps parsing bounded)
MAX_REFS = 100  # per text
MAX_SENTENCES = 1000  # sentences with a number examined per paragraph (real paragraphs have a few dozen)
_MAX_PERIOD = 60  # a range longer than this is not a period of a statistical table


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _decimals(num: str) -> int:
    return len(num.split(".", 1)[1]) if "." in num else 0


def _norm_unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    u = _clean(unit).replace("（", "(").replace("）", ")")
    return _UNIT_ALIAS.get(u, u)


def text_to_refs(text: str) -> list[Ref]:
    """Read a text; return its table/figure references (``表 1`` → table 1) in order.

    Guaranteed: never raises; each Ref's ``span`` indexes ``text``; at most ``MAX_REFS`` refs.
    """
    t = fold_number(text)
    out: list[Ref] = []
    for m in _REF.finditer(t):
        start = m.start()
        # "代表1" / "列表2" are not references; "详见表1", "由表2", "如表3和图2" are
        if start > 0 and t[start - 1] in "代列发附":
            continue
        kind: Literal["table", "figure"] = "table" if m.group(1) == "表" else "figure"
        out.append(Ref(kind=kind, number=int(m.group(2)), raw=text[m.start() : m.end()], span=(m.start(), m.end())))
        if len(out) >= MAX_REFS:
            break
    return out


def text_to_sentences(text: str) -> list[tuple[int, int]]:
    """Split a text on 。；！？ (and ASCII ; ! ?); return the (start, end) span of each non-empty sentence.

    The terminator belongs to its sentence; a terminator alone (``。。``) is no sentence.
    Guaranteed: spans are in order and do not overlap; never raises.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for i, ch in enumerate(text):
        if ch in _SENTENCE_END:
            if text[start:i].strip():
                spans.append((start, i + 1))
            start = i + 1
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


class _Years:
    """Year expressions of one sentence: (start, end, years, printed text), in order."""

    def __init__(self, sentence: str) -> None:
        found: list[tuple[int, int, list[int], str]] = []
        mask = bytearray(len(sentence) + 1)

        def free(a: int, b: int) -> bool:
            return not any(mask[a:b])

        def take(a: int, b: int) -> None:
            mask[a:b] = b"\x01" * (b - a)

        for m in _YEAR_RANGE.finditer(sentence):
            a, b = int(m.group(1)), int(m.group(2))
            if a < b <= a + _MAX_PERIOD:
                found.append((m.start(), m.end(), list(range(a, b + 1)), m.group(0)))
                take(m.start(), m.end())
        for m in _YEAR_LIST.finditer(sentence):
            if free(m.start(), m.end()):
                years = [int(y) for y in _YEAR_DIGITS.findall(m.group(0))]
                found.append((m.start(), m.end(), years, m.group(0)))
                take(m.start(), m.end())
        for m in _YEAR_ONE.finditer(sentence):
            if free(m.start(), m.end()):
                found.append((m.start(), m.end(), [int(m.group(1))], m.group(0)))
                take(m.start(), m.end())
        found.sort()
        self.items = found
        self.ends = [e for _, e, _, _ in found]

    def before(self, pos: int) -> tuple[int, int, list[int], str] | None:
        """The last year expression ending at or before ``pos``."""
        i = bisect_right(self.ends, pos)
        return self.items[i - 1] if i else None


def _span_count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return count_word(word)


def _strip_filler(q: str) -> str:
    q = _SPAN_WORD.sub("", q)
    for w in _UNIVERSAL_WORDS:
        if q.endswith(w):
            q = q[: -len(w)]
    q = _FILLER_HEAD.sub("", q)
    q = _FILLER_TAIL.sub("", q)
    return _clean(q.strip("的"))


def _quantity_before(prefix: str) -> str:
    """The quantity in the clause before a number: after a split word (平均, 较上年 … with 增长/下降 and the row's
    unless words dropped), else before it; without a split word, the clause with its filler stripped."""
    for w, unless in _SPLIT_WORDS:
        if w in prefix:
            k = prefix.rindex(w)
            after = _DIRECTION.sub("", prefix[k + len(w) :])
            if unless is not None:
                after = unless.sub("", after)
            return _strip_filler(after) or _strip_filler(prefix[:k])
    return _strip_filler(prefix)


def _signed(rule: KindRule, clause_prefix: str, number: float) -> float:
    """A change's number with its direction: negative when the last direction word before it means down."""
    if rule.kind != ClaimKind.CHANGE:
        return number
    last_up = max((clause_prefix.rfind(w) for w in _UP), default=-1)
    last_down = max((clause_prefix.rfind(w) for w in _DOWN), default=-1)
    return -number if last_down > last_up else number


def clause_to_subject(clause: str) -> str | None:
    """Read the start of a clause (after its years); return whom or where it speaks of: a scope word (全区,
    各镇（街道）) or a place name ending in an area word (甲镇), by the vocabulary's ``subject-re``; else None.

    Guaranteed: never raises; the subject is a prefix of the clause once its lead words (其中, 对 …) are dropped.
    """
    m = _SUBJECT.match(_SUBJECT_LEAD.sub("", clause[:_SUBJECT_WINDOW]))
    return _clean(m.group(0)) if m else None


def _quantity_after(sentence: str, pos: int) -> str:
    end = pos
    n = len(sentence)
    while end < n and end - pos < 40 and sentence[end] not in _CLAUSE_BREAK and sentence[end] not in _SENTENCE_END:
        end += 1
    tail = sentence[pos:end]
    for stop in _QUANTITY_STOPS:
        if stop in tail:
            tail = tail[: tail.index(stop)]
    return _clean(tail).strip("的")


def _window(sentence: str, a: int, b: int) -> str:
    """The sentence, or a window of it around [a, b) when the sentence is implausibly long."""
    if len(sentence) <= _MAX_SENTENCE:
        return sentence
    return sentence[max(0, a - _WINDOW) : b + _WINDOW]


class _Sentence:
    """Index of one sentence: clause breaks, span words (五年), 分别为 lists, for O(log n) look-ups."""

    def __init__(self, sentence: str) -> None:
        self.text = sentence
        self.breaks = [i for i, ch in enumerate(sentence) if ch in _CLAUSE_STARTS]
        self.subject_breaks = [i for i, ch in enumerate(sentence) if ch in _SUBJECT_BREAKS]
        self.span_words = [(m.start(), m.end(), _span_count(m.group(1))) for m in _SPAN_WORD.finditer(sentence)]
        self.span_ends = [b for _, b, _ in self.span_words]
        self.lists = list(_LIST.finditer(sentence))
        self.list_starts = [m.start() for m in self.lists]

    def clause_start(self, pos: int) -> int:
        i = bisect_right(self.breaks, pos - 1)
        return self.breaks[i - 1] + 1 if i else 0

    def subject_start(self, pos: int) -> int:
        """Where the clause holding ``pos`` starts for its subject (brackets do not break it: 各镇（街道）)."""
        i = bisect_right(self.subject_breaks, pos - 1)
        return self.subject_breaks[i - 1] + 1 if i else 0

    def span_word(self, pos: int, floor: int) -> tuple[int, int, int | None] | None:
        i = bisect_right(self.span_ends, pos)
        if i and self.span_words[i - 1][0] >= floor:
            return self.span_words[i - 1]
        return None

    def in_list(self, pos: int) -> bool:
        i = bisect_right(self.list_starts, pos)
        return bool(i) and pos < self.lists[i - 1].end()

    def list_after(self, pos: int) -> re.Match[str] | None:
        i = bisect_right(self.list_starts, pos - 1)
        if i < len(self.lists) and self.lists[i].start() - pos <= 6:
            return self.lists[i]
        return None


def paragraph_to_claims(text: str, area: str | None = None) -> list[Claim]:
    """Read one paragraph's text (whitespace-normalised as printed); return its numeric claims in order.

    Sentences are split on 。；！？. Years carry over from one sentence to the next within the
    paragraph until a new year expression appears; ``五年`` resolves to the last range of that length
    stated earlier in the paragraph (else ``period_count`` is set and ``periods`` left empty). Subjects carry
    over the same way; ``area`` (the document's own area word, when the caller knows it) is the subject of the
    claims before any is stated.

    Guaranteed after: never raises on any text; linear time in the text length (up to a log factor);
    every claim's ``span`` and ``sentence_span`` index ``text``; ``derived`` claims (``全部整改``) have
    number 100 and unit ``%``; numbers listed after ``分别为`` only appear in the superlative claim they
    belong to; a superlative without a list repeats the numeric claim it qualifies, with ``rank`` set;
    at most ``MAX_CLAIMS`` claims (the first ones) per paragraph, from its first ``MAX_SENTENCES`` sentences
    that hold a number.
    """
    work = fold_number(text)
    # one pass per pattern over the whole paragraph: sentences without a number, a stand-alone word claim
    # (全部整改) or a 分别为 list cannot hold a claim (a 最高值 needs one of them in its sentence) and are skipped
    patterns = (_NUMBER, *_STANDALONE, _LIST)
    candidates = sorted(m.start() for pattern in patterns for m in pattern.finditer(work))
    if not candidates:
        return []
    years = _Years(work).items
    state = _State(area)
    claims: list[Claim] = []
    k = 0
    examined = 0
    for s0, s1 in text_to_sentences(work):
        i = bisect_left(candidates, s0)
        if i == len(candidates) or candidates[i] >= s1:
            continue
        examined += 1
        if examined > MAX_SENTENCES:
            break
        while k < len(years) and years[k][1] <= s0:  # years stated in the sentences before this one
            state.note(years[k])
            k += 1
        claims.extend(_sentence_to_claims(text, work, s0, s1, state))
        if len(claims) >= MAX_CLAIMS:
            return claims[:MAX_CLAIMS]
    return claims


class _State:
    """What carries from one sentence to the next within a paragraph: years, year ranges, the subject."""

    def __init__(self, area: str | None = None) -> None:
        self.carried: tuple[list[int], str] | None = None
        self.ranges: dict[int, list[int]] = {}  # length → the last year range of that length stated so far
        self.subject = area

    def note(self, item: tuple[int, int, list[int], str]) -> None:
        """Take in a year expression (start, end, years, printed text) stated in the paragraph."""
        ys = item[2]
        if len(ys) > 1 and ys == list(range(ys[0], ys[-1] + 1)):
            self.ranges[len(ys)] = ys
        self.carried = (ys, item[3])


# numbers are event 0; word claims follow in the order of their rows (all-done, then rank, as in the data)
_NUMBER_EVENT = 0


def _sentence_events(sentence: str) -> list[tuple[int, int, re.Match[str]]]:
    """Reads a sentence; returns its numbers (0) and word claims (1 + their row among the word rules) as
    (start, what, match), in reading order."""
    events: list[tuple[int, int, re.Match[str]]] = [(m.start(), _NUMBER_EVENT, m) for m in _NUMBER.finditer(sentence)]
    for n, rule in enumerate(_WORD_RULES, start=1):
        assert rule.pattern is not None
        events += [(m.start(), n, m) for m in rule.pattern.finditer(sentence)]
    events.sort(key=lambda e: (e[0], e[1]))
    return events


def _number_rule(clause_prefix: str, quantity: str, periods: list[int]) -> KindRule | None:
    """Reads the clause before a number, its quantity and its years; returns the first vocabulary row that claims
    it (None: a plain value)."""
    return next((r for r in _NUMBER_RULES if r.holds(clause_prefix, quantity, periods)), None)


class _SentenceReader:
    """One sentence being read into claims: its years, references, clause index and the claims so far."""

    def __init__(self, text: str, work: str, s0: int, s1: int, state: _State) -> None:
        self.text = text
        self.s0 = s0
        self.s1 = s1
        self.sentence = work[s0:s1]
        self.raw_sentence = text[s0:s1]
        self.carried = state.carried  # as before this sentence's own years are noted
        self.ranges = state.ranges
        self.state = state
        self.years = _Years(self.sentence)
        self.claims: list[Claim] = []
        self.last_end = 0
        self.last_numeric: Claim | None = None
        self.refs: list[Ref] = []
        self.idx: _Sentence | None = None

    def start(self) -> None:
        """Reads the sentence's references and clause index (only needed when it has events)."""
        s0 = self.s0
        self.refs = [
            r.model_copy(update={"span": (r.span[0] + s0, r.span[1] + s0)}) for r in text_to_refs(self.sentence)
        ]
        self.idx = _Sentence(self.sentence)

    @property
    def index(self) -> _Sentence:
        """Reads nothing; returns the clause index made by ``start``."""
        assert self.idx is not None
        return self.idx

    def periods_at(self, pos: int, floor: int) -> tuple[list[int], str | None, int | None]:
        """The years in force at ``pos``; a span word (五年) after ``floor`` overrides them."""
        word = self.index.span_word(pos, floor)
        if word is not None and word[2]:
            a, b, count = word
            match = self.ranges.get(count or 0)
            if match:
                return list(match), self.sentence[a:b], None
            return [], self.sentence[a:b], count
        ye = self.years.before(pos)
        if ye is not None:
            return list(ye[2]), ye[3], None
        if self.carried is not None:
            return list(self.carried[0]), self.carried[1], None
        return [], None, None

    def subject_at(self, pos: int) -> str | None:
        """The subject of a claim at ``pos``: read at the start of its clause (after its years), else carried."""
        ye = self.years.before(pos)
        start = max(self.index.subject_start(pos), ye[1] if ye else 0)
        found = clause_to_subject(self.sentence[start : min(pos, start + _SUBJECT_WINDOW)])
        if found is not None:
            self.state.subject = found
        return self.state.subject

    def add(self, kind: ClaimKind, a: int, b: int, pos: int, floor: int = 0, **kw: object) -> Claim:
        """The one claim maker: reads the claim's span ``sentence[a:b]``, its periods (a span word after ``floor``
        counts) and subject at ``pos`` and its fields (quantity, values, unit …; a ``subject`` given overrides
        the one read); adds the Claim with its sentence, refs and raw text."""
        periods, ptext, pcount = self.periods_at(pos, floor)
        fields: dict[str, object] = {"periods": periods, "period_text": ptext, "period_count": pcount}
        fields["subject"] = self.subject_at(pos)
        fields.update(kw)
        s0 = self.s0
        claim = Claim(
            kind=kind,
            sentence=_window(self.raw_sentence, a, b),
            sentence_span=(s0, self.s1),
            refs=self.refs,
            span=(s0 + a, s0 + b),
            raw=self.text[s0 + a : s0 + b],
            **fields,
        )
        self.claims.append(claim)
        return claim

    def read(self, pos: int, what: int, m: re.Match[str]) -> None:
        """Reads the event ``what`` matched at ``pos``: a number (0) or the word claim of a vocabulary row."""
        if what == _NUMBER_EVENT:
            self.number(pos, m)
            return
        rule = _WORD_RULES[what - 1]
        if rule.test == "all-done-re":
            self.last_numeric = self.add(
                rule.kind, m.start(), m.end(), pos, quantity=_ALL_DONE_QUANTITY, number=100.0, unit="%", derived=True
            )
        else:
            self.rank(rule, pos, m)

    def number(self, pos: int, m: re.Match[str]) -> None:
        """Reads the number matched at ``pos``; adds its claim (its kind from the vocabulary) unless it is listed."""
        idx = self.index
        if idx.in_list(pos):
            return
        sentence = self.sentence
        ye = self.years.before(pos)
        cstart = idx.clause_start(pos)
        prefix_start = max(self.last_end, ye[1] if ye else 0, cstart)
        quantity = _quantity_before(sentence[prefix_start:pos]) or _quantity_after(sentence, m.end())
        periods = self.periods_at(pos, prefix_start)[0]
        clause_prefix = sentence[max(cstart, pos - _PREFIX_WINDOW) : pos]
        rule = _number_rule(clause_prefix, quantity, periods)
        kind = rule.kind if rule is not None else ClaimKind.VALUE
        previous: dict[str, object] = {}
        if not quantity and rule is not None and rule.quantity == "previous" and self.last_numeric is not None:
            quantity = self.last_numeric.quantity or ""  # 较上年增长6% after 受理340件: about 受理, and its subject
            previous["subject"] = self.last_numeric.subject
        num = m.group(1)
        claim = self.add(
            kind,
            prefix_start,
            m.end(),
            pos,
            floor=prefix_start,
            quantity=quantity or None,
            number=_signed(rule, clause_prefix, float(num)) if rule is not None else float(num),
            unit=_norm_unit(m.group(2)),
            decimals=_decimals(num),
            **previous,
        )
        self.last_numeric = claim
        self.last_end = m.end()

    def rank(self, rule: KindRule, pos: int, m: re.Match[str]) -> None:
        """Reads the rank word matched at ``pos``; adds its claim over the list after it or the last number."""
        lead = self.sentence[max(0, pos - 3) : pos]
        if not (m.group(2) or any(lead.endswith(w) for w in _RANK_LEAD)):
            return
        rank = _RANK_WORDS[m.group(1)]
        listed = self.index.list_after(m.end())
        if listed is not None:
            printed = re.findall(r"\d{1,12}(?:\.\d{1,6})?", listed.group(1))
            self.add(
                rule.kind,
                m.start(),
                listed.end(),
                pos,
                numbers=[float(v) for v in printed],
                unit=_norm_unit(listed.group(2)),
                decimals=max((_decimals(v) for v in printed), default=0),
                rank=rank,
            )
        elif self.last_numeric is not None:
            s0 = self.s0
            a = self.last_numeric.span[0] - s0
            self.claims.append(
                self.last_numeric.model_copy(
                    update={
                        "kind": rule.kind,
                        "rank": rank,
                        "span": (s0 + a, s0 + m.end()),
                        "raw": self.text[s0 + a : s0 + m.end()],
                    }
                )
            )


def _sentence_to_claims(text: str, work: str, s0: int, s1: int, state: _State) -> list[Claim]:
    """The claims of the sentence ``work[s0:s1]`` (``text`` is the paragraph as given, ``work`` its ASCII-digit twin)."""
    reader = _SentenceReader(text, work, s0, s1, state)
    for item in reader.years.items:
        state.note(item)
    events = _sentence_events(reader.sentence)
    if not events:
        return reader.claims
    reader.start()
    for pos, what, m in events:
        if len(reader.claims) >= MAX_CLAIMS:
            break
        reader.read(pos, what, m)
    return reader.claims
