"""A hand-built Issue shaped like the corpus, for the publishing tests (schema, exports, site, browser).

Two documents: doc-1 (a plan with an attachment: outline, body, 3 statistical tables, an indicator
table of 27 indicators) and doc-2 (a notice whose attachment holds 54 tasks with lead/co units and
deadlines). Sources point at plausible PDF pages (printed page N = PDF page N + 2) and A4 boxes, so the
page-image rendering can use the corpus PDF. Nothing here is computed by the code under test.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from schemas.model import (
    Attachment,
    Citation,
    Deadline,
    DeadlineKind,
    DocNumber,
    Document,
    Evidence,
    Figure,
    Finding,
    Heading,
    Indicator,
    IndicatorAttribute,
    Issue,
    IssueSource,
    PageRange,
    Paragraph,
    Problem,
    Recurrence,
    Series,
    Severity,
    Source,
    SourceKind,
    StatTable,
    Table,
    TableCell,
    TablePart,
    Target,
    TargetOp,
    Task,
    TaskRef,
    TocEntry,
    UnitEntry,
    UnitMention,
    UnitRole,
)

ISSUE_ID = "sample-2022-03"
N_TASKS = 54
N_INDICATORS = 27

UNITS = [
    "区政府办公室",
    "区司法局",
    "区卫生健康局",
    "区政务服务数据管理局",
    "区发展和改革局",
    "区财政局",
    "区应急管理局",
    "区教育局",
    "各镇(街道)",
    "区直和市驻区各单位",
]


def src(page: int, top: float = 120.0, height: float = 18.0, text: str | None = None) -> Source:
    """A PDF source on printed page ``page`` (PDF page = printed + 2), a box ``height`` points tall at ``top``."""
    return Source(page=page, pdf_page=page + 2, bbox=[90.0, top, 505.0, top + height], text=text)


# --------------------------------------------------------------------------- doc-1: plan with indicators

STAT_TABLES: list[tuple[str, list[tuple[str, str | None, list[float | None]]]]] = [
    (
        "表 1: 2016 年—2020 年危化品检查工作统计",
        [
            ("检查企业（家次）", "家次", [88, 103, 89, 106, 132]),
            ("发现隐患（处）", "处", [205, 358, 379, 375, 424]),
            ("落实整改（处）", "处", [205, 337, 357, 375, 424]),
        ],
    ),
    (
        "表 2: 2016 年—2020 年烟花爆竹检查工作统计",
        [
            ("检查公司 (家)", "家", [3, 3, 4, 4, 4]),
            ("零售点 (个)", "个", [105, 142, 157, 152, 232]),
            ("发现隐患 (处)", "处", [None, 178, 201, 103, 78]),
        ],
    ),
    (
        "表 3: 2016 年—2020 年工贸行业检查工作统计",
        [
            ("检查企业（家次）", "家次", [82, 131, 106, 85, 103]),
            ("整改令", None, [14, 46, 40, 33, 95]),
            ("责令整改", None, [26, 321, 214, 145, 474]),
        ],
    ),
]
YEARS = ["2016", "2017", "2018", "2019", "2020"]

# (category or None when merged with the row above, name, raw target, op, value, unit, footnote, attribute)
INDICATOR_ROWS: list[tuple[str | None, str, str, TargetOp, float, str | None, str | None, str]] = [
    ("安全生产", "生产安全事故死亡人数", "下降 15%", TargetOp.DECREASE, 15, "%", None, "约束性"),
    (None, "亿元地区生产总值生产安全事故死亡率", "下降 33%", TargetOp.DECREASE, 33, "%", None, "约束性"),
    (None, "工矿商贸就业人员十万人生产安全事故死亡率", "下降 20%", TargetOp.DECREASE, 20, "%", None, "约束性"),
    (None, "道路交通万车死亡率", "下降 4%", TargetOp.DECREASE, 4, "%", None, "预期性"),
    (None, "十万人口火灾死亡率", "<0.15", TargetOp.LT, 0.15, None, None, "预期性"),
    ("防灾减灾", "年均因灾直接经济损失占地区生产总值比例", "<1%*", TargetOp.LT, 1, "%", "*", "预期性"),
    (None, "年均每百万人口因自然灾害死亡率", "<1*", TargetOp.LT, 1, None, "*", "预期性"),
    (None, "年均每十万人受灾人次", "<15000*", TargetOp.LT, 15000, None, "*", "预期性"),
    (None, "主要河流控制断面洪水预警发布率", "100%", TargetOp.EQ, 100, "%", None, "预期性"),
    (None, "暴雨预警准确度", "≥ 80%", TargetOp.GE, 80, "%", None, "预期性"),
    (None, "每百平方公里雨量（气象）站数量", "≥ 5", TargetOp.GE, 5, None, None, "预期性"),
    (None, "台风风暴潮增水预报偏差", "50 厘米", TargetOp.EQ, 50, "厘米", None, "预期性"),
    (None, "陆域人口稠密区地震监测能力", "1.0 级", TargetOp.EQ, 1.0, "级", None, "预期性"),
    (None, "地震基本参数自动速报时效", "≤ 1 分钟", TargetOp.LE, 1, "分钟", None, "预期性"),
    (None, "重点区域林火瞭望监测覆盖率", "≥ 90%", TargetOp.GE, 90, "%", None, "预期性"),
    (None, "森林火灾受害率", "≤ 1‰", TargetOp.LE, 1, "‰", None, "预期性"),
    (None, "受灾群众基本生活初步救助时间", "<8 小时", TargetOp.LT, 8, "小时", None, "预期性"),
    ("应急救援", "灾害预警信息公众覆盖率", "≥ 95%", TargetOp.GE, 95, "%", None, "预期性"),
    (None, "灾害事故救援现场应急通信保障率", "100%", TargetOp.EQ, 100, "%", None, "预期性"),
    (None, "专职消防人员占全区总人口比例", "≥ 0.4‰", TargetOp.GE, 0.4, "‰", None, "预期性"),
    (None, "森林消防应急队伍达标率", "≥ 90%", TargetOp.GE, 90, "%", None, "预期性"),
    (None, "应急航空救援力量到达重大灾害事故风险区域时间", "<1 小时", TargetOp.LT, 1, "小时", None, "预期性"),
    (None, "内河应急处置现场到达时间", "<2 小时", TargetOp.LT, 2, "小时", None, "预期性"),
    (None, "24 小时森林火灾扑灭率", "≥ 95%", TargetOp.GE, 95, "%", None, "预期性"),
    (None, "县级以上应急管理部门装备达标率", "100%", TargetOp.EQ, 100, "%", None, "预期性"),
    ("综合", "应急管理干部专业培训率", "100%", TargetOp.EQ, 100, "%", None, "预期性"),
    (None, "应急管理执法信息系统使用率", "100%", TargetOp.EQ, 100, "%", None, "预期性"),
]


def _stat_table(n: int, caption: str, rows: list[tuple[str, str | None, list[float | None]]], page: int) -> Table:
    body = [[label, *("---" if v is None else str(int(v)) for v in values)] for label, _, values in rows]
    cells = [TableCell(part=TablePart.HEADER, row=0, col=c, text=t) for c, t in enumerate(["", *YEARS])]
    for r, row in enumerate(body):
        cells += [TableCell(part=TablePart.BODY, row=r, col=c, text=t or "") for c, t in enumerate(row)]
    return Table(
        id=f"doc-1/att-1/table-{n}",
        number=n,
        caption=caption,
        header=[["", *YEARS]],
        rows=list(body),
        pages=[page],
        row_pages=[page] * len(body),
        cells=cells,
        source=src(page, 300, 90),
    )


def _indicator_table() -> Table:
    header = ["序号", "类别", "指标", "指标值", "指标属性"]
    cells = [TableCell(part=TablePart.HEADER, row=0, col=c, text=t) for c, t in enumerate(header)]
    rows: list[list[str | None]] = []
    starts = [i for i, row in enumerate(INDICATOR_ROWS) if row[0] is not None] + [len(INDICATOR_ROWS)]
    for i, (cat, name, raw, *_rest) in enumerate(INDICATOR_ROWS):
        attr = INDICATOR_ROWS[i][7]
        rows.append([str(i + 1), cat, name, raw, attr])
        cells.append(TableCell(part=TablePart.BODY, row=i, col=0, text=str(i + 1)))
        if cat is not None:
            span = starts[starts.index(i) + 1] - i
            cells.append(TableCell(part=TablePart.BODY, row=i, col=1, rowspan=span, text=cat))
        cells += [TableCell(part=TablePart.BODY, row=i, col=c, text=t) for c, t in ((2, name), (3, raw), (4, attr))]
    return Table(
        id="doc-1/att-1/table-4",
        number=None,
        caption="专栏 应急管理“十四五”规划指标表",
        header=[header],
        rows=rows,
        pages=[22, 23],
        row_pages=[22 if i < 16 else 23 for i in range(len(rows))],
        cells=cells,
        notes=["注：带*的为五年平均值。"],
        source=src(22, 100, 600),
    )


def _indicators() -> list[Indicator]:
    out = []
    category = ""
    for i, (cat, name, raw, op, value, unit, foot, attr) in enumerate(INDICATOR_ROWS):
        category = cat or category
        page, top = (22, 140 + 36 * i) if i < 16 else (23, 100 + 36 * (i - 16))
        out.append(
            Indicator(
                id=f"doc-1/att-1/ind-{i + 1}",
                seq=i + 1,
                category=category,
                name=name,
                target=Target(raw=raw, op=op, value=value, unit=unit, footnote=foot),
                attribute=IndicatorAttribute(attr),
                source=src(page, top, 30, text=f"{i + 1}\t{name}\t{raw}\t{attr}"),
            )
        )
    return out


def _plan_attachment() -> Attachment:
    ch1 = Heading(
        id="doc-1/att-1/h-1",
        level=1,
        label="第一章",
        title="发展基础与面临形势",
        page=7,
        source=src(7, 80),
        children=[
            Heading(id="doc-1/att-1/h-1-1", level=2, label="第一节", title="发展基础", page=7, source=src(7, 130))
        ],
    )
    ch2 = Heading(
        id="doc-1/att-1/h-2",
        level=1,
        label="第二章",
        title="总体要求和发展目标",
        page=18,
        source=src(18, 80),
        children=[
            Heading(id="doc-1/att-1/h-2-1", level=2, label="第一节", title="发展目标", page=19, source=src(19, 90))
        ],
    )
    ch3 = Heading(id="doc-1/att-1/h-3", level=1, label="第三章", title="主要任务", page=24, source=src(24, 80))
    body = [
        Paragraph(
            id="doc-1/att-1/p-1",
            heading_id="doc-1/att-1/h-1-1",
            source=src(7, 160, 60),
            text="“十三五”期间，全区安全生产形势持续稳定向好，应急管理体系逐步完善。",
        ),
        Paragraph(
            id="doc-1/att-1/p-2",
            heading_id="doc-1/att-1/h-1-1",
            source=src(10, 200, 80),
            text="2016 年—2020 年危化品检查工作详情见表 1。2016 年全区发现隐患 205 处，隐患已全部整改完毕。",
        ),
        Paragraph(
            id="doc-1/att-1/p-3",
            heading_id="doc-1/att-1/h-2-1",
            source=src(19, 120, 60),
            text="到 2025 年，应急管理体系和能力现代化建设取得重大进展。主要指标见专栏。",
        ),
        Paragraph(
            id="doc-1/att-1/p-4",
            heading_id="doc-1/att-1/h-3",
            source=src(24, 120, 60),
            continues=[src(25, 60, 40)],
            text="完善应急管理组织指挥体系，健全统一指挥、专常兼备的应急管理体制。",
        ),
    ]
    pages = [10, 12, 13]
    tables = [
        _stat_table(n + 1, cap, rows, page)
        for n, ((cap, rows), page) in enumerate(zip(STAT_TABLES, pages, strict=True))
    ]
    stats = [
        StatTable(
            table_id=f"doc-1/att-1/table-{n + 1}",
            caption=cap,
            columns=YEARS,
            number=n + 1,
            series=[
                Series(label=label, unit=unit, values=values, quantity=label.split("（")[0].split(" (")[0])
                for label, unit, values in rows
            ],
        )
        for n, (cap, rows) in enumerate(STAT_TABLES)
    ]
    toc = [TocEntry(title=h.title, label=h.label, level=h.level, page=h.page, heading_id=h.id) for h in (ch1, ch2, ch3)]
    return Attachment(
        id="doc-1/att-1",
        title="示例区应急管理“十四五”规划",
        toc=toc,
        outline=[ch1, ch2, ch3],
        tables=[*tables, _indicator_table()],
        statistics=stats,
        indicators=_indicators(),
        body=body,
        figures=[Figure(id="doc-1/att-1/fig-1", number=1, caption="应急指挥体系示意图", source=src(25, 400, 200))],
        source=src(5, 80),
    )


def _doc1() -> Document:
    return Document(
        id="doc-1",
        header="示例区人民政府文件",
        doc_number=DocNumber(raw="示例府〔2022〕2号", org="示例府", year=2022, serial=2),
        title="示例区人民政府关于印发示例区应急管理“十四五”规划的通知",
        issuer="示例区人民政府",
        recipients=["各镇人民政府", "各街道办事处", "区府直属和省、市驻区各单位"],
        signature="示例区人民政府",
        date=dt.date(2022, 7, 4),
        disclosure="主动公开",
        cc=["区委各部委办", "区人大办"],
        printed_by="示例区人民政府办公室",
        printed_date=dt.date(2022, 7, 4),
        pages=PageRange(first=1, last=49),
        source=src(1, 60, 700),
        keywords=["应急管理", "规划", "安全生产"],
        topic="综合政务/应急管理",
        body=[
            Paragraph(
                id="doc-1/p-1",
                source=src(1, 320, 40),
                text="现将《示例区应急管理“十四五”规划》印发给你们，请认真贯彻落实。",
            )
        ],
        attachments=[_plan_attachment()],
        fields={"doc_number": src(1, 200, 20, "示例府〔2022〕2 号"), "date": src(1, 520, 20, "2022年7月4日")},
    )


# --------------------------------------------------------------------------- doc-2: notice with 54 tasks


def _deadlines(n: int, page: int, top: float) -> list[Deadline]:
    """Deadlines by position: tasks 1, 4, 7 … and every 9th have a date, every 7th recurs quarterly, every 10th is a period."""
    out: list[Deadline] = []
    if n % 3 == 1 or n % 9 == 0:
        month = 6 + (n % 7)
        day = 30 if month in (6, 9, 11) else 31
        out.append(
            Deadline(
                raw=f"2022 年 {month} 月底前",
                date=dt.date(2022, month, day),
                kind=DeadlineKind.BY,
                source=src(page, top),
            )
        )
    if n % 7 == 0:
        out.append(
            Deadline(raw="每季度", kind=DeadlineKind.RECURRING, recurrence=Recurrence.QUARTERLY, source=src(page, top))
        )
    if n % 10 == 5:
        out.append(
            Deadline(
                raw="2022 年至 2023 年",
                date=dt.date(2022, 1, 1),
                end=dt.date(2023, 12, 31),
                kind=DeadlineKind.PERIOD,
                source=src(page, top),
            )
        )
    return out


def _units_for(n: int) -> tuple[list[str], list[str]]:
    """Lead and co units by position: 区政府办公室 leads every 2nd task and co-operates on every 5th."""
    if n % 2 == 1:
        lead = ["区政府办公室"]
        co = [UNITS[1 + n % 9]] if n % 4 == 1 else []
    else:
        lead = [UNITS[1 + n % 9]]
        co = ["区政府办公室"] if n % 5 == 0 else []
    return lead, co


def _tasks() -> list[Task]:
    out = []
    for n in range(1, N_TASKS + 1):
        page = 52 + (n - 1) // 7
        top = 90 + ((n - 1) % 7) * 100
        lead, co = _units_for(n)
        units = [UnitMention(raw=u, name=u, role=UnitRole.LEAD, in_vocabulary=True) for u in lead]
        units += [UnitMention(raw=u, name=u, role=UnitRole.CO, in_vocabulary=True) for u in co]
        deadlines = _deadlines(n, page, top)
        when = f"于{deadlines[0].raw}" if deadlines else ""
        text = f"{n}. 持续推进第 {n} 项政务公开重点工作，{when}完成相关栏目建设和信息发布，确保内容准确、更新及时。"
        out.append(
            Task(
                id=f"doc-2/att-1/task-{n}",
                seq=n,
                requirement=f"{'一二三四五'[(n - 1) // 11]}、优化政务公开工作基础",
                task=f"({'一二三四五六七八九十'[(n - 1) % 10]})深化第 {n} 项公开。",
                text=text,
                lead_units=lead,
                co_units=co,
                deadlines=deadlines,
                source=src(page, top, 90, text=text),
                units_raw="；".join(lead + co),
                units=units,
            )
        )
    return out


def _doc2() -> Document:
    return Document(
        id="doc-2",
        header="示例区人民政府文件",
        doc_number=DocNumber(raw="示例府办函〔2022〕68号", org="示例府办函", year=2022, serial=68),
        title="示例区人民政府办公室关于印发示例区2022年政务公开工作要点分工方案的通知",
        issuer="示例区人民政府办公室",
        recipients=["各镇人民政府", "各街道办事处"],
        signature="示例区人民政府办公室",
        date=dt.date(2022, 9, 17),
        disclosure="主动公开",
        printed_by="示例区人民政府办公室",
        printed_date=dt.date(2022, 9, 17),
        pages=PageRange(first=50, last=60),
        source=src(50, 60, 700),
        keywords=["政务公开", "工作要点"],
        topic="综合政务/政务公开",
        body=[
            Paragraph(
                id="doc-2/p-1",
                source=src(50, 300, 60),
                text="各镇（街道）、各单位要于今年 10 月 1 日前，向区政府办公室报送推进落实情况。",
            )
        ],
        deadlines=[
            Deadline(raw="今年 10 月 1 日前", date=dt.date(2022, 10, 1), kind=DeadlineKind.BY, source=src(50, 300))
        ],
        citations=[
            Citation(title="某省2022年政务公开工作要点分工方案", doc_number="某府办〔2022〕17号", source=src(50, 260))
        ],
        attachments=[
            Attachment(
                id="doc-2/att-1", title="示例区2022年政务公开工作要点分工方案", tasks=_tasks(), source=src(52, 60)
            )
        ],
    )


def _units(docs: list[Document]) -> list[UnitEntry]:
    entries: dict[str, UnitEntry] = {}
    for doc in docs:
        for att in doc.attachments:
            for t in att.tasks:
                ref = TaskRef(task_id=t.id, document_id=doc.id, seq=t.seq, text=t.text, deadlines=t.deadlines)
                for u in t.lead_units:
                    entries.setdefault(u, UnitEntry(name=u, in_vocabulary=True)).leads.append(ref)
                for u in t.co_units:
                    entries.setdefault(u, UnitEntry(name=u, in_vocabulary=True)).co_operates.append(ref)
    return [entries[k] for k in sorted(entries)]


def _findings() -> list[Finding]:
    claim = src(10, 200, 80, "2017 年全区发现隐患 358 处，已落实整改 337 处")
    cell = Source(page=10, pdf_page=12, bbox=[300.0, 350.0, 340.0, 366.0], text="337")
    return [
        Finding(
            code="V101",
            severity=Severity.WARNING,
            message="prose value differs from the table cell",
            expected="337",
            actual="358",
            location=claim,
            rule="prose-vs-table",
            document_id="doc-1",
            evidence=[
                Evidence(role="claim", text=claim.text, value="358", source=claim),
                Evidence(role="table-cell", text="337", value="337", source=cell),
            ],
        ),
        Finding(
            code="V201",
            severity=Severity.INFO,
            message="TOC page differs from the heading page",
            expected="22",
            actual="24",
            location=src(24, 80),
            rule="toc-page",
            document_id="doc-1",
            evidence=[
                Evidence(role="toc-entry", text="第三章 主要任务", value="22", source=src(5, 400)),
                Evidence(role="heading", text="第三章 主要任务", value="24", source=src(24, 80)),
            ],
        ),
        Finding(
            code="V301",
            severity=Severity.ERROR,
            message="task without a deadline in a dated plan",
            location=src(52, 90, 90),
            rule="task-deadline",
            document_id="doc-2",
            evidence=[Evidence(role="task", text="2. 持续推进第 2 项政务公开重点工作", source=src(52, 190, 90))],
        ),
    ]


def build_issue() -> Issue:
    """The fixture Issue (a fresh object each call, so tests may mutate it)."""
    docs = [_doc1(), _doc2()]
    toc = [
        TocEntry(
            category="区政府文件",
            title=docs[0].title,
            doc_number="示例府〔2022〕2号",
            page=1,
            document_id="doc-1",
            source=Source(page=None, pdf_page=2, bbox=[70.0, 200.0, 520.0, 240.0]),
        ),
        TocEntry(
            category="区政府文件",
            title=docs[1].title,
            doc_number="示例府办函〔2022〕68号",
            page=50,
            document_id="doc-2",
            source=Source(page=None, pdf_page=2, bbox=[70.0, 260.0, 520.0, 300.0]),
        ),
    ]
    return Issue(
        id=ISSUE_ID,
        source=IssueSource(path="corpus/sample-2022-03.pdf", sha256="ab" * 32, kind=SourceKind.PDF, pages=62),
        gazette="示例区人民政府公报",
        year=2022,
        number=3,
        toc=toc,
        documents=docs,
        findings=_findings(),
        errors=[
            Problem(code="P201", message="indicator target could not be parsed", page=23, severity=Severity.WARNING)
        ],
        units=_units(docs),
    )


# --------------------------------------------------------------------------- HTML helpers shared by the site tests


class PageLinks(HTMLParser):
    """The ids, internal hrefs/srcs and visible text of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[str] = []
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        self.tags.append((tag, d))
        if d.get("id"):
            self.ids.add(d["id"] or "")
        for key in ("href", "src"):
            value = d.get(key)
            if value and not value.startswith(("http:", "https:", "mailto:", "data:")):
                self.refs.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_page(path: Path) -> PageLinks:
    parser = PageLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path) -> tuple[list[str], set[Path]]:
    """Every internal href/src that does not resolve to a file (and #anchor) of the site, and the set of
    HTML pages reachable from index.html by following links."""
    pages = {p: parse_page(p) for p in site.rglob("*.html")}
    broken = []
    for page, links in pages.items():
        for ref in links.refs:
            target, _, frag = unquote(ref).partition("#")
            file = (page.parent / target.split("?")[0]).resolve() if target else page.resolve()
            if not file.is_file():
                broken.append(f"{page.relative_to(site)} → {ref}")
            elif frag and file.suffix == ".html" and frag not in pages[file].ids:
                broken.append(f"{page.relative_to(site)} → {ref} (no anchor)")
    reachable: set[Path] = set()
    todo = [(site / "index.html").resolve()]
    while todo:
        page = todo.pop()
        if page in reachable or page not in pages:
            continue
        reachable.add(page)
        for ref in pages[page].refs:
            target = unquote(ref).partition("#")[0].split("?")[0]
            if target.endswith(".html"):
                todo.append((page.parent / target).resolve())
    return broken, reachable


# --------------------------------------------------------------------------- the real corpus issue

CORPUS_PDF = Path(__file__).resolve().parent.parent / "corpus" / "maonan-2022-03.pdf"


@functools.cache
def corpus_issue() -> Issue:
    """The Issue the whole pipeline builds from the corpus PDF (parsed once per test process)."""
    from pipeline.options import RunOptions
    from pipeline.run import parse_file

    result = parse_file(CORPUS_PDF, RunOptions())
    assert result.issue is not None, result.errors
    return result.issue


@functools.cache
def _corpus_site_dir() -> Path:
    from pipeline.publish.site import render_site

    out = Path(tempfile.mkdtemp(prefix="corpus-site-"))
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    issue = corpus_issue()
    render_site([issue], out, {issue.id: CORPUS_PDF})
    return out


@pytest.fixture
def corpus_site() -> Path:
    """The site rendered from the corpus Issue with page images (once per test process); returns its root."""
    return _corpus_site_dir()
