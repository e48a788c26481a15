"""The reports' expenditure section (issue 12): the project report's totals and a partner
report's figures by period and category with its certified and rejected lines reconcile to the
cent with the lines, in the canonical JSON, and the queries stay fixed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from djmoney.money import Money

from expenditure.models import ExpenditureLine, Status
from projects.models import Project
from reports.data import funding_report
from tests.test_expenditure_figures import line, partner, spending  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def total(status_in, **filters) -> str:
    rows = ExpenditureLine.objects.filter(status__in=status_in, **filters)
    return str(sum((r.amount_eur.amount for r in rows), Decimal("0.00")))


def report(demo, partner_slug=None):
    return funding_report(project=Project.objects.get(pk=demo.pk), partner_slug=partner_slug)


def test_the_project_report_totals_reconcile_with_the_lines(demo, spending):  # noqa: F811
    data = report(demo).figures
    assert data["schema"] == "urbact-portal/funding-report/6"
    section = data["expenditure"]
    certified = total([Status.CERTIFIED])
    submitted = total([Status.SUBMITTED, Status.CERTIFIED])
    assert certified == "1333.34"  # rejected and draft lines never count
    assert section["total"]["certified"] == certified
    assert section["total"]["submitted"] == submitted
    assert section["total"]["claimed"] == "1000.00"
    assert section["total"]["received"] == "900.00"
    ventspils = next(p for p in section["partners"] if p["partner"] == "ventspils")
    assert ventspils["certified"] == certified
    assert ventspils["remaining"] == str(Decimal(ventspils["planned"]) - Decimal(certified))
    # The sources and the categories add up to the total, to the cent.
    for rows in (section["sources"], section["categories"]):
        for figure in ("submitted", "certified"):
            assert sum(Decimal(r[figure]) for r in rows) == Decimal(section["total"][figure])
    staff = next(c for c in section["categories"] if c["category"] == "staff")
    assert staff["certified"] == "1000.01"
    assert section["includes_samples"] is False


def test_a_partner_report_shows_periods_claims_and_the_certificates(demo, periods, spending):  # noqa: F811
    data = report(demo, "ventspils").figures["expenditure"]
    # Every period of the project; nothing where the partner has neither spending nor claims.
    assert [p["period"]["number"] for p in data["periods"]] == [p.number for p in periods]
    assert data["periods"][0]["certified"] == "0.00" and data["periods"][0]["claims"] == []
    first = data["periods"][1]
    assert first["certified"] == total([Status.CERTIFIED], period=periods[1])
    assert [c["claimed"] for c in first["claims"]] == ["1000.00"]
    assert data["periods"][2]["submitted"] == "200.00"  # waiting; the rejected line is not
    certified = data["certified"]
    assert sorted(c["amount_eur"] for c in certified) == ["1000.01", "333.33"]
    assert sum(Decimal(c["amount_eur"]) for c in certified) == Decimal(data["total"]["certified"])
    one = certified[0]
    assert set(one) >= {"id", "paid_on", "period", "category", "description", "supplier"}
    assert one["currency"] == "EUR" and one["rate"] == "1.000000"
    assert one["decided_at"] == "2020-10-05" and one["sample"] is False
    assert [(r["amount_eur"], r["rejection_reason"]) for r in data["rejected"]] == [
        ("999.99", "Not eligible")
    ]
    # No personal data: who submitted or decided is in the trail, not the report.
    assert not {"submitted_by", "decided_by", "submitted_at"} & set(one)


def test_sample_lines_are_marked(demo, periods, superuser):
    line(partner("ventspils"), periods[1], "10.00", Status.CERTIFIED, superuser, is_sample=True)
    data = report(demo, "ventspils").figures["expenditure"]
    assert data["includes_samples"] is True
    assert data["certified"][0]["sample"] is True
    assert report(demo).figures["expenditure"]["includes_samples"] is True


def test_a_line_in_ron_shows_its_original_amount_and_rate(demo, periods, superuser):
    from expenditure.models import ExchangeRate

    ExchangeRate.objects.create(currency="RON", month=dt.date(2020, 10, 1), rate=Decimal("4.8"))
    made = line(partner("ventspils"), periods[1], "480.00", Status.DRAFT)
    made.amount = Money("480.00", "RON")
    made.save()
    from expenditure import services
    from tests.test_expenditure_figures import NOW

    services.submit([made], None, now=NOW)
    services.certify(ExpenditureLine.objects.get(pk=made.pk), superuser, now=NOW)
    certified = report(demo, "ventspils").figures["expenditure"]["certified"]
    assert [(c["amount"], c["currency"], c["rate"], c["amount_eur"]) for c in certified] == [
        ("480.00", "RON", "4.800000", "100.00")
    ]


def _queries(demo, partner_slug) -> int:
    with CaptureQueriesContext(connection) as captured:
        report(demo, partner_slug)
    return len(captured.captured_queries)


@pytest.mark.parametrize("partner_slug", [None, "ventspils"])
def test_the_queries_do_not_grow_with_the_lines(demo, periods, superuser, partner_slug):
    ventspils = partner("ventspils")
    for _ in range(2):
        line(ventspils, periods[1], "10.00", Status.CERTIFIED, superuser)
    few = _queries(demo, partner_slug)
    for i in range(38):
        status = [Status.CERTIFIED, Status.REJECTED, Status.SUBMITTED][i % 3]
        line(ventspils, periods[1 + i % 3], "10.00", status, superuser)
    assert ExpenditureLine.objects.count() == 40
    assert _queries(demo, partner_slug) == few
