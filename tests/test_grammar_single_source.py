"""The grammar is spelled once: no numbering, numeral, page-label or 目录 pattern outside ``pipeline/grammar/``.

Every string constant in ``pipeline/`` (docstrings excepted) is scanned for the signatures of those patterns;
a hit names the file and line so the pattern can move to the grammar package.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"
GRAMMAR = PIPELINE / "grammar"

# (what it is, signature found in a string constant)
SIGNATURES: list[tuple[str, re.Pattern[str]]] = [
    ("Chinese numeral class", re.compile(r"一二三|二三四|〇零|零〇")),
    ("目录 heading", re.compile(r"^目(?:\\s\*)?[录次]$|目\\s\*录")),
    ("page label", re.compile(r"页.*\\d|\\d.*页|\[[-—–－―·•]+\][^\n]*\\d\{1,4\}|\\d\{1,4\}[^\n]*\[[-—–－―·•]+\]")),
    ("numbering marker", re.compile(r"\\d\{1,[34]\}\)?(?:\\s[*?])?\[[.．、]|\[(?:（\(|\(（)\]\\s\*?\[?\\d")),
    # 表 N / 图 N: a caption or a reference to a numbered table or figure
    ("table/figure number", re.compile(r"[表图]\)?\\s(?:\*|\{0,\d\})\(?(?:\?P<\w>)?\\d")),
    # a bare 序号 cell, a 续表 caption
    ("sequence number cell", re.compile(r"\^\\d\{1,[34]\}\$")),
    ("续表 caption", re.compile(r"续表")),
]


def _constants(tree: ast.AST) -> list[tuple[int, str]]:
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def scan(path: Path) -> list[str]:
    """``file:line: kind: constant`` for every string constant of ``path`` carrying a grammar signature."""
    hits = []
    for line, value in _constants(ast.parse(path.read_text(encoding="utf-8"))):
        for kind, signature in SIGNATURES:
            if signature.search(value):
                hits.append(f"{path.relative_to(PIPELINE.parent)}:{line}: {kind}: {value[:60]!r}")
    return hits


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        (r'X = re.compile(r"^[一二三四五六七八九十]{1,3}、")', "Chinese numeral class"),
        (r'X = re.compile(r"^目\s*录$")', "目录 heading"),
        (r'X = re.compile(r"^\d{1,4}$")', "sequence number cell"),
        (r'X = re.compile(r"^\s*[（(]?\s*续表?")', "续表 caption"),
        ('X = {"目录", "目次"}', "目录 heading"),
        (r'X = re.compile(r"第\s*(\d{1,4})\s*页")', "page label"),
        (r'X = re.compile(r"^\s*[-—–－]\s*\d{1,4}\s*[-—–－]\s*$")', "page label"),
        (r'X = re.compile(r"^\d{1,3}\s*[.．、](?!\d)")', "numbering marker"),
        (r'X = re.compile(r"(\d{1,4})[.、．]?")', "numbering marker"),
        (r'X = re.compile(r"^[（(]\s*[\d]{1,3}\s*[)）]")', "numbering marker"),
        (r'X = re.compile(r"^\s*(?:表|图)\s*\d")', "table/figure number"),
        (r'X = re.compile(r"(表|图)\s{0,3}(\d{1,3})")', "table/figure number"),
        (r'X = re.compile(r"^续?表\s*(?P<n>\d{1,3})")', "table/figure number"),
    ],
)
def test_grammar_signature_found(source: str, kind: str) -> None:
    assert {k for k, _ in scan_text(source)} == {kind}


def scan_text(text: str) -> list[tuple[str, str]]:
    return [
        (kind, value)
        for _, value in _constants(ast.parse(text))
        for kind, signature in SIGNATURES
        if signature.search(value)
    ]


def test_grammar_no_copy_outside_package() -> None:
    hits = [hit for path in sorted(PIPELINE.rglob("*.py")) if GRAMMAR not in path.parents for hit in scan(path)]
    assert hits == []


def test_grammar_package_holds_them() -> None:
    inside = [hit for path in sorted(GRAMMAR.rglob("*.py")) for hit in scan(path)]
    kinds = {hit.split(": ")[1] for hit in inside}
    assert kinds == {kind for kind, _ in SIGNATURES}


PLAN_WORDS = ("整改", "隐患", "家（次）", "家(次)")


def test_grammar_claim_checks_carry_no_plan_vocabulary() -> None:
    hits = [
        f"{path.name}:{line}: {value[:40]!r}"
        for path in sorted((PIPELINE / "check").glob("*.py"))
        for line, value in _constants(ast.parse(path.read_text(encoding="utf-8")))
        if any(w in value for w in PLAN_WORDS)
    ]
    assert hits == []


def test_grammar_claim_vocabulary_is_data() -> None:
    from pipeline.check import claims, validate
    from pipeline.grammar import vocabulary

    # every kind of claim is a row of the data, in the order the reader tries them
    assert [(r.kind.value, r.test, r.quantity) for r in claims.KIND_RULES] == [
        ("average-growth", "before", "previous"),
        ("average", "before", "split"),
        ("universal", "ends", "clause"),
        ("difference", "quantity-re", "clause"),
        ("change", "before", "previous"),
        ("share", "before", "previous"),
        ("total", "several", "clause"),
        ("universal", "all-done-re", "clause"),
        ("superlative", "rank-re", "clause"),
    ]
    average = next(r for r in claims.KIND_RULES if r.kind == claims.ClaimKind.AVERAGE)
    assert average.words == ("平均", "年均", "均值") == tuple(vocabulary.claim_rows("kind")[1][2].split("|"))
    assert vocabulary.claim_map("unit-alias") == {"家(次)": "家次", "％": "%"}
    assert validate._role("落实整改") == "fixed" and validate._role("发现隐患") == "found"
    assert validate._role("下达整改令") == "order" and validate._role("整改率") == "rate"
