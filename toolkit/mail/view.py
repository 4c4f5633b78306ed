"""A ``MailReport`` as console text (Vietnamese or English, every line made visible) or as
JSON-ready data."""

from __future__ import annotations

from typing import Any

from toolkit.mail.plan import MessageKind
from toolkit.mail.run import Delivery, DeliveryStatus, MailReport
from toolkit.visible import visible_lines


def report_as_text(report: MailReport, lang: str = "vi") -> str:
    """One line per delivery, then the issues, then the totals."""
    en = lang == "en"
    lines = []
    width = max((len(d.status.label(lang)) for d in report.deliveries), default=0)
    whom_width = max((len(_whom(d, en)) for d in report.deliveries), default=0)
    for delivery in report.deliveries:
        status, whom = delivery.status.label(lang), _whom(delivery, en)
        line = f"{status:<{width}}  {whom:<{whom_width}}  {_to(delivery)}"
        if delivery.eml_file:
            line += f"  → {delivery.eml_file}"
        lines.append(line)
    if report.issues:
        lines.append("")
        lines.append(
            f"Problems ({len(report.issues)}):" if en else f"Vấn đề ({len(report.issues)}):"
        )
        for issue in report.issues:
            severity = issue.severity.value if en else issue.severity.label.lower()
            lines.append(f"  [{severity}] {issue.code}: {issue.text(lang)}")
    lines.append("")
    lines.append(_totals(report, en))
    return visible_lines(lines)  # names and addresses may hold control characters


def report_as_dict(report: MailReport) -> dict[str, Any]:
    """The report as plain data for ``--format json``."""
    return {
        "dry_run": report.dry_run,
        "exit_code": report.exit_code,
        "stopped": report.stopped,
        "counts": {status.value: report.counts.get(status, 0) for status in DeliveryStatus},
        "deliveries": [
            {
                "kind": d.kind.value,
                "cell": d.cell_code,
                "to": d.recipient.email,
                "name": d.recipient.name,
                "status": d.status.value,
                "attachments": list(d.attachments),
                "message_id": d.message_id,
                "eml_file": d.eml_file or None,
                "reply": d.reply or None,
            }
            for d in report.deliveries
        ],
        "issues": [
            {
                "code": i.code,
                "severity": i.severity.value,
                "cell": i.unit_code or None,
                "value": i.value,
                "message": i.message,
                "message_en": i.message_en,
            }
            for i in report.issues
        ],
    }


def _whom(delivery: Delivery, en: bool) -> str:
    if delivery.kind is MessageKind.LEADERS:
        return "leaders" if en else "lãnh đạo"
    return delivery.cell_code or ""


def _to(delivery: Delivery) -> str:
    r = delivery.recipient
    return f"{r.name} <{r.email}>" if r.name else f"<{r.email}>"


def _totals(report: MailReport, en: bool) -> str:
    shown = [
        f"{report.counts.get(status, 0)} {status.label('en' if en else 'vi')}"
        for status in DeliveryStatus
        if report.counts.get(status, 0)
    ]
    problems = len(report.issues)
    if en:
        text = "Total: " + (", ".join(shown) or "nothing to send") + f"; {problems} problem(s)."
        if report.dry_run:
            text += " Dry run: nothing was sent."
    else:
        text = (
            "Tổng cộng: " + (", ".join(shown) or "không có thư cần gửi") + f"; {problems} vấn đề."
        )
        if report.dry_run:
            text += " Chạy thử: chưa gửi thư nào."
    return text
