"""Complexity limits for ``pipeline/``: no function above cyclomatic complexity 20 or longer than 80 lines.

Reads every ``pipeline/**/*.py`` with radon and the exceptions file ``tools/complexity-exceptions.txt``
(``path:qualified.name  # why``). Prints one line per function over a limit that is not excepted and exits
1 when there is any; an exception that is no longer needed is reported (exit status unchanged) so the list
can be pruned. ``make lint`` and the test ``tests/test_complexity_limits.py`` run it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS = ROOT / "tools" / "complexity-exceptions.txt"
MAX_COMPLEXITY = 20
MAX_LINES = 80


@dataclass(frozen=True, slots=True)
class Measure:
    key: str  # pipeline/x/y.py:Class.method
    complexity: int
    lines: int

    def over(self) -> bool:
        return self.complexity > MAX_COMPLEXITY or self.lines > MAX_LINES


def measure(root: Path = ROOT) -> list[Measure]:
    """Every function and method of ``pipeline/`` with its complexity and length in lines."""
    out = []
    for path in sorted((root / "pipeline").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        for block in cc_visit(path.read_text(encoding="utf-8")):
            blocks = [block, *getattr(block, "methods", [])] if hasattr(block, "methods") else [block]
            for b in blocks:
                if b.__class__.__name__ == "Class":
                    continue
                name = f"{b.classname}.{b.name}" if getattr(b, "classname", None) else b.name
                out.append(Measure(f"{rel}:{name}", b.complexity, b.endline - b.lineno + 1))
    return out


def exceptions(path: Path = EXCEPTIONS) -> set[str]:
    """The excepted ``path:name`` keys (comments and blank lines ignored)."""
    keys = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        key = line.split("#", 1)[0].strip()
        if key:
            keys.add(key)
    return keys


def violations(root: Path = ROOT) -> tuple[list[Measure], list[str]]:
    """(functions over a limit and not excepted, exceptions no longer needed)."""
    measures = measure(root)
    excepted = exceptions()
    over = [m for m in measures if m.over() and m.key not in excepted]
    still = {m.key for m in measures if m.over()}
    return over, sorted(excepted - still)


def main() -> int:
    over, stale = violations()
    for m in over:
        print(f"{m.key}: complexity {m.complexity} (max {MAX_COMPLEXITY}), {m.lines} lines (max {MAX_LINES})")
    for key in stale:
        print(f"note: {key} is within the limits now: remove it from {EXCEPTIONS.name}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
