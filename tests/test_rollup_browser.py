"""The roll-up's bao-cao.html in Debian's Chromium (Playwright): no request but the page, no
console error, nothing wider than a phone's screen, and the 15A/15B tables as the data says."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert shutil.which(CHROMIUM), "Chromium is needed: run `make sysdeps`"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def upper(demo_district: Path) -> Path:
    """The demo's roll-up of two committees (cap-tren/), made once for the session."""
    return demo_district / "cap-tren"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_report_fits_the_screen_and_asks_for_nothing(
    browser: Browser, upper: Path, width: int
) -> None:
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    url = (upper / "bao-cao.html").as_uri()
    page.goto(url)
    assert requests == [url] and problems == []
    # the page never scrolls sideways: wide tables scroll inside their own box
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    # a row of the summary is one or two lines high, not squeezed into a column of words
    heights = page.eval_on_selector_all(
        "#mau-15a tbody tr", "rows => rows.map(r => r.offsetHeight)"
    )
    assert heights and max(heights) < 60
    ctx.close()


def test_the_summary_tables_show_the_data(browser: Browser, upper: Path) -> None:
    doc = json.loads((upper / "ket-qua.json").read_text(encoding="utf-8"))
    page = browser.new_page()
    page.goto((upper / "bao-cao.html").as_uri())
    for table in doc["summary"]:
        selector = f"#mau-{table['form'].lower()}"
        numbers = page.eval_on_selector_all(
            f"{selector} thead tr:nth-child(2) th", "cells => cells.map(c => c.textContent)"
        )
        assert numbers == [f"({n})" for n in range(1, 12)]
        total = page.eval_on_selector_all(
            f"{selector} tbody tr:last-child td", "cells => cells.map(c => c.textContent)"
        )
        t = table["total"]
        expected = [t["total"], *t["levels"].values(), t["unrated"]]
        assert total[1] == "Tổng cộng"
        assert [int(v.replace(".", "")) for v in total[2:8]] == expected
        assert total[10] == t["note"]
        rows = page.eval_on_selector_all(f"{selector} tbody tr", "rows => rows.length")
        assert rows == len(table["rows"]) + 1
    # "Chưa xếp loại" of the members' table, by reason: they add up to its column 8
    counts = page.eval_on_selector_all(
        "#chua-xep-loai tbody td.n", "cells => cells.map(c => c.textContent)"
    )
    assert len(counts) == 8
    assert sum(int(v.replace(".", "")) for v in counts) == doc["summary"][0]["total"]["unrated"]
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_problems_read_as_messages_with_the_code_for_staff(
    browser: Browser, upper: Path, width: int
) -> None:
    """As in a committee's report: the message first, no issue code or «20 %» in the text; the
    code is in the message's tooltip; on a phone each problem is a card."""
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    page.goto((upper / "bao-cao.html").as_uri())
    text = page.locator("body").inner_text()
    assert re.findall(r"rollup-[a-z-]+|\d %", text) == []
    assert "Số liệu tính đến ngày họp chi bộ muộn nhất:" in page.locator("header.page").inner_text()
    first = page.locator("#van-de tbody tr").first
    assert (first.locator("td.lead").get_attribute("title") or "").startswith("Mã vấn đề: rollup-")
    display = first.evaluate("tr => getComputedStyle(tr).display")
    assert display == ("flex" if width == 390 else "table-row")
    # on paper too: a roll-up has no «print everything» choice, its problems are its summary
    page.emulate_media(media="print")
    assert page.locator("#van-de tbody tr").first.is_visible()
    ctx.close()
