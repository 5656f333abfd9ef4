"""The contents list (目录): its heading and the shape of a contents line (leaders, then a page label).

Pure; the full parse of a contents line (label, title, page) is ``pipeline.structure.toc.parse_toc_line``,
built on these patterns and on :mod:`pipeline.grammar.labels` / :mod:`pipeline.grammar.pages`.
"""

from __future__ import annotations

import re

TOC_HEADINGS = frozenset({"目录", "目次"})
_SPACE = re.compile(r"[\s\u3000]+")

# A line ending in dot leaders (or a tab) and a page label: ``发展基础.......7`` / ``发展基础\t- 7 -``.
TOC_LINE = re.compile(r"(?:[.．…·。]{4,}|\t)\s*[-—–－]?\s*\d{1,4}\s*[-—–－]?\s*$")
# Dot leaders (three or more) or a tab somewhere in a line.
LEADERS = re.compile(r"[.．…·]{3,}|\t")
# A contents line whose title filled the line, leaving room for one or two leader dots only: ``…秩序罪.20``
# (a contents parser accepts it only inside a list, for a labelled title: ``增长3.20`` is a number).
SHORT_LEADER = re.compile(r"(?<=[^\d\s.．…·])[.．…·]{1,2}\s*(?P<n>\d{1,4})\s*$")
LEADER_CHARS = frozenset(".．·•…⋯‥_")


def is_toc_heading(text: str) -> bool:
    """Whether a paragraph is the heading of a contents list: 目录 / 目 录 / 目次."""
    return _SPACE.sub("", text) in TOC_HEADINGS
