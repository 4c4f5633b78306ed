"""Talking to the relay: the only module that imports ``smtplib``.

``SmtpRelay`` connects (STARTTLS, implicit TLS or plain), logs in with the password from the
environment, and delivers one message to a list of recipients. A temporary failure before the
message's final dot has gone out (a 4xx reply, a dropped connection) is retried with a
doubling back-off, reconnecting when needed; a permanent refusal (5xx) of one recipient is
that recipient's outcome and the others still go out. Once the final dot has gone out, a
dropped connection or a silent server is an *unknown outcome*: the relay may have kept the
message, so it is never sent again on its own. Every reply has a deadline, and so has each
whole message: a server that trickles ``250-`` lines forever cannot hang ``mail``. Failing to
connect at all is a ``RelayError`` (exit code 2).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import re
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

from toolkit.errors import XeploaiError
from toolkit.mail.config import Security, SmtpSettings

#: the longest wait between two tries, whatever the back-off
MAX_BACKOFF_SECONDS = 300.0
#: what the server said, in place of anything that echoed the password
REDACTED = "***"
_ENHANCED_STATUS = re.compile(r"^[245]\.\d{1,3}\.\d{1,3}\b")


class RelayError(XeploaiError):
    """Không kết nối, mã hóa hoặc đăng nhập được máy chủ thư."""

    def __init__(self, message: str, *, temporary: bool = False) -> None:
        super().__init__(message)
        #: worth another try later (no answer, a drop, a 4xx greeting), unlike a refused
        #: login or an invalid certificate
        self.temporary = temporary


@dataclass(frozen=True)
class RecipientOutcome:
    """What became of one recipient of one message."""

    address: str
    delivered: bool
    #: the server's last word about this recipient, e.g. ``550 5.1.1 No such user``
    reply: str = ""
    #: a failure the server said is final (5xx); otherwise it gave up after ``attempts`` tries
    permanent: bool = False
    attempts: int = 1
    #: the whole message went out but no reply came (a drop, a deadline): the relay may have
    #: kept it, so it is neither delivered nor failed, and never retried
    unknown: bool = False


class _Temporary(Exception):
    """A failure worth another try (a 4xx reply, a lost connection before the final dot)."""


class _Unknown(Exception):
    """The final dot went out and no reply came back."""


class _ReplyOverdue(TimeoutError):
    """The server did not finish a reply, or the message, within its deadline."""


def tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    """Certificate and host name checks on, the system's CAs plus ``ca_file``; checks off only
    when the configuration says ``verify_certificate = false``."""
    context = ssl.create_default_context(cafile=str(settings.ca_file) if settings.ca_file else None)
    if not settings.verify_certificate:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def backoff_delays(settings: SmtpSettings) -> list[float]:
    """The waits before the 2nd, 3rd... tries: ``backoff_seconds`` doubled each time."""
    return [
        min(settings.backoff_seconds * 2**n, MAX_BACKOFF_SECONDS)
        for n in range(settings.attempts - 1)
    ]


class SmtpRelay:
    """One connection to the relay, opened on first use and reopened after a drop."""

    def __init__(
        self,
        settings: SmtpSettings,
        password: str | None,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._password = password
        self._sleep = sleep
        self._smtp: _DeadlineSMTP | None = None
        self._secrets = _secret_forms(settings.user or "", password or "")

    def __enter__(self) -> SmtpRelay:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Say QUIT if the server still listens; close the socket in any case."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def connect(self) -> None:
        """Open the connection now (``deliver`` also opens it when needed)."""
        self._connection()

    def deliver(
        self,
        sender: str,
        recipients: Sequence[str],
        data: bytes,
        *,
        before_data: Callable[[Sequence[str]], None] | None = None,
    ) -> tuple[RecipientOutcome, ...]:
        """Send ``data`` to every address in ``recipients``; one outcome per address.

        ``before_data`` is called with the recipients the server accepted, before each DATA
        command: the place to record durably that the message is being sent. What it raises
        stops the delivery before the message goes out.
        """
        pending = list(dict.fromkeys(recipients))
        done: dict[str, RecipientOutcome] = {}
        last_reply = dict.fromkeys(pending, "")
        delays = backoff_delays(self.settings)
        attempt = 0
        for attempt in range(1, self.settings.attempts + 1):
            if attempt > 1:
                self._sleep(delays[attempt - 2])
            accepted: list[str] = []
            try:
                refused = self._send_once(
                    sender,
                    pending,
                    data,
                    is_last=attempt == len(delays) + 1,
                    before_data=before_data,
                    accepted=accepted,
                )
            except _Temporary as exc:
                last_reply.update(dict.fromkeys(pending, str(exc)))
                continue
            except _Unknown as exc:
                for address in accepted:
                    done[address] = RecipientOutcome(
                        address, False, str(exc), False, attempt, unknown=True
                    )
                pending = [a for a in pending if a not in done]
                if not pending:
                    break
                continue
            except smtplib.SMTPResponseException as exc:
                # the server refused the sender or the message itself, for good
                reply = self._reply(exc.smtp_code, exc.smtp_error)
                for address in pending:
                    done[address] = RecipientOutcome(address, False, reply, True, attempt)
                pending = []
                break
            still: list[str] = []
            for address in pending:
                if address not in refused:
                    done[address] = RecipientOutcome(address, True, "", False, attempt)
                    continue
                code, message = refused[address]
                reply = self._reply(code, message)
                if 400 <= code < 500:
                    still.append(address)
                    last_reply[address] = reply
                else:
                    done[address] = RecipientOutcome(address, False, reply, True, attempt)
            pending = still
            if not pending:
                break
        for address in pending:
            done[address] = RecipientOutcome(address, False, last_reply[address], False, attempt)
        return tuple(done[address] for address in dict.fromkeys(recipients))

    # -----------------------------------------------------------------------------------------

    def _send_once(
        self,
        sender: str,
        recipients: list[str],
        data: bytes,
        *,
        is_last: bool,
        before_data: Callable[[Sequence[str]], None] | None,
        accepted: list[str],
    ) -> dict[str, tuple[int, bytes]]:
        """One transaction; ``accepted`` is filled with the recipients the server took."""
        try:
            smtp = self._connection()
        except RelayError as exc:
            if is_last or not exc.temporary:
                raise
            raise _Temporary(str(exc)) from None
        smtp.message_deadline = time.monotonic() + self.settings.message_timeout_seconds
        try:
            try:
                refused = self._envelope(smtp, sender, recipients, accepted)
                if not accepted:
                    return refused
                if before_data is not None:
                    before_data(tuple(accepted))
                code, reply = smtp.docmd("DATA")
                if code != 354:
                    _rset_quietly(smtp)
                    raise smtplib.SMTPDataError(code, reply)
                smtp.send(_wire(data))
            except smtplib.SMTPServerDisconnected as exc:
                self._drop()
                raise _Temporary(f"máy chủ thư ngắt kết nối ({self._describe(exc)})") from None
            except smtplib.SMTPResponseException as exc:
                if exc.smtp_code == 421:
                    self._drop()  # "service not available, closing channel"
                if 400 <= exc.smtp_code < 500:
                    raise _Temporary(self._reply(exc.smtp_code, exc.smtp_error)) from None
                raise
            except (OSError, smtplib.SMTPException) as exc:
                self._drop()
                raise _Temporary(f"lỗi kết nối ({self._describe(exc)})") from None
            except BaseException:
                self._drop()  # the sent log could not record the message: it does not go
                raise
            # the final dot has gone out: from here on the relay may hold the message
            try:
                code, reply = smtp.getreply()
            except (OSError, smtplib.SMTPException) as exc:
                self._drop()
                overdue = isinstance(exc.__context__, _ReplyOverdue)
                raise _Unknown(
                    self._describe(exc) if overdue else "máy chủ thư ngắt kết nối trước khi trả lời"
                ) from None
        finally:
            smtp.message_deadline = None
        if code == 421:
            self._drop()
        if 400 <= code < 500:
            raise _Temporary(self._reply(code, reply))
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)
        return refused

    def _envelope(
        self, smtp: smtplib.SMTP, sender: str, recipients: list[str], accepted: list[str]
    ) -> dict[str, tuple[int, bytes]]:
        """MAIL FROM and one RCPT TO per recipient; the refused ones with their replies."""
        smtp.ehlo_or_helo_if_needed()
        code, reply = smtp.mail(sender)
        if code != 250:
            _rset_quietly(smtp)
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused: dict[str, tuple[int, bytes]] = {}
        for address in recipients:
            code, reply = smtp.rcpt(address)
            if code in (250, 251):
                accepted.append(address)
            else:
                refused[address] = (code, reply)
            if code == 421:
                raise smtplib.SMTPResponseException(code, reply)
        if not accepted:
            _rset_quietly(smtp)
        return refused

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()

    def _reply(self, code: int, message: bytes | str) -> str:
        """A server's reply as one line, with every form of the password blanked out: a
        server may echo what it was sent."""
        text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return f"{code} {' '.join(text.split())}".strip()

    def _describe(self, exc: BaseException) -> str:
        if isinstance(exc, smtplib.SMTPResponseException):
            return self._reply(exc.smtp_code, exc.smtp_error)
        overdue = exc if isinstance(exc, _ReplyOverdue) else exc.__context__
        if isinstance(overdue, _ReplyOverdue):
            return str(overdue)
        if isinstance(exc, ConnectionRefusedError):
            return "máy chủ từ chối kết nối"
        if isinstance(exc, socket.timeout | TimeoutError):
            return "hết thời gian chờ"
        if isinstance(exc, socket.gaierror):
            return "không tìm thấy tên máy chủ"
        text = str(exc) or type(exc).__name__
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def _connection(self) -> _DeadlineSMTP:
        if self._smtp is not None:
            return self._smtp
        s = self.settings
        where = f"{s.host}:{s.port}"
        smtp: _DeadlineSMTP | None = None
        try:
            if s.security is Security.TLS:
                smtp = _DeadlineSMTP_SSL(
                    s.host,
                    s.port,
                    timeout=s.timeout_seconds,
                    context=tls_context(s),
                    reply_seconds=s.timeout_seconds,
                )
            else:
                smtp = _DeadlineSMTP(
                    s.host, s.port, timeout=s.timeout_seconds, reply_seconds=s.timeout_seconds
                )
            smtp.ehlo()
            if s.security is Security.STARTTLS:
                if not smtp.has_extn("starttls"):
                    raise RelayError(
                        f"Máy chủ thư {where} không hỗ trợ STARTTLS; hãy dùng security = "
                        '"tls" hoặc hỏi quản trị máy chủ thư.'
                    )
                smtp.starttls(context=tls_context(s))
                smtp.ehlo()
            if s.user is not None:
                _login(smtp, s.user, self._password or "", where)
        except RelayError:
            _close_quietly(smtp)
            raise
        except ssl.SSLCertVerificationError as exc:
            _close_quietly(smtp)
            raise RelayError(
                f"Chứng chỉ của máy chủ thư {where} không hợp lệ ({exc.verify_message}). Hãy "
                "chỉ ra chứng chỉ của cơ quan bằng smtp.ca_file trong tệp cấu hình."
            ) from None
        except smtplib.SMTPAuthenticationError as exc:
            _close_quietly(smtp)
            # only the reply's codes: a server may echo the credentials in its text, in a form
            # no list of the password's encodings foresees
            raise RelayError(
                f"Máy chủ thư {where} không chấp nhận đăng nhập của {s.user} "
                f"({_codes_only(exc.smtp_code, exc.smtp_error)}). Hãy kiểm tra tên đăng nhập "
                f"và mật khẩu trong biến môi trường {s.password_env}."
            ) from None
        except smtplib.SMTPNotSupportedError:
            _close_quietly(smtp)
            raise RelayError(
                f"Máy chủ thư {where} không cho đăng nhập (AUTH) trên kết nối này; hãy dùng "
                'security = "starttls" hoặc "tls".'
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            _close_quietly(smtp)
            permanent = isinstance(
                exc, ssl.SSLError | socket.gaierror | ConnectionRefusedError
            ) or (isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500)
            raise RelayError(
                f"Không kết nối được máy chủ thư {where}: {self._describe(exc)}. Hãy kiểm tra "
                "smtp.host, smtp.port và smtp.security trong tệp cấu hình.",
                temporary=not permanent,
            ) from None
        except BaseException:
            _close_quietly(smtp)  # a bug, not the user's: keep the traceback, not the socket
            raise
        self._smtp = smtp
        return smtp


# ---------------------------------------------------------------------------------------------
# Deadlines


class _DeadlineReader:
    """``smtplib``'s reply stream, each line read within what is left of the reply's time."""

    def __init__(self, raw: IO[bytes], smtp: _DeadlineSMTP) -> None:
        self._raw = raw
        self._smtp = smtp

    def readline(self, size: int = -1) -> bytes:
        sock = self._smtp.sock
        left = self._smtp.reply_deadline - time.monotonic()
        if left <= 0 or sock is None:
            raise _ReplyOverdue(self._smtp.overdue_text())
        sock.settimeout(left)
        try:
            return self._raw.readline(size)
        except TimeoutError:
            raise _ReplyOverdue(self._smtp.overdue_text()) from None

    def close(self) -> None:
        self._raw.close()


class _DeadlineSMTP(smtplib.SMTP):
    """``smtplib.SMTP`` whose every reply must be complete within ``reply_seconds``, and
    every reply and send within ``message_deadline`` while a message is under way."""

    def __init__(self, *args: Any, reply_seconds: float, **kwargs: Any) -> None:
        self.reply_seconds = reply_seconds
        self.reply_deadline = 0.0
        #: ``time.monotonic()`` by which the current message must be done, if one is going
        self.message_deadline: float | None = None
        super().__init__(*args, **kwargs)

    def _limit(self, seconds: float) -> float:
        deadline = time.monotonic() + seconds
        if self.message_deadline is not None:
            deadline = min(deadline, self.message_deadline)
        return deadline

    def overdue_text(self) -> str:
        if self.message_deadline is not None and time.monotonic() >= self.message_deadline:
            return "máy chủ thư xử lý thư quá thời hạn cho một thư (smtp.message_timeout_seconds)"
        return (
            f"máy chủ thư không trả lời xong trong {self.reply_seconds:g} giây "
            "(smtp.timeout_seconds)"
        )

    def getreply(self) -> tuple[int, bytes]:
        self.reply_deadline = self._limit(self.reply_seconds)
        if self.file is None and self.sock is not None:
            self.file = _DeadlineReader(self.sock.makefile("rb"), self)
        return super().getreply()

    def send(self, s: ReadableBuffer | str) -> None:
        if self.sock is not None:
            # since Python 3.5 a socket's timeout bounds a whole sendall
            small = isinstance(s, str) or memoryview(s).nbytes < 1024
            left = self._limit(self.reply_seconds if small else float("inf"))
            left -= time.monotonic()
            if left <= 0:
                self.close()
                raise smtplib.SMTPServerDisconnected(self.overdue_text())
            self.sock.settimeout(min(left, 1e9))
        super().send(s)


class _DeadlineSMTP_SSL(_DeadlineSMTP, smtplib.SMTP_SSL):
    """Implicit TLS with the same deadlines."""


# ---------------------------------------------------------------------------------------------
# Logging in


def _login(smtp: smtplib.SMTP, user: str, password: str, where: str) -> None:
    """One login with PLAIN, LOGIN or CRAM-MD5, the name and password in UTF-8 (RFC 4616),
    so that a password with Vietnamese letters works: ``smtplib.login`` encodes it as ASCII
    and fails with a traceback, and after a refusal it tries every other mechanism in turn."""
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("AUTH")
    mechanisms = smtp.esmtp_features["auth"].upper().split()
    try:
        name, secret = user.encode("utf-8"), password.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raise RelayError(
            "Mật khẩu thư trong biến môi trường có ký tự không hợp lệ (không phải UTF-8); hãy "
            "đặt lại mật khẩu."
        ) from None

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode("ascii")

    if "PLAIN" in mechanisms:
        code, reply = smtp.docmd("AUTH", "PLAIN " + b64(b"\0" + name + b"\0" + secret))
    elif "LOGIN" in mechanisms:
        code, reply = smtp.docmd("AUTH", "LOGIN")
        if code == 334:
            code, reply = smtp.docmd(b64(name))
        if code == 334:
            code, reply = smtp.docmd(b64(secret))
    elif "CRAM-MD5" in mechanisms:
        code, reply = smtp.docmd("AUTH", "CRAM-MD5")
        if code == 334:
            try:
                challenge = base64.b64decode(reply, validate=True)
            except binascii.Error:
                raise smtplib.SMTPAuthenticationError(code, b"bad challenge") from None
            digest = hmac.new(secret, challenge, "md5").hexdigest()
            code, reply = smtp.docmd(b64(name + b" " + digest.encode("ascii")))
    else:
        offered = ", ".join(mechanisms) or "không cách nào"
        raise RelayError(
            f"Máy chủ thư {where} chỉ cho đăng nhập bằng {offered}; xeploai đăng nhập bằng "
            "PLAIN, LOGIN hoặc CRAM-MD5. Hãy hỏi quản trị máy chủ thư."
        )
    if code == 334:
        _abort_auth(smtp)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _abort_auth(smtp: smtplib.SMTP) -> None:
    """A server that keeps asking: cancel the exchange (RFC 4954) rather than answer it."""
    with contextlib.suppress(OSError, smtplib.SMTPException):
        smtp.docmd("*")


def _secret_forms(user: str, password: str) -> tuple[str, ...]:
    """The password as a server could echo it: as typed, and base64 as PLAIN and LOGIN sent
    it (longest first, so that a form is blanked whole)."""
    if not password:
        return ()
    try:
        raw = password.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return (password,)  # never sent: logging in says the password is not valid text
    forms = {
        password,
        base64.b64encode(raw).decode("ascii"),
        base64.b64encode(b"\0" + user.encode("utf-8") + b"\0" + raw).decode("ascii"),
    }
    return tuple(sorted(forms, key=len, reverse=True))


def _codes_only(code: int, message: bytes | str) -> str:
    """A reply's code and its enhanced status code (``535 5.7.8``), without its text."""
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    enhanced = _ENHANCED_STATUS.match(text.strip())
    return f"{code} {enhanced.group(0)}" if enhanced else str(code)


def _rset_quietly(smtp: smtplib.SMTP) -> None:
    with contextlib.suppress(OSError, smtplib.SMTPException):
        smtp.rset()


def _close_quietly(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        smtp.close()


def _wire(data: bytes) -> bytes:
    """The DATA payload: CRLF line ends, a leading dot doubled (RFC 5321 4.5.2), the final
    ``CRLF . CRLF``."""
    lines = re.sub(rb"\r\n|\r|\n", b"\r\n", data)
    stuffed = re.sub(rb"(?m)^\.", b"..", lines)
    if not stuffed.endswith(b"\r\n"):
        stuffed += b"\r\n"
    return stuffed + b".\r\n"
