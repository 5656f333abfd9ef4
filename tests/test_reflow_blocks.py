"""Reflow: wrapped lines and page breaks joined into paragraphs; headings, titles and contents lines kept apart."""

from __future__ import annotations

from pipeline.layout.reflow import join_lines, pages_to_blocks
from pipeline.types import BlockKind, Line, Page, RawCell, RawTable, RawTableStyle

FANG = "DAAAAA+FandolFang-Regular"
HEI = "CAAAAA+FandolHei-Regular"
TITLE = "BAAAAA+NotoSerifCJKjp-Bold"


def _ln(text: str, page: int, x0: float, top: float, x1: float, font: str = FANG, size: float = 16.0) -> Line:
    return Line(text=text, page_index=page, bbox=(x0, top, x1, top + size), font=font, size=size, bold="Bold" in font)


def _page(i: int, lines: list[Line]) -> Page:
    return Page(index=i, width=595, height=842, lines=lines)


def test_reflow_join_lines_spacing() -> None:
    assert join_lines(["整改完成", "103 项。"]) == "整改完成103项。"
    assert join_lines(["GB", "21734 标准"]) == "GB 21734标准"


def test_reflow_pdf_paragraphs_titles_and_page_break() -> None:
    p0 = _page(
        0,
        [
            _ln("某某区人民政府关于印发", 0, 125, 100, 475, TITLE, 22),
            _ln("某某方案的通知", 0, 223, 135, 377, TITLE, 22),
            _ln("一、高度重视，提高站位。各单位要以", 0, 111, 200, 521, HEI),
            _ln("新思想为指导，推动工作更加透明规范。", 0, 79.5, 229, 300),
            _ln("二、制定计划。各单位要对照方案要求，研究", 0, 111, 258, 521),
            _ln("制订具体计划，建立重点任务台账，部署推动", 0, 79.5, 287, 521),
        ],
    )
    p1 = _page(
        1,
        [
            _ln("本单位政务公开工作。", 1, 79.5, 100, 240),
            _ln("第一章 总则.......................7", 1, 79.5, 129, 521),
            _ln("第二章 任务.......................9", 1, 79.5, 158, 521),
        ],
    )
    blocks = pages_to_blocks([p0, p1])
    assert [b.text for b in blocks] == [
        "某某区人民政府关于印发某某方案的通知",
        "一、高度重视，提高站位。各单位要以新思想为指导，推动工作更加透明规范。",
        "二、制定计划。各单位要对照方案要求，研究制订具体计划，建立重点任务台账，部署推动本单位政务公开工作。",
        "第一章总则.......................7",
        "第二章任务.......................9",
    ]
    assert blocks[2].lines[-1].page_index == 1 and all(b.kind is BlockKind.PARAGRAPH for b in blocks)


def test_reflow_text_page_break_joined_but_headings_not() -> None:
    lines = [
        "第一节 发展基础",
        "一是在深入学习贯彻重要指示批示精神的基础",
        "上，每年听取汇报。",
        "2. 强化夯实基础建设",
        "某某区人民政府关于印发某某方案的通知",
        "各镇人民政府：",
    ]
    page = _page(0, [Line(text=t, page_index=0, line_no=n) for n, t in enumerate(lines, start=1)])
    page.width = page.height = None
    assert [b.text for b in pages_to_blocks([page])] == [
        "第一节发展基础",
        "一是在深入学习贯彻重要指示批示精神的基础上，每年听取汇报。",
        "2.强化夯实基础建设",
        "某某区人民政府关于印发某某方案的通知",
        "各镇人民政府：",
    ]


def test_reflow_centred_heading_after_a_full_line_starts_a_paragraph() -> None:
    page = _page(
        0,
        [
            _ln("各单位要对照方案要求，研究制订具体计划，建立", 0, 111, 100, 521),
            _ln("重点任务台账，部署推动本单位工作落到实处。", 0, 79.5, 129, 521),
            _ln("第四节 单位犯罪", 0, 236, 158, 364, HEI),
            _ln("公司、企业、事业单位实施的危害社会的行为，", 0, 111, 187, 521),
            _ln("应当负刑事责任。", 0, 79.5, 216, 300),
        ],
    )
    assert [b.text for b in pages_to_blocks([page])] == [
        "各单位要对照方案要求，研究制订具体计划，建立重点任务台账，部署推动本单位工作落到实处。",
        "第四节单位犯罪",
        "公司、企业、事业单位实施的危害社会的行为，应当负刑事责任。",
    ]


def _three_line(page: int, top: float, rows: list[list[str]], open_top: bool) -> RawTable:
    cells = [RawCell(row=r, col=c, text=t) for r, row in enumerate(rows) for c, t in enumerate(row)]
    return RawTable(
        page_index=page,
        n_rows=len(rows),
        n_cols=3,
        cells=cells,
        style=RawTableStyle.THREE_LINE,
        bbox=(80, top, 520, top + 30 * len(rows)),
        col_x=[80, 140, 400, 520],
        open_top=open_top,
    )


def test_reflow_table_continues_under_its_repeated_header() -> None:
    first = _three_line(0, 500, [["序号", "工作事项", "责任单位"], ["1", "做好甲。", "区教育局"]], False)
    nxt = _three_line(1, 130, [["2", "做好乙。", "区财政局"]], True)
    header = _ln("序号 工作事项 责任单位", 1, 82, 100, 300)
    p0 = Page(index=0, width=595, height=842, lines=[_ln("正文一段。", 0, 79.5, 400, 200)], tables=[first])
    p1 = Page(index=1, width=595, height=842, lines=[header, _ln("表后正文。", 1, 111, 300, 260)], tables=[nxt])
    blocks = pages_to_blocks([p0, p1])
    assert [(b.kind, len(b.tables)) for b in blocks] == [
        (BlockKind.PARAGRAPH, 0),
        (BlockKind.TABLE, 2),
        (BlockKind.PARAGRAPH, 0),
    ]
    assert blocks[1].tables == [first, nxt] and blocks[2].text == "表后正文。"


def test_reflow_table_not_continued_under_other_text() -> None:
    first = _three_line(0, 500, [["序号", "工作事项", "责任单位"], ["1", "做好甲。", "区教育局"]], False)
    nxt = _three_line(1, 130, [["2", "做好乙。", "区财政局"]], True)
    caption = _ln("表2 另一张表", 1, 82, 100, 300)
    p0 = Page(index=0, width=595, height=842, lines=[], tables=[first])
    p1 = Page(index=1, width=595, height=842, lines=[caption], tables=[nxt])
    blocks = pages_to_blocks([p0, p1])
    assert [b.kind for b in blocks] == [BlockKind.TABLE, BlockKind.PARAGRAPH, BlockKind.TABLE]
    assert blocks[1].text == "表2另一张表"


def test_reflow_numbered_paragraph_with_indented_full_first_line_is_one() -> None:
    """A numbered paragraph whose indented first line fills the measure (its middle near the page's middle when
    the margins are unequal) continues onto the next line: it is not a centred title."""
    lines = [
        _ln("1.严格执行疫情防控信息发布各项制度，统筹用好新闻发布", 0, 111.4, 284, 510.4),
        _ln("会、政府网站疫情防控专栏、微信公众号等各类信息发布平台，", 0, 79.4, 312, 515.2),
        _ln("及时回应社会关切。（牵头单位：区政府办公室）", 0, 79.4, 340, 440.0),
    ]
    blocks = pages_to_blocks([_page(0, lines)])
    assert [b.text for b in blocks] == [
        "1.严格执行疫情防控信息发布各项制度，统筹用好新闻发布会、政府网站疫情防控专栏、微信公众号等各类信息发布平台，"
        "及时回应社会关切。（牵头单位：区政府办公室）"
    ]


def test_reflow_two_column_line_read_across_the_gutter_stays_as_before() -> None:
    """An indented line filling the measure is not centred even with its middle on the page's; a line read
    across both columns (two texts and the gutter's space) keeps the page-middle test."""
    from pipeline.layout.reflow import _centered, _metrics

    body = "一是夯实基层安全监管力量，配备安全生产监管执法装备一批，落实镇街道专职安全员"
    lines = [_ln(body, 0, 45, 100 + 12 * k, 449.8, size=9.0) for k in range(3)]
    lines.append(_ln(body[:-2], 0, 63, 136, 450, size=9.0))  # indented first line, middle 256.5
    lines.append(
        _ln("第一，强化重大风险防控和安全隐患排查治 竞赛、应急管理知识竞赛、安全宣传", 0, 63, 148, 450, size=9.0)
    )
    m = _metrics([Page(index=0, width=513, height=842, lines=lines)])
    assert (m.left, m.centre[0]) == (45.0, 256.5)
    assert _centered(lines[3], m) is False
    assert _centered(lines[4], m) is True


def test_reflow_table_continues_under_its_header_read_as_a_fragment() -> None:
    first = _three_line(0, 500, [["序号", "工作事项", "责任单位"], ["1", "做好甲。", "区教育局"]], False)
    header = _three_line(1, 70, [["序号", "工作事项", "责任单位"]], True)
    nxt = _three_line(1, 130, [["2", "做好乙。", "区财政局"]], True)
    p0 = Page(index=0, width=595, height=842, lines=[_ln("正文一段。", 0, 79.5, 400, 200)], tables=[first])
    p1 = Page(index=1, width=595, height=842, lines=[], tables=[header, nxt])
    blocks = pages_to_blocks([p0, p1])
    assert [b.kind for b in blocks] == [BlockKind.PARAGRAPH, BlockKind.TABLE]
    assert blocks[1].tables == [first, header, nxt]


def test_reflow_pdf_table_read_as_text_sets_no_margin_or_pitch() -> None:
    """A borderless table read as text (many narrow, tightly spaced cell lines) does not set the margin
    and line pitch by which the body's paragraphs are joined."""
    body = [
        _ln("为贯彻落实工作部署，区政府办公室制定了", 0, 111, 100, 521, size=14),
        _ln("方案，现印发给你们，请认真组织实施。", 0, 79.5, 124.5, 400, size=14),
        _ln("一、高度重视，提高政治站位。各单位要", 0, 111, 149, 521, size=14),
        _ln("以新思想为指导，推动工作更加透明规范。", 0, 79.5, 173.5, 521, size=14),
        _ln("各单位要对照方案要求，研究制订计划。", 0, 79.5, 198, 380, size=14),
    ]
    cells = [_ln(f"第{k}格的文字在此换行", 1, 246, 100 + 14 * k, 435, size=10.5) for k in range(12)]
    cells += [
        _ln("表格以外的正文一行又一行，宽度与正文相同。", 1, 79.5, 300 + 24.5 * k, 521, size=14) for k in range(3)
    ]
    blocks = pages_to_blocks([_page(0, body), _page(1, cells)])
    assert [b.text for b in blocks[:2]] == [
        "为贯彻落实工作部署，区政府办公室制定了方案，现印发给你们，请认真组织实施。",
        "一、高度重视，提高政治站位。各单位要以新思想为指导，推动工作更加透明规范。各单位要对照方案要求，研究制订计划。",
    ]


def test_reflow_pdf_indented_full_line_after_recipients_starts_a_paragraph() -> None:
    """GB/T 9704 page (text block on the page's axis): a 主送 line that fills the measure, then the first line of
    the text, indented two characters and running to the right margin — not a centred line, a new paragraph."""
    lines = [
        _ln("各镇人民政府，各街道办事处，区直和省、市驻区有关单位：", 0, 79.4, 458.5, 511.4),
        _ln("为贯彻落实《某某省人民政府办公厅关于印发某某方案的", 0, 111.4, 486.5, 511.4),
        _ln("通知》的工作部署，区政府办公室制定了《某某方案》，经区", 0, 79.4, 514.5, 508.9),
        _ln("人民政府同意，现印发给你们。", 0, 79.4, 542.5, 300),
        _ln("一、高度重视，提高政治站位。各镇（街道）、各单位要", 0, 111.4, 570.5, 511.4),
        _ln("以新思想为指导，推动工作更加透明规范。", 0, 79.4, 598.5, 380),
    ]
    assert [b.text for b in pages_to_blocks([_page(0, lines)])] == [
        "各镇人民政府，各街道办事处，区直和省、市驻区有关单位：",
        "为贯彻落实《某某省人民政府办公厅关于印发某某方案的通知》的工作部署，区政府办公室制定了《某某方案》，经区"
        "人民政府同意，现印发给你们。",
        "一、高度重视，提高政治站位。各镇（街道）、各单位要以新思想为指导，推动工作更加透明规范。",
    ]


def test_reflow_bare_attachment_label_after_a_full_line_starts_a_block() -> None:
    # the plan's last line runs to the right margin on a clause end (；), then its 附件 label at the margin
    lines = [
        _ln("各有关部门要按照职能分工制定本规划实施工作方案，加强对规划实施情况的", 0, 111, 100, 521),
        _ln("动态监测，及时对规划主要目标、重点任务进行动态调整，优化政策措施；", 0, 79.5, 129, 521),
        _ln("附件", 0, 79.5, 158, 111.5, HEI),
        _ln("专项整治工作", 0, 236, 187, 364, HEI, 22),
    ]
    assert [b.text for b in pages_to_blocks([_page(0, lines)])] == [
        "各有关部门要按照职能分工制定本规划实施工作方案，加强对规划实施情况的"
        "动态监测，及时对规划主要目标、重点任务进行动态调整，优化政策措施；",
        "附件",
        "专项整治工作",
    ]
