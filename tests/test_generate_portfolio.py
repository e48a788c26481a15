"""`manage.py generate_portfolio`: a synthetic portfolio that keeps the portal's rules, the same
for the same seed, refused on a database that has one already (demo/portfolio.py)."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Max

from demo import portfolio_rows
from demo.bulk import DROPPABLE
from demo.portfolio_check import portfolio_problems
from expenditure import selectors
from expenditure.models import Claim, ExpenditureLine
from funding.models import BudgetVersion
from funding.selectors import project_funding
from partners.models import Organisation
from projects.models import Project

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's: SQLite inserts the rows"
)

# Six partners: the sixth synthetic organisation is Romanian, and spends in RON.
SMALL = ["--projects", "3", "--partners", "6", "--expenditure", "150", "--seed", "7"]


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_portfolio", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_time_of_each_phase_and_the_rows_written():
    out = generate(*SMALL)
    for phase in ["people, organisations", "projects, phases", "partners, budget", "expenditure"]:
        assert f"\n{phase}" in "\n" + out
    assert "expenditure.ExpenditureLine 150" in out
    assert Project.objects.filter(name_en__startswith="Synthetic project").count() == 3
    assert Organisation.objects.filter(name_en__startswith="Synthetic org").exists()


def test_the_generated_rows_keep_the_portals_rules():
    out = generate(*SMALL, "--check", "3")
    assert "check of 3 sampled projects: every rule holds" in out
    assert portfolio_problems(3) == []


def test_each_budget_version_adds_up_to_its_total_to_the_cent():
    generate(*SMALL)
    for version in BudgetVersion.objects.filter(project__slug__startswith="synthetic-"):
        funding = project_funding(version.project, version)
        assert funding.allocated == version.total
        assert funding.unallocated.amount == Decimal("0.00")
        for partner in funding.partners:
            assert sum(part.amount.amount for part in partner.parts) == partner.total.amount


def test_lines_take_every_status_and_foreign_ones_keep_their_frozen_rate():
    generate(*SMALL)
    lines = ExpenditureLine.objects.all()
    assert set(lines.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "certified",
        "rejected",
    }
    ron = lines.filter(amount_currency="RON").exclude(status="draft")
    assert ron.exists()
    for line in ron:
        assert line.rate != 1 and line.rate_month == line.submitted_at.date().replace(day=1)


def test_claims_stay_within_the_erdf_due():
    generate(*SMALL)
    claimed = defaultdict(Decimal)
    for claim in Claim.objects.select_related("participation__project"):
        claimed[(claim.participation, claim.period_id)] += claim.claimed.amount
    assert claimed
    for (participation, period), amount in claimed.items():
        assert amount <= selectors.erdf_due(participation.project, participation, period)


def test_every_record_has_its_trail_row_with_the_person_who_entered_it():
    generate(*SMALL)
    for model in portfolio_rows.KEYED:
        ids = set(model.objects.values_list("pk", flat=True))
        entered = model.history.filter(history_type="+", history_user__isnull=False)
        assert set(entered.values_list("id", flat=True)) == ids, model
    decided = ExpenditureLine.objects.filter(status__in=["certified", "rejected"]).first()
    steps = decided.history.order_by("history_date")
    assert list(steps.values_list("history_type", "status")) == [
        ("+", "draft"),
        ("~", "submitted"),
        ("~", decided.status),
    ]
    assert steps.last().history_user_id == decided.decided_by_id
    assert Project.history.filter(history_type="~").count() == 3  # each description written


def snapshot() -> dict:
    """The portfolio without its keys (users' keys come from a sequence)."""
    return {
        "projects": list(
            Project.objects.order_by("slug").values_list("slug", "name_en", "description_en")
        ),
        "versions": list(
            BudgetVersion.objects.order_by("project__slug", "number").values_list(
                "project__slug", "number", "date", "total"
            )
        ),
        "lines": list(
            ExpenditureLine.objects.order_by("description").values_list(
                "description",
                "participation__organisation__slug",
                "paid_on",
                "amount",
                "amount_currency",
                "status",
                "submitted_by__username",
                "decided_by__username",
            )
        ),  # fmt: skip
        "trail": list(
            ExpenditureLine.history.order_by("description", "history_date").values_list(
                "description", "history_type", "history_date", "history_user__username"
            )
        ),
        "claims": list(Claim.objects.order_by("reference").values_list("reference", "claimed")),
    }


class Rollback(Exception):
    pass


def generated(*args: str) -> dict:
    """The snapshot of a portfolio generated and then taken back."""
    try:
        with transaction.atomic():
            generate(*args)
            taken = snapshot()
            raise Rollback
    except Rollback:
        return taken


def test_the_same_seed_gives_the_same_portfolio_and_another_seed_another():
    first, again = generated(*SMALL), generated(*SMALL)
    assert first == again and first["lines"]
    other = generated(*SMALL[:-1], "8")
    assert other["projects"] == first["projects"]  # the same names
    assert other["versions"] != first["versions"]
    assert other["lines"] != first["lines"]


def test_it_refuses_a_database_with_a_synthetic_portfolio():
    generate(*SMALL)
    with pytest.raises(CommandError) as error:
        generate(*SMALL)
    assert str(error.value) == (
        "The database already holds 3 synthetic projects: add --append to add more, or use an "
        "empty database. Nothing was changed."
    )
    assert Project.objects.count() == 3


def test_append_adds_projects_numbered_after_the_stored_ones():
    generate(*SMALL)
    generate("--projects", "2", "--partners", "3", "--append")
    slugs = list(Project.objects.order_by("slug").values_list("slug", flat=True))
    assert slugs == [f"synthetic-0000{n}" for n in range(1, 6)]
    assert portfolio_problems(5) == []


@pytest.mark.parametrize(
    "args", [["--projects", "0"], ["--partners", "0"], ["--expenditure", "-1"]]
)
def test_sizes_below_one_are_refused(args):
    with pytest.raises(CommandError, match="at least"):
        generate(*args)


def test_misuse_exits_with_one_line_and_no_traceback():
    done = subprocess.run(
        [sys.executable, "manage.py", "generate_portfolio", "--projects", "0"],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///:memory:"},
    )
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "CommandError: --projects and --partners must be at least 1, --expenditure at least 0."
    ]


def test_it_refuses_to_run_on_a_production_configuration():
    # Made-up projects with the own organisation in them, and indexes dropped while it
    # writes: never on a portal running with DEBUG off.
    done = subprocess.run(
        [sys.executable, "manage.py", "generate_portfolio", "--projects", "1"],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env={
            "DEBUG": "0",
            "SECRET_KEY": "production-like-key-for-this-test-only-0123456789",
            "ALLOWED_HOSTS": "portal.example",
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": "sqlite:///:memory:",
        },
    )
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "CommandError: generate_portfolio writes made-up projects: it runs only with DEBUG=1."
    ]


def test_the_manager_sees_every_synthetic_project_on_the_index(client):
    out = generate(*SMALL, "--manager", "bench")
    assert "bench: project manager, coordinator of the own organisation" in out
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="bench"))
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3
    assert "Sintētiskais projekts 00001" in response.content.decode()
    history = client.get("/projects/synthetic-00001/history/")
    assert history.status_code == 200


@postgresql_only
def test_on_postgresql_rows_go_in_with_copy_and_every_index_and_key_is_made_again():
    def indexes_and_keys():
        tables = [model._meta.db_table for model in portfolio_rows.BULK_MODELS]
        with connection.cursor() as cursor:
            cursor.execute(DROPPABLE, [tables, tables])
            return sorted(cursor.fetchall())

    before = indexes_and_keys()
    assert len(before) > 50
    out = generate(*SMALL)
    assert indexes_and_keys() == before
    assert "indexes and foreign keys made again" in out
    # The sequences went past the keys written: the portal's own inserts go on.
    project = Project.objects.get(slug="synthetic-00001")
    new = Project.objects.create(
        programme=project.programme, name="After", acronym="AFT", slug="after"
    )
    assert new.pk > Project.objects.exclude(pk=new.pk).aggregate(top=Max("pk"))["top"]
