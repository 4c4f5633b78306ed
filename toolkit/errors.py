"""Typed exceptions of the library. The CLI turns them into exit code 2 and a clear message."""

from __future__ import annotations

import errno


class XeploaiError(Exception):
    """Lỗi của xeploai (cấu hình, tham số hoặc tệp)."""

    exit_code = 2


class ConfigError(XeploaiError):
    """Tệp cấu hình hoặc tệp quy tắc không hợp lệ."""


class InputError(XeploaiError):
    """Không đọc được tệp hoặc thư mục đầu vào."""


class OutputError(XeploaiError):
    """Không ghi được kết quả ra thư mục đích."""


_NO_RIGHT = (
    "không có quyền: tệp đang mở trong Excel hay chương trình khác, hoặc thư mục chỉ cho đọc?"
)
#: the system's reasons a user meets most, in Vietnamese
_OS_REASONS = {
    errno.EACCES: _NO_RIGHT,
    errno.EPERM: _NO_RIGHT,
    errno.ENOSPC: "hết chỗ trống trên đĩa",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENOENT: "không tìm thấy",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
    errno.ENAMETOOLONG: "tên hoặc đường dẫn quá dài",
}


def os_reason(exc: BaseException, *, name_file: bool = True) -> str:
    """Why a file could not be read or written: for the usual system errors in Vietnamese,
    with the system's own words and (``name_file``) the file it names in brackets; any other
    exception (a file that is not valid UTF-8, TOML, JSON...) in its own words."""
    if not isinstance(exc, OSError):
        return str(exc) or type(exc).__name__
    said = exc.strerror or type(exc).__name__
    if name_file and exc.filename:
        said = f"{said}; tệp «{exc.filename}»"
    vi = _OS_REASONS.get(exc.errno or 0)
    return f"{vi} ({said})" if vi else said
