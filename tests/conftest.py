"""Shared fixtures: the demo network and the people who use the portal."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from demo.network import load_demo_network
from partners.models import Organisation
from projects.models import Project
from projects.roles import AUDITORS, COORDINATORS, COUNCIL_STAFF, PROJECT_MANAGERS
from tests.roles import restore_roles


@pytest.fixture(autouse=True)
def _fresh_process_state():
    """Each test starts as a fresh process would: in the default language (a request in an
    earlier test may have left English active) and with Django's content-type cache empty,
    so that query counts do not depend on which tests ran before."""
    translation.activate(settings.LANGUAGE_CODE)
    ContentType.objects.clear_cache()


@pytest.fixture
def english():
    """For tests that read messages in English (the default language is Latvian)."""
    with translation.override("en"):
        yield


@pytest.fixture
def demo(db) -> Project:
    """The demo network of ../shared/DOMAIN.md, as `manage.py seed_demo` loads it."""
    return load_demo_network()


def make_user(username: str, *roles: str, staff: bool = False, organisations=()):
    if Group.objects.filter(name__in=roles).count() < len(roles):
        # Tests on a live server empty the database between tests, data migrations included.
        restore_roles()
    user = get_user_model().objects.create_user(
        username, password=f"pw-{username}-1234", is_staff=staff
    )
    user.groups.set(Group.objects.filter(name__in=roles))
    for slug in organisations:
        Organisation.objects.get(slug=slug).coordinators.add(user)
    return user


# The people who use the portal (tests/test_roles_pages.py tries each against each page).
@pytest.fixture
def council_member(db):
    """Alice, a member of the council staff: reads pages and reports."""
    return make_user("alice", COUNCIL_STAFF)


@pytest.fixture
def ventspils_coordinator(demo):
    """Valdis keeps the Ventspils Digital Centre's data up to date."""
    return make_user("valdis", COORDINATORS, staff=True, organisations=["ventspils"])


@pytest.fixture
def oulu_coordinator(demo):
    """Olli keeps the City of Oulu's data up to date."""
    return make_user("olli", COORDINATORS, staff=True, organisations=["oulu"])


@pytest.fixture
def auditor(db):
    """Aiga audits: reads everything, the audit trail too, and changes nothing."""
    return make_user("aiga", AUDITORS, staff=True)


@pytest.fixture
def project_manager(db):
    """Pēteris edits project-wide data: the project, its phases and milestones."""
    return make_user("peteris", PROJECT_MANAGERS, staff=True)


@pytest.fixture
def outsider(db):
    """Oscar has an account but no role."""
    return make_user("oscar")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", password="pw-root-1234")


@pytest.fixture
def client_for(client):
    """client_for(user) → the test client signed in as that user (None: anonymous)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def council_client(client_for, council_member):
    return client_for(council_member)


# --- Pages ------------------------------------------------------------------------------------


@pytest.fixture
def public_pages(settings):
    """PORTAL_PUBLIC_PAGES=1: the read-only pages open to everyone, for transparency."""
    settings.PORTAL_PUBLIC_PAGES = True
    return settings


@pytest.fixture
def big_project(db):
    """A project of 50 partners, each with a budget and a two-source plan, two phases and a
    dozen milestones: the pages must make as many queries for it as for the demo."""
    import datetime as dt

    from projects.models import Milestone, Phase
    from tests import factories

    project = factories.project("big", approved="750000.00", partners=50)
    for part in project.participations.all():
        factories.with_budget(part, "12345.67", erdf_rate="70", own_rate="30")
    Phase.objects.create(
        project=project, number=2, start=dt.date(2021, 4, 2), planned_end=dt.date(2023, 4, 1)
    )
    for i in range(12):
        Milestone.objects.create(
            project=project,
            title=f"Meeting {i}",
            kind=Milestone.Kind.MEETING,
            start=dt.date(2020, 1, 15) + dt.timedelta(days=60 * i),
        )
    return project


# --- Funding reports (tests/test_reports_*.py) ---------------------------------------------


@pytest.fixture
def auditor_client(client_for, auditor):
    return client_for(auditor)


@pytest.fixture
def outsider_client(client_for, outsider):
    return client_for(outsider)


@pytest.fixture
def costed_project(db) -> Project:
    """A small project with cost categories, a 70 % partner, one without a plan and one
    without a budget: every case a report must show."""
    from decimal import Decimal as D

    from djmoney.money import Money

    from funding.models import CostCategory
    from funding.services import budget_set
    from tests import factories as f

    proj = f.project("costed", approved="300000.00")
    lead = f.participation(proj, "costed-lead", lead=True, country="RO")
    lead.organisation.name = "Municipiul Botoșani – Δήμος Τρικκαίων"
    lead.organisation.save()
    budget_set(
        participation=lead,
        total=f.eur("100000.00"),
        plan=[
            (f.erdf(), D("85")),
            (f.source("ro-state", "national", 20), D("13")),
            (f.source("bt"), D("2")),
        ],
        lines=[
            (CostCategory.STAFF, Money("60000.00", "EUR")),
            (CostCategory.OFFICE, Money("9000.00", "EUR")),
            (CostCategory.TRAVEL, Money("20000.00", "EUR")),
            (CostCategory.EXPERTISE, Money("11000.00", "EUR")),
        ],
    )
    seventy = f.participation(proj, "costed-seventy", country="FR")
    budget_set(
        participation=seventy,
        total=f.eur("33333.33"),
        plan=[(f.erdf(), D("70")), (f.source("bt"), D("30"))],
    )
    unplanned = f.participation(proj, "costed-unplanned", country="FI")
    budget_set(participation=unplanned, total=f.eur("12345.67"), plan=[])
    f.participation(proj, "costed-none", country="GR")
    return proj


# --- Expenditure (tests/test_expenditure_*.py) -------------------------------------------------


@pytest.fixture
def periods(demo):
    """The demo project's reporting periods, as `seed_demo` enters them."""
    from demo.expenditure import load_reporting_periods

    return load_reporting_periods(demo)


@pytest.fixture
def ventspils_controller(demo):
    """Kārlis checks and certifies the Ventspils Digital Centre's expenditure."""
    from projects.roles import CONTROLLERS

    user = make_user("karlis", CONTROLLERS, staff=True)
    Organisation.objects.get(slug="ventspils").controllers.add(user)
    return user


@pytest.fixture
def oulu_controller(demo):
    """Outi checks the City of Oulu's expenditure, and no one else's."""
    from projects.roles import CONTROLLERS

    user = make_user("outi", CONTROLLERS, staff=True)
    Organisation.objects.get(slug="oulu").controllers.add(user)
    return user


@pytest.fixture
def private_files(monkeypatch, tmp_path):
    """Supporting documents go to a temporary folder. (A FileField resolves its storage
    callable once, when the model is built: the field's storage itself is replaced.)"""
    from expenditure.models import SupportingDocument
    from urbact_portal.lib.storage import PrivateFileSystemStorage

    storage = PrivateFileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(SupportingDocument._meta.get_field("file"), "storage", storage)
    return tmp_path / "private"
