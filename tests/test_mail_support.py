"""Real parts for the mail tests: output folders with real workbooks, a real SMTP server
(aiosmtpd) on 127.0.0.1, a self-signed certificate, and readers for what the server received.

The other ``test_mail_*`` modules import these helpers; the tests at the end check the helpers
themselves, so that a broken helper cannot make the real tests pass for the wrong reason.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as _dt
import email
import email.policy
import hashlib
import hmac
import io
import ipaddress
import json
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import Message
from email.utils import collapse_rfc2231_value, getaddresses
from pathlib import Path
from typing import Any

import openpyxl
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# ---------------------------------------------------------------------------------------------
# Output folders as `aggregate` writes them


@dataclass
class CellSpec:
    """One cell of a test output folder."""

    code: str
    name: str
    secretary_name: str = "Nguyễn Văn Toản"
    secretary_email: str | None = None
    status: str = "ok"
    #: False: the cell sent nothing (result_file null); a string: that result_file verbatim
    result_file: bool | str = True
    issues: list[dict[str, str]] = field(default_factory=list)
    #: ket-qua.json's "aggregated" (None: the key left out, as files written before it)
    aggregated: bool | None = None

    def email_address(self) -> str:
        if self.secretary_email is not None:
            return self.secretary_email
        return f"bithu.{self.code.lower()}@chibo.example"


LIEN_CHIEU_CELLS = [
    CellSpec("CB01", "Chi bộ Trường THPT Liên Chiểu", "Nguyễn Văn Toản", status="ok"),
    CellSpec("CB02", "Chi bộ Khu dân cư số 2 Hòa Minh", "Lê Thị Hoa", status="warnings"),
    CellSpec("CB03", "Chi bộ Công ty Cổ phần Cảng Liên Chiểu", "Trần Quốc Việt", status="errors"),
]


def write_workbook(path: Path, title: str, rows: list[list[object]]) -> None:
    """A real .xlsx written by openpyxl (its bytes are what must arrive unchanged)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        # a name with a control character (a test of ours) is kept out of the file's XML
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("?", v) if isinstance(v, str) else v for v in row])
    book.save(path)


def build_out(
    root: Path,
    cells: list[CellSpec] | None = None,
    *,
    year: int = 2023,
    parent: dict[str, str] | None = None,
    generated_on: str | None = "2024-01-15",
) -> Path:
    """An output folder like ``aggregate``'s: tong-hop.xlsx, bao-cao.html, chi-bo/<code>.xlsx,
    manifest.json and ket-qua.json following the ``xeploai/ket-qua/1`` contract."""
    cells = LIEN_CHIEU_CELLS if cells is None else cells
    parent = {"code": "QU-LC", "name": "Quận ủy Liên Chiểu"} if parent is None else parent
    root.mkdir(parents=True, exist_ok=True)
    write_workbook(
        root / "tong-hop.xlsx",
        "Tổng hợp",
        [["Mã", "Chi bộ", "Trạng thái"]] + [[c.code, c.name, c.status] for c in cells],
    )
    (root / "bao-cao.html").write_text(
        "<!DOCTYPE html><html lang='vi'><meta charset='utf-8'><title>Báo cáo</title>"
        f"<h1>Báo cáo xếp loại năm {year}</h1></html>\n",
        encoding="utf-8",
    )
    entries: list[dict[str, Any]] = []
    for cell in cells:
        result_file: str | None
        if cell.result_file is True:
            result_file = f"chi-bo/{cell.code}.xlsx"
            # each cell's workbook holds its own code, so that every file differs
            write_workbook(
                root / result_file,
                "Kết quả",
                [["Chi bộ", cell.code, cell.name], ["Trạng thái", cell.status]],
            )
        elif cell.result_file is False:
            result_file = None
        else:
            result_file = cell.result_file
        entries.append(
            {
                "code": cell.code,
                "name": cell.name,
                "kind": "chi_bo_truc_thuoc",
                "secretary_name": cell.secretary_name,
                "secretary_email": cell.email_address(),
                "result_file": result_file,
                "status": "missing" if result_file is None else cell.status,
                "counts": {},
                "proposed_level": None,
                "issues": cell.issues,
            }
            | ({} if cell.aggregated is None else {"aggregated": cell.aggregated})
        )
    results: dict[str, Any] = {
        "schema": "xeploai/ket-qua/1",
        "toolkit_version": "0.1.0",
        "year": year,
        "ruleset": {"code": "QD124", "name": "Quy định 124-QĐ/TW", "overrides": []},
        "parent": parent or None,
        "outputs": {
            "summary": "tong-hop.xlsx",
            "report": "bao-cao.html",
            "manifest": "manifest.json",
        },
        "totals": {},
        "cells": entries,
        "quotas": [],
        "issues": [],
    }
    if generated_on is not None:
        results["generated_on"] = generated_on
    (root / "ket-qua.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    write_manifest(root)
    return root


def write_manifest(root: Path) -> None:
    """``manifest.json`` as ``aggregate`` writes it last: the SHA-256 of every file in
    ``root`` (a test that changes a file on purpose writes it again)."""
    outputs = [
        {
            "path": path.relative_to(root).as_posix(),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "bytes": path.stat().st_size,
        }
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name not in ("manifest.json", "da-gui.jsonl")
    ]
    manifest = {"schema": "xeploai/manifest/1", "outputs": outputs}
    (root / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")


LEADERS = [
    ("Đồng chí Bí thư Quận ủy", "bithu@quanuy.example"),
    ("Trưởng Ban Tổ chức Quận ủy Liên Chiểu", "truongban@quanuy.example"),
]


def write_config(
    path: Path,
    port: int,
    *,
    security: str = "plain",
    leaders: list[tuple[str, str]] | None = None,
    extra_smtp: str = "",
    extra: str = "",
) -> Path:
    """A ``mail.toml`` for a relay on 127.0.0.1:``port``; retries without waiting."""
    leaders = LEADERS if leaders is None else leaders
    text = (
        "[smtp]\n"
        'host = "127.0.0.1"\n'
        f"port = {port}\n"
        f'security = "{security}"\n'
        "timeout_seconds = 10\n"
        "attempts = 3\n"
        "backoff_seconds = 0\n"
        f"{extra_smtp}\n"
        "[sender]\n"
        'name = "Ban Tổ chức Quận ủy Liên Chiểu"\n'
        'email = "bantochuc@quanuy.example"\n'
    )
    for name, address in leaders:
        text += f'\n[[leaders]]\nname = "{name}"\nemail = "{address}"\n'
    path.write_text(text + extra, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# A self-signed certificate for 127.0.0.1


@dataclass(frozen=True)
class Certificate:
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def make_certificate(folder: Path) -> Certificate:
    """A self-signed certificate (its own CA) for ``127.0.0.1`` and ``localhost``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xeploai test relay")])
    now = _dt.datetime.now(_dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _dt.timedelta(hours=1))
        .not_valid_after(now + _dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    cert_file, key_file = folder / "relay-cert.pem", folder / "relay-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificate(cert_file, key_file)


# ---------------------------------------------------------------------------------------------
# A real SMTP server


@dataclass(frozen=True)
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    authenticated: bool
    tls: bool

    def message(self) -> Message:
        return email.message_from_bytes(self.data, policy=email.policy.compat32)


class Relay:
    """What the test server does: record messages, and misbehave on request.

    ``refuse``: address -> final reply to RCPT (5xx); ``defer_rcpt``: address -> how many
    RCPTs to answer 451 first; ``drop_rcpt``: how many RCPTs to answer by closing the
    connection (before the message went out); ``defer_data``/``drop_data``: how many messages
    to answer 451 / to answer by closing the connection, once their final dot has arrived
    (the message kept, as a relay that queued it and then lost the connection);
    ``stall_data``: seconds to wait before answering a message; ``trickle_mail`` and
    ``trickle_data``: seconds to keep sending ``250-`` lines, a line every 50 ms, before the
    last line of the reply to MAIL FROM / to a message; ``slow_rcpt``: seconds before each
    RCPT reply.
    """

    def __init__(
        self,
        *,
        refuse: dict[str, str] | None = None,
        defer_rcpt: dict[str, int] | None = None,
        drop_rcpt: int = 0,
        defer_data: int = 0,
        drop_data: int = 0,
        stall_data: float = 0.0,
        trickle_mail: float = 0.0,
        trickle_data: float = 0.0,
        slow_rcpt: float = 0.0,
    ) -> None:
        self.refuse = refuse or {}
        self.defer_rcpt = dict(defer_rcpt or {})
        self.drop_rcpt = drop_rcpt
        self.defer_data = defer_data
        self.drop_data = drop_data
        self.stall_data = stall_data
        self.trickle_mail = trickle_mail
        self.trickle_data = trickle_data
        self.slow_rcpt = slow_rcpt
        self.received: list[Received] = []
        #: every message whose final dot arrived, answered or not
        self.kept: list[Received] = []
        self.rcpt_replies: list[tuple[str, str]] = []
        self.data_attempts = 0
        self.mail_commands = 0
        self._lock = threading.Lock()

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        self.mail_commands += 1
        await _trickle(server, self.trickle_mail)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.slow_rcpt:
            await asyncio.sleep(self.slow_rcpt)
        with self._lock:
            if self.drop_rcpt > 0:
                self.drop_rcpt -= 1
                server.transport.close()
                return "421 4.3.0 Closing connection"
            if address in self.refuse:
                reply = self.refuse[address]
            elif self.defer_rcpt.get(address, 0) > 0:
                self.defer_rcpt[address] -= 1
                reply = "451 4.3.0 Mailbox busy, try again later"
            else:
                envelope.rcpt_tos.append(address)
                reply = "250 OK"
            self.rcpt_replies.append((address, reply))
        return reply

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = Received(
            mail_from=envelope.mail_from,
            rcpt_tos=tuple(envelope.rcpt_tos),
            data=bytes(envelope.original_content),
            authenticated=bool(session.authenticated),
            tls=session.ssl is not None,
        )
        with self._lock:
            self.data_attempts += 1
            if self.defer_data > 0:
                self.defer_data -= 1
                return "451 4.3.0 System busy, try again later"
            self.kept.append(message)
            if self.drop_data > 0:
                self.drop_data -= 1
                server.transport.close()
                return "421 4.3.0 Closing connection"
        if self.stall_data:
            await asyncio.sleep(self.stall_data)
        await _trickle(server, self.trickle_data)
        with self._lock:
            self.received.append(message)
        return "250 OK: queued"


async def _trickle(server: Any, seconds: float) -> None:
    """``250-`` continuation lines every 50 ms for ``seconds`` or until the client leaves."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not server.transport.is_closing():
        await server.push("250-still working")
        await asyncio.sleep(0.05)


class Authenticator:
    """Accepts exactly one login and password; remembers every attempt.

    ``echo``: a refusal repeats what the client sent, decoded and in base64 (some servers
    do), so that a test can look for the password wherever it might have been copied.
    """

    def __init__(self, user: str, password: str, *, echo: bool = False) -> None:
        self.user, self.password = user.encode(), password.encode()
        self.echo = echo
        self.attempts: list[tuple[str, bool]] = []
        #: the refusals it sent with the credentials echoed
        self.echoed: list[str] = []

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if isinstance(auth_data, CramMd5):
            expected = hmac.new(self.password, auth_data.challenge, "md5").hexdigest()
            ok = auth_data.login == self.user and auth_data.digest == expected.encode()
        else:
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login == self.user
                and auth_data.password == self.password
            )
        self.attempts.append((mechanism, ok))
        if not ok and self.echo and isinstance(auth_data, LoginPassword):
            said = auth_data.login + b" " + auth_data.password
            text = said.decode("utf-8", "replace")
            encoded = base64.b64encode(b"\0" + said.replace(b" ", b"\0", 1)).decode()
            self.echoed.append(f"535 5.7.8 Bad: {text} {encoded}")
            return AuthResult(success=False, handled=False, message=self.echoed[-1])
        # handled=False: aiosmtpd itself answers 235 or 535
        return AuthResult(success=ok, handled=False)


@dataclass(frozen=True)
class CramMd5:
    """What a CRAM-MD5 client answered (RFC 2195): its login and the HMAC-MD5 digest."""

    login: bytes
    digest: bytes
    challenge: bytes


class CramMd5Relay(Relay):
    """A ``Relay`` that also offers AUTH CRAM-MD5 (aiosmtpd has no CRAM-MD5 of its own)."""

    async def auth_CRAM__MD5(self, server: Any, args: list[str]) -> AuthResult:
        challenge = b"<1896.697170952@quanuy.example>"
        answer = await server.challenge_auth(challenge)
        if not isinstance(answer, bytes):
            return AuthResult(success=False, handled=True)
        login, _, digest = answer.rpartition(b" ")
        return server._authenticate("CRAM-MD5", CramMd5(login, digest, challenge))


class _EphemeralController(Controller):
    """aiosmtpd's controller, listening on a port the system picks (port 0)."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@contextmanager
def smtp_server(relay: Relay | None = None, **smtp_options: Any) -> Iterator[_EphemeralController]:
    """A real SMTP server on 127.0.0.1 and a free port, stopped on exit.

    ``smtp_options`` go to aiosmtpd (``tls_context=`` for STARTTLS, ``ssl_context=`` for
    implicit TLS, ``authenticator=``, ``auth_required=``, ``auth_require_tls=``...).
    """
    controller = _EphemeralController(
        relay or Relay(), hostname="127.0.0.1", port=0, **smtp_options
    )
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


# ---------------------------------------------------------------------------------------------
# Reading what arrived


def header_text(message: Message, name: str) -> str:
    """A header decoded as a mail client shows it (RFC 2047 words joined per the RFC)."""
    raw = message[name]
    return "" if raw is None else str(make_header(decode_header(str(raw))))


def addresses(message: Message, name: str) -> list[tuple[str, str]]:
    return getaddresses([header_text(message, name)])


def attachment_names(part: Message) -> tuple[str, str]:
    """(the RFC 2231 ``filename*`` decoded, the ASCII ``filename``) of an attachment."""
    params = part.get_params(header="content-disposition") or []
    extended = [value for key, value in params if key == "filename" and isinstance(value, tuple)]
    plain = [value for key, value in params if key == "filename" and isinstance(value, str)]
    assert len(extended) == 1 and len(plain) == 1, params
    return str(collapse_rfc2231_value(extended[0])), str(plain[0]).strip('"')


def attachments(message: Message) -> dict[str, bytes]:
    """Vietnamese file name -> decoded bytes, for every attachment."""
    found: dict[str, bytes] = {}
    for part in message.walk():
        if part.get_content_disposition() == "attachment":
            name, _ = attachment_names(part)
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found[name] = payload
    return found


def bodies(message: Message) -> dict[str, str]:
    """content type -> decoded text of the plain and HTML bodies (with ``\n`` line ends)."""
    found: dict[str, str] = {}
    for part in message.walk():
        if part.get_content_maintype() == "text" and part.get_content_disposition() is None:
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            text = payload.decode(part.get_content_charset() or "ascii")
            found[part.get_content_type()] = text.replace("\r\n", "\n")
    return found


# ---------------------------------------------------------------------------------------------
# The helpers checked


def test_built_folder_holds_real_distinct_workbooks(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    results = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    files = [out / c["result_file"] for c in results["cells"]]
    assert len({f.read_bytes() for f in files}) == len(files)
    book = openpyxl.load_workbook(io.BytesIO(files[0].read_bytes()))
    assert book.active is not None
    assert book.active["B1"].value == "CB01"


def test_server_listens_on_a_free_port_and_the_certificate_is_self_signed(
    tmp_path: Path,
) -> None:
    with smtp_server() as first, smtp_server() as second:
        assert first.port not in (0, 8025) and second.port not in (0, first.port)
    certificate = make_certificate(tmp_path)
    loaded = x509.load_pem_x509_certificate(certificate.cert_file.read_bytes())
    assert loaded.issuer == loaded.subject
