"""`manage.py seed_demo` loads exactly the network of ../shared/DOMAIN.md, and only it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from funding.models import Budget, BudgetVersion
from funding.selectors import project_funding
from partners.models import Initiative, Organisation, Participation
from projects.models import Milestone, Phase, Project

# The names below are the English ones (the Latvian: tests/test_content_languages.py).
pytestmark = pytest.mark.usefixtures("english")

D = dt.date


def test_it_loads_the_project_with_its_planned_total_in_the_planned_version(demo):
    project = Project.objects.select_related("programme__fund").get(slug="di4c")
    (version,) = BudgetVersion.objects.filter(project=project)
    assert version.total.amount == Decimal("714990.00")
    assert str(version.total.currency) == "EUR"
    # Planned in the phase 2 application, on which the council decided: never "approved".
    assert (version.number, version.kind, version.date) == (1, "planned", D(2020, 4, 3))
    assert version.document_reference_en == "Ventspils City Council decision of 3 April 2020"
    assert version.document_title_en == "Planned funding in the phase 2 application"
    assert version.document_reference_lv == "Ventspils pilsētas domes 2020. gada 3. aprīļa lēmums"
    assert version.get_kind_display() == "planned"
    assert (
        Budget.objects.get(participation__organisation__slug="ventspils").budget_version == version
    )
    assert project.programme.name == "URBACT III"
    assert project.programme.fund.short_name == "ERDF"
    assert project.network_type == Project.NetworkType.ACTION_PLANNING


def test_it_loads_the_eight_partners_with_messina_as_lead(demo):
    rows = {
        p.organisation.slug: (p.role, p.organisation.city.name, p.organisation.city.country.code)
        for p in Participation.objects.filter(project=demo).select_related("organisation__city")
    }
    assert rows == {
        "messina": ("lead", "Messina", "IT"),
        "ventspils": ("partner", "Ventspils", "LV"),
        "saint-quentin": ("partner", "Saint-Quentin", "FR"),
        "roquetas-de-mar": ("partner", "Roquetas de Mar", "ES"),
        "portalegre": ("partner", "Portalegre", "PT"),
        "botosani": ("partner", "Botoșani", "RO"),
        "trikala": ("partner", "Trikala", "GR"),
        "oulu": ("partner", "Oulu", "FI"),
    }
    trikala = Organisation.objects.get(slug="trikala")
    assert trikala.city.eu_country_code == "EL"
    assert (trikala.city.latitude, trikala.city.longitude) == (Decimal("39.555"), Decimal("21.768"))


def test_phase_two_was_planned_for_24_months_and_ran_27(demo):
    phases = list(Phase.objects.filter(project=demo).values_list(
        "number", "start", "planned_end", "actual_end", "network_name"
    ))  # fmt: skip
    assert phases == [
        (1, D(2019, 9, 2), D(2020, 3, 2), D(2020, 3, 2), "Digital Innovation 4 Cities (DI4C)"),
        (2, D(2020, 5, 7), D(2022, 5, 7), D(2022, 8, 7), "DigiPlace"),
    ]
    assert Phase.objects.get(project=demo, number=2).was_extended


def test_it_loads_the_milestones_with_their_dates(demo):
    milestones = list(
        Milestone.objects.filter(project=demo).values_list("start", "end", "place", "kind")
    )
    assert milestones == [
        (D(2019, 10, 16), D(2019, 10, 17), "Messina", "meeting"),
        (D(2019, 12, 3), D(2019, 12, 4), "Ventspils", "meeting"),
        (D(2020, 2, 11), D(2020, 2, 12), "Saint-Quentin", "meeting"),
        (D(2020, 4, 3), None, "Ventspils", "decision"),
        (D(2020, 5, 7), None, "", "decision"),
        (D(2020, 6, 16), D(2020, 6, 17), "Online", "meeting"),
        (D(2022, 7, 6), D(2022, 7, 8), "Messina", "meeting"),
    ]


def test_it_loads_the_three_initiatives_the_article_names(demo):
    assert sorted(Initiative.objects.values_list("organisation__slug", flat=True)) == [
        "botosani",
        "oulu",
        "trikala",
    ]


def test_only_ventspils_budget_is_entered_and_it_splits_85_5_10(demo):
    funding = project_funding(demo)
    assert Budget.objects.count() == 1
    assert funding.own.organisation.slug == "ventspils"
    assert funding.own.total.amount == Decimal("51280.00")
    assert [(p.source.code, p.rate, p.amount.amount) for p in funding.own.parts] == [
        ("erdf", Decimal("85.00"), Decimal("43588.00")),
        ("lv-state-budget", Decimal("5.00"), Decimal("2564.00")),
        ("ventspils-municipality", Decimal("10.00"), Decimal("5128.00")),
    ]
    assert len(funding.partners_without_budget) == 7
    assert funding.allocated.amount == Decimal("51280.00")
    assert funding.unallocated.amount == Decimal("663710.00")


@pytest.mark.django_db
def test_running_it_twice_changes_nothing_not_even_the_audit_trail():
    call_command("seed_demo")

    def snapshot():
        return {
            model._meta.label: model.objects.count()
            for model in apps.get_models()
            if model.__name__.startswith("Historical")
        }

    before = snapshot()
    call_command("seed_demo")
    assert snapshot() == before
    assert Budget.objects.get().version == 1


@pytest.mark.django_db
def test_a_failure_exits_non_zero_with_one_readable_line(monkeypatch, english):
    from demo import network as demo

    monkeypatch.setattr(demo, "VENTSPILS_BUDGET", demo.VENTSPILS_BUDGET * 20)
    with pytest.raises(CommandError) as failure:
        call_command("seed_demo")
    message = str(failure.value)
    assert "\n" not in message
    assert message.startswith("seed_demo failed, nothing was changed:")
    assert "may not exceed the project's approved total" in message
    assert not Project.objects.exists()


def test_demo_accounts_are_printed_with_passwords_that_work(demo, settings):
    from io import StringIO

    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    settings.DEBUG = True  # a development machine (pytest-django turns DEBUG off)
    out = StringIO()
    call_command("create_demo_accounts", stdout=out)
    rows = [line.split() for line in out.getvalue().splitlines()[1:]]
    assert [row[0] for row in rows] == [
        *("admin", "council", "coordinator", "auditor", "manager", "controller")
    ]
    for username, password, *_ in rows:
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password=password) is not None
    coordinator = authenticate(
        RequestFactory().post("/"), username="coordinator", password=rows[2][1]
    )
    assert list(coordinator.coordinated_organisations.values_list("slug", flat=True)) == [
        "ventspils"
    ]


def test_demo_accounts_are_refused_when_debug_is_off(demo, settings, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", password="the-real-one-9431")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="runs only with DEBUG=1"):
        call_command("create_demo_accounts")
    admin.refresh_from_db()
    assert admin.check_password("the-real-one-9431")
    assert list(django_user_model.objects.values_list("username", flat=True)) == ["admin"]


def test_demo_accounts_in_production_stop_with_one_line_and_a_failure_code():
    import os
    import subprocess
    import sys
    from pathlib import Path

    environment = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "urbact_portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-3f9c1d77b2e4a6c8e0",
        "ALLOWED_HOSTS": "portal.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "create_demo_accounts"],
        cwd=Path(__file__).resolve().parent.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "CommandError: create_demo_accounts resets the admin password: it runs only with DEBUG=1."
    ]
    assert "admin" not in result.stdout
