"""Copy the development documents' texts the zoo models are built from into ``tests/zoo/texts/``.

Run once by hand (``python -m tests.zoo.excerpt [DEV_DIR]``) when the selection changes; the excerpts are
committed (a few KB each), so building the zoo needs neither the development corpus nor its readers. Every
character is as obtained: paragraphs are kept whole or cut at a sentence end, never edited.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent / "texts"
DEV = Path("/work/shared/corpus/dev")
REPORTS = ("anhui", "hebei", "jilin")
SENTENCE_END = re.compile(r"(?<=[。！？；])")
TOP = re.compile(r"^[一二三四五六七八九十]+、")
SUB = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


def cut(text: str, limit: int) -> str:
    """The paragraph's first sentences, at most ``limit`` characters (at least one sentence)."""
    out = ""
    for s in SENTENCE_END.split(text):
        if out and len(out) + len(s) > limit:
            break
        out += s
    return out


def report_lines(path: Path) -> list[str]:
    import docx  # python-docx: only this maintenance script reads Word files

    paras = [p.text.replace("\xa0", " ").strip() for p in docx.Document(str(path)).paragraphs]
    paras = [p for p in paras if p]
    head_end = next(i for i, p in enumerate(paras) if p.endswith("各位代表：")) + 1
    lines = paras[:head_end]
    tops = 0
    subs = 0
    plain = 0
    for p in paras[head_end:]:
        if TOP.match(p):
            tops += 1
            subs = plain = 0
            if tops > 3:
                break
            lines.append(p)
        elif SUB.match(p) and subs < 3:
            subs += 1
            lines.append(cut(p, 110))
        elif plain < 2 and subs == 0:
            plain += 1
            lines.append(cut(p, 140))
    return lines


def law_lines(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        pages = [(page.extract_text() or "").splitlines() for page in pdf.pages[2:9]]
    # the reprinting site's running header: the lines printed on most pages
    seen = Counter(line.strip() for lines in pages for line in set(lines))
    furniture = {line for line, n in seen.items() if n > len(pages) // 2}
    out: list[str] = []
    started = False
    for raw in (line for lines in pages for line in lines):
        line = raw.strip()
        if line.startswith("第一编"):
            started = True
        if not started or not line or line in furniture or line.startswith("»") or line.isdigit():
            continue
        if line.startswith("第三章"):
            break
        if re.match(r"^第[一二三四五六七八九十百]+[编章节条]", line) or not out:
            out.append(line)
        else:
            out[-1] += line
    return [cut(x, 120) if x.startswith("第") and "条" in x[:6] else x for x in out]


def annual_lines(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        text = page.extract_text() or ""
        tables = [t for t in pdf.pages[2].extract_tables() if len(t) > 1 and "信息内容" in (t[1][0] or "")]
    table = tables[0] if tables else []
    lines = [x.strip() for x in text.splitlines() if x.strip() and not re.fullmatch(r"-\s*\d+\s*-", x.strip())]
    out = lines[:2]
    para = ""
    for x in lines[2:]:
        if TOP.match(x) or SUB.match(x):
            if para:
                out.append(para)
            para = x
            if TOP.match(x):
                out.append(para)
                para = ""
        else:
            para += x
    out.append(para)
    out = [cut(p, 150) if not TOP.match(p) else p for p in out]
    rows = ["\t".join(c or "" for c in r) for r in table]
    return [*out, "#table", *rows]


def main(argv: list[str]) -> None:
    dev = Path(argv[0]) if argv else DEV
    HERE.mkdir(exist_ok=True)
    for name in REPORTS:
        lines = report_lines(dev / "docx" / f"gov-work-report-2025-{name}.docx")
        (HERE / f"gov-work-report-2025-{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    law = law_lines(dev / "pdf" / "npc-criminal-law-2020-retypeset.pdf")
    (HERE / "npc-criminal-law-2020.txt").write_text("\n".join(law) + "\n", encoding="utf-8")
    annual = annual_lines(dev / "pdf" / "huaian-hongze-xxgk-annual-report-2024.pdf")
    (HERE / "huaian-hongze-xxgk-annual-report-2024.txt").write_text("\n".join(annual) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
