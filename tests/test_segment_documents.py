"""Documents and their GB/T 9704 elements, from small inline gazettes."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.run import parse_file, text_to_issue
from pipeline.structure.documents import Context, draft_to_elements
from pipeline.structure.segment import blocks_to_drafts, document_starts
from pipeline.types import Block, BlockKind, Line
from tests.formats_fixtures import dev_file

LAW = dev_file("pdf", "npc-criminal-law-2020-retypeset.pdf")

SINGLE = """某某县应急管理局关于做好汛期安全工作的通知

各乡镇人民政府，县直各单位：

现将有关事项通知如下，请认真贯彻落实。各乡镇要于2023年6月30日前报送情况。

某某县应急管理局
（某某县人民政府代章）

二〇二三年五月八日

（信息公开形式：主动公开）
"""

ISSUE = """某某市人民政府公报

2023

第 1 期

目 录

【市政府文件】

某某市人民政府关于印发某某方案的通知

某府〔2023〕5 号 1

某某市人民政府文件

某府〔2023〕5号

某某市人民政府关于印发某某方案的通知

各区人民政府，市直各单位：

现将《某某方案》印发给你们，请认真贯彻落实。

某某市人民政府

2023年3月1日

某某方案

一、总体要求

到2025年，全面完成各项任务。

（此件公开发布）

抄送：市委办，市人大办，
市政协办。

某某市人民政府办公室

2023年3月2日印发
"""


def test_segment_single_document_without_cover() -> None:
    issue = text_to_issue(SINGLE)
    assert issue.gazette is None and issue.toc == []
    (doc,) = issue.documents
    assert doc.title == "某某县应急管理局关于做好汛期安全工作的通知"
    assert doc.recipients == ["各乡镇人民政府", "县直各单位"]
    assert doc.signature == "某某县应急管理局（某某县人民政府代章）"
    assert doc.issuer == "某某县应急管理局"
    assert doc.date == dt.date(2023, 5, 8)
    assert doc.disclosure == "主动公开"
    assert [d.date for d in doc.deadlines] == [dt.date(2023, 6, 30)]


def test_segment_issue_with_cover_toc_and_footer() -> None:
    issue = text_to_issue(ISSUE)
    assert (issue.gazette, issue.year, issue.number) == ("某某市人民政府公报", 2023, 1)
    (entry,) = issue.toc
    assert (entry.category, entry.doc_number, entry.page, entry.document_id) == (
        "市政府文件",
        "某府〔2023〕5号",
        1,
        "doc-1",
    )
    (doc,) = issue.documents
    assert doc.header == "某某市人民政府文件"
    assert doc.doc_number is not None and doc.doc_number.serial == 5
    assert doc.date == dt.date(2023, 3, 1)
    assert [a.title for a in doc.attachments] == ["某某方案"]
    assert doc.disclosure == "此件公开发布"
    assert doc.cc == ["市委办", "市人大办", "市政协办"]
    assert (doc.printed_by, doc.printed_date) == ("某某市人民政府办公室", dt.date(2023, 3, 2))
    assert not [e for e in issue.errors if e.code in ("P101", "P102")]


def test_segment_toc_entry_without_document_is_a_problem() -> None:
    text = ISSUE.replace("某府〔2023〕5 号 1", "某府〔2023〕5 号 1\n\n另一个文件的通知\n\n某府〔2023〕9 号 7")
    issue = text_to_issue(text)
    assert [e.code for e in issue.errors if e.code.startswith("P10")] == ["P101"]


def test_segment_not_a_gazette_gives_p103_and_no_invented_fields() -> None:
    issue = text_to_issue("INVOICE No. 123\n\nTotal due: 45.00 EUR\n\nThank you for your business.\n")
    (doc,) = issue.documents
    assert doc.doc_number is None and doc.date is None and doc.recipients == [] and doc.signature is None
    assert "P103" in [e.code for e in issue.errors]


PROVINCIAL = """某某省人民政府公报

2022年第10期

某某省人民政府关于印发某某行动方案的通知

（某府〔2022〕17号）

各地级以上市人民政府，省政府各部门、各直属机构：

现将《某某行动方案》印发给你们，请认真贯彻执行。

某某省人民政府

2022年3月1日

某某省人民政府办公厅关于做好某某工作的通知

某府办〔2022〕5号

各地级以上市人民政府：

请于2022年6月30日前报送工作情况。

某某省人民政府办公厅

2022年3月5日
"""


def test_segment_gazette_layout_title_then_doc_number() -> None:
    issue = text_to_issue(PROVINCIAL)
    assert (issue.gazette, issue.year, issue.number) == ("某某省人民政府公报", 2022, 10)
    assert [(d.title, d.doc_number.raw if d.doc_number else None, d.date) for d in issue.documents] == [
        ("某某省人民政府关于印发某某行动方案的通知", "某府〔2022〕17号", dt.date(2022, 3, 1)),
        ("某某省人民政府办公厅关于做好某某工作的通知", "某府办〔2022〕5号", dt.date(2022, 3, 5)),
    ]
    assert issue.documents[1].recipients == ["各地级以上市人民政府"]
    assert [d.date for d in issue.documents[1].deadlines] == [dt.date(2022, 6, 30)]


TWO_ATTACHMENTS = """某某县人民政府办公室关于印发两个方案的通知

某府办〔2023〕3号

各乡镇人民政府：

现将两个方案印发给你们，请认真贯彻落实。

附件：1.甲工作方案
2.乙工作清单

某某县人民政府办公室

2023年2月1日

附件1

甲工作方案

一、总体要求

做好甲工作。

附件2

乙工作清单

序号\t任务\t责任单位\t完成时限
1\t做好乙工作。\t县财政局\t2023年底前
"""


def test_segment_numbered_attachments() -> None:
    (doc,) = text_to_issue(TWO_ATTACHMENTS).documents
    assert [a.title for a in doc.attachments] == ["甲工作方案", "乙工作清单"]
    (task,) = doc.attachments[1].tasks
    assert task.lead_units == ["县财政局"] and [d.date for d in task.deadlines] == [dt.date(2023, 12, 31)]


def test_segment_text_title_reads_past_an_issuer_line_over_a_year_report() -> None:
    # text input has no fonts: the title is read line by line up to the document-type word, so an issuer's
    # name printed over a report title that starts with its year is one title with it
    issue = text_to_issue(
        "某某县人民政府\n\n2024年政府信息公开工作年度报告\n\n一、总体情况\n\n本年度主动公开信息100条。\n"
    )
    assert issue.documents[0].title == "某某县人民政府2024年政府信息公开工作年度报告"


def test_segment_report_speaker_date_is_no_document_date() -> None:
    """A report's date-and-occasion line under the title dates the speech: it is kept as ``speaker``, and the
    report, which has no 成文日期, gets no date."""
    text = """2025年某某省政府工作报告

——2025年1月13日在某某省第十四届人民代表大会第三次会议上

各位代表：

现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员提出意见。

一、2024年工作回顾

过去一年，全省经济运行稳中有进。
"""
    [doc] = text_to_issue(text).documents
    assert doc.title == "2025年某某省政府工作报告"
    assert (doc.fields["speaker"].text or "").startswith("——2025年1月13日在某某省")
    assert doc.date is None and doc.signature is None


def test_segment_toc_entry_without_doc_number_takes_its_documents() -> None:
    """A 目录 that prints no 文号 (title and page only): the entry, linked by title, names its document's 文号."""
    issue = text_to_issue(
        ISSUE.replace(
            "某某市人民政府关于印发某某方案的通知\n\n某府〔2023〕5 号 1", "某某市人民政府关于印发某某方案的通知\t1", 1
        )
    )
    (entry,) = issue.toc
    assert (entry.title, entry.doc_number, entry.page, entry.document_id) == (
        "某某市人民政府关于印发某某方案的通知",
        "某府〔2023〕5号",
        1,
        "doc-1",
    )


def test_segment_recipients_wrapped_into_a_short_paragraph() -> None:
    """A 主送 line whose last characters and colon were carried to a line of their own (a colon may not start
    a line) is one recipients line."""
    text = SINGLE.replace("各乡镇人民政府，县直各单位：", "各乡镇人民政府，县直各单\n\n位：")
    (doc,) = text_to_issue(text).documents
    assert doc.recipients == ["各乡镇人民政府", "县直各单位"]
    assert doc.body[0].text.startswith("现将有关事项通知如下")


@pytest.mark.skipif(not LAW.is_file(), reason="the dev law is read from ../shared/corpus/dev/pdf/ (absent)")
def test_segment_dev_law_with_its_own_contents_is_one_document() -> None:
    """The retypeset criminal law: a site's name line, the law's title, its own 目录 — one document titled
    with the law's name (before: the 目录 was taken for an issue's contents and no document was read)."""
    result = parse_file(LAW)
    assert result.issue is not None
    issue = result.issue
    assert (issue.gazette, issue.toc) == (None, [])
    [doc] = issue.documents
    assert doc.title == "中华人民共和国刑法"
    labels = [h.label for h in doc.outline]
    assert "第一编" in labels and "第二编" in labels


def _paragraphs(text: str) -> list[Block]:
    return [Block(kind=BlockKind.PARAGRAPH, text=t.strip()) for t in text.split("\n\n") if t.strip()]


IMPRINT = """某某县应急管理局文件

某应急〔2023〕3号

某某县应急管理局关于做好汛期安全工作的通知

各乡镇人民政府：

现将有关事项通知如下。

某某县应急管理局

2023年5月8日

抄送：县委办，县人大办。

某某县应急管理局办公室

2023年5月9日印发
"""


def test_segment_imprint_parsed_once_and_read_by_documents() -> None:
    [draft] = blocks_to_drafts(_paragraphs(IMPRINT))
    # the 印发 line split over two paragraphs (org, then the bare date line): both kept, parsed here
    assert [b.text for b in draft.printed] == ["某某县应急管理局办公室", "2023年5月9日印发"]
    assert (draft.printed_by, draft.printed_date) == ("某某县应急管理局办公室", dt.date(2023, 5, 9))
    # documents takes the values segment handed over (it does not parse the lines again)
    draft.printed_date = dt.date(2023, 5, 10)
    el = draft_to_elements(draft, "doc-1", Context(printed={}, pdf=False))
    assert (el.printed_by, el.printed_date) == ("某某县应急管理局办公室", dt.date(2023, 5, 10))
    assert el.cc == ["县委办", "县人大办"]


def _printed(text: str, x0: float, top: float, size: float = 14.0, font: str = "Hei") -> Block:
    """A paragraph of one printed line of full-width characters at (x0, top)."""
    line = Line(text, 2, (x0, top, x0 + size * len(text), top + size), font=font, size=size)
    return Block(BlockKind.PARAGRAPH, text, [line])


def test_segment_centred_title_lines_above_the_doc_number_start_the_document() -> None:
    """A title of three centred lines in a column (the reflow keeps each a paragraph), its 发文字号 under it:
    the document starts at the first line, though neither 关于 nor a large font links it to the second."""
    lines = ["某某市某某区人民政", "府办公室关于印发某某区2", "022年工作要点的通知"]
    title = [_printed(t, 142.0 - 7.0 * len(t), 65.0 + 22.0 * k) for k, t in enumerate(lines)]
    number = _printed("（某府办函〔2022〕68号）", 84.0, 135.0, size=10.5, font="Song")
    body = [
        _printed("各镇人民政府：", 45.0, 160.0, 10.5, "Song"),
        _printed("现将方案印发给你们。", 45.0, 175.0, 10.5, "Song"),
    ]
    before = [_printed("二〇二二年九月十日", 150.0, 40.0, 10.5, "Song")]
    blocks = [*before, *title, number, *body]
    assert document_starts(blocks) == [1]
    # a line in the body font right above the title, or one in the title font off its axis, is no line of it
    for above in (_printed("某某市某某区人民政", 79.0, 43.0, 10.5, "Song"), _printed("某某市某某区人民政", 45.0, 43.0)):
        assert document_starts([before[0], above, *title, number, *body]) == [2]
