"""Shared fixtures: the demo network and the people who use the portal."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from projects.demo import load_demo_network
from projects.models import Project


@pytest.fixture
def demo(db) -> Project:
    """The demo network of ../shared/DOMAIN.md, as `manage.py seed_demo` loads it."""
    return load_demo_network()


@pytest.fixture
def council_member(db):
    """Alice, a member of the council staff: reads pages and reports."""
    return get_user_model().objects.create_user("alice", password="pw-alice-1234")


@pytest.fixture
def council_client(client, council_member):
    client.force_login(council_member)
    return client


# --- Funding reports (tests/test_reports_*.py) ---------------------------------------------


def _user_with_report_permission(username: str):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user(
        username, password=f"pw-{username}-1234", first_name="Dace", last_name="Ozoliņa"
    )
    user.user_permissions.add(Permission.objects.get(codename="view_funding_report"))
    return user


@pytest.fixture
def auditor(db):
    """Dace Ozoliņa, an auditor: may download the funding reports."""
    return _user_with_report_permission("dace")


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client


@pytest.fixture
def outsider_client(client, db):
    """Charlie, signed in but without the permission to download reports."""
    client.force_login(get_user_model().objects.create_user("charlie", password="pw-c-1234"))
    return client


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
