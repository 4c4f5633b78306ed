"""The domain model: frozen values for levels, members, cells, meetings, tallies and issues.

This module imports nothing else from the package, so every other part can depend on it.
Vietnamese labels are the official terms of Quy định 124-QĐ/TW and Hướng dẫn 25-HD/BTCTW.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

# ---------------------------------------------------------------------------------------------
# Rating levels (R1)


class RatingLevel(enum.Enum):
    """The four levels shared by party members and party organizations (QĐ 124 Điều 12)."""

    HTXSNV = "HTXSNV"
    HTTNV = "HTTNV"
    HTNV = "HTNV"
    KHTNV = "KHTNV"

    @property
    def full_name(self) -> str:
        """The official Vietnamese name, e.g. ``Hoàn thành tốt nhiệm vụ``."""
        return _LEVEL_NAMES[self][0]

    @property
    def english(self) -> str:
        return _LEVEL_NAMES[self][1]

    @property
    def rank(self) -> int:
        """3 for HTXSNV down to 0 for KHTNV: higher is better."""
        return 3 - LEVELS.index(self)

    def __lt__(self, other: RatingLevel) -> bool:
        return self.rank < other.rank

    def __le__(self, other: RatingLevel) -> bool:
        return self.rank <= other.rank

    def __gt__(self, other: RatingLevel) -> bool:
        return self.rank > other.rank

    def __ge__(self, other: RatingLevel) -> bool:
        return self.rank >= other.rank

    @classmethod
    def parse(cls, raw: object) -> RatingLevel:
        """Read a level as secretaries type it; raise ``ValueError`` for anything else.

        Accepts the abbreviations (HTXSNV, HTXS, HTTNV, HTT, HTNV, HT, KHTNV, KHT), the full
        names with or without diacritics, in any case, with extra spaces or dots, NFC or NFD.
        """
        key = _level_key(raw)
        try:
            return _LEVEL_SPELLINGS[key]
        except KeyError:
            raise ValueError(f"not a rating level: {raw!r}") from None


_LEVEL_NAMES = {
    RatingLevel.HTXSNV: ("Hoàn thành xuất sắc nhiệm vụ", "Excellent completion of duties"),
    RatingLevel.HTTNV: ("Hoàn thành tốt nhiệm vụ", "Good completion of duties"),
    RatingLevel.HTNV: ("Hoàn thành nhiệm vụ", "Completion of duties"),
    RatingLevel.KHTNV: ("Không hoàn thành nhiệm vụ", "Non-completion of duties"),
}

#: Highest level first: the order of every table, of vote columns and of cumulative counting.
LEVELS: tuple[RatingLevel, ...] = (
    RatingLevel.HTXSNV,
    RatingLevel.HTTNV,
    RatingLevel.HTNV,
    RatingLevel.KHTNV,
)


def strip_accents(text: str) -> str:
    """Remove Vietnamese diacritics (đ becomes d), keeping letters and case."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return bare.replace("đ", "d").replace("Đ", "D")


def _level_key(raw: object) -> str:
    text = "" if raw is None else str(raw)
    return re.sub(r"[^a-z0-9]", "", strip_accents(text).casefold())


_LEVEL_SPELLINGS: dict[str, RatingLevel] = {}
for _level, _abbreviations in (
    (RatingLevel.HTXSNV, ("HTXSNV", "HTXS")),
    (RatingLevel.HTTNV, ("HTTNV", "HTT")),
    (RatingLevel.HTNV, ("HTNV", "HT")),
    (RatingLevel.KHTNV, ("KHTNV", "KHT")),
):
    for _spelling in (*_abbreviations, _level.full_name):
        _LEVEL_SPELLINGS[_level_key(_spelling)] = _level


def normalize_text(raw: object) -> str:
    """NFC, trimmed, inner runs of white space (NBSP included) folded to one space."""
    if raw is None:
        return ""
    text = unicodedata.normalize("NFC", str(raw))
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# Members and the org-unit tree


class Membership(enum.Enum):
    """Official (chính thức) or probationary (dự bị): only official members vote (R11)."""

    OFFICIAL = "chinh_thuc"
    PROBATIONARY = "du_bi"

    @property
    def label(self) -> str:
        return "Chính thức" if self is Membership.OFFICIAL else "Dự bị"


class NotRatedReason(enum.Enum):
    """Why a member on the roster gets no rating this year (R3, R18, R19)."""

    EXEMPT = "mien"
    SUSPENDED = "dinh_chi"
    NEW_MEMBER = "moi_ket_nap"
    ABSENT = "vang"
    TRANSFERRED = "chuyen_di"
    DECEASED = "tu_tran"
    OTHER = "khac"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self][0]

    @property
    def english(self) -> str:
        return _REASON_LABELS[self][1]

    @property
    def must_not_be_rated(self) -> bool:
        """True for the R3 cases: a rating entered for such a member is an error."""
        return self in (NotRatedReason.EXEMPT, NotRatedReason.SUSPENDED, NotRatedReason.NEW_MEMBER)

    @classmethod
    def parse(cls, raw: object) -> NotRatedReason:
        """Read a reason from its label or code (accents and case ignored); ``ValueError`` else."""
        key = _level_key(raw)
        for reason in cls:
            if key in (_level_key(reason.value), _level_key(reason.label)):
                return reason
        raise ValueError(f"not a reason: {raw!r}")


_REASON_LABELS = {
    NotRatedReason.EXEMPT: ("Miễn công tác và sinh hoạt đảng", "Exempt from work and activities"),
    NotRatedReason.SUSPENDED: ("Đình chỉ sinh hoạt đảng", "Suspended from party activities"),
    NotRatedReason.NEW_MEMBER: ("Kết nạp chưa đủ 6 tháng", "Admitted less than 6 months ago"),
    NotRatedReason.ABSENT: ("Vắng mặt, chưa đánh giá", "Absent, not rated yet"),
    NotRatedReason.TRANSFERRED: ("Chuyển sinh hoạt đi", "Transferred out"),
    NotRatedReason.DECEASED: ("Từ trần", "Deceased"),
    NotRatedReason.OTHER: ("Lý do khác", "Other reason"),
}


class OrgKind(enum.Enum):
    """Where an org unit stands in the tree; it decides the default quota scope (R9)."""

    PARENT = "cap_tren"  # Quận ủy until mid-2025, then the ward/commune Đảng ủy
    GRASSROOTS_COMMITTEE = "dang_bo_co_so"  # đảng bộ cơ sở
    GRASSROOTS_CELL = "chi_bo_co_so"  # chi bộ cơ sở, directly under the parent
    CELL = "chi_bo_truc_thuoc"  # chi bộ trực thuộc đảng ủy cơ sở

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def is_cell(self) -> bool:
        return self in (OrgKind.GRASSROOTS_CELL, OrgKind.CELL)

    @classmethod
    def parse(cls, raw: object) -> OrgKind:
        key = _level_key(raw)
        for kind in cls:
            if key in (_level_key(kind.value), _level_key(kind.label)):
                return kind
        raise ValueError(f"not an org kind: {raw!r}")


_KIND_LABELS = {
    OrgKind.PARENT: "Đảng ủy cấp trên",
    OrgKind.GRASSROOTS_COMMITTEE: "Đảng bộ cơ sở",
    OrgKind.GRASSROOTS_CELL: "Chi bộ cơ sở",
    OrgKind.CELL: "Chi bộ trực thuộc",
}


class SubjectType(enum.Enum):
    """Which of the three 2025 self-assessment forms a member writes (HD 43, Mẫu 2A/2B/2C).

    Some KHTNV grounds of QĐ 366 Điều 11 differ by type: the share of low-confidence votes
    counts for leaders, the share of tasks not completed for the two others.
    """

    LEADER = "2A"  # giữ chức vụ lãnh đạo, quản lý
    NO_POST = "2B"  # không giữ chức vụ lãnh đạo, quản lý
    OUTSIDE = "2C"  # không làm việc trong hệ thống chính trị

    @property
    def label(self) -> str:
        return _SUBJECT_LABELS[self][0]

    @property
    def english(self) -> str:
        return _SUBJECT_LABELS[self][1]

    @property
    def form(self) -> str:
        """``Mẫu 2A``."""
        return f"Mẫu {self.value}"

    @property
    def is_leader(self) -> bool:
        return self is SubjectType.LEADER


_SUBJECT_LABELS = {
    SubjectType.LEADER: (
        "Giữ chức vụ lãnh đạo, quản lý (Mẫu 2A)",
        "Holds a leadership or management post (form 2A)",
    ),
    SubjectType.NO_POST: (
        "Không giữ chức vụ lãnh đạo, quản lý (Mẫu 2B)",
        "Holds no leadership or management post (form 2B)",
    ),
    SubjectType.OUTSIDE: (
        "Đảng viên không làm việc trong hệ thống chính trị (Mẫu 2C)",
        "Member not working in the political system (form 2C)",
    ),
}


class Remedied(enum.Enum):
    """Whether the shortcomings named at the previous review were all remedied (QĐ 366 Điều 11)."""

    YES = "co"
    NO = "khong"
    NOT_APPLICABLE = "khong_ap_dung"

    @property
    def label(self) -> str:
        return {
            Remedied.YES: "Có",
            Remedied.NO: "Không",
            Remedied.NOT_APPLICABLE: "Không áp dụng",
        }[self]


@dataclass(frozen=True)
class OrgUnit:
    """A node of the org tree: parent committee, đảng bộ cơ sở or chi bộ."""

    code: str
    name: str
    kind: OrgKind
    parent_code: str | None = None
    #: the district's own grouping for organization quotas: trường học, phường, cơ quan...
    org_type: str = ""
    secretary_name: str = ""
    secretary_email: str = ""


@dataclass(frozen=True)
class Member:
    """A party member on a cell's roster; ``member_id`` is stable across years and files."""

    member_id: str
    full_name: str
    cell_code: str
    membership: Membership = Membership.OFFICIAL
    birth_year: int | None = None
    admission_date: date | None = None
    position: str = ""
    #: holds a leadership or management post (writes Mẫu 02B rather than 02A)
    is_leader: bool = False
    #: head of the cell (bí thư chi bộ): may not be rated above the cell (R15)
    is_head: bool = False
    #: the 2025 subject type (Mẫu 2A/2B/2C); 2B when the roster leaves it blank
    subject_type: SubjectType = SubjectType.NO_POST


@dataclass(frozen=True)
class OrgTree:
    """Every org unit by code; members live on the cells."""

    units: Mapping[str, OrgUnit]

    def cells(self) -> tuple[OrgUnit, ...]:
        """Cells in code order."""
        return tuple(sorted((u for u in self.units.values() if u.kind.is_cell), key=_by_code))

    def grassroots_of(self, code: str) -> OrgUnit:
        """The tổ chức cơ sở đảng a unit belongs to: itself for a chi bộ cơ sở."""
        unit = self.units[code]
        while unit.kind is OrgKind.CELL and unit.parent_code is not None:
            parent = self.units.get(unit.parent_code)
            if parent is None:
                break
            unit = parent
            if unit.kind is OrgKind.GRASSROOTS_COMMITTEE:
                return unit
        return unit


def _by_code(unit: OrgUnit) -> str:
    return unit.code


@dataclass(frozen=True)
class Roster:
    """What the district knows before the review: the org tree and every member."""

    tree: OrgTree
    members: tuple[Member, ...]

    def members_of(self, cell_code: str) -> tuple[Member, ...]:
        return self.by_cell.get(cell_code, ())

    @functools.cached_property
    def by_cell(self) -> dict[str, tuple[Member, ...]]:
        """The members of each cell, in roster order: built once, looked up for every cell
        and file (a scan of a city's 52,000 members per file or per cell took seconds)."""
        found: dict[str, list[Member]] = {}
        for member in self.members:
            found.setdefault(member.cell_code, []).append(member)
        return {code: tuple(members) for code, members in found.items()}

    @functools.cached_property
    def by_id(self) -> dict[str, Member]:
        """Each member by ID (the last of a repeated ID, which the roster reports)."""
        return {m.member_id: m for m in self.members}


# ---------------------------------------------------------------------------------------------
# What a cell returns: self-assessment, meeting, tallies


@dataclass(frozen=True)
class SelfAssessment:
    """One member's row of the self-assessment workbook (tự đánh giá, xếp loại)."""

    member_id: str
    self_level: RatingLevel | None = None
    self_score: float | None = None
    not_rated_reason: NotRatedReason | None = None
    disciplined_in_year: bool = False
    self_detected_remedied: bool = False
    #: the violation was already counted as KHTNV in an earlier year (R6: counts once)
    discipline_counted_before: bool = False
    #: degradation concluded, under 50% of targets, or breach of what members may not do (R7)
    other_khtnv_ground: bool = False
    sick_leave_months: float = 0.0
    maternity_leave_months: float = 0.0
    committee_proposal: RatingLevel | None = None
    #: the two parts of the self-score (QĐ 366 Điều 10): common criteria 0–30, tasks 0–70;
    #: None in a workbook of an older template, which has only the total (``self_score``)
    common_score: float | None = None
    task_score: float | None = None
    #: the shortcomings named at the previous review all remedied (None: not stated)
    shortcomings_remedied: Remedied | None = None
    #: percentage (0–100) of the year's tasks not completed (members without a post, 2B/2C)
    tasks_not_completed_percent: float | None = None
    #: percentage (0–100) of low-confidence votes in the year's confidence vote (leaders, 2A)
    low_confidence_percent: float | None = None


@dataclass(frozen=True)
class CellSelfAssessment:
    """The cell's own self-assessment: score (where the rule-set uses scores) and level."""

    score: float | None = None
    proposed_level: RatingLevel | None = None
    leadership_level: RatingLevel | None = None
    disciplined_in_year: bool = False


class VoteMethod(enum.Enum):
    SHOW_OF_HANDS = "gio_tay"
    SECRET_BALLOT = "phieu_kin"

    @property
    def label(self) -> str:
        return "Biểu quyết giơ tay" if self is VoteMethod.SHOW_OF_HANDS else "Bỏ phiếu kín"


@dataclass(frozen=True)
class Meeting:
    """The rating meeting of a cell and its ballot counts (biên bản kiểm phiếu)."""

    meeting_date: date | None = None
    official_total: int = 0
    #: official members not counted in the denominator: exempt and absent, on temporary
    #: activity elsewhere, suspended (R12)
    official_not_counted: int = 0
    present_official: int = 0
    present_probationary: int = 0
    method: VoteMethod = VoteMethod.SECRET_BALLOT
    ballots_issued: int = 0
    ballots_returned: int = 0
    ballots_valid: int = 0
    ballots_invalid: int = 0

    @property
    def convened_official_adjusted(self) -> int:
        return self.official_total - self.official_not_counted


@dataclass(frozen=True)
class VoteTally:
    """Votes per level for one member (or for the cell itself when ``member_id`` is None)."""

    member_id: str | None
    #: votes in LEVELS order: HTXSNV, HTTNV, HTNV, KHTNV
    votes: tuple[int, int, int, int] = (0, 0, 0, 0)
    #: valid ballots that chose no level for this member
    blank: int = 0
    #: valid ballots that chose "Chưa đánh giá, xếp loại" for this member (HD 03-HD/TVĐU Mẫu 11)
    not_rated: int = 0
    #: valid ballots that were invalid for this member (several boxes ticked, say)
    invalid: int = 0
    #: the level the meeting concluded for this member ("Kết luận của hội nghị"), if written
    conclusion: RatingLevel | None = None

    def votes_for(self, level: RatingLevel) -> int:
        return self.votes[LEVELS.index(level)]

    @property
    def total(self) -> int:
        """Every ballot counted for this member: the four levels, "chưa đánh giá, xếp loại",
        blank and invalid; equal to the valid ballots (or those present at a show of hands)."""
        return sum(self.votes) + self.blank + self.not_rated + self.invalid


@dataclass(frozen=True)
class Ballot:
    """One choice on one ballot paper: paper number, member, the level ticked (None: blank)."""

    paper_no: int
    member_id: str
    choice: RatingLevel | None


@dataclass(frozen=True)
class CellReturn:
    """Everything one cell sent back, read and normalised: the rating engine's input."""

    cell: OrgUnit
    members: tuple[Member, ...]
    assessments: Mapping[str, SelfAssessment]
    meeting: Meeting
    tallies: Mapping[str, VoteTally]
    cell_assessment: CellSelfAssessment = field(default_factory=CellSelfAssessment)
    cell_tally: VoteTally | None = None


# ---------------------------------------------------------------------------------------------
# Problems as data


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "Lỗi" if self is Severity.ERROR else "Cảnh báo"


@dataclass(frozen=True)
class Location:
    """Where a problem is: file, sheet and cell reference such as ``E12`` (all optional)."""

    file: str = ""
    sheet: str = ""
    cell: str = ""

    def __str__(self) -> str:
        parts = [self.file, self.sheet, self.cell]
        return " › ".join(p for p in parts if p)


@dataclass(frozen=True)
class Issue:
    """One problem found: a catalogue code, where, the value found, and the message."""

    code: str
    severity: Severity
    message: str
    message_en: str
    location: Location = field(default_factory=Location)
    value: str = ""
    #: the org unit (cell) the problem belongs to, so it can be sent back to that cell
    unit_code: str = ""
    member_id: str = ""

    def text(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message

    def as_dict(self) -> dict[str, object]:
        """The issue as JSON data (``validate --format json``, ``ket-qua.json``): stable keys."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "message_en": self.message_en,
            "file": self.location.file,
            "sheet": self.location.sheet,
            "cell": self.location.cell,
            "value": self.value,
            "unit_code": self.unit_code,
            "member_id": self.member_id,
        }


# ---------------------------------------------------------------------------------------------
# Inputs, for the audit trail


@dataclass(frozen=True)
class InputFile:
    """One input file as it was read: path, SHA-256, what it was recognised as."""

    path: str
    sha256: str
    #: "roster", "self_assessment", "ballot", or "" when not recognised
    kind: str = ""
    template_version: str = ""
    cell_code: str = ""
    year: int | None = None
    #: "used", "duplicate", "rejected" (errors), "unknown" (belongs to no cell)
    status: str = "used"

    def as_dict(self) -> dict[str, object]:
        """The file as JSON data (reports, ``ket-qua.json``, ``manifest.json``): stable keys."""
        return {
            "path": self.path,
            "sha256": self.sha256,
            "kind": self.kind,
            "template_version": self.template_version,
            "cell_code": self.cell_code,
            "year": self.year,
            "status": self.status,
        }


# ---------------------------------------------------------------------------------------------
# The competent level's decisions (QĐ 366 Điều 12)


@dataclass(frozen=True)
class LevelDecision:
    """One row of the decisions workbook: a member's (or, with no ``member_id``, an
    organization's) level as the competent level decided it."""

    unit_code: str
    member_id: str
    #: the proposal the row was made from, as its level code ("" when there was none)
    proposed: str
    #: None: not decided yet
    decided: RatingLevel | None
    reason: str
    location: Location


@dataclass(frozen=True)
class Decisions:
    """The filled decisions workbook: the decision's reference and its rows."""

    committee_code: str
    year: int | None
    number: str
    decided_on: date | None
    signer: str
    members: tuple[LevelDecision, ...]
    organizations: tuple[LevelDecision, ...]
    #: the SHA-256 of the proposals the workbook was made from (its identity block)
    made_from: str = ""

    @property
    def reference(self) -> str:
        """ "Quyết định số 125-QĐ/ĐU ngày 20/12/2026", as explanations cite it."""
        day = f" ngày {self.decided_on:%d/%m/%Y}" if self.decided_on else ""
        return f"Quyết định số {self.number}{day}" if self.number else f"Quyết định{day}"
