"""What the system says when a file cannot be read or written, told to a Vietnamese user."""

from __future__ import annotations

import errno

from toolkit.errors import os_reason


def test_a_common_reason_is_in_vietnamese_with_the_systems_words_and_the_file() -> None:
    locked = PermissionError(errno.EACCES, "Permission denied", "ket-qua/tong-hop.xlsx")
    assert os_reason(locked) == (
        "không có quyền: tệp đang mở trong Excel hay chương trình khác, hoặc thư mục chỉ cho "
        "đọc? (Permission denied; tệp «ket-qua/tong-hop.xlsx»)"
    )
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == (
        "hết chỗ trống trên đĩa (No space left on device)"
    )


def test_a_rare_reason_keeps_the_systems_words_and_the_file_may_be_left_out() -> None:
    odd = OSError(errno.EIO, "Input/output error", "hop-thu/a.xlsx")
    assert os_reason(odd) == "Input/output error; tệp «hop-thu/a.xlsx»"
    assert os_reason(odd, name_file=False) == "Input/output error"
    assert os_reason(OSError("no errno at all")) == "OSError"
    # not a system error (a file that is not UTF-8, TOML or JSON): its own words
    assert os_reason(ValueError("Invalid value (at line 3)")) == "Invalid value (at line 3)"
