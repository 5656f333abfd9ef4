"""A gazette document from another producer: reportlab, US Letter, an unembedded CID font (STSong-Light), the
gazette layout (title first, 发文字号 in brackets under it), no issue cover, and a ruled task table
(任务 / 责任单位 / 完成时限) — the whole pipeline, not one stage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.pagesizes import LETTER
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from pipeline.run import parse_file
from schemas.model import RunStatus

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
W, H = LETTER
LEFT, RIGHT = 72.0, W - 72.0


def _text(c: canvas.Canvas, x: float, top: float, text: str, size: float = 14) -> None:
    c.setFont(FONT, size)
    c.drawString(x, H - top - size, text)


def _centred(c: canvas.Canvas, top: float, text: str, size: float) -> None:
    c.setFont(FONT, size)
    c.drawCentredString(W / 2, H - top - size, text)


def make_document(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=LETTER)
    _centred(c, 90, "某某县人民政府办公室关于印发", 20)
    _centred(c, 120, "防汛工作任务分工方案的通知", 20)
    _centred(c, 160, "（某府办函〔2023〕12号）", 14)
    _text(c, LEFT, 200, "各乡镇人民政府，县直各单位：")
    _text(c, LEFT + 28, 228, "现将《防汛工作任务分工方案》印发给你们，请认真贯彻落实。")
    _text(c, 330, 300, "某某县人民政府办公室")
    _text(c, 350, 328, "2023年4月10日")
    _text(c, LEFT, 380, "附件")
    _centred(c, 410, "防汛工作任务分工方案", 18)
    rows = [
        ["任务", "责任单位", "完成时限"],
        ["1. 修订防汛应急预案。", "县水利局牵头，县应急管理局配合", "2023年5月底前"],
        ["2. 排查水库隐患。", "县水利局、自然资源局", "2023年6月30日前"],
        ["3. 开展防汛演练。", "各乡镇人民政府", "每年至少一次"],
    ]
    cols = [LEFT, 250.0, 430.0, RIGHT]
    top, row_h = 460.0, 30.0
    c.setLineWidth(0.5)
    for r in range(len(rows) + 1):
        c.line(cols[0], H - (top + r * row_h), cols[-1], H - (top + r * row_h))
    for x in cols:
        c.line(x, H - top, x, H - (top + len(rows) * row_h))
    for r, row in enumerate(rows):
        for k, cell in enumerate(row):
            _text(c, cols[k] + 4, top + r * row_h + 8, cell, 10)
    _centred(c, H - 50, "— 1 —", 12)
    c.showPage()
    c.save()
    return path


def test_run_synthetic_pdf_other_producer_and_layout(tmp_path: Path) -> None:
    result = parse_file(make_document(tmp_path / "某某县 防汛.pdf"))
    assert result.status is RunStatus.SUCCESS, result.errors
    issue = result.issue
    assert issue is not None and issue.gazette is None and issue.source.pages == 1
    (doc,) = issue.documents
    assert doc.title == "某某县人民政府办公室关于印发防汛工作任务分工方案的通知"
    assert doc.doc_number is not None and (doc.doc_number.org, doc.doc_number.serial) == ("某府办函", 12)
    assert doc.recipients == ["各乡镇人民政府", "县直各单位"]
    assert doc.signature == "某某县人民政府办公室" and doc.date == dt.date(2023, 4, 10)
    assert doc.pages is not None and doc.pages.first == 1
    (att,) = doc.attachments
    assert att.title == "防汛工作任务分工方案"
    tasks = {t.seq: t for t in att.tasks}
    assert sorted(tasks) == [1, 2, 3]
    assert tasks[1].lead_units and tasks[1].co_units
    assert [d.date for d in tasks[1].deadlines] == [dt.date(2023, 5, 31)]
    assert [d.date for d in tasks[2].deadlines] == [dt.date(2023, 6, 30)]
    assert [d.kind.value for d in tasks[3].deadlines] == ["recurring"]
    assert len(tasks[2].lead_units) == 2 and all(u.startswith("县") for u in tasks[2].lead_units)
    assert tasks[1].source is not None and tasks[1].source.pdf_page == 1 and tasks[1].source.bbox is not None
