"""Messages as bytes: Vietnamese subject and bodies from the ``mail_*.j2`` templates, and the
attachments named so that mail clients show their Vietnamese names.

Every message is ``multipart/mixed``: a ``multipart/alternative`` (plain text, then HTML) and
the attachments in base64, so the received files are byte-identical to those in the output
folder. Bodies are quoted-printable UTF-8 and headers RFC 2047 encoded, so the message is pure
7-bit ASCII and passes any relay. MIME boundaries and the Message-ID are derived from the
message's contents and its date, so the same inputs and date give the same bytes.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import email.policy
import hashlib
import json
import urllib.parse
from dataclasses import dataclass
from email.message import MIMEPart
from email.utils import format_datetime
from pathlib import Path

import jinja2
import markupsafe

from toolkit import __version__
from toolkit.errors import ConfigError, InputError, os_reason
from toolkit.mail.addresses import Recipient
from toolkit.mail.config import MailConfig
from toolkit.mail.folder import ResultsFolder
from toolkit.mail.plan import Attachment, MessageKind, PlannedMessage
from toolkit.model import normalize_text, strip_accents
from toolkit.resources import reports_dir
from toolkit.visible import visible

#: Việt Nam has one time zone and no daylight saving time
ICT = _dt.timezone(_dt.timedelta(hours=7), "ICT")
#: CRLF line ends, nothing but 7-bit ASCII on the wire, lines of at most 76 characters (the
#: quoted-printable limit of RFC 2045; the email package uses the same number for headers)
MAX_LINE = 76
POLICY = email.policy.SMTP.clone(cte_type="7bit", max_line_length=MAX_LINE)
#: a fixed table rather than ``mimetypes``, whose answers depend on the machine
MEDIA_TYPES: dict[str, tuple[str, str]] = {
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".html": ("text", "html"),
    ".json": ("application", "json"),
    ".pdf": ("application", "pdf"),
}
#: the longest ASCII fallback name that keeps its header line within MAX_LINE
_MAX_FALLBACK = 62
#: percent-encoded characters per RFC 2231 continuation line
_SEGMENT = 54
#: UTF-8 bytes per encoded word: 52 base64 characters, 64 with the =?utf-8?b?...?= around
_WORD_BYTES = 39
#: the longest plain word or quoted name kept as it is in a header: an encoded word's length,
#: so that every token fits a folded line whatever a name's length
_MAX_TOKEN = 64
#: the cell code's share of a Message-ID (a code may be as long as a roster allows)
_MAX_ID_SLUG = 40


@dataclass(frozen=True)
class LeadersMailContext:
    """What ``mail_leaders_*.j2`` see (plus ``subject`` in the HTML body)."""

    year: int
    ruleset_name: str
    parent_name: str
    sender_name: str
    summary_name: str
    report_name: str
    cell_count: int
    ok_count: int
    warning_count: int
    error_count: int
    missing_count: int
    #: "CB01 — Chi bộ ..." of the cells with errors and of those that sent nothing
    error_cells: tuple[str, ...]
    missing_cells: tuple[str, ...]
    #: cells counted in the totals; those left out (files with errors, or nothing sent) with
    #: why; those counted whose files have errors or warnings to look at, with how many
    counted_count: int = 0
    left_out: tuple[str, ...] = ()
    counted_flagged: tuple[str, ...] = ()
    #: the attached report is the summary; the full one (member detail) stays in the results
    #: folder under this name
    report_is_summary: bool = False
    full_report_name: str = ""
    #: files of the results folder too large to attach (``plan.LEADERS_MAIL_LIMIT``)
    not_attached: tuple[str, ...] = ()


@dataclass(frozen=True)
class SecretaryMailContext:
    """What ``mail_secretary_*.j2`` see (plus ``subject`` in the HTML body)."""

    year: int
    ruleset_name: str
    parent_name: str
    sender_name: str
    cell_code: str
    cell_name: str
    secretary_name: str
    #: "ok", "warnings" or "errors" (ket-qua.json's status of the cell)
    status: str
    error_count: int
    warning_count: int
    attachment_name: str


@dataclass(frozen=True)
class ComposedMessage:
    """A message ready to go: its bytes (CRLF line ends) and how it is identified."""

    planned: PlannedMessage
    message_id: str
    subject: str
    data: bytes


def mail_environment(templates_dir: Path | None = None) -> jinja2.Environment:
    """The one Jinja2 environment for mail: the district's templates first, then ours.

    HTML templates (``*.html.j2``) are autoescaped; every undefined name is an error; every
    text printed is made visible (``toolkit.visible``: a control or direction character in a
    cell's name shows as an escape in the body, never acts on the reader's screen).
    """
    folders = [str(reports_dir())]
    if templates_dir is not None:
        folders.insert(0, str(templates_dir))
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html.j2",), disabled_extensions=("txt.j2",), default=True
        ),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        finalize=_visible_text,
    )


def _visible_text(value: object) -> object:
    """What a template prints: text made visible, markup and numbers as they are."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return visible(value)
    return value


def compose_message(
    planned: PlannedMessage,
    folder: ResultsFolder,
    config: MailConfig,
    *,
    date: _dt.datetime,
    env: jinja2.Environment,
) -> ComposedMessage:
    """Build ``planned`` as it will be sent on ``date``."""
    context: LeadersMailContext | SecretaryMailContext
    if planned.kind is MessageKind.LEADERS:
        context, prefix = leaders_context(planned, folder, config), "mail_leaders"
    else:
        context, prefix = secretary_context(planned, folder, config), "mail_secretary"
    values: dict[str, object] = {
        f.name: getattr(context, f.name) for f in dataclasses.fields(context)
    }
    subject = normalize_text(_render(env, f"{prefix}_subject.txt.j2", values))
    text = _render(env, f"{prefix}_body.txt.j2", values)
    html = _render(env, f"{prefix}_body.html.j2", {**values, "subject": subject})

    digest = _digest(planned, folder, date)
    slug = planned.slug[:_MAX_ID_SLUG]
    message_id = f"<{digest[:32]}.{slug}@{config.sender.email.rpartition('@')[2]}>"
    root = MIMEPart(policy=POLICY)
    root["Date"] = format_datetime(date)
    # From, To and Subject are encoded and folded here: the email package's own folding of
    # long Vietnamese names can cut an encoded word in two (seen with Python 3.11)
    root.set_raw("From", fold_header("From", encode_address(config.sender)))
    root.set_raw("To", fold_header("To", _listed([encode_address(r) for r in planned.recipients])))
    if config.reply_to:
        root.set_raw("Reply-To", config.reply_to)
    root.set_raw("Subject", fold_header("Subject", encode_text(subject)))
    root["Message-ID"] = message_id
    root["MIME-Version"] = "1.0"
    root["X-Mailer"] = f"xeploai {__version__}"
    root.set_content(_lf(text), subtype="plain", cte="quoted-printable")
    root.add_alternative(_lf(html), subtype="html", cte="quoted-printable")
    root.set_boundary(f"=_xeploai_alt_{digest[32:48]}")
    root.make_mixed()
    for attachment in planned.attachments:
        root.attach(_attachment_part(attachment))
    root.set_boundary(f"=_xeploai_mix_{digest[48:64]}")
    return ComposedMessage(planned, message_id, subject, root.as_bytes(policy=POLICY))


def leaders_context(
    planned: PlannedMessage, folder: ResultsFolder, config: MailConfig
) -> LeadersMailContext:
    """The leaders' template context: the attachments and where the cells stand."""
    statuses = [cell.status for cell in folder.cells]
    attached = {a.source: a for a in planned.attachments}
    # a file too large for the message is left behind (``plan.within_limit``): named, not sent
    summary = attached.get(folder.summary_file)
    report = attached.get(folder.report_summary_file) or attached.get(folder.report_file)
    return LeadersMailContext(
        year=folder.year,
        ruleset_name=folder.ruleset_name,
        parent_name=folder.parent_name,
        sender_name=config.sender.name or config.sender.email,
        summary_name=summary.filename if summary else "",
        report_name=report.filename if report else "",
        cell_count=len(statuses),
        ok_count=statuses.count("ok"),
        warning_count=statuses.count("warnings"),
        error_count=statuses.count("errors"),
        missing_count=statuses.count("missing"),
        error_cells=tuple(c.label for c in folder.cells if c.status == "errors"),
        missing_cells=tuple(c.label for c in folder.cells if c.status == "missing"),
        counted_count=sum(1 for c in folder.cells if c.aggregated and c.status != "missing"),
        left_out=tuple(
            f"{c.label}: "
            + ("chưa gửi hồ sơ" if c.status == "missing" else "hồ sơ có lỗi, cần sửa và gửi lại")
            for c in folder.cells
            if c.status == "missing" or not c.aggregated
        ),
        counted_flagged=tuple(
            f"{c.label}: {_problems(c.error_count, c.warning_count, c.status)}"
            for c in folder.cells
            if c.aggregated and c.status in ("errors", "warnings")
        ),
        report_is_summary=report is not None and report.source == folder.report_summary_file != "",
        full_report_name=folder.report_file,
        not_attached=tuple(
            source
            for source in (folder.summary_file, folder.report_summary_file or folder.report_file)
            if source not in attached
        ),
    )


def _problems(errors: int, warnings: int, status: str) -> str:
    """``2 lỗi, 1 cảnh báo`` (or what the status says when the counts are not known)."""
    parts = [f"{n} {word}" for n, word in ((errors, "lỗi"), (warnings, "cảnh báo")) if n]
    return ", ".join(parts) or ("có lỗi" if status == "errors" else "có cảnh báo")


def secretary_context(
    planned: PlannedMessage, folder: ResultsFolder, config: MailConfig
) -> SecretaryMailContext:
    """A secretary's template context: their cell, its status and its one attachment."""
    cell = planned.cell
    if cell is None:
        raise ValueError("a secretary's message is about one cell")
    (attachment,) = planned.attachments
    return SecretaryMailContext(
        year=folder.year,
        ruleset_name=folder.ruleset_name,
        parent_name=folder.parent_name,
        sender_name=config.sender.name or config.sender.email,
        cell_code=cell.code,
        cell_name=cell.name,
        secretary_name=planned.recipients[0].name,
        status=cell.status,
        error_count=cell.error_count,
        warning_count=cell.warning_count,
        attachment_name=attachment.filename,
    )


def ascii_fallback(filename: str) -> str:
    """The file name for mail clients that do not read RFC 2231: no accents, ASCII only,
    short enough for one header line, extension kept.

    A name too long («Kết quả … năm 2026 - CB010 - Chi bộ Khu dân cư số 10») first drops its
    title, the part before the cell's code («CB010 - Chi bo Khu dan cu so 10»: the code and
    the whole name tell the file apart); if that is still too long, the name loses whole words
    from its end, so that the code before it stays whole.
    """
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    bare = "".join(
        ch if 32 <= ord(ch) < 127 and ch not in '"\\' else "_" for ch in strip_accents(stem)
    )
    return _shortened(bare, _MAX_FALLBACK - len(extension) - 1) + (
        f".{extension}" if extension else ""
    )


def _shortened(text: str, room: int) -> str:
    """``text`` in at most ``room`` characters, cut between words where it can be."""
    if len(text) <= room:
        return text
    _title, sep, rest = text.partition(" - ")
    if sep and " - " in rest:  # the title goes first
        text = rest
        if len(text) <= room:
            return text
    head, sep, tail = text.rpartition(" - ")
    if sep and len(head) <= room:
        return _words(tail, room - len(head) - len(sep), head + sep) or head.rstrip(" .-")
    return _words(text, room, "") or text[:room].rstrip(" .-")


def _words(text: str, room: int, prefix: str) -> str:
    """``prefix`` and as many of ``text``'s first words as fit in ``room``; "" if none does."""
    kept = ""
    for word in text.split():
        candidate = f"{kept} {word}" if kept else word
        if len(candidate) > room:
            break
        kept = candidate
    kept = kept.rstrip(" .-")
    return prefix + kept if kept else ""


def content_disposition(filename: str) -> str:
    """``attachment`` with the ASCII ``filename`` first and the RFC 2231 ``filename*`` (UTF-8,
    percent-encoded, split into continuations of at most one line each) after it: readers that
    know RFC 2231 prefer ``filename*`` and show the Vietnamese name."""
    # whole characters per segment: some readers decode each continuation on its own
    segments: list[str] = [""]
    for ch in filename:
        quoted = urllib.parse.quote(ch, safe="")
        if len(segments[-1]) + len(quoted) > _SEGMENT:
            segments.append("")
        segments[-1] += quoted
    lines = ["attachment;", f' filename="{ascii_fallback(filename)}"']
    if len(segments) == 1:
        lines[-1] += ";"
        lines.append(f" filename*=utf-8''{segments[0]}")
    else:
        for index, segment in enumerate(segments):
            lines[-1] += ";"
            prefix = "utf-8''" if index == 0 else ""
            lines.append(f" filename*{index}*={prefix}{segment}")
    return "\r\n".join(lines)


def encode_text(text: str) -> list[str]:
    """Unstructured header text as tokens to fold: plain words when it is printable ASCII
    in words of at most ``_MAX_TOKEN`` characters, else RFC 2047 encoded words (UTF-8,
    base64) of whole characters, spaces inside them."""
    plain = text.split()
    if _plain(text) and all(len(word) <= _MAX_TOKEN for word in plain):
        return plain
    words: list[str] = [""]
    for ch in text:
        if len((words[-1] + ch).encode("utf-8")) > _WORD_BYTES:
            words.append("")
        words[-1] += ch
    return [f"=?utf-8?b?{base64.b64encode(w.encode('utf-8')).decode('ascii')}?=" for w in words]


def encode_address(person: Recipient) -> list[str]:
    """``Name <addr>`` as tokens: the name as encoded words, or quoted when plain ASCII."""
    if not person.name:
        return [person.email]
    quoted = person.name.replace("\\", "\\\\").replace('"', '\\"')
    if _plain(person.name) and len(quoted) + 2 <= _MAX_TOKEN:
        return [f'"{quoted}"', f"<{person.email}>"]
    return [*encode_text(person.name), f"<{person.email}>"]


def fold_header(name: str, tokens: list[str]) -> str:
    """The value of header ``name``: tokens joined by spaces, a new line started (CRLF and a
    space) before a token that would pass ``MAX_LINE``. No token is longer than a line (an
    address may be, at most 258 characters: still far within RFC 5322's 998)."""
    lines = [""]
    room = MAX_LINE - len(name) - 2
    for token in tokens:
        if lines[-1] and len(lines[-1]) + 1 + len(token) > room:
            lines.append(" ")
            room = MAX_LINE
        lines[-1] += (" " if lines[-1].strip() else "") + token
    return "\r\n".join(lines)


# ---------------------------------------------------------------------------------------------


def _plain(text: str) -> bool:
    """Printable ASCII that no reader could take for an encoded word."""
    return all(32 <= ord(ch) < 127 for ch in text) and "=?" not in text


def _listed(addresses: list[list[str]]) -> list[str]:
    tokens: list[str] = []
    for index, address in enumerate(addresses):
        tokens += [*address[:-1], address[-1] + ("," if index < len(addresses) - 1 else "")]
    return tokens


def _render(env: jinja2.Environment, name: str, values: dict[str, object]) -> str:
    try:
        return env.get_template(name).render(values)
    except jinja2.TemplateError as exc:
        # a district's own template (message.templates_dir) with a mistake in it
        raise ConfigError(f"Mẫu thư {name} có lỗi: {exc}.") from None


def _attachment_part(attachment: Attachment) -> MIMEPart:
    try:
        data = attachment.path.read_bytes()
    except OSError as exc:
        raise InputError(f"Không đọc được {attachment.path}: {os_reason(exc)}.") from None
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise InputError(
            f"Tệp {attachment.path} đã thay đổi trong khi đang gửi thư; hãy chạy lại "
            "«xeploai mail» khi «xeploai aggregate» đã xong."
        )
    maintype, subtype = MEDIA_TYPES.get(
        attachment.path.suffix.lower(), ("application", "octet-stream")
    )
    part = MIMEPart(policy=POLICY)
    part.set_content(data, maintype=maintype, subtype=subtype, cte="base64")
    # written raw: the email package would fold it again and keep only one of the two names
    part.set_raw("Content-Disposition", content_disposition(attachment.filename))
    return part


def _digest(planned: PlannedMessage, folder: ResultsFolder, date: _dt.datetime) -> str:
    key = json.dumps(
        [
            date.isoformat(),
            folder.year,
            planned.kind.value,
            planned.cell_code,
            [r.email for r in planned.recipients],
            [(a.source, a.sha256) for a in planned.attachments],
        ]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _lf(text: str) -> str:
    """Templates may be saved with CRLF on Windows; the email package wants plain ``\\n``."""
    return text.replace("\r\n", "\n")
