"""Contract ``Table`` → its kind (``schemas.model.TableKind``), decided once, in a fixed order.

Reads the table's header, header paths and body as ``pipeline.tables.stitch`` built them. Returns one kind:

1. ``statistics``: two or more period columns over a mostly numeric body (``table_to_statistics`` accepts it);
2. ``indicators``: 指标 / 指标值 columns (``is_indicator_table``);
3. ``list``: 序号 / 分类 / 主要任务 (``is_list_table``);
4. ``annual-report``: the national 政府信息公开年度报告 template — two of its header texts (in the header or in
   a sub-header row of the body) name the template's fixed columns (本年制发件数, 本年处理决定数量,
   申请人情况, 未经复议直接起诉 …);
5. ``tasks``: a header naming the item and unit columns of a task-division table (``is_task_table``);
6. ``generic``: anything else (still exported with its cells, spans and header paths).

The converters are then called for the kind only (``pipeline.structure.documents``). Never raises.
"""

from __future__ import annotations

import re

from pipeline.tables.indicators import is_indicator_table
from pipeline.tables.lists import is_list_table
from pipeline.tables.statistics import table_to_statistics
from pipeline.tables.tasks import is_task_table
from schemas.model import Table, TableKind

# the fixed column headers of the national annual-report template (国办公开办函 templates): layout vocabulary
_ANNUAL_HEADER = re.compile(
    r"本年(?:新)?制发件数|本年废止件数|现行有效件数|本年处理决定数量|本年收费金额|申请人情况|法人或其他组织|"
    r"社会公益组织|法律服务机构|科研机构|"
    r"未经复议直接起诉|复议后起诉|结果维持|结果纠正|尚未审结"
)


def is_annual_report_table(table: Table) -> bool:
    """Whether two or more distinct header texts (header rows, or sub-header rows inside the body) are the
    annual-report template's fixed headers."""
    texts = {x for path in table.column_paths for x in path} | {h for row in table.header for h in row}
    texts |= {c for row in table.rows for c in row if c and len(c) <= 20}
    return sum(1 for t in texts if _ANNUAL_HEADER.search(t.replace(" ", ""))) >= 2


def classify_table(table: Table) -> TableKind:
    """The table's kind (see the module docstring for the order)."""
    if table_to_statistics(table) is not None:
        return TableKind.STATISTICS
    if is_indicator_table(table):
        return TableKind.INDICATORS
    if is_list_table(table):
        return TableKind.LIST
    if is_annual_report_table(table):
        return TableKind.ANNUAL_REPORT
    if is_task_table(table):
        return TableKind.TASKS
    return TableKind.GENERIC
