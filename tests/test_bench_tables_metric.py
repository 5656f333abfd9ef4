"""The table benchmark's cell-level metric: rows aligned in order, cells matched in order within a row."""

from __future__ import annotations

from bench.tables import matched_cells, score


def test_bench_tables_metric_perfect_and_empty() -> None:
    truth = [["序号", "指标"], ["1", "生产安全事故死亡人数"]]
    assert score(truth, truth) == (1.0, 1.0, 1.0)
    assert score(truth, []) == (0.0, 0.0, 0.0)


def test_bench_tables_metric_repeated_header_costs_precision_only() -> None:
    truth = [["序号", "指标"], ["1", "甲"], ["2", "乙"]]
    got = [["序号", "指标"], ["1", "甲"], ["序号", "指标"], ["2", "乙"]]
    assert matched_cells(truth, got) == 6
    p, r, _ = score(truth, got)
    assert (p, r) == (6 / 8, 1.0)


def test_bench_tables_metric_row_cut_in_two_loses_recall() -> None:
    truth = [["1", "开展应急演练，覆盖全部街道。", "100%"]]
    got = [["1", "开展应急演练，", "100%"], ["覆盖全部街道。"]]
    assert matched_cells(truth, got) == 2
    assert score(truth, got)[1] == 2 / 3
