"""The data behind the funding reports: the budget page's figures, and their fingerprint."""

from decimal import Decimal

import pytest
from django.http import Http404

from funding.services import budget_set
from projects.models import Project
from reports.data import canonical, funding_report
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_report_shows_the_articles_figures(demo):
    # The figures of ../shared/DOMAIN.md (the Ventspils news item), not another computation.
    report = funding_report(project=demo)
    assert report.figures["allocated"] == "51280.00"
    assert report.figures["unallocated"] == "663710.00"
    assert report.figures["version"]["total"] == "714990.00"
    assert report.figures["version"]["kind"] == "planned"
    assert report.figures["version"]["date"] == "2020-04-03"
    assert report.figures["version"]["number"] == 1
    ventspils = next(
        p for p in report.figures["partners"] if p["organisation"]["slug"] == "ventspils"
    )
    assert ventspils["budget"]["plan"] == [
        {"source": "erdf", "rate": "85.00", "amount": "43588.00"},
        {"source": "lv-state-budget", "rate": "5.00", "amount": "2564.00"},
        {"source": "ventspils-municipality", "rate": "10.00", "amount": "5128.00"},
    ]
    assert [p["budget"] for p in report.figures["partners"]].count(None) == 7
    # Only Ventspils has a budget: the project's totals by source are its plan.
    assert report.figures["source_totals"] == [
        {"source": "erdf", "amount": "43588.00", "share": "85.00"},
        {"source": "lv-state-budget", "amount": "2564.00", "share": "5.00"},
        {"source": "ventspils-municipality", "amount": "5128.00", "share": "10.00"},
    ]
    assert report.figures["allocated_share"] == "7.17"  # 51,280 of 714,990


def test_partner_rows_reconcile_with_the_source_totals(costed_project):
    figures = funding_report(project=costed_project).figures
    per_source: dict[str, Decimal] = {}
    for partner in figures["partners"]:
        budget = partner["budget"] or {"plan": []}
        for part in budget["plan"]:
            per_source[part["source"]] = per_source.get(part["source"], 0) + Decimal(part["amount"])
        if budget["plan"]:
            assert sum(Decimal(p["amount"]) for p in budget["plan"]) == Decimal(budget["total"])
    totals = {t["source"]: Decimal(t["amount"]) for t in figures["source_totals"]}
    assert totals == per_source
    allocated = Decimal(figures["allocated"])
    assert sum(totals.values()) + Decimal(figures["unplanned"]) == allocated
    assert allocated + Decimal(figures["unallocated"]) == Decimal(figures["version"]["total"])
    assert figures["unplanned"] == "12345.67"
    assert totals["erdf"] == Decimal("85000.00") + Decimal("23333.33")  # 70 % cut to the cent


def test_the_fingerprint_does_not_change_when_nothing_changes(demo):
    first = funding_report(project=demo)
    budget_set(  # the same figures again: nothing is saved
        participation=demo.participations.get(organisation__slug="ventspils"),
        total=f.eur("51280.00"),
        plan=[
            (f.source("erdf"), Decimal("85")),
            (f.source("lv-state-budget"), Decimal("5")),
            (f.source("ventspils-municipality"), Decimal("10")),
        ],
    )
    again = funding_report(project=demo)
    assert again.fingerprint == first.fingerprint
    assert canonical(again.figures) == canonical(first.figures)


def test_the_fingerprint_changes_when_a_figure_changes(demo):
    before = funding_report(project=demo).fingerprint
    ventspils = demo.participations.get(organisation__slug="ventspils")
    budget_set(
        participation=ventspils,
        total=f.eur("51280.01"),
        plan=[
            (f.source("erdf"), Decimal("85")),
            (f.source("lv-state-budget"), Decimal("5")),
            (f.source("ventspils-municipality"), Decimal("10")),
        ],
    )
    assert funding_report(project=demo).fingerprint != before


def test_the_fingerprint_changes_when_a_date_changes(demo):
    before = funding_report(project=demo).fingerprint
    phase = demo.phases.get(number=2)
    phase.actual_end = phase.actual_end.replace(day=8)
    phase.save()
    assert funding_report(project=demo).fingerprint != before


def test_the_fingerprint_is_the_sha256_of_the_canonical_figures(demo):
    import hashlib

    report = funding_report(project=demo)
    assert report.fingerprint == hashlib.sha256(canonical(report.figures)).hexdigest()
    assert b"generated" not in canonical(report.figures)
    assert b'"allocated":"51280.00"' in canonical(report.figures)


def test_a_partner_report_has_its_own_fingerprint_and_the_milestones(demo):
    project_report = funding_report(project=demo)
    partner_report = funding_report(project=demo, partner_slug="ventspils")
    assert partner_report.fingerprint != project_report.fingerprint
    assert partner_report.partner.total == f.eur("51280.00")
    assert len(partner_report.milestones) == 7
    assert partner_report.partner.share_of_approved == Decimal("7.17")


def test_a_partner_from_elsewhere_is_not_found(demo):
    f.participation(f.project("other"), "stranger")
    with pytest.raises(Http404):
        funding_report(project=demo, partner_slug="stranger")


def test_the_data_date_follows_the_last_change(demo):
    # Milestones are shown in a partner's report (the project report has none).
    before = funding_report(project=demo, partner_slug="ventspils").data_as_of
    milestone = demo.milestones.first()
    milestone.place = "Rīga"
    milestone.save()
    assert funding_report(project=demo, partner_slug="ventspils").data_as_of > before


def test_gathering_takes_the_same_queries_for_8_and_for_40_partners(
    demo, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # A project read afresh, as the views pass it: the demo fixture's object holds related
    # objects already loaded (its programme and fund), which would hide their queries.
    demo = Project.objects.get(pk=demo.pk)
    with CaptureQueriesContext(connection) as small:
        funding_report(project=demo, partner_slug="ventspils")
    big = Project.objects.get(pk=f.project("big", partners=40).pk)
    for part in big.participations.all()[:10]:
        f.with_budget(part, "1000.00")
    big.milestones.create(title="Kick-off", kind="meeting", start="2020-03-01")
    with django_assert_num_queries(len(small.captured_queries)):
        funding_report(project=big, partner_slug="big-p1")
    # 56: the figures, the schedule and the expenditure (about 20 reads, with the programme
    # and its fund the report names, the partner's decided lines and their documents), and
    # the trail since the previous report: its union read and the names of every kind of
    # record, asked on every report whatever it holds (audit/trail.py; 47 at a36573b, before
    # the documents, the state co-financing and the constant count of the trail).
    assert len(small.captured_queries) == 56
