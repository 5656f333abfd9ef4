"""Text extractions: prose with runs of spaces (double spaces, a signature pushed right) stays text."""

from __future__ import annotations

from pipeline.load.text import text_to_pages


def test_load_text_spaces_prose_and_signatures_stay_text() -> None:
    text = (
        "根据《条例》规定，现将有关事项通知如下：  一是加强领导；  二是压实责任。\n"
        "各单位要高度重视，  认真组织实施，  确保各项任务落到实处。\n"
        "区人民政府办公室                              2022年3月1日\n"
        "抄送：区委办，  区人大办，  区政协办。\n"
    )
    (page,) = text_to_pages(text)
    assert page.tables == []
    assert len(page.lines) == 4
