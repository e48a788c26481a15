"""What a report covers (audit/coverage.py), checked in both directions for every field named
there: changing a field a report shows changes its fingerprint, its "data as of" date and the
change count since the previous report; changing anything it does not show changes none."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from djmoney.money import Money

from audit.coverage import COVERAGE, PARTNER_REPORT, PROJECT_REPORT
from expenditure import services
from expenditure.models import (
    Claim,
    ExpenditureLine,
    ReportingPeriod,
    StateCoFinancing,
    Status,
    SupportingDocument,
)
from funding.models import Budget, BudgetLine, BudgetVersion, CoFinancingShare, CostCategory
from partners.models import City, Initiative, Organisation, Participation
from projects.models import FundingSource, Milestone, Phase, Programme, Project
from reports.data import funding_report
from reports.registry import changes_since, previous_report, report_register
from tests import factories as f

pytestmark = pytest.mark.django_db


def _save(obj, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()


def ventspils(demo):
    return Participation.objects.get(project=demo, organisation__slug="ventspils")


def budget(demo):
    return Budget.objects.get(participation=ventspils(demo), budget_version=version(demo))


def version(demo):
    """The version the reports below show: the demo's planned version (the first entered)."""
    return BudgetVersion.objects.filter(project_id=demo.pk).order_by("pk").first()


def share(demo, code):
    return CoFinancingShare.objects.get(budget__participation=ventspils(demo), source__code=code)


def line(demo):
    return BudgetLine.objects.get(budget__participation=ventspils(demo))


def phase(demo):
    return demo.phases.get(number=2)


def milestone(demo):
    return demo.milestones.order_by("start").first()


def period(demo, number=2):
    return ReportingPeriod.objects.get(project_id=demo.pk, number=number)


def ventspils_line(demo, status):
    return ExpenditureLine.objects.filter(participation=ventspils(demo), status=status).first()


def claim(demo):
    return Claim.objects.get(participation=ventspils(demo))


def document(demo):
    """The invoice of Ventspils' certified line."""
    return SupportingDocument.objects.get(
        line__participation=ventspils(demo), line__status=Status.CERTIFIED
    )


def _rewrite(document, **values):
    """A document of a decided line changes only by a bulk write (its save refuses): one the
    trail records all the same (urbact_portal/lib/querysets.py)."""
    SupportingDocument.objects.filter(pk=document.pk).update(**values)


def attach(line, name="Rēķins 1.pdf", content=b"%PDF-1.7\n% invoice 1\n"):
    return SupportingDocument.objects.create(
        line=line, kind="invoice", file=SimpleUploadedFile(name, content)
    )


def state(demo):
    return StateCoFinancing.objects.get(participation=ventspils(demo))


def controller():
    return get_user_model().objects.get_or_create(username="controller", is_superuser=True)[0]


def new_city(name="Kuldīga"):
    return City.objects.create(name=name, country="LV", latitude=56.97, longitude=21.96)


# (model, field) → how to change it in the demo. Every covered field has one.
CHANGES = {
    (Programme, "name"): lambda d: _save(d.programme, name="URBACT IV"),
    (Programme, "fund"): lambda d: _save(
        d.programme, fund=f.source("esf", FundingSource.Kind.EU_FUND)
    ),
    (FundingSource, "code"): lambda d: _save(f.source("erdf"), code="erdf-2014"),
    (FundingSource, "name"): lambda d: _save(f.source("lv-state-budget"), name="Valsts budžets"),
    (FundingSource, "short_name"): lambda d: _save(f.source("erdf"), short_name="EU ERDF"),
    (FundingSource, "kind"): lambda d: _save(f.source("lv-state-budget"), kind="regional"),
    (Project, "slug"): lambda d: _save(d, slug="digiplace"),
    (Project, "name"): lambda d: _save(d, name="DigiPlace"),
    (Project, "acronym"): lambda d: _save(d, acronym="DP"),
    (Project, "network_type"): lambda d: _save(d, network_type="tn"),
    (BudgetVersion, "project"): None,  # a version stays with its project (BudgetVersion.clean)
    (BudgetVersion, "number"): lambda d: _save(version(d), number=9),
    (BudgetVersion, "kind"): lambda d: _save(version(d), kind="approved"),
    (BudgetVersion, "date"): lambda d: _save(version(d), date=dt.date(2020, 4, 2)),
    (BudgetVersion, "document_reference"): lambda d: _save(
        version(d), document_reference="Lēmums Nr. 5"
    ),
    (BudgetVersion, "document_title"): lambda d: _save(version(d), document_title="Pieteikums"),
    (BudgetVersion, "total"): lambda d: _save(version(d), total=f.eur("714990.01")),
    (Project, "programme"): lambda d: _save(
        d,
        programme=Programme.objects.create(
            name="Other",
            fund=f.erdf(),
            period_start=dt.date(2014, 1, 1),
            period_end=dt.date(2020, 12, 31),
        ),  # fmt: skip
    ),
    (Phase, "project"): lambda d: _save(phase(d), project=f.project("elsewhere")),
    (Phase, "number"): lambda d: _save(phase(d), number=7),
    (Phase, "network_name"): lambda d: _save(phase(d), network_name="DigiPlace II"),
    (Phase, "approved_on"): lambda d: _save(
        phase(d), approved_on=phase(d).start - dt.timedelta(days=9)
    ),
    (Phase, "start"): lambda d: _save(phase(d), start=phase(d).start + dt.timedelta(days=1)),
    (Phase, "planned_end"): lambda d: _save(
        phase(d), planned_end=phase(d).planned_end - dt.timedelta(days=1)
    ),
    (Phase, "actual_end"): lambda d: _save(
        phase(d), actual_end=phase(d).actual_end - dt.timedelta(days=1)
    ),
    (Milestone, "project"): lambda d: _save(milestone(d), project=f.project("elsewhere")),
    (Milestone, "phase"): lambda d: _save(milestone(d), phase=None),
    (Milestone, "title"): lambda d: _save(milestone(d), title="A milestone renamed"),
    (Milestone, "kind"): lambda d: _save(milestone(d), kind="deadline"),
    (Milestone, "start"): lambda d: _save(
        milestone(d), start=milestone(d).start - dt.timedelta(days=1)
    ),
    (Milestone, "end"): lambda d: _save(milestone(d), end=milestone(d).start),
    (Milestone, "place"): lambda d: _save(milestone(d), place="Kuldīga"),
    (City, "name"): lambda d: _save(ventspils(d).organisation.city, name="Ventspils pilsēta"),
    (City, "country"): lambda d: _save(ventspils(d).organisation.city, country="EE"),
    (Organisation, "slug"): lambda d: _save(ventspils(d).organisation, slug="vdc"),
    (Organisation, "name"): lambda d: _save(ventspils(d).organisation, name="VDC"),
    (Organisation, "local_name"): lambda d: _save(ventspils(d).organisation, local_name="VDC"),
    (Organisation, "city"): lambda d: _save(ventspils(d).organisation, city=new_city()),
    (Participation, "project"): None,  # moving a partner away: its report no longer exists
    (Participation, "organisation"): None,  # idem: a partner's report is of its organisation
    (Participation, "role"): lambda d: (
        Participation.objects.filter(project=d, role="lead").update(role="partner"),
        _save(ventspils(d), role="lead"),
    ),
    (Budget, "participation"): None,  # a budget cannot move (funding/receivers.py)
    (Budget, "budget_version"): None,  # nor leave its version (one per partner and version)
    (Budget, "total"): lambda d: _save(budget(d), total=f.eur("51280.01")),
    (Budget, "office_flat_rate"): lambda d: _save(budget(d), office_flat_rate=Decimal("14")),
    (BudgetLine, "budget"): None,  # idem
    (BudgetLine, "category"): lambda d: _save(line(d), category=CostCategory.TRAVEL),
    (BudgetLine, "amount"): lambda d: _save(line(d), amount=Money("30000.01", "EUR")),
    (CoFinancingShare, "budget"): None,  # idem
    (CoFinancingShare, "source"): lambda d: _save(
        share(d, "ventspils-municipality"), source=f.source("kurzeme")
    ),
    (CoFinancingShare, "rate"): lambda d: _save(share(d, "lv-state-budget"), rate=Decimal("6")),
    (Programme, "flexibility_rate"): lambda d: _save(d.programme, flexibility_rate=Decimal("15")),
    (ReportingPeriod, "project"): None,  # a period with lines stays in its project (PROTECT)
    (ReportingPeriod, "number"): lambda d: _save(period(d), number=9),
    (ReportingPeriod, "start"): lambda d: _save(
        period(d), start=period(d).start + dt.timedelta(days=1)
    ),
    (ReportingPeriod, "end"): lambda d: _save(period(d), end=period(d).end - dt.timedelta(days=1)),
    (ReportingPeriod, "report_due"): lambda d: _save(
        period(d), report_due=period(d).end + dt.timedelta(days=30)
    ),
    # A submitted, certified or rejected line never changes (expenditure/models.py LineFrozen)
    # and a draft is in no report: what changes a report is a status step (its `status`,
    # below, and the steps in STATUS_STEPS), each showing the line's fields as stored.
    **{
        (ExpenditureLine, name): None
        for name in (
            "participation",
            "period",
            "paid_on",
            "category",
            "description",
            "supplier",
            "document_reference",
            "amount",
            "rate",
            "rate_month",
            "amount_eur",
            "decided_at",
            "rejection_reason",
            "corrects",
            "is_sample",
        )
    },  # fmt: skip
    (ExpenditureLine, "status"): lambda d: services.certify(
        ventspils_line(d, Status.SUBMITTED), controller()
    ),
    (Claim, "participation"): None,  # a claim stays with its partner
    (Claim, "period"): lambda d: _save(claim(d), period=period(d, 3)),
    (Claim, "reference"): lambda d: _save(claim(d), reference="C-2020-2"),
    (Claim, "claimed_on"): lambda d: _save(claim(d), claimed_on=dt.date(2020, 11, 19)),
    (Claim, "claimed"): lambda d: _save(claim(d), claimed=f.eur("800.01")),
    (Claim, "received_on"): lambda d: _save(claim(d), received_on=dt.date(2021, 2, 2)),
    (Claim, "received"): lambda d: _save(claim(d), received=f.eur("700.01")),
    (SupportingDocument, "line"): None,  # a decided line's documents stay with it
    (SupportingDocument, "kind"): lambda d: _rewrite(document(d), kind="payment"),
    (SupportingDocument, "original_name"): lambda d: _rewrite(
        document(d), original_name="Rēķins 2.pdf"
    ),
    (SupportingDocument, "size"): lambda d: _rewrite(document(d), size=document(d).size + 1),
    (SupportingDocument, "sha256"): lambda d: _rewrite(document(d), sha256="0" * 64),
    (StateCoFinancing, "participation"): None,  # the own organisation's only
    (StateCoFinancing, "applied_on"): lambda d: _save(state(d), applied_on=dt.date(2020, 7, 2)),
    (StateCoFinancing, "applied"): lambda d: _save(state(d), applied=f.eur("2564.08")),
    (StateCoFinancing, "advance_rate"): lambda d: _save(state(d), advance_rate=Decimal("85")),
    (StateCoFinancing, "advance_received_on"): lambda d: _save(
        state(d), advance_received_on=dt.date(2020, 9, 2)
    ),
    (StateCoFinancing, "advance_received"): lambda d: _save(
        state(d), advance_received=f.eur("2307.65")
    ),
    (StateCoFinancing, "final_received_on"): lambda d: _save(
        state(d), final_received_on=dt.date(2022, 3, 2)
    ),
    (StateCoFinancing, "final_received"): lambda d: _save(state(d), final_received=f.eur("256.40")),
}

# Status steps that bring a line into the reports, or change how they show it.
STATUS_STEPS = {
    "a draft submitted": lambda d: services.submit([ventspils_line(d, Status.DRAFT)], None),
    "a waiting line rejected": lambda d: services.reject(
        ventspils_line(d, Status.SUBMITTED), controller(), "Not eligible"
    ),
    # The certified line then no longer counts (ExpenditureLineQuerySet.counted()).
    "a certified line's correction certified": lambda d: _certified_correction(d),
}


def _certified_correction(demo):
    fixed = services.correct(
        ventspils_line(demo, Status.CERTIFIED), controller(), amount=f.eur("900.00")
    )
    services.submit([fixed], None)
    services.certify(fixed, controller())


# What no report shows, or not this kind of report.
NOT_SHOWN = {
    "project description": lambda d: _save(d, description="Changed."),
    "project website": lambda d: _save(d, website="https://example.org/"),
    "programme website": lambda d: _save(d.programme, website="https://example.org/"),
    "phase name": lambda d: _save(phase(d), name="Implementation"),
    "city position": lambda d: _save(ventspils(d).organisation.city, latitude=Decimal("57")),
    "organisation website": lambda d: _save(ventspils(d).organisation, website="https://x.lv/"),
    "joined on": lambda d: _save(ventspils(d), joined_on=dt.date(2020, 5, 7)),
    "source order": lambda d: _save(f.source("lv-state-budget"), position=99),
    "initiative": lambda d: Initiative.objects.create(
        organisation=ventspils(d).organisation, title="Hackathon", description="x"
    ),
    "another project's budget": lambda d: f.with_budget(
        f.participation(f.project("elsewhere"), "elsewhere-p"), "1000.00"
    ),
    "an unused source": lambda d: f.source("unused"),
    "who entered the version": lambda d: _save(
        version(d), entered_by=get_user_model().objects.create_user("someone")
    ),
    "a draft line's description": lambda d: _save(
        ventspils_line(d, Status.DRAFT), description="Staff costs, October"
    ),
    "a new draft line": lambda d: f.expenditure_line(ventspils(d), period(d), "12.34"),
    "a draft line deleted": lambda d: ventspils_line(d, Status.DRAFT).delete(),
    "a correction made (a draft)": lambda d: services.correct(
        ventspils_line(d, Status.CERTIFIED), controller(), amount=f.eur("900.00")
    ),
    "a document attached to a draft line": lambda d: attach(ventspils_line(d, Status.DRAFT)),
    "a draft line's document changed": lambda d: _save(
        SupportingDocument.objects.get(line=ventspils_line(d, Status.DRAFT)), kind="timesheet"
    ),
    "a document's content type": lambda d: _rewrite(document(d), content_type="text/plain"),
    "another project's period": lambda d: f.reporting_period(
        f.project("elsewhere"), 1, dt.date(2020, 1, 1), dt.date(2020, 6, 30)
    ),
    "a newer version, and its budgets": lambda d: _save(
        Budget.objects.get(participation=ventspils(d), budget_version=f.new_version(d)),
        total=f.eur("40000.00"),
    ),
}
NOT_IN_PROJECT_REPORT = {
    "local name": CHANGES[(Organisation, "local_name")],
    "a period's dates": CHANGES[(ReportingPeriod, "end")],
    "a claim's date": CHANGES[(Claim, "claimed_on")],
    "a claim's period": CHANGES[(Claim, "period")],
    "a claim's reference": CHANGES[(Claim, "reference")],
    "office flat rate": CHANGES[(Budget, "office_flat_rate")],
    "milestone place": CHANGES[(Milestone, "place")],
    "a certified line's document": CHANGES[(SupportingDocument, "sha256")],
}
NOT_IN_PARTNER_REPORT = {
    "another partner's budget": lambda d: f.with_budget(
        Participation.objects.get(project=d, organisation__slug="oulu"), "1000.00"
    ),
    "another partner's name": lambda d: Organisation.objects.filter(slug="oulu").update(
        name="Oulun kaupunki"
    ),
    "another partner's city": lambda d: _save(City.objects.get(name="Oulu"), name="Uleåborg"),
    "another partner's role": lambda d: Participation.objects.filter(project=d, role="lead").update(
        role="partner"
    ),
    "another partner's line certified": lambda d: services.certify(
        ExpenditureLine.objects.get(participation__organisation__slug="oulu"), controller()
    ),
}


@pytest.fixture
def costed_demo(demo, private_files):
    """The demo with Ventspils' budget by cost category, so that its lines are shown."""
    BudgetLine.objects.create(
        budget=budget(demo), category=CostCategory.STAFF, amount=f.eur("30000.00")
    )
    _spending(demo)
    return demo


def _spending(demo):
    """Ventspils' expenditure (certified, waiting, rejected, draft) and a claim; a line of
    Oulu's waiting for the controller."""
    from demo.expenditure import load_reporting_periods

    periods = load_reporting_periods(demo)
    made = [
        f.expenditure_line(ventspils(demo), periods[1], amount)
        for amount in ("1000.01", "200.00", "999.99")
    ]
    oulu = f.expenditure_line(
        Participation.objects.get(project=demo, organisation__slug="oulu"), periods[1], "50.00"
    )
    attach(made[0])  # uploaded while the line is a draft
    services.submit([*made, oulu], None)
    services.certify(made[0], controller())
    services.reject(made[2], controller(), "Not eligible")
    attach(f.expenditure_line(ventspils(demo), periods[2], "77.77"), "Draft.pdf")  # a draft
    Claim.objects.create(
        participation=ventspils(demo),
        period=periods[1],
        claimed_on=dt.date(2020, 11, 20),
        claimed=f.eur("800.00"),
        received_on=dt.date(2021, 2, 1),
        received=f.eur("700.00"),
    )
    StateCoFinancing.objects.create(
        participation=ventspils(demo),
        applied_on=dt.date(2020, 7, 1),
        applied=f.eur("2564.07"),
        advance_received_on=dt.date(2020, 9, 1),
        advance_received=f.eur("2307.66"),
        final_received_on=dt.date(2022, 3, 1),
        final_received=f.eur("256.41"),
    )


def _state(demo, partner):
    return funding_report(
        project=Project.objects.get(pk=demo.pk), partner_slug=partner, version=version(demo)
    )


def _check(demo, partner, change, *, shown: bool):
    before = _state(demo, partner)
    participation = ventspils(demo) if partner else None
    report_register(
        project=demo, participation=participation, language="lv",
        fingerprint=before.fingerprint, changes_since_previous=None,
    )  # fmt: skip
    previous = previous_report(project=demo, participation=participation)
    change(Project.objects.get(pk=demo.pk))
    if participation:  # looked up again: the change may be of its slug
        partner = Participation.objects.get(pk=participation.pk).organisation.slug
    after = _state(demo, partner)
    count = changes_since(after.changes, previous)
    if shown:
        assert after.fingerprint != before.fingerprint
        assert after.data_as_of > before.data_as_of
        assert count >= 1
    else:
        assert after.canonical_json == before.canonical_json
        assert after.data_as_of == before.data_as_of
        assert count == 0


def _covered(kind):
    return [
        (model, name)
        for model, covered in COVERAGE.items()
        for name in sorted(covered.fields(kind))
    ]


def test_every_covered_field_has_a_change_to_try():
    assert set(_covered(PROJECT_REPORT)) | set(_covered(PARTNER_REPORT)) == set(CHANGES)


@pytest.mark.parametrize(
    "model,field",
    [k for k in _covered(PROJECT_REPORT) if CHANGES[k]],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_a_shown_field_changes_the_project_report(costed_demo, model, field):
    _check(costed_demo, None, CHANGES[(model, field)], shown=True)


@pytest.mark.parametrize(
    "model,field",
    [k for k in _covered(PARTNER_REPORT) if CHANGES[k]],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_a_shown_field_changes_the_partner_report(costed_demo, model, field):
    _check(costed_demo, "ventspils", CHANGES[(model, field)], shown=True)


@pytest.mark.parametrize("name", sorted(STATUS_STEPS))
@pytest.mark.parametrize("partner", [None, "ventspils"])
def test_a_status_step_changes_both_reports(costed_demo, name, partner):
    _check(costed_demo, partner, STATUS_STEPS[name], shown=True)


@pytest.mark.parametrize("name", sorted(NOT_SHOWN | NOT_IN_PROJECT_REPORT))
def test_what_the_project_report_does_not_show_changes_nothing(costed_demo, name):
    _check(costed_demo, None, (NOT_SHOWN | NOT_IN_PROJECT_REPORT)[name], shown=False)


@pytest.mark.parametrize("name", sorted(NOT_SHOWN | NOT_IN_PARTNER_REPORT))
def test_what_a_partner_report_does_not_show_changes_nothing(costed_demo, name):
    _check(costed_demo, "ventspils", (NOT_SHOWN | NOT_IN_PARTNER_REPORT)[name], shown=False)


def test_the_state_co_financing_is_in_no_other_partner_s_report(costed_demo):
    """Another partner's report neither shows the own organisation's state co-financing nor
    counts its changes."""
    before = funding_report(project=costed_demo, partner_slug="oulu")
    assert before.figures["expenditure"]["state"] is None
    CHANGES[(StateCoFinancing, "applied")](costed_demo)
    after = funding_report(project=costed_demo, partner_slug="oulu")
    assert after.canonical_json == before.canonical_json
    assert after.data_as_of == before.data_as_of
