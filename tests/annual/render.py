"""Render a :class:`tests.annual.models.Model` the way reports are printed: a ruled PDF (reportlab, WPS-like:
two-line title under the issuer's name, merged header cells, grouped row headers, the 勾稽关系 note in the corner
cell, ``- n -`` folios), or a text file whose tables are tab-separated or markdown rows, or space-aligned.

Generated at test time into a temporary folder; nothing binary is committed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tests.annual.models import APPLY_ROWS, Model
from tests.text_tables import spaced

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_BODY = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=20, firstLineIndent=24, wordWrap="CJK")
_HEAD = ParagraphStyle("head", fontName=FONT, fontSize=14, leading=22, wordWrap="CJK")
_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=1)
_CELL = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9, wordWrap="CJK")
_CELLC = ParagraphStyle("cellc", parent=_CELL, alignment=1)

RESULT_LABELS = {
    "本年度办理结果.予以公开": ("（一）予以公开", ""),
    "本年度办理结果.部分公开": ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    "本年度办理结果.其他处理": ("（六）其他处理", ""),
    "本年度办理结果.总计": ("（七）总计", ""),
}
GROUPS = [("不予公开", "（三）不予公开"), ("无法提供", "（四）无法提供"), ("不予处理", "（五）不予处理")]
LEAF_LABELS = {
    "属于国家秘密": "1.属于国家秘密",
    "其他法律行政法规禁止公开": "2.其他法律行政法规禁止公开",
    "危及三安全一稳定": "3.危及“三安全一稳定”",
    "保护第三方合法权益": "4.保护第三方合法权益",
    "属于三类内部事务信息": "5.属于三类内部事务信息",
    "属于四类过程性信息": "6.属于四类过程性信息",
    "属于行政执法案卷": "7.属于行政执法案卷",
    "属于行政查询事项": "8.属于行政查询事项",
    "本机关不掌握相关政府信息": "1.本机关不掌握相关政府信息",
    "没有现成信息需要另行制作": "2.没有现成信息需要另行制作",
    "补正后申请内容仍不明确": "3.补正后申请内容仍不明确",
    "信访举报投诉类申请": "1.信访举报投诉类申请",
    "重复申请": "2.重复申请",
    "要求提供公开出版物": "3.要求提供公开出版物",
    "无正当理由大量反复申请": "4.无正当理由大量反复申请",
    "要求行政机关确认或重新出具已获取信息": "5.要求行政机关确认或重新出具已获取信息",
}
TOP_LABELS = {
    "本年新收": "一、本年新收政府信息公开申请数量",
    "上年结转": "二、上年结转政府信息公开申请数量",
    "结转下年度继续办理": "四、结转下年度继续办理",
}
REVIEW_HEAD = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def prose(m: Model) -> list[tuple[str, str]]:
    """(kind, text) of the report's prose in order: title lines, headings, paragraphs."""
    return [
        ("title", m.issuer),
        ("title", f"{m.year}年政府信息公开工作年度报告"),
        (
            "p",
            f"本报告根据《中华人民共和国政府信息公开条例》要求编制。报告中所列数据统计期限自{m.year}年1月1日起至"
            f"{m.year}年12月31日止。",
        ),
        ("h", "一、总体情况"),
        ("p", f"（一）主动公开情况。{m.year}年，本机关通过门户网站主动公开政府信息{m.active}条，及时回应社会关切。"),
        ("p", f"（二）依申请公开情况。{m.year}年，共受理政府信息公开申请{m.received_prose}件，均在法定期限内答复。"),
        ("p", "（三）政府信息管理情况。严格执行信息发布审核制度，动态更新政策文件库。"),
        ("h", "二、主动公开政府信息情况"),
    ]


def _t20(caption: str, head: list[str], rows: list[list[str]]) -> Table:
    n = len(head)
    data: list[list[Any]] = [[caption] + [""] * (n - 1), head, *rows]
    widths = [150.0] + [300.0 / (n - 1)] * (n - 1)
    t = Table(data, colWidths=widths)
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 10.5),
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("SPAN", (0, 0), (-1, 0)),
                ("ALIGN", (0, 0), (-1, 1), "CENTER"),
                ("ALIGN", (1, 2), (-1, -1), "CENTER"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#c6d9f1")),
            ]
        )
    )
    return t


def _apply_table(m: Model) -> Table:
    data: list[list[Any]] = [
        [Paragraph(NOTE, _CELL), "", "", Paragraph("申请人情况", _CELLC)] + [""] * 6,
        ["", "", "", "自然人", Paragraph("法人或其他组织", _CELLC), "", "", "", "", "总计"],
        ["", "", "", ""]
        + [Paragraph(x, _CELLC) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")]
        + [""],
    ]
    spans = [((0, 0), (2, 2)), ((3, 0), (9, 0)), ((3, 1), (3, 2)), ((4, 1), (8, 1)), ((9, 1), (9, 2))]
    r = 3
    group_start: dict[str, int] = {}
    results_start = None
    for path in APPLY_ROWS:
        nums = m.apply[path]
        if path in TOP_LABELS:
            data.append([Paragraph(TOP_LABELS[path], _CELL), "", "", *nums])
            spans.append(((0, r), (2, r)))
        elif path in RESULT_LABELS:
            results_start = r if results_start is None else results_start
            data.append(["", Paragraph(RESULT_LABELS[path][0], _CELL), "", *nums])
            spans.append(((1, r), (2, r)))
        else:
            _, group, leaf = path.split(".")
            label = next(lab for g, lab in GROUPS if g == group)
            first = group not in group_start
            group_start.setdefault(group, r)
            data.append(["", Paragraph(label, _CELL) if first else "", Paragraph(LEAF_LABELS[leaf], _CELL), *nums])
        r += 1
    assert results_start is not None
    results_end = 3 + APPLY_ROWS.index("本年度办理结果.总计")
    data[results_start][0] = Paragraph("三、本年度办理结果", _CELLC)
    spans.append(((0, results_start), (0, results_end)))
    for group, start in group_start.items():
        count = sum(1 for p in APPLY_ROWS if p.startswith(f"本年度办理结果.{group}."))
        spans.append(((1, start), (1, start + count - 1)))
    t = Table(data, colWidths=[40, 70, 110] + [33] * 7, repeatRows=0)
    style: list[Any] = [
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("ALIGN", (3, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    style += [("SPAN", a, b) for a, b in spans]
    t.setStyle(TableStyle(style))
    return t


def _review_table(m: Model) -> Table:
    cells = [Paragraph(x, _CELLC) for x in REVIEW_HEAD]
    data: list[list[Any]] = [
        ["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9,
        [
            *cells,
            Paragraph("未经复议直接起诉", _CELLC),
            "",
            "",
            "",
            "",
            Paragraph("复议后起诉", _CELLC),
            "",
            "",
            "",
            "",
        ],
        ["", "", "", "", "", *cells, *cells],
        list(m.review),
    ]
    spans = [((0, 0), (4, 0)), ((5, 0), (14, 0)), ((5, 1), (9, 1)), ((10, 1), (14, 1))]
    spans += [((k, 1), (k, 2)) for k in range(5)]
    t = Table(data, colWidths=[30] * 15)
    style: list[Any] = [
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    style += [("SPAN", a, b) for a, b in spans]
    t.setStyle(TableStyle(style))
    return t


def _folio(canvas: Any, doc: Any) -> None:
    canvas.setFont(FONT, 10)
    canvas.drawCentredString(A4[0] / 2, 40, f"- {doc.page} -")


def model_to_pdf(m: Model, path: Path) -> Path:
    """A ruled PDF of the report in the national template."""
    flow: list[Any] = []
    for kind, text in prose(m):
        style = {"title": _TITLE, "h": _HEAD, "p": _BODY}[kind]
        flow.append(Paragraph(text, style))
        if kind == "title" and text.endswith("报告"):
            flow.append(Spacer(1, 12))
    flow.append(
        _t20(
            "第二十条第（一）项",
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            [["规章", *m.t20_1[0]], ["行政规范性文件", *m.t20_1[1]]],
        )
    )
    flow.append(_t20("第二十条第（五）项", ["信息内容", "本年处理决定数量"], [["行政许可", *m.t20_5]]))
    flow.append(
        _t20(
            "第二十条第（六）项", ["信息内容", "本年处理决定数量"], [["行政处罚", m.t20_6[0]], ["行政强制", m.t20_6[1]]]
        )
    )
    flow.append(_t20("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"], [["行政事业性收费", *m.t20_8]]))
    flow.append(Paragraph("三、收到和处理政府信息公开申请情况", _HEAD))
    flow.append(_apply_table(m))
    flow.append(Paragraph("四、政府信息公开行政复议、行政诉讼情况", _HEAD))
    flow.append(_review_table(m))
    flow.append(Paragraph("五、存在的主要问题及改进情况", _HEAD))
    flow.append(Paragraph("依申请公开答复的规范性仍需提高，下一步将加强培训。", _BODY))
    flow.append(Paragraph("六、其他需要报告的事项", _HEAD))
    flow.append(Paragraph("本年度未收取信息处理费。", _BODY))
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=70, rightMargin=70, topMargin=70, bottomMargin=70)
    doc.build(flow, onFirstPage=_folio, onLaterPages=_folio)
    return path


def _label(path: str) -> list[str]:
    if path in TOP_LABELS:
        return [TOP_LABELS[path]]
    if path in RESULT_LABELS:
        return [RESULT_LABELS[path][0]]
    _, group, leaf = path.split(".")
    return [next(lab for g, lab in GROUPS if g == group), LEAF_LABELS[leaf]]


def _apply_grid(m: Model) -> tuple[list[list[str]], list[list[str]]]:
    """The 申请 table as a resolved grid: three header rows (the note in the corner), a row per template row."""
    orgs = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    header = [
        [NOTE, "", "", *["申请人情况"] * 7],
        ["", "", "", "自然人", *["法人或其他组织"] * 5, "总计"],
        ["", "", "", "自然人", *orgs, "总计"],
    ]
    rows: list[list[str]] = []
    for path in APPLY_ROWS:
        label = _label(path)
        stub = [label[0]] * 3 if path in TOP_LABELS else ["三、本年度办理结果", label[0], label[-1]]
        rows.append([*stub, *m.apply[path]])
    return header, rows


def model_to_spaced_text(m: Model) -> str:
    """The report as a monospaced dump: prose lines, the tables space-aligned (``tests.text_tables.spaced``)."""
    out = [text for _, text in prose(m)]
    t20 = [
        (
            "第二十条第（一）项",
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            [["规章", *m.t20_1[0]], ["行政规范性文件", *m.t20_1[1]]],
        ),
        ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], [["行政许可", *m.t20_5]]),
        ("第二十条第（六）项", ["信息内容", "本年处理决定数量"], [["行政处罚", m.t20_6[0]], ["行政强制", m.t20_6[1]]]),
        ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"], [["行政事业性收费", *m.t20_8]]),
    ]
    for caption, head, rows in t20:
        out += [caption, *spaced([head], rows), ""]
    out.append("三、收到和处理政府信息公开申请情况")
    header, rows = _apply_grid(m)
    out += [*spaced(header, rows, groups=(0, 1)), ""]
    out.append("四、政府信息公开行政复议、行政诉讼情况")
    review_head = [
        ["行政复议"] * 5 + ["行政诉讼"] * 10,
        REVIEW_HEAD + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
        REVIEW_HEAD * 3,
    ]
    out += [*spaced(review_head, [list(m.review)]), ""]
    out += ["五、存在的主要问题及改进情况", "依申请公开答复的规范性仍需提高，下一步将加强培训。"]
    out += ["六、其他需要报告的事项", "本年度未收取信息处理费。"]
    return "\n".join(out) + "\n"


def model_to_text(m: Model, markdown: bool = False) -> str:
    """The report as text: prose lines, then the tables as tab-separated (or markdown) rows."""

    def row(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |" if markdown else "\t".join(cells)

    out = [text for _, text in prose(m)]
    out += ["第二十条第（一）项", row(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])]
    out += [row(["规章", *m.t20_1[0]]), row(["行政规范性文件", *m.t20_1[1]]), ""]
    out += ["第二十条第（五）项", row(["信息内容", "本年处理决定数量"]), row(["行政许可", *m.t20_5]), ""]
    out += ["第二十条第（六）项", row(["信息内容", "本年处理决定数量"])]
    out += [row(["行政处罚", m.t20_6[0]]), row(["行政强制", m.t20_6[1]]), ""]
    out += [
        "第二十条第（八）项",
        row(["信息内容", "本年收费金额（单位：万元）"]),
        row(["行政事业性收费", *m.t20_8]),
        "",
    ]
    out += ["三、收到和处理政府信息公开申请情况", NOTE]
    out += [row(["申请人情况", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"])]
    out += [row([*_label(p), *m.apply[p]]) for p in APPLY_ROWS]
    out += ["", "四、政府信息公开行政复议、行政诉讼情况", row(["行政复议", "行政诉讼"])]
    out += [row(REVIEW_HEAD * 3), row(list(m.review)), ""]
    out += ["五、存在的主要问题及改进情况", "依申请公开答复的规范性仍需提高，下一步将加强培训。"]
    out += ["六、其他需要报告的事项", "本年度未收取信息处理费。"]
    return "\n".join(out) + "\n"
