"""Text tables: a new group in a left column stops blank cells to its right from merging down."""

from __future__ import annotations

from pipeline.load.text import text_to_pages
from pipeline.tables.stitch import fragments_to_table

TEXT = (
    "工作要求\t具体任务\t具体要求\t单位\n"
    "一、甲\t(一)子甲\t1. 做甲。\t区一局\n"
    "\t\t2. 做乙。\t\n"
    "二、乙\t\t3. 做丙。\t区二局\n"
    "\t\t4. 做丁。\t\n"
)


def test_tables_groups_new_parent_resets_child_column() -> None:
    (raw,) = text_to_pages(TEXT)[0].tables
    table = fragments_to_table([raw], "t", {})
    assert [r[1] for r in table.rows] == ["(一)子甲", "(一)子甲", "", ""]
    assert [r[3] for r in table.rows] == ["区一局", "区一局", "区二局", "区二局"]
