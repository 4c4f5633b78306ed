"""Talking to the relay: the only module that imports ``smtplib``.

``SmtpRelay`` connects (STARTTLS, implicit TLS or plain), logs in with the password from the
environment, and delivers one message to a list of recipients. A temporary failure (a 4xx
reply, a dropped connection) is retried with a doubling back-off, reconnecting when needed; a
permanent refusal (5xx) of one recipient is that recipient's outcome and the others still go
out. Failing to connect at all is a ``RelayError`` (exit code 2).
"""

from __future__ import annotations

import base64
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType

from toolkit.errors import XeploaiError
from toolkit.mail.config import Security, SmtpSettings

#: the longest wait between two tries, whatever the back-off
MAX_BACKOFF_SECONDS = 300.0


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


class _Temporary(Exception):
    """A failure worth another try (a 4xx reply, a lost connection)."""


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
        self._smtp: smtplib.SMTP | None = None

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
        self, sender: str, recipients: Sequence[str], data: bytes
    ) -> tuple[RecipientOutcome, ...]:
        """Send ``data`` to every address in ``recipients``; one outcome per address."""
        pending = list(dict.fromkeys(recipients))
        done: dict[str, RecipientOutcome] = {}
        last_reply = dict.fromkeys(pending, "")
        delays = backoff_delays(self.settings)
        attempt = 0
        for attempt in range(1, self.settings.attempts + 1):
            if attempt > 1:
                self._sleep(delays[attempt - 2])
            try:
                refused = self._send_once(sender, pending, data, is_last=attempt == len(delays) + 1)
            except _Temporary as exc:
                last_reply.update(dict.fromkeys(pending, str(exc)))
                continue
            except smtplib.SMTPResponseException as exc:
                # the server refused the sender or the message itself, for good
                reply = _reply(exc.smtp_code, exc.smtp_error)
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
                reply = _reply(code, message)
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
        self, sender: str, recipients: list[str], data: bytes, *, is_last: bool
    ) -> dict[str, tuple[int, bytes]]:
        try:
            smtp = self._connection()
        except RelayError as exc:
            if is_last or not exc.temporary:
                raise
            raise _Temporary(str(exc)) from None
        try:
            return smtp.sendmail(sender, recipients, data)
        except smtplib.SMTPRecipientsRefused as exc:
            return dict(exc.recipients)
        except smtplib.SMTPServerDisconnected as exc:
            self._drop()
            raise _Temporary(f"máy chủ thư ngắt kết nối ({exc})") from None
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code == 421:
                self._drop()  # "service not available, closing channel"
            if 400 <= exc.smtp_code < 500:
                raise _Temporary(_reply(exc.smtp_code, exc.smtp_error)) from None
            raise
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            raise _Temporary(f"lỗi kết nối ({exc})") from None

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        s = self.settings
        where = f"{s.host}:{s.port}"
        smtp: smtplib.SMTP | None = None
        try:
            if s.security is Security.TLS:
                smtp = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout_seconds, context=tls_context(s)
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
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
                _login(smtp, s.user, self._password or "")
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
            raise RelayError(
                f"Máy chủ thư {where} không chấp nhận đăng nhập của {s.user}: "
                f"{_reply(exc.smtp_code, exc.smtp_error)}. Hãy kiểm tra tên đăng nhập và mật "
                f"khẩu trong biến môi trường {s.password_env}."
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
                f"Không kết nối được máy chủ thư {where}: {_describe(exc)}. Hãy kiểm tra "
                "smtp.host, smtp.port và smtp.security trong tệp cấu hình.",
                temporary=not permanent,
            ) from None
        except BaseException:
            _close_quietly(smtp)  # a bug, not the user's: keep the traceback, not the socket
            raise
        self._smtp = smtp
        return smtp


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """One login with PLAIN or LOGIN in UTF-8 (RFC 4616), so that a password with Vietnamese
    letters works: ``smtplib.login`` encodes it as ASCII and fails, and after a refusal it
    tries every other mechanism in turn."""
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("AUTH")
    mechanisms = smtp.esmtp_features["auth"].upper().split()

    def b64(text: str) -> str:
        return base64.b64encode(text.encode("utf-8")).decode("ascii")

    if "PLAIN" in mechanisms:
        code, reply = smtp.docmd("AUTH", "PLAIN " + b64(f"\0{user}\0{password}"))
    elif "LOGIN" in mechanisms:
        code, reply = smtp.docmd("AUTH", "LOGIN")
        if code == 334:
            code, reply = smtp.docmd(b64(user))
        if code == 334:
            code, reply = smtp.docmd(b64(password))
    else:
        smtp.login(user, password)  # CRAM-MD5 and the like: ASCII only, as smtplib does
        return
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _close_quietly(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        smtp.close()


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return f"{code} {' '.join(text.split())}".strip()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, ConnectionRefusedError):
        return "máy chủ từ chối kết nối"
    if isinstance(exc, socket.timeout | TimeoutError):
        return "hết thời gian chờ"
    if isinstance(exc, socket.gaierror):
        return "không tìm thấy tên máy chủ"
    return str(exc) or type(exc).__name__
