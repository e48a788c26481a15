"""A coordinator corrects a rejected line in a real browser: the "Correct this line" button
posts (under the Content-Security-Policy, CSRF token and all) and opens the new draft."""

from __future__ import annotations

import os

import pytest

from expenditure import services
from expenditure.models import ExpenditureLine
from tests import factories as f
from tests.browser.test_admin_and_history_browser import page_as  # noqa: F401 (a fixture)
from tests.test_expenditure_status import NOW, partner

pytestmark = pytest.mark.browser


def test_the_coordinator_presses_correct_this_line(
    page_as,  # noqa: F811
    live_server,
    periods,
    ventspils_coordinator,
    ventspils_controller,
):
    line = f.expenditure_line(partner("ventspils"), periods[1], "86.40", description="Tickets")
    services.submit([line], None, now=NOW)
    services.reject(line, ventspils_controller, "Outside the project", now=NOW)
    page = page_as(ventspils_coordinator)
    page.goto(f"{live_server.url}/en/admin/expenditure/expenditureline/{line.pk}/change/")
    if os.environ.get("SCREENSHOTS"):  # a look at the button: SCREENSHOTS=folder
        page.screenshot(path=f"{os.environ['SCREENSHOTS']}/correct-button.png")
    page.click("button[data-correct-line]")
    page.wait_for_load_state("load")
    fixed = ExpenditureLine.objects.get(corrects=line)
    assert page.url.endswith(f"/en/admin/expenditure/expenditureline/{fixed.pk}/change/")
    assert f"corrects line № {line.pk}" in page.content()
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['SCREENSHOTS']}/correction-draft.png")
    assert page.problems.errors == []
