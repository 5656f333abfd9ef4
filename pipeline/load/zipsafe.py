"""Safe reading of zip containers (OFD and DOCX): every member checked before a byte is inflated.

Reads: a zip file (an OFD package, GB/T 33190, or an Office Open XML ``.docx``).
Writes: nothing; :class:`SafeZip` hands out member bytes and parsed XML trees.
Guaranteed after :func:`open_zip`:
  1. the central directory was read: a truncated or corrupt zip is ``E017``;
  2. no member name is absolute, contains ``..`` or a drive letter (path traversal) — ``E013``;
  3. no member declares more than ``MAX_MEMBER_BYTES``, the members together no more than
     ``MAX_TOTAL_BYTES``, no large member a compression ratio above ``MAX_RATIO``, and there are at most
     ``MAX_MEMBERS`` members (zip bombs) — ``E012``. ``zipfile`` never inflates more than a member's
     declared size, so the declared sizes bound the memory used;
  4. XML is parsed without entity expansion, DTD loading or network access; a document declaring
     entities, larger than ``MAX_XML_BYTES`` or not well-formed is ``E015``;
  5. a required part that is absent is ``E014``.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from types import TracebackType

from lxml import etree

from pipeline.errors import Code, GazetteError
from pipeline.i18n import pick

MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 256 * 1024 * 1024  # declared uncompressed size of one member
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # declared uncompressed size of all members
MAX_RATIO = 200.0  # uncompressed / compressed, for members above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_XML_BYTES = 64 * 1024 * 1024

_DRIVE = re.compile(r"^[A-Za-z]:")
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)


def unsafe_name(name: str) -> bool:
    """Whether a member name could escape the extraction folder (absolute, ``..``, a drive, a backslash path)."""
    norm = name.replace("\\", "/")
    if norm.startswith("/") or _DRIVE.match(norm):
        return True
    return any(part == ".." for part in norm.split("/"))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )


def parse_xml(data: bytes, shown: str, part: str) -> etree._Element:
    """Parse one XML part safely (see guarantee 4). Raises ``GazetteError`` E015."""
    if len(data) > MAX_XML_BYTES:
        raise GazetteError(
            Code.E015, shown, pick(f"XML 部件 {part} 过大（{len(data)} 字节）", f"XML part {part} is too large")
        )
    if _ENTITY_DECL.search(data[:65536]):
        raise GazetteError(
            Code.E015,
            shown,
            pick(f"XML 部件 {part} 声明了实体（拒绝实体扩展）", f"XML part {part} declares entities (refused)"),
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise GazetteError(
            Code.E015, shown, pick(f"XML 部件 {part} 格式错误：{exc}", f"XML part {part} is not well-formed: {exc}")
        ) from None
    if root is None:
        raise GazetteError(Code.E015, shown, pick(f"XML 部件 {part} 为空", f"XML part {part} is empty"))
    return root


class SafeZip:
    """An opened, checked zip container. Use :func:`open_zip`; close it (or use ``with``)."""

    def __init__(self, zf: zipfile.ZipFile, shown: str) -> None:
        self._zf = zf
        self.shown = shown
        self._names = {info.filename: info for info in zf.infolist() if not info.is_dir()}
        self._folded = {name.lower(): name for name in self._names}

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._zf.close()

    @property
    def names(self) -> list[str]:
        return list(self._names)

    def find(self, name: str) -> str | None:
        """The member called ``name`` (a leading ``/`` ignored; case-insensitive fallback), or None."""
        key = posixpath.normpath(name.replace("\\", "/").lstrip("/"))
        if key in self._names:
            return key
        return self._folded.get(key.lower())

    def has(self, name: str) -> bool:
        return self.find(name) is not None

    def read(self, name: str) -> bytes:
        """The bytes of a member. Raises E014 when it is absent, E017 when it cannot be inflated."""
        member = self.find(name)
        if member is None:
            raise GazetteError(Code.E014, self.shown, pick(f"缺少必需部件 {name}", f"required part {name} is missing"))
        try:
            return self._zf.read(member)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise GazetteError(
                Code.E017,
                self.shown,
                pick(f"压缩包部件 {member} 损坏：{exc}", f"zip member {member} is corrupt: {exc}"),
            ) from None

    def xml(self, name: str) -> etree._Element:
        """A member parsed as XML (E014 absent, E017 corrupt, E015 unsafe or malformed XML)."""
        return parse_xml(self.read(name), self.shown, name)


def _check_members(infos: list[zipfile.ZipInfo], shown: str) -> None:
    if len(infos) > MAX_MEMBERS:
        raise GazetteError(
            Code.E012, shown, pick(f"压缩包成员过多（{len(infos)} 个）", f"too many zip members ({len(infos)})")
        )
    total = 0
    for info in infos:
        if unsafe_name(info.filename):
            raise GazetteError(
                Code.E013,
                shown,
                pick(f"压缩包成员路径不安全：{info.filename!r}", f"unsafe member path (traversal): {info.filename!r}"),
            )
        size = info.file_size
        total += size
        if size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise GazetteError(
                Code.E012,
                shown,
                pick(
                    f"疑似压缩炸弹：成员 {info.filename} 声明解压后 {size} 字节",
                    f"zip bomb suspected: member {info.filename} declares {size} bytes",
                ),
            )
        if size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
            raise GazetteError(
                Code.E012,
                shown,
                pick(
                    f"疑似压缩炸弹：成员 {info.filename} 压缩比 {size / max(info.compress_size, 1):.0f}",
                    f"zip bomb suspected: member {info.filename} has compression ratio "
                    f"{size / max(info.compress_size, 1):.0f}",
                ),
            )


def open_zip(path: Path) -> SafeZip:
    """Open and check a zip container (guarantees 1–3). Raises ``GazetteError`` E012/E013/E017 (E001 unreadable)."""
    shown = str(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as exc:
        raise GazetteError(
            Code.E017, shown, pick(f"压缩包损坏或被截断：{exc}", f"corrupt or truncated zip container: {exc}")
        ) from None
    except OSError as exc:
        raise GazetteError(Code.E001, shown, f"cannot be read: {exc.strerror or type(exc).__name__}") from None
    try:
        _check_members(zf.infolist(), shown)
    except GazetteError:
        zf.close()
        raise
    return SafeZip(zf, shown)
