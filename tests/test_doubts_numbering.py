"""The tool's doubts are not the gazette's errors: an outline numbering gap that a page break, or a trace of
the missing label in the text, makes uncertain is a P150 problem of the run, not a V303 finding."""

from __future__ import annotations

from pipeline.check.doubts import missing_label, split_doubtful_numbering
from pipeline.check.validate import outline_to_findings
from schemas.model import Attachment, Document, Heading, Issue, IssueSource, Paragraph, Source, SourceKind


def _issue_with(att: Attachment) -> Issue:
    """A 3-page issue of one notice forwarding ``att``, with the numbering findings of its outline."""
    doc = Document(id="doc-1", title="关于印发实施方案的通知", attachments=[att], source=Source(page=1))
    issue = Issue(
        id="x", source=IssueSource(path="x.pdf", sha256="0" * 64, kind=SourceKind.PDF, pages=3), documents=[doc]
    )
    issue.findings = outline_to_findings(att.outline, doc.id)
    return issue


def _issue(pages: tuple[int, int], paragraph: str) -> Issue:
    first = Heading(id="doc-1/att-1/h-1", level=1, label="一、", title="总体要求", kind="cn-enum", number=1)
    third = Heading(id="doc-1/att-1/h-2", level=1, label="三、", title="保障措施", kind="cn-enum", number=3)
    first.page, third.page = pages
    first.source, third.source = Source(page=pages[0]), Source(page=pages[1])
    body = [Paragraph(id="doc-1/att-1/p-1", text=paragraph, source=Source(page=pages[0]))]
    att = Attachment(id="doc-1/att-1", title="实施方案", outline=[first, third], body=body)
    return _issue_with(att)


def test_doubts_gap_on_one_page_stays_an_error() -> None:
    findings, problems = split_doubtful_numbering(_issue((3, 3), "各单位要认真落实。"))
    assert [(f.code, f.expected, f.actual) for f in findings] == [("V303", "2", "3")]
    assert problems == []


def test_doubts_gap_across_a_page_break_is_p150() -> None:
    findings, problems = split_doubtful_numbering(_issue((3, 4), "各单位要认真落实。"))
    assert findings == []
    assert [(p.code, p.page) for p in problems] == [("P150", 4)]


def test_doubts_missing_label_printed_in_a_paragraph_is_p150() -> None:
    findings, problems = split_doubtful_numbering(_issue((3, 3), "二、主要任务。各单位要认真落实。"))
    assert findings == []
    assert [(p.code, p.page) for p in problems] == [("P150", 3)]


def test_doubts_missing_label_keeps_numerals_and_brackets() -> None:
    assert missing_label("第三章", 2) == "第二章"
    assert missing_label("（五）", 4) == "（四）"
    assert missing_label("12.", 11) == "11."
    assert missing_label("十二、", 11) == "十一、"


def _issue_from_two(paragraph: str) -> Issue:
    """An attachment whose numbering starts at 二、 (the 一、 heading not read)."""
    second = Heading(id="doc-1/att-1/h-1", level=1, label="二、", title="主要任务", kind="cn-enum", number=2)
    second.page, second.source = 2, Source(page=2)
    body = [Paragraph(id="doc-1/att-1/p-1", text=paragraph, source=Source(page=2))]
    att = Attachment(id="doc-1/att-1", title="实施方案", outline=[second], body=body)
    return _issue_with(att)


def test_doubts_first_label_run_into_a_line_is_p150() -> None:
    findings, problems = split_doubtful_numbering(_issue_from_two("工作要求具体任务一、总体要求1.加快推进"))
    assert findings == []
    assert [(p.code, p.page) for p in problems] == [("P150", 2)]


def test_doubts_first_label_nowhere_stays_an_error() -> None:
    findings, problems = split_doubtful_numbering(_issue_from_two("各单位要认真落实。"))
    assert [(f.code, f.expected, f.actual) for f in findings] == [("V303", "1", "2")]
    assert problems == []
