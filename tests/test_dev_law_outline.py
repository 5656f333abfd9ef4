"""The dev law (``npc-criminal-law-2020-retypeset.pdf``, 71 pp, a reader's re-typeset 中华人民共和国刑法): its
编/章/节/条 outline is complete and exact, with nothing of the site's lines or of the law's own two-column 目录.

The counts are the law's own, read off the PDF's text layer (``pdftotext -f 3``: lines opening with 第X编, 第X章,
第X节, and lines that are a 条 label alone, ``第一条`` … ``第四百五十二条`` and the ``第X条之Y`` articles the
amendments inserted): 2 编; 15 章 (总则 5, 分则 10 — the 章 numbering restarts in each 编); 37 节; 505 条
(第一条 … 第四百五十二条, every number once and in order, and 53 之一/之二/… articles). The law's two annexes
(附件一, 附件二: lists of 15 and 8 decisions) are its attachments, titled by their labels; its 附则, printed
alone after the last 编, is a top-level entry holding the last 条.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from pipeline.run import parse_file
from schemas.model import Document, Heading
from tests.formats_fixtures import dev_file

LAW = dev_file("pdf", "npc-criminal-law-2020-retypeset.pdf")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not LAW.is_file(), reason="the dev law is read from ../shared/corpus/dev/pdf/ (absent)"),
]


def _flat(hs: list[Heading]) -> list[Heading]:
    return [x for h in hs for x in (h, *_flat(h.children))]


@pytest.fixture(scope="module")
def law() -> Document:
    result = parse_file(LAW)
    assert result.issue is not None
    [doc] = result.issue.documents
    return doc


def test_dev_law_outline_counts_are_the_laws(law: Document) -> None:
    counts = Counter(h.kind for h in _flat(law.outline))
    assert counts == {"part": 2, "chapter": 15, "section": 37, "article": 505, None: 1}  # None: 附则


def test_dev_law_outline_articles_numbered_through_in_order(law: Document) -> None:
    articles = [h for h in _flat(law.outline) if h.kind == "article"]
    plain = [h.number for h in articles if "之" not in h.label]
    assert plain == list(range(1, 453))
    inserted = [h for h in articles if "之" in h.label]
    assert len(inserted) == 53
    # an inserted article follows the article it is numbered after (第十七条 → 第十七条之一 → 第十八条)
    k = next(i for i, h in enumerate(articles) if h.label == "第十七条之一")
    assert [h.label for h in articles[k - 1 : k + 2]] == ["第十七条", "第十七条之一", "第十八条"]
    assert {h.title for h in articles} == {""}  # this law prints no 【罪名】 after its labels


def test_dev_law_outline_levels_parents_and_pages(law: Document) -> None:
    parts = law.outline
    assert [(h.label, h.title, h.level, h.page) for h in parts] == [
        ("第一编", "总则", 1, 3),
        ("第二编", "分则", 1, 15),
        ("", "附则", 1, 70),  # printed alone after the last 编: the law's last 条 is its own
    ]
    assert [(h.label, h.level) for h in parts[2].children] == [("第四百五十二条", 2)]
    assert [h.label for h in parts[0].children] == ["第一章", "第二章", "第三章", "第四章", "第五章"]
    assert [h.label for h in parts[1].children][-1] == "第十章"
    assert len(parts[1].children) == 10
    first = parts[0].children[0]
    assert (first.title, first.page) == ("刑法的任务、基本原则和适用范围", 3)
    # a 章 without 节: its 条 at level 3; a 章 with 节: the 条 under the 节, at level 4
    assert [(h.label, h.level, h.page) for h in first.children[:2]] == [("第一条", 3, 3), ("第二条", 3, 3)]
    crime = parts[0].children[1]
    assert [h.kind for h in crime.children] == ["section"] * 4
    assert [(h.label, h.level, h.page) for h in crime.children[0].children[:1]] == [("第十三条", 4, 4)]
    flat = _flat(law.outline)
    assert (flat[-1].label, flat[-1].page) == ("第四百五十二条", 70)
    assert all(h.page is not None for h in flat)


def test_dev_law_outline_has_no_contents_or_site_lines(law: Document) -> None:
    """The law's own 目录 (two columns, one entry's title so long it leaves one leader dot: ``…秩序罪.20``) and
    the site's lines above the title give no outline entry."""
    flat = _flat(law.outline)
    site = re.compile(r"[A-Za-z0-9-]+\.[a-z]{2,}")  # a web site's name printed above the title
    assert not [h for h in flat if "." in h.title or site.search(h.title) or (h.page is not None and h.page < 3)]


def test_dev_law_annexes_titled_by_their_labels(law: Document) -> None:
    assert [a.title for a in law.attachments] == ["附件一", "附件二"]
    assert [len(a.outline) for a in law.attachments] == [15, 8]
    assert law.attachments[1].outline[-1].title == "关于惩治虚开、伪造和非法出售增值税专用发票犯罪的决定"
    assert not [h for h in _flat(law.outline) if h.kind == "appendix"]
