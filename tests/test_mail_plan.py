"""Who gets what: the leaders get the summary and the report; each secretary gets only their
own cell's workbook; every cell that gets nothing says why."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from test_mail_support import CellSpec, build_out, write_manifest

from toolkit.errors import InputError
from toolkit.mail.addresses import Recipient
from toolkit.mail.folder import read_results
from toolkit.mail.plan import MailPlan, MessageKind, plan_messages
from toolkit.model import Severity

LEADERS = (
    Recipient("Bí thư Quận ủy", "bithu@quanuy.example"),
    Recipient("Trưởng Ban Tổ chức", "truongban@quanuy.example"),
)


def plan(out: Path, only: str | None = None) -> MailPlan:
    return plan_messages(read_results(out), LEADERS, only=only)


def flatten(result: MailPlan) -> list[tuple[str, str]]:
    """(code, cell) of every issue: compact to assert on."""
    return [(i.code, i.unit_code) for i in result.issues]


def test_leaders_get_the_summary_and_the_report_in_one_message(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    leaders = plan(out).messages[0]
    assert leaders.kind is MessageKind.LEADERS and leaders.cell is None
    assert leaders.recipients == LEADERS
    assert [(a.source, a.filename) for a in leaders.attachments] == [
        ("tong-hop.xlsx", "Tổng hợp xếp loại năm 2023.xlsx"),
        ("bao-cao.html", "Báo cáo xếp loại năm 2023.html"),
    ]
    summary = leaders.attachments[0]
    assert summary.sha256 == hashlib.sha256((out / "tong-hop.xlsx").read_bytes()).hexdigest()


def test_each_secretary_gets_exactly_their_own_cell_file(tmp_path: Path) -> None:
    cells = [CellSpec(f"CB{n:02d}", f"Chi bộ số {n}", f"Bí thư {n}") for n in range(1, 31)]
    out = build_out(tmp_path / "out", cells)
    result = plan(out)
    secretaries = [m for m in result.messages if m.kind is MessageKind.SECRETARY]
    assert len(secretaries) == 30 and result.issues == ()
    for message in secretaries:
        assert message.cell is not None
        (recipient,) = message.recipients
        assert recipient.email == f"bithu.{message.cell.code.lower()}@chibo.example"
        (attachment,) = message.attachments
        assert attachment.path == (out / "chi-bo" / f"{message.cell.code}.xlsx").resolve()
        assert attachment.filename == (
            f"Kết quả xếp loại năm 2023 - {message.cell.code} - {message.cell.name}.xlsx"
        )


def test_a_cell_without_an_address_is_reported_not_skipped(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out", [CellSpec("CB01", "Chi bộ A", secretary_email="")])
    result = plan(out)
    assert [m.kind for m in result.messages] == [MessageKind.LEADERS]
    assert flatten(result) == [("mail-no-address", "CB01")]
    assert result.issues[0].severity is Severity.ERROR
    assert "CB01 — Chi bộ A" in result.issues[0].message


def test_a_cell_that_sent_nothing_gets_no_message_and_a_warning(tmp_path: Path) -> None:
    out = build_out(
        tmp_path / "out",
        [CellSpec("CB01", "Chi bộ A"), CellSpec("CB07", "Chi bộ B", result_file=False)],
    )
    result = plan(out)
    assert flatten(result) == [("mail-no-result-file", "CB07")]
    assert result.issues[0].severity is Severity.WARNING


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        (
            CellSpec("CB01", "Chi bộ A", secretary_email="a@x.vn\r\nBcc: b@evil.example"),
            "mail-header-injection",
        ),
        (
            CellSpec("CB01", "Chi bộ A", secretary_name="A\nBcc: b@evil.example"),
            "mail-header-injection",
        ),
        (CellSpec("CB01", "Chi bộ A\r\nSubject: giả mạo"), "mail-header-injection"),
        (CellSpec("CB01", "Chi bộ A", secretary_email="khong-phai-dia-chi"), "mail-bad-address"),
        (
            CellSpec("CB01", "Chi bộ A", result_file="chi-bo/khong-co.xlsx"),
            "mail-attachment-missing",
        ),
        (CellSpec("CB01", "Chi bộ A", result_file="../../etc/passwd"), "mail-attachment-unsafe"),
        (CellSpec("CB01", "Chi bộ A", result_file="/etc/passwd"), "mail-attachment-unsafe"),
        (CellSpec("CB01", "Chi bộ A", result_file="tong-hop.xlsx"), "mail-attachment-unsafe"),
        (CellSpec("CB01", "Chi bộ A", result_file="."), "mail-attachment-unsafe"),
    ],
)
def test_cells_that_cannot_be_sent_to_safely(tmp_path: Path, spec: CellSpec, code: str) -> None:
    out = build_out(tmp_path / "out", [spec])
    result = plan(out)
    assert flatten(result) == [(code, "CB01")]
    assert all(m.kind is MessageKind.LEADERS for m in result.messages)


def test_a_file_claimed_by_two_cells_goes_to_neither(tmp_path: Path) -> None:
    cells = [
        CellSpec("CB01", "Chi bộ A"),
        CellSpec("CB02", "Chi bộ B", result_file="chi-bo/CB01.xlsx"),
        CellSpec("CB03", "Chi bộ C"),
    ]
    result = plan(build_out(tmp_path / "out", cells))
    assert flatten(result) == [
        ("mail-attachment-unsafe", "CB01"),
        ("mail-attachment-unsafe", "CB02"),
    ]
    assert [m.cell_code for m in result.messages] == [None, "CB03"]


def test_a_symbolic_link_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xlsx"
    secret.write_bytes(b"not for anyone")
    out = build_out(
        tmp_path / "out", [CellSpec("CB01", "Chi bộ A", result_file="chi-bo/link.xlsx")]
    )
    (out / "chi-bo").mkdir(exist_ok=True)
    (out / "chi-bo" / "link.xlsx").symlink_to(secret)
    assert flatten(plan(out)) == [("mail-attachment-unsafe", "CB01")]


def test_a_missing_summary_stops_only_the_leaders_message(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    (out / "bao-cao.html").unlink()
    result = plan(out)
    assert [i.code for i in result.issues] == ["mail-attachment-missing"]
    assert "bithu@quanuy.example" in result.issues[0].message
    assert [m.kind for m in result.messages] == [MessageKind.SECRETARY] * 3


def test_only_keeps_one_cell_and_no_leaders_message(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    result = plan(out, only="CB02")
    assert [(m.kind, m.cell_code) for m in result.messages] == [(MessageKind.SECRETARY, "CB02")]


def test_only_an_unknown_cell_is_an_input_error(tmp_path: Path) -> None:
    out = build_out(tmp_path / "out")
    with pytest.raises(InputError, match="Không có chi bộ mã «CB99»"):
        plan(out, only="CB99")


def test_only_still_reports_that_cell_problem(tmp_path: Path) -> None:
    out = build_out(
        tmp_path / "out", [CellSpec("CB01", "A"), CellSpec("CB02", "B", secretary_email="")]
    )
    assert flatten(plan(out, only="CB02")) == [("mail-no-address", "CB02")]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "không phải kết quả của «xeploai aggregate»"),
        ("{not json", "Không đọc được"),
        ('{"schema": "other/1"}', "cần schema xeploai/ket-qua/1"),
        ('{"schema": "xeploai/ket-qua/1", "year": 2023}', "thiếu hoặc sai khóa"),
    ],
)
def test_a_folder_that_is_not_aggregate_output(
    tmp_path: Path, content: str | None, expected: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    if content is not None:
        (out / "ket-qua.json").write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=expected):
        read_results(out)


def test_keys_beyond_the_contract_are_ignored_and_issue_counts_read(tmp_path: Path) -> None:
    cells = [
        CellSpec(
            "CB01",
            "A",
            status="errors",
            issues=[{"severity": "error"}, {"severity": "warning"}, {"severity": "error"}],
        )
    ]
    out = build_out(tmp_path / "out", cells)
    data = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    data["cells"][0]["something_new"] = {"x": 1}
    (out / "ket-qua.json").write_text(json.dumps(data), encoding="utf-8")
    write_manifest(out)
    (cell,) = read_results(out).cells
    assert (cell.error_count, cell.warning_count) == (2, 1)


def _rewrite_results(out: Path, change: dict[str, object]) -> None:
    data = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    for cell in data["cells"]:
        cell.update(change)
    (out / "ket-qua.json").write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (
            lambda out: (out / "chi-bo" / "CB02.xlsx").write_bytes(b"PK changed after the run"),
            "Tệp «chi-bo/CB02.xlsx» trong {out} không khớp manifest.json",
        ),
        (
            lambda out: (out / "tong-hop.xlsx").write_bytes(b"PK half-writ"),
            "Tệp «tong-hop.xlsx» trong {out} không khớp manifest.json",
        ),
        (
            lambda out: (out / "manifest.json").unlink(),
            "«xeploai aggregate» chưa ghi xong thư mục kết quả này",
        ),
        (
            lambda out: (out / "manifest.json").write_text('{"outputs": []}', encoding="utf-8"),
            "không phải manifest của «xeploai aggregate»",
        ),
        (
            lambda out: _rewrite_results(out, {"secretary_email": "ke-gian@evil.example"}),
            "{out}/ket-qua.json không khớp {out}/manifest.json",
        ),
        (
            lambda out: (_rewrite_results(out, {"aggregated": False}), write_manifest(out)),
            "không tổng hợp được chi bộ nào",
        ),
    ],
    ids=[
        "cell-file-changed",
        "summary-half-written",
        "no-manifest",
        "not-a-manifest",
        "results-edited",
        "no-cell-aggregated",
    ],
)
def test_mail_sends_only_from_a_complete_verified_folder(
    tmp_path: Path, damage: object, expected: str
) -> None:
    out = build_out(tmp_path / "out")
    damage(out)  # type: ignore[operator]
    with pytest.raises(InputError) as caught:
        plan(out)
    assert expected.format(out=out) in str(caught.value)
    assert caught.value.exit_code == 2


def test_an_old_results_file_without_the_aggregated_key_counts_cells_that_sent(
    tmp_path: Path,
) -> None:
    cells = [CellSpec("CB01", "A", result_file=False), CellSpec("CB02", "B", status="errors")]
    out = build_out(tmp_path / "out", cells)
    assert [c.aggregated for c in read_results(out).cells] == [False, True]
    missing = build_out(tmp_path / "none", [CellSpec("CB01", "A", result_file=False)])
    with pytest.raises(InputError, match="không tổng hợp được chi bộ nào"):
        read_results(missing)


#: every way to break a header line, and the invisible characters that disguise one
LINE_BREAKS = {
    "CR": "\r",
    "LF": "\n",
    "VT": "\x0b",
    "FF": "\x0c",
    "FS": "\x1c",
    "NEL": "\x85",
    "LINE SEPARATOR": "\u2028",
    "PARAGRAPH SEPARATOR": "\u2029",
    "ESC": "\x1b",
    "RLO": "\u202e",
}


@pytest.mark.parametrize("where", ["secretary_name", "secretary_email", "name"])
@pytest.mark.parametrize("breaks", list(LINE_BREAKS.values()), ids=list(LINE_BREAKS))
def test_any_line_break_in_a_name_or_address_is_header_injection(
    tmp_path: Path, where: str, breaks: str
) -> None:
    cell = CellSpec("CB02", "Chi bộ B", secretary_email="bithu@chibo.example")
    setattr(cell, where, getattr(cell, where) + breaks + "Bcc: all@evil.example")
    out = build_out(tmp_path / "out", [CellSpec("CB01", "Chi bộ A"), cell])
    assert flatten(plan(out)) == [("mail-header-injection", "CB02")]
