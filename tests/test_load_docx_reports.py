"""The dev Word files (provincial 政府工作报告): title, speaker line, 一、/（一） headings and the 名词解释
appendix, parsed from the .docx directly (issue 16)."""

from __future__ import annotations

import re

import pytest

from pipeline.run import parse_file
from schemas.model import Document, Heading, RunStatus, SourceKind
from tests.formats_fixtures import SHARED_DEV, dev_file

CN_ENUM = re.compile(r"^[一二三四五六七八九十]{1,3}、$")


def _flat(hs: list[Heading]) -> list[Heading]:
    return [x for h in hs for x in (h, *_flat(h.children))]


def _report(name: str) -> Document:
    result = parse_file(dev_file("docx", f"gov-work-report-2025-{name}.docx"))
    assert result.status is RunStatus.SUCCESS, result.errors
    assert result.issue is not None and result.issue.source.kind is SourceKind.DOCX
    [doc] = result.issue.documents
    return doc


def test_load_docx_reports_jiangxi() -> None:
    doc = _report("jiangxi")
    assert doc.title == "2025年江西省政府工作报告"
    assert doc.fields["speaker"].text is not None and doc.fields["speaker"].text.startswith("2025年1月17日在江西省")
    assert doc.date is None  # the speaker line dates the speech; a report has no 成文日期
    assert [(h.label, h.title) for h in doc.outline] == [("一、", "2024年工作回顾"), ("二、", "2025年工作安排")]
    [appendix] = doc.attachments
    assert appendix.title == "《政府工作报告》有关内容名词注释"
    assert appendix.body[0].text.startswith("1.“两重”、“两新”")
    assert doc.fields["speaker"].line is not None  # provenance: the paragraph index


def test_load_docx_reports_yunnan_glossary_and_appendix() -> None:
    doc = _report("yunnan")
    assert [a.title for a in doc.attachments] == ["名词解释", "2025年10件惠民实事"]
    assert len(doc.attachments[0].body) >= 10
    assert [h.label for h in doc.attachments[1].outline][:3] == ["一、", "二、", "三、"]
    labels = [h.label for h in _flat(doc.outline)]
    assert labels.count("（一）") >= 1 and [x for x in labels if CN_ENUM.match(x)] == ["一、", "二、", "三、"]


def test_load_docx_reports_shanghai_speaker_after_dashes() -> None:
    doc = _report("shanghai")
    speaker = doc.fields["speaker"].text or ""
    assert speaker.startswith("----2025年1月15日龚正市长在上海市")
    assert doc.date is None
    top = [h.label for h in doc.outline]
    assert top == ["一、", "二、", "三、"]
    assert [h.label for h in doc.outline[0].children][:2] == ["（一）", "（二）"]


ALL = sorted((SHARED_DEV / "docx").glob("gov-work-report-2025-*.docx"))


@pytest.mark.slow
@pytest.mark.skipif(len(ALL) < 29, reason="the 29 reports are read from ../shared/corpus/dev/docx/ (absent)")
def test_load_docx_reports_all_29() -> None:
    """Measured over every dev report: title, speaker line, date, the stand-alone 一、 headings."""
    missing: list[str] = []
    for path in ALL:
        doc = _report(path.stem.rsplit("-", 1)[-1])
        if not re.fullmatch(r"2025年.{2,12}政府工作报告", doc.title):
            missing.append(f"{path.name}: title {doc.title!r}")
        if "speaker" not in doc.fields or "2025年" not in (doc.fields["speaker"].text or "") or doc.date is not None:
            missing.append(f"{path.name}: speaker/date")
        headings = [h for h in _flat(doc.outline) + [x for a in doc.attachments for x in _flat(a.outline)]]
        if path.stem.endswith("xizang"):  # its two parts are unnumbered: 2024年工作回顾 / 2025年工作安排
            continue
        if not any(CN_ENUM.match(h.label) for h in headings):
            missing.append(f"{path.name}: no 一、 heading")
    assert missing == []
