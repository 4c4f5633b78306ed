"""``mail.toml``: the relay, the sender and the leaders, read into frozen values.

Every key is checked: an unknown table or key, a value of the wrong type, a leader's address
that is not valid is a ``ConfigError`` naming the file and the key (exit code 2). The password
is never in this file: ``smtp.password_env`` names the environment variable that holds it, and
``read_password`` is the one place that reads it.
"""

from __future__ import annotations

import enum
import ipaddress
import json
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import ConfigError, os_reason
from toolkit.mail.addresses import Recipient, check_recipient
from toolkit.model import Issue

DEFAULT_PASSWORD_ENV = "XEPLOAI_SMTP_PASSWORD"


class Security(enum.Enum):
    """How the connection to the relay is protected."""

    STARTTLS = "starttls"  # plain connection upgraded with STARTTLS (port 587)
    TLS = "tls"  # TLS from the first byte, "SMTPS" (port 465)
    PLAIN = "plain"  # no encryption: only for a relay on this machine or a trusted LAN

    @property
    def default_port(self) -> int:
        return {Security.STARTTLS: 587, Security.TLS: 465, Security.PLAIN: 25}[self]


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to connect, and how hard to retry a temporary failure."""

    host: str
    port: int
    security: Security = Security.STARTTLS
    user: str | None = None
    password_env: str = DEFAULT_PASSWORD_ENV
    #: certificate and host name checks; off only for a test relay with a self-signed cert
    verify_certificate: bool = True
    #: extra trusted CA certificates (PEM), e.g. the agency's own CA
    ca_file: Path | None = None
    #: the longest wait for one reply of the server (however many lines it sends)
    timeout_seconds: float = 30.0
    #: the longest time one message may take, from MAIL FROM to the reply after its last byte
    message_timeout_seconds: float = 600.0
    #: tries per message, the first one included
    attempts: int = 4
    #: wait before the second try; doubled before each further try
    backoff_seconds: float = 2.0


@dataclass(frozen=True)
class MailConfig:
    """The whole of ``mail.toml``."""

    smtp: SmtpSettings
    sender: Recipient
    leaders: tuple[Recipient, ...]
    reply_to: str | None = None
    #: a folder of the district's own ``mail_*.j2`` templates, searched before the packaged ones
    templates_dir: Path | None = None
    source: str = "mail.toml"


_TABLES: dict[str, frozenset[str]] = {
    "smtp": frozenset(
        {
            "host",
            "port",
            "security",
            "user",
            "password_env",
            "verify_certificate",
            "ca_file",
            "timeout_seconds",
            "message_timeout_seconds",
            "attempts",
            "backoff_seconds",
        }
    ),
    "sender": frozenset({"name", "email", "reply_to"}),
    "leaders": frozenset({"name", "email"}),
    "message": frozenset({"templates_dir"}),
}
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def load_config(path: str | Path) -> MailConfig:
    """Read and check ``mail.toml``; relative paths in it are relative to the file."""
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"Không tìm thấy tệp cấu hình thư {file}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Tệp cấu hình thư {file} sai cú pháp TOML: {exc}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Không đọc được tệp cấu hình thư {file}: {os_reason(exc)}.") from None
    return parse_config(data, source=str(file), base_dir=file.parent)


def parse_config(data: Mapping[str, Any], *, source: str, base_dir: Path) -> MailConfig:
    """Check the parsed TOML ``data`` of the file named ``source``."""
    for key in data:
        if key not in _TABLES:
            raise ConfigError(
                f"{source}: khóa '{key}' không hợp lệ; tệp cấu hình thư gồm các bảng "
                "[smtp], [sender], [[leaders]] và [message]."
            )
    smtp = _smtp(_table(data, "smtp", source), source, base_dir)
    sender_table = _table(data, "sender", source)
    sender = _person(sender_table, "sender", source)
    reply_to = _optional_str(sender_table, "reply_to", "sender", source)
    if reply_to is not None:
        reply_to = _person({"email": reply_to}, "sender.reply_to", source).email
    leaders_raw = data.get("leaders")
    if not isinstance(leaders_raw, list) or not leaders_raw:
        raise ConfigError(
            f"{source}: cần ít nhất một bảng [[leaders]] (name, email) của lãnh đạo nhận tệp "
            "tổng hợp và báo cáo."
        )
    leaders: list[Recipient] = []
    for index, entry in enumerate(leaders_raw, start=1):
        if not isinstance(entry, dict):
            raise ConfigError(f"{source}: leaders[{index}] phải là bảng [[leaders]].")
        _check_keys(entry, "leaders", f"leaders[{index}]", source)
        leader = _person(entry, f"leaders[{index}]", source)
        if leader.key not in {known.key for known in leaders}:
            leaders.append(leader)
    message = _table(data, "message", source, required=False)
    templates = _optional_str(message, "templates_dir", "message", source)
    templates_dir = None
    if templates is not None:
        templates_dir = (base_dir / templates).resolve()
        if not templates_dir.is_dir():
            raise ConfigError(f"{source}: message.templates_dir: không có thư mục {templates_dir}.")
    return MailConfig(
        smtp=smtp,
        sender=sender,
        leaders=tuple(leaders),
        reply_to=reply_to,
        templates_dir=templates_dir,
        source=source,
    )


def read_password(settings: SmtpSettings, environ: Mapping[str, str] = os.environ) -> str | None:
    """The relay password from the environment, or None when no ``user`` is configured."""
    if settings.user is None:
        return None
    password = environ.get(settings.password_env, "")
    if not password:
        raise ConfigError(
            f"Chưa đặt mật khẩu thư: hãy đặt biến môi trường {settings.password_env} "
            f"(mật khẩu của tài khoản {settings.user}) rồi chạy lại."
        )
    return password


def sample_config(
    *,
    leaders: Sequence[tuple[str, str]] = (
        ("Bí thư Quận ủy", "bithu@quanuy.example"),
        ("Trưởng Ban Tổ chức Quận ủy", "truongban@quanuy.example"),
    ),
    sender_name: str = "Ban Tổ chức Quận ủy",
    sender_email: str = "bantochuc@quanuy.example",
    host: str = "127.0.0.1",
    port: int = 1025,
    password_env: str = DEFAULT_PASSWORD_ENV,
) -> str:
    """The text of a sample ``mail.toml``: a local relay on ``host:port``, the leaders, and
    the name of the password variable. ``load_config`` reads it back unchanged."""
    lines = [
        "# Cấu hình gửi thư của xeploai: xeploai mail THU-MUC-KET-QUA --config mail.toml",
        "# Xem trước mà không gửi: xeploai mail THU-MUC-KET-QUA --config mail.toml --dry-run thu",
        "",
        "[smtp]",
        f"host = {_toml_str(host)}",
        f"port = {int(port)}",
        '# "starttls" (cổng 587), "tls" (cổng 465) hoặc "plain" (chỉ máy chủ thư nội bộ)',
        'security = "plain"',
        "# user = " + _toml_str(sender_email),
        "# Mật khẩu không bao giờ ghi trong tệp này: đặt nó vào biến môi trường dưới đây.",
        f"password_env = {_toml_str(password_env)}",
        "verify_certificate = true",
        "# ca_file = " + _toml_str("ca.pem"),
        "attempts = 4",
        "backoff_seconds = 2.0",
        "",
        "[sender]",
        f"name = {_toml_str(sender_name)}",
        f"email = {_toml_str(sender_email)}",
    ]
    for name, email in leaders:
        lines += ["", "[[leaders]]", f"name = {_toml_str(name)}", f"email = {_toml_str(email)}"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------


def _toml_str(text: str) -> str:
    # a JSON string is a TOML basic string, except that TOML wants DEL escaped too
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _table(
    data: Mapping[str, Any], name: str, source: str, *, required: bool = True
) -> Mapping[str, Any]:
    table = data.get(name)
    if table is None and not required:
        return {}
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: thiếu bảng [{name}].")
    _check_keys(table, name, name, source)
    return table


def _check_keys(table: Mapping[str, Any], kind: str, where: str, source: str) -> None:
    for key in table:
        if key not in _TABLES[kind]:
            allowed = ", ".join(sorted(_TABLES[kind]))
            raise ConfigError(
                f"{source}: khóa '{where}.{key}' không hợp lệ (các khóa được dùng: {allowed})."
            )


def _person(table: Mapping[str, Any], where: str, source: str) -> Recipient:
    email = table.get("email")
    if not isinstance(email, str) or not email.strip():
        raise ConfigError(f"{source}: thiếu địa chỉ thư '{where}.email'.")
    name = table.get("name", "")
    if not isinstance(name, str):
        raise ConfigError(f"{source}: '{where}.name' phải là chuỗi ký tự.")
    checked: Recipient | Issue = check_recipient(name, email, whom=where)
    if isinstance(checked, Issue):
        raise ConfigError(f"{source}: [{checked.code}] {checked.message}")
    return checked


def _optional_str(table: Mapping[str, Any], key: str, where: str, source: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{source}: '{where}.{key}' phải là chuỗi ký tự không rỗng.")
    return value.strip()


def _number(
    table: Mapping[str, Any], key: str, default: float, source: str, *, minimum: float
) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
        raise ConfigError(f"{source}: 'smtp.{key}' phải là số không nhỏ hơn {minimum:g}.")
    return float(value)


def _smtp(table: Mapping[str, Any], source: str, base_dir: Path) -> SmtpSettings:
    host = _optional_str(table, "host", "smtp", source)
    if host is None:
        raise ConfigError(f"{source}: thiếu 'smtp.host' (máy chủ thư).")
    raw_security = table.get("security", Security.STARTTLS.value)
    try:
        security = Security(raw_security)
    except ValueError:
        raise ConfigError(
            f'{source}: \'smtp.security\' phải là "starttls", "tls" hoặc "plain", '
            f"không phải {raw_security!r}."
        ) from None
    port = table.get("port", security.default_port)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise ConfigError(f"{source}: 'smtp.port' phải là số cổng từ 1 đến 65535.")
    user = _optional_str(table, "user", "smtp", source)
    password_env = _optional_str(table, "password_env", "smtp", source) or DEFAULT_PASSWORD_ENV
    if user is not None and security is Security.PLAIN and not _is_loopback(host):
        raise ConfigError(
            f"{source}: không đăng nhập qua kết nối không mã hóa tới {host} (mật khẩu sẽ đi "
            'dạng rõ trên mạng): hãy dùng security = "starttls" hoặc "tls".'
        )
    verify = table.get("verify_certificate", True)
    if not isinstance(verify, bool):
        raise ConfigError(f"{source}: 'smtp.verify_certificate' phải là true hoặc false.")
    ca = _optional_str(table, "ca_file", "smtp", source)
    ca_file = None
    if ca is not None:
        ca_file = (base_dir / ca).resolve()
        if not ca_file.is_file():
            raise ConfigError(f"{source}: smtp.ca_file: không có tệp {ca_file}.")
    attempts = _number(table, "attempts", 4, source, minimum=1)
    if attempts != int(attempts):
        raise ConfigError(f"{source}: 'smtp.attempts' phải là số nguyên.")
    return SmtpSettings(
        host=host,
        port=port,
        security=security,
        user=user,
        password_env=password_env,
        verify_certificate=verify,
        ca_file=ca_file,
        timeout_seconds=_number(table, "timeout_seconds", 30.0, source, minimum=0.1),
        message_timeout_seconds=_number(table, "message_timeout_seconds", 600.0, source, minimum=1),
        attempts=int(attempts),
        backoff_seconds=_number(table, "backoff_seconds", 2.0, source, minimum=0),
    )


def _is_loopback(host: str) -> bool:
    if host.casefold() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
