"""Build the writers' rows (``view.Digest``) from a ``DistrictResult``: pure, no I/O."""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from toolkit import __version__
from toolkit.model import (
    LEVELS,
    InputFile,
    Issue,
    Meeting,
    Member,
    Membership,
    OrgKind,
    OrgUnit,
    RatingLevel,
    Severity,
    VoteMethod,
    VoteTally,
)
from toolkit.outputs.numbers import format_percent
from toolkit.outputs.paths import cell_file, unique_stems
from toolkit.outputs.view import (
    REASONS,
    CandidateLine,
    CellLine,
    CellRatingLine,
    Digest,
    InputLine,
    IssueLine,
    MeetingFigures,
    MemberLine,
    QuotaLine,
)
from toolkit.results import (
    CellResult,
    DistrictResult,
    LevelCounts,
    MemberResult,
    QuotaResult,
    VoteOutcome,
)
from toolkit.rulebook import RuleSet
from toolkit.rulebook_view import switch_text

INPUT_KINDS: Mapping[str, str] = {
    "roster": "Danh sách đảng viên",
    "self_assessment": "Tự đánh giá, xếp loại",
    "ballot": "Biểu quyết, kiểm phiếu",
    "": "Không nhận dạng được",
}
INPUT_STATUSES: Mapping[str, str] = {
    "used": "Đã sử dụng",
    "duplicate": "Trùng lặp, không sử dụng",
    "rejected": "Bị loại vì có lỗi",
    # a file without errors whose cell's other workbook is missing or has errors
    "pending": "Không có lỗi, chưa sử dụng vì biểu mẫu còn lại của chi bộ chưa dùng được",
    "unknown": "Không thuộc chi bộ nào",
    "ignored": "Bỏ qua (tệp khóa tạm của Excel)",
}

_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def cell_stems(result: DistrictResult) -> dict[str, str]:
    """Code → file-name stem of every cell that gets a result workbook (rated or rejected)."""
    return unique_stems([*(c.cell.code for c in result.cells), *(u.code for u in result.rejected)])


def build_digest(
    result: DistrictResult,
    inputs: Sequence[InputFile],
    *,
    ruleset: RuleSet,
    parent: OrgUnit | None,
    generated_on: _dt.date,
    stems: Mapping[str, str],
) -> Digest:
    """Every row the writers need, sorted so that the same results give the same rows."""
    cells = sorted(result.cells, key=lambda c: c.cell.code)
    names = _member_names(cells, result.rejected_members)
    quotas = quota_results(result)
    # scopes name the đảng bộ cơ sở, which are not cells but carry issues of their own
    unit_names = {q.scope_code: q.scope_name for q in quotas}
    unit_names.update({c.cell.code: c.cell.name for c in cells})
    unit_names.update({u.code: u.name for u in (*result.missing, *result.rejected)})
    issues = tuple(
        _issue_line(i, unit_names, names) for i in sorted(collect_issues(result), key=issue_key)
    )
    by_unit: dict[str, list[IssueLine]] = {}
    for line in issues:
        by_unit.setdefault(line.unit_code, []).append(line)
    issues_by_unit = {code: tuple(found) for code, found in by_unit.items()}

    per_member: dict[str, list[int]] = {}
    for line in issues:
        if line.member_id:
            tally = per_member.setdefault(f"{line.unit_code}\0{line.member_id}", [0, 0])
            tally[line.severity != "error"] += 1

    grassroots_names = {q.scope_code: q.scope_name for q in quotas if q.deciding}
    lines = [_cell_line(c, stems[c.cell.code], issues_by_unit.get(c.cell.code, ())) for c in cells]
    lines += [_missing_line(u, issues_by_unit.get(u.code, ())) for u in result.missing]
    lines += [
        _rejected_line(u, stems[u.code], issues_by_unit.get(u.code, ())) for u in result.rejected
    ]
    for cell_line in lines:
        code = cell_line.grassroots_code
        grassroots_names.setdefault(code, unit_names.get(code, ""))
    return Digest(
        year=result.year,
        ruleset_code=ruleset.code,
        ruleset_name=ruleset.name,
        overrides_file=ruleset.overrides_file,
        overrides=ruleset.overrides,
        switches=tuple(switch_text(s) for s in ruleset.switches),
        decision=result.decision,
        uses_scores=ruleset.uses_scores,
        quota_percent=format_percent(ruleset.quota.ratio, 0),
        parent_code=parent.code if parent else "",
        parent_name=parent.name if parent else "",
        generated_on=generated_on,
        toolkit_version=__version__,
        cells=tuple(sorted(lines, key=lambda c: c.code)),
        members={
            c.cell.code: tuple(_member_line(c.cell.code, m, per_member) for m in c.members)
            for c in cells
        },
        quotas=tuple(_quota_line(q) for q in quotas),
        candidates=tuple(
            CandidateLine(
                scope_code=q.scope_code,
                deciding=q.deciding,
                rank=rank,
                member_id=cand.member_id,
                full_name=cand.full_name,
                cell_code=cand.cell_code,
                share=float(cand.htxsnv_share),
                score=cand.score,
                within_ceiling=cand.within_ceiling,
            )
            for q in quotas
            for rank, cand in enumerate(q.ranking, start=1)
        ),
        cell_ratings=tuple(_cell_rating_line(c) for c in cells),
        issues=issues,
        issues_by_unit=issues_by_unit,
        inputs=tuple(_input_line(f) for f in sorted(inputs, key=lambda f: (f.path, f.sha256))),
        grassroots_names=grassroots_names,
        unrated_roster=dict(Counter(m.cell_code for m in result.rejected_members)),
    )


# ---------------------------------------------------------------------------------------------
# Issues


def collect_issues(result: DistrictResult) -> tuple[Issue, ...]:
    """Every issue once: the district's own and each cell's (cell and member issues)."""
    seen = dict.fromkeys(result.issues)
    for cell in result.cells:
        seen.update(dict.fromkeys(cell.all_issues))
    return tuple(seen)


def issue_key(issue: Issue) -> tuple[object, ...]:
    """Cell, then file, sheet, position in the sheet (row, column), member, errors first."""
    loc = issue.location
    return (
        issue.unit_code,
        loc.file,
        loc.sheet,
        cell_ref_key(loc.cell),
        issue.member_id,
        issue.severity is not Severity.ERROR,
        issue.code,
        issue.message,
        issue.value,
    )


def cell_ref_key(ref: str) -> tuple[int, int, str]:
    """``E12`` → (12, 5, ""): row-major, so problems read top to bottom like the sheet."""
    match = _CELL_REF.match(ref.strip())
    if not match:
        return (0 if not ref else 1 << 30, 0, ref)
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return (int(match.group(2)), col, "")


def _issue_line(issue: Issue, units: Mapping[str, str], members: Mapping[str, str]) -> IssueLine:
    loc = issue.location
    return IssueLine(
        severity=issue.severity.value,
        severity_label=issue.severity.label,
        code=issue.code,
        unit_code=issue.unit_code,
        unit_name=units.get(issue.unit_code, ""),
        member_id=issue.member_id,
        member_name=members.get(f"{issue.unit_code}\0{issue.member_id}", "")
        if issue.member_id
        else "",
        file=loc.file,
        sheet=loc.sheet,
        cell=loc.cell,
        value=issue.value,
        message=issue.message,
        message_en=issue.message_en,
    )


def _member_names(cells: Iterable[CellResult], unrated: Iterable[Member]) -> dict[str, str]:
    """cell code NUL member ID → full name, for the rated cells' and the rejected cells'
    members (whose issues name them too)."""
    names = {f"{m.cell_code}\0{m.member_id}": m.full_name for m in unrated}
    names.update(
        (f"{c.cell.code}\0{m.member.member_id}", m.member.full_name)
        for c in cells
        for m in c.members
    )
    return names


def _severity_counts(issues: Iterable[IssueLine]) -> tuple[int, int]:
    errors = warnings = 0
    for i in issues:
        if i.severity == "error":
            errors += 1
        else:
            warnings += 1
    return errors, warnings


# ---------------------------------------------------------------------------------------------
# Cells


def grassroots_code(unit: OrgUnit) -> str:
    """The tổ chức cơ sở đảng of a cell: its đảng bộ cơ sở, or itself for a chi bộ cơ sở."""
    if unit.kind is OrgKind.CELL and unit.parent_code:
        return unit.parent_code
    return unit.code


def cell_status(errors: int, warnings: int) -> str:
    return "errors" if errors else "warnings" if warnings else "ok"


def _cell_line(cell: CellResult, stem: str, issues: Sequence[IssueLine]) -> CellLine:
    errors, warnings = _severity_counts(issues)
    counts = cell.counts
    q = cell.quota
    return CellLine(
        code=cell.cell.code,
        name=cell.cell.name,
        kind=cell.cell.kind.label,
        org_type=cell.cell.org_type,
        parent_code=cell.cell.parent_code or "",
        grassroots_code=grassroots_code(cell.cell),
        status=cell_status(errors, warnings),
        roster=counts.roster,
        not_rated=not_rated_counts(counts),
        rated=counts.rated,
        undecided=counts.undecided,
        levels=tuple(counts.levels),
        shares=tuple(float(counts.share(level)) for level in LEVELS),
        quota_ratio=None if q.ratio is None else float(q.ratio),
        quota_ratio_of_good=None if q.ratio_of_good is None else float(q.ratio_of_good),
        quota_ceiling=q.ceiling,
        quota_over=q.over,
        quota_status=quota_status(q),
        quota_tone=q.severity.value if q.over else "",
        level=cell.proposed_level.value if cell.proposed_level else "",
        errors=errors,
        warnings=warnings,
        file=cell_file(stem),
        decided=_code(cell.decided_level),
    )


def _missing_line(unit: OrgUnit, issues: Sequence[IssueLine]) -> CellLine:
    return _unrated_line(unit, "missing", issues, None)


def _rejected_line(unit: OrgUnit, stem: str, issues: Sequence[IssueLine]) -> CellLine:
    """A cell whose files have errors: no numbers, but a workbook that lists its problems."""
    return _unrated_line(unit, "rejected", issues, cell_file(stem))


def _unrated_line(
    unit: OrgUnit, status: str, issues: Sequence[IssueLine], file: str | None
) -> CellLine:
    errors, warnings = _severity_counts(issues)
    return CellLine(
        code=unit.code,
        name=unit.name,
        kind=unit.kind.label,
        org_type=unit.org_type,
        parent_code=unit.parent_code or "",
        grassroots_code=grassroots_code(unit),
        status=status,
        roster=None,
        not_rated=None,
        rated=None,
        undecided=None,
        levels=None,
        shares=None,
        quota_ratio=None,
        quota_ceiling=None,
        quota_over=None,
        quota_status="",
        quota_tone="",
        level="",
        errors=errors,
        warnings=warnings,
        file=file,
    )


def not_rated_counts(counts: LevelCounts) -> tuple[int, ...]:
    return tuple(counts.not_rated.get(reason, 0) for reason in REASONS)


def _cell_rating_line(cell: CellResult) -> CellRatingLine:
    own = cell.source.cell_assessment if cell.source else None
    tally = cell.source.cell_tally if cell.source else None
    meeting = cell.source.meeting if cell.source else None
    vote = cell.cell_vote
    broken = [c for c in cell.conditions if not c.met]
    return CellRatingLine(
        code=cell.cell.code,
        name=cell.cell.name,
        meeting_date=meeting.meeting_date if meeting else None,
        convened=meeting.convened_official_adjusted if meeting else None,
        present=meeting.present_official if meeting else None,
        self_level=own.proposed_level.value if own and own.proposed_level else "",
        self_score=own.score if own else None,
        leadership_level=own.leadership_level.value if own and own.leadership_level else "",
        votes=tuple(tally.votes) if tally else None,
        denominator=vote.denominator if vote else None,
        outcome=vote.outcome.label if vote else "",
        level=cell.proposed_level.value if cell.proposed_level else "",
        conditions="; ".join(
            f"{'Đạt' if c.met else 'Không đạt'}: {c.description}" for c in cell.conditions
        ),
        conditions_broken=len(broken),
        meeting=_meeting_figures(meeting, tally) if meeting else None,
        decided=_code(cell.decided_level),
    )


def _meeting_figures(meeting: Meeting, tally: VoteTally | None) -> MeetingFigures:
    return MeetingFigures(
        official_total=meeting.official_total,
        official_not_counted=meeting.official_not_counted,
        present_probationary=meeting.present_probationary,
        method=meeting.method.label,
        secret_ballot=meeting.method is VoteMethod.SECRET_BALLOT,
        ballots_issued=meeting.ballots_issued,
        ballots_returned=meeting.ballots_returned,
        ballots_valid=meeting.ballots_valid,
        ballots_invalid=meeting.ballots_invalid,
        cell_blank=tally.blank if tally else None,
    )


# ---------------------------------------------------------------------------------------------
# Quotas


def quota_results(result: DistrictResult) -> tuple[QuotaResult, ...]:
    """The deciding quotas and every cell's own check, once each; deciding scopes first."""
    unique: dict[tuple[str, bool], QuotaResult] = {}
    for q in (*result.quotas, *(c.quota for c in result.cells)):
        unique.setdefault((q.scope_code, q.deciding), q)
    return tuple(sorted(unique.values(), key=lambda q: (not q.deciding, q.scope_code)))


def quota_status(q: QuotaResult) -> str:
    """``Trong hạn mức`` or ``Vượt 2 (lỗi)`` / ``Vượt 1 (cảnh báo)``."""
    if not q.over:
        return "Trong hạn mức"
    return f"Vượt {q.over} ({q.severity.label.lower()})"


def _quota_line(q: QuotaResult) -> QuotaLine:
    return QuotaLine(
        scope_code=q.scope_code,
        scope_name=q.scope_name,
        deciding=q.deciding,
        severity=q.severity.value,
        n_htxsnv=q.n_htxsnv,
        n_httnv=q.n_httnv,
        ceiling=q.ceiling,
        over=q.over,
        ratio=None if q.ratio is None else float(q.ratio),
        status=quota_status(q),
        tone=q.severity.value if q.over else "",
        ratio_of_good=None if q.ratio_of_good is None else float(q.ratio_of_good),
        basis=ceiling_basis(q),
    )


def ceiling_basis(q: QuotaResult) -> str:
    """``20% số HTTNV``, with the 25% exception's decision and half-up rounding if any."""
    text = f"{format_percent(q.ceiling_ratio, 0)} số HTTNV"
    if q.exception:
        text += f" theo {q.exception}"
    if q.rounding == "half_up":
        text += ", làm tròn từ 0,5 lên"
    return text


# ---------------------------------------------------------------------------------------------
# Members (the hot loop: 52,000 rows for a city)


# enum labels looked up once: ``.value`` and the ``.label`` properties cost a microsecond or
# more each, and a city asks them half a million times
_OUTCOMES: dict[object, str] = {o: o.label for o in VoteOutcome}
_MEMBERSHIPS: dict[object, str] = {m: m.label for m in Membership}
_REASON_LABELS: dict[object, str] = {r: r.label for r in REASONS}


def _member_line(
    cell_code: str, m: MemberResult, per_member: Mapping[str, Sequence[int]]
) -> MemberLine:
    a = m.assessment
    vote = m.vote
    tally = m.tally
    member = m.member
    errors, warnings = per_member.get(f"{cell_code}\0{member.member_id}", (0, 0))
    return MemberLine(
        cell_code=cell_code,
        member_id=member.member_id,
        full_name=member.full_name,
        membership=_MEMBERSHIPS[member.membership],
        is_head=member.is_head,
        subject_type=member.subject_type._value_,
        self_level=_code(a.self_level) if a else "",
        self_score=a.self_score if a else None,
        not_rated=_REASON_LABELS.get(m.not_rated_reason, ""),
        votes=tally.votes if tally else None,
        blank=tally.blank if tally else None,
        denominator=vote.denominator if vote else None,
        shares=_floats(vote.shares) if vote else None,
        outcome=_OUTCOMES[vote.outcome] if vote else "",
        carried=_code(vote.level) if vote else "",
        caps="; ".join(f"≤ {_code(c.max_level)}: {c.reason}" for c in m.caps),
        proposed=_code(m.proposed_level),
        decided=_code(m.decided_level),
        explanation=m.explanation,
        errors=errors,
        warnings=warnings,
        decision=m.decision,
        unrated_votes=tally.not_rated if tally else None,
        invalid_votes=tally.invalid if tally else None,
    )


def _code(level: RatingLevel | None) -> str:
    # ``_value_`` is the member's plain attribute; ``.value`` goes through a descriptor
    return "" if level is None else str(level._value_)


def _floats(shares: tuple[Fraction, ...]) -> tuple[float, ...]:
    # integer true division rounds exactly as float(Fraction) does, without its overhead
    return tuple(s.numerator / s.denominator for s in shares)


def _input_line(f: InputFile) -> InputLine:
    return InputLine(
        path=f.path,
        sha256=f.sha256,
        kind=INPUT_KINDS.get(f.kind, f.kind),
        template_version=f.template_version,
        cell_code=f.cell_code,
        year=f.year,
        status=INPUT_STATUSES.get(f.status, f.status),
    )
