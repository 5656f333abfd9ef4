"""grammar.labels: a line that is an 附件 label and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.grammar.labels import is_bare_attachment_label
from pipeline.structure.elements import parse_attachment_label


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("附件", True),
        ("附件1", True),
        ("附 件 2", True),
        ("附件3：", True),
        ("附件：1.重点任务清单", False),
        ("附件1：重点任务清单", False),
        ("附件。", False),
        ("详见附件", False),
        ("附录", False),
    ],
)
def test_labels_bare_attachment_label(text: str, bare: bool) -> None:
    assert is_bare_attachment_label(text) is bare


@given(st.text(min_size=1, max_size=20).filter(lambda s: s.strip() and s.strip()[0] not in "附"))
def test_labels_bare_attachment_label_needs_the_label_first(text: str) -> None:
    assert not is_bare_attachment_label(text)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("附件一", (1, "")),
        ("附件二：保留的决定", (2, "保留的决定")),
        ("附件一览表", (None, "一览表")),
        ("附件12", (12, "")),
    ],
)
def test_labels_attachment_numbered_in_chinese(text: str, parsed: tuple[int | None, str]) -> None:
    """A law numbers its annexes 附件一, 附件二: the numeral is the label's number when set apart from a word."""
    assert parse_attachment_label(text) == parsed
