"""Issues → the static site's client-side search index (``search-index.js``), built at ingest, read offline.

Reads: the Issues, each issue's folder in the site (given by the caller), and a tokenizer (default
``pipeline.nlp.tokens_for_index``: jieba search mode, unit names whole). Writes nothing itself: returns the
file's bytes. The file sets ``window.GZ_INDEX = {"v": vocabulary, "e": entries}``: one entry per document,
task and paragraph (``u`` URL from the site root, ``t`` title, ``x`` text, ``k`` kind); the vocabulary is
every jieba token of the texts, which ``static/site.js`` uses to segment a query into the same words.
Guarantees: deterministic (sorted vocabulary, entries in printed order); loads as a plain script, so the
search works from ``file://`` without a server and without any download.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from pipeline.publish.export import anchor, issue_to_task_rows, safe_name
from pipeline.publish.messages import msg
from schemas.model import Issue

Tokenizer = Callable[[str], list[str]]
MAX_TEXT = 400  # characters of a paragraph kept in the index


def _tokenizer() -> Tokenizer:
    from pipeline.nlp import tokens_for_index

    return tokens_for_index


def issue_entries(issue: Issue, base: str) -> list[dict[str, str]]:
    """The entries of one issue: each document (title, number, issuer), each task (text and units), each
    paragraph of the notices and their attachments."""
    entries: list[dict[str, str]] = []
    for doc in issue.documents:
        page = f"{base}/{safe_name(doc.id)}.html"
        number = doc.doc_number.raw if doc.doc_number else ""
        entries.append(
            {"k": "doc", "u": page, "t": doc.title, "x": " ".join(x for x in (number, doc.issuer or "") if x)}
        )
        paragraphs = [*doc.body, *(p for a in doc.attachments for p in a.body)]
        for p in paragraphs:
            entries.append({"k": "para", "u": f"{page}#{anchor(p.id)}", "t": doc.title, "x": p.text[:MAX_TEXT]})
    for row in issue_to_task_rows(issue):
        t, doc = row.task, row.document
        units = "、".join(dict.fromkeys([*t.lead_units, *t.co_units]))
        title = f"{doc.title} · {msg('export.calendar_task', seq=t.seq)}" if t.seq is not None else doc.title
        url = f"{base}/{safe_name(doc.id)}.html#{anchor(t.id)}"
        entries.append({"k": "task", "u": url, "t": title, "x": f"{t.text}（{units}）" if units else t.text})
    return entries


def build_search_index(issues: Iterable[tuple[Issue, str]], tokenize: Tokenizer | None = None) -> bytes:
    """The bytes of ``search-index.js`` for ``(issue, issue folder)`` pairs."""
    tokenize = tokenize or _tokenizer()
    entries: list[dict[str, str]] = []
    for issue, base in issues:
        entries += issue_entries(issue, base)
    vocabulary: set[str] = set()
    for e in entries:
        vocabulary.update(tok for tok in tokenize(f"{e['t']} {e['x']}") if len(tok) > 1)
    data = {"v": sorted(vocabulary), "e": entries}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f"window.GZ_INDEX={text};\n".encode()
