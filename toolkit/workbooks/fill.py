"""A "secretary" that fills a generated workbook with openpyxl, as a person would in Excel.

Used by the tests and by the demo district: drop-down cells get the drop-down labels, numbers are
typed as numbers, dates as dates, and ``raw`` lets a caller type anything anywhere (a mistake, a
formula, text in a count) by ``"Sheet!E12"``. The template is never modified: a filled copy is
saved to ``target``. With ``saved_at`` the copy records that save time (what ``--latest`` reads)
and is byte-identical for the same inputs.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from toolkit.errors import InputError, os_reason
from toolkit.model import (
    Ballot,
    CellSelfAssessment,
    Meeting,
    NotRatedReason,
    RatingLevel,
    Remedied,
    SelfAssessment,
    VoteMethod,
    VoteTally,
)
from toolkit.workbooks.cellbooks import CELL_VOTE_KEYS, VOTE_KEYS
from toolkit.workbooks.declarations import YES, Layout, cell_ref, load_declaration
from toolkit.workbooks.identity import IDENTITY_SHEET, parse_identity

Source = Path | str
Target = Path | str | IO[bytes]


def _typed(value: object, *, level_codes: bool = False) -> object:
    """What a secretary picks or types for a model value."""
    if isinstance(value, RatingLevel):
        return value.value if level_codes else value.full_name
    if isinstance(value, NotRatedReason | VoteMethod | Remedied):
        return value.label
    if isinstance(value, bool):
        return YES if value else None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class _Filler:
    def __init__(self, source: Source, kind: str) -> None:
        from openpyxl import load_workbook

        try:
            # read the bytes first: openpyxl leaves its file open when it refuses a workbook
            data = Path(source).read_bytes()
            self.book = load_workbook(io.BytesIO(data))
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise InputError(f"Không mở được biểu mẫu {source}: {os_reason(exc)}.") from None
        grid = [[c.value for c in row] for row in self.book[IDENTITY_SHEET].iter_rows()]
        identity = parse_identity(grid)
        if identity.kind != kind:
            raise InputError(f"{source} không phải biểu mẫu «{kind}».")
        self.declaration = load_declaration(kind)
        self.features = identity.features
        self.version = identity.template_version

    def layout(self, key: str) -> Layout:
        return self.declaration.layout(key, self.features, self.version)

    def sheet(self, key: str) -> Any:
        return self.book[self.declaration.sheet(key).name]

    def form(self, key: str, values: Mapping[str, object]) -> None:
        layout, ws = self.layout(key), self.sheet(key)
        for field, value in values.items():
            if layout.has(field):
                ws[layout.ref(field)] = _typed(value)

    def member_rows(self, key: str) -> dict[str, int]:
        layout, ws = self.layout(key), self.sheet(key)
        col = layout.index("member_id") + 1
        rows: dict[str, int] = {}
        for row in range(layout.first_data_row, ws.max_row + 1):
            member_id = ws.cell(row=row, column=col).value
            if member_id is not None:
                rows[str(member_id)] = row
        return rows

    def row(self, key: str, row: int, values: Mapping[str, object]) -> None:
        layout, ws = self.layout(key), self.sheet(key)
        for field, value in values.items():
            if layout.has(field):
                ws[layout.ref(field, row)] = _typed(value)

    def raw(self, cells: Mapping[str, Any]) -> None:
        for where, value in cells.items():
            sheet, _, ref = where.rpartition("!")
            self.book[sheet][ref] = value

    def save(self, target: Target, saved_at: dt.datetime | None) -> None:
        from openpyxl.writer.excel import ExcelWriter

        buffer = io.BytesIO()
        if saved_at is not None:
            self.book.properties.modified = saved_at
        else:
            self.book.properties.modified = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        # ExcelWriter directly: save_workbook() would overwrite the modified time with "now"
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            ExcelWriter(self.book, archive).save()
        data = buffer.getvalue()
        if saved_at is not None:
            data = _fixed_timestamps(data)
        if isinstance(target, str | Path):
            Path(target).write_bytes(data)
        else:
            target.write(data)


def _fixed_timestamps(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01, so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def fill_self_assessment(
    template: Source,
    target: Target,
    assessments: Iterable[SelfAssessment],
    cell: CellSelfAssessment,
    *,
    raw: Mapping[str, Any] | None = None,
    saved_at: dt.datetime | None = None,
) -> None:
    """Fill a self-assessment workbook: the cell's own assessment and one row per member."""
    filler = _Filler(template, "self_assessment")
    filler.form(
        "cell",
        {
            "score": cell.score,
            "proposed_level": cell.proposed_level,
            "leadership_level": cell.leadership_level,
            "disciplined_in_year": cell.disciplined_in_year,
        },
    )
    rows = filler.member_rows("members")
    for a in assessments:
        filler.row(
            "members",
            rows[a.member_id],
            {
                "self_level": a.self_level,
                "self_score": a.self_score,
                "not_rated_reason": a.not_rated_reason,
                "disciplined_in_year": a.disciplined_in_year,
                "self_detected_remedied": a.self_detected_remedied,
                "discipline_counted_before": a.discipline_counted_before,
                "other_khtnv_ground": a.other_khtnv_ground,
                "sick_leave_months": a.sick_leave_months or None,
                "maternity_leave_months": a.maternity_leave_months or None,
                "committee_proposal": a.committee_proposal,
                "common_score": a.common_score,
                "task_score": a.task_score,
                "shortcomings_remedied": a.shortcomings_remedied,
                "tasks_not_completed_percent": a.tasks_not_completed_percent,
                "low_confidence_percent": a.low_confidence_percent,
            },
        )
    filler.raw(raw or {})
    filler.save(target, saved_at)


def fill_ballot(
    template: Source,
    target: Target,
    meeting: Meeting,
    tallies: Iterable[VoteTally],
    cell_tally: VoteTally | None,
    papers: Sequence[Ballot] = (),
    *,
    typed_tally: bool = True,
    raw: Mapping[str, Any] | None = None,
    saved_at: dt.datetime | None = None,
) -> None:
    """Fill a ballot workbook: meeting and counts, each member's votes, optional ballot papers.

    With ``typed_tally=False`` only the papers are entered and the tally rows stay empty.
    """
    filler = _Filler(template, "ballot")
    values: dict[str, object] = {
        "meeting_date": meeting.meeting_date,
        "official_total": meeting.official_total,
        "official_not_counted": meeting.official_not_counted,
        "present_official": meeting.present_official,
        "present_probationary": meeting.present_probationary,
        "method": meeting.method,
    }
    if meeting.method is VoteMethod.SECRET_BALLOT:
        values.update(
            ballots_issued=meeting.ballots_issued,
            ballots_returned=meeting.ballots_returned,
            ballots_valid=meeting.ballots_valid,
            ballots_invalid=meeting.ballots_invalid,
        )
    if cell_tally is not None:
        values.update(zip(CELL_VOTE_KEYS, (*cell_tally.votes, cell_tally.blank), strict=True))
    filler.form("meeting", values)
    if typed_tally:
        rows = filler.member_rows("tally")
        for tally in tallies:
            assert tally.member_id is not None
            counts = (*tally.votes, tally.not_rated, tally.blank, tally.invalid)
            values = dict(zip(VOTE_KEYS, counts, strict=True))
            if tally.conclusion is not None:
                values["conclusion"] = tally.conclusion.value
            filler.row("tally", rows[tally.member_id], values)
    if papers:
        _fill_papers(filler, papers)
    filler.raw(raw or {})
    filler.save(target, saved_at)


def _fill_papers(filler: _Filler, papers: Sequence[Ballot]) -> None:
    layout, ws = filler.declaration.layout("papers"), filler.sheet("papers")
    header = layout.sheet.header_row
    columns = {
        str(ws.cell(row=header, column=col).value): col
        for col in range(2, ws.max_column + 1)
        if ws.cell(row=header, column=col).value is not None
    }
    numbers = sorted({b.paper_no for b in papers})
    rows = {n: layout.first_data_row + i for i, n in enumerate(numbers)}
    for number, row in rows.items():
        ws[cell_ref(row, 0)] = number
    for ballot in papers:
        if ballot.choice is not None:
            cell = ws.cell(row=rows[ballot.paper_no], column=columns[ballot.member_id])
            cell.value = _typed(ballot.choice, level_codes=True)


def fill_decisions(
    template: Source,
    target: Target,
    *,
    number: str,
    decided_on: dt.date,
    signer: str,
    members: Mapping[str, tuple[RatingLevel | None, str]] = {},
    organizations: Mapping[str, tuple[RatingLevel | None, str]] = {},
    saved_at: dt.datetime | None = None,
) -> None:
    """Fill the decisions workbook as the competent level would: the decision's reference, and
    a decided level with its reason for the members (by ID) and organizations (by code) named;
    every other row keeps the pre-filled proposal."""
    filler = _Filler(template, "decisions")
    filler.form("decision", {"decision_number": number, "decision_date": decided_on,
                             "signer": signer})  # fmt: skip
    for key, decided in (("members", members), ("organizations", organizations)):
        layout, ws = filler.layout(key), filler.sheet(key)
        id_key = "member_id" if key == "members" else "unit_code"
        col = layout.index(id_key) + 1
        for row in range(layout.first_data_row, ws.max_row + 1):
            found = ws.cell(row=row, column=col).value
            if found is not None and str(found) in decided:
                level, reason = decided[str(found)]
                filler.row(key, row, {"decided": level, "reason": reason})
    filler.save(target, saved_at)
