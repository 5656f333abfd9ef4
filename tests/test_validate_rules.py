"""Each validator rule on small hand-built inputs: the code fires on a violation, and stays silent otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.check.validate import (
    RULES,
    issue_to_findings,
    label_to_number,
    outline_to_findings,
    paragraphs_to_numbering_findings,
    table_to_numbered_item_findings,
    table_to_sequence_findings,
    title_to_period,
)
from pipeline.grammar.labels import split_label
from schemas.model import (
    Attachment,
    Deadline,
    DeadlineKind,
    DocNumber,
    Document,
    Figure,
    Heading,
    Issue,
    IssueSource,
    PageRange,
    Paragraph,
    Series,
    Severity,
    Source,
    SourceKind,
    StatTable,
    Table,
    TableCell,
    TablePart,
    TocEntry,
)
from tests.fixtures_issue import stat_table

YEARS = ["2016", "2017", "2018", "2019", "2020"]


def _issue(att: Attachment | None = None, **doc: object) -> Issue:
    fields: dict[str, object] = {
        "id": "doc-1",
        "title": "关于印发某区应急管理“十四五”规划的通知",
        "source": Source(line=1),
    }
    fields.update(doc)
    document = Document(**fields, attachments=[att] if att else [])
    return Issue(id="t", source=IssueSource(path="t.txt", sha256="0" * 64, kind=SourceKind.TEXT), documents=[document])


def _att(paragraphs: list[str], tables: list[tuple[Table, StatTable]] | None = None, **kw: object) -> Attachment:
    tables = tables or []
    body = [
        Paragraph(id=f"a/p-{k}", text=t, heading_id="a/h-1", source=Source(line=100 + k))
        for k, t in enumerate(paragraphs)
    ]
    return Attachment(
        id="doc-1/att-1",
        title="某区应急管理“十四五”规划",
        body=body,
        tables=[t for t, _ in tables],
        statistics=[s for _, s in tables],
        **kw,
    )


def _codes(issue: Issue) -> list[str]:
    return [f.code for f in issue_to_findings(issue)]


def _stat(
    number: int, rows: list[tuple[str, list[float | None]]], notes: list[str] | None = None
) -> tuple[Table, StatTable]:
    table = Table(
        id=f"t-{number}",
        number=number,
        header=[["", *YEARS]],
        rows=[[label, *("" if v is None else str(v) for v in values)] for label, values in rows],
        notes=notes or [],
        source=Source(line=50 + number),
    )
    stat = StatTable(
        table_id=table.id,
        number=number,
        columns=list(YEARS),
        series=[Series(label=label, values=list(values)) for label, values in rows],
    )
    return table, stat


# --------------------------------------------------------------------------- V1xx


@pytest.mark.parametrize(
    ("paragraph", "codes"),
    [
        ("详见表1。2016年—2020年隐患整改率平均为97.67%。", ["V104"]),
        ("详见表1。2016年—2020年隐患整改率平均为97.53%。", []),  # the pooled rate: no finding
        ("详见表1。2016年—2020年隐患整改率平均为96.00%。", ["V103"]),
        ("详见表1。2017年全区发现隐患358处，已落实整改337处。", []),
        ("详见表1。2017年全区发现隐患359处。", ["V101"]),
        ("详见表1。2018年全区排查发现隐患379项，完成隐患整改357项，责成整改22项。", []),
        ("详见表1。2018年全区排查发现隐患379项，完成隐患整改357项，责成整改21项。", ["V108"]),
        ("详见表1。2016、2019和2020年整改率均达到100%。", []),
        ("详见表1。2016年—2020年整改率均为100%。", ["V105", "V105"]),
        ("详见表1。2017年全区发现隐患358处，隐患已全部整改完毕。", ["V105"]),
        ("详见表1。2019年整改率为100%，处于较高水平。", []),
        ("详见表1。2017年整改率为94.13%，处于最高值。", ["V107"]),
        ("详见表1。2016年—2020年合计发现隐患1741处。", []),
        ("详见表1。2016年—2020年合计发现隐患1740处。", ["V109"]),
        ("详见表1。五年的平均发现隐患348.2处。", []),
        ("详见表1。五年的平均发现隐患350处。", ["V103"]),
        ("详见表1。2017年整改率为120%。", ["V203", "V101"]),
        ("详见表1。2017年查处违法企业3家。", []),
    ],
)
def test_validate_claims_against_table1(paragraph: str, codes: list[str]) -> None:
    att = _att([paragraph], [stat_table(1)])
    assert sorted(_codes(_issue(att))) == sorted(codes)


def test_validate_claim_links_to_preceding_paragraph_table() -> None:
    att = _att(["详见表1。", "2016年—2020年整改率平均为90%，详见图1。"], [stat_table(1)])
    assert _codes(_issue(att)) == ["V103"]


def test_validate_claim_links_by_nearness_under_the_same_heading() -> None:
    table, stat = stat_table(1)  # its source is line 151, before the paragraph
    body = [Paragraph(id="p", text="2017年全区发现隐患300处。", heading_id="h", source=Source(line=158))]
    att = Attachment(id="a", title="规划", body=body, tables=[table], statistics=[stat])
    assert _codes(_issue(att)) == ["V101"]


def test_validate_no_link_across_headings() -> None:
    table, stat = stat_table(1)
    body = [
        Paragraph(id="p0", text="另一节的内容。", heading_id="h0", source=Source(line=155)),
        Paragraph(id="p1", text="2017年全区发现隐患300处。", heading_id="h1", source=Source(line=158)),
    ]
    att = Attachment(id="a", title="规划", body=body, tables=[table], statistics=[stat])
    assert _codes(_issue(att)) == []


def test_validate_weak_unit_match_is_a_warning() -> None:
    att = _att(["详见表2。2019年全区检查批发企业5家（次）。"], [stat_table(2)])
    (f,) = issue_to_findings(_issue(att))
    assert (f.code, f.severity, f.expected, f.actual) == ("V102", Severity.WARNING, "4", "5")


def test_validate_universal_over_missing_year_is_a_warning_per_year() -> None:
    att = _att(["由表2可以看出，2016年—2020年隐患整改率均为100%。"], [stat_table(2)])
    assert [(f.code, f.severity) for f in issue_to_findings(_issue(att))] == [("V106", Severity.WARNING)]


@pytest.mark.parametrize(
    ("paragraph", "codes"),
    [
        ("从甲、乙来看，2019年处于最高值，分别为48、15；2020年处于最低值，分别为26、11。", []),
        ("从甲、乙来看，2019年处于最高值，分别为48、15；2020年处于最低值，分别为26、21。图3如下。", ["V107", "V107"]),
        ("2019年处于较高值，分别为37、13；2020年处于最低值，分别为40、11，如图3所示。", ["V107", "V107"]),
    ],
)
def test_validate_listed_superlatives_self_check(paragraph: str, codes: list[str]) -> None:
    att = _att([paragraph], figures=[Figure(id="f3", number=3, caption="统计")])
    assert _codes(_issue(att)) == codes


def test_validate_figure_only_values_are_unverifiable_info() -> None:
    att = _att(["2019年全区发生安全事故48起，如图3所示。"], figures=[Figure(id="f3", number=3, caption="统计")])
    assert [(f.code, f.severity) for f in issue_to_findings(_issue(att))] == [("V503", Severity.INFO)]


# --------------------------------------------------------------------------- V2xx


def test_validate_total_row_and_column() -> None:
    good = _stat(1, [("甲", [1, 2, 3, 4, 5]), ("乙", [1, 1, 1, 1, 1]), ("合计", [2, 3, 4, 5, 6])])
    bad = _stat(2, [("甲", [1, 2, 3, 4, 5]), ("乙", [1, 1, 1, 1, 1]), ("合计", [2, 3, 4, 5, 7])])
    assert _codes(_issue(_att([], [good]))) == []
    f = issue_to_findings(_issue(_att([], [bad])))
    assert [(x.code, x.expected, x.actual) for x in f] == [("V201", "6", "7")]


def test_validate_total_column() -> None:
    table, stat = _stat(1, [("甲", [1, 2, 3, 4, 10]), ("乙", [1, 1, 1, 1, 5])])
    stat.columns[-1] = "合计"
    findings = issue_to_findings(_issue(_att([], [(table, stat)])))
    assert [(f.code, f.expected, f.actual) for f in findings] == [("V201", "4", "5")]


@pytest.mark.parametrize(
    ("values", "codes"),
    [([[5, 6], [1, 1], [2, 3], [4, 4]], []), ([[5, 6], [1, 1], [2, 3], [4, 5]], ["V202"])],
)
def test_validate_reconciliation_note(values: list[list[float]], codes: list[str]) -> None:
    rows = [(f"项目{k}", [v[0], v[1], None, None, None]) for k, v in enumerate(values, start=1)]
    table, stat = _stat(1, rows, notes=["注：勾稽关系为第一项加第二项之和，等于第三项加第四项之和。"])
    assert _codes(_issue(_att([], [(table, stat)]))) == codes


def test_validate_rate_above_100_and_fixed_above_found() -> None:
    rate = _stat(1, [("整改率", [100, 101, None, None, None])])
    rate[1].series[0].unit = "%"
    assert _codes(_issue(_att([], [rate]))) == ["V203"]
    counts = _stat(2, [("发现隐患（处）", [10, 10, 10, 10, 10]), ("落实整改（处）", [10, 11, 10, 10, 10])])
    assert _codes(_issue(_att([], [counts]))) == ["V204"]


# --------------------------------------------------------------------------- V3xx


def _seq_table(
    values: list[str], anchors: list[tuple[int, int]] | None = None, labels: list[str] | None = None
) -> Table:
    rows: list[list[str | None]] = [[v, labels[r] if labels else f"内容{r}"] for r, v in enumerate(values)]
    cells = [TableCell(part=TablePart.BODY, row=r, col=0, rowspan=n, text=values[r]) for r, n in anchors or []]
    return Table(id="t", header=[["序号", "内容"]], rows=rows, cells=cells, source=Source(line=1))


@pytest.mark.parametrize(
    ("values", "anchors", "found"),
    [
        (["1", "2", "3"], None, []),
        (["1", "1", "2", "2", "3"], None, []),  # merged cells carried down
        (["1", "1", "2"], [(0, 2), (2, 1)], []),
        (["1", "2", "4"], None, [("3", "4")]),
        (["1", "1", "2"], [(0, 1), (1, 1), (2, 1)], [("2", "1")]),  # two anchor cells: a real repeat
        (["1", "2", "", "3"], None, []),
    ],
)
def test_validate_sequence_column(
    values: list[str], anchors: list[tuple[int, int]] | None, found: list[tuple[str, str]]
) -> None:
    assert [(f.expected, f.actual) for f in table_to_sequence_findings(_seq_table(values, anchors), "doc-1")] == found


def test_validate_sequence_column_number_printed_on_each_row_of_its_group() -> None:
    # 1 | 非煤矿山 | … printed on each row of the group (a merged cell written out per row) is not a repeat;
    # the same number over another group is
    cells = [(0, 1), (1, 1), (2, 1), (3, 1)]
    table = _seq_table(["1", "1", "2", "2"], cells, ["非煤矿山", "非煤矿山", "危险化学品", "消防"])
    assert [(f.expected, f.actual) for f in table_to_sequence_findings(table, "doc-1")] == [("3", "2")]


@pytest.mark.parametrize(
    ("labels", "found"),
    [
        (["非煤矿山", "非煤矿山", "非煤矿山", "危险化学品"], []),  # a group's number and label on each row
        (["非煤矿山", "危险化学品", "危险化学品", "消防"], [("2", "1")]),  # another label: a repeat
    ],
)
def test_validate_sequence_column_group_printed_on_each_row(labels: list[str], found: list[tuple[str, str]]) -> None:
    table = _seq_table(["1", "1", "1", "2"], [(0, 1), (1, 1), (2, 1), (3, 1)], labels)
    assert [(f.expected, f.actual) for f in table_to_sequence_findings(table, "doc-1")] == found


@pytest.mark.parametrize(
    ("label", "parsed"),
    [
        ("第一章", ("chapter章", 1)),
        ("第十二节", ("chapter节", 12)),
        ("第二十三条", ("chapter条", 23)),
        ("1.", ("arabic-dot", 1)),
        ("12．", ("arabic-dot", 12)),
        ("（3）", ("arabic-paren", 3)),
        ("(4)", ("arabic-paren", 4)),
        ("三、", ("cn-comma", 3)),
        ("（十）", ("cn-paren", 10)),
        ("第四，做好", ("cn-ordinal", 4)),
        ("六是应急", ("cn-shi", 6)),
        ("29. 10 月底前完成", ("arabic-dot", 29)),
        ("36. 2022 年底前", ("arabic-dot", 36)),
        ("2022年", None),
        ("1.5倍", None),
        ("", None),
    ],
)
def test_validate_label_to_number(label: str, parsed: tuple[str, int] | None) -> None:
    assert label_to_number(label) == parsed


def _task_table(rows: list[list[str | None]]) -> Table:
    return Table(id="t", header=[["工作要求", "具体任务", "具体要求"]], rows=rows, source=Source(line=1))


@pytest.mark.parametrize(
    ("rows", "found"),
    [
        # merged cells carried down and across, items in another column, a cell with two numbered paragraphs
        (
            [
                ["一、甲", "(一)子", "1.甲。\n2.乙。"],
                ["一、甲", "(一)子", "3.丙。"],
                ["一、甲", "(二)丑", "4.丁。"],
                ["二、乙", "5.戊。", "5.戊。"],
                ["二、乙", "6.己。", "6.己。"],
            ],
            [],
        ),
        ([["一", "(一)", "1.甲"], ["一", "(一)", "2.乙"], ["一", "(二)", "4.丁"]], [("3 once", "3 × 0")]),
        ([["一", "(一)", "1.甲"], ["一", "(二)", "2.乙"], ["二", "(一)", "2.乙二"]], [("2 once", "2 × 2")]),
        ([["一", "(一)", "1.甲"], ["一", "(二)", "2.乙"], ["二", "(一)", "3.丙"], ["二", "(二)", "4.丁"]], []),
    ],
)
def test_validate_numbered_items_in_table_cells(rows: list[list[str | None]], found: list[tuple[str, str]]) -> None:
    got = table_to_numbered_item_findings(_task_table(rows), "doc-2")
    assert [(f.expected, f.actual) for f in got] == found
    assert all(f.code == "V302" for f in got)


def _h(label: str, children: list[Heading] | None = None) -> Heading:
    lab = split_label(label)
    assert lab is not None
    return Heading(
        id=label, level=1, label=label, title="标题", children=children or [], kind=lab.kind.value, number=lab.number
    )


def test_validate_outline_numbering() -> None:
    good = [_h("第一章", [_h("第一节"), _h("第二节")]), _h("第二章", [_h("第一节", [_h("1."), _h("2.")])])]
    assert outline_to_findings(good, "doc-1") == []
    bad = [_h("第一章", [_h("第一节"), _h("第三节")]), _h("第三章"), _h("第三章")]
    assert [(f.code, f.expected, f.actual) for f in outline_to_findings(bad, "doc-1")] == [
        ("V303", "2", "3"),  # 第三章 after 第一章
        ("V303", "4", "3"),  # 第三章 repeated
        ("V303", "2", "3"),  # 第三节 after 第一节, inside 第一章
    ]


def test_validate_numbered_paragraphs() -> None:
    def para(text: str, heading: str = "h") -> Paragraph:
        return Paragraph(id=text, text=text, heading_id=heading, source=Source(line=1))

    good = [
        para("一是甲。"),
        para("二是乙。"),
        para("(1) 甲"),
        para("(2) 乙"),
        para("1.甲", "h2"),
        para("（1）丙", "h2"),
    ]
    assert paragraphs_to_numbering_findings(good, "d") == []
    bad = [para("第一，甲。"), para("第二，乙。"), para("第四，丁。"), para("二是乙")]
    assert [(f.code, f.expected, f.actual) for f in paragraphs_to_numbering_findings(bad, "d")] == [
        ("V302", "3", "4"),
        ("V302", "1", "2"),
    ]


def test_validate_numbered_paragraphs_through_headings_are_one_list() -> None:
    """Tasks numbered through a plan across its （一）（二） heads: 2. under the second head continues 1. under the
    first; a gap across heads is still one."""

    def para(text: str, heading: str) -> Paragraph:
        return Paragraph(id=text, text=text, heading_id=heading, source=Source(line=1))

    through = [para("1.甲。", "h1"), para("2.乙。", "h2"), para("3.丙。", "h2"), para("4.丁。", "h3")]
    assert paragraphs_to_numbering_findings(through, "d") == []
    gap = [para("1.甲。", "h1"), para("3.丙。", "h2")]
    assert [(f.code, f.expected, f.actual) for f in paragraphs_to_numbering_findings(gap, "d")] == [("V302", "1", "3")]


def test_validate_issue_toc() -> None:
    issue = _issue(pages=PageRange(first=3, last=9))
    issue.toc = [TocEntry(title="关于印发某区应急管理“十四五”规划的通知", page=3, document_id="doc-1")]
    assert _codes(issue) == []
    issue.toc = [TocEntry(title="关于印发某区另一规划的通知", page=4, document_id="doc-1")]
    assert sorted(_codes(issue)) == ["V304", "V305"]


def test_validate_attachment_toc() -> None:
    outline = [
        Heading(id="h1", level=1, label="第一章", title="总则", page=5),
        Heading(id="h2", level=1, label="附件", title="清单", page=9),
    ]
    toc = [
        TocEntry(title="总则", label="第一章", page=5, heading_id="h1"),
        TocEntry(title="附件", page=9, heading_id="h2"),
    ]
    assert _codes(_issue(_att([], outline=outline, toc=toc))) == []
    toc_bad = [
        TocEntry(title="总体要求", label="第一章", page=6, heading_id="h1"),
        TocEntry(title="附件", page=9, heading_id="h2"),
        TocEntry(title="第二章", page=7),
    ]
    assert sorted(_codes(_issue(_att([], outline=outline, toc=toc_bad)))) == ["V306", "V307", "V308"]


def test_validate_attachment_toc_constant_offset_is_one_info() -> None:
    outline = [
        Heading(id=f"h{k}", level=1, label=f"第{c}章", title=f"章{k}", page=5 + 3 * k) for k, c in enumerate("一二三")
    ]
    toc = [
        TocEntry(title=f"章{k}", label=f"第{c}章", page=1 + 3 * k, heading_id=f"h{k}") for k, c in enumerate("一二三")
    ]
    assert _codes(_issue(_att([], outline=outline, toc=toc))) == ["V309"]


# --------------------------------------------------------------------------- V4xx, V5xx


@pytest.mark.parametrize(
    ("date", "printed", "number_year", "codes"),
    [
        (dt.date(2022, 7, 4), dt.date(2022, 7, 4), 2022, []),
        (dt.date(2022, 7, 5), dt.date(2022, 7, 4), 2022, ["V401"]),
        (dt.date(2023, 1, 3), dt.date(2023, 1, 5), 2022, ["V402"]),
        (None, None, 2022, []),
    ],
)
def test_validate_dates(date: dt.date | None, printed: dt.date | None, number_year: int, codes: list[str]) -> None:
    number = DocNumber(raw=f"某府〔{number_year}〕2号", org="某府", year=number_year, serial=2)
    assert _codes(_issue(date=date, printed_date=printed, doc_number=number)) == codes


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("关于印发某区应急管理“十四五”规划的通知", (2021, 2025)),
        ("某市“十三五”规划", (2016, 2020)),
        ("某市国土空间总体规划（2021—2035年）", (2021, 2035)),
        ("关于印发2022年政务公开工作要点的通知", None),
        ("", None),
    ],
)
def test_validate_title_to_period(title: str, period: tuple[int, int] | None) -> None:
    assert title_to_period(title) == period


def test_validate_deadline_outside_plan_period() -> None:
    inside = Deadline(raw="到2025年", date=dt.date(2025, 12, 31), kind=DeadlineKind.BY)
    outside = Deadline(raw="2027年底前", date=dt.date(2027, 12, 31), kind=DeadlineKind.BY)
    assert _codes(_issue(deadlines=[inside])) == []
    assert _codes(_issue(deadlines=[inside, outside])) == ["V403"]


def test_validate_missing_reference() -> None:
    t1 = stat_table(1)
    att = _att(["详见表4。"], [t1], figures=[Figure(id="f1", number=1, caption="图")])
    assert _codes(_issue(att)) == ["V502"]


def test_validate_registry_codes_and_ranges() -> None:
    assert all(code[0] == "V" and code[1] in "123456" and len(code) == 4 for code in RULES)
    assert len({slug for slug, _, _ in RULES.values()}) == len(RULES)


@given(
    st.lists(
        st.text(
            alphabet=st.sampled_from(list("2016年—0处项%均为平均最高值分别表图1、，。发现隐患落实整改")), max_size=80
        ),
        max_size=5,
    )
)
@settings(max_examples=60, deadline=None)
def test_validate_never_raises_on_any_prose(paragraphs: list[str]) -> None:
    att = _att(paragraphs, [stat_table(1), stat_table(2)], figures=[Figure(id="f", number=1, caption="图")])
    for f in issue_to_findings(_issue(att)):
        assert f.code in RULES
