"""Never twice, never stuck: the two-step sent log against a real SMTP server on 127.0.0.1.

A relay that keeps a message and drops the connection before replying, a sent log that cannot
be written at the start or fills the disk half-way (an ``OSError`` injected into its writes:
a full disk cannot be made in a test), and logs left torn by a crash.
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from test_mail_support import LIEN_CHIEU_CELLS, Relay, build_out, smtp_server, write_config

from toolkit.errors import OutputError
from toolkit.mail.compose import ICT
from toolkit.mail.config import MailConfig, load_config
from toolkit.mail.run import MailReport, send_results
from toolkit.mail.sentlog import SENT_LOG, SentLog

NOW = _dt.datetime(2024, 1, 16, 9, 0, tzinfo=ICT)
CB = {cell.code: cell.email_address() for cell in LIEN_CHIEU_CELLS}


def config_for(tmp_path: Path, port: int) -> MailConfig:
    return load_config(write_config(tmp_path / "mail.toml", port))


def statuses(report: MailReport) -> list[tuple[str | None, str]]:
    return [(d.cell_code, d.status.value) for d in report.deliveries]


def log_lines(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / SENT_LOG).read_text("utf-8").splitlines()]


def test_a_relay_that_keeps_the_message_and_drops_gets_it_once(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    relay = Relay(drop_data=1)  # the leaders' message, the first to go, is kept, then dropped
    with smtp_server(relay) as server:
        config = config_for(tmp_path, server.port)
        first = send_results(out, config, now=NOW)
        again = send_results(out, config, now=NOW)
    assert statuses(first) == [
        (None, "unknown"),
        (None, "unknown"),
        ("CB01", "sent"),
        ("CB02", "sent"),
        ("CB03", "sent"),
    ]
    assert first.exit_code == 1 and first.stopped is None
    assert [i.code for i in first.issues] == ["mail-outcome-unknown"] * 2
    message = first.issues[0].message
    assert "máy chủ thư ngắt kết nối trước khi trả lời" in message
    assert first.deliveries[0].message_id in message
    assert f"{out} --config {tmp_path / 'mail.toml'} --only lanh-dao --resend" in message
    # the next run does not send it again either, and says why
    assert statuses(again) == [
        (None, "unknown"),
        (None, "unknown"),
        ("CB01", "already-sent"),
        ("CB02", "already-sent"),
        ("CB03", "already-sent"),
    ]
    assert "lần gửi lúc 20" in again.issues[0].message
    assert relay.data_attempts == 4 and len(relay.kept) == 4
    assert [line["state"] for line in log_lines(out)][:2] == ["sending", "sending"]
    # what the message says to do sends the leaders' message again, and nothing else
    with smtp_server(relay) as server:
        config = config_for(tmp_path, server.port)
        resent = send_results(out, config, only="lanh-dao", resend=True, now=NOW)
    assert statuses(resent) == [(None, "sent"), (None, "sent")]
    assert relay.received[-1].rcpt_tos == ("bithu@quanuy.example", "truongban@quanuy.example")
    assert len(relay.kept) == 5


def test_only_resend_sends_an_unknown_outcome_again(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    relay = Relay(drop_data=1)
    with smtp_server(relay) as server:
        config = config_for(tmp_path, server.port)
        first = send_results(out, config, only="CB02", now=NOW)
        resent = send_results(out, config, only="CB02", resend=True, now=NOW)
        after = send_results(out, config, only="CB02", now=NOW)
    assert statuses(first) == [("CB02", "unknown")]
    assert "--only CB02 --resend" in first.issues[0].message
    assert statuses(resent) == [("CB02", "sent")]
    assert statuses(after) == [("CB02", "already-sent")]
    assert [r.rcpt_tos for r in relay.kept] == [(CB["CB02"],), (CB["CB02"],)]


def test_a_refusal_after_the_message_went_out_is_known_and_retried_next_run(
    tmp_path: Path,
) -> None:
    out = build_out(tmp_path / "out")
    relay = Relay(defer_data=3)  # 451 after the final dot, three tries: a known failure
    with smtp_server(relay) as server:
        config = config_for(tmp_path, server.port)
        first = send_results(out, config, only="CB01", now=NOW)
        second = send_results(out, config, only="CB01", now=NOW)
    assert statuses(first) == [("CB01", "failed")]
    assert [line["state"] for line in log_lines(out)][:4] == [
        "sending",
        "sending",
        "sending",
        "failed",
    ]
    assert statuses(second) == [("CB01", "sent")]


class FullDisk:
    """A sent log's stream whose writes fail with ENOSPC once ``budget`` writes went through."""

    def __init__(self, stream: IO[str], budget: int) -> None:
        self._stream = stream
        self.budget = budget

    def write(self, text: str) -> int:
        if self.budget <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.budget -= 1
        return self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@pytest.fixture
def disk_fills_after(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Set ``[n]``: the sent log's writes fail once ``n`` records were written."""
    budget: list[int] = []
    opened = SentLog.open_for_append

    def open_for_append(self: SentLog) -> None:
        opened(self)
        if budget:
            self._stream = FullDisk(self._stream, budget[0])  # type: ignore[arg-type]

    monkeypatch.setattr(SentLog, "open_for_append", open_for_append)
    yield budget


def test_a_full_disk_after_a_delivery_stops_at_once_naming_it(
    tmp_path: Path, disk_fills_after: list[int]
) -> None:
    out = build_out(tmp_path / "out")
    relay = Relay()
    # leaders: "sending", "sent"; CB01: "sending", then the disk is full
    disk_fills_after.append(3)
    with smtp_server(relay) as server:
        config = config_for(tmp_path, server.port)
        report = send_results(out, config, now=NOW)
        disk_fills_after.clear()
        rerun = send_results(out, config, now=NOW)
    assert report.exit_code == 2
    assert statuses(report) == [
        (None, "sent"),
        (None, "sent"),
        ("CB01", "sent"),
        ("CB02", "not-sent"),
        ("CB03", "not-sent"),
    ]
    assert report.stopped is not None
    assert "hết chỗ trống trên đĩa" in report.stopped
    assert f"chưa ghi được vào nhật ký: CB01 <{CB['CB01']}>." in report.stopped
    assert [r.rcpt_tos[0] for r in relay.received][1:] == [CB["CB01"], CB["CB02"], CB["CB03"]]
    # the rerun does not send CB01 again: its "sending" line reached the disk
    assert statuses(rerun) == [
        (None, "already-sent"),
        (None, "already-sent"),
        ("CB01", "unknown"),
        ("CB02", "sent"),
        ("CB03", "sent"),
    ]


def test_a_full_disk_before_a_message_stops_before_it_goes(
    tmp_path: Path, disk_fills_after: list[int]
) -> None:
    out = build_out(tmp_path / "out")
    relay = Relay()
    disk_fills_after.append(2)  # the leaders' two lines, then CB01's "sending" fails
    with smtp_server(relay) as server:
        report = send_results(out, config_for(tmp_path, server.port), now=NOW)
    assert report.exit_code == 2 and report.stopped is not None
    assert "trước khi gửi thư cho CB01 — Chi bộ Trường THPT Liên Chiểu" in report.stopped
    assert [s for _, s in statuses(report)] == ["sent", "sent", "not-sent", "not-sent", "not-sent"]
    assert len(relay.kept) == 1 and relay.data_attempts == 1


def test_a_sent_log_that_cannot_be_written_stops_before_the_first_message(
    tmp_path: Path,
) -> None:
    out = build_out(tmp_path / "out")
    # a link into a folder that does not exist: readable as "no log yet", not writable
    (out / SENT_LOG).symlink_to(tmp_path / "gone" / SENT_LOG)
    relay = Relay()
    refused = pytest.raises(OutputError, match="Không ghi được nhật ký gửi thư")
    with smtp_server(relay) as server, refused as caught:
        send_results(out, config_for(tmp_path, server.port), now=NOW)
    assert caught.value.exit_code == 2
    assert "Chưa gửi thư nào" in str(caught.value)
    assert relay.kept == [] and relay.mail_commands == 0


@pytest.mark.parametrize(
    "tail", ['{"sent_at": "2024-01-16T09:00:00+07:00", "ki', ""], ids=["torn-line", "no-newline"]
)
def test_an_append_always_starts_on_a_new_line(tmp_path: Path, tail: str) -> None:
    out = build_out(tmp_path / "out", LIEN_CHIEU_CELLS[:1])
    relay = Relay()
    with smtp_server(relay) as server:
        config = config_for(tmp_path, server.port)
        send_results(out, config, only="CB01", now=NOW)
        text = (out / SENT_LOG).read_text("utf-8")
        # the last line without its newline, and maybe a torn line after it (a crash)
        (out / SENT_LOG).write_text(text.rstrip("\n") + ("\n" + tail if tail else ""), "utf-8")
        report = send_results(out, config, now=NOW)
    assert [s for _, s in statuses(report)] == ["sent", "sent", "already-sent"]
    lines = (out / SENT_LOG).read_text("utf-8").split("\n")
    assert lines[-1] == "" and all(json.loads(line) for line in lines[:-1])
    assert len(lines) - 1 == 2 + 4
