"""`xeploai rollup` on real packages written by `aggregate` for two small wards: verified
before use, refused whole when anything does not match, combined upward across two levels."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import signal
import stat
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import broken_on_purpose
from faults import run_cli

from toolkit.aggregate import aggregate
from toolkit.cli import main
from toolkit.demo.build import build_demo
from toolkit.model import OrgKind, OrgTree, OrgUnit, Roster
from toolkit.outputs.lock import OutputLock
from toolkit.outputs.paths import aside_dir
from toolkit.rollup import source
from toolkit.rollup.run import rollup
from toolkit.workbooks.generate import write_roster
from toolkit.workbooks.read import read_roster_file

YEAR = 2025
WARDS = {"DU-HK": "Đảng ủy phường Hòa Khánh", "DU-HM": "Đảng ủy phường Hòa Minh"}


def run(*args: str | Path | int) -> tuple[int, str, str]:
    """``xeploai rollup ARGS``: exit code, stdout, stderr."""
    result = CliRunner().invoke(main, ["rollup", *(str(a) for a in args)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def level_roster(path: Path, top: tuple[str, str], below: dict[str, str]) -> Path:
    """A higher committee's roster of organizations only (no member at all)."""
    units = {top[0]: OrgUnit(top[0], top[1], OrgKind.PARENT)}
    for code, name in below.items():
        units[code] = OrgUnit(code, name, OrgKind.PARENT, top[0], "phuong")
    write_roster(Roster(OrgTree(units), ()), path)
    return path


@pytest.fixture(scope="module")
def wards(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two wards' `aggregate` outputs (8 cells each, one cell silent in each)."""
    root = tmp_path_factory.mktemp("wards")
    out = {}
    for seed, (code, name) in enumerate(WARDS.items()):
        parent = OrgUnit(code, name, OrgKind.PARENT)
        layout = build_demo(root / code, year=YEAR, cells=8, seed=seed, parent=parent)
        aggregate(layout.inbox, layout.roster, layout.out_dir, year=YEAR)
        out[code] = layout.out_dir
    return out


@pytest.fixture(scope="module")
def city_roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("city") / "thanh-pho.xlsx"
    return level_roster(path, ("TU-DN", "Thành ủy Đà Nẵng"), WARDS)


@pytest.fixture
def packages(wards: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    """Fresh copies of the wards' packages, free to tamper with."""
    return {code: Path(shutil.copytree(p, tmp_path / "in" / code)) for code, p in wards.items()}


def load(folder: Path, name: str = "ket-qua.json") -> Any:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def rewrite(
    package: Path,
    edit: Callable[[dict[str, Any], dict[str, Any]], None],
    *,
    broken: bool = False,
) -> None:
    """Change ket-qua.json and the manifest consistently (hashes recomputed): a package that
    is intact but says something else (another year, another committee...). ``broken``: the
    change breaks the JSON Schema on purpose (the session's schema check is told so)."""
    if broken:
        broken_on_purpose(package / "ket-qua.json")
    results, manifest = load(package), load(package, "manifest.json")
    edit(results, manifest)
    data = json.dumps(results, ensure_ascii=False).encode()
    (package / "ket-qua.json").write_bytes(data)
    for entry in manifest["outputs"]:
        if entry["path"] == "ket-qua.json":
            entry["sha256"], entry["bytes"] = hashlib.sha256(data).hexdigest(), len(data)
    (package / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False))


def codes(out: Path) -> list[tuple[str, str]]:
    return [(i["code"], i["file"]) for i in load(out)["issues"]]


def city_and_centre(wards: dict[str, Path], city_roster: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The wards rolled up into a city (a package to tamper with), and the centre's roster."""
    city = tmp_path / "thanh-pho"
    assert run(*wards.values(), "--roster", city_roster, "-o", city, "-q")[0] == 0
    centre_roster = level_roster(tmp_path / "tw.xlsx", ("TW", "Trung ương"), {"TU-DN": "Đà Nẵng"})
    return city, centre_roster


def assert_refused(city: Path, centre_roster: Path, out: Path) -> None:
    """The centre's roll-up of ``city`` refuses the package as invalid, and uses none of it."""
    code, _, stderr = run(city, "--roster", centre_roster, "-o", out, "--year", YEAR)
    assert code == 1, stderr
    assert ("rollup-results-invalid", str(city)) in codes(out)
    assert load(out)["organizations"] == []


def digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
        for p in sorted(folder.iterdir())
    }


# --- a level combines what its committees sent --------------------------------------------


def test_rollup_adds_up_the_wards(
    wards: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    out = tmp_path / "thanh-pho"
    code, stdout, stderr = run(*wards.values(), "--roster", city_roster, "-o", out)
    assert (code, stderr) == (0, ""), stdout
    doc = load(out)
    assert doc["kind"] == "rollup" and doc["parent"]["code"] == "TU-DN"
    below = [load(p) for p in wards.values()]
    for key in ("roster", "rated", "undecided", "levels", "not_rated"):
        if isinstance(below[0]["totals"][key], dict):
            expected: Any = {
                k: sum(b["totals"][key][k] for b in below) for k in below[0]["totals"][key]
            }
        else:
            expected = sum(b["totals"][key] for b in below)
        assert doc["totals"][key] == expected, key
    assert doc["completeness"] == {
        "committees": 2, "reported": 2, "decided": 0, "proposed": 2, "missing": 0,
        "refused": 0, "all_decided": False,
    }  # fmt: skip
    # every cell of both wards travels up as an organization, with its own counts only
    assert len(doc["organizations"]) == sum(len(b["cells"]) for b in below) == 16
    assert not any("members" in o for o in doc["organizations"])
    silent = [o for o in doc["organizations"] if o["status"] == "missing"]
    assert len(silent) == 2 and all(o["counts"] is None and o["level"] is None for o in silent)
    # the upward summary: its "Tổng cộng" is the level's totals, both ratios given
    members, orgs, by_subject = doc["summary"]
    t = doc["totals"]
    assert members["total"]["total"] == t["roster"]
    assert members["total"]["levels"] == t["levels"]
    assert members["total"]["unrated"] == t["roster"] - sum(t["levels"].values())
    xs, good = t["levels"]["HTXSNV"], t["levels"]["HTTNV"]
    assert members["total"]["htxsnv_over_httnv_exact"] is not None
    assert members["total"]["htxsnv_over_httnv"] == round(xs / good, 6)
    assert members["total"]["htxsnv_over_htxsnv_httnv"] == round(xs / (xs + good), 6)
    assert orgs["total"]["total"] == 16 and orgs["total"]["unrated"] >= 2
    # the members by subject type (Mẫu 2A/2B/2C): each member once, as the wards' lists say
    assert [r["subject"][-8:] for r in by_subject["rows"]] == ["(Mẫu 2A)", "(Mẫu 2B)", "(Mẫu 2C)"]
    for row, subject in zip(by_subject["rows"], ("2A", "2B", "2C"), strict=True):
        listed = [m for b in below for c in b["cells"] for m in c["members"]]
        assert row["total"] == sum(1 for m in listed if m["subject_type"] == subject)
    assert by_subject["total"]["levels"] == t["levels"]
    assert by_subject["total"]["total"] == t["roster"]
    for o in doc["organizations"]:
        if o["counts"]:
            c, subjects = o["counts"], o["counts"]["subjects"]
            assert [sum(col) for col in zip(*subjects, strict=True)] == [
                *c["levels"],
                c["roster"] - sum(c["levels"]),
            ]
    # the proposed figures are labelled as such
    assert {i["code"] for i in doc["issues"]} >= {"rollup-proposed-only"}
    assert "theo đề xuất" in members["total"]["note"]
    # a tie or no level carried below is a case that travels up
    cases = {(c["case"], c["path"][0]) for c in doc["cases"]}
    assert any(kind in ("tie", "no_decision") for kind, _ in cases)
    # the report says such a member's level is not settled, not that there is none
    page = (out / "bao-cao.html").read_text(encoding="utf-8")
    open_cases = [c for c in doc["cases"] if c["proposed_level"] is None]
    assert open_cases and page.count("<td>chưa xác định</td>") == len(open_cases)
    assert "<td>không có</td>" not in page


def test_rerun_is_byte_identical(wards: dict[str, Path], city_roster: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = (*wards.values(), "--roster", city_roster, "-o", out, "-q")
    assert run(*args)[0] == 0
    first, first_documents = digests(out), digests(out / "van-ban")
    assert run(*args)[0] == 0
    assert digests(out) == first
    assert digests(out / "van-ban") == first_documents
    assert sorted(first) == [
        "bao-cao.html",
        "ket-qua.json",
        "manifest.json",
        "tong-hop.xlsx",
        "van-ban",
    ]
    manifest = load(out, "manifest.json")
    assert {e["path"] for e in manifest["outputs"]} == {
        "bao-cao.html",
        "ket-qua.json",
        "tong-hop.xlsx",
        "van-ban/bao-cao-tong-hop.docx",
    }


def test_a_committee_that_did_not_report_is_named(wards: dict[str, Path], tmp_path: Path) -> None:
    roster = level_roster(
        tmp_path / "r.xlsx", ("TU-DN", "Thành ủy"), {**WARDS, "DU-HV": "Đảng ủy xã Hòa Vang"}
    )
    out = tmp_path / "out"
    code, stdout, _ = run(*wards.values(), "--roster", roster, "-o", out)
    assert code == 1
    assert "1 chưa gửi" in stdout
    lines = {c["code"]: c["status"] for c in load(out)["committees"]}
    assert lines == {"DU-HK": "proposed", "DU-HM": "proposed", "DU-HV": "missing"}


# --- verified, never trusted ----------------------------------------------------------------


def test_a_changed_byte_refuses_the_package_and_names_the_file(
    packages: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    book = packages["DU-HM"] / "tong-hop.xlsx"
    data = bytearray(book.read_bytes())
    data[len(data) // 2] ^= 0x01
    book.write_bytes(bytes(data))
    out = tmp_path / "out"
    code, stdout, _ = run(*packages.values(), "--roster", city_roster, "-o", out)
    assert code == 1
    assert "tong-hop.xlsx" in stdout and "rollup-file-mismatch" in stdout
    doc = load(out)
    assert ("rollup-file-mismatch", str(packages["DU-HM"])) in codes(out)
    # left out whole: nothing of DU-HM is counted
    assert {o["path"][0] for o in doc["organizations"]} == {"DU-HK"}
    assert doc["totals"]["roster"] == load(packages["DU-HK"])["totals"]["roster"]


@pytest.mark.parametrize("victim", ["bao-cao.html", "ket-qua.json", "chi-bo"])
def test_a_missing_file_refuses_the_package(
    victim: str, packages: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    target = packages["DU-HK"] / victim
    if target.is_dir():
        target = sorted(target.iterdir())[0]
    target.unlink()
    out = tmp_path / "out"
    code, _, _ = run(*packages.values(), "--roster", city_roster, "-o", out)
    assert code == 1
    issues = [i for i in load(out)["issues"] if i["code"] == "rollup-file-missing"]
    assert [i["value"] for i in issues] == [target.relative_to(packages["DU-HK"]).as_posix()]


def test_a_missing_or_broken_manifest_refuses_the_package(
    packages: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    (packages["DU-HK"] / "manifest.json").unlink()
    (packages["DU-HM"] / "manifest.json").write_text(
        '{"schema": "xeploai/manifest/1", "outputs": [{"path": "../../etc/passwd", "sha256": "00", "bytes": 1}]}'
    )
    with pytest.raises(Exception) as caught:
        rollup(list(packages.values()), city_roster, tmp_path / "out")
    assert "Không có gói kết quả nào dùng được" in str(caught.value)
    code, _, stderr = run(*packages.values(), "--roster", city_roster, "-o", tmp_path / "o")
    assert code == 2 and "manifest.json" in stderr


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda r, m: (r.update(year=2024), m.update(year=2024)), "rollup-year-mixed"),
        (
            lambda r, m: (r["ruleset"].update(code="QD124"), m["ruleset"].update(code="QD124")),
            "rollup-ruleset-mixed",
        ),
        (lambda r, m: r["parent"].update(code="DU-XX"), "rollup-committee-unknown"),
        (
            lambda r, m: r.update(toolkit_version="9.0.0") or m.update(toolkit_version="9.0.0"),
            "rollup-version-unsupported",
        ),
        (
            lambda r, m: r["cells"][0]["counts"]["levels"].update(HTXSNV=999),
            "rollup-results-invalid",
        ),
        (lambda r, m: r.update(year=2024), "rollup-results-invalid"),
        (lambda r, m: r["ruleset"].update(overrides=["quota.ratio"]), "rollup-results-invalid"),
    ],
    ids=["year", "ruleset", "unknown", "version", "counts", "year-disagrees", "overrides-disagree"],
)
def test_a_package_that_does_not_fit_is_left_out(
    edit: Callable[[dict[str, Any], dict[str, Any]], None],
    expected: str,
    packages: dict[str, Path],
    city_roster: Path,
    tmp_path: Path,
) -> None:
    rewrite(packages["DU-HM"], edit)
    out = tmp_path / "out"
    code, _, _ = run(*packages.values(), "--roster", city_roster, "-o", out, "--year", YEAR)
    assert code == 1
    assert (expected, str(packages["DU-HM"])) in codes(out)
    doc = load(out)
    assert {o["path"][0] for o in doc["organizations"]} == {"DU-HK"}
    assert {i["path"] for i in doc["inputs"] if i["status"] == "rejected"} == {
        str(packages["DU-HM"])
    }


def test_other_local_parameters_are_a_warning(
    packages: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    def edit(r: dict[str, Any], m: dict[str, Any]) -> None:
        r["ruleset"]["overrides"] = m["ruleset"]["overrides"] = ["quota.ratio = 1/4"]

    rewrite(packages["DU-HM"], edit)
    out = tmp_path / "out"
    assert run(*packages.values(), "--roster", city_roster, "-o", out)[0] == 0
    assert ("rollup-overrides-differ", str(packages["DU-HM"])) in codes(out)
    assert len(load(out)["organizations"]) == 16


def test_one_organization_in_two_packages_refuses_both(
    packages: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    again = Path(shutil.copytree(packages["DU-HK"], tmp_path / "again"))
    out = tmp_path / "out"
    code, _, _ = run(*packages.values(), again, "--roster", city_roster, "-o", out)
    assert code == 1
    found = [(c, f) for c, f in codes(out) if c == "rollup-committee-duplicated"]
    assert sorted(f for _, f in found) == sorted([str(packages["DU-HK"]), str(again)])
    lines = {c["code"]: c for c in load(out)["committees"]}
    assert lines["DU-HK"]["status"] == "refused"
    assert sorted(lines["DU-HK"]["refused_packages"]) == sorted(f for _, f in found)


def test_a_decided_package_is_labelled_decided(
    packages: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    decisions = {"path": "quyet-dinh.xlsx", "sha256": "ab" * 32, "kind": "decisions",
                 "template_version": "1", "cell_code": "", "year": YEAR, "status": "used"}  # fmt: skip

    def edit(r: dict[str, Any], m: dict[str, Any]) -> None:
        r["inputs"].append(decisions)
        m["inputs"].append(decisions)

    rewrite(packages["DU-HK"], edit)
    out = tmp_path / "out"
    run(*packages.values(), "--roster", city_roster, "-o", out)
    doc = load(out)
    assert {c["code"]: c["status"] for c in doc["committees"]} == {
        "DU-HK": "decided",
        "DU-HM": "proposed",
    }
    rated = [o for o in doc["organizations"] if o["status"] == "rated"]
    assert {o["path"][0] for o in rated if o["members_decided"]} == {"DU-HK"}
    # a decisions file named in the manifest only: the two disagree
    rewrite(packages["DU-HM"], lambda r, m: m["inputs"].append(decisions))
    run(*packages.values(), "--roster", city_roster, "-o", out)
    assert ("rollup-results-invalid", str(packages["DU-HM"])) in codes(out)


# --- .zip packages: what arrives by e-mail ----------------------------------------------------


def zip_folder(folder: Path, target: Path, *, top: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, top + path.relative_to(folder).as_posix())
    return target


@pytest.mark.parametrize("top", ["", "ket-qua/"])
def test_a_zip_of_a_package_is_the_package(
    top: str, wards: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    zipped = [zip_folder(p, tmp_path / f"{code}.zip", top=top) for code, p in wards.items()]
    out = tmp_path / "out"
    assert run(*zipped, "--roster", city_roster, "-o", out)[0] == 0
    folders = tmp_path / "f"
    assert run(*wards.values(), "--roster", city_roster, "-o", folders)[0] == 0
    assert load(out)["totals"] == load(folders)["totals"]
    sha = {i["path"]: i["sha256"] for i in load(out)["inputs"]}
    assert sha[str(zipped[0])] == hashlib.sha256(zipped[0].read_bytes()).hexdigest()


def hostile(kind: str, package: Path, target: Path) -> Path:
    """A .zip of the package with one hostile twist."""
    zip_folder(package, target)
    if kind == "traversal":
        with zipfile.ZipFile(target, "a") as archive:
            archive.writestr("../../escape.txt", b"x")
    elif kind == "link":
        with zipfile.ZipFile(target, "a") as archive:
            info = zipfile.ZipInfo("ket-qua-link.json")
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, b"/etc/passwd")
    elif kind == "bomb":
        with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("zeros.bin", b"\0" * (8 << 20))
    elif kind == "absolute":
        with zipfile.ZipFile(target, "a") as archive:
            archive.writestr("/etc/cron.d/x", b"x")
    elif kind == "lying-size":
        # a member that inflates to more than its header declares
        data = bytearray(target.read_bytes())
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
            info = archive.getinfo("ket-qua.json")
        _patch_size(data, info, info.file_size // 2)
        target.write_bytes(bytes(data))
    elif kind == "truncated":
        target.write_bytes(target.read_bytes()[:-200])
    elif kind == "not-a-zip":
        target.write_text("đây không phải tệp nén")
    return target


def _patch_size(data: bytearray, info: zipfile.ZipInfo, size: int) -> None:
    """Write a smaller uncompressed size into the local header and the central directory."""
    local = info.header_offset
    data[local + 22 : local + 26] = size.to_bytes(4, "little")
    central = data.rfind(b"PK\x01\x02" + data[local + 4 : local + 6])
    start = 0
    while (central := data.find(b"PK\x01\x02", start)) >= 0:
        name_len = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + name_len] == info.filename.encode():
            data[central + 24 : central + 28] = size.to_bytes(4, "little")
        start = central + 4


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("traversal", "rollup-package-unsafe"),
        ("link", "rollup-package-unsafe"),
        ("bomb", "rollup-package-unsafe"),
        ("absolute", "rollup-package-unsafe"),
        ("lying-size", "rollup-package-unsafe"),
        ("truncated", "rollup-package-unreadable"),
        ("not-a-zip", "rollup-package-unreadable"),
    ],
)
def test_a_hostile_zip_is_refused(
    kind: str, code: str, wards: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    bad = hostile(kind, wards["DU-HM"], tmp_path / "DU-HM.zip")
    out = tmp_path / "out"
    status, stdout, _ = run(wards["DU-HK"], bad, "--roster", city_roster, "-o", out)
    assert status == 1
    assert (code, str(bad)) in codes(out), stdout
    assert not (tmp_path.parent / "escape.txt").exists()


def test_too_many_entries_are_refused_before_any_is_read(
    wards: dict[str, Path], city_roster: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = zip_folder(wards["DU-HM"], tmp_path / "many.zip")
    monkeypatch.setattr(source, "MAX_ENTRIES", 5)
    run_ = rollup([wards["DU-HK"], bad], city_roster, tmp_path / "out")
    assert [i.code for i in run_.result.issues if i.location.file == str(bad)] == [
        "rollup-package-unsafe"
    ]


# --- two levels, and the command line ------------------------------------------------------


def test_a_rollup_is_itself_a_package(
    wards: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    city = tmp_path / "thanh-pho"
    assert run(*wards.values(), "--roster", city_roster, "-o", city)[0] == 0
    centre_roster = level_roster(
        tmp_path / "tw.xlsx", ("TW", "Ban Chấp hành Trung ương"), {"TU-DN": "Thành ủy Đà Nẵng"}
    )
    zipped = zip_folder(city, tmp_path / "thanh-pho.zip", top="thanh-pho/")
    centre = tmp_path / "trung-uong"
    code, stdout, _ = run(zipped, "--roster", centre_roster, "-o", centre)
    assert code == 0, stdout
    top, mid = load(centre), load(city)
    assert top["totals"] == {**mid["totals"], "warnings": top["totals"]["warnings"]}
    assert [o["path"] for o in top["organizations"]] == [
        ["TU-DN", *o["path"]] for o in mid["organizations"]
    ]
    assert len(top["cases"]) == len(mid["cases"])
    assert top["committees"][0]["below"] == {"committees": 2, "reported": 2, "decided": 0}
    assert "rollup-below-incomplete" not in {i["code"] for i in top["issues"]}
    # a rolled-up package is verified like any other
    (city / "bao-cao.html").write_text("sửa tay", encoding="utf-8")
    code, stdout, _ = run(city, "--roster", centre_roster, "-o", tmp_path / "x", "--year", YEAR)
    assert code == 1 and "rollup-file-mismatch" in stdout


def test_a_folder_of_packages(wards: dict[str, Path], city_roster: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "hop-thu"
    inbox.mkdir()
    for code, p in wards.items():
        zip_folder(p, inbox / f"{code}.zip")
    assert run(inbox, "--roster", city_roster, "-o", tmp_path / "out")[0] == 0
    # an output folder inside the inbox would be read back as a package next time: refused
    code, _, stderr = run(inbox, "--roster", city_roster, "-o", inbox / "tong-hop")
    assert code == 2 and f"nằm trong gói kết quả «{inbox}»" in stderr
    assert sorted(p.name for p in inbox.iterdir()) == ["DU-HK.zip", "DU-HM.zip"]


@pytest.mark.parametrize("case", ["out-inside-input", "no-top", "not-ours"])
def test_usage_problems_exit_2(
    case: str, wards: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    roster, out = city_roster, tmp_path / "out"
    if case == "out-inside-input":
        out = wards["DU-HK"] / "tong-hop-tinh"
    elif case == "no-top":
        roster = tmp_path / "r.xlsx"
        units = {c: OrgUnit(c, n, OrgKind.PARENT) for c, n in WARDS.items()}
        write_roster(Roster(OrgTree(units), ()), roster)
    else:
        out.mkdir()
        (out / "ghi-chu.txt").write_text("của người dùng")
    code, stdout, stderr = run(*wards.values(), "--roster", roster, "-o", out)
    assert code == 2 and stdout == ""
    assert stderr.startswith("Lỗi: ")
    assert not (wards["DU-HK"] / "tong-hop-tinh").exists()


def test_a_roster_of_organizations_only(city_roster: Path) -> None:
    reading = read_roster_file(city_roster, organizations_only=True)
    assert set(reading.roster.tree.units) == {"TU-DN", *WARDS}
    assert not reading.issues


def test_cells_without_members_are_fine_only_at_a_higher_level(tmp_path: Path) -> None:
    units = {
        "P": OrgUnit("P", "Phường", OrgKind.PARENT),
        "C1": OrgUnit("C1", "Chi bộ 1", OrgKind.GRASSROOTS_CELL, "P"),
    }
    path = tmp_path / "r.xlsx"
    write_roster(Roster(OrgTree(units), ()), path)
    assert [i.code for i in read_roster_file(path).issues] == ["cell-without-members"]
    assert read_roster_file(path, organizations_only=True).issues == ()


@pytest.mark.parametrize(
    "edit",
    [
        lambda r: r["cases"][0].pop("member_id"),
        lambda r: r["cases"][0].update(decided="yes"),
        lambda r: r["cases"][0].update(decided_level="Tốt"),
        lambda r: r["cases"][0].update(path=[1]),
        lambda r: r["organizations"][0].update(path="DU-HK"),
        lambda r: r["organizations"][0].update(level="XUAT SAC"),
        lambda r: r["organizations"][0].update(status="ok"),
        lambda r: r.pop("completeness"),
    ],
    ids=[
        "case-id",
        "case-decided",
        "case-level",
        "case-path",
        "org-path",
        "org-level",
        "org-status",
        "completeness",
    ],
)
def test_a_rolled_up_package_that_breaks_its_schema_is_refused(
    edit: Callable[[dict[str, Any]], None],
    wards: dict[str, Path],
    city_roster: Path,
    tmp_path: Path,
) -> None:
    city = tmp_path / "thanh-pho"
    assert run(*wards.values(), "--roster", city_roster, "-o", city, "-q")[0] == 0
    assert load(city)["cases"], "the wards have a tie or a level not carried"
    centre_roster = level_roster(tmp_path / "tw.xlsx", ("TW", "Trung ương"), {"TU-DN": "Đà Nẵng"})
    rewrite(city, lambda r, m: edit(r), broken=True)
    out = tmp_path / "tw"
    code, _, stderr = run(city, "--roster", centre_roster, "-o", out, "--year", YEAR)
    assert code == 1, stderr
    assert ("rollup-results-invalid", str(city)) in codes(out)


@pytest.mark.parametrize(
    "bad",
    ["5", 1.5, -1, None, [1, 2]],
    ids=["text", "float", "negative", "null", "list"],
)
def test_a_rolled_up_organization_with_a_bad_count_refuses_the_package(
    bad: object, wards: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    city, centre_roster = city_and_centre(wards, city_roster, tmp_path)

    def edit(r: dict[str, Any], m: dict[str, Any]) -> None:
        rated = next(o for o in r["organizations"] if o["counts"])
        rated["counts"]["levels"][1] = bad

    rewrite(city, edit, broken=True)
    assert_refused(city, centre_roster, tmp_path / "tw")


@pytest.mark.parametrize(
    "bad",
    [
        lambda s: s[0].__setitem__(1, s[0][1] + 1),  # one more HTTNV among the leaders
        lambda s: (s[0].__setitem__(1, s[0][1] + 1), s[1].__setitem__(4, s[1][4] - 1)),
        lambda s: s[0].__setitem__(0, -1),
        lambda s: s.pop(),
        lambda s: s[2].append(0),
        lambda s: s[0].__setitem__(0, 0.5),
        lambda s: s[0].__setitem__(0, "1"),
        lambda s: s.__setitem__(0, None),
    ],
    ids=[
        "more",
        "moved-column",
        "negative",
        "two-rows",
        "six-columns",
        "float",
        "text",
        "null-row",
    ],
)
def test_counts_by_subject_that_do_not_add_up_refuse_the_package(
    bad: Callable[[list[list[Any]]], object],
    wards: dict[str, Path],
    city_roster: Path,
    tmp_path: Path,
) -> None:
    city, centre_roster = city_and_centre(wards, city_roster, tmp_path)

    def edit(r: dict[str, Any], m: dict[str, Any]) -> None:
        rated = next(o for o in r["organizations"] if o["counts"] and o["counts"]["levels"][1])
        bad(rated["counts"]["subjects"])

    rewrite(city, edit, broken=True)
    assert_refused(city, centre_roster, tmp_path / "tw")


def test_the_message_names_the_organization_whose_subjects_do_not_add_up(
    wards: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    city, centre_roster = city_and_centre(wards, city_roster, tmp_path)

    def edit(r: dict[str, Any], m: dict[str, Any]) -> None:
        r["organizations"][0]["counts"]["subjects"][2][4] += 1

    rewrite(city, edit)
    out = tmp_path / "tw"
    run(city, "--roster", centre_roster, "-o", out, "--year", YEAR)
    (issue,) = [i for i in load(out)["issues"] if i["code"] == "rollup-results-invalid"]
    code = load(city)["organizations"][0]["code"]
    assert f"số liệu theo đối tượng (Mẫu 2A/2B/2C) của tổ chức {code!r}" in issue["message"]


def test_a_roll_up_made_before_the_subject_counts_is_accepted_and_nothing_is_invented(
    wards: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    city, centre_roster = city_and_centre(wards, city_roster, tmp_path)

    def edit(r: dict[str, Any], m: dict[str, Any]) -> None:
        del r["schema_version"]  # the previous version wrote none
        for o in r["organizations"]:
            if o["counts"]:
                del o["counts"]["subjects"]  # nor subject counts

    rewrite(city, edit)
    out = tmp_path / "tw"
    code, stdout, _ = run(city, "--roster", centre_roster, "-o", out, "--year", YEAR)
    assert code == 0, stdout
    doc = load(out)
    assert doc["totals"]["roster"] == load(city)["totals"]["roster"]
    assert [t["form"] for t in doc["summary"]] == ["15A", "15B"]
    assert "không có số liệu theo đối tượng" in doc["summary"][0]["total"]["note"]
    assert not any("subjects" in o["counts"] for o in doc["organizations"] if o["counts"])


def test_members_of_a_package_without_subject_types_are_a_row_of_their_own(
    packages: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    def edit(r: dict[str, Any], m: dict[str, Any]) -> None:
        for cell in r["cells"]:
            for member in cell["members"]:
                del member["subject_type"]  # an aggregate package older than the field

    rewrite(packages["DU-HM"], edit)
    out = tmp_path / "out"
    code, stdout, _ = run(*packages.values(), "--roster", city_roster, "-o", out)
    assert code == 0, stdout
    doc = load(out)
    by_subject = doc["summary"][2]
    unknown = by_subject["rows"][-1]
    assert unknown["subject"] == "Chưa ghi đối tượng"
    assert unknown["note"].startswith("gói không ghi đối tượng")
    assert unknown["total"] == load(packages["DU-HM"])["totals"]["roster"]
    assert (
        sum(r["total"] for r in by_subject["rows"][:3])
        == load(packages["DU-HK"])["totals"]["roster"]
    )
    assert by_subject["total"]["total"] == doc["totals"]["roster"]


def test_under_qd124_no_subject_type_travels(wards: dict[str, Path]) -> None:
    from toolkit.rollup.extract import content_of

    document = load(wards["DU-HK"])
    document["ruleset"]["code"] = "QD124"  # the roster's default type is nobody's choice
    content = content_of(document, kind="aggregate", decided=False, committee="DU-HK")
    assert not content.subjects.recorded
    assert content.subjects.unknown.total == content.counts.roster
    assert all(
        o["counts"]["subjects"] is None for o in json.loads(content.organizations) if o["counts"]
    )


def test_the_demo_rolls_two_committees_up(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", str(target), "--cells", "4", "-q"])
    assert result.exit_code == 0, result.output
    assert str(target / "cap-tren" / "bao-cao.html") in result.stdout
    doc = load(target / "cap-tren")
    assert doc["parent"]["code"] == "TU-DN"
    assert [(c["code"], c["status"]) for c in doc["committees"]] == [
        ("DU-HK", "decided"),  # the demo's committee decides, then aggregates again
        ("DU-HM", "proposed"),
    ]
    assert doc["totals"]["roster"] == sum(
        load(folder)["totals"]["roster"]
        for folder in (target / "ket-qua", target / "cap-duoi-2" / "ket-qua")
    )


def test_a_run_that_fails_half_way_leaves_the_previous_outputs(
    wards: dict[str, Path], city_roster: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.rollup import write

    out = tmp_path / "out"
    assert run(*wards.values(), "--roster", city_roster, "-o", out, "-q")[0] == 0
    before = digests(out)

    def broken(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write, "write_rollup_report", broken)
    code, _, stderr = run(wards["DU-HK"], "--roster", city_roster, "-o", out)
    assert code == 2 and "hết chỗ trống trên đĩa" in stderr
    assert digests(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left


@pytest.mark.parametrize(
    ("moment", "exchange"),
    [("staging-written", True), ("moved-aside", False), ("swapped", True)],
)
def test_a_kill_while_writing_leaves_one_whole_set_and_the_rerun_takes_over(
    wards: dict[str, Path], city_roster: Path, tmp_path: Path, moment: str, exchange: bool
) -> None:
    """rollup writes through aggregate's staging folder and lock: killed (SIGKILL, a real
    process) at a moment of the swap, it leaves the previous set or the new one, and the next
    run clears what it left, says so, and writes what a clean run writes."""
    out = tmp_path / "out"
    assert run(wards["DU-HK"], "--roster", city_roster, "-o", out, "-q")[0] == 1  # DU-HM missing
    before = digests(out)
    args: tuple[str | Path, ...] = (*wards.values(), "--roster", city_roster, "-o", out, "-q")
    no_exchange = {} if exchange else {"NO_EXCHANGE": "1"}
    killed = run_cli("rollup", *args, KILL_AT=moment, **no_exchange)
    assert killed.returncode == -signal.SIGKILL
    if moment == "moved-aside":  # between the two renames: the next run puts it back first
        assert not out.exists() and digests(aside_dir(out)) == before
    elif moment == "swapped":
        assert digests(out) != before
    else:
        assert digests(out) == before
    rerun = run_cli("rollup", *args)
    assert rerun.returncode == 0, rerun.stderr
    assert f"Lưu ý: Lần chạy trước vào {out} (tiến trình " in rerun.stderr
    clean = tmp_path / "clean"
    assert run(*wards.values(), "--roster", city_roster, "-o", clean, "-q")[0] == 0
    assert digests(out) == digests(clean)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean", "out"]  # nothing left beside


def test_a_second_run_into_the_same_folder_is_refused_naming_the_first(
    wards: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with OutputLock(out):
        code, stdout, stderr = run(*wards.values(), "--roster", city_roster, "-o", out)
    assert code == 2 and stdout == ""
    assert stderr.startswith(f"Lỗi: Thư mục kết quả «{out}» đang được dùng bởi tiến trình ")
    assert not out.exists()


def test_a_committee_whose_own_roll_up_is_incomplete_is_told(
    wards: dict[str, Path], tmp_path: Path
) -> None:
    roster = level_roster(
        tmp_path / "r.xlsx", ("TU-DN", "Thành ủy"), {**WARDS, "DU-HV": "Đảng ủy xã Hòa Vang"}
    )
    city = tmp_path / "thanh-pho"
    assert run(*wards.values(), "--roster", roster, "-o", city, "-q")[0] == 1
    centre_roster = level_roster(tmp_path / "tw.xlsx", ("TW", "Trung ương"), {"TU-DN": "Đà Nẵng"})
    out = tmp_path / "tw"
    code, stdout, _ = run(city, "--roster", centre_roster, "-o", out)
    assert code == 0  # every committee of this level reported; the warning tells the rest
    issue = next(i for i in load(out)["issues"] if i["code"] == "rollup-below-incomplete")
    assert "2/3" in issue["message"] and issue["file"] == str(city)
    assert "rollup-below-incomplete" in stdout


@pytest.mark.parametrize(
    "edit",
    [
        lambda m: m["outputs"].append({"path": "../../etc/passwd", "sha256": "0" * 64, "bytes": 1}),
        lambda m: m["outputs"].append({"path": "/etc/passwd", "sha256": "0" * 64, "bytes": 1}),
        lambda m: m["outputs"].append({"path": "a\\..\\b", "sha256": "0" * 64, "bytes": 1}),
        lambda m: m["outputs"][0].update(sha256="not-a-hash"),
        lambda m: m["outputs"][0].update(bytes="12"),
        lambda m: m.update(outputs=[e for e in m["outputs"] if e["path"] != "ket-qua.json"]),
        lambda m: m.update(outputs={}),
        lambda m: m.update(schema="other/1"),
    ],
    ids=["traversal", "absolute", "backslash", "hash", "size", "no-results", "outputs", "schema"],
)
def test_a_manifest_that_cannot_be_trusted_refuses_the_package(
    edit: Callable[[dict[str, Any]], None],
    packages: dict[str, Path],
    city_roster: Path,
    tmp_path: Path,
) -> None:
    path = packages["DU-HM"] / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    edit(manifest)
    path.write_text(json.dumps(manifest), encoding="utf-8")
    out = tmp_path / "out"
    assert run(*packages.values(), "--roster", city_roster, "-o", out)[0] == 1
    assert ("rollup-manifest-invalid", str(packages["DU-HM"])) in codes(out)


def test_a_linked_file_in_a_folder_package_is_refused(
    packages: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    report = packages["DU-HM"] / "bao-cao.html"
    copy = tmp_path / "elsewhere.html"
    shutil.copy(report, copy)
    report.unlink()
    report.symlink_to(copy)  # the same bytes, but behind a link
    out = tmp_path / "out"
    assert run(*packages.values(), "--roster", city_roster, "-o", out)[0] == 1
    assert ("rollup-package-unsafe", str(packages["DU-HM"])) in codes(out)


def _flag_encrypted(target: Path, member: str) -> None:
    data = bytearray(target.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(member)
    data[info.header_offset + 6] |= 0x01
    start = 0
    while (central := data.find(b"PK\x01\x02", start)) >= 0:
        name_len = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + name_len] == member.encode():
            data[central + 8] |= 0x01
        start = central + 4
    target.write_bytes(bytes(data))


@pytest.mark.parametrize("kind", ["encrypted", "duplicate"])
def test_an_encrypted_or_doubled_member_refuses_the_zip(
    kind: str, wards: dict[str, Path], city_roster: Path, tmp_path: Path
) -> None:
    bad = zip_folder(wards["DU-HM"], tmp_path / "DU-HM.zip")
    if kind == "encrypted":
        _flag_encrypted(bad, "ket-qua.json")
    else:
        with warnings.catch_warnings(), zipfile.ZipFile(bad, "a") as archive:
            warnings.simplefilter("ignore")  # zipfile warns of the duplicate it writes
            archive.writestr("ket-qua.json", b"{}")
    out = tmp_path / "out"
    assert run(wards["DU-HK"], bad, "--roster", city_roster, "-o", out)[0] == 1
    assert ("rollup-package-unsafe", str(bad)) in codes(out)
