"""The admin and the history page work in a real browser under the Content-Security-Policy:
no console errors (a blocked script or style is one), nothing loaded from elsewhere."""

from __future__ import annotations

import pytest

from funding.models import Budget
from tests.browser.conftest import PageProblems

pytestmark = pytest.mark.browser


@pytest.fixture
def page_as(browser, live_server, client):
    opened = []

    def open_as(user):
        client.force_login(user)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value,
              "url": live_server.url}]
        )  # fmt: skip
        page = context.new_page()
        page.problems = PageProblems(page)
        opened.append(context)
        return page

    yield open_as
    for context in opened:
        context.close()


def test_the_budget_form_works_in_the_admin(page_as, live_server, demo, ventspils_coordinator):
    budget = Budget.objects.get()
    page = page_as(ventspils_coordinator)
    page.goto(f"{live_server.url}/en/admin/funding/budget/{budget.pk}/change/")
    assert "43,588.00" in page.content()
    # The admin's own script adds rows to the inline: it must run under the CSP.
    page.click("#lines-group .add-row a")
    assert page.locator("#lines-group tr.dynamic-lines").count() == 1
    page.select_option("#id_lines-0-category", "staff")
    page.fill("#id_lines-0-amount_0", "51280.00")
    page.click("input[name=_save]")
    page.wait_for_load_state("load")
    assert "was changed successfully" in page.content()
    assert page.problems.errors == []
    assert budget.lines.get().amount.amount == 51280


@pytest.mark.parametrize(
    "path",
    ["/en/admin/", "/en/admin/funding/budget/", "/en/admin/partners/participation/",
     "/en/admin/projects/project/1/change/", "/admin/partners/organisation/"],
)  # fmt: skip
def test_admin_pages_load_cleanly(page_as, live_server, demo, superuser, path):
    page = page_as(superuser)
    response = page.goto(f"{live_server.url}{path.replace('/1/', f'/{demo.pk}/')}")
    assert response.status == 200
    page.wait_for_load_state("load")
    assert page.problems.errors == [], page.problems.urls


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_history_page_loads_cleanly(page_as, live_server, demo, auditor, prefix):
    page = page_as(auditor)
    response = page.goto(f"{live_server.url}{prefix}/projects/di4c/history/")
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert page.locator("table[data-table=history] tbody tr").count() > 10
    assert page.problems.errors == []


def test_a_running_projects_progress_bar_is_drawn_under_the_csp(
    page_as, live_server, council_member, db
):
    import datetime as dt

    from tests import factories

    project = factories.project("running", partners=2)
    today = dt.date.today()
    project.phases.create(
        number=2, start=today - dt.timedelta(days=30), planned_end=today + dt.timedelta(days=90)
    )
    page = page_as(council_member)
    page.goto(f"{live_server.url}/projects/running/")
    bar = page.locator("svg.progress rect.progress__bar")
    # Day 31 of 121, both ends of the phase counted: 26 %.
    assert bar.get_attribute("width") == "26"
    assert bar.bounding_box()["width"] > 0
    assert page.problems.errors == []


def test_no_page_carries_an_inline_style_the_csp_would_block(client_for, council_member, demo):
    client = client_for(council_member)
    for path in ["/", "/projects/di4c/", "/projects/di4c/partners/", "/projects/di4c/budget/",
                 "/projects/di4c/timeline/", "/en/accounts/login/"]:  # fmt: skip
        html = client.get(path).content.decode()
        assert ' style="' not in html, path
        assert "<script>" not in html, path
