"""Blocks of an attachment (plan 规划, scheme 方案 …) → its heading tree; TOC entries → the headings they name.

Reads ``list[Block]`` in reading order (paragraphs with their printed lines; tables and figures are
skipped). Writes an ``OutlineResult``: the ``schemas.model.Heading`` tree, the innermost heading of every
block, which blocks are headings, and the numbering irregularities found on the way.

What counts as a heading (decided here, documented in the README):

1. The block starts with a label of ``pipeline.structure.toc.split_label``: 第X部分/篇, 第X章, 第X节, 一、, （一）,
   1. / 1． / 1、, （1）, ①, 附件; the lead-ins 一是 / 第一， only as a standalone short line (≤ 20 characters).
2. It stands alone: no sentence punctuation (。；！？) anywhere, does not end with ： or ，, and is short:
   ≤ 40 characters, or ≤ 60 when its font differs from the body font (黑体/楷体/bold/larger).
   With fonts, a block in the body font must also be at most two printed lines (a wrapped title).
   A numbered lead sentence followed by body text in the same paragraph (run-in form,
   ``(1) 强化安全监管责任落实。坚持…``) is therefore body text, not a heading — except a run-in head:
   ``一、`` / ``（一）`` with its head sentence (≤ 40 characters, ending in 。 or ：) printed in another font
   than the text run into it, or ``（一）标题。正文`` even in the body font (the conventional run-in level of
   a report); the paragraph stays body text under that heading. ``一、`` / ``（一）`` with one short sentence
   standing alone (``（一）标题。``, title ≤ 40 characters) is a heading, its title without the 。. ``附件：甲方案`` (a label and a colon) is a
   document's list of its attachments, never a heading.
3. Its number continues the sibling sequence under its parent (1. 2. 3. restart under each new parent).
   A forward jump of up to ``MAX_JUMP`` and a restart at 1 are accepted and recorded in
   ``OutlineResult.sequence``; anything else (going back, a larger jump) is accepted only in a heading font.
4. Levels are relative: a kind nests under every shallower kind still open, so a plan without 第X章
   starts at 一、 (level 1); a top-level heading of a kind ranked below another top-level kind of the same
   text (a 第一节 before any 第X章 was read) takes the level the hierarchy gives it (2), its subtree following. ``附件`` is always level 1; its title is the next short line when the label
   stands alone (that block is a heading block too).
5. A contents list (a ``目录`` block and the entries after it, or any line with dot leaders and a page)
   is never a heading.
6. A labelled paragraph cut in two blocks where a line was full (a page break, a wrapped heading's second
   line set apart) is read as one: the first block ends at the right edge of its page's text without a
   sentence end, the next starts at the left edge in the same font and size without a label of its own.
   ``3. …形成多`` + ``方协同的工作合力。…`` is then one body paragraph, ``一、…信息`` + ``公开`` one heading.
7. A 条 of a law or regulation (``第一条 …``, ``第十七条之一 …``: the label, then a space, a bracketed name or
   nothing; ``grammar.labels.ARTICLE_HEAD``) is an outline entry under the innermost open 节, 章 or 编, its
   paragraph staying body text under it. Its title is the bracketed name when printed (``【背叛国家罪】`` →
   ``背叛国家罪``), else empty: a 条 is known by its label. 条 are numbered through the whole text, not per
   章: the first is 第一条, each next one continues the last (a jump of up to ``MAX_JUMP``; ``之一`` repeats
   the number), so a reference that opens a line (``第二百六十六条 的规定``) is never one. ``附则`` printed alone
   after a 条 (no 第X编/章 label) is a top-level entry without a label, titled 附则: the 条 after it are its own.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from pipeline.grammar.labels import (
    ARTICLE_HEAD,
    ATTACHMENT_LIST,
    RANK,
    SUPPLEMENTARY,
    Label,
    LabelKind,
    label_key,
    split_label,
)
from pipeline.grammar.text import TERMINAL, one_line
from pipeline.grammar.toc import is_toc_heading
from pipeline.structure.toc import (
    PrintedOf,
    blocks_to_toc,
    lines_to_source,
    parse_toc_line,
    printed_page,
)
from pipeline.types import Block, BlockKind, Line
from schemas.model import Heading, TocEntry

MAX_HEADING = 40  # characters of a heading in the body font (or in text input)
MAX_HEADING_FONT = 60  # characters of a heading set in a heading font
MAX_LEADIN = 20  # characters of a standalone 一是 lead-in heading
MAX_TOC_BLOCKS = 2000  # blocks a contents list may span
MAX_JUMP = 5  # largest forward jump in a numbering sequence accepted without a heading font
_SENTENCE = re.compile(r"[。；;！？!?]")
_TITLE_KINDS = {LabelKind.APPENDIX, LabelKind.PART, LabelKind.CHAPTER, LabelKind.SECTION}


@dataclass(frozen=True, slots=True)
class SequenceIssue:
    """A heading whose number does not continue its siblings' sequence (the printed label is kept)."""

    heading_id: str
    label: str
    expected: int
    actual: int


@dataclass(slots=True)
class OutlineResult:
    """The outline of a list of blocks.

    ``headings``: the tree (top-level headings, each with its children).
    ``heading_of[i]``: id of the innermost heading block ``i`` sits under (a heading block: its own id).
    ``is_heading[i]``: whether block ``i`` is (part of) a heading.
    ``sequence``: numbering jumps, restarts and repeats, for a validator to report.
    """

    headings: list[Heading] = field(default_factory=list)
    heading_of: list[str | None] = field(default_factory=list)
    is_heading: list[bool] = field(default_factory=list)
    sequence: list[SequenceIssue] = field(default_factory=list)


@dataclass(slots=True)
class _Node:
    heading: Heading
    kind: LabelKind
    number: int | None


@dataclass(frozen=True, slots=True)
class _BodyFont:
    family: str | None
    size: float | None


def _family(font: str | None) -> str | None:
    """Font family without the subset prefix: ``CAAAAA+FandolHei-Regular`` → ``FandolHei-Regular``."""
    if not font:
        return None
    return font.split("+", 1)[-1]


def _body_font(blocks: list[Block]) -> _BodyFont | None:
    """The font (family, size) of most printed characters in paragraph blocks; None without font facts."""
    weights: Counter[tuple[str | None, float | None]] = Counter()
    for block in blocks:
        if block.kind is not BlockKind.PARAGRAPH:
            continue
        for ln in block.lines:
            if ln.font is not None:
                weights[(_family(ln.font), ln.size)] += len(ln.text)
    if not weights:
        return None
    (family, size), _ = weights.most_common(1)[0]
    return _BodyFont(family, size)


def _heading_font(lines: list[Line], body: _BodyFont) -> bool:
    """Whether the block's first line is set apart from the body text (another family, bold, larger)."""
    first = next((ln for ln in lines if ln.font is not None), None)
    if first is None:
        return False
    if first.bold:
        return True
    if _family(first.font) != body.family:
        return True
    return first.size is not None and body.size is not None and first.size > body.size + 0.5


def _head_alone(text: str, lab: Label, block: Block, body: _BodyFont | None) -> bool:
    """``（一）标题。`` standing alone: a run-in head with nothing run into it (its title as long as a run-in
    head's, one sentence, at most two printed lines in the body font)."""
    if len(lab.rest) - 1 > MAX_HEADING or _SENTENCE.search(text[:-1]):
        return False
    return body is None or _heading_font(block.lines, body) or len(block.lines) <= 2


def _stands_alone(text: str, lab: Label, block: Block, body: _BodyFont | None) -> bool:
    """Rule 1–2 of the module docstring (everything but the sequence)."""
    if lab.kind in _RUN_IN_KINDS and text.endswith("。"):
        return _head_alone(text, lab, block, body)
    if _SENTENCE.search(text) or text.endswith(("：", ":", "，", ",")):
        return False
    if not lab.rest and lab.kind not in _TITLE_KINDS:
        return False
    if lab.kind is LabelKind.APPENDIX and ATTACHMENT_LIST.match(text):
        return False  # 附件：甲方案 — a document's list of its attachments, not an annex's heading
    styled = body is not None and _heading_font(block.lines, body)
    if lab.kind is LabelKind.LEADIN:
        return len(text) <= MAX_LEADIN and (body is None or styled or len(block.lines) <= 1)
    if len(text) > (MAX_HEADING_FONT if styled else MAX_HEADING):
        return False
    if body is not None and block.lines and not styled and len(block.lines) > 2:
        return False
    return parse_toc_line(text) is None


_RUN_IN_KINDS = (LabelKind.CN_ENUM, LabelKind.CN_PAREN)


def _font_head(lines: list[Line]) -> str | None:
    """The run-in head printed in another font than the text run into it: the first line's lead, or a
    first line wholly in the head's font followed by the second line's lead (a head that wraps)."""
    first = lines[0]
    if first.lead:
        return first.lead
    if len(lines) > 1 and lines[1].lead and _family(first.font) != _family(lines[1].font):
        return first.text + lines[1].lead
    return None


def _head_sentence(text: str) -> str | None:
    """The first sentence of a paragraph (up to its first 。) when body text follows it, else None."""
    end = text.find("。")
    return text[: end + 1] if 0 < end < len(text) - 1 else None


def _run_in_head(block: Block, lab: Label | None, text: str) -> str | None:
    """The title of a run-in head ``（一）标题。正文…``: a head sentence printed in another font than the text
    run into it (黑体/楷体/bold), or — for a （一） label only, the conventional run-in level — a short first
    sentence in the body font. A numbered sentence ``一、…。`` or ``1. …。`` in the body font is body text."""
    if lab is None or lab.kind not in _RUN_IN_KINDS or not block.lines:
        return None
    heads = [_font_head(block.lines)]
    if lab.kind is LabelKind.CN_PAREN:  # a lead that is no head sentence: the first sentence may still be one
        heads.append(_head_sentence(text))
    return next((t for h in heads if h is not None and (t := _head_title(h, lab, text)) is not None), None)


def _head_title(head: str, lab: Label, text: str) -> str | None:
    """The title of the head sentence ``head`` of ``text`` labelled ``lab``, when it is a short title."""
    head = one_line(head)
    if not re.search(r"[。：:]$", head) or len(head) >= len(text):
        return None
    inner = split_label(head)
    if inner is None or inner.text != lab.text:
        return None
    title = inner.rest.rstrip("。：: ")
    return title if 2 <= len(title) <= MAX_HEADING and not _SENTENCE.search(title) else None


def _title_block(block: Block, body: _BodyFont | None) -> str | None:
    """The text of a block that can carry the title of a bare label above it (第一章 / 附件 alone)."""
    if block.kind is not BlockKind.PARAGRAPH:
        return None
    text = one_line(block.text)
    styled = body is not None and _heading_font(block.lines, body)
    if not text or _SENTENCE.search(text) or split_label(text) is not None:
        return None
    return text if len(text) <= (MAX_HEADING_FONT if styled else MAX_HEADING) else None


def _sequence_ok(expected: int, actual: int, styled: bool) -> tuple[bool, bool]:
    """(accept, record) for a label numbered ``actual`` where ``expected`` continues the sequence."""
    if actual == expected:
        return True, False
    if actual == 1 or expected < actual <= expected + MAX_JUMP:
        return True, True
    return styled, True


@dataclass(slots=True)
class _Outline:
    """One pass of ``blocks_to_outline``: the open headings (a stack) and the counts per parent."""

    blocks: list[Block]
    id_prefix: str
    printed_of: PrintedOf | None
    body: _BodyFont | None
    result: OutlineResult
    roots: list[_Node] = field(default_factory=list)
    n_children: dict[str | None, int] = field(default_factory=dict)  # parent id (None: top level) → children so far
    last_number: dict[tuple[str | None, LabelKind], int | None] = field(default_factory=dict)  # (parent, kind) → last
    stack: list[_Node] = field(default_factory=list)
    last_article: int | None = None  # the number of the latest 条 (numbered through the whole text)

    def step(self, i: int) -> int:
        """Reads the block at ``i`` (body text, a contents list or a heading); returns the next index to read."""
        block = self.blocks[i]
        current = self.stack[-1].heading.id if self.stack else None
        self.result.heading_of[i] = current
        if block.kind is not BlockKind.PARAGRAPH:
            return i + 1
        text = one_line(block.text)
        if is_toc_heading(text):
            _, consumed = blocks_to_toc(self.blocks[i : i + MAX_TOC_BLOCKS], self.printed_of)
            for k in range(i, i + max(consumed, 1)):
                self.result.heading_of[k] = current
            return i + max(consumed, 1)
        lab = split_label(text)
        if lab is not None and lab.kind is LabelKind.ARTICLE:
            return self.article(i, lab)
        if lab is None and self.last_article is not None and SUPPLEMENTARY.match(text):
            return self.division(i)
        run_in = _run_in_head(block, lab, text)
        if lab is None or (run_in is None and not _stands_alone(text, lab, block, self.body)):
            return i + 1
        return self.heading(i, lab, run_in)

    def article(self, i: int, lab: Label) -> int:
        """Reads the paragraph at ``i`` opening with a 条 (rule 7); places its entry when it is one and returns the
        next index to read. The paragraph stays body text, under its 条."""
        block = self.blocks[i]
        m = ARTICLE_HEAD.match(block.lines[0].text if block.lines else block.text)
        n, last = lab.number, self.last_article
        if last is None:
            follows = n == 1
        else:
            follows = n is not None and (last < n <= last + MAX_JUMP or (n == last and "之" in lab.text))
        if m is None or n is None or not follows:
            return i + 1
        depth = self.depth(lab.kind)
        parent = self.stack[depth - 1] if depth else None
        heading = self.new_heading(i, depth, parent.heading.id if parent else None, lab, m.group("name") or "", 0)
        self.place(heading, depth, parent, lab)
        self.last_article = n
        self.result.heading_of[i] = heading.id
        return i + 1

    def division(self, i: int) -> int:
        """Reads ``附则`` printed alone after a law's 条 (rule 7): a top-level entry, its 条 under it; returns the
        next index to read."""
        lab = Label(text="", kind=LabelKind.PART, number=None, rest="")
        heading = self.new_heading(i, 0, None, lab, one_line(self.blocks[i].text), 0)
        heading.kind = None  # no numbered division: no numbering check, no kind of label
        self.place(heading, 0, None, lab)
        self.result.is_heading[i] = True
        self.result.heading_of[i] = heading.id
        return i + 1

    def depth(self, kind: LabelKind) -> int:
        """Reads the open headings; returns how many stay open above a new heading of ``kind``."""
        depth = len(self.stack)
        while depth and RANK[self.stack[depth - 1].kind] >= RANK[kind]:
            depth -= 1
        return depth

    def heading(self, i: int, lab: Label, run_in: str | None) -> int:
        """Reads the labelled block at ``i``; places its heading when in sequence and returns the next index to read."""
        block = self.blocks[i]
        styled = run_in is not None or (self.body is not None and _heading_font(block.lines, self.body))
        # place it: close every open heading of the same or a deeper kind
        depth = self.depth(lab.kind)
        parent = self.stack[depth - 1] if depth else None
        parent_id = parent.heading.id if parent else None
        record = False
        expected = (self.last_number.get((parent_id, lab.kind)) or 0) + 1
        if lab.number is not None and lab.kind is not LabelKind.APPENDIX:
            accept, record = _sequence_ok(expected, lab.number, styled)
            if not accept:
                return i + 1
        title, title_blocks = self.title(i, lab, run_in)
        heading = self.new_heading(i, depth, parent_id, lab, title, title_blocks)
        self.place(heading, depth, parent, lab)
        hid = heading.id
        if record and lab.number is not None:
            self.result.sequence.append(SequenceIssue(hid, lab.text, expected, lab.number))
        for k in range(i, i + 1 + title_blocks):
            self.result.is_heading[k] = run_in is None  # a run-in head's paragraph stays body text
            # … numbered like its siblings under the parent (its number is the head's, counted once)
            self.result.heading_of[k] = hid if run_in is None else parent_id
        return i + 1 + title_blocks

    def title(self, i: int, lab: Label, run_in: str | None) -> tuple[str, int]:
        """Reads the heading at ``i`` (and a title paragraph after a bare label); returns (title, title blocks)."""
        title = run_in or (lab.rest.removesuffix("。") if lab.kind in _RUN_IN_KINDS else lab.rest)
        title_blocks = 0
        if not title and i + 1 < len(self.blocks):
            nxt = _title_block(self.blocks[i + 1], self.body)
            if nxt is not None:
                title, title_blocks = nxt, 1
        return title, title_blocks  # empty for a label printed alone (附件一 over its text): never the label again

    def new_heading(
        self, i: int, depth: int, parent_id: str | None, lab: Label, title: str, title_blocks: int
    ) -> Heading:
        """Reads the heading's blocks from ``i``; returns its ``Heading`` with a positional id under ``parent_id``."""
        block = self.blocks[i]
        position = self.n_children.get(parent_id, 0) + 1
        hid = f"{parent_id}-{position}" if parent_id else f"{self.id_prefix}/h-{position}"
        source_lines = [ln for b in self.blocks[i : i + 1 + title_blocks] for ln in b.lines]
        raw = "\n".join(b.text for b in self.blocks[i : i + 1 + title_blocks])
        return Heading(
            id=hid,
            level=depth + 1,
            label=lab.text,
            title=title,
            page=printed_page(self.printed_of, block.page_index) if block.lines else None,
            source=lines_to_source(source_lines, raw, self.printed_of),
            kind=lab.kind.value,
            number=lab.number,
        )

    def place(self, heading: Heading, depth: int, parent: _Node | None, lab: Label) -> None:
        """Reads a new heading and its parent; adds it to the tree, counts it and makes it the innermost open one."""
        parent_id = parent.heading.id if parent else None
        node = _Node(heading, lab.kind, lab.number)
        self.n_children[parent_id] = self.n_children.get(parent_id, 0) + 1
        self.last_number[(parent_id, lab.kind)] = lab.number
        if parent:
            parent.heading.children.append(heading)
        else:
            self.roots.append(node)
        del self.stack[depth:]
        self.stack.append(node)


def _relevel(roots: list[_Node]) -> None:
    """Top-level headings of a kind below another top-level kind (a 第一节 read before any 第X章, its 第一章
    missing) take the level the numbering hierarchy gives them; their subtrees follow."""
    kinds = {n.kind for n in roots if n.kind is not LabelKind.APPENDIX}
    for node in roots:
        level = 1 + sum(RANK[k] < RANK[node.kind] for k in kinds) if node.kind is not LabelKind.APPENDIX else 1
        if level != node.heading.level:
            todo = [(node.heading, level)]
            while todo:
                h, lv = todo.pop()
                h.level = lv
                todo.extend((c, lv + 1) for c in h.children)


def _page_edges(blocks: list[Block]) -> dict[int, tuple[float, float]]:
    """Page index → (left, right) edge of its text: the extreme x of its paragraph lines."""
    edges: dict[int, tuple[float, float]] = {}
    for block in blocks:
        if block.kind is not BlockKind.PARAGRAPH:
            continue
        for ln in block.lines:
            if ln.bbox is not None:
                left, right = edges.get(ln.page_index, (ln.bbox[0], ln.bbox[2]))
                edges[ln.page_index] = (min(left, ln.bbox[0]), max(right, ln.bbox[2]))
    return edges


def _continues(prev: Block, nxt: Block, edges: dict[int, tuple[float, float]]) -> bool:
    """Whether ``nxt`` is the rest of the labelled paragraph ``prev``, cut where a line was full (a page break,
    a wrapped heading set apart): ``prev`` ends at the right edge without a sentence end, ``nxt`` starts at
    the left edge (no first-line indent) in the same font and size and without a label of its own."""
    if prev.kind is not BlockKind.PARAGRAPH or nxt.kind is not BlockKind.PARAGRAPH or not prev.lines or not nxt.lines:
        return False
    last, first = prev.lines[-1], nxt.lines[0]
    if last.bbox is None or first.bbox is None or last.size is None or first.size is None:
        return False
    size = last.size
    text = one_line(prev.text)
    if text.endswith(tuple(TERMINAL + "：:")) or split_label(text) is None or split_label(one_line(nxt.text)):
        return False
    if abs(last.size - first.size) > 0.5:
        return False
    if _family(last.font) != _family(first.font) and not first.lead:
        return False  # another font, unless a run-in head's font runs on into it
    if first.page_index == last.page_index and first.bbox[1] - last.bbox[3] > size:
        return False  # a gap between them: two paragraphs
    full = last.bbox[2] >= edges[last.page_index][1] - size
    return full and first.bbox[0] <= edges[first.page_index][0] + size * 0.5


def _joined(blocks: list[Block]) -> tuple[list[Block], list[int]]:
    """Blocks with each cut labelled paragraph joined again (``_continues``), and for each joined block the
    index of its first block in ``blocks``."""
    edges = _page_edges(blocks)
    out: list[Block] = []
    starts: list[int] = []
    for i, block in enumerate(blocks):
        if out and starts[-1] == i - 1 and _continues(out[-1], block, edges):
            prev = out[-1]
            out[-1] = Block(kind=prev.kind, text=prev.text + block.text, lines=[*prev.lines, *block.lines])
            continue
        out.append(block)
        starts.append(i)
    return out, starts


def blocks_to_outline(blocks: list[Block], id_prefix: str, printed_of: PrintedOf | None = None) -> OutlineResult:
    """Blocks of an attachment → its heading tree (rules in the module docstring).

    Reads paragraph blocks in reading order (with font facts for PDF input, text only for text input);
    ``printed_of`` maps a 0-based page index to its printed page (callable or mapping).
    Returns an ``OutlineResult``. Guaranteed after: ``heading_of`` and ``is_heading`` have one entry per
    block; ids are positional (``{id_prefix}/h-2-3`` is the 3rd child of the 2nd top-level heading) and
    unique; every heading has a label (empty for 附则 printed alone) and a title (empty for a label printed
    alone: ``附件一`` over its text, a 条 without a bracketed name), its source and its printed page when known;
    labels are kept as printed. Never raises on arbitrary text; linear in the number of blocks.
    """
    body = _body_font(blocks)
    joined, starts = _joined(blocks)
    result = OutlineResult(heading_of=[None] * len(joined), is_heading=[False] * len(joined))
    state = _Outline(joined, id_prefix, printed_of, body, result)
    i = 0
    while i < len(joined):
        i = state.step(i)
    _relevel(state.roots)
    result.headings = [n.heading for n in state.roots]
    if len(joined) < len(blocks):  # one entry per block again: a cut paragraph's parts share its reading
        owner = [
            m for m, (a, b) in enumerate(zip(starts, [*starts[1:], len(blocks)], strict=True)) for _ in range(a, b)
        ]
        result.heading_of = [result.heading_of[m] for m in owner]
        result.is_heading = [result.is_heading[m] for m in owner]
    return result


# --------------------------------------------------------------------------- TOC ↔ outline


def _title_key(title: str) -> str:
    return re.sub(r"[\W_]+", "", one_line(title))


def _titles_match(a: str, b: str) -> bool:
    ka, kb = _title_key(a), _title_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    if min(len(ka), len(kb)) >= 4 and (ka.startswith(kb) or kb.startswith(ka)):
        return True
    return SequenceMatcher(None, ka[:200], kb[:200]).ratio() >= 0.8


def _entry_matches(entry: TocEntry, heading: Heading) -> bool:
    if entry.label:
        if label_key(entry.label) != label_key(heading.label):
            return False
        return entry.title == entry.label or _titles_match(entry.title, heading.title)
    return _titles_match(entry.title, heading.title)


def flatten(headings: list[Heading]) -> list[Heading]:
    """The headings of a tree in reading order (pre-order)."""
    out: list[Heading] = []
    todo = list(reversed(headings))
    while todo:
        h = todo.pop()
        out.append(h)
        todo.extend(reversed(h.children))
    return out


def link_toc(toc: list[TocEntry], outline: list[Heading]) -> list[TocEntry]:
    """Set ``heading_id`` on each contents entry from the heading it names.

    Reads TOC entries and a heading tree. Returns new entries (the input is not changed): an entry is
    linked to the next heading in reading order, at or after the previous match, whose label is the same
    (1. == 1． == 1、, （1） == (1)) and whose title matches after normalisation (punctuation and spaces
    ignored; one title a prefix of the other, or ≥ 80 % similar, tolerates wrapped or edited titles).
    An entry that is only a label (附件) matches on its label; an unlabelled entry matches on its title and
    may share the heading just matched (an appendix title under its 附件 entry). Entries whose heading is
    not found keep ``heading_id=None``; a search that fails ahead of the previous match retries from the
    start (an out-of-order contents list).
    """
    flat = flatten(outline)
    out: list[TocEntry] = []
    last = -1
    for entry in toc:
        start = max(last, 0) if not entry.label else last + 1
        found = next((k for k in range(start, len(flat)) if _entry_matches(entry, flat[k])), None)
        if found is None:
            found = next((k for k in range(0, min(start, len(flat))) if _entry_matches(entry, flat[k])), None)
        if found is None:
            out.append(entry.model_copy())
            continue
        last = found
        out.append(entry.model_copy(update={"heading_id": flat[found].id}))
    return out
