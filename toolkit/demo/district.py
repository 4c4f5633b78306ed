"""A realistic demo district, made from a seed: the roster and what every cell would send back.

Pure and deterministic: the same (year, cells, seed) gives the same district. The shapes follow
domain.md §8: cells of four types with 8–60 members, 5–10% probationary, a few exempt,
suspended and newly admitted members, HTXSNV about 10–18%, HTTNV 75–85%, and the edge cases a
committee meets in practice (a cell exactly at the quota ceiling, one above it, a tie, a vote where
no level carries, a probationary voter, a disciplined member proposed HTTNV).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from toolkit.demo import names
from toolkit.engine.members import add_months
from toolkit.model import (
    LEVELS,
    Ballot,
    CellReturn,
    CellSelfAssessment,
    Meeting,
    Member,
    Membership,
    NotRatedReason,
    OrgKind,
    OrgTree,
    OrgUnit,
    RatingLevel,
    Roster,
    SelfAssessment,
    SubjectType,
    VoteMethod,
    VoteTally,
)

HTXS, HTT, HT, KHT = LEVELS

#: edge cases, in the order they are given to the first cells that are big enough, with what
#: the demo tells the user about each
EDGE_CASES = {
    "quota-at-ceiling": ("HTXSNV đúng bằng trần 20% số HTTNV", "HTXSNV exactly at the 20% ceiling"),
    "quota-over-ceiling": ("HTXSNV vượt trần 20% số HTTNV", "HTXSNV over the 20% ceiling"),
    "tie": ("hai mức hòa phiếu", "a tie between two levels"),
    "no-level-carried": ("không mức nào được quá 50%", "no level carried"),
    "probationary-voter": ("đảng viên dự bị được phát phiếu", "a probationary member voted"),
    "disciplined-proposed-httnv": (
        "đảng viên bị kỷ luật được đề xuất HTTNV",
        "a disciplined member proposed HTTNV",
    ),
}


@dataclass(frozen=True)
class DemoDistrict:
    """The roster, the returns of the cells that answer, and what makes the demo interesting."""

    year: int
    parent: OrgUnit
    roster: Roster
    #: what each answering cell fills in, in cell code order
    returns: tuple[CellReturn, ...]
    #: ballot papers for the cells that count them one by one
    ballots: dict[str, tuple[Ballot, ...]]
    #: cells that never send anything
    silent: tuple[str, ...]
    #: cell code -> edge case planted there
    edge_cases: dict[str, str]


def make_district(
    year: int,
    cells: int = 30,
    seed: int = 2023,
    *,
    ballot_papers: str = "some",
    edge_cases: bool = True,
    parent: OrgUnit | None = None,
) -> DemoDistrict:
    """Build a district of ``cells`` cells for rating year ``year``.

    ``ballot_papers``: "none", "some" (about a third of the cells count ballot papers one by
    one), or "all" (the benchmark's setting). ``edge_cases=False`` plants none of them.
    ``parent``: the committee above the cells (by default the demo's ward, or district before
    2025; the demo's roll-up gives its second committee another).
    """
    rng = random.Random(f"{year}:{cells}:{seed}")
    parent = parent or _parent(year)
    units: dict[str, OrgUnit] = {parent.code: parent}
    committees = _committees(parent, max(1, cells // 12), year)
    used_names: set[str] = set()
    units.update({c.code: c for c in committees})
    members: list[Member] = []
    returns: list[CellReturn] = []
    ballots: dict[str, tuple[Ballot, ...]] = {}
    planted: dict[str, str] = {}
    pending_edges = list(EDGE_CASES) if edge_cases else []
    next_id = 1
    for index in range(cells):
        org_type, templates = names.CELL_TYPES[index % len(names.CELL_TYPES)]
        # schools are usually chi bộ cơ sở directly under the parent; the others sit in a đảng bộ
        if org_type == names.SCHOOL and index % 3 != 0:
            kind, parent_code = OrgKind.GRASSROOTS_CELL, parent.code
        else:
            kind, parent_code = OrgKind.CELL, committees[index % len(committees)].code
        code = f"CB{index + 1:03d}"
        size = rng.randint(8, 60)
        cell_members = _members(rng, code, size, year, next_id)
        next_id += size
        head = cell_members[0]
        cell = OrgUnit(
            code=code,
            name=_cell_name(rng, templates, index, year, used_names),
            kind=kind,
            parent_code=parent_code,
            org_type=org_type,
            secretary_name=head.full_name,
            secretary_email=f"bithu.{code.lower()}@demo.xeploai.vn" if index % 17 != 5 else "",
        )
        units[code] = cell
        members.extend(cell_members)
        edge = None
        if pending_edges and size >= 14:
            edge = pending_edges.pop(0)
            planted[code] = edge
        ret, papers = _cell_return(rng, cell, cell_members, year, edge)
        returns.append(ret)
        if ballot_papers == "all" or (ballot_papers == "some" and index % 3 == 1):
            ballots[code] = papers
    # one cell never answers: the last one, so the edge cases stay in the returns
    silent = (returns[-1].cell.code,) if cells > 1 else ()
    answering = tuple(r for r in returns if r.cell.code not in silent)
    roster = Roster(tree=OrgTree(units=units), members=tuple(members))
    return DemoDistrict(
        year=year,
        parent=parent,
        roster=roster,
        returns=answering,
        ballots={k: v for k, v in ballots.items() if k not in silent},
        silent=silent,
        edge_cases=planted,
    )


# ---------------------------------------------------------------------------------------------
# The org tree


def _parent(year: int) -> OrgUnit:
    # district committees were abolished on 01/7/2025: from the 2025 rating year the parent is
    # the ward's Đảng ủy (domain.md §7)
    if year <= 2024:
        return OrgUnit(code="QU-LC", name="Quận ủy Liên Chiểu", kind=OrgKind.PARENT)
    return OrgUnit(code="DU-HK", name="Đảng ủy phường Hòa Khánh", kind=OrgKind.PARENT)


def _committees(parent: OrgUnit, count: int, year: int) -> list[OrgUnit]:
    # up to 2024 the wards' đảng bộ under a Quận ủy; from 2025 the đảng bộ cơ sở under the
    # ward's own Đảng ủy (a ward is no longer under another ward)
    if year <= 2024:
        known = tuple(f"Đảng bộ phường {place}" for place in names.PLACES)
    else:
        ward = parent.name.removeprefix("Đảng ủy phường ")
        known = tuple(f"{name} {ward}" for name in names.WARD_COMMITTEES)
    return [
        OrgUnit(
            code=f"DB{i + 1:02d}",
            name=known[i] if i < len(known) else f"Đảng bộ cơ sở số {i + 1}",
            kind=OrgKind.GRASSROOTS_COMMITTEE,
            parent_code=parent.code,
            org_type=names.COMMITTEE_TYPE,
        )
        for i in range(count)
    ]


def _cell_name(
    rng: random.Random, templates: tuple[str, ...], index: int, year: int, used: set[str]
) -> str:
    """A cell's name, never one an earlier cell has: a clash takes the next place, person,
    flower or company (the random draws stay the same, so the rest of the demo does too)."""
    if (
        year >= 2025 and "Chi bộ Phòng Tư pháp" in templates
    ):  # the agencies: a ward's, not a district's
        templates = names.WARD_AGENCIES
    template = templates[(index // len(names.CELL_TYPES)) % len(templates)]
    picks = [
        names.PLACES.index(rng.choice(names.PLACES)),
        names.PERSONS.index(rng.choice(names.PERSONS)),
        names.FLOWERS.index(rng.choice(names.FLOWERS)),
        names.COMPANIES.index(rng.choice(names.COMPANIES)),
    ]
    for shift in range(len(names.PERSONS) + 1):
        name = template.format(
            place=names.PLACES[(picks[0] + shift) % len(names.PLACES)],
            person=names.PERSONS[(picks[1] + shift) % len(names.PERSONS)],
            flower=names.FLOWERS[(picks[2] + shift) % len(names.FLOWERS)],
            company=names.COMPANIES[(picks[3] + shift) % len(names.COMPANIES)],
            n=index + 1,
        )
        if name not in used:
            break
    else:  # a fixed name met again (a long demo cycles through the agencies)
        name = f"{name} ({index + 1})"
    used.add(name)
    return name


# ---------------------------------------------------------------------------------------------
# Members


def _full_name(rng: random.Random) -> str:
    if rng.random() < 0.5:
        middle, given = rng.choice(names.MIDDLE_MALE), rng.choice(names.GIVEN_MALE)
    else:
        middle, given = rng.choice(names.MIDDLE_FEMALE), rng.choice(names.GIVEN_FEMALE)
    return f"{rng.choice(names.FAMILY)} {middle} {given}"


def _members(
    rng: random.Random, cell_code: str, size: int, year: int, first_id: int
) -> list[Member]:
    members = []
    n_probationary = max(1, round(size * rng.uniform(0.05, 0.10)))
    for i in range(size):
        probationary = i >= size - n_probationary
        if probationary:
            # admitted within the last year: some under 6 months before the meeting
            admitted = date(year, 1, 1) + timedelta(days=rng.randint(0, 320))
        else:
            admitted = date(year - rng.randint(2, 40), rng.randint(1, 12), rng.randint(1, 28))
        position, leader, head = rng.choice(names.POSITIONS), False, False
        if i == 0:
            position, leader, head = "Bí thư chi bộ", True, True
        elif i == 1:
            position, leader = "Phó Bí thư chi bộ", True
        elif i == 2 and size > 20:
            position, leader = "Chi ủy viên", True
        members.append(
            Member(
                member_id=f"DV{first_id + i:06d}",
                full_name=_full_name(rng),
                cell_code=cell_code,
                membership=Membership.PROBATIONARY if probationary else Membership.OFFICIAL,
                birth_year=admitted.year - rng.randint(20, 35),
                admission_date=admitted,
                position=position,
                is_leader=leader,
                is_head=head,
                subject_type=SubjectType.LEADER if leader else SubjectType.NO_POST,
            )
        )
    return members


# ---------------------------------------------------------------------------------------------
# What the cell fills in


def _meeting_date(rng: random.Random, year: int) -> date:
    return date(year, 11, 25) + timedelta(days=rng.randint(0, 24))


def _reasons(rng: random.Random, members: list[Member], meeting: date) -> dict[str, NotRatedReason]:
    reasons: dict[str, NotRatedReason] = {}
    for m in members:
        if m.admission_date and add_months(m.admission_date, 6) > meeting:
            reasons[m.member_id] = NotRatedReason.NEW_MEMBER
    officials = [m for m in members[3:] if m.membership is Membership.OFFICIAL]
    rng.shuffle(officials)
    picks = iter(officials)
    for reason, count in (
        (NotRatedReason.EXEMPT, rng.randint(0, 2)),
        (NotRatedReason.SUSPENDED, 1 if rng.random() < 0.15 else 0),
        (NotRatedReason.ABSENT, 1 if rng.random() < 0.3 else 0),
    ):
        for _ in range(count):
            pick = next(picks, None)
            if pick is not None:
                reasons[pick.member_id] = reason
    return reasons


def _target_levels(
    rng: random.Random, rated: list[Member], edge: str | None
) -> dict[str, RatingLevel]:
    n = len(rated)
    n_kht = 1 if rng.random() < 0.08 and n > 12 else 0
    n_ht = max(0, round(n * rng.uniform(0.03, 0.08)))
    n_top = n - n_kht - n_ht  # HTXSNV + HTTNV
    # HTXSNV ≤ floor(20% × HTTNV) holds while HTXSNV ≤ n_top // 6
    n_htxs = min(n_top // 6, round(n * rng.uniform(0.10, 0.18)))
    if edge == "quota-at-ceiling":
        n_htxs = n_top // 6
        n_ht += n_top - 6 * n_htxs  # leaves HTTNV at exactly 5 × HTXSNV
        n_top = 6 * n_htxs
    elif edge == "quota-over-ceiling":
        n_htxs = n_top // 6 + 1
    n_htt = n_top - n_htxs
    levels = [HTXS] * n_htxs + [HTT] * n_htt + [HT] * n_ht + [KHT] * n_kht
    order = rated[:]
    rng.shuffle(order)
    targets = {m.member_id: level for m, level in zip(order, levels, strict=True)}
    # the head sits at HTTNV: the head cap (R15) would otherwise move the planted quota cases
    heads = [m.member_id for m in rated if m.is_head and targets[m.member_id] is not HTT]
    others = [k for k, v in targets.items() if v is HTT and k not in heads]
    for head, other in zip(heads, others, strict=False):
        targets[head], targets[other] = HTT, targets[head]
    return targets


def _votes_for(rng: random.Random, level: RatingLevel, voters: int) -> tuple[tuple[int, ...], int]:
    """Votes of ``voters`` official members for one member whose deserved level is ``level``."""
    counts = [0, 0, 0, 0]
    blank = 0
    at = LEVELS.index(level)
    for _ in range(voters):
        r = rng.random()
        if r < 0.88:
            counts[at] += 1
        elif r < 0.97:
            counts[min(3, at + 1) if at < 2 or r < 0.93 else max(0, at - 1)] += 1
        else:
            blank += 1
    return tuple(counts), blank


def _cell_return(
    rng: random.Random, cell: OrgUnit, members: list[Member], year: int, edge: str | None
) -> tuple[CellReturn, tuple[Ballot, ...]]:
    when = _meeting_date(rng, year)
    reasons = _reasons(rng, members, when)
    officials = [m for m in members if m.membership is Membership.OFFICIAL]
    not_counted = sum(
        1
        for m in officials
        if reasons.get(m.member_id) in (NotRatedReason.EXEMPT, NotRatedReason.SUSPENDED)
    )
    absent = sum(1 for m in officials if reasons.get(m.member_id) is NotRatedReason.ABSENT)
    convened = len(officials) - not_counted
    present_official = convened - absent
    present_probationary = sum(
        1 for m in members if m.membership is Membership.PROBATIONARY and m.member_id not in reasons
    )
    rated = [m for m in members if m.member_id not in reasons]
    targets = _target_levels(rng, rated, edge)
    uses_scores = year >= 2025
    assessments: dict[str, SelfAssessment] = {}
    tallies: dict[str, VoteTally] = {}
    for m in members:
        reason = reasons.get(m.member_id)
        if reason is not None:
            assessments[m.member_id] = SelfAssessment(
                member_id=m.member_id, not_rated_reason=reason
            )
            continue
        level = targets[m.member_id]
        votes, blank = _votes_for(rng, level, present_official)
        tallies[m.member_id] = VoteTally(m.member_id, _four(votes), blank)
        self_level = level if rng.random() < 0.9 else LEVELS[max(0, LEVELS.index(level) - 1)]
        score = _score(rng, level) if uses_scores else None
        assessments[m.member_id] = SelfAssessment(
            member_id=m.member_id,
            self_level=self_level,
            self_score=score,
            sick_leave_months=rng.choice((0.0,) * 12 + (1.0, 2.0)),
            maternity_leave_months=rng.choice((0.0,) * 15 + (6.0,)),
            committee_proposal=level,
            # the two parts of the 2025 self-assessment (QĐ 366 Điều 10): about 30 + 70
            common_score=None if score is None else float(round(score * 0.3)),
            task_score=None if score is None else score - round(score * 0.3),
        )
    method = VoteMethod.SECRET_BALLOT if rng.random() < 0.8 else VoteMethod.SHOW_OF_HANDS
    if edge == "probationary-voter":
        method = VoteMethod.SECRET_BALLOT  # the extra paper shows in the ballot counts
    # a spoiled paper happens only in a secret ballot
    spoiled = method is VoteMethod.SECRET_BALLOT and present_official > 6 and rng.random() < 0.3
    valid = present_official - (1 if spoiled else 0)
    meeting = Meeting(
        meeting_date=when,
        official_total=len(officials),
        official_not_counted=not_counted,
        present_official=present_official,
        present_probationary=present_probationary,
        method=method,
        ballots_issued=present_official,
        ballots_returned=present_official,
        ballots_valid=present_official,
        ballots_invalid=0,
    )
    if valid < present_official:
        # one spoiled ballot: it counts for nobody, so every tally loses one vote
        meeting = replace(meeting, ballots_valid=valid, ballots_invalid=present_official - valid)
        tallies = {k: _drop_one(t) for k, t in tallies.items()}
    if edge == "probationary-voter" and present_probationary:
        # a probationary member was handed a ballot paper (R11): an error for the checks
        meeting = replace(
            meeting,
            ballots_issued=meeting.ballots_issued + 1,
            ballots_returned=meeting.ballots_returned + 1,
            ballots_valid=meeting.ballots_valid + 1,
        )
        tallies = {k: _add_blank(t) for k, t in tallies.items()}
    # planted last, over the valid ballots, so that the spoiled paper cannot undo the tie
    voters = meeting.ballots_valid if method is VoteMethod.SECRET_BALLOT else present_official
    _plant_vote_edge(edge, rated, voters, tallies, assessments)
    cell_level = HTXS if rng.random() < 0.2 else HTT
    cell_votes, cell_blank = _votes_for(rng, cell_level, meeting.ballots_valid)
    ret = CellReturn(
        cell=cell,
        members=tuple(members),
        assessments=assessments,
        meeting=meeting,
        tallies=tallies,
        cell_assessment=CellSelfAssessment(
            score=_score(rng, cell_level) if uses_scores else None,
            proposed_level=cell_level,
            leadership_level=cell_level,
        ),
        cell_tally=VoteTally(None, _four(cell_votes), cell_blank),
    )
    return ret, _papers(ret)


def _plant_vote_edge(
    edge: str | None,
    rated: list[Member],
    voters: int,
    tallies: dict[str, VoteTally],
    assessments: dict[str, SelfAssessment],
) -> None:
    candidates = [m for m in rated[3:] if m.membership is Membership.OFFICIAL] or rated
    target = candidates[0].member_id
    if edge == "tie":
        half = voters // 2
        tallies[target] = VoteTally(target, (half, half, 0, 0), voters - 2 * half)
    elif edge == "no-level-carried":
        a = voters * 3 // 10
        b = voters * 2 // 10
        tallies[target] = VoteTally(target, (a, b, 0, 0), voters - a - b)
    elif edge == "disciplined-proposed-httnv":
        tallies[target] = VoteTally(target, (0, voters, 0, 0), 0)
        assessments[target] = replace(
            assessments[target], disciplined_in_year=True, self_level=HTT, committee_proposal=HTT
        )


def _score(rng: random.Random, level: RatingLevel) -> float:
    low, high = {HTXS: (90, 98), HTT: (72, 89), HT: (52, 69), KHT: (35, 49)}[level]
    return float(rng.randint(low, high))


def _four(votes: tuple[int, ...]) -> tuple[int, int, int, int]:
    return (votes[0], votes[1], votes[2], votes[3])


def _drop_one(t: VoteTally) -> VoteTally:
    if t.blank:
        return replace(t, blank=t.blank - 1)
    votes = list(t.votes)
    at = max(range(4), key=lambda i: votes[i])
    if votes[at] == 0:
        return t
    votes[at] -= 1
    return replace(t, votes=_four(tuple(votes)))


def _add_blank(t: VoteTally) -> VoteTally:
    return replace(t, blank=t.blank + 1)


def _papers(ret: CellReturn) -> tuple[Ballot, ...]:
    """Ballot papers that add up to the tallies: paper k ticks, for each member, a level."""
    papers: list[Ballot] = []
    for member_id in sorted(ret.tallies):
        tally = ret.tallies[member_id]
        choices: list[RatingLevel | None] = []
        for level in LEVELS:
            choices.extend([level] * tally.votes_for(level))
        choices.extend([None] * tally.blank)
        papers.extend(
            Ballot(paper_no=k + 1, member_id=member_id, choice=c) for k, c in enumerate(choices)
        )
    return tuple(sorted(papers, key=lambda b: (b.paper_no, b.member_id)))
