"""Compare what the pipeline read from a rendition with the model it was typeset from, field by field.

Every comparison is a ``Check`` (one field of one object): the round-trip test counts them per style and
model (fields right / fields) and lists the misses. Text is compared after NFKC folding and without
whitespace (a typesetter's spaces and a producer's full/half-width forms are not the document's content).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from schemas.model import Attachment, Document, Heading, Issue, Severity
from tests.zoo.models import Landmarks, ZDocument, ZHeading, ZIssue, ZPara, ZTable, ZTask

UNIT_SPLIT = re.compile(r"[、；;，,]")
# a paragraph of the model that is a law's article: 第一条 / 第十七条之一, then a space (the model's own spelling)
ARTICLE = re.compile(r"^(第[一二三四五六七八九十百零]+条(?:之[一二三四五六七八九十]+)?)[ \u3000]")


@dataclass
class Check:
    where: str  # model key / document / part
    field: str
    expected: Any
    actual: Any

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


def norm(s: str | None) -> str | None:
    if s is None:
        return None
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def _parts(atts: list[Any], children: str) -> list[Any]:
    """Attachments depth first (an annex right after the attachment it belongs to)."""
    out: list[Any] = []
    for a in atts:
        out.append(a)
        out.extend(_parts(getattr(a, children, None) or [], children))
    return out


def _tree(atts: list[Any]) -> list[Any]:
    return [(norm(a.title), _tree(getattr(a, "attachments", None) or [])) for a in atts]


def _flat(hs: list[Heading]) -> list[Heading]:
    out: list[Heading] = []
    for h in hs:
        out.append(h)
        out.extend(_flat(h.children))
    return out


def _match_docs(model: list[ZDocument], found: list[Document]) -> list[Document | None]:
    used: set[int] = set()
    out: list[Document | None] = []
    for k, m in enumerate(model):
        hit = next(
            (
                i
                for i, d in enumerate(found)
                if i not in used
                and (
                    norm(d.title) == norm(m.title)
                    or (m.doc_number and d.doc_number and d.doc_number.raw == m.doc_number)
                )
            ),
            None,
        )
        if hit is None and k < len(found) and k not in used:
            hit = k
        if hit is not None:
            used.add(hit)
        out.append(found[hit] if hit is not None else None)
    return out


def _heading_checks(where: str, expected: list[tuple], found: list[Heading]) -> list[Check]:
    """Every heading of the model against the outline read. A law's 条 is a paragraph of the model (the zoo
    records no printed page for a paragraph): its entry is compared on level, label and title (empty)."""
    actual = [(h.level, norm(h.label), norm(h.title), None if h.kind == "article" else h.page) for h in _flat(found)]
    checks = []
    pool = list(actual)
    for e in expected:
        hit = e if e in pool else None
        if hit:
            pool.remove(hit)
        else:  # show the nearest reading: same label and title
            hit = next((a for a in pool if a[1:3] == e[1:3]), None)
        checks.append(Check(where, "heading", e, hit))
    checks.extend(Check(where, "heading+", None, a) for a in pool)  # headings the model does not have
    return checks


def _part_checks(where: str, key: str, part: int, blocks: list[Any], marks: Landmarks, found: Any) -> list[Check]:
    expected_h = []
    n = 0
    level = 0  # the level of the innermost heading of the model so far
    tables: list[ZTable] = []
    tasks: list[ZTask] = []
    for b in blocks:
        if isinstance(b, ZHeading):
            page = marks.heading_page.get((key, part, n))
            expected_h.append((b.level, norm(b.label), norm(b.title), page))
            level = b.level
            n += 1
        elif isinstance(b, ZPara) and (m := ARTICLE.match(b.text)):
            expected_h.append((level + 1, norm(m.group(1)), "", None))
        elif isinstance(b, ZTable):
            tables.append(b)
        elif isinstance(b, ZTask):
            tasks.append(b)
    outline = getattr(found, "outline", None) or [] if found is not None else []
    checks = _heading_checks(where, expected_h, outline)
    found_tables = [
        ([norm(c) for c in t.header[-1]] if t.header else [], [[norm(c) for c in r] for r in t.rows])
        for t in (found.tables if found else [])
    ]
    for t in tables:
        exp = ([norm(c) for c in t.header], [[norm(c) for c in r] for r in t.rows])
        got = exp if exp in found_tables else next((f for f in found_tables if f[0] == exp[0]), None)
        checks.append(Check(where, "table", exp, got))
    found_tasks = [
        (norm(t.text), sorted(norm(u) or "" for u in UNIT_SPLIT.split(t.units_raw or "") if u))
        for t in (found.tasks if found else [])
    ]
    for t in tasks:
        exp = (norm(t.number + t.text), sorted(norm(u) or "" for u in t.units))
        got = (
            exp
            if exp in found_tasks
            else next((f for f in found_tasks if f[0] and exp[0] and f[0][:12] == exp[0][:12]), None)
        )
        checks.append(Check(where, "task", exp, got))
    return checks


def _table_tasks(d: ZDocument) -> list[tuple]:
    """Task rows of a 4-column task table (要求, 任务, 具体要求, 牵头单位): one task per row."""
    out = []
    for a in _parts(d.attachments, "attachments"):
        for b in a.blocks:
            if isinstance(b, ZTable) and len(b.header) == 4 and "牵头" in b.header[-1]:
                for r in b.rows:
                    out.append((norm(r[2]), sorted(norm(u) or "" for u in UNIT_SPLIT.split(r[3]) if u)))
    return out


def document_checks(m: ZDocument, d: Document | None, marks: Landmarks) -> list[Check]:
    w = m.key
    if d is None:
        return [Check(w, "document", m.title, None)]
    checks = [
        Check(w, "doc_number", m.doc_number, d.doc_number.raw if d.doc_number else None),
        Check(w, "title", norm(m.title), norm(d.title)),
        Check(w, "recipients", [norm(r) for r in m.recipients], [norm(r) for r in d.recipients]),
        Check(w, "signature", norm(m.signature_text), norm(d.signature)),
        Check(w, "date", m.date, d.date),
        Check(w, "disclosure", m.disclosure, d.disclosure),
        Check(w, "first_page", marks.doc_first_page.get(m.key), d.pages.first if d.pages else None),
        Check(w, "attachments", _tree(m.attachments), _tree(d.attachments)),
    ]
    checks += _part_checks(f"{w}/body", m.key, 0, m.body, marks, d)
    found_parts: list[Attachment] = _parts(d.attachments, "attachments")
    for k, a in enumerate(_parts(m.attachments, "attachments"), start=1):
        f = found_parts[k - 1] if k - 1 < len(found_parts) else None
        checks += _part_checks(f"{w}/att-{k}", m.key, k, a.blocks, marks, f)
    table_tasks = _table_tasks(m)
    if table_tasks:
        got_tasks = [
            (norm(t.text), sorted(norm(u) or "" for u in UNIT_SPLIT.split(t.units_raw or "") if u))
            for a in found_parts
            for t in a.tasks
        ]
        checks += [Check(w, "task", t, t if t in got_tasks else None) for t in table_tasks]
    return checks


def issue_checks(model: ZIssue, marks: Landmarks, issue: Issue | None) -> list[Check]:
    """Every field of ``model`` against the parsed ``issue`` (None: the file was not read)."""
    if issue is None:
        return [Check(model.key, "issue", model.key, None)]
    checks: list[Check] = []
    if model.gazette:
        checks += [
            Check(model.key, "gazette", model.gazette, issue.gazette),
            Check(model.key, "year", model.year, issue.year),
            Check(model.key, "number", model.number, issue.number),
        ]
        found = [(norm(t.title), t.doc_number, t.page) for t in issue.toc]
        for e in model.toc:
            exp = (norm(e.title), e.doc_number, marks.doc_first_page.get(e.doc_key))
            checks.append(Check(model.key, "toc", exp, exp if exp in found else None))
        checks += [
            Check(model.key, "toc+", None, f)
            for f in found
            if f not in [(norm(e.title), e.doc_number, marks.doc_first_page.get(e.doc_key)) for e in model.toc]
        ]
    checks.append(Check(model.key, "documents", len(model.documents), len(issue.documents)))
    for m, d in zip(model.documents, _match_docs(model.documents, issue.documents), strict=True):
        checks += document_checks(m, d, marks)
    errors = [f.code for f in issue.findings if f.severity is Severity.ERROR]
    checks.append(Check(model.key, "error-findings", [], errors))
    return checks
