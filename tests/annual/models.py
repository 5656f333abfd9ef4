"""Hand-made models of 政府信息公开工作年度报告 in the national template, with planted errors.

A model holds what a report prints: issuer, year, the prose figures and every template table's numbers. ``consistent``
builds a model whose sums, notes and totals all hold from a few hand-chosen counts; ``plant`` functions then break it
the way real reports are broken, each returning the codes of the findings the break must produce (a table that is
cross-footed makes most single-cell slips show in two checks, so each plant states all of them).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from pipeline.structure.annual_report import template

APPLY_COLS = [c["path"] for c in template()["tables"][4]["columns"]]
APPLY_ROWS = [r["path"] for r in template()["tables"][4]["rows"]]
RESULT_LEAVES = [r for r in APPLY_ROWS if r.startswith("本年度办理结果.") and r != "本年度办理结果.总计"]
REVIEW_COLS = [c["path"] for c in template()["tables"][5]["columns"]]


@dataclass
class Model:
    issuer: str
    year: int
    active: int  # 主动公开 N 条 (prose only)
    received_prose: int  # 受理申请 N 件 (prose; should equal 本年新收 总计)
    t20_1: list[list[str]]  # 规章, 行政规范性文件 × 制发, 废止, 现行有效
    t20_5: list[str]  # 行政许可
    t20_6: list[str]  # 行政处罚, 行政强制
    t20_8: list[str]  # 行政事业性收费
    apply: dict[str, list[str]]  # template row path → 7 printed cells
    review: list[str]  # 15 printed cells
    planted: list[str] = field(default_factory=list)  # codes the planted errors must produce

    def cell(self, row: str, col: str) -> str:
        return self.apply[row][APPLY_COLS.index(col)]

    def set(self, row: str, col: str, value: int | str) -> None:
        self.apply[row][APPLY_COLS.index(col)] = str(value)


def _row(natural: int, orgs: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)) -> list[int]:
    return [natural, *orgs, natural + sum(orgs)]


def consistent(
    issuer: str,
    year: int,
    leaves: dict[str, list[int]],
    carried_in: list[int],
    review: tuple[list[int], list[int], list[int]],
    active: int = 1200,
    t20: tuple[int, ...] = (0, 0, 0, 3, 1, 12, 860, 1500, 40, 320),
) -> Model:
    """A model whose every sum holds: leaves (row path → 自然人 + 5 组织 counts) give the totals, the carry-over
    closes the 勾稽关系 (新收 + 上年结转 = 办理结果总计 + 结转下年度)."""
    apply: dict[str, list[int]] = {}
    for path in RESULT_LEAVES:
        nat, *orgs = leaves.get(path, [0, 0, 0, 0, 0, 0])
        apply[path] = _row(nat, (orgs[0], orgs[1], orgs[2], orgs[3], orgs[4]))
    results = [sum(apply[p][k] for p in RESULT_LEAVES) for k in range(7)]
    carry_out = [max(0, carried_in[k] - 0) for k in range(6)]
    carry_out_row = _row(carry_out[0], (carry_out[1], carry_out[2], carry_out[3], carry_out[4], carry_out[5]))
    carry_in_row = _row(carried_in[0], (carried_in[1], carried_in[2], carried_in[3], carried_in[4], carried_in[5]))
    new = [results[k] + carry_out_row[k] - carry_in_row[k] for k in range(7)]
    apply["本年新收"] = new
    apply["上年结转"] = carry_in_row
    apply["本年度办理结果.总计"] = results
    apply["结转下年度继续办理"] = carry_out_row
    rv: list[int] = []
    for group in review:
        rv += [*group, sum(group)]
    a = list(t20)
    return Model(
        issuer=issuer,
        year=year,
        active=active,
        received_prose=new[-1],
        t20_1=[[str(a[0]), str(a[1]), str(a[2])], [str(a[3]), str(a[4]), str(a[5])]],
        t20_5=[str(a[6])],
        t20_6=[str(a[7]), str(a[8])],
        t20_8=[str(a[9])],
        apply={p: [str(v) for v in apply[p]] for p in APPLY_ROWS},
        review=[str(v) for v in rv],
    )


# --------------------------------------------------------------------------- the three hand-made models


def county_2023() -> Model:
    """A county government, 2023: clean."""
    return consistent(
        "某某省某某县人民政府",
        2023,
        {
            "本年度办理结果.予以公开": [40, 3, 0, 1, 0, 2],
            "本年度办理结果.部分公开": [6, 1, 0, 0, 0, 0],
            "本年度办理结果.不予公开.危及三安全一稳定": [1, 0, 0, 0, 0, 0],
            "本年度办理结果.无法提供.本机关不掌握相关政府信息": [22, 2, 0, 0, 1, 0],
            "本年度办理结果.不予处理.重复申请": [3, 0, 0, 0, 0, 0],
        },
        carried_in=[2, 1, 0, 0, 0, 0],
        review=([2, 1, 0, 0], [1, 0, 0, 1], [0, 0, 1, 0]),
    )


def county_2024() -> Model:
    """The same county, 2024 (its 上年结转 equals 2023's 结转下年度继续办理): clean."""
    return consistent(
        "某某省某某县人民政府",
        2024,
        {
            "本年度办理结果.予以公开": [52, 4, 1, 0, 0, 1],
            "本年度办理结果.部分公开": [8, 0, 0, 0, 1, 0],
            "本年度办理结果.不予公开.属于国家秘密": [1, 0, 0, 0, 0, 0],
            "本年度办理结果.不予公开.属于四类过程性信息": [2, 1, 0, 0, 0, 0],
            "本年度办理结果.无法提供.本机关不掌握相关政府信息": [30, 1, 0, 0, 0, 0],
            "本年度办理结果.不予处理.信访举报投诉类申请": [2, 0, 0, 0, 0, 0],
            "本年度办理结果.其他处理": [1, 0, 0, 0, 0, 0],
        },
        carried_in=[2, 1, 0, 0, 0, 0],
        review=([3, 0, 1, 0], [2, 1, 0, 0], [1, 0, 0, 1]),
        active=1456,
    )


def bureau_2024() -> Model:
    """A city bureau, 2024: clean (applications from companies and law firms)."""
    return consistent(
        "某某市自然资源和规划局",
        2024,
        {
            "本年度办理结果.予以公开": [120, 15, 2, 3, 6, 4],
            "本年度办理结果.部分公开": [18, 2, 0, 0, 1, 0],
            "本年度办理结果.不予公开.保护第三方合法权益": [4, 1, 0, 0, 0, 0],
            "本年度办理结果.不予公开.属于行政执法案卷": [2, 0, 0, 0, 0, 0],
            "本年度办理结果.无法提供.没有现成信息需要另行制作": [9, 1, 0, 0, 0, 0],
            "本年度办理结果.无法提供.补正后申请内容仍不明确": [3, 0, 0, 0, 0, 0],
            "本年度办理结果.不予处理.要求提供公开出版物": [1, 0, 0, 0, 0, 0],
            "本年度办理结果.不予处理.无正当理由大量反复申请": [5, 0, 0, 0, 0, 0],
        },
        carried_in=[4, 0, 0, 0, 1, 0],
        review=([5, 1, 2, 1], [3, 1, 0, 2], [2, 0, 1, 0]),
        active=3377,
        t20=(0, 0, 0, 1, 2, 15, 0, 0, 0, 0),
    )


# --------------------------------------------------------------------------- planted errors


def _bump(m: Model, row: str, col: str, by: int) -> None:
    m.set(row, col, int(m.cell(row, col)) + by)


def plant_total_column(m: Model) -> Model:
    """Two rows whose 总计 column is off, compensating inside their columns: V601 twice, nothing else."""
    m = copy.deepcopy(m)
    _bump(m, "本年度办理结果.予以公开", "自然人", 1)
    _bump(m, "本年度办理结果.部分公开", "自然人", -1)
    m.planted += ["V601", "V601"]
    return m


def plant_reconciliation(m: Model) -> Model:
    """上年结转 raised by 2 (row kept consistent): the 勾稽关系 fails in 自然人 and 总计 — V602 twice."""
    m = copy.deepcopy(m)
    _bump(m, "上年结转", "自然人", 2)
    _bump(m, "上年结转", "总计", 2)
    m.planted += ["V602", "V602"]
    return m


def plant_results_total(m: Model) -> Model:
    """The 办理结果 总计 row and 结转下年度 moved in opposite ways (note holds): V603 in 自然人 and 总计."""
    m = copy.deepcopy(m)
    for col in ("自然人", "总计"):
        _bump(m, "本年度办理结果.总计", col, 3)
        _bump(m, "结转下年度继续办理", col, -3)
    m.planted += ["V603", "V603"]
    return m


def plant_review_total(m: Model) -> Model:
    """行政复议 总计 one too many: V604."""
    m = copy.deepcopy(m)
    m.review[4] = str(int(m.review[4]) + 1)
    m.planted += ["V604"]
    return m


def plant_prose(m: Model) -> Model:
    """The prose says 受理申请 one more than the table: V605."""
    m = copy.deepcopy(m)
    m.received_prose += 1
    m.planted += ["V605"]
    return m


def plant_negative(m: Model) -> Model:
    """A negative 其他结果 balanced by 结果维持 (totals hold): V606."""
    m = copy.deepcopy(m)
    m.review[5] = str(int(m.review[5]) + 1)
    m.review[7] = str(int(m.review[7]) - 1)
    assert int(m.review[7]) < 0
    m.planted += ["V606"]
    return m


def plant_part_above_total(m: Model) -> Model:
    """复议后起诉 总计 printed as 0: each non-zero part is above its total (V607) and the sum fails (V604)."""
    m = copy.deepcopy(m)
    m.review[14] = "0"
    above = sum(int(x) > 0 for x in m.review[10:14])
    assert above > 0
    m.planted += ["V607"] * above + ["V604"]
    return m


def plant_carry_over(m: Model) -> Model:
    """上年结转 one more than last year carried forward, balanced inside this year (予以公开 and the 总计 row one
    more): every sum of this year holds, the cross-year check alone fails — V608 in 自然人 and 总计."""
    m = copy.deepcopy(m)
    for row in ("上年结转", "本年度办理结果.予以公开", "本年度办理结果.总计"):
        for col in ("自然人", "总计"):
            _bump(m, row, col, 1)
    m.planted += ["V608", "V608"]
    return m


def plant_not_a_number(m: Model) -> Model:
    """A 第二十条 cell printed as ／: V609."""
    m = copy.deepcopy(m)
    m.t20_6[1] = "／"
    m.planted += ["V609"]
    return m
