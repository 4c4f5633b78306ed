"""The relay connection against a real SMTP server on 127.0.0.1: plain, STARTTLS, implicit
TLS, login, retries of temporary failures, and one refused recipient among others."""

from __future__ import annotations

import base64
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult
from test_mail_support import (
    Authenticator,
    CramMd5Relay,
    Relay,
    make_certificate,
    smtp_server,
)

from toolkit.errors import OutputError
from toolkit.mail.config import Security, SmtpSettings
from toolkit.mail.send import RelayError, SmtpRelay, backoff_delays

SENDER = "bantochuc@quanuy.example"
MESSAGE = (
    b"From: bantochuc@quanuy.example\r\nTo: a@chibo.example\r\nSubject: test\r\n"
    b"Message-ID: <1@quanuy.example>\r\n\r\nHello\r\n"
)


def settings(port: int, **changes: object) -> SmtpSettings:
    base = SmtpSettings(
        host="127.0.0.1",
        port=port,
        security=Security.PLAIN,
        timeout_seconds=10,
        attempts=3,
        backoff_seconds=0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


class Waits:
    """Stands in for ``time.sleep``: remembers the back-off instead of sleeping."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def test_plain_relay_delivers_the_bytes_unchanged() -> None:
    relay = Relay()
    with smtp_server(relay) as server, SmtpRelay(settings(server.port), None) as client:
        outcomes = client.deliver(SENDER, ["a@chibo.example", "b@chibo.example"], MESSAGE)
    assert [(o.address, o.delivered, o.attempts) for o in outcomes] == [
        ("a@chibo.example", True, 1),
        ("b@chibo.example", True, 1),
    ]
    (received,) = relay.received
    assert received.mail_from == SENDER
    assert received.rcpt_tos == ("a@chibo.example", "b@chibo.example")
    assert received.data.replace(b"\r\n", b"\n") == MESSAGE.replace(b"\r\n", b"\n")
    assert not received.tls and not received.authenticated


def test_starttls_with_a_self_signed_certificate_given_as_ca_file(tmp_path: Path) -> None:
    certificate = make_certificate(tmp_path)
    relay = Relay()
    with smtp_server(relay, tls_context=certificate.server_context()) as server:
        config = settings(server.port, security=Security.STARTTLS, ca_file=certificate.cert_file)
        with SmtpRelay(config, None) as client:
            (outcome,) = client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
    assert outcome.delivered
    assert relay.received[0].tls


def test_certificates_are_checked_by_default(tmp_path: Path) -> None:
    certificate = make_certificate(tmp_path)
    relay = Relay()
    with smtp_server(relay, tls_context=certificate.server_context()) as server:
        client = SmtpRelay(settings(server.port, security=Security.STARTTLS), None)
        with client, pytest.raises(RelayError, match="Chứng chỉ của máy chủ thư") as caught:
            client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
    assert "smtp.ca_file" in str(caught.value)
    assert caught.value.exit_code == 2
    assert relay.received == []


def test_checks_can_be_switched_off_for_a_test_relay(tmp_path: Path) -> None:
    certificate = make_certificate(tmp_path)
    relay = Relay()
    with smtp_server(relay, tls_context=certificate.server_context()) as server:
        config = settings(server.port, security=Security.STARTTLS, verify_certificate=False)
        with SmtpRelay(config, None) as client:
            (outcome,) = client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
    assert outcome.delivered and relay.received[0].tls


def test_implicit_tls_with_login(tmp_path: Path) -> None:
    certificate = make_certificate(tmp_path)
    relay = Relay()
    login = Authenticator("bantochuc", "Mật-khẩu-bí-mật-123")
    # aiosmtpd cannot tell an implicit-TLS socket from a plain one, hence auth_require_tls off
    with smtp_server(
        relay,
        ssl_context=certificate.server_context(),
        authenticator=login,
        auth_require_tls=False,
    ) as server:
        config = settings(
            server.port, security=Security.TLS, ca_file=certificate.cert_file, user="bantochuc"
        )
        with SmtpRelay(config, "Mật-khẩu-bí-mật-123") as client:
            (outcome,) = client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
    assert outcome.delivered
    assert relay.received[0].authenticated
    assert [ok for _, ok in login.attempts] == [True]


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_login_over_starttls_when_the_server_requires_it(tmp_path: Path, mechanism: str) -> None:
    certificate = make_certificate(tmp_path)
    relay = Relay()
    login = Authenticator("bantochuc", "Đà-Nẵng-2023")
    other = {"PLAIN": "LOGIN", "LOGIN": "PLAIN"}[mechanism]
    with smtp_server(
        relay,
        tls_context=certificate.server_context(),
        authenticator=login,
        auth_required=True,
        auth_require_tls=True,
        auth_exclude_mechanism=[other],
    ) as server:
        config = settings(
            server.port,
            security=Security.STARTTLS,
            ca_file=certificate.cert_file,
            user="bantochuc",
        )
        with SmtpRelay(config, "Đà-Nẵng-2023") as client:
            (outcome,) = client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
    assert outcome.delivered
    assert relay.received[0].authenticated and relay.received[0].tls
    assert login.attempts == [(mechanism, True)]


def test_a_wrong_password_stops_with_a_clear_error_that_does_not_repeat_it(
    tmp_path: Path,
) -> None:
    certificate = make_certificate(tmp_path)
    relay = Relay()
    login = Authenticator("bantochuc", "right")
    with smtp_server(
        relay, tls_context=certificate.server_context(), authenticator=login, auth_required=True
    ) as server:
        config = settings(
            server.port,
            security=Security.STARTTLS,
            ca_file=certificate.cert_file,
            user="bantochuc",
            password_env="RELAY_PASSWORD",
        )
        client = SmtpRelay(config, "wrong-Pa55word")
        with client, pytest.raises(RelayError) as caught:
            client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
    message = str(caught.value)
    assert "không chấp nhận đăng nhập của bantochuc" in message
    assert "RELAY_PASSWORD" in message and "wrong-Pa55word" not in message
    # a refused login is final: not retried
    assert [ok for _, ok in login.attempts] == [False]
    assert relay.received == []


def test_no_login_on_a_connection_the_server_will_not_authenticate() -> None:
    relay = Relay()
    # aiosmtpd offers AUTH only after STARTTLS by default: on plain it is not advertised
    with smtp_server(relay, authenticator=Authenticator("u", "p")) as server:
        client = SmtpRelay(settings(server.port, user="u"), "p")
        with client, pytest.raises(RelayError, match="không cho đăng nhập"):
            client.deliver(SENDER, ["a@chibo.example"], MESSAGE)


def test_a_temporary_refusal_of_a_recipient_is_retried_with_back_off() -> None:
    relay = Relay(defer_rcpt={"a@chibo.example": 2})
    waits = Waits()
    with smtp_server(relay) as server:
        config = settings(server.port, attempts=4, backoff_seconds=1.5)
        with SmtpRelay(config, None, sleep=waits) as client:
            (outcome,) = client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
    assert outcome.delivered and outcome.attempts == 3
    assert waits.seconds == [1.5, 3.0]
    assert [reply[:3] for _, reply in relay.rcpt_replies] == ["451", "451", "250"]
    assert len(relay.received) == 1


def test_a_temporary_failure_of_the_message_then_success() -> None:
    relay = Relay(defer_data=1)
    with smtp_server(relay) as server, SmtpRelay(settings(server.port), None) as client:
        (outcome,) = client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
    assert outcome.delivered and outcome.attempts == 2
    assert relay.data_attempts == 2 and len(relay.received) == 1


def test_a_drop_after_the_final_dot_is_an_unknown_outcome_never_sent_again() -> None:
    # the relay keeps the message, then loses the connection before it can say 250
    relay = Relay(drop_data=1)
    with smtp_server(relay) as server, SmtpRelay(settings(server.port), None) as client:
        (outcome,) = client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
        (again,) = client.deliver(SENDER, ["b@chibo.example"], MESSAGE)
    assert (outcome.delivered, outcome.unknown, outcome.attempts) == (False, True, 1)
    assert outcome.reply == "máy chủ thư ngắt kết nối trước khi trả lời"
    assert again.delivered and again.attempts == 1  # the next message reconnects
    assert relay.data_attempts == 2
    assert [r.rcpt_tos for r in relay.kept] == [("a@chibo.example",), ("b@chibo.example",)]


def test_a_drop_before_the_message_went_out_is_retried() -> None:
    relay = Relay(drop_rcpt=1)
    with smtp_server(relay) as server, SmtpRelay(settings(server.port), None) as client:
        (outcome,) = client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
    assert outcome.delivered and outcome.attempts == 2 and not outcome.unknown
    assert [r.rcpt_tos for r in relay.kept] == [("a@chibo.example",)]


@pytest.mark.parametrize(
    ("misbehaviour", "said"),
    [
        ({"stall_data": 3.0}, "không trả lời xong trong 0.5 giây (smtp.timeout_seconds)"),
        ({"trickle_data": 5.0}, "không trả lời xong trong 0.5 giây (smtp.timeout_seconds)"),
    ],
    ids=["silent", "trickling-250-lines"],
)
def test_no_reply_after_the_final_dot_in_time_is_an_unknown_outcome(
    misbehaviour: dict[str, float], said: str
) -> None:
    relay = Relay(**misbehaviour)  # type: ignore[arg-type]
    started = time.monotonic()
    with smtp_server(relay) as server:
        with SmtpRelay(settings(server.port, timeout_seconds=0.5), None) as client:
            (outcome,) = client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
        elapsed = time.monotonic() - started
    assert outcome.unknown and not outcome.delivered and outcome.attempts == 1
    assert said in outcome.reply
    assert relay.data_attempts == 1 and len(relay.kept) == 1
    assert elapsed < 2.5


def test_a_server_trickling_its_reply_before_the_message_cannot_hang_mail() -> None:
    relay = Relay(trickle_mail=30.0)
    started = time.monotonic()
    with smtp_server(relay) as server:
        config = settings(server.port, timeout_seconds=0.4, attempts=2)
        with SmtpRelay(config, None) as client:
            (outcome,) = client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
        elapsed = time.monotonic() - started
    # nothing went out: a known failure, retried, then given up
    assert (outcome.delivered, outcome.unknown, outcome.attempts) == (False, False, 2)
    assert "smtp.timeout_seconds" in outcome.reply
    assert relay.mail_commands == 2 and relay.kept == []
    assert elapsed < 3


def test_each_whole_message_has_a_deadline() -> None:
    # every reply comes in time, but eight recipients at 0.3 s each take longer than allowed
    relay = Relay(slow_rcpt=0.3)
    recipients = [f"r{n}@chibo.example" for n in range(8)]
    with smtp_server(relay) as server:
        config = settings(server.port, timeout_seconds=1.0, message_timeout_seconds=1.0, attempts=1)
        started = time.monotonic()
        with SmtpRelay(config, None) as client:
            outcomes = client.deliver(SENDER, recipients, MESSAGE)
        elapsed = time.monotonic() - started
    assert {(o.delivered, o.unknown) for o in outcomes} == {(False, False)}
    assert "smtp.message_timeout_seconds" in outcomes[0].reply
    assert relay.kept == [] and elapsed < 2.5


def test_the_sent_log_hook_runs_before_data_with_the_accepted_recipients() -> None:
    relay = Relay(refuse={"sai@chibo.example": "550 5.1.1 No such user"})
    seen: list[tuple[tuple[str, ...], int]] = []

    def before_data(accepted: Sequence[str]) -> None:
        seen.append((tuple(accepted), len(relay.kept)))

    with smtp_server(relay) as server, SmtpRelay(settings(server.port), None) as client:
        client.deliver(
            SENDER, ["a@chibo.example", "sai@chibo.example"], MESSAGE, before_data=before_data
        )
    assert seen == [(("a@chibo.example",), 0)]
    assert len(relay.received) == 1


def test_a_failing_hook_stops_the_message_before_it_goes_out() -> None:
    relay = Relay()

    def before_data(accepted: Sequence[str]) -> None:
        raise OutputError("Không ghi được nhật ký gửi thư")

    with smtp_server(relay) as server, SmtpRelay(settings(server.port), None) as client:
        with pytest.raises(OutputError):
            client.deliver(SENDER, ["a@chibo.example"], MESSAGE, before_data=before_data)
        (later,) = client.deliver(SENDER, ["b@chibo.example"], MESSAGE)
    assert relay.data_attempts == 1 and later.delivered
    assert [r.rcpt_tos for r in relay.kept] == [("b@chibo.example",)]


def test_a_permanent_refusal_of_one_recipient_lets_the_others_through() -> None:
    relay = Relay(refuse={"sai@chibo.example": "550 5.1.1 No such user"})
    waits = Waits()
    with smtp_server(relay) as server:
        client = SmtpRelay(settings(server.port), None, sleep=waits)
        with client:
            outcomes = client.deliver(
                SENDER, ["a@chibo.example", "sai@chibo.example", "b@chibo.example"], MESSAGE
            )
    assert [(o.address, o.delivered, o.permanent) for o in outcomes] == [
        ("a@chibo.example", True, False),
        ("sai@chibo.example", False, True),
        ("b@chibo.example", True, False),
    ]
    assert outcomes[1].reply == "550 5.1.1 No such user"
    assert waits.seconds == []  # a 5xx is not retried
    (received,) = relay.received
    assert received.rcpt_tos == ("a@chibo.example", "b@chibo.example")


def test_a_recipient_deferred_every_time_fails_after_the_last_attempt() -> None:
    relay = Relay(defer_rcpt={"a@chibo.example": 99})
    waits = Waits()
    with smtp_server(relay) as server:
        client = SmtpRelay(settings(server.port, attempts=3, backoff_seconds=2), None, sleep=waits)
        with client:
            (outcome,) = client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
    assert not outcome.delivered and not outcome.permanent
    assert outcome.attempts == 3 and outcome.reply.startswith("451")
    assert waits.seconds == [2, 4]
    assert relay.received == []


def test_no_relay_listening_is_a_relay_error() -> None:
    with smtp_server() as server:
        port = server.port
    client = SmtpRelay(settings(port), None)
    with client, pytest.raises(RelayError, match=f"127.0.0.1:{port}") as caught:
        client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
    assert "từ chối kết nối" in str(caught.value)


@pytest.mark.parametrize(
    ("attempts", "backoff", "expected"),
    [
        (1, 2.0, []),
        (4, 2.0, [2.0, 4.0, 8.0]),
        (3, 0.0, [0.0, 0.0]),
        (12, 2.0, [*[2.0 * 2**n for n in range(8)], 300.0, 300.0, 300.0]),
    ],
)
def test_back_off_doubles_up_to_five_minutes(
    attempts: int, backoff: float, expected: list[float]
) -> None:
    config = settings(25, attempts=attempts, backoff_seconds=backoff)
    assert backoff_delays(config) == expected


AUTH_ONLY = {
    # mechanism -> (the server's handler class, the built-in mechanisms it leaves out)
    "PLAIN": (Relay, ["LOGIN"]),
    "LOGIN": (Relay, ["PLAIN"]),
    "CRAM-MD5": (CramMd5Relay, ["PLAIN", "LOGIN"]),
}
VIETNAMESE_PASSWORD = "Mật-khẩu-Đà-Nẵng-ươ-2023"


@pytest.mark.parametrize("mechanism", list(AUTH_ONLY))
@pytest.mark.parametrize("right", [True, False], ids=["right-password", "wrong-password"])
def test_a_vietnamese_password_with_each_mechanism_the_server_offers(
    mechanism: str, right: bool
) -> None:
    handler, excluded = AUTH_ONLY[mechanism]
    relay = handler()
    login = Authenticator("bantochuc", VIETNAMESE_PASSWORD)
    typed = VIETNAMESE_PASSWORD if right else VIETNAMESE_PASSWORD.replace("ươ", "uo")
    with smtp_server(
        relay, authenticator=login, auth_require_tls=False, auth_exclude_mechanism=excluded
    ) as server:
        client = SmtpRelay(settings(server.port, user="bantochuc"), typed)
        with client:
            if right:
                (outcome,) = client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
            else:
                with pytest.raises(RelayError) as caught:
                    client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
    assert login.attempts == [(mechanism, right)]
    if right:
        assert outcome.delivered and relay.received[0].authenticated
    else:
        assert str(caught.value) == (
            f"Máy chủ thư 127.0.0.1:{server.port} không chấp nhận đăng nhập của bantochuc "
            "(535 5.7.8). Hãy kiểm tra tên đăng nhập và mật khẩu trong biến môi trường "
            "XEPLOAI_SMTP_PASSWORD."
        )
        assert relay.kept == []


class XOAuthRelay(Relay):
    """A server whose only way to log in is one xeploai does not speak."""

    async def auth_XOAUTH2(self, server: object, args: list[str]) -> AuthResult:
        return AuthResult(success=False)


def test_a_server_with_no_mechanism_we_speak_is_a_clear_error() -> None:
    with smtp_server(
        XOAuthRelay(),
        authenticator=Authenticator("u", "p"),
        auth_require_tls=False,
        auth_exclude_mechanism=["PLAIN", "LOGIN"],
    ) as server:
        client = SmtpRelay(settings(server.port, user="u"), "p")
        with client, pytest.raises(RelayError) as caught:
            client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
    assert "chỉ cho đăng nhập bằng XOAUTH2" in str(caught.value)
    assert "PLAIN, LOGIN hoặc CRAM-MD5" in str(caught.value)


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_a_server_that_echoes_the_credentials_never_gets_the_password_repeated(
    mechanism: str,
) -> None:
    handler, excluded = AUTH_ONLY[mechanism]
    login = Authenticator("bantochuc", "right", echo=True)
    wrong = "Sai-mat-khau-2023"  # aiosmtpd replies in ASCII only
    with smtp_server(
        handler(), authenticator=login, auth_require_tls=False, auth_exclude_mechanism=excluded
    ) as server:
        client = SmtpRelay(settings(server.port, user="bantochuc"), wrong)
        with client, pytest.raises(RelayError) as caught:
            client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
    said = str(caught.value)
    (echoed,) = login.echoed
    assert wrong in echoed and base64.b64encode(f"\0bantochuc\0{wrong}".encode()).decode() in echoed
    assert "(535 5.7.8)" in said
    for form in (wrong, base64.b64encode(wrong.encode()).decode(), "Sai"):
        assert form not in said


def test_a_reply_that_repeats_the_password_later_is_blanked() -> None:
    password = "Mật-khẩu-2023"
    secret_b64 = base64.b64encode(password.encode()).decode()
    relay = Relay(refuse={"a@chibo.example": f"550 5.1.1 no {password} {secret_b64}"})
    with (
        smtp_server(
            relay, authenticator=Authenticator("u", password), auth_require_tls=False
        ) as server,
        SmtpRelay(settings(server.port, user="u"), password) as client,
    ):
        (outcome,) = client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
    assert outcome.reply == "550 5.1.1 no *** ***"


def test_a_password_that_is_not_text_is_a_clear_error() -> None:
    # a lone surrogate: what an environment variable holding broken bytes can decode to
    with smtp_server(
        Relay(), authenticator=Authenticator("u", "p"), auth_require_tls=False
    ) as server:
        client = SmtpRelay(settings(server.port, user="u"), "mật\ud800khẩu")
        with client, pytest.raises(RelayError, match="không phải UTF-8"):
            client.deliver(SENDER, ["a@chibo.example"], MESSAGE)
