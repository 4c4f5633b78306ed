"""mail.toml: the sample reads back, every mistake is a ConfigError naming the key, and the
password comes only from the environment variable the file names."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from toolkit.errors import ConfigError
from toolkit.mail.config import (
    DEFAULT_PASSWORD_ENV,
    Security,
    SmtpSettings,
    load_config,
    read_password,
    sample_config,
)

MINIMAL = """
[smtp]
host = "smtp.quanuy.example"

[sender]
name = "Ban Tổ chức Quận ủy"
email = "bantochuc@quanuy.example"

[[leaders]]
name = "Bí thư Quận ủy"
email = "bithu@quanuy.example"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mail.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_sample_config_reads_back_as_a_local_relay(tmp_path: Path) -> None:
    text = sample_config(
        leaders=[("Bí thư Quận ủy Liên Chiểu", "bithu@lienchieu.example")],
        sender_name="Ban Tổ chức Quận ủy Liên Chiểu",
        sender_email="bantochuc@lienchieu.example",
        port=2525,
        password_env="LIEN_CHIEU_SMTP_PASSWORD",
    )
    config = load_config(write(tmp_path, text))
    assert (config.smtp.host, config.smtp.port) == ("127.0.0.1", 2525)
    assert config.smtp.security is Security.PLAIN
    assert config.smtp.verify_certificate is True
    assert config.smtp.password_env == "LIEN_CHIEU_SMTP_PASSWORD"
    assert config.sender.name == "Ban Tổ chức Quận ủy Liên Chiểu"
    assert [(p.name, p.email) for p in config.leaders] == [
        ("Bí thư Quận ủy Liên Chiểu", "bithu@lienchieu.example")
    ]
    assert "LIEN_CHIEU_SMTP_PASSWORD" in text and "password =" not in text


def test_the_default_sample_has_leaders_and_the_password_variable(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, sample_config()))
    assert len(config.leaders) == 2
    assert config.smtp.password_env == DEFAULT_PASSWORD_ENV


def test_sample_values_are_escaped_as_toml_strings(tmp_path: Path) -> None:
    text = sample_config(sender_name='Ban "Tổ chức" \\ Quận ủy')
    assert tomllib.loads(text)["sender"]["name"] == 'Ban "Tổ chức" \\ Quận ủy'


def test_defaults_of_a_minimal_config(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL))
    assert config.smtp.security is Security.STARTTLS and config.smtp.port == 587
    assert config.smtp.verify_certificate and config.smtp.ca_file is None
    assert config.smtp.user is None and config.reply_to is None
    assert config.smtp.attempts == 4 and config.smtp.backoff_seconds == 2.0
    assert (config.smtp.timeout_seconds, config.smtp.message_timeout_seconds) == (30.0, 600.0)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("[smtp]", '[smtp]\npassword = "x"'), "khóa 'smtp.password' không hợp lệ"),
        (("[smtp]", '[smtp]\nsecurity = "ssl"'), "'smtp.security' phải là"),
        (("[smtp]", "[smtp]\nport = 70000"), "'smtp.port' phải là số cổng"),
        (("[smtp]", '[smtp]\nport = "25"'), "'smtp.port' phải là số cổng"),
        (("[smtp]", "[smtp]\nattempts = 0"), "'smtp.attempts' phải là số"),
        (("[smtp]", "[smtp]\nattempts = 2.5"), "'smtp.attempts' phải là số nguyên"),
        (("[smtp]", "[smtp]\nbackoff_seconds = -1"), "'smtp.backoff_seconds'"),
        (("[smtp]", "[smtp]\nmessage_timeout_seconds = 0"), "'smtp.message_timeout_seconds'"),
        (("[smtp]", '[smtp]\nverify_certificate = "no"'), "'smtp.verify_certificate'"),
        (("[smtp]", '[smtp]\nca_file = "missing.pem"'), "smtp.ca_file: không có tệp"),
        (('host = "smtp.quanuy.example"', ""), "thiếu 'smtp.host'"),
        (("[sender]", '[sender]\nsignature = "x"'), "khóa 'sender.signature'"),
        (('email = "bantochuc@quanuy.example"', ""), "thiếu địa chỉ thư 'sender.email'"),
        (("[[leaders]]", '[[leaders]]\nphone = "1"'), "khóa 'leaders[1].phone'"),
        (('email = "bithu@quanuy.example"', 'email = "bí.thư@quanuy"'), "[mail-bad-address]"),
        (("[smtp]", "[bcc]\nx = 1\n[smtp]"), "khóa 'bcc' không hợp lệ"),
        (("[smtp]", '[message]\ntemplates_dir = "nowhere"\n[smtp]'), "templates_dir"),
    ],
)
def test_mistakes_are_config_errors_naming_the_key(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in MINIMAL
    path = write(tmp_path, MINIMAL.replace(old, new, 1))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert expected in str(caught.value)
    assert str(path) in str(caught.value)


def test_no_leaders_is_a_config_error(tmp_path: Path) -> None:
    text = MINIMAL.split("[[leaders]]")[0]
    with pytest.raises(ConfigError, match=r"cần ít nhất một bảng \[\[leaders\]\]"):
        load_config(write(tmp_path, text))


def test_a_leader_name_with_a_line_break_is_rejected_as_header_injection(
    tmp_path: Path,
) -> None:
    text = MINIMAL.replace('name = "Bí thư Quận ủy"', 'name = "Bí thư\\r\\nBcc: x@evil.example"')
    with pytest.raises(ConfigError, match=r"\[mail-header-injection\]"):
        load_config(write(tmp_path, text))


def test_duplicate_leaders_are_listed_once(tmp_path: Path) -> None:
    text = MINIMAL + '\n[[leaders]]\nname = "Lặp"\nemail = "BITHU@quanuy.example"\n'
    assert len(load_config(write(tmp_path, text)).leaders) == 1


def test_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs" / "ca.pem").write_text("x", encoding="utf-8")
    (tmp_path / "mau-thu").mkdir()
    text = MINIMAL.replace(
        "[smtp]", '[message]\ntemplates_dir = "mau-thu"\n[smtp]\nca_file = "certs/ca.pem"'
    )
    config = load_config(write(tmp_path, text))
    assert config.smtp.ca_file == (tmp_path / "certs" / "ca.pem").resolve()
    assert config.templates_dir == (tmp_path / "mau-thu").resolve()


def test_no_login_in_clear_text_to_a_remote_relay(tmp_path: Path) -> None:
    text = MINIMAL.replace("[smtp]", '[smtp]\nsecurity = "plain"\nuser = "bantochuc"')
    with pytest.raises(ConfigError, match="không mã hóa"):
        load_config(write(tmp_path, text))
    local = text.replace("smtp.quanuy.example", "127.0.0.1")
    assert load_config(write(tmp_path, local)).smtp.user == "bantochuc"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[smtp\nhost=", "sai cú pháp TOML"),
        (None, "Không tìm thấy tệp cấu hình thư"),
    ],
)
def test_unreadable_files(tmp_path: Path, text: str | None, expected: str) -> None:
    path = tmp_path / "mail.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=expected):
        load_config(path)


def test_the_password_comes_from_the_named_variable_only() -> None:
    settings = SmtpSettings(host="h", port=587, user="bantochuc", password_env="MY_SMTP_PW")
    assert read_password(settings, {"MY_SMTP_PW": "bí-mật"}) == "bí-mật"
    with pytest.raises(ConfigError) as caught:
        read_password(settings, {DEFAULT_PASSWORD_ENV: "not this one"})
    assert "MY_SMTP_PW" in str(caught.value) and "not this one" not in str(caught.value)


def test_no_user_needs_no_password() -> None:
    assert read_password(SmtpSettings(host="h", port=25), {}) is None
