"""One writer per output folder: ``OUT/.lock`` holds an exclusive ``flock`` and the holder's pid.

Reads/writes: the lock file ``OUT/.lock`` (created if missing, never deleted: deleting it would let two runs
lock two different files). Guarantees: while :func:`output_lock` is held, no other ingest (this process's or
another's, on this machine) holds it. The kernel drops a ``flock`` when its holder dies, so a lock left by a
killed run (a stale pid in the file) is taken over at once; only a live holder makes a second run wait
(``wait`` seconds) and then refuse with E019 naming the holder's pid.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import Code, GazetteError
from pipeline.i18n import pick

LOCK_NAME = ".lock"
POLL_SECONDS = 0.1


def _holder(fd: int) -> str:
    """The pid written by the current holder ("?" when it is not readable)."""
    with contextlib.suppress(OSError, ValueError):
        data = os.pread(fd, 32, 0).decode("ascii").strip()
        if data:
            return str(int(data))
    return "?"


@contextlib.contextmanager
def output_lock(out_dir: Path, wait: float = 0.0) -> Iterator[Path]:
    """Hold the exclusive lock of ``out_dir`` for the block; yields the lock file's path.

    Raises: GazetteError(E019) when another live process holds it for longer than ``wait`` seconds.
    """
    path = Path(out_dir) / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(0.0, wait)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    pid = _holder(fd)
                    raise GazetteError(
                        Code.E019,
                        str(out_dir),
                        pick(
                            f"输出目录正被另一个导入进程（pid {pid}）使用，请等待其结束后重试",
                            f"output folder is locked by another ingest (pid {pid}); retry when it has finished",
                        ),
                    ) from None
                time.sleep(POLL_SECONDS)
        with contextlib.suppress(OSError):  # the pid only informs a waiting run; a full disk must not stop this one
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        try:
            yield path
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
