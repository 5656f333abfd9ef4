"""Structure: cleaned pages → ``AnnualReport`` (a 政府信息公开工作年度报告 in the national template) or None.

Reads: the cleaned pages (lines outside tables and the loader's raw grids, PDF or text input), the printed page
map, and the document's title.
Writes: an :class:`schemas.model.AnnualReport`: every cell of the template's tables (第二十条第（一）/（五）/（六）/
（八）项 of 二、, the 申请 table of 三、, the 复议诉讼 table of 四、) as a number addressed by its template row
path × column path, the 勾稽关系 notes printed in the tables with their formulas, the figures of the prose
(主动公开 N 条, 受理申请 N 件 …) with their sentences, the reporting year and the issuer; ``P16x`` problems for
template rows that could not be read.
Guaranteed:
  1. the template is recognised by its section headings and its tables' labels, never by issuer: at least four of
     the six section headings, and the 申请 table's 自然人 / 总计 columns and 本年新收 / 上年结转 rows, are printed;
  2. rows are read the same way from every input: a printed line or a raw grid row (ruled, three-line or text)
     becomes a label and its trailing numbers, so a grid the table finder garbled, a WPS table read as lines and
     a tab-separated or markdown row in a .txt all give the same rows;
  3. a row of numbers is mapped onto the template row whose printed label it matches (fuzzily: reports carry
     typos such as ``其他法律行政止公开``), else onto the next template row in order (labels printed in a merged
     cell above or below their numbers); each cell keeps its page, box or line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from importlib import resources
from typing import Any

from pipeline.errors import Code, problem
from pipeline.grammar import numerals
from pipeline.grammar.labels import LabelKind, split_label
from pipeline.types import BBox, Line, Page, RawCell, RawTable
from schemas.model import AnnualCell, AnnualFigure, AnnualNote, AnnualReport, Document, Problem, Source

_NUMBER = re.compile(r"^[-−－]?\d[\d,，]*(?:\.\d+)?(?:万元|元|件|条|个|项)?$")
_UNIT = re.compile(r"(?:万元|元|件|条|个|项)$")
_CAPTION = re.compile(rf"第二十条第[（(]\s*([{numerals.SMALL}])\s*[）)]项")
_ITEM_KINDS = (LabelKind.CN_ENUM, LabelKind.CN_PAREN, LabelKind.NUM, LabelKind.NUM_PAREN)
_NOISE = re.compile(r"[\s“”\"'‘’、，,。．.（）()：:]")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*(?:度\s*)?政府信息公开(?:工作)?年度报告")
_ANY_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
_PERIOD = re.compile(r"自((?:19|20)\d{2})年1月1日")
_TITLE_END = re.compile(r"政府信息公开(?:工作)?年度报告$")
_NOTE = re.compile(r"[（(]?[^（(）)]*勾稽[^）)]*[）)]?")
_PLACEHOLDER = re.compile(r"^(?:[—–\-－/／]{1,2}|无)$")
_MATCH_MIN = 0.6
_MIN_SECTIONS = 4


@dataclass(slots=True)
class Row:
    """A printed row: its label text and trailing numbers, with where it was printed."""

    label: str
    numbers: list[str]
    page_index: int
    bbox: BBox | None = None
    line_no: int | None = None
    cell_boxes: list[BBox | None] = field(default_factory=list)
    text: str = ""


@dataclass(slots=True)
class _Spec:
    id: str
    caption: str
    section: str
    columns: list[dict[str, str]]
    rows: list[dict[str, Any]]
    items: dict[str, str]


@cache
def template() -> dict[str, Any]:
    """The national template (section headings, tables, prose figures) from ``pipeline/data``."""
    text = resources.files("pipeline").joinpath("data/annual_template.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _specs() -> list[_Spec]:
    return [
        _Spec(t["id"], t["caption"], t["section"], t["columns"], t["rows"], t.get("items", {}))
        for t in template()["tables"]
    ]


def key(text: str) -> str:
    """A label reduced for matching: no numbering marker, spaces or punctuation."""
    lab = split_label(text or "")
    return _NOISE.sub("", lab.rest if lab is not None and lab.kind in _ITEM_KINDS else text or "")


def _is_number(tok: str) -> bool:
    """A number, or a placeholder printed in a number's cell (``—`` / ``/`` / ``无``: kept, read as no value)."""
    t = tok.strip().translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
    return bool(_NUMBER.match(t) or _PLACEHOLDER.match(t))


def parse_number(raw: str) -> float | None:
    """``1,234`` / ``95`` / ``７.5`` / ``7545万元`` → the number; anything else → None."""
    tok = raw.strip().translate(str.maketrans("０１２３４５６７８９．，−－", "0123456789.,--"))
    if not _NUMBER.match(tok):
        return None
    return float(_UNIT.sub("", tok).replace(",", ""))


def _split_tokens(tokens: list[str]) -> tuple[str, list[str]]:
    """Tokens → (label, trailing numbers)."""
    k = len(tokens)
    while k > 0 and _is_number(tokens[k - 1]):
        k -= 1
    return " ".join(tokens[:k]).strip(), tokens[k:]


def line_to_row(line: Line) -> Row:
    """A printed line → a row: markdown pipes and tabs are cell separators, else spaces."""
    text = line.text.strip()
    if text.startswith("|") or text.count("|") >= 2:
        cells = [c.strip() for c in text.strip("|").split("|")]
        tokens = [c for c in cells if c and not re.fullmatch(r":?-{2,}:?", c)]
    elif "\t" in text:
        tokens = [c.strip() for c in text.split("\t") if c.strip()]
    else:
        tokens = text.split()
    label, numbers = _split_tokens(tokens)
    return Row(label, numbers, line.page_index, line.bbox, line.line_no, [], text)


def _cell_tokens(anchors: list[RawCell]) -> tuple[list[tuple[str, BBox | None]], int]:
    """The tokens of a grid row's cells (a blank cell is one empty token) and where its trailing numbers start."""
    tokens: list[tuple[str, BBox | None]] = []
    for c in anchors:
        tokens += [(tok, c.bbox) for tok in c.text.split()] or [("", c.bbox)]
    k = len(tokens)
    while k > 0 and (not tokens[k - 1][0] or _is_number(tokens[k - 1][0])):
        k -= 1
    while k < len(tokens) and not tokens[k][0]:
        k += 1
    return tokens, k


def _row_box(t: RawTable, r: int, anchors: list[RawCell]) -> BBox | None:
    boxes = [c.bbox for c in anchors if c.bbox]
    if not boxes:
        return None
    top = t.row_tops[r] if r < len(t.row_tops) else min(b[1] for b in boxes)
    return (min(b[0] for b in boxes), top, max(b[2] for b in boxes), max(b[3] for b in boxes))


def _row_line_no(t: RawTable, r: int, anchors: list[RawCell]) -> int | None:
    if t.first_line_no is not None:
        return t.first_line_no + r
    return next((ln.line_no for c in anchors for ln in c.lines if ln.line_no is not None), None)


def _table_rows(t: RawTable) -> list[Row]:
    """A raw grid → one row per grid row: the anchor cells' tokens in column order (a text grid may hold several
    printed cells in one when a row has more cells than the grid has columns); blank cells between numbers kept."""
    out: list[Row] = []
    for r, cells in enumerate(t.grid()):
        anchors = [c for c in cells if c is not None]
        if not anchors:
            continue
        tokens, k = _cell_tokens(anchors)
        label = " ".join(tok for tok, _ in tokens[:k] if tok)
        numbers = [tok for tok, _ in tokens[k:]]
        text = " ".join(c.text for c in anchors)
        boxes = [b for _, b in tokens[k:]]
        out.append(Row(label, numbers, t.page_index, _row_box(t, r, anchors), _row_line_no(t, r, anchors), boxes, text))
    return out


def pages_to_rows(pages: list[Page]) -> list[Row]:
    """Every printed line and raw grid row of the pages, in reading order."""
    out: list[tuple[tuple[int, float, int], Row]] = []
    for p in pages:
        for i, ln in enumerate(p.lines):
            order = (p.index, ln.top if ln.bbox else float(ln.line_no or i), 0)
            out.append((order, line_to_row(ln)))
        for t in p.tables:
            for row in _table_rows(t):
                y = row.bbox[1] if row.bbox else float(row.line_no or 0)
                out.append(((p.index, y, 1), row))
    out.sort(key=lambda x: x[0])
    return [r for _, r in out]


# --------------------------------------------------------------------------- recognition


def _sections(rows: list[Row]) -> dict[str, int]:
    """Template section number → index of the row printing its heading (first match)."""
    found: dict[str, int] = {}
    for num, title in template()["sections"]:
        want = key(title)
        for i, r in enumerate(rows):
            lab = split_label(r.text)
            if (
                lab is not None
                and lab.kind is LabelKind.CN_ENUM
                and lab.number == numerals.cn_to_int(num)
                and 2 <= len(lab.rest) <= 30
                and _similar(key(lab.rest), want) >= 0.75
            ):
                found[num] = i
                break
    return found


def _similar(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if b in a or (a in b and len(a) >= 2):
        return 1.0 if b in a else 0.9
    return SequenceMatcher(None, a, b).ratio()


def is_annual_report(pages: list[Page]) -> bool:
    """Whether the pages print the national template: its section headings and the 申请 table's columns."""
    rows = pages_to_rows(pages)
    return _recognised(rows, _sections(rows))


def _recognised(rows: list[Row], sections: dict[str, int]) -> bool:
    if len(sections) < _MIN_SECTIONS or "三" not in sections:
        return False
    start = sections["三"]
    end = sections.get("四", len(rows))
    header = key("".join(r.text for r in rows[start:end]))
    return all(w in header for w in ("自然人", "总计", "本年新收", "上年结转"))


# --------------------------------------------------------------------------- tables


def _regions(rows: list[Row], sections: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Template table id → the row range it is printed in."""
    order = sorted(sections.items(), key=lambda kv: kv[1])

    def section_range(num: str) -> tuple[int, int]:
        if num not in sections:
            return (0, 0)
        start = sections[num]
        nxt = [i for _, i in order if i > start]
        return (start + 1, nxt[0] if nxt else len(rows))

    out: dict[str, tuple[int, int]] = {}
    captions = [(i, m.group(0)) for i, r in enumerate(rows) if (m := _CAPTION.search(r.text.replace(" ", "")))]
    for spec in _specs():
        if spec.section != "二":
            out[spec.id] = section_range(spec.section)
            continue
        at = next((i for i, c in captions if key(c) == key(spec.caption)), None)
        if at is None:
            out[spec.id] = (0, 0)
            continue
        later = [i for i, _ in captions if i > at] + [section_range("二")[1] or len(rows)]
        out[spec.id] = (at + 1, min(j for j in later if j > at))
    return out


def _ordinal(label: str) -> int | None:
    lab = split_label(label)
    return lab.number if lab is not None and lab.kind in _ITEM_KINDS else None


def _best_row(spec: _Spec, label: str, start: int) -> int | None:
    """The template row (index ≥ start) whose label the printed label matches best, if any matches."""
    k = key(label)
    if len(k) < 2:
        return None
    scored = [(_similar(k, key(r["label"])), i) for i, r in enumerate(spec.rows) if i >= start and r["label"]]
    scored = [s for s in scored if s[0] >= _MATCH_MIN]
    if not scored:
        return None
    best = max(s for s, _ in scored)
    return min(i for s, i in scored if s == best)


def _source(row: Row, printed: dict[int, int | None], col: int | None = None) -> Source:
    bbox = row.cell_boxes[col] if col is not None and col < len(row.cell_boxes) else None
    box = bbox or row.bbox
    return Source(
        page=(printed.get(row.page_index) or row.page_index + 1) if row.line_no is None else None,
        pdf_page=row.page_index + 1 if row.line_no is None else None,
        bbox=[round(v, 2) for v in box] if box else None,
        text=row.text[:200],
        line=row.line_no,
    )


def _table_cells(
    spec: _Spec, rows: list[Row], printed: dict[int, int | None], problems: list[Problem]
) -> list[AnnualCell]:
    """Map the rows of numbers in a table's region onto the template rows; cells in template order."""
    n = len(spec.columns)
    assigned: dict[int, Row] = {}
    nxt = 0
    for r in rows:
        if len(r.numbers) != n or nxt >= len(spec.rows):
            continue
        j = _best_row(spec, r.label, nxt)
        if j is None and (o := _ordinal(r.label)) is not None and spec.rows[nxt].get("ordinal") not in (None, o):
            continue  # a numbered row that is not the next template row and matches none: not this table's
        j = nxt if j is None else j
        assigned[j] = r
        nxt = j + 1
    cells: list[AnnualCell] = []
    for j, trow in enumerate(spec.rows):
        got = assigned.get(j)
        if got is None:
            problems.append(
                problem(Code.P160, f"年度报告表「{spec.caption}」缺少行「{trow['label'] or trow['path']}」")
            )
            continue
        for c, col in enumerate(spec.columns):
            raw = got.numbers[c]
            cells.append(
                AnnualCell(
                    table=spec.id,
                    row=trow["path"],
                    col=col["path"],
                    value=parse_number(raw),
                    raw=raw,
                    source=_source(got, printed, c),
                )
            )
    return cells


# --------------------------------------------------------------------------- notes, prose, title


def _notes(spec: _Spec, rows: list[Row], printed: dict[int, int | None]) -> list[AnnualNote]:
    from pipeline.check.validate import _note_to_equation  # the project's grammar of 勾稽关系 notes

    out: list[AnnualNote] = []
    for i, r in enumerate(rows):
        if "勾稽" not in r.text:
            continue
        text = r.label or r.text
        for nxt in rows[i + 1 : i + 3]:
            if "等于" in key(text) and text.rstrip().endswith(("）", ")")):
                break
            text += nxt.label
        m = _NOTE.search(re.sub(r"\s+", "", text))
        if m is None:
            continue
        note = m.group(0)
        eq = _note_to_equation(note)
        if eq is None:
            continue
        lhs, rhs = eq

        def paths(side: list[tuple[int, int]]) -> list[str]:
            return [("-" if sign < 0 else "") + spec.items.get(str(n), f"第{n}项") for sign, n in side]

        out.append(AnnualNote(table=spec.id, text=note, lhs=paths(lhs), rhs=paths(rhs), source=_source(r, printed)))
    return out


def _figures(rows: list[Row], printed: dict[int, int | None]) -> list[AnnualFigure]:
    """Figures of the prose, each with its sentence: the template's figure patterns over the joined lines."""
    text = ""
    starts: list[tuple[int, Row]] = []
    for r in rows:
        starts.append((len(text), r))
        text += r.text.replace(" ", "") if _cjk_line(r.text) else r.text
    out: list[AnnualFigure] = []
    for spec in template()["figures"]:
        for m in re.finditer(spec["pattern"], text):
            a = max(text.rfind(p, 0, m.start()) for p in "。；!？\n") + 1
            b = min([j for p in "。；" if (j := text.find(p, m.end())) >= 0] or [len(text)])
            row = next(r for pos, r in reversed(starts) if pos <= m.start(1))
            unit = text[m.end(1) : m.end()].strip()
            out.append(
                AnnualFigure(
                    key=spec["key"],
                    value=float(m.group(1)),
                    unit=unit,
                    sentence=text[a : b + 1],
                    cell="|".join(spec["cell"]) if spec["cell"] else None,
                    source=_source(row, printed),
                )
            )
    return out


def _cjk_line(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def title_year_issuer(title: str) -> tuple[int | None, str | None]:
    """``某市某区人民政府2024年政府信息公开工作年度报告`` → (2024, 某市某区人民政府); the year may also come
    first (``2024年某某局政府信息公开工作年度报告``)."""
    t = _TITLE_END.sub("", re.sub(r"\s+", "", title).strip("《》"))
    m = _ANY_YEAR.search(t)
    if not m:
        return None, t or None
    issuer = (t[: m.start()] + t[m.end() :]).strip("《》关于的") or None
    return int(m.group(1)), issuer


def _period_year(rows: list[Row]) -> int | None:
    """The year of the statistics period stated in the first paragraphs (统计期限自2024年1月1日起…)."""
    for r in rows[:30]:
        if m := _PERIOD.search(r.text.replace(" ", "")):
            return int(m.group(1))
    return None


def _title(rows: list[Row], doc_title: str | None) -> str:
    """The report's title: the document's title when it names the report, else the first lines that do."""
    if doc_title and _TITLE_END.search(re.sub(r"\s+", "", doc_title)):
        return re.sub(r"\s+", "", doc_title)
    for i, r in enumerate(rows[:8]):
        t = re.sub(r"\s+", "", r.text)
        if _TITLE_END.search(t):
            prev = re.sub(r"\s+", "", rows[i - 1].text) if i else ""
            if prev and not re.search(r"[。，；：]", prev) and len(prev) <= 30 and not _YEAR.search(prev):
                return prev + t
            return t
    return re.sub(r"\s+", "", doc_title or "")


# --------------------------------------------------------------------------- entry point


def pages_to_annual_report(
    pages: list[Page], printed: dict[int, int | None] | None = None, doc_title: str | None = None
) -> tuple[AnnualReport | None, list[Problem]]:
    """Recognise the national template in the pages and read it (see the module docstring)."""
    printed = printed or {}
    rows = pages_to_rows(pages)
    sections = _sections(rows)
    if not _recognised(rows, sections):
        return None, []
    problems: list[Problem] = []
    regions = _regions(rows, sections)
    cells: list[AnnualCell] = []
    notes: list[AnnualNote] = []
    for spec in _specs():
        a, b = regions[spec.id]
        if a >= b:
            problems.append(problem(Code.P161, f"年度报告未找到模板表「{spec.caption}」"))
            continue
        cells.extend(_table_cells(spec, rows[a:b], printed, problems))
        notes.extend(_notes(spec, rows[a:b], printed))
    prose_end = sections.get("二", len(rows))
    figures = _figures(rows[:prose_end], printed)
    title = _title(rows, doc_title)
    year, issuer = title_year_issuer(title)
    year = year or _period_year(rows)
    names = dict(template()["sections"])
    report = AnnualReport(
        title=title,
        year=year,
        issuer=issuer,
        sections=[f"{n}、{names[n]}" for n, _ in sorted(sections.items(), key=lambda kv: kv[1])],
        cells=cells,
        figures=figures,
        notes=notes,
        source=_source(rows[0], printed) if rows else None,
    )
    return report, problems


def _mentions_applications(pages: list[Page]) -> bool:
    """A cheap first test: the 申请 table's words are printed somewhere (in a line or a table cell)."""
    word = "政府信息公开申请"
    return any(word in ln.text for p in pages for ln in p.lines) or any(
        word in c.text for p in pages for t in p.tables for c in t.cells
    )


def documents_to_annual_reports(
    pages: list[Page], printed: dict[int, int | None], documents: list[Document]
) -> tuple[list[Document], list[Problem]]:
    """Attach an ``AnnualReport`` to each document printed in the national template (its own pages only). In a
    file of several documents only those titled as an annual report are read (each on its own pages)."""
    if not _mentions_applications(pages):
        return documents, []
    out: list[Document] = []
    problems: list[Problem] = []
    for doc in documents:
        if len(documents) > 1 and not _TITLE_END.search(re.sub(r"\s+", "", doc.title)):
            out.append(doc)
            continue
        mine = pages
        if doc.pages is not None and len(documents) > 1:
            first, last = doc.pages.first, doc.pages.last
            mine = [p for p in pages if first <= (printed.get(p.index) or p.index + 1) <= last]
        try:
            report, found = pages_to_annual_report(mine, printed, doc.title)
        except Exception as exc:  # a bug here must not lose the document: contained, reported
            report, found = None, [problem(Code.P999, f"{doc.id}: annual report: {type(exc).__name__}: {exc}")]
        problems.extend(found)
        out.append(doc.model_copy(update={"annual_report": report}) if report else doc)
    return out, problems
