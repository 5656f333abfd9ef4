"""The tool's doubts are not the gazette's errors: outline numbering gaps the reading cannot vouch for.

Reads: the ``Issue`` with its findings (after ``issue_to_findings``).
Writes: the findings without the V303 (outline numbering gap) findings whose reading is uncertain, and one
``P150`` problem (a problem of the run, with the page) for each of them.
A gap is uncertain when the heading that seems missing may simply not have been read:
  1. a page break lies between the heading and the sibling (or parent) before it — the missing heading may
     sit in a page's top or bottom band, in a table or in a column the reader did not follow;
  2. the missing label is printed at the start of a paragraph or table cell of the same document — a
     heading that was not recognised (wrapped, run into its paragraph, set in the body font);
  3. the attachment's own contents list (目录) names the missing label;
  4. the numbering does not start at one and its first label is printed anywhere in the part's text — run
     into a line the reader did not take for a heading (a table read as text, a heading run into a row).
Only a gap on one page, with no trace of the missing label anywhere, stays an error of the gazette.
"""

from __future__ import annotations

import re

from pipeline.errors import Code, problem
from pipeline.grammar import numerals
from pipeline.i18n import pick
from schemas.model import Attachment, Document, Finding, Heading, Issue, Problem


def missing_label(label: str, n: int) -> str:
    """The label ``label`` would have with number ``n`` (same numerals and brackets): 第三章, 2 → 第二章."""
    if re.search(r"\d", label):
        return re.sub(r"\d+", str(n), label, count=1)
    return re.sub(f"[{numerals.LABEL}]+", numerals.int_to_cn(n), label, count=1)


def _texts(doc: Document, att: Attachment | None) -> list[str]:
    part = att if att is not None else doc
    out = [re.sub(r"\s+", "", p.text) for p in part.body]
    for t in part.tables:
        out.extend(re.sub(r"\s+", "", c) for row in t.header for c in row)
        out.extend(re.sub(r"\s+", "", c or "") for row in t.rows for c in row)
    if att is not None:
        out.extend(re.sub(r"\s+", "", (e.label or "") + e.title) for e in att.toc)
    return out


def _gaps(siblings: list[Heading], parent: Heading | None) -> list[tuple[Heading, Heading | None, int]]:
    """(heading, the heading before it, the number expected) for every sibling that skips or repeats."""
    out: list[tuple[Heading, Heading | None, int]] = []
    by_style: dict[str, list[tuple[Heading, int]]] = {}
    for h in siblings:  # the numbering as the outline stage parsed it (as ``outline_to_findings`` reads it)
        if h.kind is not None and h.number is not None:
            by_style.setdefault(h.kind, []).append((h, h.number))
    for items in by_style.values():
        prev: tuple[Heading, int] | None = None
        for h, n in items:
            expected = 1 if prev is None else prev[1] + 1
            if n != expected:
                out.append((h, prev[0] if prev else parent, expected))
            prev = (h, n)
    for h in siblings:
        out.extend(_gaps(h.children, h))
    return out


def _uncertain(h: Heading, before: Heading | None, expected: int, texts: list[str]) -> bool:
    if before is not None and before.page is not None and h.page is not None and before.page != h.page:
        return True
    if expected < 1:
        return False
    want = re.sub(r"\s+", "", missing_label(h.label, expected)).replace("(", "（").replace(")", "）")
    alt = want.replace("（", "(").replace("）", ")")
    if expected == 1:  # the first label of the numbering, missing: anywhere in the text is a trace of it
        return any(want in t or alt in t for t in texts)
    return any(t.startswith((want, alt)) for t in texts)


def split_doubtful_numbering(issue: Issue) -> tuple[list[Finding], list[Problem]]:
    """The issue's findings without uncertain V303s, and a P150 problem for each one removed."""
    doubtful: dict[tuple[str, int | None, str, str], str] = {}  # (document, page, expected, actual) → heading
    for doc in issue.documents:
        for att in doc.attachments:
            texts = _texts(doc, att)
            for h, before, expected in _gaps(att.outline, None):
                if _uncertain(h, before, expected, texts):
                    doubtful[(doc.id, h.page, str(expected), str(h.number))] = f"{h.label}{h.title}"
    if not doubtful:
        return issue.findings, []
    kept: list[Finding] = []
    problems: list[Problem] = []
    for f in issue.findings:
        key = (f.document_id or "", f.location.page, f.expected or "", f.actual or "")
        if f.code != "V303" or key not in doubtful:
            kept.append(f)
            continue
        heading = doubtful[key]
        problems.append(
            problem(
                Code.P150,
                pick(
                    f"{key[0]}：标题 {heading} 前的编号缺 {f.expected}，可能是本工具漏读（跨页、折行或未识别的行），待核",
                    f"{key[0]}: the numbering before heading {heading} misses {f.expected}; the reader may have "
                    "missed it (page break, wrapped or unrecognised line): to check",
                ),
                page=key[1],
            )
        )
    return kept, problems
