"""bao-cao.html in a real browser: Debian's Chromium driven by Playwright (never downloaded).

Every request the page makes is recorded: the only one allowed is the page itself. Console
errors, page errors and dialogs (an ``alert`` from a name that slipped through unescaped)
fail the test. The filter and sort script is exercised; without JavaScript the tables are
complete; on a phone nothing overflows the screen; the print stylesheet hides the controls.

What a person sees is measured on the 30-cell demo as a leader opens it: at 390 px and
1280 px nothing makes the page scroll sideways and every issue's message is on screen; at
1280 px no member table is cut; the default print (to PDF) is a handful of pages.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from builders import SCRIPT_NAME, Case, lien_chieu, synthetic, write_case
from playwright.sync_api import Browser, Page, sync_playwright

from toolkit.demo.run import run_demo

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Visit:
    """A page and everything it did."""

    page: Page
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), (
        "Chromium is needed: run `make sysdeps`"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def write(case: Case, folder: Path) -> Path:
    write_case(case, folder)
    return folder


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(lien_chieu(), tmp_path_factory.mktemp("district")) / "bao-cao.html"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(synthetic(310, members_per_cell=3), tmp_path_factory.mktemp("city"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 30-cell demo of a ward committee (2026): 24 cells counted, 5 rejected, 1 missing."""
    root = tmp_path_factory.mktemp("demo")
    run_demo(root, year=2026, cells=30, seed=2023, workers=1)
    return root / "ket-qua"


@contextlib.contextmanager
def visit(browser: Browser, path: Path, **context: Any) -> Iterator[Visit]:
    """Open ``path`` in a fresh context, recording requests and problems; closed on exit."""
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    seen = Visit(page)
    page.on("request", lambda r: seen.requests.append(r.url))
    page.on(
        "console",
        lambda m: (
            seen.problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda e: seen.problems.append(f"pageerror: {e}"))
    page.on("dialog", lambda d: (seen.problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    yield seen
    ctx.close()


@pytest.fixture
def report(browser: Browser, district: Path) -> Iterator[Visit]:
    with visit(browser, district) as seen:
        yield seen


def visible_rows(page: Page, table: str) -> list[str]:
    return page.locator(f"#{table} tbody tr:visible td:first-child").all_inner_texts()


def test_renders_with_no_console_error_and_no_request_but_itself(
    report: Visit, district: Path
) -> None:
    page = report.page
    assert page.title() == "Báo cáo kết quả đánh giá, xếp loại chất lượng đảng viên năm 2023"
    assert page.locator("h2").first.inner_text() == "Tổng quan"
    assert page.locator("svg.chart rect").count() == 4
    assert report.requests == [district.as_uri()]
    assert report.problems == []


def test_a_script_in_a_name_is_shown_as_text_never_run(report: Visit) -> None:
    page = report.page
    page.locator("#cb-CB-THPT > summary").click()
    cell = page.locator("#cb-CB-THPT td", has_text="alert(")
    assert cell.first.inner_text() == SCRIPT_NAME
    assert page.evaluate("document.scripts.length") == 1
    assert report.problems == []  # no alert dialog, no error


def test_filtering_hides_the_rows_that_do_not_match(report: Visit) -> None:
    page = report.page
    assert len(visible_rows(page, "bang-chi-bo")) == 5
    box = page.locator('[data-filter="bang-chi-bo"] input')
    box.fill("lien chieu")  # typed without diacritics, still finds Liên Chiểu
    assert visible_rows(page, "bang-chi-bo") == ["CB-THPT"]
    box.fill("chưa nộp")
    assert visible_rows(page, "bang-chi-bo") == ["CB-UBND"]
    box.fill("")
    assert len(visible_rows(page, "bang-chi-bo")) == 5
    assert report.problems == []


def test_the_member_search_opens_the_cells_that_match(report: Visit) -> None:
    page = report.page
    assert page.locator("#chi-tiet details[open]").count() == 0
    page.locator('[data-filter="chi-tiet"] input').fill("vo thi en")
    shown = page.locator("#chi-tiet details:visible")
    assert shown.count() == 1 and shown.get_attribute("id") == "cb-CB-DM"
    assert page.locator("#cb-CB-DM[open]").count() == 1
    assert (
        page.locator("#cb-CB-DM tbody tr:visible").all_inner_texts()[0].startswith("1\tVõ Thị Én")
    )
    assert report.problems == []


def test_sorting_by_a_column(report: Visit) -> None:
    page = report.page
    header = page.locator("#bang-chi-bo th", has_text="Đảng viên")
    header.click()
    assert visible_rows(page, "bang-chi-bo") == [
        "CB-UBND",
        "CB-DM",
        "CB-HKB-02",
        "CB-HKB-01",
        "CB-THPT",
    ]
    header.click()
    assert visible_rows(page, "bang-chi-bo") == [
        "CB-THPT",
        "CB-HKB-01",
        "CB-HKB-02",
        "CB-DM",
        "CB-UBND",
    ]
    assert header.get_attribute("aria-sort") == "descending"


def test_without_javascript_every_table_is_complete(browser: Browser, district: Path) -> None:
    with visit(browser, district, java_script_enabled=False) as seen:
        page = seen.page
        assert not page.locator('[data-filter="bang-chi-bo"]').is_visible()
        assert len(visible_rows(page, "bang-chi-bo")) == 5
        assert page.locator("#chi-tiet details").count() == 4
        assert seen.requests == [district.as_uri()] and seen.problems == []


def test_readable_on_a_phone(browser: Browser, district: Path) -> None:
    with visit(browser, district, viewport={"width": 375, "height": 740}, is_mobile=True) as seen:
        page = seen.page
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, "wide tables scroll inside their box, the page does not"
        assert (
            page.evaluate("getComputedStyle(document.querySelector('#bang-chi-bo')).overflowX")
            == "auto"
        )
        assert seen.problems == []


def test_printing_hides_the_controls_and_makes_a_pdf(report: Visit) -> None:
    page = report.page
    page.emulate_media(media="print")
    assert not page.locator("nav.toc").is_visible()
    assert not page.locator('[data-filter="bang-chi-bo"]').is_visible()
    assert page.pdf(format="A4", landscape=True).startswith(b"%PDF")
    assert report.problems == []


def test_a_city_report_links_to_one_page_per_grassroots_organization(
    browser: Browser, city: Path
) -> None:
    main = city / "bao-cao.html"
    with visit(browser, main) as seen:
        page = seen.page
        links = page.locator('#dang-vien a[href^="bao-cao/"]')
        assert links.count() == 31
        page.locator("#bang-chi-bo a", has_text="CB0012").click()
        page.wait_for_load_state("load")
        part = city / "bao-cao" / "DB001.html"
        assert page.url == part.as_uri() + "#cb-CB0012"
        assert page.locator("details.cell").count() == 10
        assert page.locator('a[href="../bao-cao.html"]').count() == 1
        assert seen.requests == [
            main.as_uri(),
            part.as_uri(),
        ]
        assert seen.problems == []


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
#: what no leader should read: rule codes, configuration words, doubled brackets, code-style
#: ruleset names, a space before the percent sign
DEVELOPER_WORDS = re.compile(r"quy tắc [a-z]+-|cấu hình được|\)\)|QD\d|QĐ\d|\d %")


def page_overflow(page: Page) -> int:
    """How far the page scrolls sideways (0: not at all)."""
    return int(page.evaluate("document.documentElement.scrollWidth - innerWidth"))


def offscreen_messages(page: Page) -> list[str]:
    """The issue messages not wholly within the screen's width."""
    return list(
        page.evaluate(
            """() => Array.from(document.querySelectorAll('#bang-van-de td.lead'))
              .filter(td => { const r = td.getBoundingClientRect();
                              return r.width === 0 || r.left < 0 || r.right > innerWidth; })
              .map(td => td.textContent)"""
        )
    )


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_no_sideways_scroll_and_every_issue_message_on_screen(
    browser: Browser, demo: Path, device: dict[str, Any]
) -> None:
    with visit(browser, demo / "bao-cao.html", **device) as seen:
        page = seen.page
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page_overflow(page) == 0
        issues = json.loads((demo / "ket-qua.json").read_text(encoding="utf-8"))["issues"]
        assert page.locator("#bang-van-de td.lead").count() == len(issues) == 14
        assert offscreen_messages(page) == []
        assert seen.problems == []


def test_on_a_phone_lists_are_cards_with_the_message_first(browser: Browser, demo: Path) -> None:
    with visit(browser, demo / "bao-cao.html", **PHONE) as seen:
        page = seen.page
        assert not page.locator("#bang-van-de thead").is_visible()
        card = page.locator("#bang-van-de tbody tr").first
        assert card.evaluate("tr => getComputedStyle(tr).display") == "flex"
        # read top to bottom as drawn (the message is moved first by CSS, not in the markup)
        lines = card.evaluate(
            """tr => Array.from(tr.cells).filter(td => td.offsetHeight)
              .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
              .map(td => td.innerText.trim())"""
        )
        assert lines[0].startswith("Chi bộ Khu dân cư số 2 (CB002): 4 HTXSNV trên 17 HTTNV")
        assert lines[1:] == ["Cảnh báo", "CB002 — Chi bộ Khu dân cư số 2", "4"]
        labels = card.evaluate(
            """tr => Array.from(tr.cells).filter(td => td.offsetHeight)
              .map(td => getComputedStyle(td, '::before').content)"""
        )
        assert labels == ["none", "none", '"Chi bộ: "', '"Giá trị: "']  # says what each line is
        # the filter hides cards as it hides rows
        page.locator('[data-filter="bang-van-de"] input').fill("hoa phieu")
        assert page.locator("#bang-van-de tbody tr:visible").count() == 2
        # a cell's name is never squeezed to a word a line: its cell is wider than its words
        name = page.locator("#bang-chi-bo td.name").first
        assert name.evaluate("td => td.getBoundingClientRect().width") >= 120


def test_on_a_phone_a_wide_table_keeps_its_first_column_in_view(
    browser: Browser, demo: Path
) -> None:
    with visit(browser, demo / "bao-cao.html", **PHONE) as seen:
        page = seen.page
        box = page.locator("#bang-chi-bo")
        assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # it does scroll, inside
        before = box.locator("td.code").first.bounding_box()
        box.evaluate("b => { b.scrollLeft = 400; }")
        after = box.locator("td.code").first.bounding_box()
        assert before and after and abs(after["x"] - before["x"]) <= 1  # the table's border
        page.locator("#cb-CB001 > summary").click()
        table = page.locator("#cb-CB001 .scroll")
        name = table.locator("td.name").first
        x = name.bounding_box()
        table.evaluate("b => { b.scrollLeft = 600; }")
        assert x and name.bounding_box() and name.bounding_box()["x"] <= x["x"]  # type: ignore[index]
        assert name.evaluate("td => getComputedStyle(td).position") == "sticky"


def test_on_a_desktop_no_member_table_is_cut(browser: Browser, demo: Path) -> None:
    with visit(browser, demo / "bao-cao.html", **DESKTOP) as seen:
        page = seen.page
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        cut = page.evaluate(
            """() => Array.from(document.querySelectorAll('.scroll'))
              .filter(b => b.scrollWidth > b.clientWidth).map(b => b.parentElement.id)"""
        )
        assert cut == []
        # a level code is never clipped inside its cell («HTXSN»)
        clipped = page.evaluate(
            """() => Array.from(document.querySelectorAll('td.lv'))
              .filter(td => td.scrollWidth > td.clientWidth).length"""
        )
        assert clipped == 0


def test_the_decided_levels_stand_beside_the_proposals(browser: Browser, demo: Path) -> None:
    """The demo's committee applied its decision: CB021 proposed HTXSNV and was decided HTTNV."""
    with visit(browser, demo / "bao-cao.html", **DESKTOP) as seen:
        page = seen.page
        heads = page.locator("#bang-chi-bo thead th").all_inner_texts()
        assert heads[-2:] == ["Chi bộ đề xuất", "Quyết định"]
        row = page.locator("#bang-chi-bo tbody tr", has_text="CB021")
        proposed, decided = row.locator("td").all_inner_texts()[-2:]
        assert (proposed, decided) == ("HTXSNV", "HTTNV")
        changed = row.locator("td").last.locator("span")
        assert changed.get_attribute("title") == "Khác mức chi bộ đề xuất (HTXSNV)"
        assert "Quyết định số 26-QĐ/ĐU ngày 28/12/2026" in page.locator("#chi-bo").inner_text()
        # each member: the proposal, then the competent level's decision (its number on hover)
        member_heads = page.locator("#cb-CB001 thead tr").last.locator("th")
        assert "Quyết định" in member_heads.all_text_contents()
        assert "Sau xét hạn mức" not in member_heads.all_text_contents()
        title = member_heads.filter(has_text="Quyết định").get_attribute("title")
        assert title == "Mức cấp có thẩm quyền quyết định: Quyết định số 26-QĐ/ĐU ngày 28/12/2026"


def test_a_detail_link_opens_the_block_it_points_to(browser: Browser, demo: Path) -> None:
    with visit(browser, demo / "bao-cao.html", **DESKTOP) as seen:
        page = seen.page
        assert page.locator("#cb-CB002[open]").count() == 0
        page.locator("#can-xu-ly a", has_text="chi tiết").first.click()
        assert page.url.endswith("#cb-CB002")
        assert page.locator("#cb-CB002[open]").count() == 1
        assert page.locator("#cb-CB002 tbody tr").first.is_visible()
    with visit(browser, demo / "bao-cao.html", **DESKTOP) as seen:  # opened from outside
        seen.page.goto((demo / "bao-cao.html").as_uri() + "#cb-CB003")
        assert seen.page.locator("#cb-CB003[open]").count() == 1


def test_what_a_leader_reads_has_no_developer_words(browser: Browser, demo: Path) -> None:
    with visit(browser, demo / "bao-cao.html", **DESKTOP) as seen:
        page = seen.page
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        text = page.locator("body").inner_text()
        assert DEVELOPER_WORDS.findall(text) == []
        assert "13,0%" in text
        # the codes stay for staff, in a tooltip
        title = page.locator("#bang-van-de td.lead").first.get_attribute("title")
        assert title and title.startswith("Mã vấn đề: quota-exceeded-advisory; quy tắc quota")


def test_numbers_a_leader_can_trust(browser: Browser, demo: Path) -> None:
    with visit(browser, demo / "bao-cao.html", **DESKTOP) as seen:
        page = seen.page
        roster = page.locator(".card", has_text="đảng viên trong danh sách").inner_text()
        assert roster.split("\n") == [
            "985",
            "đảng viên trong danh sách",
            "797 ở chi bộ đã tổng hợp · 188 ở chi bộ chưa tổng hợp",
        ]
        table = page.locator("#tong-quan table").first
        counts = [int(n) for n in table.locator("tbody td.n:nth-child(2)").all_inner_texts()]
        total = int(table.locator("tfoot td.n").first.inner_text())
        assert sum(counts) == total == 728
        # the committee decided the 3 ties and no-level cases: nothing is left undecided
        assert table.locator("caption").inner_text() == (
            "Tỷ lệ tính trên 728 đảng viên được xếp loại ở một mức."
        )
        assert (
            "ngày họp chi bộ muộn nhất: 16/12/2026"
            in page.locator("header .meta").first.inner_text()
        )


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def test_printing_gives_the_summary_by_default_and_everything_on_request(
    browser: Browser, demo: Path
) -> None:
    with visit(browser, demo / "bao-cao.html") as seen:
        page = seen.page
        assert page.locator(".print-choice").is_visible()
        page.emulate_media(media="print")
        assert not page.locator("#dang-vien").is_visible()
        assert not page.locator("#can-xu-ly th", has_text="Xem").is_visible()
        assert page.locator(".print-note").is_visible()
        summary = pdf_pages(page.pdf(format="A4", landscape=True))
        assert 3 <= summary <= 8, summary  # 82 pages when every member block printed
        # no page holds only the footer: without it, as many pages
        page.add_style_tag(content="footer.page { display: none !important; }")
        assert pdf_pages(page.pdf(format="A4", landscape=True)) == summary
        page.evaluate("document.querySelector('style:last-of-type').remove()")
        # every table fits the page: Chromium would otherwise shrink the whole print
        assert page_overflow(page) <= 0
        page.emulate_media(media="screen")
        page.locator("#in-toan-bo").check()
        page.emulate_media(media="print")
        page.evaluate("dispatchEvent(new Event('beforeprint'))")
        assert page.locator("#cb-CB001[open]").count() == 1
        assert page.locator("#dang-vien").is_visible()
        # the cell's name heads each of its pages (a repeated table header)
        assert page.locator("#cb-CB001 thead tr.print-only").inner_text() == (
            "CB001 — Chi bộ Trường THPT Kim Liên"
        )
        whole = pdf_pages(page.pdf(format="A4", landscape=True))
        assert whole > 10 * summary
        assert seen.problems == []


def test_the_mailed_summary_has_no_member_detail(browser: Browser, demo: Path) -> None:
    with visit(browser, demo / "bao-cao-tom-tat.html", **PHONE) as seen:
        page = seen.page
        assert page.locator("details.cell").count() == 0
        assert page.locator(".print-choice").count() == 0
        assert "báo cáo đầy đủ" in page.locator("#dang-vien").inner_text()
        assert page_overflow(page) == 0
        # its links go only to what it holds
        hrefs = page.eval_on_selector_all("a[href^='#']", "as => as.map(a => a.hash.slice(1))")
        assert all(page.locator(f"[id='{h}']").count() == 1 for h in hrefs)
        assert seen.problems == []


def test_a_city_summary_is_small_enough_to_mail(browser: Browser, city: Path) -> None:
    summary = city / "bao-cao-tom-tat.html"
    full = (city / "bao-cao.html").stat().st_size + sum(
        p.stat().st_size for p in (city / "bao-cao").glob("*.html")
    )
    assert summary.stat().st_size * 3 < full
    with visit(browser, summary, **PHONE) as seen:
        assert seen.page.locator("#bang-chi-bo tbody tr").count() == 310
        assert seen.page.locator("details.cell").count() == 0
        assert page_overflow(seen.page) == 0
        assert seen.problems == []
