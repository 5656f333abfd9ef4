"""主题分类: the subject class of a document, from the vocabulary in ``pipeline/data/topics.tsv``.

Pure function on strings: each topic's words are counted in the title (weight 3) and the text (weight 1);
the topic with the highest score wins, ties go to the topic listed first, and a document whose best score
is below ``MIN_SCORE`` gets no topic (None) rather than a guess.
"""

from __future__ import annotations

import functools
from pathlib import Path

TOPICS_TSV = Path(__file__).resolve().parent.parent / "data" / "topics.tsv"
TITLE_WEIGHT = 3
MIN_SCORE = 3


@functools.cache
def load_topics() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(topic, words) pairs in file order."""
    out = []
    for line in TOPICS_TSV.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        topic, _, words = line.partition("\t")
        out.append((topic.strip(), tuple(w for w in words.split() if w)))
    return tuple(out)


def text_to_topic(title: str, text: str) -> str | None:
    """The 主题分类 of a document with this title and text (see the module docstring). Never raises."""
    best, best_score = None, 0
    for topic, words in load_topics():
        score = sum(TITLE_WEIGHT * title.count(w) + text.count(w) for w in words)
        if score > best_score:
            best, best_score = topic, score
    return best if best_score >= MIN_SCORE else None
