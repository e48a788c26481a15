"""The admin and the history read as correct Latvian: the record's name in the case the
sentence needs, agreement in gender, decimal commas; and English stays English."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from audit.trail import project_changes
from funding.models import Budget, CoFinancingShare
from tests.test_admin_budget_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(demo) -> Budget:
    return Budget.objects.get(participation__organisation__slug="ventspils")


def admin_url(name, *args, language="lv"):
    with translation.override(language):
        return reverse(f"admin:{name}", args=args)


def page(response) -> str:
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())  # keeps no-break spaces


def add_texts(response) -> list[str]:
    """The inlines' "add another" buttons, as the admin's script will label them."""
    return [
        json.loads(inline.inline_formset_data())["options"]["addText"]
        for inline in response.context["inline_admin_formsets"]
    ]


def test_a_coordinator_s_budget_form_reads_as_latvian(client_for, ventspils_coordinator, budget):
    response = client_for(ventspils_coordinator).get(admin_url("funding_budget_change", budget.pk))
    body = page(response)
    assert response.context["title"] == "Labot budžetu"
    assert "Labot budžets" not in body
    assert add_texts(response)[0] == "Pievienot vēl līdzfinansējuma daļu"
    # The co-financing plan's rows and the computed split, with decimal commas.
    erdf = budget.shares.get(source__code="erdf")
    assert f"{erdf.source}: 85,00\xa0%" in body
    assert "51\xa0280,00\xa0€ × 85,00\xa0% = <strong>43\xa0588,00\xa0€</strong>" in body
    # The inputs show (and take) the Latvian decimal comma.
    assert 'value="85,00"' in body and 'inputmode="decimal"' in body


def test_a_coordinator_s_budget_list_reads_as_latvian(client_for, ventspils_coordinator, budget):
    response = client_for(ventspils_coordinator).get(admin_url("funding_budget_changelist"))
    body = page(response)
    assert response.context["title"] in {"Izvēlieties budžetu, ko labot"}
    assert "Atlasīt budžets" not in body and "Pievienot budžets" not in body
    assert "Pēc loma" not in body and "Pēc " not in body  # filters are titled "Loma"


def test_the_english_admin_stays_english(client_for, ventspils_coordinator, budget):
    client = client_for(ventspils_coordinator)
    change = client.get(admin_url("funding_budget_change", budget.pk, language="en"))
    assert change.context["title"] == "Change budget"
    assert add_texts(change)[0] == "Add another co-financing share"
    assert 'value="85.00"' in page(change)
    listing = client.get(admin_url("funding_budget_changelist", language="en"))
    assert listing.context["title"] == "Select budget to change"


def test_a_latvian_rate_is_typed_with_a_comma_and_a_wrong_plan_is_told_with_commas(
    client_for, ventspils_coordinator, budget
):
    client = client_for(ventspils_coordinator)
    url = admin_url("funding_budget_change", budget.pk)
    wrong = client.post(url, form_data(budget, rates=["85,00", "5,00", "5,00"]))
    assert wrong.status_code == 200
    assert "nevis 95,00 %" in page(wrong).replace("\xa0", " ")
    right = client.post(url, form_data(budget, total="51280,00", rates=["85,5", "4,5", "10"]))
    assert right.status_code == 302
    assert sorted(s.rate for s in budget.shares.all()) == [
        Decimal("4.50"),
        Decimal("10.00"),
        Decimal("85.50"),
    ]


def test_the_history_shows_latvian_decimals_and_english_times_as_the_english_pages(
    client_for, auditor, budget
):
    share = budget.shares.last()  # the municipality's 10 %
    assert share.rate == Decimal("10.00")
    share.rate = Decimal("12.50")
    share.save()
    client = client_for(auditor)
    lv = page(client.get("/projects/di4c/history/"))
    assert re.search(r"<td [^>]*>Likme \(%\)</td> <td [^>]*>10,00</td> <td [^>]*>12,50</td>", lv)
    assert "10.00" not in lv
    en = page(client.get("/en/projects/di4c/history/"))
    assert re.search(r"\d{1,2} [A-Z][a-z]+ 20\d\d, \d\d:\d\d", en)
    assert not re.search(r"\d\d?/\d\d?/20\d\d", en)


def test_the_trail_s_words_agree_with_the_record_s_gender(demo, budget):
    changes = project_changes(demo)
    share = next(c for c in changes if c.kind == "funding.cofinancingshare" and c.action == "+")
    made = next(c for c in changes if c.kind == "funding.budget" and c.action == "+")
    with translation.override("lv"):
        assert (share.kind_name, share.action_name) == ("līdzfinansējuma daļa", "izveidota")
        assert (made.kind_name, made.action_name) == ("budžets", "izveidots")
    with translation.override("en"):
        assert share.action_name == made.action_name == "created"
    assert CoFinancingShare.noun.gender == "feminine"
