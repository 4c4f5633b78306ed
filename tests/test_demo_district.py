"""The demo district reads like a real one: a ward's Đảng ủy from 2025 (no Quận ủy, no ward
under another ward), «Loại hình» in Vietnamese words, no two cells of the same name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from toolkit.demo.build import build_demo
from toolkit.demo.district import make_district
from toolkit.mail.config import load_config
from toolkit.model import OrgKind


@pytest.mark.parametrize("cells", [30, 120, 300])
def test_no_two_cells_share_a_name(cells: int) -> None:
    district = make_district(2026, cells=cells)
    names = [u.name for u in district.roster.tree.cells()]
    assert len(names) == cells and len(set(names)) == cells


@pytest.mark.parametrize("year", [2025, 2026])
def test_from_2025_a_ward_committee_with_its_own_grassroots_committees(year: int) -> None:
    district = make_district(year, cells=60)
    units = district.roster.tree.units.values()
    assert district.parent.name == "Đảng ủy phường Hòa Khánh"
    names = [u.name for u in units]
    assert not [n for n in names if "Quận" in n or "quận" in n]
    committees = [u.name for u in units if u.kind is OrgKind.GRASSROOTS_COMMITTEE]
    assert committees[:2] == [
        "Đảng bộ Ủy ban nhân dân phường Hòa Khánh",
        "Đảng bộ các cơ quan Đảng phường Hòa Khánh",
    ]
    # a ward is not under another ward, nor a district's department under a ward
    assert not [n for n in committees if n.startswith("Đảng bộ phường")]
    assert not [n for n in names if "Phòng Tư pháp" in n or "Phòng Tài chính" in n]


def test_up_to_2024_the_district_committee_and_its_wards() -> None:
    district = make_district(2023, cells=30)
    units = district.roster.tree.units.values()
    assert district.parent.name == "Quận ủy Liên Chiểu"
    committees = [u.name for u in units if u.kind is OrgKind.GRASSROOTS_COMMITTEE]
    assert committees == ["Đảng bộ phường Liên Chiểu", "Đảng bộ phường Hòa Khánh"]


def test_org_types_are_words_people_read() -> None:
    district = make_district(2026, cells=30)
    types = {u.org_type for u in district.roster.tree.units.values() if u.org_type}
    assert types == {
        "Trường học",
        "Khu dân cư",
        "Cơ quan hành chính",
        "Doanh nghiệp",
        "Đảng bộ cơ sở",
    }
    assert not [t for t in types if re.fullmatch(r"[a-z-]+", t)]


def test_the_sample_mail_config_names_the_ward_leaders(tmp_path: Path) -> None:
    layout = build_demo(tmp_path / "demo", year=2026, cells=4, seed=1)
    config = load_config(layout.mail_config)
    assert [r.name for r in config.leaders] == [
        "Bí thư Đảng ủy phường Hòa Khánh",
        "Trưởng Ban Xây dựng Đảng Đảng ủy phường Hòa Khánh",
    ]
    assert config.sender.name == "Ban Xây dựng Đảng Đảng ủy phường Hòa Khánh"


def test_the_demo_says_the_mail_step_once_with_its_own_config(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from toolkit.cli import main

    result = CliRunner().invoke(main, ["demo", str(tmp_path / "demo"), "--cells", "2"])
    assert result.exit_code == 0, result.output
    mail = [line for line in result.output.splitlines() if "xeploai mail " in line]
    assert len(mail) == 1
    assert f"--config {tmp_path / 'demo' / 'mail.toml'}" in mail[0]
