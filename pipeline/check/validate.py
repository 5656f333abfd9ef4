"""Consistency validators: check a gazette against itself and report :class:`schemas.model.Finding`.

``issue_to_findings(issue)`` runs every rule of :data:`RULES` over an Issue:

- V1xx prose claims against the tables they talk about (values, averages, 均为 100 %, superlatives,
  differences, totals; V190–V192 changes from the period before, average growth, shares of the 合计 row). Each
  kind of claim has one check (``_SERIES_CHECKS``); the kind itself comes from the vocabulary. Claims come from :func:`pipeline.check.claims.paragraph_to_claims`; a claim is linked
  to a table by an explicit reference (``详见表1``) in its sentence, its paragraph or the paragraphs just
  before it under the same heading, else by nearness (the closest statistical table above it under the
  same heading); a claim is linked to a series by its quantity words (``发现隐患`` ⊂ ``发现隐患问题``), else
  loosely by role (found / fixed / inspected entities: ``完成隐患整改`` ↔ ``落实整改``).
- V2xx table arithmetic and sanity (合计 rows, 勾稽关系 notes, rates above 100 %, fixed > found).
- V3xx structure: 序号 columns, numbered paragraphs, outline numbering, TOC titles and pages.
- V4xx dates and document numbers, deadlines outside a plan's period.
- V5xx footnotes, references and figure-only data.

A passing check produces no finding, with one documented exception: V104 (info) says when a stated
average of rates is the mean of the yearly rates rather than the pooled rate (Σfixed / Σfound), since
readers usually assume the latter. A problem in the content is a finding, never an exception.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from pipeline.check.claims import Claim, ClaimKind, Rank, clause_to_subject, paragraph_to_claims, text_to_refs
from pipeline.errors import FINDINGS
from pipeline.grammar import vocabulary
from pipeline.grammar.dates import FIVE_YEAR, TITLE_YEAR_RANGE
from pipeline.grammar.labels import CAPTION_START, ITEM_REFERENCE, NUMBERING_STYLES
from pipeline.grammar.numerals import small_cn_to_int
from pipeline.i18n import pick
from schemas.model import (
    Attachment,
    Deadline,
    Document,
    Evidence,
    Figure,
    Finding,
    Heading,
    Issue,
    Paragraph,
    Series,
    Severity,
    Source,
    StatTable,
    Table,
    TablePart,
    Task,
    TocEntry,
)

# --------------------------------------------------------------------------- registry

# The rules, from the code registry: code → (rule name, severity, English text).
RULES: dict[str, tuple[str, Severity, str]] = {code: (r.name, r.severity, r.en) for code, r in FINDINGS.items()}


def _zh_message(code: str, expected: str | None, actual: str | None) -> str:
    """The Chinese message of a finding: the registry's text, then what was expected and what was printed."""
    parts = [f"应为 {expected}" if expected is not None else "", f"实为 {actual}" if actual is not None else ""]
    detail = "，".join(p for p in parts if p)
    return f"[{code}] {FINDINGS[code].zh}" + (f"（{detail}）" if detail else "")


def _finding(
    code: str,
    message: str,
    location: Source,
    *,
    expected: str | None = None,
    actual: str | None = None,
    evidence: list[Evidence] | None = None,
    document_id: str | None = None,
) -> Finding:
    slug, severity, _ = RULES[code]
    return Finding(
        code=code,
        severity=severity,
        message=pick(_zh_message(code, expected, actual), f"[{code}] {message}"),
        expected=expected,
        actual=actual,
        location=location,
        rule=slug,
        document_id=document_id,
        evidence=evidence or [],
    )


# --------------------------------------------------------------------------- small helpers

_WS = re.compile(r"\s+")
_UNIT_IN_LABEL = re.compile(r"[（(][^（）()]{0,8}[)）]\s*$")
_YEAR = re.compile(r"(?:19|20)\d\d")
_NEGATIVE = vocabulary.claim_pattern("role-negative-re")
_ORDER = vocabulary.claim_words("role-order")
_FIXED = vocabulary.claim_pattern("role-done-re")
_FOUND = vocabulary.claim_pattern("role-found-re")
_ENTITY = vocabulary.claim_pattern("role-entity-re")
_ENTITY_CONTEXT = vocabulary.claim_words("role-entity-context")
_RATE_WORD = vocabulary.claim_text("rate-word")
_BOUNDED_RATE = vocabulary.claim_pattern("bounded-rate-re")  # shares of a whole: never above 100 % (unlike 增长率)
_TOTAL_LABEL = vocabulary.header("total", prefix=True)
_TOTAL_WORD = vocabulary.header("total")  # the whole of a share: a row named 合计 / 总计 … anywhere in its label
_HEAD = 2  # characters of a quantity's head (its verb or noun: 受理, 培训, 检查) compared by the unit match


def _norm(text: str | None) -> str:
    return _WS.sub("", text or "").replace("（", "(").replace("）", ")")


def _fmt(x: float | None) -> str:
    if x is None:
        return "—"
    return str(int(x)) if float(x).is_integer() else f"{x:.4f}".rstrip("0").rstrip(".")


def _tol(decimals: int) -> float:
    return 0.5 * 10.0 ** (-decimals) + 1e-9


def _pos(src: Source | None) -> tuple[float, float] | None:
    """A sortable reading position: text line, else (pdf page, top), else printed page."""
    if src is None:
        return None
    if src.line is not None:
        return (float(src.line), 0.0)
    if src.pdf_page is not None:
        return (float(src.pdf_page), src.bbox[1] if src.bbox else 0.0)
    if src.page is not None:
        return (float(src.page), 0.0)
    return None


def _series_quantity(s: Series) -> str:
    return _norm(s.quantity) or _UNIT_IN_LABEL.sub("", _norm(s.label))


def _series_unit(s: Series) -> str | None:
    """A series' unit: as parsed, else the bracketed tail of its label (``受理件数（件）`` → 件)."""
    if s.unit:
        return _norm(s.unit)
    m = _UNIT_IN_LABEL.search(_norm(s.label))
    return m.group(0)[1:-1] if m else None


def _role(quantity: str, sentence: str = "") -> str | None:
    """found / fixed / entities / order / rate, from the words of a quantity (and its sentence)."""
    if not quantity or _NEGATIVE.search(quantity):
        return None
    if _RATE_WORD in quantity:
        return "rate"
    if any(w in quantity for w in _ORDER):
        return "order"
    if _FIXED.search(quantity):
        return "fixed"
    if _FOUND.search(quantity):
        return "found"
    if _ENTITY.search(quantity) and any(w in quantity or w in sentence for w in _ENTITY_CONTEXT):
        return "entities"
    return None


def _unit_weak(claim_unit: str | None, series_unit: str | None) -> bool:
    """家次 vs 家: one side counts visits (…次), the other counts entities."""
    if not claim_unit or not series_unit:
        return False
    return ("次" in claim_unit) != ("次" in _norm(series_unit))


# --------------------------------------------------------------------------- statistical tables


@dataclass
class _Stat:
    """A statistical table with what the claim checks need: years → column, roles of the series."""

    stat: StatTable
    table: Table | None
    years: dict[int, int]
    found: int | None
    fixed: int | None

    @classmethod
    def build(cls, stat: StatTable, table: Table | None) -> _Stat:
        years: dict[int, int] = {}
        for j, col in enumerate(stat.columns):
            m = _YEAR.search(col)
            if m and int(m.group(0)) not in years:
                years[int(m.group(0))] = j
        roles = [_role(_series_quantity(s)) for s in stat.series]
        found = [i for i, r in enumerate(roles) if r == "found"]
        fixed = [i for i, r in enumerate(roles) if r == "fixed"]
        return cls(stat, table, years, found[0] if len(found) == 1 else None, fixed[0] if len(fixed) == 1 else None)

    @property
    def name(self) -> str:
        if self.stat.number is not None:
            return f"表{self.stat.number}"
        if self.table is not None and self.table.number is not None:
            return f"表{self.table.number}"
        return self.stat.caption or self.stat.table_id

    def value(self, series: int, year: int) -> float | None:
        j = self.years.get(year)
        if j is None:
            return None
        values = self.stat.series[series].values
        return values[j] if j < len(values) else None

    def rate(self, year: int) -> float | None:
        if self.found is None or self.fixed is None:
            return None
        found, fixed = self.value(self.found, year), self.value(self.fixed, year)
        if found is None or fixed is None or found == 0:
            return None
        return fixed / found * 100.0

    def body_row(self, series: int) -> int:
        label = _norm(self.stat.series[series].label)
        if self.table is not None:
            for r, row in enumerate(self.table.rows):
                first = next((c for c in row if c), None)
                if first is not None and _norm(first) == label:
                    return r
        return series

    def table_col(self, column: int) -> int:
        col = self.stat.columns[column]
        if self.table is not None:
            for header in reversed(self.table.header):
                for c, text in enumerate(header):
                    if _norm(text) == _norm(col):
                        return c
        return column + 1

    def cell_evidence(self, series: int, year: int, role: str = "table-cell") -> Evidence:
        """The table cell of ``series`` in the column of ``year``, with its Source."""
        s = self.stat.series[series]
        j = self.years.get(year, 0)
        value = self.value(series, year)
        r, c = self.body_row(series), self.table_col(j)
        src: Source | None = None
        text: str | None = None
        if self.table is not None:
            for cell in self.table.cells:
                if cell.part == TablePart.BODY and cell.row <= r < cell.row + cell.rowspan and cell.col == c:
                    src, text = cell.source, cell.text
                    break
            if text is None and r < len(self.table.rows) and c < len(self.table.rows[r]):
                text = self.table.rows[r][c]
            if src is None:
                page = self.table.row_pages[r] if r < len(self.table.row_pages) else None
                base = self.table.source or Source()
                src = base.model_copy(update={"page": page if page is not None else base.page, "text": text})
        if src is None:
            src = s.source or Source(text=_fmt(value))
        return Evidence(role=role, text=f"{self.name} {s.label} {self.stat.columns[j]}", value=_fmt(value), source=src)


# --------------------------------------------------------------------------- containers and links


@dataclass
class _Container:
    """The paragraphs, tables and figures of one attachment (or one document's own body)."""

    doc_id: str
    body: list[Paragraph]
    tables: list[Table] = field(default_factory=list)
    stats: list[_Stat] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    area: str | None = None  # the document's own area word (its issuer's place name): the default claim subject

    @classmethod
    def of(cls, doc: Document, att: Attachment | None) -> _Container:
        area = clause_to_subject(doc.issuer) if doc.issuer else None
        if att is None:
            return cls(doc.id, doc.body, area=area)
        by_id = {t.id: t for t in att.tables}
        stats = [_Stat.build(s, by_id.get(s.table_id)) for s in att.statistics]
        return cls(doc.id, att.body, att.tables, stats, att.figures, area)

    def stat_by_number(self, number: int) -> _Stat | None:
        for st in self.stats:
            n = st.stat.number if st.stat.number is not None else (st.table.number if st.table else None)
            if n == number:
                return st
        return None


_CAPTION = CAPTION_START


@dataclass
class _Link:
    stats: list[_Stat]
    how: str  # sentence | paragraph | previous | near | figure | none
    figures: list[int]


def _referenced_stats(box: _Container, text: str) -> list[_Stat]:
    """Reads a paragraph's text; returns the statistical tables of ``box`` its 表 N references name."""
    return [st for r in text_to_refs(text) if r.kind == "table" for st in [box.stat_by_number(r.number)] if st]


def _previous_stats(box: _Container, i: int) -> list[_Stat]:
    """Reads the (up to two) paragraphs before ``i`` under its heading, captions skipped; returns the tables they name."""
    para = box.body[i]
    for k in range(i - 1, max(-1, i - 3), -1):
        prev = box.body[k]
        if prev.heading_id != para.heading_id:
            break
        if _CAPTION.match(prev.text):
            continue
        prev_tables = _referenced_stats(box, prev.text)
        if prev_tables:
            return prev_tables
    return []


def _nearest_stat(box: _Container, para: Paragraph) -> _Stat | None:
    """Reads the tables of ``box``; returns the nearest one above ``para`` with no other heading's paragraph between."""
    here = _pos(para.source)
    if here is None:
        return None
    best: tuple[tuple[float, float], _Stat] | None = None
    for st in box.stats:
        at = _pos(st.table.source if st.table else None)
        if at is not None and at < here and (best is None or at > best[0]):
            best = (at, st)
    if best is None:
        return None
    between = [p for p in box.body if (q := _pos(p.source)) is not None and best[0] < q < here]
    if all(p.heading_id == para.heading_id for p in between):
        return best[1]
    return None


def _paragraph_links(box: _Container, i: int) -> _Link:
    """How paragraph ``i``'s claims link to tables (a reference in a claim's own sentence overrides this).

    In order: the paragraph's own 表 N references; those of the (up to two) paragraphs before it under
    the same heading, captions skipped; figure-only when it refers to figures (图 N) alone; else the
    nearest statistical table above it with no paragraph of another heading in between.
    """
    para = box.body[i]
    refs = text_to_refs(para.text)
    table_refs = [st for r in refs if r.kind == "table" for st in [box.stat_by_number(r.number)] if st]
    figures = [r.number for r in refs if r.kind == "figure"]
    if table_refs:
        return _Link(table_refs, "paragraph", figures)
    prev_tables = _previous_stats(box, i)
    if prev_tables:
        return _Link(prev_tables, "previous", figures)
    if figures:
        return _Link([], "figure", figures)
    near = _nearest_stat(box, para)
    if near is not None:
        return _Link([near], "near", [])
    return _Link([], "none", [])


def _match_series(st: _Stat, claim: Claim) -> tuple[int, str] | None:
    """The series a claim counts: (index, "strong" | "loose"), or None."""
    q = _norm(claim.quantity)
    if len(q) < 2 or _NEGATIVE.search(q):
        return None
    qrole = _role(q, claim.sentence)
    strong: list[int] = []
    for i, s in enumerate(st.stat.series):
        sq = _series_quantity(s)
        if len(sq) >= 2 and (sq in q or q in sq):
            strong.append(i)
    if len(strong) > 1:
        same_role = [i for i in strong if _role(_series_quantity(st.stat.series[i])) == qrole]
        strong = same_role or strong
        strong.sort(key=lambda i: -len(_series_quantity(st.stat.series[i])))
    if strong:
        return strong[0], "strong"
    if qrole not in (None, "rate"):
        loose = [i for i, s in enumerate(st.stat.series) if _role(_series_quantity(s)) == qrole]
        if len(loose) == 1:
            return loose[0], "loose"
    return _match_by_head_and_unit(st, q, claim.unit)


def _match_by_head_and_unit(st: _Stat, q: str, unit: str | None) -> tuple[int, str] | None:
    """The one series counted in the claim's unit whose quantity opens with the claim's (``受理群众诉求 … 件`` ↔
    ``受理件数（件）``): a loose match of the (quantity, unit) pair, whatever the plan's wording."""
    if not unit or len(q) < _HEAD:
        return None
    hits = [
        i
        for i, s in enumerate(st.stat.series)
        if _series_unit(s) == unit and _series_quantity(s)[:_HEAD] == q[:_HEAD] and not _NEGATIVE.search(s.label)
    ]
    return (hits[0], "loose") if len(hits) == 1 else None


def _is_rate(claim: Claim) -> bool:
    return claim.derived or (_RATE_WORD in _norm(claim.quantity) and claim.unit in ("%", None))


def _rate_source(st: _Stat, claim: Claim) -> tuple[str, int | None] | None:
    """Where a rate claim's values come from: ("series", i) for a printed 率 row, ("derived", None) else."""
    q = _norm(claim.quantity)
    for i, s in enumerate(st.stat.series):
        sq = _series_quantity(s)
        if _RATE_WORD in sq and (sq in q or q in sq):
            return "series", i
    if st.found is not None and st.fixed is not None:
        return "derived", None
    return None


@dataclass
class _Checked:
    """A claim with its paragraph and linked table, for findings that look at several claims."""

    para: Paragraph
    index: int
    claim: Claim
    st: _Stat | None
    series: int | None
    strength: str = "strong"
    doc_id: str | None = None


# --------------------------------------------------------------------------- claims → findings


def _claim_evidence(para: Paragraph, claim: Claim) -> Evidence:
    value = _fmt(claim.number) if claim.number is not None else "、".join(_fmt(v) for v in claim.numbers)
    return Evidence(role="claim", text=claim.sentence, value=value, source=para.source)


def _rank_ok(rank: Rank, v: float, values: list[float]) -> bool:
    if not values:
        return True
    hi, lo, med = max(values), min(values), statistics.median(values)
    eps = 1e-9
    if rank == Rank.HIGHEST:
        return v >= hi - eps
    if rank == Rank.LOWEST:
        return v <= lo + eps
    if rank == Rank.HIGH:
        return v >= med - eps and (v > lo + eps or hi - lo <= eps)
    return v <= med + eps and (v < hi - eps or hi - lo <= eps)


_RANK_CN = {Rank.HIGHEST: "最高", Rank.HIGH: "较高", Rank.LOW: "较低", Rank.LOWEST: "最低"}


def _series_values(st: _Stat, series: int | None) -> dict[int, float]:
    out: dict[int, float] = {}
    for y in st.years:
        v = st.rate(y) if series is None else st.value(series, y)
        if v is not None:
            out[y] = v
    return out


def _claim_stats(box: _Container, claim: Claim, link: _Link) -> list[_Stat]:
    """Reads a claim and its paragraph's link; returns the tables to check it against (its own 表 N first)."""
    stats = [st for r in claim.refs if r.kind == "table" for st in [box.stat_by_number(r.number)] if st]
    if not stats:
        stats = link.stats
    return stats


def _figure_only_finding(box: _Container, para: Paragraph, link: _Link, figure_only: list[Claim]) -> Finding:
    """Reads a paragraph's claims shown only in figures; returns its V503 finding."""
    figs = "、".join(f"图{n}" for n in link.figures)
    raws = "; ".join(c.raw for c in figure_only[:6])
    return _finding(
        "V503",
        f"{len(figure_only)} value(s) in this paragraph are only shown in {figs}: {raws}",
        para.source,
        evidence=[_claim_evidence(para, c) for c in figure_only[:6]],
        document_id=box.doc_id,
    )


def _paragraph_claim_findings(
    box: _Container,
    i: int,
    claims: list[Claim],
    findings: list[Finding],
    checked: list[_Checked],
    pending_values: list[tuple[_Checked, float, float, bool]],
) -> None:
    """Reads paragraph ``i``'s claims; checks each against its tables, adding to findings, checked and pending values."""
    para = box.body[i]
    link = _paragraph_links(box, i)
    figure_only: list[Claim] = []
    listed: list[Claim] = []
    for claim in claims:
        stats = _claim_stats(box, claim, link)
        if not stats:
            if claim.kind == ClaimKind.SUPERLATIVE and claim.numbers:
                listed.append(claim)
            elif link.how == "figure" and claim.number is not None:
                figure_only.append(claim)
            continue
        for st in stats:
            item = _check_claim(box, st, para, i, claim, findings, pending_values)
            if item is not None:
                checked.append(item)
                break
    findings.extend(_listed_superlatives(para, listed, box.doc_id))
    if figure_only and link.how == "figure":
        findings.append(_figure_only_finding(box, para, link, figure_only))


def _container_to_claim_findings(box: _Container) -> list[Finding]:
    """Read one container's paragraphs and statistical tables; return the V1xx/V503 findings of its claims.

    Guaranteed: one finding per failed check; passing checks give nothing except V104 (which definition
    of an average of rates was used); never raises on any paragraph text.
    """
    findings: list[Finding] = []
    checked: list[_Checked] = []
    pending_values: list[tuple[_Checked, float, float, bool]] = []
    for i, para in enumerate(box.body):
        claims = paragraph_to_claims(para.text, box.area)
        if claims:
            _paragraph_claim_findings(box, i, claims, findings, checked, pending_values)
    for item, expected, actual, weak in pending_values:
        findings.append(_value_finding(box, checked, item, expected, actual, weak))
    far = (float("inf"), float("inf"))
    return sorted(findings, key=lambda f: _pos(f.location) or far)


def attachment_to_claim_findings(doc: Document, att: Attachment | None) -> list[Finding]:
    """Read an attachment (or, with ``att=None``, the document's own body); return the findings of its
    prose claims checked against its statistical tables (V1xx, V203, V503), in reading order.

    Guaranteed: one finding per failed check; passing checks give nothing except V104 (which definition
    of an average of rates was used); never raises on any paragraph text.
    """
    return _container_to_claim_findings(_Container.of(doc, att))


def _claim_periods(claim: Claim, st: _Stat) -> list[int]:
    """The periods a claim speaks of: as written, or the last N years of the table for 近N年 / 五年来."""
    if not claim.periods and claim.period_count and len(st.years) >= claim.period_count:
        return sorted(st.years)[-claim.period_count :]
    return claim.periods


def _rate_above_100(claim: Claim, para: Paragraph, ev_claim: Evidence, doc_id: str | None) -> Finding | None:
    """V203 for a share-of-a-whole rate stated above 100 % in the prose."""
    bounded = claim.derived or claim.kind == ClaimKind.SHARE or bool(_BOUNDED_RATE.search(_norm(claim.quantity)))
    if claim.number is None or claim.unit != "%" or not bounded or claim.number <= 100 + 1e-9:
        return None
    return _finding(
        "V203",
        f"the prose states a rate of {_fmt(claim.number)}% (above 100%): {claim.raw}",
        para.source,
        expected="≤ 100",
        actual=_fmt(claim.number),
        evidence=[ev_claim],
        document_id=doc_id,
    )


@dataclass(slots=True)
class _RateView:
    """A table read as a rate: a rate series, or the ratio fixed/found."""

    st: _Stat
    series: int | None

    def at(self, y: int) -> float | None:
        return self.st.value(self.series, y) if self.series is not None else self.st.rate(y)

    def evidence(self, y: int) -> list[Evidence]:
        if self.series is not None:
            return [self.st.cell_evidence(self.series, y)]
        assert self.st.found is not None and self.st.fixed is not None
        return [self.st.cell_evidence(self.st.found, y), self.st.cell_evidence(self.st.fixed, y)]


def _rate_value_finding(item: _Checked, view: _RateView, y: int, ev_claim: Evidence) -> Finding | None:
    """V106 when the table has no rate for ``y``; V105/V101 when the stated rate differs from it."""
    claim, st, para = item.claim, view.st, item.para
    rate = view.at(y)
    if rate is None:
        return _finding(
            "V106",
            f"{claim.raw} ({claim.period_text or y}) cannot be verified for {y}: {st.name} has no data",
            para.source,
            expected=_fmt(claim.number),
            actual=None,
            evidence=[ev_claim, *view.evidence(y)],
            document_id=item.doc_id,
        )
    if claim.number == 100 and view.series is None:
        ok = st.value(st.fixed, y) == st.value(st.found, y)  # type: ignore[arg-type]
    else:
        ok = abs(rate - (claim.number or 0)) <= _tol(claim.decimals)
    if ok:
        return None
    return _finding(
        "V105" if claim.kind == ClaimKind.UNIVERSAL else "V101",
        f"{claim.raw}: in {y} {st.name} gives a rate of {_fmt(round(rate, 2))}%",
        para.source,
        expected=_fmt(claim.number),
        actual=_fmt(round(rate, 2)),
        evidence=[ev_claim, *view.evidence(y)],
        document_id=item.doc_id,
    )


def _check_rate_claim(
    st: _Stat, item: _Checked, periods: list[int], ev_claim: Evidence, findings: list[Finding]
) -> None:
    """A claim about a rate (整改率 …): its average, its value per period, or its rank."""
    claim = item.claim
    view = _RateView(st, item.series)
    if claim.kind == ClaimKind.AVERAGE and claim.number is not None:
        _check_average_of_rates(st, item, periods, view.at, view.evidence, findings)
    elif claim.kind == ClaimKind.UNIVERSAL or (claim.kind == ClaimKind.VALUE and claim.number is not None):
        for y in periods if claim.kind == ClaimKind.UNIVERSAL else periods[:1] if len(periods) == 1 else []:
            found = _rate_value_finding(item, view, y, ev_claim)
            if found is not None:
                findings.append(found)
    elif claim.kind == ClaimKind.SUPERLATIVE and claim.rank is not None:
        ranked = {y: v for y in st.years if (v := view.at(y)) is not None}
        _check_ranked(st, item, periods, ranked, findings)


def _aggregate_finding(st: _Stat, item: _Checked, periods: list[int], ev_claim: Evidence) -> Finding | None:
    """V103/V109 when a stated average or total over several periods differs from the table's."""
    claim, si = item.claim, item.series
    assert si is not None and claim.number is not None
    s = st.stat.series[si]
    values = [st.value(si, y) for y in periods]
    present = [v for v in values if v is not None]
    if not present:
        return None
    got = statistics.fmean(present) if claim.kind == ClaimKind.AVERAGE else sum(present)
    if abs(got - claim.number) <= _tol(claim.decimals):
        return None
    what = "mean" if claim.kind == ClaimKind.AVERAGE else "sum"
    missing = len(values) - len(present)
    note = f" ({missing} period(s) without data left out)" if missing else ""
    return _finding(
        "V103" if claim.kind == ClaimKind.AVERAGE else "V109",
        f"{claim.raw}: the {what} of {st.name} {s.label} over {periods[0]}–{periods[-1]} is "
        f"{_fmt(round(got, 4))}{note}",
        item.para.source,
        expected=_fmt(round(got, 4)),
        actual=_fmt(claim.number),
        evidence=[ev_claim, *(st.cell_evidence(si, y) for y in periods)],
        document_id=item.doc_id,
    )


def _universal_findings(st: _Stat, item: _Checked, periods: list[int], ev_claim: Evidence) -> list[Finding]:
    """V106 for a period without data, V105 for a period whose value differs from the one stated for all."""
    claim, si = item.claim, item.series
    assert si is not None and claim.number is not None
    s = st.stat.series[si]
    out = []
    for y in periods:
        v = st.value(si, y)
        if v is None:
            out.append(
                _finding(
                    "V106",
                    f"{claim.raw} cannot be verified for {y}: {st.name} {s.label} has no data",
                    item.para.source,
                    expected=_fmt(claim.number),
                    evidence=[ev_claim, st.cell_evidence(si, y)],
                    document_id=item.doc_id,
                )
            )
        elif abs(v - claim.number) > _tol(claim.decimals):
            out.append(
                _finding(
                    "V105",
                    f"{claim.raw}: {st.name} {s.label} is {_fmt(v)} in {y}",
                    item.para.source,
                    expected=_fmt(claim.number),
                    actual=_fmt(v),
                    evidence=[ev_claim, st.cell_evidence(si, y)],
                    document_id=item.doc_id,
                )
            )
    return out


def _check_value(
    st: _Stat,
    item: _Checked,
    periods: list[int],
    _ev: Evidence,
    _findings: list[Finding],
    pending_values: list[tuple[_Checked, float, float, bool]],
) -> None:
    """A value for one period: differences are kept pending (V101/V102 need every claim of the container)."""
    claim, si = item.claim, item.series
    assert si is not None
    if claim.number is not None and len(periods) == 1:
        v = st.value(si, periods[0])
        if v is not None and abs(v - claim.number) > _tol(claim.decimals):
            pending_values.append((item, v, claim.number, _unit_weak(claim.unit, st.stat.series[si].unit)))


def _check_aggregate(st: _Stat, item: _Checked, periods: list[int], ev: Evidence, findings: list[Finding]) -> None:
    """An average or a total over several periods (V103/V109)."""
    if item.claim.number is not None and len(periods) > 1:
        found = _aggregate_finding(st, item, periods, ev)
        if found is not None:
            findings.append(found)


def _check_universal(st: _Stat, item: _Checked, periods: list[int], ev: Evidence, findings: list[Finding]) -> None:
    """The same value for every period (V105/V106)."""
    if item.claim.number is not None:
        findings.extend(_universal_findings(st, item, periods, ev))


def _check_superlative(st: _Stat, item: _Checked, periods: list[int], _ev: Evidence, findings: list[Finding]) -> None:
    """A rank among the periods (V107)."""
    if item.claim.rank is not None:
        _check_ranked(st, item, periods, _series_values(st, item.series), findings)


def _check_difference_of(st: _Stat, item: _Checked, periods: list[int], _ev: Evidence, findings: list[Finding]) -> None:
    """Items left over in one period (V108)."""
    if len(periods) == 1 and st.found is not None and st.fixed is not None:
        _check_difference(st, item, periods[0], findings)


def _stated_finding(
    code: str, item: _Checked, got: float, detail: str, ev: Evidence, cells: list[Evidence]
) -> Finding | None:
    """``code`` when the claim's number differs from ``got`` (what the table gives) beyond the printed precision."""
    claim = item.claim
    assert claim.number is not None
    if abs(got - claim.number) <= _tol(claim.decimals):
        return None
    return _finding(
        code,
        f"{claim.raw}: {detail} → {_fmt(round(got, 2))}",
        item.para.source,
        expected=_fmt(round(got, 2)),
        actual=_fmt(claim.number),
        evidence=[ev, *cells],
        document_id=item.doc_id,
    )


def _check_change(st: _Stat, item: _Checked, periods: list[int], ev: Evidence, findings: list[Finding]) -> None:
    """A change from the period before (V190): relative for a %, absolute in the series' unit otherwise."""
    claim, si = item.claim, item.series
    assert si is not None
    unit = _series_unit(st.stat.series[si])
    if claim.number is None or len(periods) != 1 or (claim.unit != "%" and unit and unit != claim.unit):
        return
    y = periods[0]
    now, before = st.value(si, y), st.value(si, y - 1)
    if now is None or before is None or (claim.unit == "%" and before == 0):
        return
    got = (now - before) / before * 100.0 if claim.unit == "%" else now - before
    detail = f"{st.name} {st.stat.series[si].label} is {_fmt(before)} in {y - 1} and {_fmt(now)} in {y}"
    found = _stated_finding("V190", item, got, detail, ev, [st.cell_evidence(si, y - 1), st.cell_evidence(si, y)])
    if found is not None:
        findings.append(found)


def _growth_rates(st: _Stat, si: int, periods: list[int]) -> list[float]:
    """The average yearly growth rates (%) the table allows over ``periods``: compound from the first period (and
    from the period before it, when printed: 十三五 growth is often counted from 2015), and the mean of the
    yearly rates."""
    last = st.value(si, periods[-1])
    out: list[float] = []
    for base in (periods[0], periods[0] - 1):
        first = st.value(si, base)
        if first is not None and last is not None and first > 0 and last >= 0 and periods[-1] > base:
            out.append(((last / first) ** (1.0 / (periods[-1] - base)) - 1.0) * 100.0)
    yearly = [
        (b - a) / a * 100.0
        for y in periods[1:]
        if (a := st.value(si, y - 1)) is not None and (b := st.value(si, y)) is not None and a != 0
    ]
    if yearly and len(yearly) == len(periods) - 1:
        out.append(statistics.fmean(yearly))
    return out


def _check_average_growth(st: _Stat, item: _Checked, periods: list[int], ev: Evidence, findings: list[Finding]) -> None:
    """An average yearly growth over several periods (V191): none of the table's readings agrees with it."""
    claim, si = item.claim, item.series
    assert si is not None
    if claim.number is None or claim.unit != "%" or len(periods) < 2:
        return
    rates = _growth_rates(st, si, periods)
    if not rates or any(abs(r - claim.number) <= _tol(claim.decimals) for r in rates):
        return
    s = st.stat.series[si]
    detail = f"{st.name} {s.label} grows from {_fmt(st.value(si, periods[0]))} ({periods[0]}) to " + (
        f"{_fmt(st.value(si, periods[-1]))} ({periods[-1]}), compound yearly"
    )
    found = _stated_finding("V191", item, rates[0], detail, ev, [st.cell_evidence(si, y) for y in periods])
    if found is not None:
        findings.append(found)


def _whole(st: _Stat, si: int) -> int | None:
    """The one other series of the table that is its whole (a 合计 / 总计 … row), or None."""
    wholes = [i for i, s in enumerate(st.stat.series) if i != si and _TOTAL_WORD.search(_norm(s.label))]
    return wholes[0] if len(wholes) == 1 else None


def _check_share(st: _Stat, item: _Checked, periods: list[int], ev: Evidence, findings: list[Finding]) -> None:
    """A share of the table's whole in one period (V192)."""
    claim, si = item.claim, item.series
    assert si is not None
    whole = _whole(st, si)
    if claim.number is None or claim.unit != "%" or len(periods) != 1 or whole is None:
        return
    y = periods[0]
    part, total = st.value(si, y), st.value(whole, y)
    if part is None or not total:
        return
    detail = f"{st.name} {st.stat.series[si].label} {_fmt(part)} of {st.stat.series[whole].label} {_fmt(total)} in {y}"
    found = _stated_finding(
        "V192", item, part / total * 100.0, detail, ev, [st.cell_evidence(si, y), st.cell_evidence(whole, y)]
    )
    if found is not None:
        findings.append(found)


_Check = Callable[[_Stat, _Checked, list[int], Evidence, list[Finding]], None]

# what each kind of claim is checked with, against the series it counts (a value waits for its container)
_SERIES_CHECKS: dict[ClaimKind, _Check] = {
    ClaimKind.AVERAGE: _check_aggregate,
    ClaimKind.TOTAL: _check_aggregate,
    ClaimKind.UNIVERSAL: _check_universal,
    ClaimKind.SUPERLATIVE: _check_superlative,
    ClaimKind.DIFFERENCE: _check_difference_of,
    ClaimKind.CHANGE: _check_change,
    ClaimKind.AVERAGE_GROWTH: _check_average_growth,
    ClaimKind.SHARE: _check_share,
}


def _check_series_claim(
    st: _Stat,
    item: _Checked,
    periods: list[int],
    ev_claim: Evidence,
    findings: list[Finding],
    pending_values: list[tuple[_Checked, float, float, bool]],
) -> None:
    """A claim about one series of the table, checked by its kind's check."""
    check = _SERIES_CHECKS.get(item.claim.kind)
    if check is None:
        _check_value(st, item, periods, ev_claim, findings, pending_values)
    else:
        check(st, item, periods, ev_claim, findings)


def _check_claim(
    box: _Container,
    st: _Stat,
    para: Paragraph,
    index: int,
    claim: Claim,
    findings: list[Finding],
    pending_values: list[tuple[_Checked, float, float, bool]],
) -> _Checked | None:
    """Check one claim against one table; None when the claim does not talk about this table."""
    doc_id = box.doc_id
    periods = _claim_periods(claim, st)
    ev_claim = _claim_evidence(para, claim)
    above = _rate_above_100(claim, para, ev_claim, doc_id)
    if above is not None:
        findings.append(above)
    if _is_rate(claim):
        src = _rate_source(st, claim)
        if src is None:
            return None
        item = _Checked(para, index, claim, st, src[1], doc_id=doc_id)
        _check_rate_claim(st, item, periods, ev_claim, findings)
        return item
    matched = _match_series(st, claim)
    if matched is None:
        if claim.kind == ClaimKind.DIFFERENCE and st.found is not None and st.fixed is not None and len(periods) == 1:
            item = _Checked(para, index, claim, st, None, doc_id=doc_id)
            _check_difference(st, item, periods[0], findings)
            return item
        return None
    item = _Checked(para, index, claim, st, matched[0], matched[1], doc_id=doc_id)
    _check_series_claim(st, item, periods, ev_claim, findings, pending_values)
    return item


def _pooled_rate(st: _Stat, periods: list[int]) -> float | None:
    """Σdone / Σfound × 100 over the periods where both are printed; None without both series or any found."""
    if st.found is None or st.fixed is None:
        return None
    found = [st.value(st.found, y) for y in periods]
    fixed = [st.value(st.fixed, y) for y in periods]
    pairs = [(a, b) for a, b in zip(found, fixed, strict=True) if a is not None and b is not None]
    total_found = sum(a for a, _ in pairs)
    return sum(b for _, b in pairs) / total_found * 100.0 if total_found else None


def _check_average_of_rates(
    st: _Stat,
    item: _Checked,
    periods: list[int],
    rate_at: Callable[[int], float | None],
    evidence_at: Callable[[int], list[Evidence]],
    findings: list[Finding],
) -> None:
    claim, para = item.claim, item.para
    rates = [rate_at(y) for y in periods]
    present = [r for r in rates if r is not None]
    if not present:
        return
    mean = statistics.fmean(present)
    pooled = _pooled_rate(st, periods) if item.series is None else None
    tol = _tol(claim.decimals)
    stated = claim.number or 0.0
    mean_ok = abs(mean - stated) <= tol
    pooled_ok = pooled is not None and abs(pooled - stated) <= tol
    evidence = [_claim_evidence(para, claim)]
    for y in periods:
        evidence.extend(evidence_at(y))
    shown = ", ".join(_fmt(round(r, 2)) if r is not None else "—" for r in rates)
    if not mean_ok and not pooled_ok:
        pooled_text = f", pooled rate {_fmt(round(pooled, 4))}%" if pooled is not None else ""
        findings.append(
            _finding(
                "V103",
                f"{claim.raw}: {st.name} gives yearly rates {shown}; mean of rates {_fmt(round(mean, 4))}%"
                f"{pooled_text}",
                para.source,
                expected=_fmt(round(mean, 2)),
                actual=_fmt(stated),
                evidence=evidence,
                document_id=item.doc_id,
            )
        )
    elif mean_ok and pooled is not None and not pooled_ok:
        findings.append(
            _finding(
                "V104",
                f"{claim.raw} is the mean of the yearly rates of {st.name} ({shown} → {_fmt(round(mean, 4))}%), "
                f"not the pooled rate Σfixed/Σfound = {_fmt(round(pooled, 4))}%",
                para.source,
                expected=_fmt(round(pooled, 2)),
                actual=_fmt(stated),
                evidence=evidence,
                document_id=item.doc_id,
            )
        )


def _check_ranked(
    st: _Stat, item: _Checked, periods: list[int], values: dict[int, float], findings: list[Finding]
) -> None:
    claim = item.claim
    assert claim.rank is not None
    series = list(values.values())
    for y in periods:
        v = values.get(y)
        if v is None or _rank_ok(claim.rank, v, series):
            continue
        label = st.stat.series[item.series].label if item.series is not None else "rate"
        findings.append(
            _finding(
                "V107",
                f"{claim.raw}: {st.name} {label} is {_fmt(round(v, 2))} in {y}, not {_RANK_CN[claim.rank]} "
                f"among {', '.join(_fmt(round(x, 2)) for x in series)}",
                item.para.source,
                expected=_RANK_CN[claim.rank],
                actual=_fmt(round(v, 2)),
                evidence=[_claim_evidence(item.para, claim)]
                + ([st.cell_evidence(item.series, y)] if item.series is not None else []),
                document_id=item.doc_id,
            )
        )


def _check_difference(st: _Stat, item: _Checked, year: int, findings: list[Finding]) -> None:
    assert st.found is not None and st.fixed is not None
    found, fixed = st.value(st.found, year), st.value(st.fixed, year)
    claim = item.claim
    if found is None or fixed is None or claim.number is None:
        return
    if abs((found - fixed) - claim.number) > _tol(claim.decimals):
        findings.append(
            _finding(
                "V108",
                f"{claim.raw}: in {year} {st.name} gives {_fmt(found)} − {_fmt(fixed)} = {_fmt(found - fixed)}",
                item.para.source,
                expected=_fmt(found - fixed),
                actual=_fmt(claim.number),
                evidence=[
                    _claim_evidence(item.para, claim),
                    st.cell_evidence(st.found, year),
                    st.cell_evidence(st.fixed, year),
                ],
                document_id=item.doc_id,
            )
        )


def _agreeing_aggregate(checked: list[_Checked], item: _Checked, year: int) -> tuple[_Checked, list[float]] | None:
    """A nearby average or total over the same series and period that agrees with the table, with its values."""
    st = item.st
    assert st is not None and item.series is not None
    for other in checked:
        oc = other.claim
        if (
            other.st is not st
            or other.series != item.series
            or oc.kind not in (ClaimKind.AVERAGE, ClaimKind.TOTAL)
            or oc.number is None
            or abs(other.index - item.index) > 2
        ):
            continue
        periods = oc.periods or sorted(st.years)[-(oc.period_count or 0) :]
        if year not in periods:
            continue
        vals = [st.value(item.series, y) for y in periods]
        if any(v is None for v in vals):
            continue
        present = [v for v in vals if v is not None]
        got = statistics.fmean(present) if oc.kind == ClaimKind.AVERAGE else sum(present)
        if abs(got - oc.number) <= _tol(oc.decimals):
            return other, present
    return None


def _value_finding(
    box: _Container, checked: list[_Checked], item: _Checked, expected: float, actual: float, weak: bool
) -> Finding:
    """V101/V102 for a per-period value, noting a nearby average or total that agrees with the table."""
    st, claim = item.st, item.claim
    assert st is not None and item.series is not None
    year = claim.periods[0]
    s = st.stat.series[item.series]
    evidence = [_claim_evidence(item.para, claim), st.cell_evidence(item.series, year)]
    note = ""
    agreeing = _agreeing_aggregate(checked, item, year)
    if agreeing is not None:
        other, present = agreeing
        oc = other.claim
        assert oc.number is not None
        what = "average" if oc.kind == ClaimKind.AVERAGE else "total"
        note = (
            f"; the stated {what} {_fmt(oc.number)} ({oc.raw}) agrees with the table's values "
            f"({'+'.join(_fmt(v) for v in present)}), so the prose value {_fmt(actual)} is the likely slip"
        )
        evidence.append(
            Evidence(role="agreeing-claim", text=oc.sentence, value=_fmt(oc.number), source=other.para.source)
        )
    weak_note = ""
    if weak:
        weak_note = f" (weaker match: the prose counts in {claim.unit}, the table in {_norm(s.unit)})"
    elif item.strength == "loose":
        weak_note = f" (matched loosely: {claim.quantity} ↔ {s.label})"
    return _finding(
        "V102" if weak else "V101",
        f"{claim.raw} ({year}) but {st.name} {s.label} {st.stat.columns[st.years[year]]} is {_fmt(expected)}"
        f"{weak_note}{note}",
        item.para.source,
        expected=_fmt(expected),
        actual=_fmt(actual),
        evidence=evidence,
        document_id=box.doc_id,
    )


def _listed_superlatives(para: Paragraph, claims: list[Claim], doc_id: str) -> list[Finding]:
    """Self-check of superlatives that list their values (``最高值，分别为48、15和42``) with no table."""
    out: list[Finding] = []
    by_len: dict[int, list[Claim]] = {}
    for c in claims:
        by_len.setdefault(len(c.numbers), []).append(c)
    for group in by_len.values():
        if len(group) < 2:
            continue
        for c in group:
            assert c.rank is not None
            for k, v in enumerate(c.numbers):
                column = [g.numbers[k] for g in group]
                if not _rank_ok(c.rank, v, column):
                    out.append(
                        _finding(
                            "V107",
                            f"{c.raw}: value {k + 1} ({_fmt(v)}) is not {_RANK_CN[c.rank]} among the values the "
                            f"paragraph lists ({', '.join(_fmt(x) for x in column)})",
                            para.source,
                            expected=_RANK_CN[c.rank],
                            actual=_fmt(v),
                            evidence=[_claim_evidence(para, g) for g in group],
                            document_id=doc_id,
                        )
                    )
    return out


# --------------------------------------------------------------------------- V2xx tables


_RECON_ITEM = ITEM_REFERENCE


def _note_to_equation(note: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
    """``第一项加第二项之和，等于第三项加第四项之和`` → ([(+1, 1), (+1, 2)], [(+1, 3), (+1, 4)])."""
    if "等于" not in note:
        return None
    left, _, right = note.partition("等于")

    def side(text: str) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for m in _RECON_ITEM.finditer(text):
            n = small_cn_to_int(m.group(2))
            if n is None:
                return []
            out.append((-1 if m.group(1) in ("减", "-", "－") else 1, n))
        return out

    lhs, rhs = side(left), side(right)
    return (lhs, rhs) if lhs and rhs else None


def _sum_differs(got: float, total: float) -> bool:
    return abs(got - total) > 1e-6 * max(1.0, abs(total)) + 0.005


def _total_row_findings(st: _Stat, loc: Source, doc_id: str) -> list[Finding]:
    """V201 for a 合计/总计/小计 row that is not the sum of the other rows, column by column."""
    out: list[Finding] = []
    stat = st.stat
    totals = [i for i, s in enumerate(stat.series) if _TOTAL_LABEL.match(_norm(s.label))]
    parts = [i for i in range(len(stat.series)) if i not in totals]
    for ti in totals:
        for j, col in enumerate(stat.columns):
            total = stat.series[ti].values[j] if j < len(stat.series[ti].values) else None
            vals = [stat.series[i].values[j] for i in parts if j < len(stat.series[i].values)]
            if total is None or any(v is None for v in vals) or not vals:
                continue
            got = sum(v for v in vals if v is not None)
            if _sum_differs(got, total):
                out.append(
                    _finding(
                        "V201",
                        f"{st.name} {stat.series[ti].label} {col} is {_fmt(total)} but its parts sum to {_fmt(got)}",
                        loc,
                        expected=_fmt(got),
                        actual=_fmt(total),
                        document_id=doc_id,
                    )
                )
    return out


def _total_column_findings(st: _Stat, loc: Source, doc_id: str) -> list[Finding]:
    """V201 for a 合计 column that is not the sum of the other columns, row by row."""
    out: list[Finding] = []
    stat = st.stat
    total_cols = [j for j, c in enumerate(stat.columns) if _TOTAL_LABEL.match(_norm(c))]
    for j in total_cols:
        others = [k for k in range(len(stat.columns)) if k not in total_cols]
        for s in stat.series:
            if j >= len(s.values) or s.values[j] is None:
                continue
            vals = [s.values[k] for k in others if k < len(s.values)]
            if any(v is None for v in vals):
                continue
            got = sum(v for v in vals if v is not None)
            total = s.values[j]
            if total is not None and _sum_differs(got, total):
                out.append(
                    _finding(
                        "V201",
                        f"{st.name} {s.label} {stat.columns[j]} is {_fmt(total)} but the columns sum to {_fmt(got)}",
                        loc,
                        expected=_fmt(got),
                        actual=_fmt(total),
                        document_id=doc_id,
                    )
                )
    return out


def _side_value(stat: StatTable, side: list[tuple[int, int]], j: int) -> float | None:
    """The value of one side of a 勾稽关系 (± row n …) in column ``j``; None when a cell is empty."""
    acc = 0.0
    for sign, n in side:
        vals = stat.series[n - 1].values
        v = vals[j] if j < len(vals) else None
        if v is None:
            return None
        acc += sign * v
    return acc


def _note_findings(st: _Stat, loc: Source, doc_id: str) -> list[Finding]:
    """V202 for a 勾稽关系 stated in a table note (第1项 = 第2项 + 第3项) that does not hold in a column."""
    out: list[Finding] = []
    stat = st.stat
    for note in st.table.notes if st.table else []:
        eq = _note_to_equation(_norm(note))
        if eq is None:
            continue
        lhs, rhs = eq
        if max(n for _, n in lhs + rhs) > len(stat.series):
            continue
        for j, col in enumerate(stat.columns):
            a, b = _side_value(stat, lhs, j), _side_value(stat, rhs, j)
            if a is not None and b is not None and abs(a - b) > 0.005:
                out.append(
                    _finding(
                        "V202",
                        f"{st.name} {col}: the note「{note}」does not hold ({_fmt(a)} ≠ {_fmt(b)})",
                        loc,
                        expected=_fmt(b),
                        actual=_fmt(a),
                        document_id=doc_id,
                    )
                )
    return out


def _rate_cell_findings(st: _Stat, loc: Source, doc_id: str) -> list[Finding]:
    """V203 for a share-of-a-whole rate cell above 100 %."""
    out: list[Finding] = []
    for s in st.stat.series:
        if not (_BOUNDED_RATE.search(_series_quantity(s)) and (s.unit or "").strip() == "%"):
            continue
        for j, v in enumerate(s.values):
            if v is not None and v > 100 + 1e-9:
                out.append(
                    _finding(
                        "V203",
                        f"{st.name} {s.label} {st.stat.columns[j]} is {_fmt(v)}% (above 100%)",
                        loc,
                        expected="≤ 100",
                        actual=_fmt(v),
                        document_id=doc_id,
                    )
                )
    return out


def _fixed_found_findings(st: _Stat, loc: Source, doc_id: str) -> list[Finding]:
    """V204 for a period with more items fixed than found."""
    if st.found is None or st.fixed is None:
        return []
    out: list[Finding] = []
    for y in st.years:
        found, fixed = st.value(st.found, y), st.value(st.fixed, y)
        if found is not None and fixed is not None and fixed > found:
            out.append(
                _finding(
                    "V204",
                    f"{st.name} {y}: {st.stat.series[st.fixed].label} {_fmt(fixed)} > "
                    f"{st.stat.series[st.found].label} {_fmt(found)}",
                    loc,
                    expected=f"≤ {_fmt(found)}",
                    actual=_fmt(fixed),
                    evidence=[st.cell_evidence(st.found, y), st.cell_evidence(st.fixed, y)],
                    document_id=doc_id,
                )
            )
    return out


def _stat_to_findings(st: _Stat, doc_id: str) -> list[Finding]:
    """Read a statistical table; return V201 (合计 rows/columns), V202 (勾稽关系 notes), V203 (rate > 100 %)
    and V204 (fixed > found) findings. Guaranteed: never raises; None cells are skipped."""
    loc = (st.table.source if st.table else None) or Source()
    return [
        *_total_row_findings(st, loc, doc_id),
        *_total_column_findings(st, loc, doc_id),
        *_note_findings(st, loc, doc_id),
        *_rate_cell_findings(st, loc, doc_id),
        *_fixed_found_findings(st, loc, doc_id),
    ]


def statistics_to_findings(att: Attachment, doc_id: str) -> list[Finding]:
    """Read an attachment's statistical tables; return V201 (合计 rows/columns), V202 (勾稽关系 notes),
    V203 (rate above 100 %) and V204 (fixed > found) findings. Never raises; None cells are skipped."""
    by_id = {t.id: t for t in att.tables}
    return [f for s in att.statistics for f in _stat_to_findings(_Stat.build(s, by_id.get(s.table_id)), doc_id)]


# --------------------------------------------------------------------------- V3xx structure

_SEQ_HEADER = vocabulary.header("seq", whole=True)


def _sequence_problems(numbers: list[int]) -> list[tuple[int, int, int]]:
    """(position, expected, found) wherever a 1-based sequence skips or repeats (a restart at 1 after 2+ is allowed)."""
    out: list[tuple[int, int, int]] = []
    prev: int | None = None
    for k, n in enumerate(numbers):
        expected = 1 if prev is None else prev + 1
        if n != expected and not (prev is not None and prev > 1 and n == 1):
            out.append((k, expected, n))
        prev = n
    return out


def _sequence_numbers(table: Table) -> list[tuple[int, int]]:
    """(row, number) of the numeric cells of the table's 序号 column (its last one), merged cells once."""
    col: int | None = None
    for header in table.header:
        for c, text in enumerate(header):
            if _SEQ_HEADER.match(_norm(text)):
                col = c
    if col is None:
        return []
    anchors = sorted((c.row, c.text) for c in table.cells if c.part == TablePart.BODY and c.col == col)
    entries: list[tuple[int, str]] = (
        anchors if anchors else [(r, row[col] or "") for r, row in enumerate(table.rows) if col < len(row)]
    )
    numbers: list[tuple[int, int]] = []
    for r, text in entries:
        t = _norm(text).rstrip(".．、")
        if not t.isdigit():
            continue
        n = int(t)
        if numbers and numbers[-1][1] == n and (not anchors or _same_group(table, col + 1, numbers[-1][0], r)):
            continue  # a merged cell carried down the resolved rows, or a group's number printed on each row
        numbers.append((r, n))
    return numbers


def _same_group(table: Table, col: int, r0: int, r1: int) -> bool:
    """Whether rows ``r0`` and ``r1`` print the same non-empty group label in column ``col`` (the number
    beside a label printed again on each row of its group, where no cell is merged, numbers the group)."""
    if not (r0 < len(table.rows) and r1 < len(table.rows)):
        return False
    a, b = table.rows[r0], table.rows[r1]
    return col < len(a) and col < len(b) and bool(a[col]) and _norm(a[col] or "") == _norm(b[col] or "")


def table_to_sequence_findings(table: Table, doc_id: str) -> list[Finding]:
    """Read a table; return V301 findings for gaps or repeats in its 序号 column.

    Merged 序号 cells (one anchor cell over several rows, or the same value carried down resolved rows)
    count once, and so does a number printed again on each row of a group whose label (the next column)
    is printed again too (``1 非煤矿山`` on three rows). Guaranteed: never raises; non-numeric cells are ignored.
    """
    numbers = _sequence_numbers(table)
    out: list[Finding] = []
    loc = table.source or Source()
    for k, expected, found in _sequence_problems([n for _, n in numbers]):
        r = numbers[k][0]
        page = table.row_pages[r] if r < len(table.row_pages) else loc.page
        what = "repeated" if found <= expected - 1 else "skipped"
        out.append(
            _finding(
                "V301",
                f"table {table.number or table.id}: 序号 {found} after {expected - 1} ({what})",
                loc.model_copy(update={"page": page}),
                expected=str(expected),
                actual=str(found),
                document_id=doc_id,
            )
        )
    return out


def table_to_numbered_item_findings(table: Table, doc_id: str) -> list[Finding]:
    """Read a table; return V302 findings where the numbered paragraphs of its cells (``1.`` … ``54.`` of a
    具体要求 column) miss a number or repeat one.

    The check is on the set of numbers, not their order (a numbered item may sit in another column where
    cells are merged): for each numbering style with at least three items that does not restart (one
    item 1), every number from 1 to the largest must appear exactly once. Merged cells carried down or
    across the resolved rows count once. Guaranteed: never raises.
    """
    by_style = _numbered_items(table)
    loc = table.source or Source()
    out: list[Finding] = []
    for items in by_style.values():
        numbers = [n for _, n in items]
        if len(numbers) < 3 or numbers.count(1) != 1:
            continue
        counts = Counter(numbers)
        row_of = {n: r for r, n in reversed(items)}
        problems = [(n, "missing", 0) for n in range(1, max(numbers) + 1) if n not in counts]
        problems += [(n, "repeated", counts[n]) for n in sorted(counts) if counts[n] > 1]
        for n, what, count in sorted(problems):
            r = row_of.get(n, row_of.get(n - 1, 0))
            page = table.row_pages[r] if r < len(table.row_pages) else loc.page
            out.append(
                _finding(
                    "V302",
                    f"table {table.number or table.id}: numbered item {n} is {what}"
                    + (f" ({count} times)" if count else ""),
                    loc.model_copy(update={"page": page}),
                    expected=f"{n} once",
                    actual=f"{n} × {count}",
                    document_id=doc_id,
                )
            )
    return out


def _numbered_items(table: Table) -> dict[str, list[tuple[int, int]]]:
    """The numbered paragraphs of a table's cells by numbering style: (row, number); 序号 columns and merged
    cells carried down (previous row) or across (previous column) are skipped."""
    seq_cols = {c for h in table.header for c, text in enumerate(h) if _SEQ_HEADER.match(_norm(text))}
    by_style: dict[str, list[tuple[int, int]]] = {}
    previous: list[str | None] = []
    for r, row in enumerate(table.rows):
        for c, text in enumerate(row):
            if c in seq_cols or not text or (c < len(previous) and previous[c] == text) or (c and row[c - 1] == text):
                continue
            for line in text.split("\n"):
                parsed = label_to_number(line[:12])
                if parsed is not None and not parsed[0].startswith("chapter"):
                    by_style.setdefault(parsed[0], []).append((r, parsed[1]))
        previous = list(row)
    return by_style


_MARKERS = NUMBERING_STYLES


def label_to_number(label: str) -> tuple[str, int] | None:
    """Read a numbering label (``第一章``, ``1.``, ``（2）``, ``三、``, ``第四，``, ``二是``); return (style, n).

    Guaranteed: never raises; None when the label is not a recognised numbering.
    """
    text = label.lstrip()
    for style, pattern in _MARKERS:
        m = pattern.match(text)
        if m:
            n = small_cn_to_int(m.group(1))
            if n is None:
                return None
            return (style + (m.group(2) if style == "chapter" else ""), n)
    return None


def outline_to_findings(headings: list[Heading], doc_id: str, where: str = "outline") -> list[Finding]:
    """Read an outline tree; return V303 findings where sibling headings of one numbering style skip or repeat.

    Numbering restarts under each parent (第一节 … within each chapter). Reads each heading's ``kind`` and
    ``number`` as the outline stage parsed them (headings without a number are not numbered). A law's 条
    (kind ``article``) are numbered through the whole text, not per parent, and the outline stage only takes
    a 条 that continues the sequence: they are not checked here. Never raises.
    """
    out: list[Finding] = []
    by_style: dict[str, list[tuple[Heading, int]]] = {}
    for h in headings:
        if h.kind is not None and h.number is not None and h.kind != "article":
            by_style.setdefault(h.kind, []).append((h, h.number))
    for items in by_style.values():
        numbers = [n for _, n in items]
        prev: int | None = None
        for k, n in enumerate(numbers):
            expected = 1 if prev is None else prev + 1
            if n != expected:
                h = items[k][0]
                out.append(
                    _finding(
                        "V303",
                        f"{where}: heading {h.label}{h.title} follows number {prev if prev is not None else 0}",
                        h.source or Source(page=h.page),
                        expected=str(expected),
                        actual=str(n),
                        document_id=doc_id,
                    )
                )
            prev = n
    for h in headings:
        out.extend(outline_to_findings(h.children, doc_id, where))
    return out


def paragraphs_to_numbering_findings(body: list[Paragraph], doc_id: str) -> list[Finding]:
    """Read body paragraphs; return V302 findings where paragraphs numbered in one style (1. / （1） / 一是 /
    第一，) under the same heading skip or repeat a number (a restart at 1 starts a new list). Items numbered
    through the text across its headings (1. under （一）, 2. 3. under （二）) are one list: the first item under
    a heading may continue the last one of its style before it.

    Guaranteed: never raises; paragraphs without a leading marker are ignored.
    """
    out: list[Finding] = []
    last: dict[tuple[str | None, str], int] = {}
    through: dict[str, int] = {}  # style → the last number of that style in the text so far
    for p in body:
        parsed = label_to_number(p.text[:12])
        if parsed is None or parsed[0].startswith("chapter"):
            continue
        key = (p.heading_id, parsed[0])
        prev = last.get(key)
        n = parsed[1]
        continued = through.get(parsed[0]) == n - 1
        through[parsed[0]] = n
        if prev is not None and n != prev + 1 and n != 1:
            out.append(
                _finding(
                    "V302",
                    f"numbered paragraph {n} follows {prev}: {p.text[:20]}",
                    p.source,
                    expected=str(prev + 1),
                    actual=str(n),
                    document_id=doc_id,
                )
            )
        elif prev is None and n != 1 and not continued:
            out.append(
                _finding(
                    "V302",
                    f"numbered paragraphs start at {n}: {p.text[:20]}",
                    p.source,
                    expected="1",
                    actual=str(n),
                    document_id=doc_id,
                )
            )
        last[key] = n
    return out


_TITLE_NOISE = re.compile(r"[\s.…·。．\-—–_\"“”'‘’《》「」]+")


def _title_key(text: str | None) -> str:
    return _TITLE_NOISE.sub("", text or "")


def _titles_agree(a: str | None, b: str | None) -> bool:
    ka, kb = _title_key(a), _title_key(b)
    return bool(ka) and bool(kb) and (ka == kb or ka in kb or kb in ka)


def _walk(headings: list[Heading]) -> Iterator[Heading]:
    for h in headings:
        yield h
        yield from _walk(h.children)


def issue_toc_to_findings(issue: Issue) -> list[Finding]:
    """Read an Issue; return V304 (page) and V305 (title) findings for issue TOC entries linked to a document.

    Entries without a document are the lead's P101 problems, not findings. Guaranteed: never raises.
    """
    out: list[Finding] = []
    docs = {d.id: d for d in issue.documents}
    for entry in issue.toc:
        doc = docs.get(entry.document_id or "")
        if doc is None:
            continue
        loc = entry.source or Source(page=entry.page)
        ev = [Evidence(role="toc-entry", text=entry.title, value=_fmt(entry.page), source=loc)]
        if entry.page is not None and doc.pages is not None and entry.page != doc.pages.first:
            out.append(
                _finding(
                    "V304",
                    f"目录 gives page {entry.page} for 「{doc.title}」, which starts on page {doc.pages.first}",
                    loc,
                    expected=str(doc.pages.first),
                    actual=str(entry.page),
                    evidence=ev,
                    document_id=doc.id,
                )
            )
        if not _titles_agree(entry.title, doc.title):
            out.append(
                _finding(
                    "V305",
                    f"目录 title 「{entry.title}」 differs from the document title 「{doc.title}」",
                    loc,
                    expected=doc.title,
                    actual=entry.title,
                    evidence=ev,
                    document_id=doc.id,
                )
            )
    return out


def _toc_title_findings(att: Attachment, doc_id: str) -> tuple[list[Finding], list[tuple[int, Heading]]]:
    """V308 for a 目录 entry without a heading, V307 for one whose title differs; and the linked entries."""
    out: list[Finding] = []
    headings = {h.id: h for h in _walk(att.outline)}
    linked: list[tuple[int, Heading]] = []
    for k, entry in enumerate(att.toc):
        loc = entry.source or Source(page=entry.page)
        h = headings.get(entry.heading_id or "")
        if h is None:
            out.append(
                _finding(
                    "V308",
                    f"目录 entry 「{entry.label or ''}{entry.title}」 has no heading in the body",
                    loc,
                    actual=entry.title,
                    document_id=doc_id,
                )
            )
            continue
        linked.append((k, h))
        full_entry = f"{entry.label or ''}{entry.title}"
        label_only = bool(h.label) and _title_key(entry.title) == _title_key(h.label)  # 目录 "附件" → 附件 heading
        if not (label_only or _titles_agree(entry.title, h.title) or _titles_agree(full_entry, f"{h.label}{h.title}")):
            out.append(
                _finding(
                    "V307",
                    f"目录 entry 「{full_entry}」 differs from the heading 「{h.label}{h.title}」",
                    loc,
                    expected=f"{h.label}{h.title}",
                    actual=full_entry,
                    document_id=doc_id,
                )
            )
    return out, linked


def _toc_offset(att: Attachment, linked: list[tuple[int, Heading]]) -> int | None:
    """The most common page offset between 目录 entries and their headings (0 when none is clear; None when no
    linked entry has both pages)."""
    offsets = Counter(
        att.toc[k].page - h.page  # type: ignore[operator]
        for k, h in linked
        if att.toc[k].page is not None and h.page is not None
    )
    if not offsets:
        return None
    offset, count = offsets.most_common(1)[0]
    if count == offsets.get(0, 0) or count < 2 or count * 2 <= sum(offsets.values()):
        return 0  # no clear common offset: compare pages as printed
    return offset


def _toc_page_finding(entry: TocEntry, h: Heading, offset: int, doc_id: str) -> Finding:
    """V306: a 目录 page that differs from its heading's page (after the common offset)."""
    assert entry.page is not None and h.page is not None
    return _finding(
        "V306",
        f"目录 gives page {entry.page} for 「{entry.label or ''}{entry.title}」, the heading is on page {h.page}"
        + (f" (with the common offset {offset:+d}: {h.page + offset})" if offset else ""),
        entry.source or Source(page=entry.page),
        expected=str(h.page + offset),
        actual=str(entry.page),
        evidence=[
            Evidence(
                role="heading", text=f"{h.label}{h.title}", value=str(h.page), source=h.source or Source(page=h.page)
            )
        ],
        document_id=doc_id,
    )


def attachment_toc_to_findings(att: Attachment, doc_id: str) -> list[Finding]:
    """Read an attachment; return V306–V309 findings comparing its own 目录 with the headings it links to.

    Page numbers are compared after the most common offset between TOC and headings (a TOC may count the
    plan's own pages); a non-zero common offset is reported once (V309, info). Guaranteed: never raises.
    """
    if not att.toc:
        return []
    out, linked = _toc_title_findings(att, doc_id)
    offset = _toc_offset(att, linked)
    if offset is None:
        return out
    if offset != 0:
        out.append(
            _finding(
                "V309",
                f"the attachment's 目录 numbers pages {offset:+d} from the printed pages",
                att.toc[0].source or Source(page=att.toc[0].page),
                expected="0",
                actual=f"{offset:+d}",
                document_id=doc_id,
            )
        )
    for k, h in linked:
        entry = att.toc[k]
        if entry.page is not None and h.page is not None and entry.page - h.page != offset:
            out.append(_toc_page_finding(entry, h, offset, doc_id))
    return out


# --------------------------------------------------------------------------- V4xx dates


_FIVE_YEAR = FIVE_YEAR
_RANGE_IN_TITLE = TITLE_YEAR_RANGE


def title_to_period(title: str) -> tuple[int, int] | None:
    """``…“十四五”规划`` → (2021, 2025); ``（2021—2025年）`` → (2021, 2025); else None. Never raises."""
    m = _RANGE_IN_TITLE.search(title)
    if m and int(m.group(1)) <= int(m.group(2)):
        return int(m.group(1)), int(m.group(2))
    m5 = _FIVE_YEAR.search(title)
    if m5 and ("“" + m5.group(0) in title or m5.group(0) + "”" in title or "规划" in title):
        n = small_cn_to_int(m5.group(1))
        if n is not None and 1 <= n <= 30:
            # 一五 1953–1957, 二五 1958–1962, then a gap (1963–1965): 三五 1966–1970 … 十四五 2021–2025
            start = 1953 + 5 * (n - 1) if n <= 2 else 1966 + 5 * (n - 3)
            return start, start + 4
    return None


def document_to_date_findings(doc: Document) -> list[Finding]:
    """Read a document; return V401 (成文日期 after 印发日期), V402 (发文字号 year ≠ date year) and V403
    (deadlines outside the plan period of the document's or attachment's title). Never raises."""
    out: list[Finding] = []
    loc = doc.fields.get("date") or doc.source
    if doc.date and doc.printed_date and doc.date > doc.printed_date:
        out.append(
            _finding(
                "V401",
                f"成文日期 {doc.date} is after 印发日期 {doc.printed_date}",
                loc,
                expected=f"≤ {doc.printed_date}",
                actual=str(doc.date),
                document_id=doc.id,
            )
        )
    if doc.date and doc.doc_number and doc.doc_number.year != doc.date.year:
        out.append(
            _finding(
                "V402",
                f"发文字号 {doc.doc_number.raw} has year {doc.doc_number.year}, the document is dated {doc.date}",
                doc.fields.get("doc_number") or doc.source,
                expected=str(doc.date.year),
                actual=str(doc.doc_number.year),
                document_id=doc.id,
            )
        )

    def check(period: tuple[int, int] | None, deadlines: Iterable[tuple[Deadline, Source | None]]) -> None:
        if period is None:
            return
        a, b = period
        for d, src in deadlines:
            years = [x.year for x in (d.date, d.end) if x is not None]
            bad = [y for y in years if not a <= y <= b]
            if bad:
                out.append(
                    _finding(
                        "V403",
                        f"deadline 「{d.raw}」 ({bad[0]}) is outside the plan period {a}–{b}",
                        d.source or src or doc.source,
                        expected=f"{a}–{b}",
                        actual=str(bad[0]),
                        document_id=doc.id,
                    )
                )

    def task_deadlines(tasks: list[Task]) -> Iterator[tuple[Deadline, Source | None]]:
        for t in tasks:
            for d in t.deadlines:
                yield d, t.source

    doc_period = title_to_period(doc.title)
    check(doc_period, [(d, None) for d in doc.deadlines])
    check(doc_period, task_deadlines(doc.tasks))
    for att in doc.attachments:
        check(title_to_period(att.title) or doc_period, task_deadlines(att.tasks))
    return out


# --------------------------------------------------------------------------- V5xx footnotes, references


def _footnote_findings(att: Attachment, doc_id: str) -> list[Finding]:
    """Reads an attachment's indicators and notes; returns V501 for each footnote marker whose text is not printed."""
    out: list[Finding] = []
    notes = [n for t in att.tables for n in t.notes] + [p.text for p in att.body]
    for ind in att.indicators:
        marker = (ind.target.footnote or "").strip()
        if not marker:
            continue
        printed = any(_norm(n).lstrip("注：:").startswith(marker) for n in notes)
        if not printed:
            out.append(
                _finding(
                    "V501",
                    f"indicator {ind.seq or ind.id} 「{ind.name}」 target {ind.target.raw} is "
                    f"marked {marker} but no footnote text is printed",
                    ind.source or att.source or Source(),
                    actual=ind.target.raw,
                    document_id=doc_id,
                )
            )
    return out


def _missing_ref_findings(att: Attachment, doc_id: str) -> list[Finding]:
    """Reads an attachment's prose; returns V502 for each 表 N / 图 N reference to a number that is not printed."""
    out: list[Finding] = []
    tables = {t.number for t in att.tables if t.number is not None}
    figures = {f.number for f in att.figures if f.number is not None}
    for p in att.body:
        if _CAPTION.match(p.text):
            continue
        for r in text_to_refs(p.text):
            known = tables if r.kind == "table" else figures
            if known and r.number not in known:
                kind = "表" if r.kind == "table" else "图"
                out.append(
                    _finding(
                        "V502",
                        f"the prose refers to {kind}{r.number}, which is not printed",
                        p.source,
                        actual=r.raw,
                        document_id=doc_id,
                    )
                )
    return out


def attachment_to_note_findings(att: Attachment, doc_id: str) -> list[Finding]:
    """Read an attachment; return V501 (footnote marker without footnote text) and V502 (reference to a
    missing table/figure number) findings. Never raises."""
    return _footnote_findings(att, doc_id) + _missing_ref_findings(att, doc_id)


# --------------------------------------------------------------------------- entry point


def issue_to_findings(issue: Issue) -> list[Finding]:
    """Read an Issue; return every validator finding, in document order, without duplicates.

    Reads: documents (dates, doc numbers, deadlines, tasks, body), attachments (body paragraphs with
    heading_id, tables, statistics, indicators, figures, outline, toc) and the issue TOC.
    Guaranteed after: every Finding has a code of :data:`RULES` with its severity and slug, a location
    (the claim's paragraph source for V1xx), expected/actual where a value was compared, and evidence for
    both sides of a claim check; never raises on any content.
    """
    out: list[Finding] = []
    for doc in issue.documents:
        out.extend(document_to_date_findings(doc))
        out.extend(paragraphs_to_numbering_findings(doc.body, doc.id))
        out.extend(attachment_to_claim_findings(doc, None))
        for att in doc.attachments:
            out.extend(attachment_to_claim_findings(doc, att))
            out.extend(statistics_to_findings(att, doc.id))
            for table in att.tables:
                out.extend(table_to_sequence_findings(table, doc.id))
                out.extend(table_to_numbered_item_findings(table, doc.id))
            out.extend(outline_to_findings(att.outline, doc.id))
            out.extend(paragraphs_to_numbering_findings(att.body, doc.id))
            out.extend(attachment_toc_to_findings(att, doc.id))
            out.extend(attachment_to_note_findings(att, doc.id))
    out.extend(issue_toc_to_findings(issue))
    seen: set[str] = set()
    unique: list[Finding] = []
    for f in out:
        key = f.model_dump_json()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique
