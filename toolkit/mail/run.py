"""``send_results``: the whole of ``xeploai mail`` as one library call, and its report.

Plan the messages from the output folder, leave out what the sent log says already went (or
may have gone: an unknown outcome), then either write each message as an ``.eml`` file (dry
run) or send it through the relay, recording in the sent log that it is being sent before its
DATA and that it was sent once the server accepted it. A sent log that cannot be written stops
the run at once.
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import catalogue
from toolkit.errors import OutputError, os_reason
from toolkit.mail import codes as _codes  # noqa: F401  (registers the mail codes)
from toolkit.mail.addresses import Recipient
from toolkit.mail.compose import ICT, ComposedMessage, compose_message, mail_environment
from toolkit.mail.config import MailConfig, read_password
from toolkit.mail.folder import RESULTS_FILE, ResultsFolder, read_results
from toolkit.mail.plan import MessageKind, PlannedMessage, plan_messages
from toolkit.mail.send import RecipientOutcome, RelayError, SmtpRelay
from toolkit.mail.sentlog import FAILED, SENDING, SENT, SentEntry, SentLog
from toolkit.model import Issue, Severity

if TYPE_CHECKING:  # Jinja2 itself stays behind toolkit.mail.compose
    import jinja2


class DeliveryStatus(enum.Enum):
    """What happened to one message for one recipient."""

    SENT = "sent"
    WRITTEN = "written"  # dry run: written as an .eml file instead
    ALREADY_SENT = "already-sent"  # the sent log has it: not sent again
    FAILED = "failed"  # refused, or still failing after every retry (see the issues)
    UNKNOWN = "unknown"  # went out whole, no reply came: maybe delivered, never sent twice
    NOT_SENT = "not-sent"  # the run stopped before this message (relay lost)

    def label(self, lang: str = "vi") -> str:
        return _STATUS_LABELS[self][1 if lang == "en" else 0]


_STATUS_LABELS = {
    DeliveryStatus.SENT: ("đã gửi", "sent"),
    DeliveryStatus.WRITTEN: ("đã ghi tệp .eml", "written as .eml"),
    DeliveryStatus.ALREADY_SENT: ("đã gửi lần trước", "already sent"),
    DeliveryStatus.FAILED: ("không gửi được", "failed"),
    DeliveryStatus.UNKNOWN: ("chưa rõ đã nhận chưa", "outcome unknown"),
    DeliveryStatus.NOT_SENT: ("chưa gửi", "not sent"),
}


@dataclass(frozen=True)
class Delivery:
    """One message to one recipient, and what became of it."""

    kind: MessageKind
    cell_code: str | None
    recipient: Recipient
    status: DeliveryStatus
    #: the attachments' names as mail clients show them
    attachments: tuple[str, ...]
    message_id: str = ""
    #: the .eml file written by a dry run
    eml_file: str = ""
    #: the server's reply for a failed delivery
    reply: str = ""


@dataclass(frozen=True)
class MailReport:
    """Everything a ``mail`` run did: deliveries, problems, and why it stopped if it did."""

    deliveries: tuple[Delivery, ...]
    issues: tuple[Issue, ...]
    dry_run: bool = False
    #: set when the relay could not be reached or used: the rest was not sent
    stopped: str | None = None
    counts: Mapping[DeliveryStatus, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """2 stopped (relay, sent log), 1 some recipient failed, has an unknown outcome or was
        left out for a data problem, 0 otherwise."""
        if self.stopped is not None:
            return 2
        unsure = (DeliveryStatus.FAILED, DeliveryStatus.UNKNOWN)
        failed = any(d.status in unsure for d in self.deliveries)
        errors = any(i.severity is Severity.ERROR for i in self.issues)
        return 1 if failed or errors else 0


def send_results(
    out_dir: str | Path,
    config: MailConfig,
    *,
    dry_run_dir: str | Path | None = None,
    only: str | None = None,
    resend: bool = False,
    now: _dt.datetime | None = None,
    environ: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> MailReport:
    """Send (or with ``dry_run_dir`` write as .eml) the results in ``out_dir``.

    ``only`` sends just that cell's message; ``resend`` ignores the sent log (messages it
    says went, and those whose outcome is unknown, go again). ``now`` dates
    the messages (default: the clock when sending; for a dry run the date the results were
    made, so the .eml files depend on the inputs only). ``environ`` is where the password
    variable is looked up (default ``os.environ``); ``sleep`` is how back-off waits.
    """
    folder = read_results(out_dir)
    plan = plan_messages(folder, config.leaders, only=only)
    log = SentLog.load(folder.root)
    done: dict[tuple[int, str], Delivery] = {}
    todo: list[_Todo] = []
    issues = list(plan.issues)
    for index, planned in enumerate(plan.messages, start=1):
        hashes = [a.sha256 for a in planned.attachments]
        pending = []
        for recipient in planned.recipients:
            key = (recipient.email, planned.kind.value, planned.cell_code, hashes)
            earlier = None if resend else log.unknown(*key)
            if not resend and log.already_sent(*key):
                done[index, recipient.email] = _delivery(
                    planned, recipient, DeliveryStatus.ALREADY_SENT
                )
            elif earlier is not None:
                done[index, recipient.email] = _delivery(
                    planned, recipient, DeliveryStatus.UNKNOWN, message_id=earlier.message_id
                )
                reply = f"lần gửi lúc {earlier.sent_at}"
                issues.append(
                    _unknown_issue(
                        planned, recipient.email, reply, earlier.message_id, _Where(folder, config)
                    )
                )
            else:
                pending.append(recipient)
        if pending:
            todo.append(_Todo(index, planned, tuple(pending)))
    env = mail_environment(config.templates_dir)
    stopped = None
    if dry_run_dir is not None:
        date = now or results_date(folder)
        for item in todo:
            composed = compose_message(item.planned, folder, config, date=date, env=env)
            eml = _write_eml(
                Path(dry_run_dir) / f"{item.index:03d}-{item.planned.slug}.eml", composed
            )
            for recipient in item.recipients:
                done[item.index, recipient.email] = _delivery(
                    item.planned, recipient, DeliveryStatus.WRITTEN, composed, eml=eml
                )
    elif todo:
        date = now or _dt.datetime.now().astimezone()
        password = read_password(config.smtp, os.environ if environ is None else environ)
        log.open_for_append()
        with log, SmtpRelay(config.smtp, password, sleep=sleep) as relay:
            sender = _Sender(relay, log, folder, config, env, date)
            stopped = sender.send_all(todo, done, issues)
    deliveries = tuple(
        done[index, recipient.email]
        for index, planned in enumerate(plan.messages, start=1)
        for recipient in planned.recipients
    )
    counts = {status: 0 for status in DeliveryStatus}
    for delivery in deliveries:
        counts[delivery.status] += 1
    return MailReport(
        deliveries=deliveries,
        issues=tuple(issues),
        dry_run=dry_run_dir is not None,
        stopped=stopped,
        counts=counts,
    )


def results_date(folder: ResultsFolder) -> _dt.datetime:
    """When the results were made: the date ``aggregate`` recorded, else the time it wrote
    ``ket-qua.json``, in Việt Nam time. Dates a dry run's messages."""
    if folder.generated_on is not None:
        day = folder.generated_on
        return _dt.datetime(day.year, day.month, day.day, tzinfo=ICT)
    written = (folder.root / RESULTS_FILE).stat().st_mtime
    return _dt.datetime.fromtimestamp(int(written), tz=ICT)


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Todo:
    """A message still to go, numbered as in the plan, and who has not had it yet."""

    index: int
    planned: PlannedMessage
    recipients: tuple[Recipient, ...]


@dataclass(frozen=True)
class _Where:
    """The folder and the configuration a resend command names."""

    folder: ResultsFolder
    config: MailConfig


@dataclass(frozen=True)
class _Sender:
    """Sends the messages one by one: each recorded as being sent before its DATA, then as
    sent (or failed) as soon as the server answered."""

    relay: SmtpRelay
    log: SentLog
    folder: ResultsFolder
    config: MailConfig
    env: jinja2.Environment
    date: _dt.datetime

    def send_all(
        self, todo: list[_Todo], done: dict[tuple[int, str], Delivery], issues: list[Issue]
    ) -> str | None:
        """Send everything in ``todo``; the reason the run stopped, if it did."""
        for position, item in enumerate(todo):
            composed = compose_message(
                item.planned, self.folder, self.config, date=self.date, env=self.env
            )
            being_sent: set[str] = set()
            before_data = functools.partial(self._being_sent, composed, item, being_sent)
            try:
                outcomes = self.relay.deliver(
                    self.config.sender.email,
                    [r.email for r in item.recipients],
                    composed.data,
                    before_data=before_data,
                )
            except RelayError as exc:
                _not_sent(todo[position:], done)
                return str(exc)
            except OutputError as exc:
                _not_sent(todo[position:], done)
                return (
                    f"{exc} Đã dừng ngay, trước khi gửi thư cho {item.planned.whom}; mọi thư "
                    "gửi trước đó đều đã ghi vào nhật ký. Hãy sửa lỗi ghi tệp rồi chạy lại."
                )
            finished: list[SentEntry] = []
            delivered: list[str] = []
            for recipient, outcome in zip(item.recipients, outcomes, strict=True):
                status = DeliveryStatus.SENT
                if outcome.delivered:
                    finished.append(_entry(composed, recipient, SENT))
                    delivered.append(f"{_whom(item.planned)} <{recipient.email}>")
                elif outcome.unknown:
                    status = DeliveryStatus.UNKNOWN
                    issues.append(
                        _unknown_issue(
                            item.planned,
                            recipient.email,
                            outcome.reply,
                            composed.message_id,
                            _Where(self.folder, self.config),
                        )
                    )
                else:
                    status = DeliveryStatus.FAILED
                    issues.append(_failure_issue(item.planned, outcome))
                    if recipient.email in being_sent:  # known now: the server did not take it
                        finished.append(_entry(composed, recipient, FAILED))
                done[item.index, recipient.email] = _delivery(
                    item.planned, recipient, status, composed, reply=outcome.reply
                )
            try:
                if finished:
                    self.log.record(finished)
            except OutputError as exc:
                _not_sent(todo[position + 1 :], done)
                if not delivered:
                    return f"{exc} Đã dừng ngay; mọi thư đã gửi đều đã ghi vào nhật ký."
                return (
                    f"{exc} Đã dừng ngay. Thư đã gửi nhưng chưa ghi được vào nhật ký: "
                    f"{'; '.join(delivered)}. Nhật ký ghi các thư đó là «đang gửi», nên lần "
                    "chạy sau báo «chưa rõ đã nhận chưa» và không tự gửi lại."
                )
        return None

    def _being_sent(
        self, composed: ComposedMessage, item: _Todo, being_sent: set[str], accepted: Sequence[str]
    ) -> None:
        """Record that ``composed`` is being sent to ``accepted``, pushed to disk before its
        DATA: a crash after it leaves an unknown outcome, never a message sent twice."""
        by_address = {r.email: r for r in item.recipients}
        self.log.record(_entry(composed, by_address[a], SENDING) for a in accepted)
        being_sent.update(accepted)


def _not_sent(todo: Sequence[_Todo], done: dict[tuple[int, str], Delivery]) -> None:
    """Every recipient of ``todo``: not sent (the run stopped before them)."""
    for left in todo:
        for recipient in left.recipients:
            done[left.index, recipient.email] = _delivery(
                left.planned, recipient, DeliveryStatus.NOT_SENT
            )


def _whom(planned: PlannedMessage) -> str:
    return planned.cell_code or "lãnh đạo"


def _unknown_issue(
    planned: PlannedMessage, address: str, reply: str, message_id: str, sender: _Where
) -> Issue:
    unit = planned.cell_code or ""
    only = unit or MessageKind.LEADERS.value
    resend = f"{sender.folder.root} --config {sender.config.source} --only {only} --resend"
    return catalogue.make(
        "mail-outcome-unknown",
        value=address,
        whom=planned.whom,
        reply=reply,
        message_id=message_id,
        resend=resend,
        unit_code=unit,
    )


def _delivery(
    planned: PlannedMessage,
    recipient: Recipient,
    status: DeliveryStatus,
    composed: ComposedMessage | None = None,
    *,
    eml: str = "",
    reply: str = "",
    message_id: str = "",
) -> Delivery:
    return Delivery(
        kind=planned.kind,
        cell_code=planned.cell_code,
        recipient=recipient,
        status=status,
        attachments=tuple(a.filename for a in planned.attachments),
        message_id=message_id if composed is None else composed.message_id,
        eml_file=eml,
        reply=reply,
    )


def _entry(composed: ComposedMessage, recipient: Recipient, state: str) -> SentEntry:
    planned = composed.planned
    return SentEntry(
        sent_at=_dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        kind=planned.kind.value,
        cell=planned.cell_code,
        to=recipient.email,
        message_id=composed.message_id,
        attachments=tuple((a.source, a.sha256) for a in planned.attachments),
        state=state,
    )


def _failure_issue(planned: PlannedMessage, outcome: RecipientOutcome) -> Issue:
    unit = planned.cell_code or ""
    if outcome.permanent:
        return catalogue.make(
            "mail-rejected",
            value=outcome.address,
            whom=planned.whom,
            reply=outcome.reply,
            unit_code=unit,
        )
    return catalogue.make(
        "mail-temporary-failure",
        value=outcome.address,
        whom=planned.whom,
        reply=outcome.reply,
        attempts=outcome.attempts,
        unit_code=unit,
    )


def _write_eml(path: Path, composed: ComposedMessage) -> str:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(composed.data)
    except OSError as exc:
        raise OutputError(f"Không ghi được {path}: {os_reason(exc)}.") from None
    return str(path)
