"""bao-cao.html rendered with the packaged templates, checked as text (the browser test renders it)."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import jinja2
import pytest
from builders import FORMULA_NAME, SCRIPT_NAME, lien_chieu, synthetic
from test_outputs_summary import digest_of

from toolkit.outputs.report_html import SPLIT_ABOVE_CELLS, make_environment, render_report
from toolkit.outputs.view import MemberLine


@pytest.fixture(scope="module")
def html() -> str:
    return render_report(digest_of(lien_chieu()))["bao-cao.html"]


def test_one_page_for_a_district(html: str) -> None:
    assert list(render_report(digest_of(lien_chieu()))) == ["bao-cao.html"]
    assert html.startswith("<!DOCTYPE html>") and '<html lang="vi">' in html


def test_names_from_inputs_are_escaped(html: str) -> None:
    assert "<script>alert" not in html
    assert "Nguyễn Thị &lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt; Hoa" in html
    assert SCRIPT_NAME not in html
    assert "=HYPERLINK(&#34;http://example.invalid/&#34;,&#34;Bấm vào đây&#34;)" in html
    assert FORMULA_NAME not in html
    assert html.count("<script>") == 1  # ours, the filter and sort script


def test_self_contained_nothing_to_fetch(html: str) -> None:
    # no src= at all, no external link, no url() in CSS, no @import
    assert not re.search(r"\ssrc\s*=", html)
    assert not re.search(r"url\(|@import", html)
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith("#") or h == "data:," for h in hrefs), hrefs
    assert "default-src 'none'" in html  # the browser itself refuses any fetch
    assert "<style>" in html and "@media print" in html and "width=device-width" in html


def test_leads_with_what_a_leader_wants_first(html: str) -> None:
    order = [
        html.index(f'<section id="{s}">')
        for s in (
            "tong-quan",
            "han-muc",
            "can-xu-ly",
            "chua-tong-hop",
            "chua-nop",
            "chi-bo",
            "dang-vien",
            "van-de",
        )
    ]
    assert order == sorted(order)


def test_totals_quota_problems_and_missing_cells(html: str) -> None:
    overview = html[html.index('id="tong-quan"') : html.index('id="han-muc"')]
    assert "<b>4/5</b>chi bộ đã tổng hợp" in overview
    assert "chưa tổng hợp</div>" not in overview  # no card for rejected cells when there are none
    assert "<b>41</b>đảng viên trong danh sách" in overview
    assert "<b>34</b>đảng viên được đánh giá, xếp loại" in overview
    assert "25 (73,5%)" in overview  # Vietnamese number formatting in the chart
    assert '<td class="n" data-v="0.735294">73,5%</td>' in overview
    quota = html[html.index('id="han-muc"') : html.index('id="can-xu-ly"')]
    assert "DB-HKB — Đảng bộ phường Hòa Khánh Bắc" in quota and "Vượt 2 (lỗi)" in quota
    assert (
        "CB-HKB-01 — Chi bộ Khu dân cư số 1: 3 HTXSNV / 6 HTTNV (50,0%; HTXSNV/(HTXSNV+HTTNV) "
        "33,3%), tối đa 1 (20% số HTTNV)."
    ) in quota
    assert "Tỷ lệ HTXSNV/HTTNV</th>" in quota and "Tỷ lệ HTXSNV/(HTXSNV+HTTNV)</th>" in quota
    footer = html[html.index('<footer class="page">') :]
    assert (
        "Cách hiểu theo địa phương: vote-majority.preset = derived (mặc định); "
        "quota.rounding = floor (mặc định)."
    ) in footer
    problems = html[html.index('id="can-xu-ly"') : html.index('id="chua-tong-hop"')]
    assert [c for c in ("CB-DM", "CB-HKB-01", "CB-HKB-02", "CB-THPT") if f"{c} —" in problems] == [
        "CB-DM",
        "CB-HKB-01",
        "CB-HKB-02",
    ]
    missing = html[html.index('id="chua-nop"') : html.index('id="chi-bo"')]
    assert "CB-UBND — Chi bộ Cơ quan Ủy ban nhân dân quận" in missing


def test_the_level_table_adds_up_and_says_who_is_left_out_of_it(html: str) -> None:
    """The 34 rated at a level are the table's base and total; the 2 whose vote tied or carried
    no level are named apart, never a row that would make the rows add to 36."""
    overview = html[html.index('id="tong-quan"') : html.index('id="han-muc"')]
    table = overview[overview.index("<caption>Tỷ lệ") : overview.index("</table>")]
    assert (
        "Tỷ lệ tính trên 34 đảng viên được xếp loại ở một mức; 2 đảng viên chưa xác định mức "
        "(báo cáo cấp trên) không tính vào tỷ lệ."
    ) in table
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    rows = [int(n) for n in re.findall(r'<td class="n" data-v="(\d+)">', body)]
    assert rows == [6, 25, 2, 1] and sum(rows) == 34
    assert '<tfoot><tr><th>Cộng</th><td class="n" data-v="34">34</td>' in table
    assert "<b>2</b>chưa xác định mức (báo cáo cấp trên)" in overview


def test_member_detail_is_collapsible_per_cell(html: str) -> None:
    detail = html[html.index('id="dang-vien"') : html.index('id="van-de"')]
    assert detail.count('<details class="cell"') == 4
    assert 'id="cb-CB-THPT"' in detail and 'href="#cb-CB-THPT"' in html


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Trần Văn Bình", "Chính thức · 2A"),  # a headmaster: leadership post
        ("Lê Thị Cúc", "Chính thức · 2B"),
    ],
)
def test_the_member_table_shows_each_subject_type(html: str, name: str, shown: str) -> None:
    detail = html[html.index('id="dang-vien"') : html.index('id="van-de"')]
    assert "<th>Chính thức/dự bị · đối tượng</th>" in detail
    row = detail[detail.index(name) :]
    row = row[: row.index("</tr>")]
    assert f"<td>{shown}</td>" in row


def test_user_templates_come_first(tmp_path: Path) -> None:
    (tmp_path / "bao-cao.html.j2").write_text(
        '{% extends "_layout.html.j2" %}{% block main %}<p>Mẫu riêng của {{ page.digest.parent_name }}</p>{% endblock %}',
        encoding="utf-8",
    )
    page = render_report(digest_of(lien_chieu()), templates=tmp_path)["bao-cao.html"]
    assert "<p>Mẫu riêng của Quận ủy Liên Chiểu</p>" in page
    assert "<style>" in page  # the packaged layout still serves the rest


def test_a_missing_field_is_an_error_not_an_empty_string(tmp_path: Path) -> None:
    (tmp_path / "bao-cao.html.j2").write_text("{{ page.no_such_field }}", encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError):
        render_report(digest_of(lien_chieu()), templates=tmp_path)


def test_environment_is_strict_and_escapes() -> None:
    env = make_environment()
    assert env.autoescape is True
    assert env.undefined is jinja2.StrictUndefined
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    assert env.from_string("{{ 1234567|so }} · {{ 0.125|pct }}").render() == "1.234.567 · 12,5%"


def test_only_integer_counts_are_written_without_autoescaping() -> None:
    """The member table's hot loop writes its counts unescaped (a third of a city's page
    time); any other value left unescaped would have to be added here, knowingly."""
    allowed = {"loop.index": int, "v": int, "m.denominator": int}
    templates = Path(__file__).resolve().parents[1] / "reports"
    seen = set()
    for template in templates.glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        for block in re.findall(r"{% autoescape false %}(.*?){% endautoescape %}", text, re.S):
            seen |= {e.strip() for e in re.findall(r"{{(.*?)}}", block)}
    assert seen == set(allowed)
    hints = typing.get_type_hints(MemberLine)
    assert hints["votes"] == tuple[int, ...] | None and hints["denominator"] == int | None


def test_rendering_twice_gives_the_same_text() -> None:
    assert render_report(digest_of(lien_chieu())) == render_report(digest_of(lien_chieu()))


def test_a_city_gets_one_detail_page_per_grassroots_organization() -> None:
    case = synthetic(SPLIT_ABOVE_CELLS + 10, members_per_cell=3)
    pages = render_report(digest_of(case))
    parts = [p for p in pages if p != "bao-cao.html"]
    assert len(parts) == 31 and all(re.fullmatch(r"bao-cao/DB\d{3}\.html", p) for p in parts)
    main = pages["bao-cao.html"]
    assert "<details" not in main  # no member detail on the main page
    for part in parts:
        assert f'href="{part}"' in main
    first = pages["bao-cao/DB000.html"]
    assert 'href="../bao-cao.html"' in first
    assert first.count('<details class="cell"') == 10
    assert 'id="cb-CB0000"' in first and 'href="bao-cao/DB000.html#cb-CB0000"' in main
    # the missing cells (one in 50) have no detail section anywhere
    assert "cb-CB0049" not in "".join(pages.values())


@pytest.mark.parametrize(
    ("message", "plain", "refs"),
    [
        ("Không có căn cứ.", "Không có căn cứ.", ""),
        (
            "Hòa phiếu: chi bộ biểu quyết lại (quy tắc vote-majority, Thực tiễn địa phương "
            "(chưa có văn bản quy định)).",
            "Hòa phiếu: chi bộ biểu quyết lại.",
            "quy tắc vote-majority, Thực tiễn địa phương (chưa có văn bản quy định)",
        ),
        (
            "Cần ít nhất 80% (quy tắc cell-htxsnv-conditions, HD 21-HD/BTCTW (2019), cấu hình "
            "được). Vượt trần (quy tắc quota, QĐ 366-QĐ/TW Điều 11 khoản 1).",
            "Cần ít nhất 80%. Vượt trần.",
            "quy tắc cell-htxsnv-conditions, HD 21-HD/BTCTW (2019), cấu hình được; "
            "quy tắc quota, QĐ 366-QĐ/TW Điều 11 khoản 1",
        ),
    ],
)
def test_leaders_read_messages_without_rule_codes(message: str, plain: str, refs: str) -> None:
    env = make_environment()
    assert env.from_string("{{ m|loi }}").render(m=message) == plain
    assert env.from_string("{{ m|can_cu }}").render(m=message) == refs


def test_the_summary_variant_has_no_member_detail_and_no_dead_link() -> None:
    pages = render_report(digest_of(lien_chieu()), summary=True)
    assert list(pages) == ["bao-cao-tom-tat.html", "bao-cao.html"]
    summary = pages["bao-cao-tom-tat.html"]
    assert (
        '<details class="cell"' not in summary and '<table class="sortable members">' not in summary
    )
    assert "xem báo cáo đầy đủ (tệp bao-cao.html" in summary
    assert 'class="print-choice' not in summary
    anchors = set(re.findall(r'id="([^"]+)"', summary))
    assert {h[1:] for h in re.findall(r'href="(#[^"]+)"', summary)} <= anchors
    assert len(summary) < len(pages["bao-cao.html"]) / 2
