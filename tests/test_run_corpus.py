"""Issue 2's acceptance facts on both corpus files (PDF and TXT)."""

from __future__ import annotations

import datetime as dt
import re

from schemas.model import Issue, RunResult, RunStatus


def test_run_corpus_status(corpus_pdf_result: RunResult, corpus_txt_result: RunResult) -> None:
    for r in (corpus_pdf_result, corpus_txt_result):
        assert r.status is RunStatus.SUCCESS, r.errors
        assert r.issue is not None and r.issue.errors == []


def test_run_corpus_issue_level(corpus_issue: Issue) -> None:
    assert (corpus_issue.gazette, corpus_issue.year, corpus_issue.number) == ("茂名市茂南区人民政府公报", 2022, 3)
    assert [(e.category, e.doc_number, e.document_id) for e in corpus_issue.toc] == [
        ("区政府文件", "茂南府〔2022〕2号", "doc-1"),
        ("区政府文件", "茂南府办函〔2022〕68号", "doc-2"),
    ]
    assert corpus_issue.toc[0].title == "茂名市茂南区人民政府关于印发茂名市茂南区应急管理“十四五”规划的通知"


def test_run_corpus_toc_pages(corpus_pdf: Issue, corpus_txt: Issue) -> None:
    # each file's own 目录: the PDF's pages are right for its typeset, the text keeps the original's
    assert [e.page for e in corpus_pdf.toc] == [1, 49]
    assert [e.page for e in corpus_txt.toc] == [1, 50]
    assert [(d.pages.first, d.pages.last) for d in corpus_pdf.documents if d.pages] == [(1, 48), (49, 60)]


def test_run_corpus_document_1(corpus_issue: Issue) -> None:
    d = corpus_issue.documents[0]
    assert d.id == "doc-1"
    assert d.header == "茂名市茂南区人民政府文件"
    assert d.doc_number is not None
    assert (d.doc_number.raw, d.doc_number.org, d.doc_number.year, d.doc_number.serial) == (
        "茂南府〔2022〕2号",
        "茂南府",
        2022,
        2,
    )
    assert d.title == "茂名市茂南区人民政府关于印发茂名市茂南区应急管理“十四五”规划的通知"
    assert len(d.recipients) == 3
    assert d.signature == d.issuer == "茂名市茂南区人民政府"
    assert d.date == dt.date(2022, 7, 4)
    assert d.disclosure == "主动公开"
    assert len(d.cc) == 9 and d.cc[-1] == "区新闻中心"
    assert (d.printed_by, d.printed_date) == ("茂名市茂南区人民政府办公室", dt.date(2022, 7, 4))
    assert [a.title for a in d.attachments] == ["茂名市茂南区应急管理“十四五”规划"]


def test_run_corpus_document_2(corpus_issue: Issue) -> None:
    d = corpus_issue.documents[1]
    assert d.doc_number is not None and d.doc_number.raw == "茂南府办函〔2022〕68号"
    assert d.date == dt.date(2022, 9, 17)
    assert d.recipients == ["各镇人民政府", "各街道办事处", "区直和省、市驻区有关单位"]
    assert [a.title for a in d.attachments] == ["茂南区2022年政务公开工作要点分工方案"]
    cited = {c.doc_number for c in d.citations}
    assert {"粤府办〔2022〕17号", "茂府办函〔2022〕100号"} <= cited
    assert [x.date for x in d.deadlines] == [dt.date(2022, 10, 1), dt.date(2023, 1, 1)]


_FURNITURE = re.compile(r"人民政府公报\s*2022\s*年第\s*3\s*期|—\s*\d+\s*—")


def _texts(issue: Issue) -> list[str]:
    out = []
    for d in issue.documents:
        out += [d.title, *(p.text for p in d.body)]
        for a in d.attachments:
            out += [p.text for p in a.body]
            out += [c or "" for t in a.tables for r in t.rows for c in r]
            out += [t.text for t in a.tasks]
    return out


def test_run_corpus_no_furniture_in_text(corpus_issue: Issue) -> None:
    leaked = [t for t in _texts(corpus_issue) if _FURNITURE.search(t)]
    assert leaked == []


def test_run_corpus_provenance(corpus_pdf: Issue, corpus_txt: Issue) -> None:
    d = corpus_pdf.documents[0]
    assert d.source.pdf_page == 3 and d.source.page == 1 and d.source.bbox is not None
    assert d.fields["date"].page == 1 and d.fields["cc"].pdf_page == 50
    t = corpus_txt.documents[0]
    assert t.source.line is not None and t.source.pdf_page is None
    for p in corpus_pdf.documents[0].attachments[0].body:
        assert p.source.pdf_page is not None and p.source.bbox is not None


def test_run_corpus_roundtrip(corpus_issue: Issue) -> None:
    assert Issue.model_validate_json(corpus_issue.model_dump_json()) == corpus_issue
