"""bao-cao.html in a real browser: Debian's Chromium driven by Playwright (never downloaded).

Every request the page makes is recorded: the only one allowed is the page itself. Console
errors, page errors and dialogs (an ``alert`` from a name that slipped through unescaped)
fail the test. The filter and sort script is exercised; without JavaScript the tables are
complete; on a phone nothing overflows the screen; the print stylesheet hides the controls.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from builders import SCRIPT_NAME, Case, lien_chieu, synthetic, write_case
from playwright.sync_api import Browser, Page, sync_playwright

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
