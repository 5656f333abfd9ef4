"""Stage 1 (DOCX): a Word document (Office Open XML) → ``LoadedSource`` in the same page/line model.

Reads: a ``.docx`` zip checked by ``pipeline.load.zipsafe`` (bombs, traversal, entity declarations in
``word/document.xml``, ``styles.xml``, ``numbering.xml``), then opened with python-docx.
Writes: one ``Page`` (a Word file has no fixed pages) with
  - ``lines``: one ``Line`` per paragraph of the body in order (a manual line break starts a new line of
    the same paragraph), ``line_no`` = the 1-based index of the paragraph or table among the body's
    blocks (the provenance), ``font``/``size``/``bold`` from the runs and the style chain, ``style`` and
    ``outline_level`` (``w:outlineLvl`` or a ``Heading N`` style); ``lead`` the first runs of a paragraph
    printed in bold or another font than the rest (a run-in head ``（一）标题。``, as the PDF loader gives it);
  - automatic numbering rendered as Word shows it: a paragraph with ``w:numPr`` (its own or its style's)
    gets the label its list level defines (``lvlText`` ``%1、`` with ``chineseCounting`` → ``一、``,
    ``（%1）`` → ``（一）``, ``%1.`` → ``1.``), counters kept per list and reset below the level used;
  - ``tables``: every body table as a ``RawTable`` whose merged cells are native spans (``gridSpan`` →
    colspan, ``vMerge`` → rowspan), ``first_line_no`` its block index;
  - ``furniture``: the text of the sections' headers and footers.
Guaranteed after: no geometry is invented (bbox stays None, so the text reflow applies); every paragraph
and table of the body is kept in order.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from pipeline.errors import Code, GazetteError
from pipeline.grammar.numerals import DIGITS_ZERO, LEGAL_DIGITS, int_to_cn
from pipeline.i18n import pick
from pipeline.load.digest import file_to_sha256
from pipeline.load.zipsafe import open_zip
from pipeline.types import Line, LoadedSource, Page, RawCell, RawTable, RawTableStyle

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_LEVEL_REF = re.compile(r"%([1-9])")


def _roman(n: int) -> str:
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL")]
    vals += [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def _letter(n: int) -> str:
    n = max(n, 1)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """A list counter in a ``w:numFmt`` (decimal, chineseCounting, upperLetter, decimalEnclosedCircle …)."""
    simple = {
        "chineseCounting": lambda k: int_to_cn(k),
        "chineseCountingThousand": lambda k: int_to_cn(k),
        "japaneseCounting": lambda k: int_to_cn(k),
        "chineseLegalSimplified": lambda k: int_to_cn(k, LEGAL_DIGITS, "拾", "佰", bare_ten=False),
        "ideographLegalTraditional": lambda k: int_to_cn(k, LEGAL_DIGITS, "拾", "佰", bare_ten=False),
        "ideographDigital": lambda k: "".join(DIGITS_ZERO[int(d)] for d in str(k)),
        "ideographTraditional": lambda k: _STEMS[(k - 1) % 10],
        "decimalEnclosedCircle": lambda k: chr(0x2460 + k - 1) if 1 <= k <= 20 else str(k),
        "decimalEnclosedCircleChinese": lambda k: chr(0x2460 + k - 1) if 1 <= k <= 20 else str(k),
        "decimalEnclosedParen": lambda k: chr(0x2474 + k - 1) if 1 <= k <= 20 else f"({k})",
        "decimalFullWidth": lambda k: "".join(chr(0xFF10 + int(d)) for d in str(k)),
        "upperLetter": _letter,
        "lowerLetter": lambda k: _letter(k).lower(),
        "upperRoman": _roman,
        "lowerRoman": lambda k: _roman(k).lower(),
        "decimalZero": lambda k: f"{k:02d}",
        "none": lambda k: "",
    }
    return simple.get(fmt, str)(n)


class Numbering:
    """Word's list numbering: definitions from ``numbering.xml`` and the counters as paragraphs use them."""

    def __init__(self, root: Any | None) -> None:
        self.levels: dict[str, dict[int, dict[str, Any]]] = {}  # abstractNumId → ilvl → definition
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstractNumId, start overrides)
        self.counters: dict[str, list[int | None]] = {}
        self.used: set[str] = set()
        if root is None:
            return
        for ab in root.iter(f"{W}abstractNum"):
            levels: dict[int, dict[str, Any]] = {}
            for lvl in ab.iter(f"{W}lvl"):
                levels[int(lvl.get(f"{W}ilvl", "0"))] = {
                    "start": int(_val(lvl, "start") or 1),
                    "fmt": _val(lvl, "numFmt") or "decimal",
                    "text": _val(lvl, "lvlText") or "",
                    "suff": _val(lvl, "suff") or "tab",
                }
            self.levels[ab.get(f"{W}abstractNumId", "")] = levels
        for num in root.iter(f"{W}num"):
            overrides = {}
            for ov in num.iter(f"{W}lvlOverride"):
                start = _val(ov, "startOverride")
                if start is not None:
                    overrides[int(ov.get(f"{W}ilvl", "0"))] = int(start)
            self.nums[num.get(f"{W}numId", "")] = (_val(num, "abstractNumId") or "", overrides)

    def label(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """The next label of list ``num_id`` at level ``ilvl`` and its suffix (``tab``/``space``/``nothing``);
        ("", "nothing") for an unknown list or ``numId`` 0 (numbering removed)."""
        if num_id not in self.nums:
            return "", "nothing"
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return "", "nothing"
        counters = self.counters.setdefault(abstract, [None] * 10)
        if num_id not in self.used:
            self.used.add(num_id)
            for lv, start in overrides.items():
                counters[lv] = start - 1
                for deeper in range(lv + 1, 10):
                    counters[deeper] = None
        current = counters[ilvl]
        counters[ilvl] = levels[ilvl]["start"] if current is None else current + 1
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = None
        d = levels[ilvl]
        if d["fmt"] == "bullet":
            return d["text"], d["suff"]

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            value = counters[k] if counters[k] is not None else levels.get(k, {}).get("start", 1)
            return format_number(int(value or 1), levels.get(k, d)["fmt"])

        return _LEVEL_REF.sub(sub, d["text"]), d["suff"]


def _val(el: Any, name: str) -> str | None:
    found = el.find(f"{W}{name}")
    return found.get(f"{W}val") if found is not None else None


def _style_chain(style: Any) -> list[Any]:
    out: list[Any] = []
    while style is not None and len(out) < 20:
        out.append(style)
        style = style.base_style
    return out


def _num_pr(p: Any, chain: list[Any]) -> tuple[str | None, int]:
    """The paragraph's list (numId, ilvl): its own ``w:numPr`` first, then its styles'."""
    num_id: str | None = None
    ilvl: int | None = None
    for el in [p._p.pPr, *[s.element.pPr for s in chain]]:
        if el is None or el.find(f"{W}numPr") is None:
            continue
        npr = el.find(f"{W}numPr")
        num_id = num_id if num_id is not None else _val(npr, "numId")
        if ilvl is None and _val(npr, "ilvl") is not None:
            ilvl = int(_val(npr, "ilvl") or 0)
    return num_id, ilvl or 0


def _outline_level(p: Any, chain: list[Any]) -> int | None:
    for el in [p._p.pPr, *[s.element.pPr for s in chain]]:
        lvl = _val(el, "outlineLvl") if el is not None else None
        if lvl is not None and lvl.isdigit() and int(lvl) < 9:
            return int(lvl) + 1
    for s in chain:
        m = _HEADING_STYLE.match(s.name or "")
        if m:
            return int(m.group(1))
    return None


def _font_name(el: Any) -> str | None:
    """The font of a run or style: its East Asian font (what Chinese text is set in), else the Latin one."""
    rpr = el.find(f"{W}rPr")
    fonts = rpr.find(f"{W}rFonts") if rpr is not None else None
    if fonts is None:
        return None
    for attr in ("eastAsia", "ascii", "hAnsi"):
        value = fonts.get(f"{W}{attr}")
        if value:
            return str(value)
    return None


def _font_facts(p: Any, chain: list[Any]) -> tuple[str | None, float | None, bool]:
    """(font, size in pt, bold) of a paragraph: its runs' majority, falling back on the style chain."""
    runs = [r for r in p.runs if r.text.strip()]
    font = next((f for r in runs if (f := _font_name(r._r))), None)
    size = next((r.font.size.pt for r in runs if r.font.size is not None), None)
    bold_runs = [r.bold for r in runs if r.bold is not None]
    bold = None
    if bold_runs:
        bold = sum(bool(b) for b in bold_runs) * 2 > len(runs)
    for s in chain:
        font = font or _font_name(s.element)
        size = size if size is not None else (s.font.size.pt if s.font.size is not None else None)
        bold = bold if bold is not None else s.font.bold
    return font, size, bool(bold)


def _run_looks(r: Any, chain: list[Any]) -> tuple[bool, str | None]:
    """(bold, font) a run is printed in: its own properties, else its paragraph's style chain."""
    bold = r.bold
    font = _font_name(r._r)
    for s in chain:
        bold = bold if bold is not None else s.font.bold
        font = font or _font_name(s.element)
    return bool(bold), font


def run_in_lead(p: Any, chain: list[Any]) -> str:
    """The paragraph's first characters when printed otherwise than the text after them (a run-in head:
    ``（一）标题。`` in bold or another font, the body text run into the same paragraph), as the PDF loader's
    ``Line.lead``; "" when the paragraph keeps one look or the text after is bold and the head not. The head's closing 。/： set in the body's look
    belongs to the head. Leading blank runs (indentation typed as spaces) are left out."""
    runs = [r for r in p.runs if r.text]
    while runs and not runs[0].text.strip():
        runs.pop(0)
    if not runs:
        return ""
    first = _run_looks(runs[0], chain)
    lead = ""
    for k, r in enumerate(runs):
        looks = _run_looks(r, chain)
        if looks == first or not r.text.strip():
            lead += r.text
            continue
        if looks[0] and not first[0]:  # the text after is the bolder: a bold body, not a head
            return ""
        rest = "".join(x.text for x in runs[k:]).lstrip()
        if not re.search(r"[。：:]\s*$", lead) and rest[:1] in ("。", "：", ":"):
            lead = lead.rstrip() + rest[0]
        return lead.lstrip()
    return ""


def _gap(label: str, suff: str) -> str:
    """What Word shows between a list label and the text: a space (``w:suff`` space), nothing, or for a tab
    a space unless the label already ends in Chinese punctuation (一、 （一）)."""
    if suff == "nothing":
        return ""
    if suff == "space":
        return " "
    return "" if label[-1] in "、）)．。：:" else " "


def _paragraph_lines(p: Any, line_no: int, numbering: Numbering) -> list[Line]:
    chain = _style_chain(p.style)
    num_id, ilvl = _num_pr(p, chain)
    label, suff = numbering.label(num_id, ilvl) if num_id and num_id != "0" else ("", "nothing")
    text = p.text
    if not text.strip():
        return []
    lead = run_in_lead(p, chain)
    if label:
        gap = _gap(label, suff)
        text = label + gap + text.lstrip()
        lead = label + gap + lead if lead else ""
    font, size, bold = _font_facts(p, chain)
    style = p.style.name if p.style is not None else None
    level = _outline_level(p, chain)
    parts = [part.strip() for part in text.split("\n") if part.strip()]
    return [
        Line(
            text=part,  # indentation typed as spaces (U+3000, U+00A0) is layout, not text
            page_index=0,
            font=font,
            size=size,
            bold=bold,
            line_no=line_no,
            style=style,
            outline_level=level,
            lead=lead if k == 0 and "\n" not in lead and len(lead) < len(part) else "",
        )
        for k, part in enumerate(parts)
    ]


def _cell_text(tc: Any) -> str:
    paras = []
    for p in tc.iter(f"{W}p"):
        paras.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return "\n".join(x for x in paras if x.strip())


def table_to_raw(tbl: Any, first_line_no: int) -> RawTable:
    """A ``w:tbl`` element → ``RawTable`` with native spans: ``gridSpan`` → colspan, ``vMerge`` → rowspan."""
    cells: list[RawCell] = []
    above: dict[int, RawCell] = {}  # grid column → the anchor cell covering it in the row above
    n_cols = 0
    rows = [tr for tr in tbl.iterchildren(f"{W}tr")]
    for r, tr in enumerate(rows):
        trpr = tr.find(f"{W}trPr")
        col = int(_val(trpr, "gridBefore") or 0) if trpr is not None else 0
        for tc in tr.iterchildren(f"{W}tc"):
            tcpr = tc.find(f"{W}tcPr")
            span = int(_val(tcpr, "gridSpan") or 1) if tcpr is not None else 1
            vmerge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
            cont = vmerge is not None and vmerge.get(f"{W}val", "continue") == "continue"
            if cont and col in above:
                anchor = above[col]
                anchor.rowspan = r - anchor.row + 1
            else:
                cell = RawCell(row=r, col=col, text=_cell_text(tc), colspan=span)
                cells.append(cell)
                for c in range(col, col + span):
                    above[c] = cell
            col += span
        n_cols = max(n_cols, col)
    return RawTable(
        page_index=0,
        n_rows=len(rows),
        n_cols=n_cols,
        cells=cells,
        style=RawTableStyle.RULED,
        first_line_no=first_line_no,
    )


def _furniture(doc: Any) -> list[Line]:
    out: list[Line] = []
    seen: set[int] = set()
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if part.is_linked_to_previous or id(part._element) in seen:
                continue
            seen.add(id(part._element))
            out.extend(Line(text=p.text.strip(), page_index=0) for p in part.paragraphs if p.text.strip())
    return out


def _check_parts(path: Path) -> None:
    """The zip guards, and the XML parts python-docx will parse checked for entity declarations (E015)."""
    with open_zip(path) as zf:
        if not zf.has("word/document.xml"):
            raise GazetteError(Code.E014, str(path), pick("缺少 word/document.xml", "word/document.xml is missing"))
        for part in ("word/document.xml", "word/styles.xml", "word/numbering.xml"):
            if zf.has(part):
                zf.xml(part)


def _open(path: Path) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise GazetteError(
            Code.E017, str(path), pick(f"Word 文档无法打开：{exc}", f"Word document cannot be opened: {exc}")
        ) from None


def docx_to_source(path: Path) -> LoadedSource:
    """Load a ``.docx`` into one page of lines and tables. Raises ``GazetteError`` E012–E015/E017, E002 (no text)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_parts(path)
    doc = _open(path)
    try:
        numbering = Numbering(doc.part.numbering_part.element)
    except (KeyError, NotImplementedError):
        numbering = Numbering(None)
    lines: list[Line] = []
    tables: list[RawTable] = []
    for k, block in enumerate(doc.iter_inner_content(), start=1):
        if isinstance(block, Paragraph):
            lines.extend(_paragraph_lines(block, k, numbering))
        elif isinstance(block, Table):
            tables.append(table_to_raw(block._tbl, k))
    if not lines and not any(c.text.strip() for t in tables for c in t.cells):
        raise GazetteError(Code.E002, str(path), pick("Word 文档没有文字", "the Word document has no text"))
    page = Page(
        index=0,
        width=None,
        height=None,
        lines=lines,
        tables=tables,
        furniture=_furniture(doc),
        whole_paragraphs=True,
    )
    return LoadedSource(path=str(path), sha256=file_to_sha256(path), kind="docx", pages=[page], n_pages=None)
