"""The table benchmark's cell-level metric: rows aligned in order, cells matched in order within a row."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bench.tables import Tree, levenshtein, matched_cells, score, teds, tree_edit_distance


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


# --------------------------------------------------------------------------- TEDS

TWO_BY_TWO = [[["序号", "指标"], ["1", "中国"]]]  # document, table, 2 tr, 4 td: 8 nodes


def test_bench_tables_teds_identical_is_one() -> None:
    assert teds(TWO_BY_TWO, TWO_BY_TWO) == 1.0
    assert teds([], []) == 1.0


def test_bench_tables_teds_one_cell_changed() -> None:
    assert teds(TWO_BY_TWO, [[["序号", "指标"], ["1", "中华"]]]) == 1 - 0.5 / 8  # one of two characters
    assert teds(TWO_BY_TWO, [[["序号", "指标"], ["1", "美国人"]]]) == 1 - (2 / 3) / 8  # 2 edits over 3 characters
    assert teds(TWO_BY_TWO, [[["序号", "指标"], ["2", "中国"]]]) == 1 - 1 / 8


def test_bench_tables_teds_structure_costs() -> None:
    assert teds(TWO_BY_TWO, [[["序号", "指标"]]]) == 1 - 3 / 8  # a row lost: its tr and 2 td deleted
    # the table cut into one table per page: the table node deleted and one inserted over each row (9 nodes)
    assert teds(TWO_BY_TWO, [[["序号", "指标"]], [["1", "中国"]]]) == 1 - 3 / 9
    assert (
        teds(TWO_BY_TWO, [[["序号", "指标", "1", "中国"]]]) == 1 - 3 / 8
    )  # two rows read as one: tr deleted, td moved
    assert teds(TWO_BY_TWO, []) == 1 - 7 / 8


def test_bench_tables_teds_zhang_shasha_classic() -> None:
    """Zhang and Shasha's example: f(d(a c(b)) e) → f(c(d(a b)) e) takes 2 edits (their paper, figure 2)."""

    def tree(labels: list[str], leftmost: list[int], keyroots: list[int]) -> Tree:
        return Tree([(x, "") for x in labels], leftmost, keyroots)

    a = tree(["a", "b", "c", "d", "e", "f"], [0, 1, 1, 0, 4, 0], [2, 4, 5])
    b = tree(["a", "b", "d", "c", "e", "f"], [0, 1, 0, 0, 4, 0], [1, 4, 5])
    assert tree_edit_distance(a, b) == 2.0


@given(st.text(alphabet="甲乙丙ab1 ", max_size=70), st.text(alphabet="甲乙丙ab1 ", max_size=70))
def test_bench_tables_teds_levenshtein_equals_the_textbook_table(a: str, b: str) -> None:
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    assert levenshtein(a, b) == prev[-1]
