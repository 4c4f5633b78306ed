"""The messages themselves: Vietnamese headers and bodies, attachment names a mail client shows
in Vietnamese (with an ASCII fallback), escaped HTML, 7-bit lines, the same bytes every time."""

from __future__ import annotations

import datetime as _dt
import email
import email.policy
from pathlib import Path

import pytest
from test_mail_support import (
    CellSpec,
    addresses,
    attachment_names,
    attachments,
    bodies,
    build_out,
    header_text,
    write_config,
)

from toolkit.demo.run import run_demo
from toolkit.errors import ConfigError
from toolkit.mail.compose import (
    ICT,
    ComposedMessage,
    ascii_fallback,
    compose_message,
    content_disposition,
    mail_environment,
)
from toolkit.mail.config import load_config
from toolkit.mail.folder import read_results
from toolkit.mail.plan import LEADERS_MAIL_LIMIT, plan_messages

DATE = _dt.datetime(2024, 1, 15, 8, 30, tzinfo=ICT)


def compose_all(
    out: Path,
    tmp_path: Path,
    *,
    date: _dt.datetime = DATE,
    extra: str = "",
    leaders: list[tuple[str, str]] | None = None,
) -> list[ComposedMessage]:
    config = load_config(write_config(tmp_path / "mail.toml", 2525, extra=extra, leaders=leaders))
    folder = read_results(out)
    plan = plan_messages(folder, config.leaders)
    env = mail_environment(config.templates_dir)
    return [compose_message(m, folder, config, date=date, env=env) for m in plan.messages]


def test_leaders_message_headers_and_attachments(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    leaders = compose_all(out, tmp_path)[0]
    message = email.message_from_bytes(leaders.data, policy=email.policy.compat32)
    assert header_text(message, "Subject") == (
        "Kết quả đánh giá, xếp loại chất lượng năm 2023 — Quận ủy Liên Chiểu"
    )
    assert addresses(message, "From") == [
        ("Ban Tổ chức Quận ủy Liên Chiểu", "bantochuc@quanuy.example")
    ]
    assert addresses(message, "To") == [
        ("Đồng chí Bí thư Quận ủy", "bithu@quanuy.example"),
        ("Trưởng Ban Tổ chức Quận ủy Liên Chiểu", "truongban@quanuy.example"),
    ]
    assert message["Date"] == "Mon, 15 Jan 2024 08:30:00 +0700"
    assert message["Message-ID"] == leaders.message_id
    assert message["MIME-Version"] == "1.0"
    received = attachments(message)
    assert received == {
        "Tổng hợp xếp loại năm 2023.xlsx": (out / "tong-hop.xlsx").read_bytes(),
        "Báo cáo xếp loại năm 2023.html": (out / "bao-cao.html").read_bytes(),
    }


def test_the_parts_are_text_then_html_then_the_attachments(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    secretary = compose_all(out, tmp_path)[1]
    message = email.message_from_bytes(secretary.data, policy=email.policy.default)
    assert [p.get_content_type() for p in message.walk()] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]
    text = bodies(message)
    assert text["text/plain"].startswith(
        "Kính gửi đồng chí Nguyễn Văn Toản, Bí thư Chi bộ Trường THPT Liên Chiểu,"
    )
    assert "Hồ sơ của chi bộ hợp lệ" in text["text/plain"]
    assert '<html lang="vi">' in text["text/html"]
    assert "Nguyễn Văn Toản" in text["text/html"]


def test_attachment_names_are_rfc2231_with_an_ascii_fallback(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    secretary = compose_all(out, tmp_path)[1]
    message = email.message_from_bytes(secretary.data, policy=email.policy.compat32)
    (part,) = [p for p in message.walk() if p.get_content_disposition() == "attachment"]
    vietnamese, fallback = attachment_names(part)
    assert vietnamese == "Kết quả xếp loại năm 2023 - CB01 - Chi bộ Trường THPT Liên Chiểu.xlsx"
    assert fallback.isascii() and fallback.endswith(".xlsx")
    assert fallback == "CB01 - Chi bo Truong THPT Lien Chieu.xlsx"  # the title left out
    assert part["Content-Transfer-Encoding"] == "base64"


@pytest.mark.parametrize(
    "name",
    [
        "Kết quả.xlsx",
        "Báo cáo xếp loại năm 2023 - Đảng bộ Khối Doanh nghiệp thành phố Đà Nẵng - rất dài "
        "để phải chia thành nhiều dòng.xlsx",
        "tên có 'nháy' và \"ngoặc\" và % và * và ;.html",
        "Ưu tiên ưng ý ỹ ỵ ữ.xlsx",
    ],
)
def test_content_disposition_round_trips_any_name(name: str) -> None:
    raw = f"Content-Disposition: {content_disposition(name)}\r\n\r\n".encode("ascii")
    part = email.message_from_bytes(raw, policy=email.policy.compat32)
    assert attachment_names(part) == (name, ascii_fallback(name))
    assert all(len(line) <= 76 for line in raw.split(b"\r\n"))


def test_ascii_fallback_keeps_the_extension_and_drops_quotes() -> None:
    assert ascii_fallback('Đảng bộ "Hòa Khánh".xlsx') == "Dang bo _Hoa Khanh_.xlsx"
    assert len(ascii_fallback("Ư" * 200 + ".xlsx")) == 62


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        # fits: as it is, accents stripped
        ("Tổng hợp xếp loại năm 2026.xlsx", "Tong hop xep loai nam 2026.xlsx"),
        # too long: the title goes, the code and the whole name stay (the number too)
        (
            "Kết quả xếp loại năm 2026 - CB010 - Chi bộ Khu dân cư số 10.xlsx",
            "CB010 - Chi bo Khu dan cu so 10.xlsx",
        ),
        # still too long: the name loses whole words from its end, never half a word
        (
            "Kết quả xếp loại năm 2026 - CB012 - Chi bộ Công ty Cổ phần Vận tải Biển Xanh và "
            "Đường sông Miền Trung.xlsx",
            "CB012 - Chi bo Cong ty Co phan Van tai Bien Xanh va Duong.xlsx",
        ),
        # a long code is kept whole, whatever of the name has to go
        (
            "Kết quả xếp loại năm 2026 - CB-PHUONG-HOA-KHANH-BAC-TO-DAN-PHO-0001 - Chi bộ Tổ "
            "dân phố 1.xlsx",
            "CB-PHUONG-HOA-KHANH-BAC-TO-DAN-PHO-0001 - Chi bo To dan.xlsx",
        ),
    ],
)
def test_ascii_fallback_is_cut_between_words_and_keeps_the_cell_code(
    name: str, fallback: str
) -> None:
    assert ascii_fallback(name) == fallback
    assert len(fallback) <= 62


def test_names_from_inputs_are_escaped_in_html(tmp_path: Path) -> None:
    cells = [CellSpec("CB01", "Chi bộ <script>alert(1)</script>", "Lê <b>Hoa</b> & Co")]
    out = build_out(tmp_path / "out", cells, parent={"code": "X", "name": "Đảng ủy <i>x</i>"})
    leaders, secretary = compose_all(out, tmp_path)
    for composed in (leaders, secretary):
        html = bodies(email.message_from_bytes(composed.data, policy=email.policy.default))
        assert "<script>" not in html["text/html"] and "<b>Hoa" not in html["text/html"]
        assert "<i>x</i>" not in html["text/html"]
    html = bodies(email.message_from_bytes(secretary.data, policy=email.policy.default))
    assert "Chi bộ &lt;script&gt;alert(1)&lt;/script&gt;" in html["text/html"]
    assert "Lê &lt;b&gt;Hoa&lt;/b&gt; &amp; Co" in html["text/html"]
    # the plain text is not HTML: it keeps the characters as they are
    assert "Lê <b>Hoa</b> & Co" in html["text/plain"]


def test_the_message_is_7bit_with_crlf_lines_of_at_most_76_characters(tmp_path: Path) -> None:
    for composed in compose_all(build_out(tmp_path / "out"), tmp_path):
        assert composed.data.isascii()
        lines = composed.data.split(b"\r\n")
        assert b"\n" not in b"".join(lines)
        long = [line for line in lines if len(line) > 76]
        # only the xlsx media type, which no header folding can split
        assert all(line.startswith(b"Content-Type: application/vnd.openxml") for line in long)


def test_same_inputs_and_date_give_the_same_bytes_and_message_ids_differ(
    tmp_path: Path,
) -> None:
    out = build_out(tmp_path / "out")
    first = compose_all(out, tmp_path)
    second = compose_all(out, tmp_path)
    assert [c.data for c in first] == [c.data for c in second]
    ids = [c.message_id for c in first]
    assert len(set(ids)) == len(ids) == 4
    later = compose_all(out, tmp_path, date=DATE + _dt.timedelta(minutes=1))
    assert {c.message_id for c in later}.isdisjoint(ids)


@pytest.mark.parametrize(
    ("status", "issues", "expected"),
    [
        ("ok", [], "Hồ sơ của chi bộ hợp lệ, không có vấn đề cần xử lý."),
        ("warnings", [{"severity": "warning"}] * 2, "Hồ sơ của chi bộ có 2 cảnh báo."),
        ("errors", [{"severity": "error"}] * 3, "Hồ sơ của chi bộ có lỗi cần sửa (3 lỗi)."),
        ("errors", [], "Hồ sơ của chi bộ có lỗi cần sửa. Đề nghị đồng chí sửa"),
    ],
)
def test_the_secretary_is_told_what_to_do_by_status(
    tmp_path: Path, status: str, issues: list[dict[str, str]], expected: str
) -> None:
    out = build_out(tmp_path / "out", [CellSpec("CB01", "Chi bộ A", status=status, issues=issues)])
    secretary = compose_all(out, tmp_path)[1]
    text = bodies(email.message_from_bytes(secretary.data, policy=email.policy.default))
    assert expected in text["text/plain"]


def test_the_leaders_are_told_which_cells_have_errors_or_are_missing(tmp_path: Path) -> None:
    cells = [
        CellSpec("CB01", "Chi bộ A"),
        CellSpec("CB02", "Chi bộ B", status="errors", aggregated=False),
        CellSpec("CB03", "Chi bộ C", result_file=False),
    ]
    leaders = compose_all(build_out(tmp_path / "out", cells), tmp_path)[0]
    text = bodies(email.message_from_bytes(leaders.data, policy=email.policy.default))["text/plain"]
    assert "Đã tổng hợp 1 trong số 3 chi bộ.\n" in text
    assert (
        "Chưa tổng hợp 2 chi bộ (không tính vào số liệu chung):\n"
        "  - CB02 — Chi bộ B: hồ sơ có lỗi, cần sửa và gửi lại\n"
        "  - CB03 — Chi bộ C: chưa gửi hồ sơ\n"
    ) in text
    assert "cần xem lại" not in text


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 30-cell demo's results (2026): 24 cells counted, 5 with errors, 1 silent."""
    root = tmp_path_factory.mktemp("demo")
    run_demo(root, year=2026, cells=30, seed=2023, workers=1)
    return root / "ket-qua"


def test_the_leaders_get_the_summary_report_and_where_the_full_one_is(
    demo_out: Path, tmp_path: Path
) -> None:
    leaders = compose_all(demo_out, tmp_path)[0]
    message = email.message_from_bytes(leaders.data, policy=email.policy.compat32)
    received = attachments(message)
    assert received == {
        "Tổng hợp xếp loại năm 2026.xlsx": (demo_out / "tong-hop.xlsx").read_bytes(),
        "Báo cáo tóm tắt xếp loại năm 2026.html": (demo_out / "bao-cao-tom-tat.html").read_bytes(),
    }
    text = bodies(message)
    assert "báo cáo tóm tắt (không kèm chi tiết từng đảng viên)" in text["text/plain"]
    assert "Báo cáo đầy đủ, kèm chi tiết từng đảng viên, là tệp bao-cao.html" in text["text/plain"]
    assert (
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        in (text["text/html"])
    )
    # the full report was 1.08 MB of message for this demo; 2.9 MB for 300 cells now
    assert len(leaders.data) < 400_000


def test_cells_left_out_are_told_apart_from_cells_counted_with_warnings(
    demo_out: Path, tmp_path: Path
) -> None:
    leaders = compose_all(demo_out, tmp_path)[0]
    text = bodies(email.message_from_bytes(leaders.data, policy=email.policy.default))["text/plain"]
    assert "Đã tổng hợp 24 trong số 30 chi bộ.\n" in text
    left_out = text.split("Chưa tổng hợp 6 chi bộ (không tính vào số liệu chung):\n")[1]
    assert left_out.startswith(
        "  - CB006 — Chi bộ Tổ dân phố 6: hồ sơ có lỗi, cần sửa và gửi lại\n"
    )
    assert "  - CB030 — Chi bộ Tổ dân phố 30: chưa gửi hồ sơ\n" in left_out
    flagged = text.split("Đã tổng hợp, có nội dung cần xem lại (5 chi bộ):\n")[1]
    assert flagged.startswith("  - CB002 — Chi bộ Khu dân cư số 2: 1 cảnh báo\n")
    assert "  - CB007 — Chi bộ Phòng Kinh tế: 1 lỗi\n" in flagged
    assert "CB030" not in flagged and "CB006" not in flagged


def test_a_district_may_bring_its_own_templates(tmp_path: Path) -> None:
    mine = tmp_path / "mau-thu"
    mine.mkdir()
    (mine / "mail_secretary_subject.txt.j2").write_text(
        "[{{ cell_code }}] Kết quả năm {{ year }}\n", encoding="utf-8"
    )
    out = build_out(tmp_path / "out")
    secretary = compose_all(out, tmp_path, extra='\n[message]\ntemplates_dir = "mau-thu"\n')[1]
    message = email.message_from_bytes(secretary.data, policy=email.policy.compat32)
    assert header_text(message, "Subject") == "[CB01] Kết quả năm 2023"
    # the other templates still come with xeploai
    assert "Kính gửi đồng chí" in bodies(message)["text/plain"]


def test_an_undefined_name_in_a_template_is_a_config_error(tmp_path: Path) -> None:
    mine = tmp_path / "mau-thu"
    mine.mkdir()
    (mine / "mail_leaders_subject.txt.j2").write_text("{{ quan_uy }}\n", encoding="utf-8")
    out = build_out(tmp_path / "out")
    with pytest.raises(ConfigError, match=r"mail_leaders_subject\.txt\.j2 có lỗi: 'quan_uy'"):
        compose_all(out, tmp_path, extra='\n[message]\ntemplates_dir = "mau-thu"\n')


LONG_NAMES = {
    "one-long-ascii-word": "X" * 2000,
    "long-ascii-name": " ".join(["Nguyen Van An"] * 150),
    "long-vietnamese-name": " ".join(["Chi bộ Trường THPT Liên Chiểu"] * 120),
}


@pytest.mark.parametrize("name", list(LONG_NAMES.values()), ids=list(LONG_NAMES))
def test_headers_are_folded_within_the_limits_whatever_a_names_length(
    tmp_path: Path, name: str
) -> None:
    code = "CB" + "7" * 200  # a code as long as a file name allows
    cell = CellSpec(code, name, secretary_name=name, secretary_email="bithu@chibo.example")
    out = build_out(tmp_path / "out", [cell])
    messages = compose_all(out, tmp_path, leaders=[(name, "bithu@quanuy.example")])
    for composed in messages:
        head = composed.data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
        assert max(len(line) for line in head) <= 998  # RFC 5322's limit
        # and the 78 it recommends, but for the two lines no folding can split
        assert {
            line[:12] for line in head if len(line) > 78 and not line.startswith(b"Content-Type")
        } <= {b"Message-ID: "}
        message = email.message_from_bytes(composed.data, policy=email.policy.compat32)
        assert addresses(message, "To")[0][0] == name
    secretary = email.message_from_bytes(messages[1].data, policy=email.policy.compat32)
    assert header_text(secretary, "Subject").endswith(f" — {name}")
    assert len(messages[1].message_id) < 120


def test_names_are_shown_visible_in_the_bodies(tmp_path: Path) -> None:
    cells = [
        CellSpec("CB01", "Chi bộ A", status="errors"),
        CellSpec("CB02", "Chi bộ\u202eB\x1b[2J", result_file=False),
    ]
    leaders = compose_all(build_out(tmp_path / "out", cells), tmp_path)[0]
    message = email.message_from_bytes(leaders.data, policy=email.policy.compat32)
    for text in bodies(message).values():
        assert "CB02 — Chi bộ\\u202eB\\x1b[2J" in text
        assert "\u202e" not in text and "\x1b" not in text


def test_a_workbook_too_large_for_the_leaders_message_stays_behind_and_is_named(
    tmp_path: Path,
) -> None:
    out = build_out(tmp_path / "out")
    # a city's summary workbook: its base64 alone would pass the limit
    (out / "tong-hop.xlsx").write_bytes(bytes(LEADERS_MAIL_LIMIT * 3 // 4 + 1))
    config = load_config(write_config(tmp_path / "mail.toml", 2525))
    folder = read_results(out)
    plan = plan_messages(folder, config.leaders)
    assert [i.code for i in plan.issues] == ["mail-attachment-too-large"]
    assert "tong-hop.xlsx" in plan.issues[0].message and "7,5 MB" in plan.issues[0].message
    env = mail_environment(config.templates_dir)
    leaders = compose_message(plan.messages[0], folder, config, date=DATE, env=env)
    assert len(leaders.data) < LEADERS_MAIL_LIMIT
    message = email.message_from_bytes(leaders.data, policy=email.policy.compat32)
    assert list(attachments(message)) == ["Báo cáo xếp loại năm 2023.html"]
    text = bodies(message)["text/plain"]
    assert "Quá lớn để gửi kèm thư, có trong thư mục kết quả tổng hợp" in text
    assert "tong-hop.xlsx" in text and "Tổng hợp xếp loại năm 2023.xlsx" not in text
