"""The pages in a real browser: they load cleanly, switch language, match the database,
and the CSV downloads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from funding.selectors import project_funding
from urbact_portal.lib.formatting import format_money

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/projects/di4c/",
    "/projects/di4c/partners/",
    "/projects/di4c/budget/",
    "/projects/di4c/timeline/",
]


@pytest.mark.parametrize("language", ["lv", "en"])
def test_each_page_loads_without_errors(page, live_server, demo, language):
    prefix = "" if language == "lv" else "/en"
    for path in PAGES:
        response = page.goto(f"{live_server.url}{prefix}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1, path
        assert page.problems.errors == [], path


@pytest.mark.parametrize("path", PAGES)
def test_pages_fit_a_narrow_phone_screen(page, live_server, demo, path):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}{path}")
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 360, f"{path} is {overflow}px wide"


def test_the_language_switch_keeps_the_reader_on_the_same_page(page, live_server, demo):
    page.goto(f"{live_server.url}/projects/di4c/budget/")
    assert page.locator("h1").inner_text().endswith("Budžets")
    page.click("[data-language-switch=en]")
    page.wait_for_url(f"{live_server.url}/en/projects/di4c/budget/")
    assert page.locator("h1").inner_text().endswith("Budget")
    page.click("[data-language-switch=lv]")
    page.wait_for_url(f"{live_server.url}/projects/di4c/budget/")
    assert page.problems.errors == []


@pytest.mark.parametrize(
    "language, path", [("lv", "/projects/di4c/"), ("en", "/en/projects/di4c/budget/")]
)
def test_the_figures_shown_match_the_database(page, live_server, demo, language, path):
    funding = project_funding(demo)
    page.goto(f"{live_server.url}{path}")
    figures = {
        "approved": funding.approved_total,
        "allocated": funding.allocated,
        "unallocated": funding.unallocated,
    }
    for name, money in figures.items():
        shown = page.locator(f"[data-figure={name}]").inner_text()
        assert shown.startswith(format_money(money, language)), (name, shown)


def test_the_budget_table_matches_the_database(page, live_server, demo):
    funding = project_funding(demo)
    page.goto(f"{live_server.url}/en/projects/di4c/budget/")
    for partner in funding.partners:
        row = page.locator(f"[data-table=budget] tr[data-partner={partner.organisation.slug}]")
        if partner.total is None:
            assert "budget not yet entered" in row.inner_text()
        else:
            assert row.locator("[data-total]").inner_text() == format_money(partner.total, "en")
            for part in partner.parts:
                assert format_money(part.amount, "en") in row.inner_text()


def test_the_csv_downloads(page, live_server, demo):
    page.goto(f"{live_server.url}/projects/di4c/budget/")
    with page.expect_download() as info:
        page.click("[data-download=csv]")
    download = info.value
    assert re.fullmatch(r"di4c-budget-v1-lv-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert "Botošani" in text and "Pilsēta" in text
    assert "51280,00;43588,00;85,00;2564,00;5,00;5128,00;10,00" in text


def test_an_outsider_signs_in_through_the_form(browser, live_server, council_member, demo):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/en/projects/di4c/timeline/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "alice")
    page.fill("#id_password", "pw-alice-1234")
    page.click("button[type=submit].button")
    page.wait_for_url(f"{live_server.url}/en/projects/di4c/timeline/")
    assert "Timeline" in page.locator("h1").inner_text()
    context.close()


def test_the_city_names_on_the_map_have_their_white_halo(page, live_server, demo):
    """The halo under each name comes from the stylesheet (paint-order is CSS, not an SVG
    attribute the validator accepts): the label is drawn stroke first."""
    page.goto(f"{live_server.url}/en/projects/di4c/partners/")
    labels = page.locator(".map__city text")
    assert labels.count() == 8  # Messina and seven more cities
    assert labels.first.get_attribute("paint-order") is None
    assert (
        labels.evaluate_all("ts => ts.map(t => getComputedStyle(t).paintOrder)") == ["stroke"] * 8
    )
