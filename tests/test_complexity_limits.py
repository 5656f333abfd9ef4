"""No function in pipeline/ above cyclomatic complexity 20 or 80 lines, except the justified list."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import complexity  # noqa: E402


def test_complexity_limits_hold_outside_the_exceptions() -> None:
    over, _ = complexity.violations()
    assert [m.key for m in over] == []


def test_complexity_limits_measure_real_functions() -> None:
    measures = {m.key: m for m in complexity.measure()}
    chain = measures["pipeline/run.py:source_to_issue"]
    assert 1 <= chain.complexity <= complexity.MAX_COMPLEXITY and 10 < chain.lines <= complexity.MAX_LINES
    assert "pipeline/check/validate.py:_check_claim" in measures
    assert not measures["pipeline/check/validate.py:_check_claim"].over()
    assert not measures["pipeline/check/validate.py:_stat_to_findings"].over()


def test_complexity_limits_exceptions_name_real_functions() -> None:
    keys = {m.key for m in complexity.measure()}
    assert complexity.exceptions() <= keys
