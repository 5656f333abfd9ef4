"""Budgets that bind while a file is parsed: wall time (a timer signal) and memory (an address-space limit).

Reads: the budgets of :class:`pipeline.options.RunOptions`. Guarantees: inside :func:`budgets`, a parse that runs
longer than ``time_budget`` seconds is interrupted by :class:`BudgetExceeded` (a ``BaseException``, so no stage's
``except Exception`` can swallow it) and an allocation beyond ``max_memory_mb`` of address space raises
``MemoryError``; both limits are lifted when the block ends, so one file never harms the next one or the batch.

The timer is ``SIGALRM`` (``setitimer``): it works in the main thread of a process (``--jobs 1`` and every pool
worker); in other threads (Dask's worker threads) only the check after the stages applies. The memory limit is
``RLIMIT_AS`` (soft limit, restored afterwards); it is skipped where the platform has no such limit.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

try:
    import resource
except ImportError:  # pragma: no cover - not POSIX
    resource = None  # type: ignore[assignment]


class BudgetExceeded(BaseException):
    """Raised inside a parse when its time budget ran out."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise BudgetExceeded


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[bool]:
    """Interrupt the block with :class:`BudgetExceeded` after ``seconds``; yields whether the timer is armed."""
    armed = bool(seconds) and threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")
    if not armed:
        yield False
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, float(seconds or 0))
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def memory_limit(megabytes: int | None) -> Iterator[bool]:
    """Cap the process's address space at ``megabytes`` for the block (soft RLIMIT_AS); yields whether it is set.

    The cap is never set below what the process already uses plus 256 MiB, nor above the hard limit.
    """
    if not megabytes or resource is None or not hasattr(resource, "RLIMIT_AS"):
        yield False
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = max(megabytes << 20, _address_space() + (256 << 20))
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ValueError, OSError):
        yield False
        return
    try:
        yield True
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int:
    """The process's current virtual size in bytes (0 when /proc is not there)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    return 0


@contextlib.contextmanager
def budgets(time_budget: float | None, max_memory_mb: int | None) -> Iterator[None]:
    """Both limits of :func:`time_limit` and :func:`memory_limit` around the block."""
    with memory_limit(max_memory_mb), time_limit(time_budget):
        yield
