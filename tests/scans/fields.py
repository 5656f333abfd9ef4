"""The golden fields of an issue, and how many of them another reading of the same issue finds again.

Used to score a scanned rendition (or any other rendition) of the corpus against its golden file
(issue 17): the fields are the documents' elements (版头, 发文字号, title, 主送, issuer, 署名, 成文日期,
印发机关/日期, 公开方式), every heading (label and title), every indicator (name = target) and every task
(its text), each compared without whitespace. A field counts once per occurrence (a heading title that
appears twice must be found twice).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

DOC_KEYS = ("header", "title", "issuer", "signature", "date", "printed_by", "printed_date", "disclosure")
FAMILIES = ("document", "heading", "indicator", "task")


def plain(text: str) -> str:
    """Text without any whitespace (a scan and a text layer space characters differently)."""
    return re.sub(r"\s+", "", text or "")


def _headings(nodes: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for n in nodes or []:
        out.append("heading:" + plain((n.get("label") or "") + (n.get("title") or "")))
        out += _headings(n.get("children") or [])
    return out


def _document(d: dict[str, Any]) -> list[str]:
    out = [f"document.{key}:" + plain(str(d[key])) for key in DOC_KEYS if d.get(key)]
    if d.get("doc_number"):
        out.append("document.number:" + plain(d["doc_number"]["raw"]))
    out += ["document.recipient:" + plain(r) for r in d.get("recipients") or []]
    return out


def _part(part: dict[str, Any]) -> list[str]:
    """A document or an attachment: its headings, indicators and tasks, and those of its attachments."""
    out = _headings(part.get("outline") or [])
    for ind in part.get("indicators") or []:
        out.append(
            "indicator:" + plain(ind.get("name") or "") + "=" + plain((ind.get("target") or {}).get("raw") or "")
        )
    out += ["task:" + plain(task.get("text") or "") for task in part.get("tasks") or []]
    for sub in part.get("attachments") or []:
        out += _part(sub)
    return out


def issue_fields(issue: dict[str, Any]) -> Counter[str]:
    """The fields of an issue (as its JSON: ``Issue.model_dump(mode="json")``), ``family[.element]:value``."""
    out: Counter[str] = Counter()
    for d in issue.get("documents") or []:
        out.update(_document(d))
        out.update(_part(d))
    return out


def family(key: str) -> str:
    return key.split(":", 1)[0].split(".", 1)[0]


@dataclass
class FieldScore:
    """Fields found again, per family: ``right[f]`` of ``total[f]``; the golden fields not found."""

    right: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return sum(self.right.values()) / max(sum(self.total.values()), 1)


def score_fields(want: dict[str, Any], got: dict[str, Any]) -> FieldScore:
    """How many of ``want``'s fields (the golden issue) ``got`` (another reading) has, per family."""
    w, g = issue_fields(want), issue_fields(got)
    score = FieldScore(right=dict.fromkeys(FAMILIES, 0), total=dict.fromkeys(FAMILIES, 0))
    for key, n in w.items():
        score.total[family(key)] += n
        score.right[family(key)] += min(n, g[key])
    score.missed = sorted((w - g).elements())
    score.extra = sorted((g - w).elements())
    return score
