"""Lay out a demo district on disk, as a committee would have it after the cells answer.

``root/danh-sach-dang-vien.xlsx`` (the roster), ``root/bieu-mau/`` (the workbooks generated for
every cell), ``root/hop-thu/`` (what the secretaries sent back: filled, renamed, a few with
mistakes, one cell missing) and ``root/mail.toml`` (a sample mail configuration).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from toolkit.demo.district import DemoDistrict, make_district
from toolkit.errors import OutputError, os_reason
from toolkit.model import (
    Ballot,
    CellReturn,
    Membership,
    OrgUnit,
    RatingLevel,
    strip_accents,
)
from toolkit.rulebook import load_ruleset

ROSTER_NAME = "danh-sach-dang-vien.xlsx"
TEMPLATES_DIR = "bieu-mau"
INBOX_DIR = "hop-thu"
OUT_DIR = "ket-qua"
MAIL_CONFIG = "mail.toml"

#: the mistakes planted in the returns, one per cell, after the edge-case cells
MISTAKES = {
    "level-typo": ("gõ «Tốt» vào ô tự xếp loại", "typed «Tốt» as a rating level"),
    "count-as-text": ("ghi số kèm chữ «người»", "a count typed with a word"),
    "exempt-rated": ("xếp loại đảng viên được miễn sinh hoạt", "an exempt member rated"),
    "votes-do-not-add-up": ("số phiếu không khớp số phiếu hợp lệ", "votes do not add up"),
}


@dataclass(frozen=True)
class DemoLayout:
    """Where everything of a demo district is."""

    root: Path
    roster: Path
    templates: Path
    inbox: Path
    out_dir: Path
    mail_config: Path
    district: DemoDistrict
    #: cell code -> mistake planted in its returned files
    mistakes: Mapping[str, str]


def build_demo(
    root: Path,
    *,
    year: int,
    cells: int = 30,
    seed: int = 2023,
    ballot_papers: str = "some",
    with_mistakes: bool = True,
    edge_cases: bool = True,
    workers: int = 1,
    parent: OrgUnit | None = None,
) -> DemoLayout:
    """Write the roster, the templates and the filled returns of a demo district under ``root``."""
    from toolkit.mail.config import sample_config
    from toolkit.workbooks.generate import (
        generate_cell_workbooks,
        workbook_features,
        write_roster,
    )

    district = make_district(
        year, cells, seed, ballot_papers=ballot_papers, edge_cases=edge_cases, parent=parent
    )
    rules = load_ruleset(year)
    layout_paths = {
        "roster": root / ROSTER_NAME,
        "templates": root / TEMPLATES_DIR,
        "inbox": root / INBOX_DIR,
    }
    try:
        layout_paths["inbox"].mkdir(parents=True, exist_ok=True)
        write_roster(district.roster, layout_paths["roster"])
        generated = generate_cell_workbooks(
            district.roster, year, layout_paths["templates"], rules=rules
        )
    except OSError as exc:
        raise OutputError(f"Không ghi được đảng bộ mẫu vào {root}: {os_reason(exc)}.") from None
    # generate_cell_workbooks writes, for every cell in code order, the self-assessment then
    # the ballot workbook
    templates = {
        cell.code: (generated[2 * i], generated[2 * i + 1])
        for i, cell in enumerate(district.roster.tree.cells())
    }
    mistakes = _plan_mistakes(district) if with_mistakes else {}
    features = workbook_features(rules)
    jobs = []
    used: set[str] = set()
    for index, ret in enumerate(district.returns):
        names = tuple(_unique(n, used) for n in _secretary_file_names(ret, index))
        inbox = layout_paths["inbox"]
        job = _fill_job(ret, templates[ret.cell.code], inbox, names, district, mistakes, features)
        jobs.append(job)
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_fill, jobs, chunksize=8))
    else:
        for job in jobs:
            _fill(job)
    parent = district.parent
    mail_config = root / MAIL_CONFIG
    # a Quận ủy has a Ban Tổ chức; a ward's Đảng ủy (from 2025) a Ban Xây dựng Đảng
    office = "Ban Tổ chức" if district.year <= 2024 else "Ban Xây dựng Đảng"
    domain = "quanuy.example" if district.year <= 2024 else "dangbophuong.example"
    mail_config.write_text(
        sample_config(
            sender_name=f"{office} {parent.name}",
            sender_email=f"vanphong@{domain}",
            leaders=(
                (f"Bí thư {parent.name}", f"bithu@{domain}"),
                (f"Trưởng {office} {parent.name}", f"truongban@{domain}"),
            ),
        ),
        encoding="utf-8",
    )
    return DemoLayout(
        root=root,
        roster=layout_paths["roster"],
        templates=layout_paths["templates"],
        inbox=layout_paths["inbox"],
        out_dir=root / OUT_DIR,
        mail_config=mail_config,
        district=district,
        mistakes=mistakes,
    )


def _plan_mistakes(district: DemoDistrict) -> dict[str, str]:
    """One cell per mistake, after the edge-case cells, each able to carry its mistake."""
    candidates = [
        r
        for r in district.returns
        if r.cell.code not in district.edge_cases and len(r.members) >= 10
    ][2:]
    planted: dict[str, str] = {}
    for mistake in MISTAKES:
        for ret in candidates:
            if ret.cell.code in planted:
                continue
            if mistake == "exempt-rated" and _first_not_rated(ret) is None:
                continue
            planted[ret.cell.code] = mistake
            break
    return planted


# ---------------------------------------------------------------------------------------------
# Filling, one job per cell (picklable, for the process pool)


@dataclass(frozen=True)
class _FillJob:
    ret: CellReturn
    papers: tuple[Ballot, ...]
    sa_template: Path
    ballot_template: Path
    sa_target: Path
    ballot_target: Path
    mistake: str | None
    saved_at: dt.datetime
    #: the template variant (score columns under QD366): where each column sits
    features: tuple[str, ...]


def _fill_job(
    ret: CellReturn,
    templates: tuple[Path, Path],
    inbox: Path,
    names: tuple[str, ...],
    district: DemoDistrict,
    mistakes: Mapping[str, str],
    features: tuple[str, ...],
) -> _FillJob:
    sa_name, ballot_name = names
    when = ret.meeting.meeting_date or dt.date(district.year, 12, 20)
    return _FillJob(
        ret=ret,
        papers=district.ballots.get(ret.cell.code, ()),
        sa_template=templates[0],
        ballot_template=templates[1],
        sa_target=inbox / sa_name,
        ballot_target=inbox / ballot_name,
        mistake=mistakes.get(ret.cell.code),
        saved_at=dt.datetime.combine(when + dt.timedelta(days=1), dt.time(16, 30)),
        features=features,
    )


def _secretary_file_names(ret: CellReturn, index: int) -> tuple[str, str]:
    """Secretaries rename the files they send back; xeploai recognises them by content."""
    plain = strip_accents(ret.cell.name)
    patterns = (
        ("{name} - tu danh gia.xlsx", "{name} - bien ban kiem phieu.xlsx"),
        ("{code}_TuDanhGia_ban cuoi.xlsx", "{code}_KiemPhieu_ban cuoi.xlsx"),
        ("Tự đánh giá {vn}.xlsx", "Biên bản {vn}.xlsx"),
    )
    sa, ballot = patterns[index % len(patterns)]
    fields = {"name": plain, "code": ret.cell.code, "vn": ret.cell.name.replace("/", "-")}
    return sa.format(**fields), ballot.format(**fields)


def _unique(name: str, used: set[str]) -> str:
    """Two cells may share a name: the second file becomes ``name (2).xlsx``, as a mail client
    saves a second attachment of the same name."""
    stem, n, candidate = name.removesuffix(".xlsx"), 1, name
    while candidate.casefold() in used:
        n += 1
        candidate = f"{stem} ({n}).xlsx"
    used.add(candidate.casefold())
    return candidate


def _fill(job: _FillJob) -> None:
    from toolkit.workbooks.fill import fill_ballot, fill_self_assessment

    ret = job.ret
    assessments = dict(ret.assessments)
    tallies = dict(ret.tallies)
    sa_raw: dict[str, Any] = {}
    ballot_raw: dict[str, Any] = {}
    if job.mistake == "exempt-rated":
        # a rating typed for a member who is exempt from activities (R3)
        exempt = _first_not_rated(ret)
        if exempt is not None:
            assessments[exempt] = replace(assessments[exempt], self_level=RatingLevel.HTTNV)
    elif job.mistake == "votes-do-not-add-up":
        member_id = sorted(tallies)[0]
        t = tallies[member_id]
        tallies[member_id] = replace(t, votes=(t.votes[0] + 2, *t.votes[1:]))
    elif job.mistake in ("level-typo", "count-as-text"):
        sa_raw, ballot_raw = _raw_mistake(job)
    fill_self_assessment(
        job.sa_template,
        job.sa_target,
        [assessments[m.member_id] for m in ret.members if m.member_id in assessments],
        ret.cell_assessment,
        raw=sa_raw,
        saved_at=job.saved_at,
    )
    fill_ballot(
        job.ballot_template,
        job.ballot_target,
        ret.meeting,
        [tallies[m.member_id] for m in ret.members if m.member_id in tallies],
        ret.cell_tally,
        job.papers,
        raw=ballot_raw,
        saved_at=job.saved_at,
    )


def _first_not_rated(ret: CellReturn) -> str | None:
    for m in ret.members:
        a = ret.assessments.get(m.member_id)
        if (
            a is not None
            and a.not_rated_reason is not None
            and a.not_rated_reason.must_not_be_rated
        ):
            return m.member_id
    return None


def _raw_mistake(job: _FillJob) -> tuple[dict[str, Any], dict[str, Any]]:
    """Cells typed by hand the way secretaries get them wrong, addressed as ``Sheet!E12``."""
    from toolkit.workbooks.declarations import load_declaration

    ret = job.ret
    if job.mistake == "level-typo":
        declaration = load_declaration("self_assessment")
        layout = declaration.layout("members", job.features)
        rated = [
            m
            for m in ret.members
            if m.member_id in ret.tallies and m.membership is Membership.OFFICIAL
        ]
        row = layout.first_data_row + ret.members.index(rated[-1])
        # "Tốt" is a criterion grade (R2), not a rating level (R1)
        return {f"{layout.sheet.name}!{layout.ref('self_level', row)}": "Tốt"}, {}
    declaration = load_declaration("ballot")
    layout = declaration.layout("meeting", job.features)
    typed = f"{ret.meeting.present_official} người"
    return {}, {f"{layout.sheet.name}!{layout.ref('present_official')}": typed}
