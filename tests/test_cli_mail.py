"""``xeploai mail`` through the real Click group: exit codes, what goes to stdout and stderr,
both languages, JSON, and the sample config of ``xeploai demo``."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from test_mail_support import (
    Authenticator,
    CellSpec,
    Relay,
    build_out,
    smtp_server,
    write_config,
)

from toolkit.cli import main
from toolkit.mail.config import sample_config


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["mail", *map(str, args)], env=env)


def test_sending_everything_exits_0(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    relay = Relay()
    with smtp_server(relay) as server:
        config = write_config(tmp_path / "mail.toml", server.port)
        result = run(out, "--config", config)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "đã", "gửi", "lãnh", "đạo", "Đồng", "chí", "Bí", "thư", "Quận", "ủy",
        "<bithu@quanuy.example>",
    ]  # fmt: skip
    assert "CB03" in lines[4] and "Trần Quốc Việt <bithu.cb03@chibo.example>" in lines[4]
    assert lines[-1] == "Tổng cộng: 5 đã gửi; 0 vấn đề."
    assert len(relay.received) == 4


def test_a_second_run_sends_nothing_and_says_so(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    relay = Relay()
    with smtp_server(relay) as server:
        config = write_config(tmp_path / "mail.toml", server.port)
        run(out, "--config", config)
        again = run(out, "--config", config, "--lang", "en")
    assert again.exit_code == 0
    assert again.stdout.splitlines()[-1] == "Total: 5 already sent; 0 problem(s)."
    assert len(relay.received) == 4


def test_a_data_problem_exits_1_with_the_issue_in_the_report(tmp_path: Path) -> None:
    out = build_out(
        tmp_path / "out",
        [CellSpec("CB01", "Chi bộ A"), CellSpec("CB02", "Chi bộ B", secretary_email="")],
    )
    with smtp_server() as server:
        config = write_config(tmp_path / "mail.toml", server.port)
        result = run(out, "--config", config)
    assert result.exit_code == 1
    assert "Vấn đề (1):" in result.stdout
    assert (
        "  [lỗi] mail-no-address: CB02 — Chi bộ B chưa có địa chỉ thư điện tử của bí thư"
        in result.stdout
    )
    assert result.stdout.splitlines()[-1] == "Tổng cộng: 3 đã gửi; 1 vấn đề."


def test_a_refused_recipient_exits_1(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    relay = Relay(refuse={"bithu.cb01@chibo.example": "550 5.1.1 No such user"})
    with smtp_server(relay) as server:
        config = write_config(tmp_path / "mail.toml", server.port)
        result = run(out, "--config", config, "--lang", "en")
    assert result.exit_code == 1
    assert "failed" in result.stdout and "[error] mail-rejected" in result.stdout
    assert "550 5.1.1 No such user" in result.stdout


def test_no_relay_exits_2_after_showing_what_was_not_sent(tmp_path: Path) -> None:
    with smtp_server() as server:
        port = server.port
    out = build_out(tmp_path / "out")
    result = run(out, "--config", write_config(tmp_path / "mail.toml", port))
    assert result.exit_code == 2
    assert result.stdout.splitlines()[-1] == "Tổng cộng: 5 chưa gửi; 0 vấn đề."
    assert result.stderr.startswith(f"Lỗi: Không kết nối được máy chủ thư 127.0.0.1:{port}")
    assert "Traceback" not in result.output


def test_usage_and_configuration_errors_exit_2_without_a_traceback(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    missing = run(out, "--config", tmp_path / "khong-co.toml")
    assert missing.exit_code == 2
    assert missing.stderr == f"Lỗi: Không tìm thấy tệp cấu hình thư {tmp_path / 'khong-co.toml'}.\n"
    config = write_config(tmp_path / "mail.toml", 2525, extra_smtp='user = "bantochuc"\n')
    no_password = run(out, "--config", config, env={"XEPLOAI_SMTP_PASSWORD": ""})
    assert no_password.exit_code == 2
    assert "hãy đặt biến môi trường XEPLOAI_SMTP_PASSWORD" in no_password.stderr
    not_out = run(tmp_path, "--config", config)
    assert not_out.exit_code == 2
    assert "không phải kết quả của «xeploai aggregate»" in not_out.stderr
    unknown = run(out, "--config", config, "--only", "CB99")
    assert unknown.exit_code == 2 and "Không có chi bộ mã «CB99»" in unknown.stderr
    for result in (missing, no_password, not_out, unknown):
        assert "Traceback" not in result.output


def test_dry_run_only_and_json(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    config = write_config(tmp_path / "mail.toml", 2525)
    result = run(
        out, "--config", config, "--dry-run", tmp_path / "eml", "--only", "CB02", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["dry_run"] is True and report["exit_code"] == 0
    (delivery,) = report["deliveries"]
    assert delivery["cell"] == "CB02" and delivery["status"] == "written"
    assert delivery["attachments"] == [
        "Kết quả xếp loại năm 2023 - CB02 - Chi bộ Khu dân cư số 2 Hòa Minh.xlsx"
    ]
    assert Path(delivery["eml_file"]) == tmp_path / "eml" / "001-chi-bo-CB02.eml"
    assert [p.name for p in (tmp_path / "eml").iterdir()] == ["001-chi-bo-CB02.eml"]


def test_the_demo_sample_config_works_for_a_dry_run(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    out = build_out(demo / "ket-qua")
    (demo / "mail.toml").write_text(sample_config(), encoding="utf-8")
    result = run(out, "--config", demo / "mail.toml", "--dry-run", tmp_path / "thu")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "Tổng cộng: 5 đã ghi tệp .eml; 0 vấn đề. Chạy thử: chưa gửi thư nào."
    )
    assert len(list((tmp_path / "thu").glob("*.eml"))) == 4


def test_help_names_the_exit_codes_and_ends_with_examples() -> None:
    result = CliRunner().invoke(main, ["mail", "--help"])
    assert result.exit_code == 0
    assert "Mã thoát: 0 đã gửi hết" in result.stdout
    assert "xeploai mail ket-qua --config mail.toml --dry-run" in result.stdout.split("Ví dụ:")[1]


def test_a_file_changed_after_aggregate_exits_2_and_nothing_is_sent(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    (out / "chi-bo" / "CB01.xlsx").write_bytes(b"PK someone else's results")
    relay = Relay()
    with smtp_server(relay) as server:
        result = run(out, "--config", write_config(tmp_path / "mail.toml", server.port))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(
        f"Lỗi: Tệp «chi-bo/CB01.xlsx» trong {out} không khớp manifest.json"
    )
    assert relay.kept == [] and relay.mail_commands == 0
    assert not (out / "da-gui.jsonl").exists()


def test_a_refused_login_exits_2_and_an_echoed_password_is_nowhere(tmp_path: Path) -> None:
    password = "Sai-mat-khau-2023"  # aiosmtpd replies in ASCII only
    out = build_out(tmp_path / "out")
    login = Authenticator("bantochuc", "right", echo=True)
    with smtp_server(Relay(), authenticator=login, auth_require_tls=False) as server:
        config = write_config(
            tmp_path / "mail.toml", server.port, extra_smtp='user = "bantochuc"\n'
        )
        result = run(out, "--config", config, env={"XEPLOAI_SMTP_PASSWORD": password})
    assert password in login.echoed[0]  # the server did repeat it
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "không chấp nhận đăng nhập của bantochuc (535 5.7.8)" in result.stderr
    assert password not in result.output
    for path in out.rglob("*"):
        assert path.is_dir() or password.encode() not in path.read_bytes(), path
