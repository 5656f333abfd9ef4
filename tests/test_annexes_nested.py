"""Annexes of an attachment (附件 of a 附件): nested under the attachment that names them."""

from __future__ import annotations

from pipeline.run import text_to_issue
from pipeline.structure.annexes import AnnexStart, find_annex
from pipeline.structure.outline import flatten
from pipeline.types import Block, BlockKind, Line

FORWARDED = """某某区人民政府办公室关于印发某某区重点任务清单的通知

某府办函〔2025〕12号

各镇人民政府，各街道办事处：

现将《某某区重点任务清单》印发给你们，请认真贯彻落实。

附件：某某区重点任务清单

某某区人民政府办公室

2025年3月18日

附件

某某区重点任务清单

一、深化重点领域信息公开

做好疫情防控信息公开工作，及时回应社会关切。

附件

某某区重点任务清单重点任务台账

序号\t工作事项\t责任单位
1\t做好信息公开。\t区政府办公室
"""


def test_annexes_annex_titled_after_its_attachment_is_nested() -> None:
    (doc,) = text_to_issue(FORWARDED).documents
    assert [a.title for a in doc.attachments] == ["某某区重点任务清单"]
    (plan,) = doc.attachments
    assert [(a.id, a.title) for a in plan.attachments] == [("doc-1/att-1/att-1", "某某区重点任务清单重点任务台账")]
    assert [(h.label, h.title) for h in flatten(plan.outline)] == [("一、", "深化重点领域信息公开")]
    assert plan.tables == [] and len(plan.attachments[0].tables) == 1
    assert doc.outline == []  # 附件：… in the notice is its list of attachments, not a heading


LISTED = """某某县人民政府关于印发某某方案的通知

各乡镇人民政府：

现将《某某方案》印发给你们。

附件：某某方案

某某县人民政府

2025年1月6日

附件

某某方案

一、工作目标

完成年度目标任务。

附件：1．任务分工表
2．进度安排表

附件1

任务分工表

做好分工。

附件2

进度安排表

按月推进。
"""


def test_annexes_listed_by_the_attachment_are_nested_in_order() -> None:
    (doc,) = text_to_issue(LISTED).documents
    (plan,) = doc.attachments
    assert [(a.id, a.title) for a in plan.attachments] == [
        ("doc-1/att-1/att-1", "任务分工表"),
        ("doc-1/att-1/att-2", "进度安排表"),
    ]
    assert [b.text for b in plan.attachments[1].body] == ["按月推进。"]


PLAN_WITH_TOC = """某某县人民政府关于印发某某规划的通知

某府〔2025〕1号

各乡镇人民政府：

现将《某某规划》印发给你们。

某某县人民政府

2025年1月6日

附件

某某规划

目  录

第一章 发展基础..... 1

附件..... 3

第一章 发展基础

全县安全形势总体平稳。

附件

专项整治工作

序号\t分类\t主要任务
1\t非煤矿山\t提高安全准入门槛。
"""


def test_annexes_annex_in_the_plans_contents_stays_in_its_outline() -> None:
    (doc,) = text_to_issue(PLAN_WITH_TOC).documents
    (plan,) = doc.attachments
    assert plan.attachments == []
    assert [(h.level, h.label, h.title) for h in flatten(plan.outline)] == [
        (1, "第一章", "发展基础"),
        (1, "附件", "专项整治工作"),
    ]


def _on_page(text: str, page: int) -> Block:
    return Block(kind=BlockKind.PARAGRAPH, text=text, lines=[Line(text=text, page_index=page)])


def test_annexes_title_at_a_page_top_without_its_label() -> None:
    plan = [
        _on_page("一、深化重点领域信息公开", 3),
        _on_page("做好疫情防控信息公开工作。", 3),
        _on_page("某某区重点任务清单重点任务台账", 4),  # its 附件 label lost with the page's top line
        _on_page("做好信息公开。", 4),
    ]
    assert find_annex("某某区重点任务清单", plan) == AnnexStart(
        2, None, "某某区重点任务清单重点任务台账", 0, labelled=False
    )
    # the same title on the page it follows is no annex; nor is a title that does not begin with the plan's
    assert find_annex("某某区重点任务清单", [*plan[:2], _on_page(plan[2].text, 3)]) is None
    assert find_annex("某某区工作方案", plan) is None
