"""A zip member's bytes as stored, read straight from the archive's bytes.

Both sides of the toolkit need them without ``ZipFile.open``: the reader, to inflate a part
itself and stop at its declared size (``workbooks.package``); the summary writer, to copy a
part still compressed into a new package (``outputs.splice``).
"""

from __future__ import annotations

import struct
import zipfile

_LOCAL_HEADER = b"PK\x03\x04"


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
