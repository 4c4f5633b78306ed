"""Zip archives read straight from their bytes, and written plainly.

Both sides of the toolkit need a member's bytes without ``ZipFile.open``: the reader, to inflate
a part itself and stop at its declared size (``workbooks.package``); the summary writer, to copy
a part still compressed into a new package (``outputs.splice``). The reader also needs every
name an archive gives a member (two libraries that pick different ones read different files),
and hands its parser a package it wrote itself (``stored_archive``).
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterable

_LOCAL_HEADER = b"PK\x03\x04"
_UTF8_NAME = 0x800
#: Info-ZIP's "Unicode Path" extra field: a UTF-8 name that readers honouring it use instead
_UNICODE_PATH = 0x7075


class StoredError(ValueError):
    """The member's local header is not where the central directory says, or its bytes stop
    short; the text says which."""


def stored_bytes(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """The bytes of member ``info`` as stored in the archive ``data`` (compressed or not).

    They follow the member's local header, whose name and extra field may differ in length
    from the central directory's: the local lengths are read.
    """
    start = info.header_offset
    if data[start : start + 4] != _LOCAL_HEADER:
        raise StoredError(f"{info.filename}: local header")
    name_len, extra_len = struct.unpack("<HH", data[start + 26 : start + 30])
    begin = start + 30 + name_len + extra_len
    raw = data[begin : begin + info.compress_size]
    if len(raw) < info.compress_size:
        raise StoredError(f"{info.filename}: truncated")
    return raw


def member_names(data: bytes, info: zipfile.ZipInfo) -> set[str]:
    """Every name the archive ``data`` gives member ``info``: the central directory's (whole,
    and as ``zipfile`` cuts it at a NUL), the local header's, and those of any Unicode Path
    extra field in either. One name in a sound archive; more, and readers disagree on the file.
    """
    start = info.header_offset
    if data[start : start + 4] != _LOCAL_HEADER:
        raise StoredError(f"{info.filename}: local header")
    flags, name_len, extra_len = (
        struct.unpack("<H", data[start + 6 : start + 8])[0],
        *struct.unpack("<HH", data[start + 26 : start + 30]),
    )
    local = data[start + 30 : start + 30 + name_len]
    if not extra_len and not info.extra and info.filename == info.orig_filename:
        # the usual member: no extra field, so only the local name can differ
        central = info.filename.encode("utf-8" if info.flag_bits & _UTF8_NAME else "cp437")
        if local == central and (flags ^ info.flag_bits) & _UTF8_NAME == 0:
            return {info.filename}
    local_extra = data[start + 30 + name_len : start + 30 + name_len + extra_len]
    names = {info.filename, info.orig_filename, _decoded(local, flags)}
    for extra in (info.extra, local_extra):
        if extra:
            names.update(_unicode_paths(extra))
    return names


def _decoded(name: bytes, flags: int) -> str:
    """A header's name as zip readers decode it: UTF-8 when flagged, else code page 437."""
    return name.decode("utf-8", "replace") if flags & _UTF8_NAME else name.decode("cp437")


def _unicode_paths(extra: bytes) -> list[str]:
    """The names given by Unicode Path fields (0x7075: version, CRC-32 of the header's name,
    the name in UTF-8) of one extra field; a field that runs past the end stops the walk."""
    found, at = [], 0
    while at + 4 <= len(extra):
        kind, size = struct.unpack("<HH", extra[at : at + 4])
        body = extra[at + 4 : at + 4 + size]
        if len(body) < size:
            break
        if kind == _UNICODE_PATH and size >= 5:
            found.append(body[5:].decode("utf-8", "replace"))
        at += 4 + size
    return found


def stored_archive(members: Iterable[tuple[str, bytes, int]]) -> bytes:
    """A zip of ``(name, content, CRC-32)`` members, stored without compression.

    What the spreadsheet parser is given to read: nothing in it to inflate, nothing but the
    parts named, each under one name. The CRCs are the ones the reader verified.
    """
    pieces: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, content, crc in members:
        encoded = name.encode("utf-8")
        # version 2.0, UTF-8 name, stored, 1980-01-01 00:00 (0x21): deterministic
        fields = struct.pack("<HHHHHIII", 20, _UTF8_NAME, 0, 0, 0x21, crc, len(content),
                             len(content))  # fmt: skip
        header = _LOCAL_HEADER + fields + struct.pack("<HH", len(encoded), 0) + encoded
        central.append(
            b"PK\x01\x02"
            + struct.pack("<H", 20)
            + fields
            + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, offset)
            + encoded
        )
        pieces += (header, content)
        offset += len(header) + len(content)
    directory = b"".join(central)
    end = b"PK\x05\x06" + struct.pack(
        "<HHHHIIH", 0, 0, len(central), len(central), len(directory), offset, 0
    )
    return b"".join((*pieces, directory, end))
