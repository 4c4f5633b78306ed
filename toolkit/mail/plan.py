"""Who gets what: the messages to send, worked out from the output folder and the leaders.

Every attachment must have the SHA-256 that ``manifest.json`` gives it: one that does not
stops the whole run before anything is sent (``InputError``).

The leaders get the summary workbook and the report's summary (no member detail) in one
message, within ``LEADERS_MAIL_LIMIT`` (a file that would pass it stays behind, with an issue
that says so, and the message says where it is); each cell's
secretary gets a message with only that cell's result workbook. A cell that cannot be sent to
(no address, an unsafe name or address, a missing or shared file) becomes an ``Issue`` and
gets no message; nothing is dropped without one.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from toolkit import catalogue
from toolkit.errors import InputError
from toolkit.mail import codes as _codes  # noqa: F401  (registers the mail codes)
from toolkit.mail.addresses import Recipient, check_recipient, has_forbidden_characters
from toolkit.mail.folder import CellEntry, ResultsFolder
from toolkit.model import Issue

#: file names shown in mail clients are cut to this many characters before the extension
MAX_FILENAME_STEM = 120
#: the leaders' message stays under the smallest common limit of mail servers (10 MB for the
#: whole message; attachments travel in base64, a third larger, in lines of 76 characters)
LEADERS_MAIL_LIMIT = 10_000_000
#: room kept for the headers and the two bodies
_BODIES = 50_000
_UNSAFE_IN_FILENAME = re.compile(r'[<>:"/\\|?*]+')


class MessageKind(enum.Enum):
    """The two kinds of message, with the slug used in file names and the sent log."""

    LEADERS = "lanh-dao"
    SECRETARY = "chi-bo"


@dataclass(frozen=True)
class Attachment:
    """A file of the output folder, as it will be attached."""

    path: Path
    #: the path as ket-qua.json gives it, relative to the output folder
    source: str
    #: the name mail clients show, in Vietnamese
    filename: str
    sha256: str
    #: bytes in the file (its base64 in the message is about 4/3 of it)
    size: int = 0

    @property
    def encoded_size(self) -> int:
        """Bytes it takes in the message: base64, lines of 76 characters and CRLF."""
        return -(-self.size // 3) * 4 * 78 // 76


@dataclass(frozen=True)
class PlannedMessage:
    """One message: its kind, the cell it is about (secretaries only), to whom, what."""

    kind: MessageKind
    recipients: tuple[Recipient, ...]
    attachments: tuple[Attachment, ...]
    cell: CellEntry | None = None

    @property
    def cell_code(self) -> str | None:
        return None if self.cell is None else self.cell.code

    @property
    def slug(self) -> str:
        """``lanh-dao`` or ``chi-bo-CB01`` (made safe for a file name)."""
        if self.cell is None:
            return self.kind.value
        code = re.sub(r"[^A-Za-z0-9._-]+", "_", self.cell.code).strip("._") or "_"
        return f"{self.kind.value}-{code}"

    @property
    def whom(self) -> str:
        """Who this message is for, as issues name it."""
        if self.cell is not None:
            return self.cell.label
        return ", ".join(r.email for r in self.recipients)


@dataclass(frozen=True)
class MailPlan:
    """Every message to send, and every problem that stopped one."""

    folder: ResultsFolder
    messages: tuple[PlannedMessage, ...]
    issues: tuple[Issue, ...]


def plan_messages(
    folder: ResultsFolder, leaders: tuple[Recipient, ...], *, only: str | None = None
) -> MailPlan:
    """The messages for ``folder``: the leaders' first, then one per cell in file order.

    ``only`` keeps just that cell's message (no leaders' message), or with ``lanh-dao`` just
    the leaders' message; an unknown code is an ``InputError``.
    """
    cells = folder.cells
    leaders_only = only == MessageKind.LEADERS.value
    if only is not None:
        cells = tuple(c for c in folder.cells if c.code == only and not leaders_only)
        if not cells and not leaders_only:
            raise InputError(f"Không có chi bộ mã «{only}» trong {folder.root / 'ket-qua.json'}.")
    messages: list[PlannedMessage] = []
    issues: list[Issue] = []
    if only is None or leaders_only:
        whom = ", ".join(r.email for r in leaders)
        found = [
            _attachment(folder, folder.summary_file, _name("Tổng hợp xếp loại", folder), whom),
            # the report's summary when the run wrote one: the full report (member detail)
            # of a district or a city would pass common mail-size limits
            _attachment(
                folder,
                folder.report_summary_file or folder.report_file,
                _name(
                    "Báo cáo tóm tắt xếp loại"
                    if folder.report_summary_file
                    else "Báo cáo xếp loại",
                    folder,
                ),
                whom,
            ),
        ]
        problems = [f for f in found if isinstance(f, Issue)]
        issues += problems
        if not problems:
            attachments = tuple(f for f in found if isinstance(f, Attachment))
            kept = within_limit(attachments)
            issues += [
                catalogue.make(
                    "mail-attachment-too-large",
                    value=a.source,
                    whom=whom,
                    size=megabytes(a.size),
                    limit=megabytes(LEADERS_MAIL_LIMIT),
                )
                for a in attachments
                if a not in kept
            ]
            messages.append(PlannedMessage(MessageKind.LEADERS, leaders, kept))
    claimed = _claims(folder)
    for cell in cells:
        planned = _secretary_message(folder, cell, claimed)
        if isinstance(planned, Issue):
            issues.append(planned)
        else:
            messages.append(planned)
    _check_manifest(folder, messages)
    return MailPlan(folder=folder, messages=tuple(messages), issues=tuple(issues))


def _check_manifest(folder: ResultsFolder, messages: list[PlannedMessage]) -> None:
    """Every attachment as ``aggregate`` wrote it: its SHA-256 the one ``manifest.json``
    gives, else an ``InputError`` and nothing is sent (a file changed or left half-written
    after the run could go to a cell as its results)."""
    root = folder.root.resolve()
    wrong = sorted(
        {
            a.source
            for m in messages
            for a in m.attachments
            if folder.manifest.get(a.path.relative_to(root).as_posix()) != a.sha256
        }
    )
    if wrong:
        shown = ", ".join(f"«{w}»" for w in wrong[:5]) + (
            f" và {len(wrong) - 5} tệp khác" if len(wrong) > 5 else ""
        )
        raise InputError(
            f"Tệp {shown} trong {folder.root} không khớp manifest.json (SHA-256 khác hoặc không "
            "có trong manifest): thư mục kết quả đã bị sửa hoặc chưa ghi xong. Không gửi thư "
            "nào; hãy chạy lại «xeploai aggregate»."
        )


def _secretary_message(
    folder: ResultsFolder, cell: CellEntry, claimed: Counter[Path]
) -> PlannedMessage | Issue:
    whom = cell.label
    if has_forbidden_characters(cell.code) or has_forbidden_characters(cell.name):
        # the cell's name goes into the subject: a line break there would add headers
        return catalogue.make(
            "mail-header-injection",
            value=repr(cell.label),
            whom=repr(cell.code),
            unit_code=cell.code,
        )
    if cell.result_file is None:
        return catalogue.make("mail-no-result-file", cell=whom, unit_code=cell.code)
    email = cell.secretary_email
    if email is None or not str(email).strip(" "):
        return catalogue.make("mail-no-address", cell=whom, unit_code=cell.code)
    recipient = check_recipient(cell.secretary_name, email, whom=whom)
    if isinstance(recipient, Issue):
        return dataclasses.replace(recipient, unit_code=cell.code)
    stem = _name(f"Kết quả xếp loại năm {folder.year} - {cell.code} - {cell.name}", None)
    path = _inside(folder, cell.result_file)
    if path is None or claimed[path] > 1:
        # a file outside the folder, or one claimed by two cells: whichever cell it really
        # belongs to, sending it could hand one cell's results to another
        return catalogue.make(
            "mail-attachment-unsafe", value=cell.result_file, whom=whom, unit_code=cell.code
        )
    attachment = _attachment(folder, cell.result_file, stem, whom)
    if isinstance(attachment, Issue):
        return dataclasses.replace(attachment, unit_code=cell.code)
    return PlannedMessage(MessageKind.SECRETARY, (recipient,), (attachment,), cell)


def _claims(folder: ResultsFolder) -> Counter[Path]:
    """How many entries name each file; the leaders' files count as claimed already."""
    claims: Counter[Path] = Counter()
    for relative in (folder.summary_file, folder.report_file, folder.report_summary_file):
        if not relative:
            continue
        path = _inside(folder, relative)
        if path is not None:
            claims[path] += 2
    for cell in folder.cells:
        if cell.result_file is not None:
            path = _inside(folder, cell.result_file)
            if path is not None:
                claims[path] += 1
    return claims


def _inside(folder: ResultsFolder, relative: str) -> Path | None:
    """The resolved path of ``relative`` if it stays inside the output folder (symbolic links
    followed), else None."""
    root = folder.root.resolve()
    path = (root / relative).resolve()
    if path == root or not path.is_relative_to(root):
        return None
    return path


def _attachment(folder: ResultsFolder, relative: str, stem: str, whom: str) -> Attachment | Issue:
    path = _inside(folder, relative)
    if path is None:
        return catalogue.make("mail-attachment-unsafe", value=relative, whom=whom)
    try:
        data = path.read_bytes()
    except OSError:
        return catalogue.make("mail-attachment-missing", value=relative, whom=whom)
    return Attachment(
        path=path,
        source=relative,
        filename=stem + path.suffix.lower(),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )


def within_limit(attachments: tuple[Attachment, ...]) -> tuple[Attachment, ...]:
    """The leaders' attachments that fit in ``LEADERS_MAIL_LIMIT``, in their order; the report
    (last: what a leader reads first) is kept before the workbook."""
    room = LEADERS_MAIL_LIMIT - _BODIES
    kept: list[Attachment] = []
    for attachment in reversed(attachments):
        if attachment.encoded_size <= room:
            kept.append(attachment)
            room -= attachment.encoded_size
    return tuple(a for a in attachments if a in kept)


def megabytes(size: int) -> str:
    """``12,3 MB``: a size as people read it."""
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def _name(title: str, folder: ResultsFolder | None) -> str:
    """A file name stem: the title (plus the year for the leaders' files), made safe."""
    text = f"{title} năm {folder.year}" if folder is not None else title
    text = " ".join(_UNSAFE_IN_FILENAME.sub(" ", text).split()).strip(" .-")
    return text[:MAX_FILENAME_STEM].rstrip(" .-")
