"""The expenditure figures (issue 12): on the expenditure page, the overview and in the CSV
they reconcile to the cent with the lines (certified counts only certified lines, rejected
never counts), splits by source add up, spending beyond a category's budget and the
programme's flexibility is flagged, samples are marked, and the queries are fixed."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from djmoney.money import Money

from expenditure import services
from expenditure.models import Claim, ExpenditureLine, Status
from expenditure.selectors import project_expenditure
from funding.models import CostCategory
from funding.selectors import project_funding
from funding.services import budget_set
from partners.models import Participation
from projects.models import Project
from tests import factories as f
from tests.test_pages_views import text

NOW = timezone.make_aware(dt.datetime(2020, 10, 5, 10, 0))


def partner(slug: str) -> Participation:
    return Participation.objects.get(organisation__slug=slug, project__slug="di4c")


def url(name: str, slug: str = "di4c", language: str = "lv") -> str:
    with translation.override(language):
        return reverse(name, args=[slug])


def line(participation, period, amount, status, controller=None, **values):
    made = f.expenditure_line(participation, period, amount, **values)
    if status != Status.DRAFT:
        services.submit([made], None, now=NOW)
    if status == Status.CERTIFIED:
        services.certify(made, controller, now=NOW)
    elif status == Status.REJECTED:
        services.reject(made, controller, "Not eligible", now=NOW)
    return made


@pytest.fixture
def spending(periods, superuser):
    """Ventspils: certified, waiting, rejected and draft lines in two periods and a claim."""
    ventspils = partner("ventspils")
    line(ventspils, periods[1], "1000.01", Status.CERTIFIED, superuser)
    line(ventspils, periods[1], "333.33", Status.CERTIFIED, superuser, category="travel")
    line(ventspils, periods[2], "200.00", Status.SUBMITTED)
    line(ventspils, periods[2], "999.99", Status.REJECTED, superuser)
    line(ventspils, periods[2], "77.77", Status.DRAFT)
    Claim.objects.create(
        participation=ventspils,
        period=periods[1],
        claimed_on=dt.date(2020, 11, 20),
        claimed=f.eur("1000.00"),
        received_on=dt.date(2021, 2, 1),
        received=f.eur("900.00"),
    )
    return ventspils


def from_lines(status_in) -> Decimal:
    rows = ExpenditureLine.objects.filter(status__in=status_in)
    return sum((r.amount_eur.amount for r in rows), Decimal("0.00"))


def test_the_figures_reconcile_with_the_lines(demo, spending):
    figures = project_expenditure(Project.objects.get(pk=demo.pk))
    certified = from_lines([Status.CERTIFIED])
    submitted = from_lines([Status.CERTIFIED, Status.SUBMITTED])
    assert figures.total.certified.amount == certified == Decimal("1333.34")
    assert figures.total.submitted.amount == submitted == Decimal("1533.34")
    # Per period: 1000.01 and 333.33 at 85 % are 850.00 + 283.33 of a due of 1133.33.
    assert figures.total.erdf_due.amount == Decimal("1133.33")
    assert figures.total.claimed.amount == Decimal("1000.00")
    assert figures.total.received.amount == Decimal("900.00")
    assert figures.total.remaining.amount == Decimal("51280.00") - certified
    for breakdown in [figures.sources, figures.categories]:
        assert sum(r.figures.certified.amount for r in breakdown) == certified
        assert sum(r.figures.submitted.amount for r in breakdown) == submitted
    erdf = next(r for r in figures.sources if r.source and r.source.is_eu_fund)
    assert erdf.figures.certified == erdf.figures.erdf_due == Money("1133.33", "EUR")
    assert [p.certified_to_date.amount for p in figures.periods][:3] == [
        Decimal("0.00"),
        certified,
        certified,
    ]


def test_the_page_and_the_csv_show_the_same_figures_to_the_cent(council_client, demo, spending):
    body = text(council_client.get(url("expenditure:figures", language="en")))
    assert "€1,333.34" in body and "€1,533.34" in body and "€1,133.33" in body
    assert "€49,946.66" in body  # remaining: 51,280.00 − 1,333.34
    assert "€999.99" not in body and "€77.77" not in body  # rejected, draft

    response = council_client.get(url("expenditure:figures_csv", language="en"))
    assert response["Content-Disposition"].startswith('attachment; filename="di4c-expenditure-en-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body_rows = rows[0], rows[1:]
    assert all(len(r) == len(header) for r in body_rows)
    total = next(r for r in body_rows if r[1] == "All partners")
    assert dict(zip(header, total, strict=True)) | {} == {
        "Table": "Partner",
        "Name": "All partners",
        "Notes": "",
        "Planned (EUR)": "51280.00",
        "Submitted (EUR)": "1533.34",
        "Certified (EUR)": "1333.34",
        "ERDF due (EUR)": "1133.33",
        "Claimed (EUR)": "1000.00",
        "Received (EUR)": "900.00",
        "Remaining (EUR)": "49946.66",
    }
    sources = [r for r in body_rows if r[0] == "Funding source"]
    assert sum(Decimal(r[5]) for r in sources) == Decimal("1333.34")


def test_the_latvian_csv_uses_semicolons_and_decimal_commas(council_client, demo, spending):
    content = council_client.get(url("expenditure:figures_csv")).content.decode("utf-8-sig")
    assert ";1333,34;" in content and "Deklarēts" in content


def test_the_overview_shows_the_expenditure_by_partner(council_client, demo, spending):
    body = text(council_client.get(url("pages:overview", language="en")))
    assert "€1,333.34" in body and "€1,000.00" in body


@pytest.fixture
def costed_ventspils(demo):
    """Ventspils' budget with its cost categories: staff €1,000.00 among them."""
    from projects.models import FundingSource

    budget_set(
        participation=partner("ventspils"),
        total=f.eur("51280.00"),
        plan=[
            (FundingSource.objects.get(code=code), Decimal(rate))
            for code, rate in [
                ("erdf", "85"),
                ("lv-state-budget", "5"),
                ("ventspils-municipality", "10"),
            ]
        ],
        lines=[
            (CostCategory.STAFF, f.eur("1000.00")),
            (CostCategory.OFFICE, f.eur("150.00")),
            (CostCategory.TRAVEL, f.eur("50130.00")),
        ],
    )
    return partner("ventspils")


@pytest.mark.parametrize(
    ("spent", "flexibility", "flagged"),
    [("1100.00", "10", False), ("1100.01", "10", True), ("1100.01", "20", False)],
)
def test_spending_beyond_a_categorys_budget_and_the_flexibility_is_flagged(
    costed_ventspils, periods, spent, flexibility, flagged, council_client
):
    demo = Project.objects.select_related("programme").get(slug="di4c")
    demo.programme.flexibility_rate = Decimal(flexibility)
    demo.programme.save()
    line(costed_ventspils, periods[1], spent, Status.SUBMITTED)  # staff
    figures = project_expenditure(Project.objects.select_related("programme").get(pk=demo.pk))
    ventspils = next(p for p in figures.partners if p.organisation.slug == "ventspils")
    staff = next(c for c in ventspils.categories if c.category == "staff")
    assert staff.over_budget is flagged
    assert bool(figures.over_budget) is flagged
    body = text(council_client.get(url("expenditure:figures", language="en")))
    assert ("over budget" in body) is flagged


def test_spending_in_a_category_without_a_budget_is_flagged_when_categories_are_entered(
    costed_ventspils, periods
):
    line(costed_ventspils, periods[1], "0.01", Status.SUBMITTED, category="equipment")
    figures = project_expenditure(Project.objects.select_related("programme").get(slug="di4c"))
    assert [(o.partner.organisation.slug, o.category.category) for o in figures.over_budget] == [
        ("ventspils", "equipment")
    ]


def test_figures_including_sample_lines_say_so(council_client, demo):
    body = text(council_client.get(url("expenditure:figures", language="en")))
    assert "includes samples" not in body
    from demo.expenditure import load_sample_expenditure

    load_sample_expenditure(demo, submitted_by=None)
    figures = project_expenditure(Project.objects.select_related("programme").get(pk=demo.pk))
    assert figures.includes_samples
    marked = {p.organisation.slug for p in figures.partners if p.figures.includes_samples}
    assert marked == {"ventspils", "botosani"}
    body = text(council_client.get(url("expenditure:figures", language="en")))
    assert "includes samples" in body and "sample expenditure made up" in body
    csv_text = council_client.get(url("expenditure:figures_csv", language="en")).content
    assert b"includes samples" in csv_text


def test_the_state_co_financing_is_shown_for_the_own_organisation(council_client, demo):
    from expenditure.models import StateCoFinancing

    StateCoFinancing.objects.create(
        participation=partner("ventspils"),
        applied_on=dt.date(2020, 7, 1),
        applied=f.eur("2564.07"),
        advance_received_on=dt.date(2020, 9, 1),
        advance_received=f.eur("2307.66"),
    )
    body = text(council_client.get(url("expenditure:figures", language="en")))
    assert "€2,564.07" in body and "€2,307.66" in body and "€256.41" in body
    assert "Ventspils Digital Centre" in body


def test_the_latvian_page_names_the_figures_in_latvian(council_client, demo):
    body = text(council_client.get(url("expenditure:figures")))
    for word in ["Deklarēts", "Apliecināts", "Pieprasīts", "Saņemts", "Atlikums"]:
        assert word in body
    assert "valsts budžeta līdzfinansējums" in body.lower()


# --- who reads, and how many queries -------------------------------------------------------------


@pytest.mark.parametrize("name", ["expenditure:figures", "expenditure:figures_csv"])
def test_council_staff_read_the_figures_and_outsiders_do_not(
    client_for, council_member, outsider, demo, name
):
    assert client_for(council_member).get(url(name)).status_code == 200
    assert client_for(outsider).get(url(name)).status_code == 403
    assert client_for(None).get(url(name)).status_code == 302
    assert client_for(council_member).post(url(name)).status_code == 405
    assert client_for(council_member).get(url(name, slug="no-such")).status_code == 404


def project_with_spending(partners: int, superuser) -> Project:
    """A project whose partners each have certified, waiting and rejected lines in two
    periods, a claim each, and cost categories."""
    project = f.project(f"spend{partners}", partners=partners)
    periods = [
        f.reporting_period(project, 1, dt.date(2020, 1, 1), dt.date(2020, 6, 30)),
        f.reporting_period(project, 2, dt.date(2020, 7, 1), dt.date(2020, 12, 31)),
    ]
    for part in project.participations.all():
        f.with_budget(part, "10000.00", erdf_rate="70", own_rate="30")
        for period in periods:
            line(part, period, "100.00", Status.CERTIFIED, superuser)
            line(part, period, "50.00", Status.SUBMITTED, category="travel")
            line(part, period, "25.00", Status.REJECTED, superuser)
        Claim.objects.create(
            participation=part,
            period=periods[0],
            claimed_on=dt.date(2020, 8, 1),
            claimed=f.eur("70.00"),
        )
    return project


def test_the_figures_make_a_fixed_number_of_queries_at_2_and_20_partners(
    superuser, django_assert_num_queries
):
    counts = []
    for partners in [2, 20]:
        project = Project.objects.select_related("programme__fund").get(
            pk=project_with_spending(partners, superuser).pk
        )
        with CaptureQueriesContext(connection) as funding_queries:
            project_funding(project)
        # project_funding()'s own, and four more: periods, lines, claims, state co-financing.
        with django_assert_num_queries(len(funding_queries) + 4):
            figures = project_expenditure(project)
        assert figures.total.certified.amount == Decimal("200.00") * partners
        assert figures.total.claimed.amount == Decimal("70.00") * partners
        counts.append(len(funding_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("partners", [2, 20])
def test_the_page_makes_the_same_number_of_queries_at_2_and_20_partners(
    client_for, council_member, superuser, django_assert_num_queries, partners
):
    project = project_with_spending(partners, superuser)
    client = client_for(council_member)
    # As the budget page (tests/test_pages_views.py QUERIES), and our four more: periods,
    # lines, claims, state co-financing.
    with django_assert_num_queries(13 + 4):
        assert client.get(url("expenditure:figures", slug=project.slug)).status_code == 200
