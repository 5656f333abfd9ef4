"""The golden-field comparer (``tests/scans/fields.py``) that scores a scanned rendition against the golden file."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.scans.fields import issue_fields, plain, score_fields

GOLDEN = Path(__file__).resolve().parent / "golden" / "maonan-2022-03.pdf.gt.json"


def _golden() -> dict:  # type: ignore[type-arg]
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_scans_fields_golden_against_itself() -> None:
    score = score_fields(_golden(), _golden())
    assert score.total == {"document": 21, "heading": 65, "indicator": 27, "task": 54}
    assert score.right == score.total
    assert (score.share, score.missed, score.extra) == (1.0, [], [])


def test_scans_fields_each_misreading_costs_its_field() -> None:
    got = _golden()
    doc1, doc2 = got["documents"]
    doc1["doc_number"]["raw"] = doc1["doc_number"]["raw"].replace("〔", "[")
    doc1["attachments"][0]["indicators"][0]["target"]["raw"] = "下降16%"
    doc2["attachments"][0]["tasks"][3]["text"] = " " + doc2["attachments"][0]["tasks"][3]["text"]  # spacing: same
    doc2["outline"][0]["title"] += "。"
    score = score_fields(_golden(), got)
    assert score.right == {"document": 20, "heading": 64, "indicator": 26, "task": 54}
    assert score.missed == [
        "document.number:茂南府〔2022〕2号",
        "heading:一、高度重视，提高政治站位",
        "indicator:生产安全事故死亡人数=下降15%",
    ]
    assert score.extra == [
        "document.number:茂南府[2022〕2号",
        "heading:一、高度重视，提高政治站位。",
        "indicator:生产安全事故死亡人数=下降16%",
    ]


def test_scans_fields_count_repeats() -> None:
    want = {"documents": [{"outline": [{"label": "一、", "title": "总体要求"}] * 2}]}
    got = {"documents": [{"outline": [{"label": "一、", "title": "总体要求"}]}]}
    score = score_fields(want, got)
    assert (score.right["heading"], score.total["heading"], score.missed) == (1, 2, ["heading:一、总体要求"])


def test_scans_fields_lost_document() -> None:
    got = copy.deepcopy(_golden())
    del got["documents"][1]
    score = score_fields(_golden(), got)
    assert score.right == {"document": 12, "heading": 62, "indicator": 27, "task": 0}


@given(st.text(max_size=30))
def test_scans_fields_plain_drops_only_whitespace(text: str) -> None:
    out = plain(text)
    assert not any(c.isspace() for c in out)
    assert out == "".join(c for c in text if not c.isspace())


def test_scans_fields_empty_issue() -> None:
    assert issue_fields({}) == issue_fields({"documents": []})
    assert score_fields(_golden(), {}).share == 0.0
