"""The one file hash: a source file's bytes → its hex sha256.

Reads: a file (in 1 MiB chunks: memory stays flat) or bytes already in memory. Writes: nothing.
Guarantees: the same digest for the same bytes, wherever it is computed. Each loader computes it once,
where the file is first read, into ``LoadedSource.sha256`` → ``Issue.source.sha256``; the archive reads it
from there (it hashes a file itself only to decide whether an unchanged file can be skipped, see
``archive/ingest._plan``), and every other hash of a source file or an output goes through here too.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def bytes_to_sha256(data: bytes) -> str:
    """The hex sha256 of bytes already read."""
    return hashlib.sha256(data).hexdigest()


def file_to_sha256(path: Path | str) -> str:
    """The hex sha256 of a file's bytes, read in 1 MiB chunks. Raises ``OSError`` when it cannot be read."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()
