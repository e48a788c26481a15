"""A row deleted through an admin form is recorded as it was stored, not as the deleting form
typed it: in its simple-history row, in the project's trail and on the history page."""

import pytest
from django.contrib.admin.models import LogEntry
from djmoney.money import Money

from audit.trail import project_changes
from funding.models import Budget, BudgetLine
from partners.models import Initiative, Organisation
from tests.admin_forms import change_url, copy_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

STORED_TITLE = "5G in municipal services, with Nokia"


def test_a_deleted_initiative_is_recorded_with_its_stored_title_not_the_typed_one(
    client_for, demo, oulu_coordinator, auditor, english
):
    client = client_for(oulu_coordinator)
    url = change_url(Organisation.objects.get(slug="oulu"))
    data = copy_form(client, url)
    assert data["initiatives-0-title_en"] == STORED_TITLE
    data |= {"initiatives-0-DELETE": "on"} | {
        f"initiatives-0-{field}_{lang}": "FORGED"
        for field in ("title", "description")
        for lang in ("lv", "en")
    }

    assert client.post(url, data).status_code == 302

    assert not Initiative.objects.filter(title_en=STORED_TITLE).exists()
    deleted = Initiative.history.get(history_type="-")
    assert (deleted.title_en, deleted.history_user) == (STORED_TITLE, oulu_coordinator)
    change = project_changes(demo, kind="partners.initiative")[0]
    assert (change.action, change.record) == ("-", STORED_TITLE)
    changed = [(f.field, f.before, f.after) for f in change.fields]
    assert ("title [en]", STORED_TITLE, "–") in changed
    assert "FORGED" not in LogEntry.objects.latest("action_time").get_change_message()
    page = client_for(auditor).get("/en/projects/di4c/history/").content.decode()
    assert STORED_TITLE in page and "FORGED" not in page


def test_a_deleted_cost_line_is_recorded_with_its_stored_amount_not_the_typed_one(
    client_for, demo, ventspils_coordinator
):
    budget = Budget.objects.get(participation__organisation__slug="ventspils")
    BudgetLine.objects.create(budget=budget, category="travel", amount=Money("41280.00", "EUR"))
    BudgetLine.objects.create(budget=budget, category="equipment", amount=Money("10000", "EUR"))
    client = client_for(ventspils_coordinator)
    url = change_url(budget)
    data = copy_form(client, url)
    lines = {data[f"lines-{i}-category"]: i for i in range(int(data["lines-TOTAL_FORMS"]))}
    # Travel takes the whole budget; equipment is deleted with a made-up amount typed in.
    data |= {
        f"lines-{lines['travel']}-amount_0": "51280.00",
        f"lines-{lines['equipment']}-amount_0": "99999.00",
        f"lines-{lines['equipment']}-DELETE": "on",
    }

    assert client.post(url, data).status_code == 302

    assert list(budget.lines.values_list("category", flat=True)) == ["travel"]
    deleted = BudgetLine.history.get(history_type="-")
    assert deleted.amount == Money("10000.00", "EUR")
    change = next(c for c in project_changes(demo, kind="funding.budgetline") if c.action == "-")
    assert ("amount", "€10,000.00", "–") in [(f.field, f.before, f.after) for f in change.fields]
    assert "99,999" not in change.record
