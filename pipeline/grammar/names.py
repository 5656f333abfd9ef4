"""Safe names: a title, a unit name or a file stem → one path component (the one safe-name function).

Every output name read by people goes through :func:`text_to_file_name`: the issue id made from the input's
file name (``run.issue_id_for``), the issue folder of the archive (``archive/ingest``), the readable export
names (units' calendars, tables, the source download: ``publish/export``). Position-derived object ids
(``doc-2/att-1``) are not text: ``publish/export.safe_name`` maps them to ASCII with a hash.

Guaranteed: the result is never empty, never contains ``/``, ``\\``, ``..``, control or line-separator
characters, nor path, shell or URL metacharacters; it never starts or ends with ``.``, ``_``, ``-`` or a
space; it is never a reserved Windows device name (``CON``, ``nul.txt`` … get the fallback as a prefix); it
is at most ``limit`` characters (or the fallback's length); Chinese (and every other letter) is kept; the
same text always gives the same name.
"""

from __future__ import annotations

import re

# control (C0, DEL, C1), line separators, BOM, path separators, Windows-forbidden, shell and URL metacharacters, spaces
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff/\\:*?\"<>|#%&{}$!'@+`=\s]+")
_DOTS = re.compile(r"\.{2,}")
_EDGES = "._- "
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))]
)


def text_to_file_name(text: str, fallback: str, *, limit: int = 60, joiner: str = "_") -> str:
    """``text`` as one safe path component: each run of unsafe characters → ``joiner``; ``fallback`` (itself a
    safe name) when nothing is left. ``区司法局`` → ``区司法局``; ``../../etc/passwd`` → ``etc_passwd``."""
    cleaned = _DOTS.sub(".", _UNSAFE.sub(joiner, text)).strip(_EDGES)[:limit].strip(_EDGES)
    if cleaned.partition(".")[0].upper() in _RESERVED:  # a device name on Windows, whatever its extension
        cleaned = f"{fallback}{joiner}{cleaned}"[:limit].rstrip(_EDGES)
    return cleaned or fallback
