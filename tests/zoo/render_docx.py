"""Typeset zoo models the way most offices do: a Word document (python-docx) converted to PDF by LibreOffice.

Word paginates by itself, so where headings land is read back from the PDF's text layer (pypdfium2, not the
pipeline): the printed page of a heading is the page whose text holds its label and title, searched in
reading order. Only single documents are rendered this way (a cover's 目录 would need the pages before the
conversion); all LibreOffice conversions of a build run in one ``soffice`` call.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from docx import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from tests.zoo.models import Landmarks, ZAttachment, ZDocument, ZHeading, ZIssue, ZPara, ZTable, ZTask
from tests.zoo.render_rl import date_text


@dataclass(frozen=True)
class WordStyle:
    name: str
    page_mm: tuple[float, float]
    margins_mm: tuple[float, float, float, float]  # left, right, top, bottom
    body_font: str
    body_pt: float
    title_font: str
    title_pt: float
    heading_fonts: tuple[str, str]
    folio: tuple[str, str]  # text before and after the PAGE field
    red_header: bool
    table_grid: bool


WORD_STYLES = [
    WordStyle(
        "word-a4-kai-16",
        (210, 297),
        (28, 26, 37, 35),
        "AR PL UKai CN",
        16,
        "WenQuanYi Zen Hei",
        22,
        ("WenQuanYi Zen Hei", "AR PL UKai CN"),
        ("— ", " —"),
        True,
        True,
    ),
    WordStyle(
        "word-b5-ming-12",
        (176, 250),
        (20, 20, 24, 22),
        "AR PL UMing CN",
        12,
        "AR PL UMing CN",
        18,
        ("WenQuanYi Zen Hei", "AR PL UMing CN"),
        ("- ", " -"),
        False,
        False,
    ),
]


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _font(run, name: str, pt: float, bold: bool = False, color: tuple[int, int, int] | None = None) -> None:  # type: ignore[no-untyped-def]
    run.font.name = name
    run.font.size = Pt(pt)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)
    if color:
        run.font.color.rgb = RGBColor(*color)


class WordWriter:
    def __init__(self, style: WordStyle):
        self.s = style
        self.doc = Docx()
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Mm(style.page_mm[0]), Mm(style.page_mm[1])
        sec.left_margin, sec.right_margin = Mm(style.margins_mm[0]), Mm(style.margins_mm[1])
        sec.top_margin, sec.bottom_margin = Mm(style.margins_mm[2]), Mm(style.margins_mm[3])
        self._footer(sec)

    def _footer(self, sec) -> None:  # type: ignore[no-untyped-def]
        p = sec.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(self.s.folio[0]), self.s.body_font, 12)
        run = p.add_run()
        for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if tag:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), tag)
            else:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            run._element.append(el)
        _font(run, self.s.body_font, 12)
        _font(p.add_run(self.s.folio[1]), self.s.body_font, 12)

    def para(
        self,
        text: str,
        font: str | None = None,
        pt: float | None = None,
        align: str = "justify",
        indent: bool = True,
        **kw,
    ) -> None:  # type: ignore[no-untyped-def]
        p = self.doc.add_paragraph()
        p.alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "centre": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
        }[align]
        size = pt or self.s.body_pt
        fmt = p.paragraph_format
        fmt.space_after = Pt(0)
        fmt.space_before = Pt(0)
        fmt.line_spacing = Pt(size * 1.6)
        if indent and align == "justify":
            fmt.first_line_indent = Pt(2 * size)
        if align == "right":
            fmt.right_indent = Pt(2 * size)
        _font(p.add_run(text), font or self.s.body_font, size, **kw)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table(self, t: ZTable) -> None:
        if t.caption:
            self.para(t.caption, self.s.heading_fonts[0], self.s.body_pt * 0.8, "centre")
        table = self.doc.add_table(rows=1 + len(t.rows), cols=len(t.header))
        if self.s.table_grid:
            table.style = "Table Grid"
        for r, row in enumerate([t.header, *t.rows]):
            for k, text in enumerate(row):
                cell = table.cell(r, k)
                cell.text = ""
                _font(cell.paragraphs[0].add_run(text), self.s.body_font, self.s.body_pt * 0.75)
        if self.s.table_grid:  # a header row repeated on every page the table runs onto
            trpr = table.rows[0]._tr.get_or_add_trPr()
            el = OxmlElement("w:tblHeader")
            el.set(qn("w:val"), "true")
            trpr.append(el)


def _blocks(w: WordWriter, blocks: list) -> None:  # type: ignore[type-arg]
    s = w.s
    for b in blocks:
        if isinstance(b, ZHeading):
            if b.label.startswith("附件"):
                w.para(b.label, s.heading_fonts[0], s.body_pt, "left", indent=False)
                w.para(b.title, s.title_font, s.body_pt + 2, "centre")
            elif b.label.startswith("第") and b.label[-1] in "编章节":
                w.para(f"{b.label}　{b.title}", s.heading_fonts[0], s.body_pt, "centre")
            elif b.run_in:  # the head in the heading font, the text run into the same paragraph
                w.para(f"{b.label}{b.title}。", s.heading_fonts[1])
                p = w.doc.paragraphs[-1]
                _font(p.add_run(b.run_in), s.body_font, s.body_pt)
            else:
                font = s.heading_fonts[min(b.level, 2) - 1]
                w.para(b.label + b.title, font)
        elif isinstance(b, ZPara):
            w.para(b.text)
        elif isinstance(b, ZTask):
            w.para(f"{b.number}{b.text}（{b.role_word}：{'、'.join(b.units)}）")
        elif isinstance(b, ZTable):
            w.table(b)


def _attachment(w: WordWriter, a: ZAttachment) -> None:
    w.page_break()
    if a.label:
        w.para(a.label, w.s.heading_fonts[0], w.s.body_pt, "left", indent=False)
    w.para(a.title, w.s.title_font, w.s.title_pt * 0.9, "centre")
    _blocks(w, a.blocks)
    for sub in a.attachments:
        _attachment(w, sub)


def document_to_docx(doc: ZDocument, style: WordStyle, out: Path) -> None:
    w = WordWriter(style)
    s = style
    if doc.header and s.red_header:
        w.para(doc.header, "AR PL UMing CN", s.title_pt * 1.4, "centre", color=(230, 0, 0))
        if doc.doc_number:
            w.para(doc.doc_number, align="centre")
        for t in doc.title_lines:
            w.para(t, s.title_font, s.title_pt, "centre")
    else:
        for t in doc.title_lines:
            w.para(t, s.title_font, s.title_pt, "centre")
        if doc.doc_number:
            w.para(f"（{doc.doc_number}）", align="centre")
    for p in doc.preamble:
        w.para(p, align="centre")
    if doc.recipients:
        w.para("，".join(doc.recipients) + "：", align="left", indent=False)
    _blocks(w, doc.body)
    if doc.attachment_list:
        w.para("附件：" + doc.attachment_list[0])
    if doc.signature or doc.date:
        w.para("")
        for ln in doc.signature:
            w.para(ln, align="right")
        if doc.date:
            w.para(date_text(doc.date, "cn"), align="right")
    if doc.disclosure:
        w.para(f"公开方式：{doc.disclosure}")
    for a in doc.attachments:
        _attachment(w, a)
    w.doc.save(str(out))


def convert(docx_files: list[Path], outdir: Path) -> None:
    """All Word files to PDF in one LibreOffice run (its start-up is most of the cost)."""
    exe = soffice()
    if not exe or not docx_files:
        return
    profile = outdir / ".lo-profile"
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(outdir)]
        + [str(f) for f in docx_files],
        check=True,
        capture_output=True,
        timeout=600,
    )
    shutil.rmtree(profile, ignore_errors=True)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def landmarks_from_pdf(issue: ZIssue, pdf: Path) -> Landmarks:
    """Where Word put the headings: the first page, at or after the previous heading's, holding the text."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    pages = [_squash(document[i].get_textpage().get_text_range()) for i in range(len(document))]
    document.close()
    marks = Landmarks()
    at = 0
    for doc in issue.documents:
        marks.doc_first_page[doc.key] = 1
        parts = [doc.body, *(a.blocks for a in _flat(doc.attachments))]
        for part, blocks in enumerate(parts):
            n = 0
            for b in blocks:
                if not isinstance(b, ZHeading):
                    continue
                needle = _squash(b.label + b.title)[:14]
                while at < len(pages) - 1 and needle not in pages[at]:
                    at += 1
                marks.heading_page[(doc.key, part, n)] = at + 1
                n += 1
    return marks


def _flat(atts: list[ZAttachment]) -> list[ZAttachment]:
    out: list[ZAttachment] = []
    for a in atts:
        out.append(a)
        out.extend(_flat(a.attachments))
    return out
