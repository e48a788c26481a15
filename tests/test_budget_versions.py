"""Budget versions (issue 11): a project's budget as planned, approved and modified. Pages,
CSV, JSON and PDF say which version they show and can show any; two versions compare to the
cent; a new version starts as a copy of the current one; a superseded version keeps its
figures; coordinators stay within their own partner's budget."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from djmoney.money import Money
from pypdf import PdfReader

from funding.models import Budget, BudgetLine, BudgetVersion, CoFinancingShare, CostCategory
from funding.services import budget_set
from partners.models import Participation
from tests import factories as f
from tests.test_admin_budget_forms import form_data
from tests.test_pages_views import QUERIES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def lv(name: str, **kwargs) -> str:
    with translation.override("lv"):
        return reverse(name, kwargs=kwargs)


def en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def ventspils(project) -> Participation:
    return Participation.objects.get(project=project, organisation__slug="ventspils")


def budget_in(version: BudgetVersion, slug: str = "ventspils") -> Budget:
    return Budget.objects.get(budget_version=version, participation__organisation__slug=slug)


@pytest.fixture
def modified(demo) -> BudgetVersion:
    """Version 2, a modification of 1 June 2021: Ventspils' budget lowered to €40,000 and
    Oulu's entered (€10,000.01, 85 % ERDF); the planned version 1 keeps the article's figures."""
    version = f.new_version(demo, date=dt.date(2021, 6, 1), reference="Grozījumi Nr. 1")
    budget = budget_in(version)
    budget.total = f.eur("40000.00")
    budget.full_clean()
    budget.save()
    f.with_budget(Participation.objects.get(project=demo, organisation__slug="oulu"), "10000.01")
    return version


# --- A new version starts as a copy of the current one ---------------------------------------


def test_a_new_version_copies_the_current_ones_budgets_plans_and_lines(demo):
    BudgetLine.objects.create(
        budget=budget_in(f.current_version(demo)), category=CostCategory.STAFF,
        amount=f.eur("51280.00"),
    )  # fmt: skip
    planned = f.current_version(demo)
    version = f.new_version(demo)
    assert f.current_version(demo) == version and version.number == 2
    assert version.total == planned.total == f.eur("714990.00")
    old, new = budget_in(planned), budget_in(version)
    assert new.pk != old.pk and new.total == old.total
    assert new.office_flat_rate == old.office_flat_rate

    def plan(budget):
        return sorted((s.source.code, s.rate) for s in budget.shares.select_related("source"))

    assert (
        plan(new)
        == plan(old)
        == [
            ("erdf", Decimal("85.00")),
            ("lv-state-budget", Decimal("5.00")),
            ("ventspils-municipality", Decimal("10.00")),
        ]
    )
    assert [(x.category, x.amount) for x in new.lines.all()] == [("staff", f.eur("51280.00"))]
    # The planned version is untouched: its own rows, still there.
    assert CoFinancingShare.objects.filter(budget=old).count() == 3


def test_a_version_with_a_total_below_the_copied_budgets_is_refused(demo):
    with pytest.raises(ValidationError, match="approved total"):
        f.new_version(demo, total="51279.99")
    assert BudgetVersion.objects.filter(project=demo).count() == 1


def test_a_version_is_dated_no_earlier_than_the_one_before(demo):
    with pytest.raises(ValidationError) as error:
        f.new_version(demo, date=dt.date(2020, 4, 2))
    assert "date" in error.value.message_dict


# --- A superseded version keeps its figures ---------------------------------------------------


def test_a_superseded_versions_budget_no_longer_changes(demo, modified):
    old = budget_in(BudgetVersion.objects.get(project=demo, number=1))
    old.total = f.eur("51000.00")
    with pytest.raises(ValidationError, match="superseded"):
        old.full_clean()
    planned = BudgetVersion.objects.get(project=demo, number=1)
    planned.total = f.eur("800000.00")
    with pytest.raises(ValidationError, match="superseded"):
        planned.full_clean()
    # Its date and document may be corrected (the trail records it, the fingerprint shows it).
    planned = BudgetVersion.objects.get(project=demo, number=1)
    planned.document_title = "Pieteikums"
    planned.full_clean()


def test_the_service_enters_budgets_in_the_current_version_only(demo, modified):
    budget_set(
        participation=ventspils(demo),
        total=f.eur("41000.00"),
        plan=[(f.source("erdf"), Decimal("100"))],
    )
    assert budget_in(modified).total == f.eur("41000.00")
    assert budget_in(BudgetVersion.objects.get(project=demo, number=1)).total == f.eur("51280.00")


def test_a_superseded_budget_is_read_only_in_the_admin(client_for, superuser, demo, modified):
    client = client_for(superuser)
    old = budget_in(BudgetVersion.objects.get(project=demo, number=1))
    url = en("admin:funding_budget_change", object_id=old.pk)
    assert client.get(url).status_code == 200  # readable
    assert client.post(url, form_data(old, total="1.00")).status_code == 403
    assert Budget.objects.get(pk=old.pk).total == f.eur("51280.00")


# --- The allocation rule, per version ---------------------------------------------------------


def test_each_version_checks_its_budgets_against_its_own_total(demo):
    f.new_version(demo, total="60000.00")
    oulu = Participation.objects.get(project=demo, organisation__slug="oulu")
    with pytest.raises(ValidationError, match="approved total"):
        f.with_budget(oulu, "8720.01")  # 51,280 + 8,720.01 > 60,000 in version 2
    f.with_budget(oulu, "8720.00")
    # The planned version (€714,990) still has 663,710 free, but is superseded: nothing enters.
    assert not Budget.objects.filter(
        participation=oulu, budget_version__number=1, budget_version__project=demo
    ).exists()
    assert Budget.objects.allocated_in(f.current_version(demo)) == f.eur("60000.00")


# --- Pages, CSV, JSON and PDF name the version and show any -------------------------------------


def test_the_budget_page_names_the_current_version(council_client, demo):
    page = council_client.get(lv("pages:budget", slug="di4c")).content.decode()
    assert 'data-version="1"' in page
    assert "Budžeta versija" in page and "plānotais" in page and "2020. gada 3. aprīlis" in page
    assert "Ventspils pilsētas domes 2020. gada 3. aprīļa lēmums" in page
    assert "apstiprinātais" not in page
    page = council_client.get(en("pages:budget", slug="di4c")).content.decode()
    assert "Budget version" in page and "planned" in page and "3 April 2020" in page
    assert "Planned funding in the phase 2 application" in page


def test_choosing_an_older_version_shows_its_figures(council_client, demo, modified):
    current = council_client.get(en("pages:budget", slug="di4c"))
    assert current.context["funding"].version == modified
    assert current.context["funding"].allocated == f.eur("50000.01")
    assert 'data-version="2"' in current.content.decode()
    older = council_client.get(en("pages:budget", slug="di4c") + "?version=1")
    funding = older.context["funding"]
    assert funding.version.number == 1 and funding.allocated == f.eur("51280.00")
    page = older.content.decode()
    assert 'data-version="1"' in page and "€51,280.00" in page
    # Its downloads are of the same version.
    assert "budget.csv?version=1" in page and "funding.pdf?version=1" in page


@pytest.mark.parametrize("choice", ["3", "0", "-1", "1.0", "x", "１", "99999999999999999999"])
def test_a_version_that_is_not_the_projects_is_a_404(council_client, demo, modified, choice):
    for name in ["pages:budget", "funding:budget_csv"]:
        response = council_client.get(en(name, slug="di4c"), {"version": choice})
        assert response.status_code == 404
    compare = council_client.get(en("funding:budget_compare", slug="di4c"), {"from": choice})
    assert compare.status_code == 404


def test_another_projects_version_is_a_404(council_client, demo, big_project):
    other = f.new_version(big_project)  # big's version 2: di4c has no version 2
    response = council_client.get(en("pages:budget", slug="di4c"), {"version": other.number})
    assert response.status_code == 404


def test_the_csv_names_its_version_and_shows_the_one_chosen(council_client, demo, modified):
    response = council_client.get(en("funding:budget_csv", slug="di4c") + "?version=1")
    assert "di4c-budget-v1-en-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len({len(r) for r in rows}) == 1  # still one rectangular table
    version_row = next(r for r in rows if r[0] == "Budget version")
    assert version_row[4] == (
        "1. planned, 3 April 2020 – Ventspils City Council decision of 3 April 2020: "
        "Planned funding in the phase 2 application"
    )
    allocated = next(r for r in rows if r[0] == "Allocated to partners")
    assert allocated[5] == "51280.00"
    current = council_client.get(en("funding:budget_csv", slug="di4c"))
    assert "di4c-budget-v2-en-" in current["Content-Disposition"]
    assert "2. modification, 1 June 2021 – Modification No. 1" in current.content.decode(
        "utf-8-sig"
    )


def test_the_json_names_its_version_and_shows_the_one_chosen(auditor_client, demo, modified):
    url = en("reports:project_json", slug="di4c")
    older = json.loads(auditor_client.get(url + "?version=1").content)
    assert older["schema"] == "urbact-portal/funding-report/6"
    assert older["version"] == {
        "date": "2020-04-03",
        "document_reference": {
            "en": "Ventspils City Council decision of 3 April 2020",
            "lv": "Ventspils pilsētas domes 2020. gada 3. aprīļa lēmums",
        },
        "document_reference_en": "Ventspils City Council decision of 3 April 2020",
        "document_reference_lv": "Ventspils pilsētas domes 2020. gada 3. aprīļa lēmums",
        "document_title": {
            "en": "Planned funding in the phase 2 application",
            "lv": "Plānotais finansējums 2. posma pieteikumā",
        },
        "document_title_en": "Planned funding in the phase 2 application",
        "document_title_lv": "Plānotais finansējums 2. posma pieteikumā",
        "kind": "planned",
        "number": 1,
        "total": "714990.00",
    }
    assert older["allocated"] == "51280.00"
    current = json.loads(auditor_client.get(url).content)
    assert (current["version"]["number"], current["version"]["kind"]) == (2, "modification")
    assert current["allocated"] == "50000.01"
    partner = en("reports:partner_json", slug="di4c", partner="ventspils")
    assert (
        json.loads(auditor_client.get(partner + "?version=1").content)["partner"]["budget"]["total"]
        == "51280.00"
    )
    assert auditor_client.get(url + "?version=7").status_code == 404


def test_the_pdf_names_its_version(auditor_client, demo, modified):
    response = auditor_client.get(en("reports:project_report", slug="di4c") + "?version=1&lang=en")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Budget version" in text and "1. planned, 3 April 2020" in text
    assert "51,280.00" in text
    response = auditor_client.get(lv("reports:partner_report", slug="di4c", partner="ventspils"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Budžeta versija" in text and "2. grozījumi" in text and "40\xa0000,00" in text


def test_the_report_command_takes_a_version(demo, modified, tmp_path):
    target = tmp_path / "r.pdf"
    call_command("funding_report", "di4c", "--budget-version", "1", "--lang", "en",
                 "--output", str(target))  # fmt: skip
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "1. planned, 3 April 2020" in text
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no budget version"):
        call_command("funding_report", "di4c", "--budget-version", "5", "--output", str(target))


# --- Comparing two versions ---------------------------------------------------------------------


def test_two_versions_compare_to_the_cent(council_client, demo, modified):
    response = council_client.get(en("funding:budget_compare", slug="di4c") + "?from=1&to=2")
    comparison = response.context["comparison"]
    partners = {r.key: r for r in comparison.partners}
    assert partners["ventspils"].difference == Money("-11280.00", "EUR")
    assert (partners["oulu"].before, partners["oulu"].after) == (None, f.eur("10000.01"))
    assert partners["oulu"].difference == f.eur("10000.01")
    assert not partners["trikala"].changed
    sources = {r.key: r for r in comparison.sources}
    # Ventspils' ERDF 85 % of 40,000 = 34,000 plus Oulu's 85 % of 10,000.01 = 8,500.00 (cut).
    assert sources["erdf"].before == f.eur("43588.00")
    assert sources["erdf"].after == f.eur("42500.00")
    assert sources["erdf"].difference == Money("-1088.00", "EUR")
    totals = {r.key: r for r in comparison.totals}
    assert totals["allocated"].difference == Money("-1279.99", "EUR")
    assert totals["approved_total"].difference == f.eur("0.00")
    page = response.content.decode()
    assert "-€11,280.00" in page and "€10,000.01" in page
    lv_page = council_client.get(lv("funding:budget_compare", slug="di4c")).content.decode()
    assert "-11\xa0280,00\xa0€" in lv_page and "10\xa0000,01\xa0€" in lv_page
    assert "Starpība" in lv_page and "grozījumi" in lv_page and "plānotais" in lv_page


# --- The admin: managers enter versions; coordinators stay within their budget -------------------


def test_a_manager_enters_a_version_and_is_recorded_as_who_entered_it(
    client_for, project_manager, demo
):
    client = client_for(project_manager)
    response = client.post(
        en("admin:funding_budgetversion_add"),
        {
            "project": demo.pk,
            "kind": "approved",
            "date": "2020-05-07",
            "document_reference_lv": "URBACT uzraudzības komitejas lēmums",
            "document_reference_en": "URBACT Monitoring Committee decision",
            "document_title_lv": "",
            "document_title_en": "",
            "total_0": "714990.00",
            "total_1": "EUR",
            "entered_by": "1",  # not a field of the form: ignored
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    version = f.current_version(demo)
    assert (version.number, version.kind, version.entered_by) == (2, "approved", project_manager)
    assert budget_in(version).total == f.eur("51280.00")  # copied


def test_a_coordinator_cannot_enter_versions(client_for, ventspils_coordinator, demo):
    client = client_for(ventspils_coordinator)
    assert client.get(en("admin:funding_budgetversion_add")).status_code == 403
    version = f.current_version(demo)
    url = en("admin:funding_budgetversion_change", object_id=version.pk)
    assert client.post(url, {"total_0": "1.00", "total_1": "EUR"}).status_code in (403, 404)
    assert f.current_version(demo).total == f.eur("714990.00")


def test_a_coordinator_edits_their_budget_in_the_current_version(
    client_for, ventspils_coordinator, demo, modified
):
    client = client_for(ventspils_coordinator)
    budget = budget_in(modified)
    url = en("admin:funding_budget_change", object_id=budget.pk)
    response = client.post(url, form_data(budget, total="45000.00"))
    assert response.status_code == 302
    assert budget_in(modified).total == f.eur("45000.00")
    assert budget_in(BudgetVersion.objects.get(project=demo, number=1)).total == f.eur("51280.00")


def test_a_coordinator_cannot_reach_another_partners_budget_in_any_version(
    client_for, ventspils_coordinator, demo, modified
):
    client = client_for(ventspils_coordinator)
    oulu = budget_in(modified, "oulu")
    url = en("admin:funding_budget_change", object_id=oulu.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(oulu, total="1.00")).status_code == 404
    assert budget_in(modified, "oulu").total == f.eur("10000.01")


def test_a_crafted_post_cannot_put_a_budget_in_another_projects_version(
    client_for, ventspils_coordinator, demo, big_project
):
    """The version is never taken from the request: a new budget goes into the current
    version of its partner's project, whatever `budget_version` a POST carries."""
    Budget.objects.filter(participation=ventspils(demo)).delete()
    foreign = f.current_version(big_project)
    client = client_for(ventspils_coordinator)
    data = {
        "participation": ventspils(demo).pk,
        "budget_version": foreign.pk,
        "total_0": "1000.00",
        "total_1": "EUR",
        "office_flat_rate": "15.00",
        "shares-TOTAL_FORMS": 1, "shares-INITIAL_FORMS": 0,
        "shares-MIN_NUM_FORMS": 1, "shares-MAX_NUM_FORMS": 1000,
        "shares-0-source": f.source("erdf").pk, "shares-0-rate": "100",
        "lines-TOTAL_FORMS": 0, "lines-INITIAL_FORMS": 0,
        "lines-MIN_NUM_FORMS": 0, "lines-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    response = client.post(en("admin:funding_budget_add"), data)
    assert response.status_code in (302, 403)
    assert not Budget.objects.filter(budget_version=foreign, participation=ventspils(demo)).exists()
    if response.status_code == 302:
        assert budget_in(f.current_version(demo)).total == f.eur("1000.00")


def test_a_second_budget_for_a_partner_in_one_version_is_a_form_error(client_for, superuser, demo):
    client = client_for(superuser)
    existing = budget_in(f.current_version(demo))
    data = form_data(existing, total="1000.00")
    data |= {"shares-INITIAL_FORMS": 0, "shares-0-id": "", "shares-0-budget": ""}
    data |= {"shares-1-id": "", "shares-1-budget": "", "shares-2-id": "", "shares-2-budget": ""}
    response = client.post(en("admin:funding_budget_add"), data)
    assert response.status_code == 200
    assert "already has a budget in this version" in response.content.decode()
    assert Budget.objects.filter(participation=existing.participation).count() == 1


# --- Query count ----------------------------------------------------------------------------------


def test_the_budget_page_makes_as_many_queries_with_three_versions_as_with_one(
    council_client, django_assert_num_queries, demo
):
    # As tests/test_pages_views.py counts them (the spending beside the plan included).
    with django_assert_num_queries(QUERIES["budget"]):
        assert council_client.get(lv("pages:budget", slug="di4c")).status_code == 200
    f.new_version(demo, date=dt.date(2020, 5, 7), reference="Apstiprinājums")
    f.new_version(demo, date=dt.date(2021, 6, 1))
    with django_assert_num_queries(QUERIES["budget"]):
        assert council_client.get(lv("pages:budget", slug="di4c")).status_code == 200
    with django_assert_num_queries(QUERIES["budget"]):
        response = council_client.get(lv("pages:budget", slug="di4c") + "?version=1")
    assert response.context["funding"].version.number == 1


# --- The migration -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_each_projects_budget_into_its_first_version_unchanged():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("funding", "0001_initial"), ("projects", "0005_project_current_name")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    fund = old.get_model("projects", "FundingSource").objects.create(
        code="erdf", name="ERDF", short_name="ERDF", kind="eu", position=1
    )
    programme = old.get_model("projects", "Programme").objects.create(
        name="URBACT III", fund=fund, period_start=dt.date(2014, 1, 1),
        period_end=dt.date(2020, 12, 31),
    )  # fmt: skip
    project = old.get_model("projects", "Project").objects.create(
        programme=programme, name="DI4C", acronym="DI4C", slug="di4c",
        approved_total=Money("714990.00", "EUR"),
    )  # fmt: skip
    old.get_model("projects", "HistoricalProject").objects.create(
        id=project.pk, programme_id=programme.pk, name="DI4C", acronym="DI4C", slug="di4c",
        network_type="other", approved_total=Money("700000.00", "EUR"),
        history_date=dt.datetime(2020, 4, 3, tzinfo=dt.UTC), history_type="+",
    )  # fmt: skip
    city = old.get_model("partners", "City").objects.create(
        name="Ventspils", country="LV", latitude=Decimal("57.39"), longitude=Decimal("21.56")
    )
    org = old.get_model("partners", "Organisation").objects.create(
        name="VDC", slug="ventspils", city=city
    )
    part = old.get_model("partners", "Participation").objects.create(
        project=project, organisation=org, role="partner"
    )
    budget = old.get_model("funding", "Budget").objects.create(
        participation=part, total=Money("51280.00", "EUR"), office_flat_rate=Decimal("15")
    )
    old.get_model("funding", "CoFinancingShare").objects.create(
        budget=budget, source=fund, rate=Decimal("85")
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    (version,) = BudgetVersion.objects.filter(project_id=project.pk)
    assert (version.number, version.kind, version.date) == (1, "planned", dt.date(2020, 4, 3))
    assert version.total == f.eur("714990.00")
    assert version.document_title_en == "Planned funding in the phase 2 application"
    migrated = Budget.objects.get(pk=budget.pk)
    assert migrated.budget_version == version and migrated.total == f.eur("51280.00")
    assert [(s.source_id, s.rate) for s in migrated.shares.all()] == [(fund.pk, Decimal("85.00"))]
    # The total's recorded history moved along with it: who set which total, when.
    totals = [h.total for h in version.history.order_by("history_date")]
    assert totals == [f.eur("700000.00"), f.eur("714990.00")]
