"""Stage 5: blocks → document drafts: where each official document and each of its elements is.

Reads: ``list[Block]`` after the cover (reading order).
Writes: ``list[DocumentDraft]``, one per official document (公文), each naming the blocks of its
GB/T 9704 elements: 发文机关标志, 发文字号, 标题, 主送机关, 正文, 署名, 成文日期, 公开方式, 附件 (label, title,
content), 抄送, 印发机关和日期; the values of 公开方式, 抄送 and 印发 are parsed once, here
(``disclosure_value``, ``cc_bodies``, ``printed_by`` / ``printed_date``), and ``structure.documents`` reads them.
Guaranteed after:
  1. every block after the cover belongs to exactly one draft, in order (nothing dropped);
  2. a document starts at a 发文机关标志 followed by a 发文字号, at a stand-alone 发文字号 followed by its
     title, at a title followed by its 发文字号 (the gazette layout, ``（粤府〔2022〕1号）`` under the title),
     or — in a file with none of these — at its first title-like paragraph (``关于…的通知``); a file with
     no document structure at all yields one draft with ``structured=False``;
  3. the decisions are made from patterns and layout (short lines, red or large fonts), never from
     names of a particular gazette.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.grammar.doctypes import FORWARDED, HEADER_TEXT, TITLE_END, TITLE_LIKE
from pipeline.grammar.text import one_line
from pipeline.grammar.toc import TOC_LINE, is_toc_heading
from pipeline.grammar.width import fold_digits
from pipeline.structure.annexes import AnnexStart, find_annex, names_own_annex, next_sibling
from pipeline.structure.elements import (
    DOC_NUMBER_LINE,
    is_date_line,
    looks_like_signature,
    parse_attachment_label,
    parse_cc,
    parse_disclosure,
    parse_printed,
)
from pipeline.structure.toc import split_label
from pipeline.types import AttachmentDraft, Block, BlockKind, DocumentDraft

SIGNATURE_MAX_BLOCKS = 3
# the title of a document printed without 版头 or 发文字号 names its kind (a report, a law, a plan …)
DOC_TITLE = re.compile(
    r"[\u4e00-\u9fff](?:通知|决定|意见|规划|方案|办法|规定|公告|通告|批复|报告|纪要|要点|细则|条例|法|章程|计划|清单|决议|通报)$"
)
TITLE_SCALE = 1.2  # a title font is at least this much larger than the body font
# lines between a title and the text that are no element: source and date lines of a web page or newspaper,
# the meeting line and speaker of a report
PREAMBLE = re.compile(
    r"^(?:来源|发布时间|发布日期|时间|作者|字号)[：:]|^[—－-]{1,2}|^[（(]?.{0,40}会议上|^[（(].*(?:会议|通过|发布)|^.{0,12}长[\s　]"
)
# a speech or report: "——2025年1月14日在…会议上" (the speaker may be named before 在), under the title
SPEAKER_LINE = re.compile(
    r"^[—–\-－―\s]*[\d０-９]{4}\s*年\s*[\d０-９]{1,2}\s*月\s*[\d０-９]{1,2}\s*日.{0,40}?在.{2,80}?(?:会议|大会)"
)
SPEAKER_NAME = re.compile(r"^[\u4e00-\u9fff（）()]{0,24}(?:长|主席|主任|书记)[\s\u3000]*[\u4e00-\u9fff·]{2,12}$")
# an appendix of a report printed after the text without an 附件 label: 名词解释, 注释 …
APPENDIX_HEADING = re.compile(r"^(?:附[：:]?\s*)?(?:名词解释|名词注释|注释|附注)[：:]?$")


def _para(b: Block) -> str | None:
    return one_line(b.text) if b.kind is BlockKind.PARAGRAPH else None


def is_header(b: Block) -> bool:
    """A 发文机关标志: a short line ending in 文件 (or 令/函 …), or a short red line in a large font."""
    t = _para(b)
    if not t or len(t) > 40 or t.endswith("公报"):
        return False
    if HEADER_TEXT.match(t):
        return True
    first = b.first
    red = bool(
        first
        and first.color
        and len(first.color) == 3
        and first.color[0] > 0.6
        and first.color[1] < 0.3
        and first.color[2] < 0.3
    )
    return red and bool(first and (first.size or 0) >= 20)


def is_doc_number(b: Block) -> bool:
    t = _para(b)
    return bool(t and DOC_NUMBER_LINE.match(fold_digits(t)))


def starts_document(blocks: list[Block], i: int) -> bool:
    """Whether block ``i`` starts an official document (see the module docstring)."""
    b = blocks[i]
    if b.kind is not BlockKind.PARAGRAPH:
        return False
    if is_header(b):
        return any(is_doc_number(x) for x in blocks[i + 1 : i + 3]) or (
            i + 1 < len(blocks) and _is_title(blocks[i + 1])
        )
    if is_doc_number(b):
        prev_header = i > 0 and is_header(blocks[i - 1])
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        return not prev_header and nxt is not None and _is_title(nxt)
    return False


ISSUER_LINE = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,30}(?:人民政府|政府|办公室|办公厅|委员会|局|厅|委|院|署|中心|部|办)$"
)
_YEAR_REPORT = re.compile(r"^(?:19|20)\d{2}\s*年(?:度)?.{2,40}(?:报告|总结|要点)$")


def issuer_over_report(prev: Block, title: Block) -> bool:
    """Whether ``prev`` is an issuer's name printed over a report title that starts with its year
    (``某某区人民政府`` / ``2024年政府信息公开工作年度报告``): the two lines are one title."""
    a, b = _para(prev), _para(title)
    return bool(a and b and ISSUER_LINE.match(a) and _YEAR_REPORT.match(b))


def _is_title(b: Block) -> bool:
    t = _para(b)
    return bool(
        t
        and len(t) <= 160
        and not t.endswith(("。", "：", ":"))
        and not TOC_LINE.search(b.text)
        and TITLE_LIKE.search(t)
    )


def document_starts(blocks: list[Block]) -> list[int]:
    """Indices of the blocks that start an official document (see the module docstring), in order."""
    starts = {i for i in range(len(blocks)) if starts_document(blocks, i)}
    # gazette layout: the title first, its 发文字号 (often in brackets) on the next line
    for i in range(1, len(blocks)):
        if not (is_doc_number(blocks[i]) and _is_title(blocks[i - 1])) or i - 1 in starts:
            continue
        if i >= 2 and (is_header(blocks[i - 2]) or is_doc_number(blocks[i - 2])):
            continue
        k = i - 1
        while k > 0 and k - 1 not in starts and _title_fragment(blocks[k - 1], blocks[k]):
            k -= 1  # a title wrapped over several paragraphs starts at its first line
        starts.add(k)
    return sorted(starts)


def _title_fragment(prev: Block, title: Block) -> bool:
    """Whether ``prev`` is the beginning of a title continued by ``title``: a short unpunctuated paragraph
    that either holds the 关于 of the title or is printed in the same title font, large or centred over it."""
    t = _para(prev)
    if not t or len(t) > 40 or re.search(r"[。：:；;，,]$", t) or is_date_line(t) or is_header(prev):
        return False
    if "关于" in t and "关于" not in (_para(title) or ""):
        return True
    a, b = prev.first, title.first
    if not (a and b and a.size and b.size and abs(a.size - b.size) < 0.5):
        return False
    return a.size >= 18 or _centred_above(prev, title)


def _centred_above(prev: Block, title: Block) -> bool:
    """Whether the last line of ``prev`` is a line of the same centred block as ``title``'s first: the same font,
    right above it on the same page (less than a line's height between them), both centred on one axis."""
    a, b = prev.lines[-1], title.lines[0]
    if a.bbox is None or b.bbox is None or a.size is None or a.page_index != b.page_index or a.font != b.font:
        return False
    gap = b.bbox[1] - a.bbox[3]
    axis = abs((a.bbox[0] + a.bbox[2]) / 2 - (b.bbox[0] + b.bbox[2]) / 2)
    narrower = a.bbox[0] > b.bbox[0] + a.size or b.bbox[0] > a.bbox[0] + a.size  # no justified paragraph's lines
    return 0 <= gap < a.size and axis <= a.size and narrower


def body_size(blocks: list[Block]) -> float | None:
    """The body font size: the size most characters are printed in (None for text input)."""
    sizes: Counter[float] = Counter()
    for b in blocks:
        for ln in b.lines if b.kind is BlockKind.PARAGRAPH else []:
            if ln.size:
                sizes[round(ln.size, 1)] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else None


def _title_font(b: Block, body: float | None) -> bool:
    """A paragraph printed in a title font: clearly larger than the body text."""
    f = b.first
    return bool(body and b.kind is BlockKind.PARAGRAPH and f and f.size and f.size >= body * TITLE_SCALE)


def _standalone_title(b: Block, body: float | None) -> bool:
    t = _para(b)
    return bool(
        t
        and _title_font(b, body)
        and re.search(r"[\u4e00-\u9fff]", t)  # a site's or producer's Latin name line is no title
        and len(t) <= 60
        and not re.search(r"[。；;，,：:]$", t)
        and not TOC_LINE.search(b.text)
        and not is_toc_heading(t)
        and split_label(t) is None
        and parse_attachment_label(t) is None
        and not is_date_line(t)
        and not t.endswith("公报")
    )


def _title_run(blocks: list[Block], i: int, j: int, body: float | None) -> bool:
    """Whether blocks ``i`` … ``j`` are all lines of one title in the title font."""
    return all(_standalone_title(blocks[k], body) for k in range(i, j + 1))


def _ends_document(b: Block) -> bool:
    t = _para(b)
    return bool(t and (is_date_line(t) or _is_footer(t)))


@dataclass(slots=True)
class _Reading:
    """What ``title_block_starts`` knows at a block: did the last document end, how large was the latest
    document or attachment title, which titles does the current document forward."""

    ended: bool = True  # nothing before the first block
    rank: float | None = None
    forwarded: set[str] = field(default_factory=set)

    def restart(self) -> None:
        self.ended, self.rank, self.forwarded = False, None, set()

    def read(self, b: Block, t: str, body: float) -> None:
        """A block that is no title: it may end the document, name what it forwards, set the title size."""
        size = b.first.size if b.first and b.first.size else None
        if _key(t) in self.forwarded:  # an unlabelled attachment's title
            self.rank, self.ended = size or self.rank, False
        if _ends_document(b):
            self.ended = True
        self.forwarded.update(_key(x) for x in re.findall(r"《([^《》]{2,80})》", t))
        if m := FORWARDED.search(t):
            self.forwarded.add(_key(m.group("x")))
        if self.rank is None and _title_font(b, body):
            self.rank = size


def _title_run_end(blocks: list[Block], i: int, body: float) -> int:
    """The last block of the title starting at ``i`` (a title printed over up to three lines)."""
    r = i
    while r + 1 < len(blocks) and r - i < 2 and _standalone_title(blocks[r + 1], body):
        r += 1
    return r


def _starts_here(blocks: list[Block], i: int, r: int, state: _Reading, after_label: bool) -> bool:
    b = blocks[i]
    size = b.first.size if b.first and b.first.size else 0.0
    kind_ok = bool(DOC_TITLE.search(one_line("".join(x.text for x in blocks[i : r + 1]))))
    larger = state.rank is not None and size >= state.rank - 0.5
    return kind_ok and not after_label and (state.ended or larger)


def title_block_starts(blocks: list[Block], starts: set[int], body: float | None) -> set[int]:
    """Documents printed without 发文机关标志 or 发文字号 (reports, laws, reprinted plans): a title in a title
    font naming a document kind, at the start, right after the previous document ended (its date, 公开方式 or
    版记), or — after an attachment — at least as large as the attachment's own title. A title the previous
    document forwards (《…》 in its text) is its attachment, never a new document; so is one under 附件."""
    out: set[int] = set()
    if body is None:
        return out
    state = _Reading()
    i = 0
    while i < len(blocks):
        b = blocks[i]
        t = _para(b)
        if i in starts:
            state.restart()
        elif t is not None and _standalone_title(b, body) and _key(t) not in state.forwarded:
            after_label = i > 0 and parse_attachment_label(_para(blocks[i - 1]) or "") is not None
            r = _title_run_end(blocks, i, body)
            if _starts_here(blocks, i, r, state, after_label):
                out.add(i)
                state.ended, state.forwarded = False, set()
            if state.rank is None or after_label:
                state.rank = b.first.size if b.first and b.first.size else 0.0
            i = r + 1
            continue
        elif t is not None:
            state.read(b, t, body)
        i += 1
    return out


def _fallback_title(t: str) -> bool:
    """A title in a file without 发文机关标志 or 发文字号: ``关于…`` or a short line ending in a document type
    (``2025年政府工作报告``)."""
    return "关于" in t or (len(t) <= 40 and bool(TITLE_END.search(t)))


def _centred_on_page(b: Block, blocks: list[Block]) -> bool:
    """Whether a title-like paragraph sits on the axis of its page's text (GB/T 9704 centres the 标题).

    Text input (no geometry) always passes. A "title" printed off-axis, e.g. a value in one cell of a
    form whose labels are a background image, is not a document title."""
    first = b.first
    if first is None or first.bbox is None:
        return True
    xs = [ln.bbox for o in blocks for ln in o.lines if ln.bbox is not None and ln.page_index == first.page_index]
    left, right = first.column or (min(x[0] for x in xs), max(x[2] for x in xs))  # a column's axis in columns
    mids = [(ln.bbox[0] + ln.bbox[2]) / 2 for ln in b.lines if ln.bbox is not None]
    return abs(sum(mids) / len(mids) - (left + right) / 2) <= 0.15 * max(right - left, 1.0)


def blocks_to_drafts(blocks: list[Block]) -> list[DocumentDraft]:
    """Split the blocks after the cover into document drafts (see the module docstring)."""
    body = body_size(blocks)
    found = set(document_starts(blocks))
    titled = title_block_starts(blocks, found, body)
    # a title printed over several lines starts at its first line, not where a pattern matched its last
    found = {j for j in found if not any(i < j <= i + 2 and _title_run(blocks, i, j, body) for i in titled)}
    starts = sorted(found | titled)
    if not starts:
        title_at = next(
            (
                i
                for i, b in enumerate(blocks[:15])
                if _is_title(b) and _fallback_title(_para(b) or "") and _centred_on_page(b, blocks)
            ),
            None,
        )
        if title_at is None:
            return [DocumentDraft(index=1, blocks=blocks, structured=False, body=list(blocks))] if blocks else []
        starts = [title_at]
    if starts[0] > 0:  # blocks before the first document (e.g. a preface) go with the first document
        starts[0] = 0
    drafts = []
    for n, (a, b) in enumerate(zip(starts, [*starts[1:], len(blocks)], strict=True), start=1):
        drafts.append(_elements(DocumentDraft(index=n, blocks=blocks[a:b]), body))
    return drafts


def _read_front(d: DocumentDraft, body_pt: float | None) -> int:
    """Reads stray text, 版头 and 发文字号 at the start of ``d.blocks`` into ``d``; returns the index after them."""
    bl = d.blocks
    i = 0
    while i < len(bl) and not (
        is_header(bl[i]) or is_doc_number(bl[i]) or _is_title(bl[i]) or _standalone_title(bl[i], body_pt)
    ):
        d.body.append(bl[i])  # stray text before the document proper
        i += 1
    if d.body and i < len(bl) and issuer_over_report(d.body[-1], bl[i]):
        d.body.pop()  # a report's title printed under its issuer's name: both lines are the title
        i -= 1
    if i < len(bl) and is_header(bl[i]):
        d.header = bl[i]
        i += 1
    if i < len(bl) and is_doc_number(bl[i]):
        d.number = bl[i]
        i += 1
    return i


def _title_end(bl: list[Block], i: int, body_pt: float | None) -> int:
    """Reads the title starting at ``bl[i]``; returns the index after it (up to 3 paragraphs)."""
    # title: up to 3 paragraphs, ending with a document-type word (or the lines printed in the title font)
    j = i
    if i < len(bl) and _standalone_title(bl[i], body_pt) and not TITLE_END.search(_para(bl[i]) or ""):
        while j < len(bl) and j - i < 3 and _standalone_title(bl[j], body_pt):
            j += 1
    by_font = j > i  # the title-font lines are the whole title; else read the lines up to a document-type word
    while not by_font and j < len(bl) and j - i < 3 and bl[j].kind is BlockKind.PARAGRAPH and not is_doc_number(bl[j]):
        t = _para(bl[j]) or ""
        if t.endswith(("：", ":", "。")):
            break
        j += 1
        if TITLE_END.search(t):
            break
    return j


def _read_after_title(d: DocumentDraft, i: int) -> int:
    """Reads 发文字号 under the title, the speaker, preamble lines and 主送 at ``i`` into ``d``; returns the next index."""
    bl = d.blocks
    if d.number is None and i < len(bl) and is_doc_number(bl[i]):  # gazette layout: 发文字号 under the title
        d.number = bl[i]
        i += 1
    i = _speaker(d, i)
    while i < len(bl) and d.number is None and (p := _para(bl[i])) and PREAMBLE.match(p) and len(p) <= 120:
        d.body.append(bl[i])  # 来源 / 发布时间 / the meeting line of a report: kept, never the recipients
        i += 1
    rec = _para(bl[i]) if i < len(bl) else None
    if rec and rec.endswith(("：", ":")) and "。" not in rec and len(rec) <= 200:
        d.recipients = bl[i]
        i += 1
    elif rec and i + 1 < len(bl) and (tail := _recipients_tail(rec, bl[i + 1])):
        d.recipients = Block(kind=BlockKind.PARAGRAPH, text=rec + tail, lines=bl[i].lines + bl[i + 1].lines)
        i += 2
    return i


def _recipients_tail(rec: str, nxt: Block) -> str | None:
    """The end of a 主送 line wrapped into a short paragraph of its own (``…市驻区各单`` / ``位：``: the
    last characters and the colon, which may not start a line, carried over together); None otherwise."""
    t = _para(nxt)
    if not t or len(t) > 12 or not t.endswith(("：", ":")) or _SENTENCE_END.search(rec + t) or len(rec) > 200:
        return None
    return t if re.search(r"[、，,]", rec) else None


def _split_at_date(d: DocumentDraft, rest: list[Block]) -> tuple[list[Block], list[Block]]:
    """Reads the blocks after 主送; sets the signature and date of ``d`` and returns (body, tail after the date)."""
    date_at = _find_date(rest)
    if date_at is None:
        return rest, []
    sig_from = date_at
    while sig_from > 0 and date_at - sig_from < SIGNATURE_MAX_BLOCKS and _is_signature_part(rest[sig_from - 1]):
        sig_from -= 1
    d.signature = rest[sig_from:date_at]
    d.date = rest[date_at]
    return rest[:sig_from], rest[date_at + 1 :]


def _elements(d: DocumentDraft, body_pt: float | None = None) -> DocumentDraft:
    """Reads ``d.blocks`` into the GB/T 9704 elements of ``d`` (in their order); returns ``d``."""
    bl = d.blocks
    i = _read_front(d, body_pt)
    j = _title_end(bl, i, body_pt)
    d.title = bl[i:j]
    i = _read_after_title(d, j)
    body, tail = _split_at_date(d, bl[i:])
    body = _appendix(d, body)
    d.body.extend(body)
    for b in body:
        t = _para(b) or ""
        lab = parse_attachment_label(t) if not TOC_LINE.search(b.text) else None  # a 目录 line names no attachment
        if lab and lab[1]:
            d.attachment_titles.extend(_listed_titles(lab[1]))
    _tail(d, tail)
    _nest_annexes(d.attachments)
    return d


def _annex_drafts(blocks: list[Block], start: AnnexStart) -> list[AttachmentDraft]:
    """Reads an attachment's blocks from its first annex on; returns that annex and its numbered siblings."""
    out: list[AttachmentDraft] = []
    current: AnnexStart | None = start
    while current is not None:
        k, n = current.index, current.title_blocks
        body = blocks[k + 1 + n :]
        nxt = next_sibling(body, current.number)
        own = body[: nxt.index] if nxt else body
        label, titles = (blocks[k], blocks[k + 1 : k + 1 + n]) if current.labelled else (None, [blocks[k]])
        out.append(AttachmentDraft(label, current.number, current.title, titles, own))
        if nxt is not None:
            blocks, current = body, nxt
        else:
            current = None
    return out


def _nest_annexes(attachments: list[AttachmentDraft]) -> None:
    """Cuts each attachment's own annexes out of its blocks and nests them under it (recursively)."""
    for a in attachments:
        start = find_annex(a.title, a.blocks)
        if start is None:
            continue
        a.annexes = _annex_drafts(a.blocks, start)
        a.blocks = a.blocks[: start.index]
        _nest_annexes(a.annexes)


def _speaker(d: DocumentDraft, i: int) -> int:
    """A speech's date-and-occasion line within the three blocks after the title (and the speaker's name
    line after it): recorded as ``speaker``; blocks before it (``来源：…``) go to the body. Returns where the
    document continues."""
    bl = d.blocks
    for k in range(i, min(i + 3, len(bl))):
        t = _para(bl[k])
        if t and SPEAKER_LINE.match(t):
            d.body.extend(bl[i:k])
            d.speaker = [bl[k]]
            nxt = _para(bl[k + 1]) if k + 1 < len(bl) else None
            if nxt and SPEAKER_NAME.match(nxt.strip()):
                d.speaker.append(bl[k + 1])
                return k + 2
            return k + 1
    return i


def _appendix(d: DocumentDraft, body: list[Block]) -> list[Block]:
    """Appendices printed after a text that has no 成文日期 (a report, a speech, a law): a stand-alone ``名词解释``
    (or 注释) line, a bare ``附件`` label with its title on the next line, or a numbered label (``附件一``) over
    text that is no title (the attachment is then titled by its label), in the body's second half.
    Each, with what follows it, becomes an attachment (in printed order). Returns the body before them."""
    half = len(body) // 2
    k = len(body) - 2
    while k >= half:
        found = _appendix_at(d, body, k)
        if found is None:
            k -= 1
            continue
        title, n_title = found
        d.attachments.insert(0, AttachmentDraft(None, None, title, body[k : k + n_title], body[k + n_title :]))
        body = body[:k]
        k = len(body) - 2
    return body


def _appendix_at(d: DocumentDraft, body: list[Block], k: int) -> tuple[str, int] | None:
    """(title, number of title blocks) when ``body[k]`` starts an appendix (see :func:`_appendix`)."""
    t = _para(body[k])
    if not t:
        return None
    if APPENDIX_HEADING.match(re.sub(r"\s+", "", t)):
        return t.rstrip("：:"), 1
    lab = parse_attachment_label(t)
    if lab is None or lab[1] or d.date is not None or k + 2 >= len(body):
        return None
    nt = _para(body[k + 1]) or ""
    if nt and len(nt) <= 60 and not _SENTENCE_END.search(nt) and not nt.endswith(("：", ":")):
        return nt, 2
    # a numbered label over text that is no title (附件一 / 全国人民代表大会…予以废止：): the label names it
    return (t, 1) if lab[0] is not None else None


_SENTENCE_END = re.compile(r"[。；;！!？?]")


def _listed_titles(rest: str) -> list[str]:
    """``1.甲方案 2.乙清单`` → [甲方案, 乙清单]; a single title stays whole."""
    parts = re.split(r"\s*(?:^|(?<=\S))\s*\d{1,2}\s*[.．、]\s*", rest)
    titles = [p.strip().rstrip("。；;") for p in parts if p.strip()]
    return titles or [rest.strip()]


def _is_signature_part(b: Block) -> bool:
    t = _para(b)
    if not t:
        return False
    return looks_like_signature(t) or bool(re.fullmatch(r"[（(][^）)]{2,30}[）)]", t))


def _find_date(rest: list[Block]) -> int | None:
    """The 成文日期: the first date-only paragraph that follows a signature (or the body directly)."""
    for k, b in enumerate(rest):
        t = _para(b)
        if t is None:
            continue
        if is_date_line(t) and not t.endswith("印发"):
            return k
        if parse_attachment_label(t) is not None and len(t) <= 4:
            return None  # reached the attachments without a date
    return None


def _is_footer(t: str) -> bool:
    return parse_disclosure(t) is not None or parse_cc(t) is not None or parse_printed(t) is not None


def _forwarded_titles(d: DocumentDraft) -> set[str]:
    """Titles the document forwards: ``关于印发X的通知`` → X, and every 《X》 in its body."""
    out = set()
    title = one_line("".join(b.text for b in d.title))
    if m := FORWARDED.search(title):
        out.add(_key(m.group("x")))
    for b in d.body:
        out.update(_key(x) for x in re.findall(r"《([^《》]{2,80})》", one_line(b.text)))
    return out


def _key(text: str) -> str:
    return re.sub(r"[\s《》“”\"'‘’]", "", text)


def _starts_unlabelled_attachment(tail: list[Block], k: int, forwarded: set[str]) -> bool:
    """An attachment printed without an 附件 label: its title is the document the notice forwards, or a
    short title followed by its own contents list."""
    t = _para(tail[k])
    if not t or len(t) > 80 or t.endswith(("。", "：", ":")) or TOC_LINE.search(tail[k].text):
        return False
    if _key(t) in forwarded:
        return True
    nxt = _para(tail[k + 1]) if k + 1 < len(tail) else None
    return bool(nxt and is_toc_heading(nxt))


def _ends_attachments(tail: list[Block], k: int, t: str) -> bool:
    """Reads the tail paragraph ``t`` at ``k``; True when it is a footer or a signature line before a 印发 line."""
    return _is_footer(t) or (
        k + 1 < len(tail)
        and parse_printed(one_line(t + (_para(tail[k + 1]) or ""))) is not None
        and looks_like_signature(t)
    )


def _continues_cc(nt: str) -> bool:
    """Reads the paragraph after a 抄送 line; True when it is the 抄送 line wrapped into a second paragraph."""
    return (
        not _is_footer(nt)
        and not looks_like_signature(nt)
        and parse_attachment_label(nt) is None
        and len(nt) < 120
        and not nt.endswith("：")
        and parse_printed(nt) is None
    )


def _read_cc(d: DocumentDraft, tail: list[Block], k: int) -> int:
    """Reads the 抄送 line at ``k`` and its wrapped continuations into ``d.cc``; returns the last index read."""
    cc = tail[k]
    # a 抄送 line wrapped into a second paragraph (text input)
    while k + 1 < len(tail) and (nt := _para(tail[k + 1])) and _continues_cc(nt):
        cc = Block(kind=BlockKind.PARAGRAPH, text=cc.text + nt, lines=cc.lines + tail[k + 1].lines)
        k += 1
    d.cc = cc
    d.cc_bodies = parse_cc(cc.text) or []
    return k


def _read_footer(d: DocumentDraft, tail: list[Block], k: int, t: str) -> int:
    """Reads the footer paragraph ``t`` at ``k`` (公开方式, 抄送 or 印发) into ``d``; returns the last index read."""
    b = tail[k]
    disclosure = parse_disclosure(t)
    if disclosure is not None and d.disclosure is None:
        d.disclosure, d.disclosure_value = b, disclosure
        return k
    if parse_cc(t) is not None:
        return _read_cc(d, tail, k)
    d.printed.append(b)
    if parse_printed(t) is None and k + 1 < len(tail):
        d.printed.append(tail[k + 1])
        return k + 1
    return k


def _next_attachment_label(b: Block, t: str | None, current: AttachmentDraft | None) -> tuple[int | None, str] | None:
    """Reads block ``b`` (paragraph text ``t``); returns its 附件 label (number, rest) when it opens the next attachment."""
    lab = parse_attachment_label(t) if t is not None and not TOC_LINE.search(b.text) else None
    if lab is None or (lab[1] and len(lab[1]) > 60):
        return None
    if current is None or (lab[0] is not None and lab[0] == (current.number or 1) + 1):
        return lab
    return None


def _read_labelled_attachment(tail: list[Block], k: int, lab: tuple[int | None, str]) -> tuple[AttachmentDraft, int]:
    """Reads the 附件 label at ``k`` (and a title on the next paragraph); returns the attachment and the last index read."""
    label = tail[k]
    number, rest = lab
    title_blocks: list[Block] = []
    title = rest
    if not title and k + 1 < len(tail) and (nt := _para(tail[k + 1])) and len(nt) <= 80 and not nt.endswith("。"):
        title_blocks = [tail[k + 1]]
        title = nt
        k += 1
    return AttachmentDraft(label=label, number=number, title=title, title_blocks=title_blocks), k


def _tail(d: DocumentDraft, tail: list[Block]) -> None:
    """After the date: 公开方式, attachments, 抄送, 印发 — in whatever order the document prints them."""
    k = 0
    current: AttachmentDraft | None = None
    forwarded = _forwarded_titles(d)
    while k < len(tail):
        b = tail[k]
        t = _para(b)
        if current is None and not d.attachments and _starts_unlabelled_attachment(tail, k, forwarded):
            current = AttachmentDraft(label=None, number=None, title=t or "", title_blocks=[b])
            d.attachments.append(current)
        elif t is not None and _ends_attachments(tail, k, t):
            current = None
            k = _read_footer(d, tail, k, t)
        elif (lab := _next_attachment_label(b, t, current)) is not None and not (
            current is not None and names_own_annex(current.title, current.blocks, tail, k)
        ):
            current, k = _read_labelled_attachment(tail, k, lab)
            d.attachments.append(current)
        elif current is None:
            d.body.append(b)  # text after the date that is no element (rare): kept in the body, never dropped
        else:
            current.blocks.append(b)
        k += 1
    _read_imprint(d)


def _read_imprint(d: DocumentDraft) -> None:
    """Reads the 印发 lines found by ``_read_footer``; sets ``d.printed_by`` / ``d.printed_date`` (the org
    printed on the line before a bare ``2022年7月4日印发`` when it looks like a signature)."""
    if not d.printed:
        return
    parsed = parse_printed(one_line("".join(b.text for b in d.printed)))
    if parsed is not None:
        d.printed_by, d.printed_date = parsed
    if d.printed_by is None and len(d.printed) > 1 and looks_like_signature(one_line(d.printed[0].text)):
        d.printed_by = one_line(d.printed[0].text)
