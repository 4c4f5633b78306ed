"""Typed exceptions of the library. The CLI turns them into exit code 2 and a clear message."""


class XeploaiError(Exception):
    """Lỗi của xeploai (cấu hình, tham số hoặc tệp)."""

    exit_code = 2


class ConfigError(XeploaiError):
    """Tệp cấu hình hoặc tệp quy tắc không hợp lệ."""


class InputError(XeploaiError):
    """Không đọc được tệp hoặc thư mục đầu vào."""


class OutputError(XeploaiError):
    """Không ghi được kết quả ra thư mục đích."""
