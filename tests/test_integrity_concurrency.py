"""Budgets never add up to more than the approved total, however many people save at once
(issue 8, item 4).

The concurrent tests run real parallel transactions: one thread per writer, each with its own
database connection, all released at once. A writer that has passed its checks is then held
just before it stores its row until every writer got that far (or a few seconds passed): without
a lock, all of them pass their check against the same old figures; with the lock, the others
wait for the first to commit and check against its figures. SQLite serialises writers by
itself (one write transaction at a time), so these tests need PostgreSQL; CI runs them there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import contextmanager, suppress
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse
from django.utils import translation
from djmoney.money import Money

from funding.models import Budget, BudgetVersion
from funding.services import budget_set
from partners.models import Participation
from projects.models import Project
from tests import factories
from tests.html_forms import form_fields
from tests.test_admin_budget_forms import form_data

OVER_THE_TOTAL = "may not exceed the project's approved total"
BELOW_ALLOCATED = "the approved total cannot be less"
RAISERS = ["oulu", "trikala", "botosani", "portalegre"]

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one write transaction at a time: parallel writers need PostgreSQL",
)


def allocated(project: Project) -> Decimal:
    return Budget.objects.allocated_in(factories.current_version(project)).amount


def approved(project: Project) -> Decimal:
    return factories.current_version(project).total.amount


def in_parallel(*jobs: Callable[[], object]) -> list:
    """Run each job in a thread of its own (its own database connection), all released at
    once; return what each returned or raised."""
    start = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i: int, job: Callable[[], object]) -> None:
        try:
            start.wait(timeout=30)
            results[i] = job()
        except BaseException as error:  # reported to the test, not lost in the thread
            results[i] = error
        finally:
            connection.close()  # this thread's connection

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a writer hung (deadlock?)"
    return results


@contextmanager
def held_before_saving(*models, writers: int, seconds: float = 3.0):
    """Each writer that has passed its checks waits before saving until `writers` got there
    or `seconds` passed; a writer arriving after that does not wait."""
    gate = threading.Barrier(writers)

    def hold(sender, **kwargs):
        with suppress(threading.BrokenBarrierError):
            gate.wait(timeout=seconds)

    for model in models:
        pre_save.connect(hold, sender=model, weak=False)
    try:
        yield
    finally:
        for model in models:
            pre_save.disconnect(hold, sender=model)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def admin_url(name: str, pk: int) -> str:
    with translation.override("en"):
        return reverse(f"admin:{name}", args=[pk])


def page(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


@pytest.fixture
def four_budgets(demo) -> list[Budget]:
    """Four more partners with €100,000 each: €451,280 allocated of €714,990, so €263,710 is
    left, enough for one of the four raises of €150,000 below, not for two."""
    return [
        factories.with_budget(Participation.objects.get(organisation__slug=slug), "100000.00")
        for slug in RAISERS
    ]


def raise_in_the_admin(client: Client, budget: Budget, total: str) -> Callable:
    data = form_data(budget, total=total)
    url = admin_url("funding_budget_change", budget.pk)
    return lambda: client.post(url, data)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_four_coordinators_raising_four_budgets_at_once_cannot_exceed_the_approved_total(
    demo, four_budgets, superuser
):
    jobs = [raise_in_the_admin(signed_in(superuser), b, "250000.00") for b in four_budgets]
    with held_before_saving(Budget, writers=len(jobs)):
        responses = in_parallel(*jobs)

    assert all(not isinstance(r, BaseException) for r in responses), responses
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 302]
    for refused in (r for r in responses if r.status_code == 200):
        assert OVER_THE_TOTAL in page(refused)
    assert allocated(demo) == Decimal("601280.00") <= approved(demo)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_four_budgets_raised_at_once_through_the_service_cannot_exceed_the_approved_total(
    demo, four_budgets
):
    erdf = factories.erdf()

    def raise_budget(budget: Budget) -> Callable:
        plan = [(erdf, Decimal("85")), (budget.shares.get(rate=15).source, Decimal("15"))]

        def job():
            with translation.override("en"):
                return budget_set(
                    participation=budget.participation,
                    total=Money("250000.00", "EUR"),
                    plan=plan,
                )

        return job

    with held_before_saving(Budget, writers=4):
        results = in_parallel(*(raise_budget(b) for b in four_budgets))

    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 3, results
    assert all(OVER_THE_TOTAL in " ".join(e.messages) for e in refused)
    assert allocated(demo) == Decimal("601280.00") <= approved(demo)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_manager_lowering_the_approved_total_while_a_budget_is_raised(
    demo, four_budgets, superuser, project_manager
):
    manager = signed_in(project_manager)
    version_url = admin_url("funding_budgetversion_change", factories.current_version(demo).pk)
    version_data = form_fields(manager.get(version_url).content.decode(), "budgetversion_form")
    version_data["total_0"] = "500000.00"  # alone: fine, €451,280 is allocated
    lower = lambda: manager.post(version_url, version_data)  # noqa: E731
    raise_oulu = raise_in_the_admin(signed_in(superuser), four_budgets[0], "250000.00")

    with held_before_saving(Budget, BudgetVersion, writers=2):
        lowered, raised = in_parallel(lower, raise_oulu)

    assert sorted([lowered.status_code, raised.status_code]) == [200, 302]
    refused = lowered if lowered.status_code == 200 else raised
    assert BELOW_ALLOCATED in page(refused) or OVER_THE_TOTAL in page(refused)
    assert allocated(demo) <= approved(demo)
    # Nothing is stuck afterwards: a budget that does not grow saves.
    ventspils = Budget.objects.get(participation__organisation__slug="ventspils")
    response = raise_in_the_admin(signed_in(superuser), ventspils, "51280.00")()
    assert response.status_code == 302


# --- Data already over the total (saved before this guard) does not block everything ------


@pytest.fixture
def over_allocated(demo, four_budgets) -> Project:
    """€451,280 allocated, but only €350,000 approved: written around every check."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE funding_budgetversion SET total = %s WHERE project_id = %s",
            [Decimal("350000.00"), demo.pk],
        )
    return demo


@pytest.mark.django_db
def test_in_an_over_allocated_project_a_budget_that_does_not_grow_can_be_saved(
    admin_client, over_allocated
):
    ventspils = Budget.objects.get(participation__organisation__slug="ventspils")
    for total in ["51280.00", "50000.00"]:
        budget = Budget.objects.get(pk=ventspils.pk)
        response = raise_in_the_admin(admin_client, budget, total)()
        assert response.status_code == 302, page(response)
    assert Budget.objects.get(pk=ventspils.pk).total.amount == Decimal("50000.00")


@pytest.mark.django_db
def test_in_an_over_allocated_project_a_budget_may_not_grow(admin_client, over_allocated):
    ventspils = Budget.objects.get(participation__organisation__slug="ventspils")
    response = raise_in_the_admin(admin_client, ventspils, "51280.01")()
    assert response.status_code == 200
    assert "already exceed the project's approved total" in page(response)


@pytest.mark.django_db
def test_an_over_allocated_versions_form_saves_unless_the_total_is_lowered(
    client_for, project_manager, over_allocated
):
    manager = client_for(project_manager)
    url = admin_url("funding_budgetversion_change", factories.current_version(over_allocated).pk)
    data = form_fields(manager.get(url).content.decode(), "budgetversion_form")
    data["document_title_en"] = "Planned funding in the application"
    assert manager.post(url, data).status_code == 302
    data["total_0"] = "349999.99"
    response = manager.post(url, data)
    assert response.status_code == 200 and BELOW_ALLOCATED in page(response)
    assert approved(over_allocated) == Decimal("350000.00")


# --- Bulk writes ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_a_bulk_update_cannot_raise_budgets_above_the_approved_total(four_budgets, demo):
    with pytest.raises(ValidationError, match="approved total"):
        Budget.objects.filter(pk__in=[b.pk for b in four_budgets]).update(total=F("total") * 2)
    assert allocated(demo) == Decimal("451280.00")
    Budget.objects.filter(pk=four_budgets[0].pk).update(total=Decimal("250000.00"))
    assert allocated(demo) == Decimal("601280.00")


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_a_bulk_update_cannot_lower_an_approved_total_below_the_budgets(four_budgets, demo):
    versions = BudgetVersion.objects.filter(project=demo)
    with pytest.raises(ValidationError, match="approved total"):
        versions.update(total=Decimal("451279.99"))
    assert approved(demo) == Decimal("714990.00")
    versions.update(total=Decimal("451280.00"))
    assert approved(demo) == Decimal("451280.00")


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_budgets_created_in_bulk_cannot_exceed_the_approved_total(demo):
    messina = Participation.objects.get(organisation__slug="messina")
    with pytest.raises(ValidationError, match="approved total"), transaction.atomic():
        Budget.objects.bulk_create(
            [
                Budget(
                    participation=messina,
                    budget_version=factories.current_version(demo),
                    total=Money("663710.01", "EUR"),
                )
            ]
        )
    assert not Budget.objects.filter(participation=messina).exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_a_partner_with_a_budget_stays_in_its_project(four_budgets, big_project):
    """Its budgets belong to the project's budget versions (and reports issued on them)."""
    oulu = Participation.objects.get(organisation__slug="oulu", project__slug="di4c")
    oulu.project = big_project
    with pytest.raises(ValidationError) as error:
        oulu.full_clean()
    assert "stays in this project" in error.value.message_dict["project"][0]
    quentin = Participation.objects.get(organisation__slug="saint-quentin", project__slug="di4c")
    quentin.project = big_project  # no budget: free to move
    quentin.full_clean()


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_partners_moved_in_bulk_stay_if_they_have_budgets(four_budgets, big_project):
    movers = Participation.objects.filter(
        organisation__slug__in=["oulu", "saint-quentin"], project__slug="di4c"
    )
    with pytest.raises(ValidationError, match="stays in this project"):
        movers.update(project=big_project)
    assert (
        not Participation.objects.filter(project=big_project)
        .filter(organisation__slug__in=["oulu", "saint-quentin"])
        .exists()
    )
    quentin = Participation.objects.filter(organisation__slug="saint-quentin", project__slug="di4c")
    assert quentin.update(project=big_project) == 1
