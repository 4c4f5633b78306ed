"""Names and addresses before they go into a header: injections are rejected, never cleaned."""

from __future__ import annotations

import pytest

from toolkit.mail.addresses import Recipient, check_recipient, is_valid_address
from toolkit.model import Issue, Severity


@pytest.mark.parametrize(
    "address",
    [
        "toan@example.vn",
        "bi.thu+2023@chibo-cb01.quanuy.example",
        "NGUYEN_VAN.A@Lienchieu.DaNang.gov.vn",
    ],
)
def test_valid_addresses(address: str) -> None:
    assert is_valid_address(address)


@pytest.mark.parametrize(
    "address",
    [
        "",
        "toan",
        "toan@",
        "@example.vn",
        "toan@example",
        "toan@@example.vn",
        "toan..a@example.vn",
        ".toan@example.vn",
        "toản@example.vn",  # non-ASCII local part
        "toan@ví-dụ.vn",  # non-ASCII domain
        "Toản <toan@example.vn>",  # a whole name-addr, not an address
        "toan@example.vn, boss@evil.example",  # two addresses in one field
        "toan@example.vn;boss@evil.example",
        "toan @example.vn",
        "toan@-example.vn",
        '"toan"@example.vn',
        "a" * 250 + "@example.vn",
    ],
)
def test_invalid_addresses(address: str) -> None:
    assert not is_valid_address(address)


@pytest.mark.parametrize(
    ("name", "address"),
    [
        ("Nguyễn Văn Toản", "toan@example.vn\r\nBcc: all@evil.example"),
        ("Nguyễn Văn Toản", "toan@example.vn\n"),
        ("Nguyễn Văn Toản\r\nBcc: all@evil.example", "toan@example.vn"),
        ("Nguyễn Văn Toản\rX-Injected: 1", "toan@example.vn"),
        ("Nguyễn\x00Văn Toản", "toan@example.vn"),
        ("Nguyễn\u2028Văn Toản", "toan@example.vn"),  # Unicode line separator
        ("Nguyễn \u202enảoT", "toan@example.vn"),  # right-to-left override (a spoof)
        ("Nguyễn Văn Toản", "toan@example.vn\x0b"),
    ],
)
def test_line_breaks_and_control_characters_are_header_injection(name: str, address: str) -> None:
    checked = check_recipient(name, address, whom="CB01 — Chi bộ Trường THPT Liên Chiểu")
    assert isinstance(checked, Issue)
    assert checked.code == "mail-header-injection"
    assert checked.severity is Severity.ERROR
    assert "CB01 — Chi bộ Trường THPT Liên Chiểu" in checked.message
    # the offending value is shown escaped, so the report itself stays on one line
    assert "\n" not in checked.message and "\r" not in checked.message


def test_an_invalid_address_is_its_own_issue() -> None:
    checked = check_recipient("Lê Thị Hoa", "hoa.example.vn", whom="CB02")
    assert isinstance(checked, Issue) and checked.code == "mail-bad-address"
    assert checked.value == "hoa.example.vn"
    assert "hoa.example.vn" in checked.message and "hoa.example.vn" in checked.message_en


def test_spaces_around_are_trimmed_and_the_name_normalised() -> None:
    checked = check_recipient("  Lê   Thị\u00a0Hoa ", " hoa@example.vn ", whom="CB02")
    assert checked == Recipient(name="Lê Thị Hoa", email="hoa@example.vn")


def test_no_name_is_fine() -> None:
    assert check_recipient(None, "hoa@example.vn", whom="CB02") == Recipient("", "hoa@example.vn")
