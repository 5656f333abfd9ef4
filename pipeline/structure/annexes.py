"""Attachment drafts → their own annexes (the 附件 of a 附件), nested.

Reads the ``AttachmentDraft`` list of a document draft after its tail is read (each attachment with the
blocks printed after its title). Writes ``AttachmentDraft.annexes``: an annex found inside an attachment is
cut from that attachment's blocks (the label, its title and everything after it) and nested under it; an
annex may have annexes of its own (read the same way).

Where an annex starts (decided from the pattern, never from a document's words): a paragraph that is an
附件 label standing alone (``附件`` / ``附件1``, its title on the next short paragraph, or ``附件1 标题``) inside
an attachment whose text names it —

1. the attachment lists it (``附件：1. 甲台账`` in its own text), or
2. the annex title begins with the attachment's title (``甲方案重点任务台账`` in ``甲方案``) — such a title at
   the top of a page is an annex even when its label is missing (a label taken for a running header), or
3. the label follows the attachment's own 成文日期 (the attachment is a document with its own annexes).

An attachment whose own contents list (目录) names its 附件 prints that annex as a part of itself: the label
stays in its outline (a plan's ``附件 “十四五”时期专项整治工作`` listed in the plan's 目录).
Guaranteed after: every block of an attachment stays in exactly one attachment or annex, in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.grammar.labels import ITEM_START, LISTED_ITEM
from pipeline.grammar.text import one_line
from pipeline.grammar.toc import TOC_LINE
from pipeline.structure.elements import is_date_line, parse_attachment_label
from pipeline.types import Block, BlockKind

MAX_ANNEX_TITLE = 80  # characters of an annex title printed on the paragraph after a bare 附件 label


@dataclass(frozen=True, slots=True)
class AnnexStart:
    """Where an annex starts in an attachment's blocks: its label block, title and number of title blocks."""

    index: int
    number: int | None
    title: str
    title_blocks: int
    labelled: bool = True  # False: the annex's title block at ``index`` is printed without an 附件 label


def _key(text: str) -> str:
    return re.sub(r"[\s《》“”\"'‘’：:，,。、]", "", one_line(text))


def _para(b: Block) -> str | None:
    return one_line(b.text) if b.kind is BlockKind.PARAGRAPH else None


def _label_at(blocks: list[Block], k: int) -> AnnexStart | None:
    """The 附件 label standing alone at ``k`` (with its title), else None."""
    t = _para(blocks[k])
    if not t or TOC_LINE.search(blocks[k].text):
        return None
    lab = parse_attachment_label(t)
    if lab is None:
        return None
    number, rest = lab
    if rest:
        return AnnexStart(k, number, rest, 0) if len(rest) <= MAX_ANNEX_TITLE else None
    nt = _para(blocks[k + 1]) if k + 1 < len(blocks) else None
    if not nt or len(nt) > MAX_ANNEX_TITLE or nt.endswith(("。", "；", "：", ":")):
        return None
    return AnnexStart(k, number, nt, 1)


def _listed(blocks: list[Block]) -> set[str]:
    """Keys of the titles an attachment lists in its own text (``附件：1. 甲 2. 乙``)."""
    out: set[str] = set()
    listing = False  # inside a list: its next items may stand on paragraphs of their own (2．乙)
    for b in blocks:
        t = _para(b)
        lab = parse_attachment_label(t) if t else None
        if lab and lab[1] and not TOC_LINE.search(b.text):
            out.update(_key(p) for p in LISTED_ITEM.split(lab[1]) if p.strip())
            listing = True
        elif listing and t and ITEM_START.match(t) and len(t) <= MAX_ANNEX_TITLE and not t.endswith("。"):
            out.update(_key(p) for p in LISTED_ITEM.split(t) if p.strip())
        else:
            listing = False
    return out


def _toc_names_annex(blocks: list[Block]) -> bool:
    """Whether the attachment's contents list has an 附件 entry (``附件..... 46``)."""
    return any(
        TOC_LINE.search(b.text) and parse_attachment_label(one_line(b.text).split(".", 1)[0]) is not None
        for b in blocks
        if b.kind is BlockKind.PARAGRAPH
    )


def _named(title: str, before: list[Block], start: AnnexStart) -> bool:
    """Rules 1–2: the attachment titled ``title`` (its blocks ``before`` the label) lists the annex, or the
    annex title begins with the attachment's title."""
    key, own = _key(start.title), _key(title)
    return key in _listed(before) or (bool(own) and key.startswith(own) and len(key) > len(own))


def _names_annex(title: str, before: list[Block], start: AnnexStart) -> bool:
    """Rules 1–3 of the module docstring: the attachment titled ``title`` names the annex at ``start``."""
    if _named(title, before, start):
        return True
    last = next((t for b in reversed(before) if (t := _para(b))), None)
    return last is not None and is_date_line(last)


def _unlabelled_at(title: str, blocks: list[Block], k: int) -> AnnexStart | None:
    """An annex whose 附件 label is not there (lost with a page's top line): a short title at the top of a
    page that begins with the attachment's title and says more (``甲方案重点任务台账`` in ``甲方案``)."""
    t = _para(blocks[k])
    own = _key(title)
    if not t or not own or len(t) > MAX_ANNEX_TITLE or t.endswith(("。", "；", "：", ":", "，")):
        return None
    if blocks[k].page_index <= blocks[k - 1].page_index or TOC_LINE.search(blocks[k].text):
        return None
    key = _key(t)
    return AnnexStart(k, None, t, 0, labelled=False) if key.startswith(own) and len(key) > len(own) else None


def find_annex(title: str, blocks: list[Block]) -> AnnexStart | None:
    """The first annex of the attachment titled ``title`` printed in ``blocks`` (rules in the module docstring)."""
    if _toc_names_annex(blocks):
        return None
    for k in range(1, len(blocks)):
        start = _label_at(blocks, k)
        if start is not None and _names_annex(title, blocks[:k], start):
            return start
        if start is None and (start := _unlabelled_at(title, blocks, k)) is not None:
            return start
    return None


def names_own_annex(title: str, own: list[Block], blocks: list[Block], k: int) -> bool:
    """Whether the 附件 label at ``blocks[k]`` opens an annex of the attachment titled ``title`` whose blocks so
    far are ``own`` (rules 1–2: it lists the annex, or the annex title begins with its title) rather than
    the document's next attachment."""
    start = _label_at(blocks, k)
    return start is not None and _named(title, own, start)


def next_sibling(blocks: list[Block], number: int | None) -> AnnexStart | None:
    """The next annex of the same attachment in ``blocks`` (the blocks after the annex numbered ``number``):
    a stand-alone label numbered ``number + 1``."""
    if number is None:
        return None
    for k in range(len(blocks)):
        start = _label_at(blocks, k)
        if start is not None and start.number == number + 1:
            return start
    return None
