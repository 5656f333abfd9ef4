"""One classifier decides a table's kind; a table of no known kind is generic (and still exported)."""

from __future__ import annotations

from pipeline.tables.classify import classify_table, is_annual_report_table
from schemas.model import Issue, Table, TableKind


def test_classify_tables_corpus_kinds(corpus_pdf: Issue) -> None:
    kinds = [t.kind for d in corpus_pdf.documents for a in d.attachments for t in a.tables]
    assert kinds == [TableKind.STATISTICS] * 3 + [TableKind.INDICATORS, TableKind.LIST, TableKind.TASKS]


def test_classify_tables_generic_table() -> None:
    table = Table(id="t", header=[["姓名", "职务"]], rows=[["张三", "主任"], ["李四", "副主任"]])
    assert classify_table(table) == TableKind.GENERIC


def test_classify_tables_template_needs_two_fixed_headers() -> None:
    one = Table(id="t", header=[["信息内容", "本年处理决定数量"]], rows=[["行政许可", "9487"]])
    two = Table(id="t", header=[["信息内容", "本年制发件数", "本年废止件数"]], rows=[["规章", "0", "0"]])
    assert not is_annual_report_table(one)
    assert classify_table(two) == TableKind.ANNUAL_REPORT
