"""Open a package — an output folder, or a .zip of one — without trusting anything in it.

A package arrives by e-mail from another committee: a .zip is read with the defences of a
returned workbook (size, entry count and ratio limits checked before anything is inflated,
each member inflated never beyond its declared size with its CRC checked, no absolute or
``..`` paths, no links, no encryption); a folder is read only through paths its manifest
lists, each checked to stay inside the folder and to be a plain file, never a link.
``Rejected`` (the workbook reader's) carries the issue code and its parameters.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.workbooks.package import Rejected, inflate_member

MANIFEST = "manifest.json"
#: a .zip read into memory; a national package of counts is a few tens of MB
MAX_ZIP_BYTES = 512 * 1024 * 1024
#: the inflated size of all a .zip's members (a city's aggregate output is about 300 MB)
MAX_UNPACKED = 2 * 1024 * 1024 * 1024
#: members of one .zip: a city's output holds about 2,000 files
MAX_ENTRIES = 50_000
#: members above this size must not compress better than MAX_RATIO
RATIO_CHECK_FROM = 1024 * 1024
MAX_RATIO = 200
#: manifest.json itself (a city's lists about 2,000 files: well under a megabyte)
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
#: ket-qua.json: a city's aggregate results are about 40 MB
MAX_RESULTS_BYTES = 1024 * 1024 * 1024
_BLOCK = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")


def safe_relative(name: str) -> bool:
    """A path inside a package as a manifest or a .zip may name it: relative, with ``/``,
    no ``..``, no empty or ``.`` part, no drive letter, no backslash or NUL."""
    if not name or name.startswith("/") or "\\" in name or "\x00" in name or _DRIVE.match(name):
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


@dataclass
class FolderSource:
    """An output folder on disk."""

    root: Path
    name: str

    def sha256(self, relative: str) -> tuple[str, int] | None:
        """The SHA-256 and size of a listed file, streamed; None when it is not there."""
        path = self._path(relative)
        if path is None:
            return None
        digest = hashlib.sha256()
        size = 0
        with path.open("rb") as stream:
            while block := stream.read(_BLOCK):
                digest.update(block)
                size += len(block)
        return digest.hexdigest(), size

    def read(self, relative: str, limit: int) -> bytes | None:
        path = self._path(relative)
        if path is None:
            return None
        if path.stat().st_size > limit:
            raise Rejected("rollup-package-unsafe", relative, reason=f"«{relative}» quá lớn")
        return path.read_bytes()

    def _path(self, relative: str) -> Path | None:
        if not safe_relative(relative):
            raise Rejected(
                "rollup-manifest-invalid", relative, reason=f"ghi đường dẫn «{relative}»"
            )
        path = self.root.joinpath(*relative.split("/"))
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise Rejected("rollup-package-unreadable", relative, reason=str(exc)) from None
        # a link, even one pointing inside, is never followed: it could change between reads
        if not stat.S_ISREG(mode) or not path.resolve().is_relative_to(self.root.resolve()):
            raise Rejected("rollup-package-unsafe", relative, reason=f"«{relative}» là liên kết")
        return path


@dataclass
class ZipSource:
    """A .zip of an output folder, held in memory; its members inflated only when read."""

    data: bytes
    name: str
    #: member name without the archive's top folder → its entry
    entries: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    def sha256(self, relative: str) -> tuple[str, int] | None:
        content = self._content(relative)
        if content is None:
            return None
        return hashlib.sha256(content).hexdigest(), len(content)

    def read(self, relative: str, limit: int) -> bytes | None:
        info = self.entries.get(relative)
        if info is not None and info.file_size > limit:
            raise Rejected("rollup-package-unsafe", relative, reason=f"«{relative}» quá lớn")
        return self._content(relative)

    def _content(self, relative: str) -> bytes | None:
        info = self.entries.get(relative)
        if info is None:
            return None
        try:
            return inflate_member(self.data, info)
        except Rejected as rejected:
            reason = rejected.params.get("reason") or f"«{relative}»: {rejected.code}"
            raise Rejected("rollup-package-unsafe", relative, reason=reason) from None


Source = FolderSource | ZipSource


def open_source(path: Path) -> Source:
    """The package at ``path`` (a folder or a .zip), checked as far as can be without its
    manifest; ``Rejected`` when it cannot be opened at all."""
    name = str(path)
    try:
        if path.is_dir():
            return FolderSource(path, name)
        with path.open("rb") as stream:
            data = stream.read(MAX_ZIP_BYTES + 1)
    except OSError as exc:
        raise Rejected("rollup-package-unreadable", name, reason=exc.strerror or str(exc)) from None
    if len(data) > MAX_ZIP_BYTES:
        raise Rejected("rollup-package-unsafe", name, reason=f"tệp lớn hơn {MAX_ZIP_BYTES} byte")
    if not data.startswith(b"PK"):
        raise Rejected(
            "rollup-package-unreadable", name, reason="không phải thư mục kết quả hay tệp .zip"
        )
    return ZipSource(data, name, _entries(data))


def _entries(data: bytes) -> dict[str, zipfile.ZipInfo]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise Rejected("rollup-package-unreadable", reason=f"tệp nén hỏng ({exc})") from None
    if len(infos) > MAX_ENTRIES:
        raise Rejected("rollup-package-unsafe", reason=f"hơn {MAX_ENTRIES} tệp")
    names: set[str] = set()
    total = 0
    files: list[zipfile.ZipInfo] = []
    for info in infos:
        name = info.filename
        if info.flag_bits & 0x1:
            raise Rejected("rollup-package-unsafe", reason="tệp nén có mật khẩu")
        if not safe_relative(name.rstrip("/") if info.is_dir() else name):
            raise Rejected("rollup-package-unsafe", reason=f"đường dẫn «{name}» ra ngoài thư mục")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise Rejected("rollup-package-unsafe", reason=f"«{name}» là liên kết")
        if name.casefold() in names:
            raise Rejected("rollup-package-unsafe", reason=f"«{name}» có hai lần")
        names.add(name.casefold())
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECK_FROM and ratio > MAX_RATIO:
            raise Rejected("rollup-package-unsafe", reason=f"«{name}» nén quá {MAX_RATIO} lần")
        if not info.is_dir():
            files.append(info)
    if total > MAX_UNPACKED:
        raise Rejected("rollup-package-unsafe", reason=f"giải nén quá {MAX_UNPACKED} byte")
    prefix = _top_folder(files)
    return {info.filename[len(prefix) :]: info for info in files}


def _top_folder(files: list[zipfile.ZipInfo]) -> str:
    """ "" when manifest.json is at the archive's root; "<folder>/" when every member is in
    one folder that holds it (what zipping a folder gives)."""
    names = [info.filename for info in files]
    if MANIFEST in names:
        return ""
    tops = {posixpath.dirname(n).split("/")[0] for n in names if "/" in n}
    if len(tops) == 1 and all("/" in n for n in names):
        top = tops.pop() + "/"
        if top + MANIFEST in names:
            return top
    return ""
