"""Atomic file and directory writes: a reader (or the next run) never sees a half-written output.

A file is written to a temporary sibling in the same directory, flushed and fsynced, then moved over the
target with ``os.replace`` (atomic on POSIX), and the directory entry is fsynced. A directory of outputs
is built in a staging sibling and swapped in at the end (:func:`staged_dir`); leftovers of a run killed
half-way through a swap are recovered by :func:`recover_dir`, which :func:`staged_dir` calls first.

Names of the siblings (all hidden, next to the target):
``.<name>.<random>.tmp`` (file being written), ``.<name>.staging`` (directory being built),
``.<name>.old`` (the previous directory, moved aside during the swap).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel


def fsync_dir(directory: Path) -> None:
    """Flush a directory entry (after a create, rename or delete in it) to disk; a no-op where unsupported."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically.

    Reads: nothing. Returns: ``path``.
    After this, guaranteed: ``path`` holds exactly ``data`` (durably: file and directory fsynced); if the
    write fails or the process is killed, ``path`` holds its previous content (or still does not exist)
    and no temporary file is left behind by a failure that raised.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` (encoded as ``encoding``) to ``path`` atomically; see :func:`write_bytes_atomic`."""
    return write_bytes_atomic(path, text.encode(encoding))


def json_text(model_or_obj: Any) -> str:
    """The canonical JSON text of a pydantic model or a JSON-able object (indent 2, UTF-8, trailing newline).

    Models are dumped with ``model_dump_json(indent=2)``; other objects with ``json.dumps`` (non-ASCII
    kept, keys in their given order). The same input always gives the same text.
    """
    if isinstance(model_or_obj, BaseModel):
        return model_or_obj.model_dump_json(indent=2) + "\n"
    return json.dumps(model_or_obj, ensure_ascii=False, indent=2) + "\n"


def write_json_atomic(path: Path, model_or_obj: Any) -> Path:
    """Write the canonical JSON (:func:`json_text`) of a model or object to ``path`` atomically."""
    return write_text_atomic(path, json_text(model_or_obj))


def _staging(final: Path) -> Path:
    return final.with_name(f".{final.name}.staging")


def _old(final: Path) -> Path:
    return final.with_name(f".{final.name}.old")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink(missing_ok=True)


def recover_dir(final: Path) -> None:
    """Repair what a run killed during :func:`staged_dir` left next to ``final``.

    After this, guaranteed: no staging or aside sibling of ``final`` exists, and ``final`` is either its
    last complete version or absent (if it never existed). Killed before the swap: the partial staging
    directory is dropped. Killed after moving the old directory aside but before moving the new one in:
    the old one is put back. Killed after the swap but before the clean-up: the old one is deleted.
    """
    final = Path(final)
    old = _old(final)
    if old.exists():
        if final.exists():
            _remove(old)
        else:
            os.replace(old, final)
            fsync_dir(final.parent)
    for leftover in (_staging(final), final.with_name(f".{final.name}.trash")):
        if leftover.exists():
            _remove(leftover)
            fsync_dir(final.parent)


def remove_dir(final: Path) -> None:
    """Delete the directory ``final`` so that it vanishes at once (renamed aside, then deleted).

    After this, guaranteed: ``final`` does not exist. A run killed during the deletion leaves only a hidden
    ``.<name>.trash`` sibling, which the next :func:`recover_dir` of that name (or this function) removes.
    """
    final = Path(final)
    trash = final.with_name(f".{final.name}.trash")
    _remove(trash)
    if final.exists():
        os.replace(final, trash)
        fsync_dir(final.parent)
    _remove(trash)


def recover_all(parent: Path) -> list[Path]:
    """Run :func:`recover_dir` for every target in ``parent`` that has staging/aside leftovers.

    Returns: the targets that were looked at. After this, guaranteed: no ``.<name>.staging``, ``.old`` or
    ``.trash`` sibling is left in ``parent``, and no ``.<name>.<random>.tmp`` file of an interrupted write.
    """
    targets: list[Path] = []
    if not Path(parent).is_dir():
        return targets
    for entry in sorted(Path(parent).iterdir()):
        name = entry.name
        if not name.startswith("."):
            continue
        for tail in (".staging", ".old", ".trash"):
            if name.endswith(tail) and len(name) > len(tail) + 1:
                target = entry.with_name(name[1 : -len(tail)])
                recover_dir(target)
                targets.append(target)
                break
        else:
            if name.endswith(".tmp") and entry.is_file():
                entry.unlink(missing_ok=True)
    return targets


@contextlib.contextmanager
def staged_dir(final: Path) -> Iterator[Path]:
    """Build a directory in a staging sibling and swap it in as ``final`` when the block succeeds.

    Yields: the (empty, freshly created) staging directory; write the outputs there.
    After a successful block, guaranteed: ``final`` is exactly the staging directory's content (the previous
    ``final`` is gone). If the block raises, ``final`` is untouched and the staging directory removed.
    If the process is killed at any point, ``final`` is either entirely old or entirely new once
    :func:`recover_dir` has run (it runs at the start of every ``staged_dir``).
    """
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    recover_dir(final)
    staging = _staging(final)
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        _remove(staging)
        raise
    fsync_dir(staging)
    old = _old(final)
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    fsync_dir(final.parent)
    _remove(old)
