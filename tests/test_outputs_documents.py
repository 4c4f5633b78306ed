"""Documents for signing (.docx): written by ``aggregate``, opened by LibreOffice, read back as
the text a person would read on the printed page."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import docx
import pytest
from builders import FORMULA_NAME, SCRIPT_NAME, lien_chieu, write_case
from libreoffice import convert
from test_outputs_summary import digest_of

from toolkit.outputs.cell_xlsx import CellPack, cell_packs
from toolkit.outputs.documents import (
    count_minutes,
    members_not_rated,
    members_proposed,
    minutes_path,
    organizations,
)
from toolkit.outputs.view import Digest
from toolkit.outputs.word import Column, Layout, template


@pytest.fixture(scope="module")
def digest() -> Digest:
    return digest_of(lien_chieu())


@pytest.fixture(scope="module")
def packs(digest: Digest) -> dict[str, CellPack]:
    return {p.cell.code: p for p in cell_packs(digest)}


@pytest.fixture(scope="module")
def printed(
    digest: Digest, packs: dict[str, CellPack], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """Every document as LibreOffice prints it (PDF), then as text, by a short name: the
    page's layout (a table row on one line) and, after "flow:", its reading order with white
    space folded (a name wrapped in its column is whole again)."""
    folder = tmp_path_factory.mktemp("van-ban")
    made = {
        "members": members_proposed(digest),
        "not-rated": members_not_rated(digest),
        "organizations": organizations(digest),
        **{f"minutes-{c}": count_minutes(p) for c, p in packs.items() if minutes_path(p)},
    }
    for name, data in made.items():
        (folder / f"{name}.docx").write_bytes(data)
    texts = {}
    for path, layout, flow in _as_printed(sorted(folder.glob("*.docx")), folder):
        texts[path.stem] = layout
        texts[f"flow:{path.stem}"] = " ".join(flow.split())
    return texts


def _as_printed(sources: list[Path], folder: Path) -> list[tuple[Path, str, str]]:
    """Each document's text as pdftotext reads LibreOffice's PDF: by layout, and in flow."""
    pdfs, _ = convert(sources, folder, "pdf")
    texts = []
    for source in sources:
        pdf = pdfs / f"{source.stem}.pdf"
        layout, flow = (
            subprocess.run(
                ["pdftotext", *mode, str(pdf), "-"], capture_output=True, check=True, text=True
            ).stdout
            for mode in (["-layout"], [])
        )
        texts.append((source, layout, flow))
    return texts


def _line_of(text: str, name: str) -> list[str]:
    """The words on the printed line that holds ``name`` (a table row)."""
    line = next(line for line in text.splitlines() if name in line)
    return line.replace(name, " ").split()


def test_minutes_of_a_cell_carry_its_meeting_and_every_vote(
    printed: dict[str, str], packs: dict[str, CellPack]
) -> None:
    text = printed["minutes-CB-HKB-01"]
    flow = printed["flow:minutes-CB-HKB-01"]
    assert "BIÊN BẢN KIỂM PHIẾU" in flow
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in flow
    assert "ngày 18/12/2023" in flow
    assert packs["CB-HKB-01"].cell.name.upper() in flow
    for member in packs["CB-HKB-01"].members:
        row = _line_of(text, member.full_name)
        if member.not_rated:
            assert "Không" in row
        else:
            assert member.votes is not None
            assert row[1:5] == [str(v) for v in member.votes]
            assert row[-1] == (member.carried or row[-1])
    assert "TRƯỞNG BAN KIỂM PHIẾU" in flow
    assert "(Ký, ghi rõ họ tên)" in flow


def test_a_tie_is_printed_as_a_tie_not_as_a_level(
    printed: dict[str, str], packs: dict[str, CellPack]
) -> None:
    tied = next(m for m in packs["CB-HKB-01"].members if m.outcome and not m.carried)
    row = _line_of(printed["minutes-CB-HKB-01"], tied.full_name)
    assert row[1:5] == [str(v) for v in tied.votes or ()]
    assert not {"HTXSNV", "HTTNV", "HTNV", "KHTNV"} & set(row[5:])
    assert "Số phiếu bằng nhau" in printed["flow:minutes-CB-HKB-01"]


def test_the_list_for_recognition_holds_every_member_with_a_level(
    printed: dict[str, str], digest: Digest
) -> None:
    text = printed["flow:members"]
    assert "đề nghị công nhận kết quả xếp loại chất lượng đảng viên năm 2023" in text
    proposed = [m for ms in digest.members.values() for m in ms if m.proposed]
    for member in proposed:
        if member.full_name not in (SCRIPT_NAME, FORMULA_NAME):
            assert member.full_name in text
    assert f"Tổng số: {len(proposed)} đồng chí" in text
    # nothing decided yet: every level says it is a proposal
    assert text.count("Đề xuất") >= len(proposed)
    assert "Chưa gồm đảng viên của 1 chi bộ chưa tổng hợp được" in text


def test_not_rated_and_undecided_members_are_listed_with_their_reason(
    printed: dict[str, str], digest: Digest
) -> None:
    text = printed["not-rated"]
    members = [m for ms in digest.members.values() for m in ms]
    for member in members:
        if member.not_rated:
            assert member.full_name in text
    tied = next(m for m in members if m.outcome and not m.proposed and not m.not_rated)
    assert "Chưa xác định mức" in " ".join(_line_of(text, tied.full_name))


def test_every_organization_is_listed_even_the_ones_without_results(
    printed: dict[str, str], digest: Digest
) -> None:
    text = printed["flow:organizations"]
    for cell in digest.cells:
        assert cell.name in text
    assert "Chưa có kết quả (chưa nộp)" in text
    assert f"Tổng số: {len(digest.cells)} tổ chức đảng" in text
    assert "T/M BAN THƯỜNG VỤ" in text


def test_names_from_inputs_are_text_never_markup(digest: Digest) -> None:
    document = docx.Document(io.BytesIO(members_proposed(digest)))
    cells = [c.text for row in document.tables[1].rows for c in row.cells]
    assert SCRIPT_NAME in cells
    assert FORMULA_NAME in cells


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Lê\x07Văn", "Lê\\x07Văn"),  # a control character XML cannot hold, made visible
        ("A & B <c>", "A & B <c>"),
        ("dòng một\ndòng hai", "dòng một dòng hai"),
    ],
)
def test_any_text_makes_a_valid_document(typed: str, shown: str) -> None:
    layout = Layout(
        issuer_above="",
        issuer="⟪who⟫",
        number="",
        place_date="⟪who⟫",
        title="T",
        subtitle="",
        body=("⟪who⟫",),
        columns=(Column("A", 8.0), Column("B", 8.0)),
        after=(),
        signatures=(),
    )
    data = template(layout).render({"who": typed}, [(typed, 1)])
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[-2].text == shown
    assert document.tables[1].rows[-1].cells[0].text == shown


def test_same_results_same_bytes(digest: Digest, packs: dict[str, CellPack]) -> None:
    assert members_proposed(digest) == members_proposed(digest)
    assert count_minutes(packs["CB-THPT"]) == count_minutes(packs["CB-THPT"])


def test_aggregate_writes_the_documents_and_lists_them_in_the_manifest(tmp_path: Path) -> None:
    written = write_case(lien_chieu(), tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    assert {
        "van-ban/danh-sach-de-nghi-cong-nhan-dang-vien.docx",
        "van-ban/danh-sach-dang-vien-chua-danh-gia-xep-loai.docx",
        "van-ban/danh-sach-xep-loai-to-chuc-dang.docx",
        "van-ban/bien-ban-kiem-phieu/CB-HKB-01.docx",
    } <= names
    assert "van-ban/bien-ban-kiem-phieu/CB-UBND.docx" not in names  # sent nothing usable
    manifest = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    assert "van-ban/bien-ban-kiem-phieu/CB-DM.docx" in manifest
    for name in names:
        assert (tmp_path / name).is_file()
