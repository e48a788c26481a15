"""On a 360 px phone every key figure is on the screen: no table or chart hides one behind
a sideways scroll (tables become one card per row, charts take the phone's width)."""

from __future__ import annotations

import pytest

from demo.expenditure import load_sample_expenditure
from expenditure.models import Status
from tests.test_expenditure_figures import costed_ventspils, line, partner  # noqa: F401

pytestmark = pytest.mark.browser

WIDTH = 360

# page → the elements that carry its key figures
KEY_FIGURES = {
    "/projects/di4c/partners/": [
        "[data-table=partners] [data-cell=budget]",
        "[data-table=partners] [data-cell=eu-rate]",
    ],
    "/projects/di4c/": [
        "[data-table=sources] [data-cell=project]",
        "[data-table=sources] [data-cell=own]",
    ],
    "/projects/di4c/budget/": [
        "svg.budget-chart [data-amount]",
        "svg.budget-chart rect",
        "[data-table=budget] td.num",
        "[data-table=sources] td.num",
    ],
    "/projects/di4c/timeline/": [
        "svg.timeline-chart text",
        "[data-table=phases] [data-cell=start]",
        "[data-table=phases] [data-cell=actual-end]",
        "[data-table=milestones] [data-cell=date]",
    ],
    "/projects/di4c/history/": [
        "[data-table=history] [data-cell=field]",
        "[data-table=history] [data-cell=before]",
        "[data-table=history] [data-cell=after]",
    ],
}


def boxes_outside(page, selector: str) -> list[str]:
    """The elements matching `selector` that reach past either edge of the screen."""
    return page.locator(selector).evaluate_all(
        """(els, width) => els
            .map(e => [e, e.getBoundingClientRect()])
            .filter(([e, r]) => r.width > 0 && (r.left < -0.5 || r.right > width + 0.5))
            .map(([e, r]) => `${e.textContent.trim().slice(0, 40)} ${r.left}..${r.right}`)""",
        WIDTH,
    )


@pytest.mark.parametrize("language", ["lv", "en"])
@pytest.mark.parametrize("path", KEY_FIGURES)
def test_every_key_figure_is_on_a_phones_screen(
    browser, live_server, client, auditor, demo, path, language
):
    client.force_login(auditor)  # the history page is for auditors
    context = browser.new_context(viewport={"width": WIDTH, "height": 740})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    prefix = "" if language == "lv" else "/en"
    assert page.goto(f"{live_server.url}{prefix}{path}").status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    for selector in KEY_FIGURES[path]:
        assert page.locator(selector).count() > 0, selector
        assert boxes_outside(page, selector) == [], selector
    context.close()


def test_the_budget_chart_uses_the_pages_width_on_a_wide_screen(page, live_server, demo):
    page.goto(f"{live_server.url}/en/projects/di4c/budget/")
    chart = page.locator("svg.budget-chart").bounding_box()
    main = page.locator("main").bounding_box()
    assert chart["width"] > 0.9 * main["width"]
    # The project's bar spans the chart: the approved total is its full width.
    project_bar = page.locator("svg.budget-chart [data-row=project] rect").first.bounding_box()
    assert project_bar["width"] == pytest.approx(chart["width"], abs=2)


@pytest.mark.usefixtures("costed_ventspils")
@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_budget_pages_spending_is_on_a_phones_screen(
    browser, live_server, client, council_member, demo, periods, superuser, language
):
    """With samples, certified spending (the chart's bars) and a category over its budget:
    every figure of the spending tables, the chart and the flags within 360 px."""
    load_sample_expenditure(demo, submitted_by=None)
    line(partner("ventspils"), periods[1], "1100.01", Status.CERTIFIED, superuser)
    client.force_login(council_member)
    context = browser.new_context(viewport={"width": WIDTH, "height": 740})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    prefix = "" if language == "lv" else "/en"
    assert page.goto(f"{live_server.url}{prefix}/projects/di4c/budget/").status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    for selector in [
        "[data-table=expenditure-partners] td.num",
        "[data-table=expenditure-sources] td.num",
        "[data-table=expenditure-categories] td.num",
        "[data-table=expenditure-categories] .badge--warn",
        "[data-table=expenditure-partners] .badge--sample",
        "[data-over-budget-list] li",
        "svg.spending-chart [data-amount]",
        "svg.spending-chart rect",
    ]:
        assert page.locator(selector).count() > 0, selector
        assert boxes_outside(page, selector) == [], selector
    context.close()
