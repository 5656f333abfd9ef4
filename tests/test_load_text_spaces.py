"""Text extractions: space-aligned tables (columns by runs of two or more spaces), read like tab rows and stitched
into a contract table; prose with double spaces stays text."""

from __future__ import annotations

from pipeline.load.text import space_rows_to_tabs, text_to_pages

INDICATORS = """一、工作安排如下。
表1  主要指标
序号  指标                    指标值     属性
1     生产安全事故死亡人数    下降15%    约束性
2     亿元地区生产总值        下降33%    约束性
      生产安全事故死亡率
3     森林火灾受害率          ≤0.9‰      预期性
二、其他事项按有关规定执行。
"""


def test_load_text_spaces_table_rows_become_tab_rows() -> None:
    lines = INDICATORS.split("\n")
    out = space_rows_to_tabs(lines)
    assert out[:2] == lines[:2]  # the lead paragraph and the caption stay text
    assert out[2:7] == [
        "序号\t指标\t指标值\t属性",
        "1\t生产安全事故死亡人数\t下降15%\t约束性",
        "2\t亿元地区生产总值\t下降33%\t约束性",
        "\t生产安全事故死亡率\t\t",
        "3\t森林火灾受害率\t≤0.9‰\t预期性",
    ]
    assert out[7] == lines[7]


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
