"""``send_results`` end to end against a real SMTP server on 127.0.0.1: what arrives, the
sent log, no double sending, the dry run, and failures of one recipient among many."""

from __future__ import annotations

import datetime as _dt
import email
import email.policy
import json
from pathlib import Path

import pytest
from test_mail_support import (
    LIEN_CHIEU_CELLS,
    Authenticator,
    CellSpec,
    Relay,
    addresses,
    attachments,
    build_out,
    header_text,
    make_certificate,
    smtp_server,
    write_config,
    write_manifest,
)

from toolkit.errors import ConfigError, InputError
from toolkit.mail.compose import ICT
from toolkit.mail.config import MailConfig, load_config
from toolkit.mail.run import DeliveryStatus, MailReport, send_results
from toolkit.mail.sentlog import SENT_LOG

NOW = _dt.datetime(2024, 1, 16, 9, 0, tzinfo=ICT)


def config_for(tmp_path: Path, port: int, **options: str) -> MailConfig:
    return load_config(write_config(tmp_path / "mail.toml", port, **options))


def statuses(report: MailReport) -> list[tuple[str | None, str, str]]:
    return [(d.cell_code, d.recipient.email, d.status.value) for d in report.deliveries]


def sent_log(out: Path) -> list[dict[str, object]]:
    path = out / SENT_LOG
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_everyone_receives_exactly_their_files_byte_for_byte(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    relay = Relay()
    with smtp_server(relay) as server:
        report = send_results(out, config_for(tmp_path, server.port), now=NOW)
    assert report.exit_code == 0 and report.issues == ()
    assert [s for _, _, s in statuses(report)] == ["sent"] * 5
    leaders, *secretaries = relay.received
    assert leaders.rcpt_tos == ("bithu@quanuy.example", "truongban@quanuy.example")
    assert attachments(leaders.message()) == {
        "Tổng hợp xếp loại năm 2023.xlsx": (out / "tong-hop.xlsx").read_bytes(),
        "Báo cáo xếp loại năm 2023.html": (out / "bao-cao.html").read_bytes(),
    }
    for cell, received in zip(LIEN_CHIEU_CELLS, secretaries, strict=True):
        assert received.rcpt_tos == (cell.email_address(),)
        message = received.message()
        assert addresses(message, "To") == [(cell.secretary_name, cell.email_address())]
        assert header_text(message, "Subject").endswith(cell.name)
        assert list(attachments(message).values()) == [
            (out / "chi-bo" / f"{cell.code}.xlsx").read_bytes()
        ]


def test_no_cell_ever_receives_another_cells_file(tmp_path: Path) -> None:
    cells = [CellSpec(f"CB{n:03d}", f"Chi bộ số {n}", f"Bí thư số {n}") for n in range(1, 41)]
    # two cells share one secretary: still one message per cell, each with its own file
    cells[5].secretary_email = cells[4].email_address()
    out = build_out(tmp_path / "out", cells)
    files = {c.code: (out / "chi-bo" / f"{c.code}.xlsx").read_bytes() for c in cells}
    relay = Relay()
    with smtp_server(relay) as server:
        report = send_results(out, config_for(tmp_path, server.port), now=NOW)
    assert report.exit_code == 0
    secretaries = [r for r in relay.received if not r.rcpt_tos[0].endswith("@quanuy.example")]
    assert len(secretaries) == 40
    owner = {c.email_address(): set() for c in cells}
    for cell in cells:
        owner[cell.email_address()].add(cell.code)
    for received in secretaries:
        message = received.message()
        (content,) = attachments(message).values()
        (code,) = [c for c, data in files.items() if data == content]
        # the one file is that of the cell the subject names, and its secretary got it
        assert header_text(message, "Subject").endswith(f"Chi bộ số {int(code[2:])}")
        assert received.rcpt_tos == (cells[int(code[2:]) - 1].email_address(),)
        assert code in owner[received.rcpt_tos[0]]
    assert sorted(
        c for r in secretaries for c, d in files.items() if d in attachments(r.message()).values()
    ) == sorted(files)


def test_the_sent_log_records_whom_and_which_files_and_prevents_sending_twice(
    tmp_path: Path,
) -> None:
    out = build_out(tmp_path / "out")
    relay = Relay()
    with smtp_server(relay) as server:
        config = config_for(tmp_path, server.port)
        send_results(out, config, now=NOW)
        again = send_results(out, config, now=NOW)
    assert len(relay.received) == 4
    assert [s for _, _, s in statuses(again)] == ["already-sent"] * 5
    assert again.exit_code == 0
    log = sent_log(out)
    # each message twice: "sending" pushed to disk before DATA, "sent" after the reply
    leaders = [("lanh-dao", None, a) for a in ("bithu@quanuy.example", "truongban@quanuy.example")]
    assert [(e["state"], e["kind"], e["cell"], e["to"]) for e in log] == [
        *[("sending", *who) for who in leaders],
        *[("sent", *who) for who in leaders],
        *[
            (state, "chi-bo", cell.code, cell.email_address())
            for cell in LIEN_CHIEU_CELLS
            for state in ("sending", "sent")
        ],
    ]
    import hashlib

    assert (
        log[4]["attachments"]
        == log[5]["attachments"]
        == [
            {
                "file": "chi-bo/CB01.xlsx",
                "sha256": hashlib.sha256((out / "chi-bo" / "CB01.xlsx").read_bytes()).hexdigest(),
            }
        ]
    )
    ids = {r.message().get("Message-ID") for r in relay.received}
    assert {e["message_id"] for e in log} == ids


def test_resend_forces_and_changed_results_go_out_again(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    relay = Relay()
    with smtp_server(relay) as server:
        config = config_for(tmp_path, server.port)
        send_results(out, config, now=NOW)
        forced = send_results(out, config, only="CB02", resend=True, now=NOW)
        (out / "chi-bo" / "CB03.xlsx").write_bytes(b"PK new results")
        write_manifest(out)  # as a new run of aggregate would
        changed = send_results(out, config, now=NOW)
    assert statuses(forced) == [("CB02", LIEN_CHIEU_CELLS[1].email_address(), "sent")]
    assert [(c, s) for c, _, s in statuses(changed) if s == "sent"] == [("CB03", "sent")]
    assert [r.rcpt_tos[0] for r in relay.received[4:]] == [
        LIEN_CHIEU_CELLS[1].email_address(),
        LIEN_CHIEU_CELLS[2].email_address(),
    ]
    assert list(attachments(relay.received[-1].message()).values()) == [b"PK new results"]


def test_one_refused_recipient_fails_and_all_others_go_out(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    refused = LIEN_CHIEU_CELLS[1].email_address()
    relay = Relay(
        refuse={
            refused: "550 5.1.1 Mailbox does not exist",
            "truongban@quanuy.example": "553 5.1.3 Bad",
        }
    )
    with smtp_server(relay) as server:
        report = send_results(out, config_for(tmp_path, server.port), now=NOW)
    assert report.exit_code == 1
    assert [(c, s) for c, _, s in statuses(report)] == [
        (None, "sent"),
        (None, "failed"),
        ("CB01", "sent"),
        ("CB02", "failed"),
        ("CB03", "sent"),
    ]
    assert [(i.code, i.unit_code, i.value) for i in report.issues] == [
        ("mail-rejected", "", "truongban@quanuy.example"),
        ("mail-rejected", "CB02", refused),
    ]
    assert "550 5.1.1 Mailbox does not exist" in report.issues[1].message
    assert len(relay.received) == 3
    # only what went out is in the log: a later run tries the refused ones again
    assert {e["to"] for e in sent_log(out)} == {
        "bithu@quanuy.example",
        LIEN_CHIEU_CELLS[0].email_address(),
        LIEN_CHIEU_CELLS[2].email_address(),
    }
    with smtp_server(Relay()) as server:
        later = send_results(out, config_for(tmp_path, server.port), now=NOW)
    assert [(c, s) for c, _, s in statuses(later) if s == "sent"] == [
        (None, "sent"),
        ("CB02", "sent"),
    ]


def test_a_recipient_deferred_past_the_last_try_is_a_temporary_failure(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    relay = Relay(defer_rcpt={LIEN_CHIEU_CELLS[0].email_address(): 99})
    waits: list[float] = []
    with smtp_server(relay) as server:
        report = send_results(out, config_for(tmp_path, server.port), now=NOW, sleep=waits.append)
    assert report.exit_code == 1
    (issue,) = report.issues
    assert issue.code == "mail-temporary-failure" and issue.unit_code == "CB01"
    assert "sau 3 lần thử" in issue.message and "451" in issue.message
    assert waits == [0.0, 0.0]


def test_data_problems_are_reported_and_the_rest_still_goes_out(tmp_path: Path) -> None:
    cells = [
        CellSpec("CB01", "Chi bộ A"),
        CellSpec("CB02", "Chi bộ B", secretary_email=""),
        CellSpec("CB03", "Chi bộ C", result_file=False),
        CellSpec("CB04", "Chi bộ D", secretary_name="X\r\nBcc: all@evil.example"),
    ]
    out = build_out(tmp_path / "out", cells)
    relay = Relay()
    with smtp_server(relay) as server:
        report = send_results(out, config_for(tmp_path, server.port), now=NOW)
    assert report.exit_code == 1
    assert [(i.code, i.unit_code) for i in report.issues] == [
        ("mail-no-address", "CB02"),
        ("mail-no-result-file", "CB03"),
        ("mail-header-injection", "CB04"),
    ]
    assert [r.rcpt_tos for r in relay.received][1:] == [(cells[0].email_address(),)]
    assert all(b"evil.example" not in r.data for r in relay.received)


def test_a_cell_that_sent_nothing_alone_does_not_fail_the_run(tmp_path: Path) -> None:
    out = build_out(
        tmp_path / "out", [CellSpec("CB01", "A"), CellSpec("CB02", "B", result_file=False)]
    )
    with smtp_server(Relay()) as server:
        report = send_results(out, config_for(tmp_path, server.port), now=NOW)
    assert [i.code for i in report.issues] == ["mail-no-result-file"]
    assert report.exit_code == 0


def test_login_with_the_password_from_the_environment_never_written_anywhere(
    tmp_path: Path,
) -> None:
    password = "Mật-khẩu-Liên-Chiểu-2023!"
    certificate = make_certificate(tmp_path / "certs")
    out = build_out(tmp_path / "out")
    relay = Relay()
    login = Authenticator("bantochuc@quanuy.example", password)
    with smtp_server(
        relay, tls_context=certificate.server_context(), authenticator=login, auth_required=True
    ) as server:
        config = config_for(
            tmp_path,
            server.port,
            security="starttls",
            extra_smtp=(
                'user = "bantochuc@quanuy.example"\npassword_env = "LC_SMTP_PASSWORD"\n'
                f'ca_file = "certs/{certificate.cert_file.name}"\n'
            ),
        )
        report = send_results(out, config, now=NOW, environ={"LC_SMTP_PASSWORD": password})
        dry = send_results(out, config, dry_run_dir=tmp_path / "eml", resend=True)
    assert report.exit_code == 0 and dry.exit_code == 0
    assert all(r.authenticated and r.tls for r in relay.received)
    assert login.attempts == [("PLAIN", True)]
    secret = password.encode("utf-8")
    for path in [*out.rglob("*"), *(tmp_path / "eml").rglob("*"), tmp_path / "mail.toml"]:
        if path.is_file():
            assert secret not in path.read_bytes(), path
    assert all(secret not in r.data for r in relay.received)


def test_a_missing_password_stops_before_anything_is_sent(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    relay = Relay()
    with smtp_server(relay) as server:
        config = config_for(tmp_path, server.port, extra_smtp='user = "bantochuc"\n')
        with pytest.raises(ConfigError, match="XEPLOAI_SMTP_PASSWORD"):
            send_results(out, config, now=NOW, environ={})
    assert relay.received == [] and sent_log(out) == []


def test_no_relay_stops_the_run_with_exit_code_2(tmp_path: Path) -> None:
    with smtp_server() as server:
        port = server.port  # nothing listens there any more
    out = build_out(tmp_path / "out")
    report = send_results(out, config_for(tmp_path, port), now=NOW)
    assert report.exit_code == 2
    assert report.stopped is not None and f"127.0.0.1:{port}" in report.stopped
    assert {d.status for d in report.deliveries} == {DeliveryStatus.NOT_SENT}
    assert len(report.deliveries) == 5 and sent_log(out) == []


def test_the_dry_run_writes_eml_files_that_parse_back_and_sends_nothing(
    tmp_path: Path,
) -> None:
    out = build_out(tmp_path / "out")
    with smtp_server() as server:
        port = server.port
    report = send_results(out, config_for(tmp_path, port), dry_run_dir=tmp_path / "eml")
    assert report.exit_code == 0 and report.dry_run
    files = sorted(p.name for p in (tmp_path / "eml").iterdir())
    assert files == [
        "001-lanh-dao.eml",
        "002-chi-bo-CB01.eml",
        "003-chi-bo-CB02.eml",
        "004-chi-bo-CB03.eml",
    ]
    assert [d.status for d in report.deliveries] == [DeliveryStatus.WRITTEN] * 5
    assert not (out / SENT_LOG).exists()
    message = email.message_from_bytes(
        (tmp_path / "eml" / "002-chi-bo-CB01.eml").read_bytes(), policy=email.policy.compat32
    )
    assert addresses(message, "To") == [("Nguyễn Văn Toản", "bithu.cb01@chibo.example")]
    assert list(attachments(message).values()) == [(out / "chi-bo" / "CB01.xlsx").read_bytes()]
    # dated by the results (generated_on in ket-qua.json), not by the clock
    assert message["Date"] == "Mon, 15 Jan 2024 00:00:00 +0700"


def test_the_dry_run_is_byte_identical_run_after_run(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out", generated_on=None)
    config = config_for(tmp_path, 2525)
    send_results(out, config, dry_run_dir=tmp_path / "a")
    send_results(out, config, dry_run_dir=tmp_path / "b")
    first = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert first == second and len(first) == 4


def test_the_dry_run_shows_what_is_still_to_send(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    with smtp_server(Relay()) as server:
        config = config_for(tmp_path, server.port)
        send_results(out, config, only="CB01", now=NOW)
    report = send_results(out, config, dry_run_dir=tmp_path / "eml")
    assert [(c, s) for c, _, s in statuses(report)] == [
        (None, "written"),
        (None, "written"),
        ("CB01", "already-sent"),
        ("CB02", "written"),
        ("CB03", "written"),
    ]
    assert not (tmp_path / "eml" / "002-chi-bo-CB01.eml").exists()


def test_a_damaged_sent_log_is_an_input_error_naming_the_line(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    (out / SENT_LOG).write_text('{"to": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="hỏng ở dòng 1"):
        send_results(out, config_for(tmp_path, 2525), dry_run_dir=tmp_path / "eml")
