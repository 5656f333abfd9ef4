"""主题分类 from the topic vocabulary."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.structure.topics import load_topics, text_to_topic
from schemas.model import Issue


@pytest.mark.parametrize(
    ("title", "text", "topic"),
    [
        ("关于做好汛期安全生产工作的通知", "加强隐患排查，防范事故。", "市场监管、安全生产监管"),
        ("关于印发2023年政务公开工作要点的通知", "推进政府信息公开和政策解读。", "综合政务"),
        ("关于加强学前教育的意见", "扩大普惠性学前教育资源，建设学校。", "科技、教育"),
        ("会议纪要", "研究了若干事项。", None),
    ],
)
def test_topics_classify(title: str, text: str, topic: str | None) -> None:
    assert text_to_topic(title, text) == topic


def test_topics_vocabulary_is_well_formed() -> None:
    topics = load_topics()
    assert len({t for t, _ in topics}) == len(topics) >= 20
    assert all(words for _, words in topics)


def test_topics_corpus_documents(corpus_issue: Issue) -> None:
    assert [d.topic for d in corpus_issue.documents] == ["市场监管、安全生产监管", "综合政务"]


@given(st.text(max_size=300), st.text(max_size=300))
def test_topics_never_raises(title: str, text: str) -> None:
    result = text_to_topic(title, text)
    assert result is None or result in {t for t, _ in load_topics()}
