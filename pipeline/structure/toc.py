"""Contents lists (目录): contents lines → ``TocLine`` → ``schemas.model.TocEntry``.

A contents line (``parse_toc_line``, ``blocks_to_toc``) is a title with dot leaders and/or a printed page
label (``- 7 -``, ``— 7 —``, ``7 -``, a tab and ``7``), often after a heading label. The label grammar
(``split_label``: kind and number) is :mod:`pipeline.grammar.labels`; page labels :mod:`pipeline.grammar.pages`.

Everything is pure, never raises on arbitrary text and runs in linear time (every regex is anchored and
bounded; contents lines longer than ``MAX_TOC_LINE`` characters are rejected before any matching).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pipeline.grammar.labels import RANK, LabelKind, split_label
from pipeline.grammar.pages import DASHES as _DASHES
from pipeline.grammar.pages import PAGE_TAIL as _PAGE_TAIL
from pipeline.grammar.text import one_line
from pipeline.grammar.toc import LEADER_CHARS as _LEADER_CHARS
from pipeline.grammar.toc import SHORT_LEADER, is_toc_heading
from pipeline.grammar.width import fold_digits
from pipeline.types import Block, BlockKind, Line
from schemas.model import Source, TocEntry

MAX_TOC_LINE = 200  # characters: a longer line is body text, not a contents line
MAX_WRAP = 3  # a contents title may wrap over at most this many printed lines

PrintedOf = Callable[[int], int | None] | Mapping[int, int | None]


# --------------------------------------------------------------------------- contents lines


@dataclass(frozen=True, slots=True)
class TocLine:
    """One parsed contents line: ``第一章 发展基础与面临形势.....7`` → 第一章 / 发展基础与面临形势 / 7."""

    label: str | None  # 第一章 / 第一节 / 1. / 附件; None for an unlabelled title
    title: str  # whitespace-normalised; a bare label (附件) is its own title
    page: int | None  # the printed page the entry points to, when printed
    kind: LabelKind | None = None
    raw: str = ""  # the line(s) exactly as given


def _strip_leaders(head: str) -> tuple[str, bool]:
    """Remove a trailing run of dot leaders (and the spaces inside it); say whether there was one."""
    i = len(head)
    dots = 0
    ellipses = 0
    while i > 0 and (head[i - 1] in _LEADER_CHARS or head[i - 1] in " \t\u3000"):
        if head[i - 1] in "…⋯":
            ellipses += 1
        elif head[i - 1] in _LEADER_CHARS:
            dots += 1
        i -= 1
    if dots >= 3 or ellipses >= 2 or (dots + ellipses >= 3):
        return head[:i], True
    return head, False


_COUNTED = frozenset("表图第附共约计")  # 表 1, 图 2, 第 3 …: a number that belongs to the text, not a page


def _page_separated(head: str, decorated: bool, digits: int) -> bool:
    """Without leaders, a page label must be set apart: by a tab; or, dashed, by a space; or, plain
    (at most 3 digits), by a space after a Chinese character or a closing bracket (``…2 号 1``)."""
    before = head.rstrip(" \t\u3000")
    sep = head[len(before) :]
    if not sep or not before:
        return False
    if "\t" in sep:
        return True
    last = before[-1]
    if decorated:
        return last not in _DASHES
    if len(before) < 2 or last in _COUNTED:
        return False
    return digits <= 3 and ("\u4e00" <= last <= "\u9fff" or last in "〕）)》”")


def _title_of(head: str, raw: str) -> TocLine | None:
    title_text = one_line(head)
    if not title_text or not any(ch.isalnum() for ch in title_text):
        return None
    lab = split_label(title_text)
    if lab is not None:
        title = lab.rest or lab.text
        return TocLine(label=lab.text, title=title, page=None, kind=lab.kind, raw=raw)
    return TocLine(label=None, title=title_text, page=None, kind=None, raw=raw)


def parse_toc_line(text: str) -> TocLine | None:
    """Parse one contents line.

    Reads a line of a contents list, e.g. ``第一章 发展基础与面临形势.....	7 -``, ``第一节 发展基础	7 -``,
    ``1.全面落实安全责任.......7``, ``某府〔2022〕2 号..........1``, ``附件..... - 46 -``.
    Returns a ``TocLine`` or None when the line is not a contents line. A contents line has dot leaders
    (page optional), or a page label after a tab, or a dashed page label (``- 7 -``, ``— 7 —``, ``7 -``)
    after a space, or a plain page number after a space that follows a Chinese character. Titles are
    whitespace-normalised (``1. 生命至上，安全发展`` → label ``1.``, title ``生命至上，安全发展``); a bare
    label (``附件``) is its own title. Never raises; lines over ``MAX_TOC_LINE`` characters are rejected.
    """
    return _parse(text)[0]


def _parse(text: str) -> tuple[TocLine | None, bool]:
    """``parse_toc_line`` and whether the line is *marked* as a contents line (dot leaders, a tab before
    the page or a dashed page label), as opposed to a plain page number after a space."""
    if not isinstance(text, str):
        return None, False
    s = text.strip(" \t\u3000\u00a0\r\n")
    if not s or len(s) > MAX_TOC_LINE:
        return None, False
    page: int | None = None
    head = s
    decorated = False
    digits = 0
    m = _PAGE_TAIL.search(s)
    if m and m.start() > 0:
        page = int(fold_digits(m.group("n")))
        head = s[: m.start()]
        decorated = any(ch in _DASHES for ch in m.group(0))
        digits = len(m.group("n"))
    head_wo_leaders, has_leaders = _strip_leaders(head)
    if page is not None and not has_leaders and not _page_separated(head, decorated, digits):
        return None, False
    if page is None and not has_leaders:
        return None, False
    parsed = _title_of(head_wo_leaders, text)
    if parsed is None:
        return None, False
    marked = has_leaders or decorated or "\t" in head[len(head.rstrip(" \t\u3000")) :]
    return TocLine(label=parsed.label, title=parsed.title, page=page, kind=parsed.kind, raw=text), marked


def _short_leader_line(text: str) -> TocLine | None:
    """A labelled contents line whose title left room for one or two leader dots only (``第三章 破坏…秩序罪.20``):
    read inside a contents list only (``_scan``), never on its own."""
    s = text.strip(" \t\u3000\u00a0\r\n")
    m = SHORT_LEADER.search(s) if len(s) <= MAX_TOC_LINE else None
    parsed = _title_of(s[: m.start()], text) if m else None
    if m is None or parsed is None or parsed.label is None:
        return None
    return TocLine(label=parsed.label, title=parsed.title, page=int(m.group("n")), kind=parsed.kind, raw=text)


def _fragment(text: str) -> bool:
    """Whether a line may be the first part of a contents title that wraps onto the next line."""
    s = text.strip()
    return 0 < len(s) <= 60 and s[-1] not in "。；;！？!?"


def _scan(lines: list[str]) -> tuple[list[tuple[TocLine, int, int]], int]:
    """Contents entries at the start of ``lines`` with the (first, last) line index of each, and the
    index of the first line that is not part of the contents list."""
    out: list[tuple[TocLine, int, int]] = []
    i = 0
    n = len(lines)
    while i < n:
        if not lines[i].strip():
            i += 1
            continue
        entry = parse_toc_line(lines[i]) or (_short_leader_line(lines[i]) if out else None)
        if entry is not None:
            out.append((entry, i, i))
            i += 1
            continue
        joined = None
        if _fragment(lines[i]):
            parts = [lines[i]]
            j = i + 1
            while j < n and len(parts) < MAX_WRAP:
                if not lines[j].strip():
                    j += 1
                    continue
                alone = parse_toc_line(lines[j])
                if alone is not None and alone.label is not None:
                    break  # the next line is an entry of its own: no wrap
                parts.append(lines[j])
                # a bare page label on its own line is set apart like a tab; a title part joins directly
                joined_text = "".join(
                    ("\t" if k and _PAGE_TAIL.fullmatch(p.strip()) else "") + p.strip() for k, p in enumerate(parts)
                )
                candidate, marked = _parse(joined_text)
                if candidate is not None and marked:
                    joined = (
                        TocLine(candidate.label, candidate.title, candidate.page, candidate.kind, "\n".join(parts)),
                        i,
                        j,
                    )
                    break
                if not _fragment(lines[j]):
                    break
                j += 1
        if joined is None:
            break
        out.append(joined)
        i = joined[2] + 1
    return out, i


# --------------------------------------------------------------------------- blocks → TOC entries


def printed_page(printed_of: PrintedOf | None, page_index: int) -> int | None:
    """The printed page of a 0-based page index through ``printed_of`` (a callable or a mapping)."""
    if printed_of is None:
        return None
    if isinstance(printed_of, Mapping):
        return printed_of.get(page_index)
    return printed_of(page_index)


def lines_to_source(lines: list[Line], text: str, printed_of: PrintedOf | None = None) -> Source:
    """Provenance of printed lines: printed page, PDF page and box of the first page (PDF input), the
    first text line (text input), and the raw text."""
    if not lines:
        return Source(text=text)
    first = lines[0]
    if first.bbox is None:
        return Source(page=printed_page(printed_of, first.page_index), line=first.line_no, text=text)
    same = [ln.bbox for ln in lines if ln.page_index == first.page_index and ln.bbox is not None]
    bbox = [min(b[0] for b in same), min(b[1] for b in same), max(b[2] for b in same), max(b[3] for b in same)]
    return Source(
        page=printed_page(printed_of, first.page_index),
        pdf_page=first.page_index + 1,
        bbox=[round(v, 2) for v in bbox],
        text=text,
    )


def toc_levels(kinds: list[LabelKind | None]) -> list[int]:
    """Levels of a sequence of label kinds, relative to the kinds present (a list without 第X章 starts
    at 一、): a kind nests under every shallower kind still open. An unlabelled entry right after an
    附件 entry is that appendix's title (one level down); other unlabelled entries keep the previous
    level."""
    stack: list[LabelKind] = []
    levels: list[int] = []
    for i, kind in enumerate(kinds):
        if kind is None:
            prev = kinds[i - 1] if i else None
            levels.append(levels[-1] + 1 if prev is LabelKind.APPENDIX else (levels[-1] if levels else 1))
            continue
        while stack and RANK[stack[-1]] >= RANK[kind]:
            stack.pop()
        stack.append(kind)
        levels.append(len(stack))
    return levels


def _block_lines(block: Block) -> list[tuple[str, list[Line]]]:
    if block.lines:
        return [(ln.text, [ln]) for ln in block.lines]
    return [(t, []) for t in block.text.split("\n")]


_FlatLine = tuple[int, str, list[Line]]  # (block index, printed line, its lines)


def _scan_blocks(blocks: list[Block], start: int) -> tuple[list[_FlatLine], list[tuple[TocLine, int, int]], int]:
    """Reads paragraph blocks from ``start`` lazily into lines; returns (the lines, the entries found, the stop line)."""
    flat: list[_FlatLine] = []
    # flatten the blocks into lines lazily: a contents list is short, the body after it may be long
    bi = start
    chunk = 32
    while True:
        stop_at = min(len(blocks), bi + chunk)
        while bi < stop_at and blocks[bi].kind is BlockKind.PARAGRAPH:
            flat.extend((bi, text, lines) for text, lines in _block_lines(blocks[bi]))
            bi += 1
        found, stop = _scan([t for _, t, _ in flat])
        ahead = sum(1 for _, t, _ in flat[stop:] if t.strip())
        if bi < stop_at or bi >= len(blocks) or ahead > MAX_WRAP:
            break  # a table, the end of the blocks, or enough lines after the list to be sure it ended
        chunk *= 2
    return flat, found, stop


def _toc_entries(
    flat: list[_FlatLine], kept: list[tuple[TocLine, int, int]], printed_of: PrintedOf | None
) -> list[TocEntry]:
    """Reads the kept contents lines; returns their ``TocEntry``s with levels and sources."""
    levels = toc_levels([e.kind for e, _, _ in kept])
    entries: list[TocEntry] = []
    for (entry, a, b), level in zip(kept, levels, strict=True):
        lines = [ln for _, _, lns in flat[a : b + 1] for ln in lns]
        raw = "\n".join(t for _, t, _ in flat[a : b + 1] if t.strip())
        entries.append(
            TocEntry(
                title=entry.title,
                page=entry.page,
                level=level,
                label=entry.label,
                source=lines_to_source(lines, raw, printed_of),
            )
        )
    return entries


def blocks_to_toc(blocks: list[Block], printed_of: PrintedOf | None = None) -> tuple[list[TocEntry], int]:
    """Blocks right after a ``目录`` heading → the contents entries and how many blocks they take.

    Reads paragraph blocks (their printed lines when present, else their text split at newlines); a
    leading ``目录`` block is taken as part of the list. Returns ``TocEntry``s (label, title, page, level
    from the label kind via ``toc_levels``, source of the printed line(s)) and the number of blocks
    consumed. Guaranteed after: only whole blocks are consumed (a block that is partly not contents is
    left for the body); the first block not consumed is the first one after the list; nothing raises.
    """
    start = 0
    if blocks and blocks[0].kind is BlockKind.PARAGRAPH and is_toc_heading(blocks[0].text):
        start = 1
    flat, found, stop = _scan_blocks(blocks, start)
    # consume whole blocks only
    last_block = flat[stop][0] if stop < len(flat) else (flat[-1][0] + 1 if flat else start)
    consumed = max(last_block, start)
    kept = [(e, a, b) for e, a, b in found if flat[b][0] < consumed]
    return _toc_entries(flat, kept, printed_of), consumed
