"""The import of expenditure lines makes the same queries for 10 rows as for 100 (preview and
confirmation; new lines and changed drafts), checks each row by the model's rules without a
query (the constraints evaluated in memory say what the database says), keeps the trail
complete, and two confirmations of one file at once store it once (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import math
import threading
from contextlib import suppress
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models
from django.test import Client
from django.utils import translation
from djmoney.money import Money

from expenditure.imports import ExpenditureLineResource
from expenditure.models import ExpenditureLine, Status
from tests import factories as f
from tests.test_expenditure_import import (
    CONFIRM,
    HEADER,
    admin_url,
    confirm_data,
    partner,
    preview,
    rows_csv,
)
from tests.test_integrity_concurrency import in_parallel, postgresql_only
from urbact_portal.lib.constraints import validate_constraints_in_memory

# What a preview and a confirmation cost whatever the file's length, the writes of the lines
# aside: the session, the user and their permissions, the partner's choices, the project's
# lock, its periods, the lines the file repeats (locked), savepoints; confirming, the admin's
# log entry (and one savepoint pair fewer when no line is new).
PREVIEW = 25
CONFIRM_NEW = 26
CONFIRM_CHANGED = 25
UPDATED = ("description",)  # what the reimport below changes: the UPDATE sets only that


def inserts(model: type[models.Model], rows: int) -> int:
    """How many INSERT statements Django makes of `rows` new rows: one, but SQLite allows
    999 values a statement."""
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    return math.ceil(rows / connection.ops.bulk_batch_size(fields, [None] * rows))


def stored_rows(rows: int) -> int:
    """The INSERTs of `rows` new lines and of their history rows."""
    return inserts(ExpenditureLine, rows) + inserts(ExpenditureLine.history.model, rows)


def changed_rows(rows: int) -> int:
    """The UPDATEs of `rows` drafts (each after the check that all its lines are drafts),
    and the INSERTs of their history rows."""
    fields = ["pk", "pk", *(ExpenditureLine._meta.get_field(name) for name in UPDATED)]
    updates = math.ceil(rows / connection.ops.bulk_batch_size(fields, [None] * rows))
    return 2 * updates + inserts(ExpenditureLine.history.model, rows)


@pytest.fixture
def valdis(client_for, ventspils_coordinator, periods):
    return client_for(ventspils_coordinator)


@pytest.mark.parametrize("rows", [10, 100])
def test_the_preview_and_the_confirmation_make_the_same_queries_for_10_and_100_rows(
    valdis, django_assert_num_queries, rows
):
    content = rows_csv(rows)
    with django_assert_num_queries(PREVIEW + stored_rows(rows)):  # stored, then rolled back
        response = preview(valdis, content, "spending.csv", partner("ventspils"))
    assert response.context["confirm_form"] is not None
    assert ExpenditureLine.objects.count() == 0

    with django_assert_num_queries(CONFIRM_NEW + stored_rows(rows)):
        response = valdis.post(admin_url(CONFIRM), confirm_data(response))

    assert response.status_code == 302
    assert ExpenditureLine.objects.count() == rows
    assert ExpenditureLine.history.filter(history_type="+").count() == rows


@pytest.mark.parametrize("rows", [10, 100])
def test_a_reimport_changing_every_draft_makes_the_same_queries_for_10_and_100_rows(
    valdis, ventspils_coordinator, django_assert_num_queries, rows
):
    content = rows_csv(rows)
    response = preview(valdis, content, "spending.csv", partner("ventspils"))
    valdis.post(admin_url(CONFIRM), confirm_data(response))
    changed = content.replace(b";Salary ", b";Monthly salary ")

    with django_assert_num_queries(PREVIEW + changed_rows(rows)):
        response = preview(valdis, changed, "spending.csv", partner("ventspils"))
    assert {row.import_type for row in response.context["result"].valid_rows()} == {"update"}
    with django_assert_num_queries(CONFIRM_CHANGED + changed_rows(rows)):
        valdis.post(admin_url(CONFIRM), confirm_data(response))

    assert ExpenditureLine.objects.count() == rows
    assert set(ExpenditureLine.objects.values_list("description", flat=True)) == {
        f"Monthly salary {i}" for i in range(2, rows + 2)
    }
    changes = ExpenditureLine.history.filter(history_type="~")
    assert changes.count() == rows
    assert {(h.history_user_id, h.history_change_reason) for h in changes} == {
        (ventspils_coordinator.pk, "Importēts no spending.csv")
    }
    assert {h.description for h in changes} == {f"Monthly salary {i}" for i in range(2, rows + 2)}


def test_a_row_that_breaks_a_constraint_is_named_and_nothing_is_stored(valdis):
    content = rows_csv(5) + b"2;2020-06-30;staff;Refund;;R-9;-10,00;EUR\n"

    response = preview(valdis, content, "spending.csv", partner("ventspils"))

    assert response.context.get("confirm_form") is None
    [bad] = response.context["result"].invalid_rows
    assert bad.number == 7
    assert "Summai jābūt lielākai par nulli." in str(bad.error_dict)
    assert ExpenditureLine.objects.count() == 0


def test_a_currency_not_offered_is_refused_as_the_admin_form_refuses_it(valdis):
    content = (HEADER + "2;2020-06-30;staff;Lunch;;R-1;10,00;XYZ\n").encode()

    response = preview(valdis, content, "spending.csv", partner("ventspils"))

    [bad] = response.context["result"].invalid_rows
    assert set(bad.error_dict) == {"amount"}


# --- The constraints in memory say what the database says -------------------------------------


def line_variants(part, period) -> list[ExpenditureLine]:
    """Two good lines, then lines breaking each of the model's check constraints."""
    good = {
        "participation": part,
        "period": period,
        "paid_on": dt.date(2020, 6, 30),
        "category": "staff",
        "description": "Salary",
        "amount": Money("10.00", "EUR"),
    }
    variants = [
        {},
        {"amount": Money("10.00", "RON"), "rate": Decimal("4.9")},
        {"amount": Money("-1.00", "EUR")},
        {"amount": Money("0.00", "RON"), "rate": Decimal("0")},
        {"amount": Money("10.00", "EUR"), "rate": Decimal("2")},
        {"status": Status.SUBMITTED},
        {"status": Status.REJECTED, "rejection_reason": ""},
        {"paid_on": dt.date(1900, 1, 1)},
        {"amount_eur": Money("5.00", "RON")},
    ]
    return [ExpenditureLine(**(good | variant)) for variant in variants]


def messages_of(check) -> list[str]:
    try:
        check()
    except ValidationError as error:
        return sorted(error.message_dict.get(NON_FIELD_ERRORS, []))
    return []


def test_the_constraints_checked_in_memory_give_the_database_s_verdict(
    demo, periods, django_assert_num_queries
):
    part = partner("ventspils")
    line = f.expenditure_line(part, periods[1], "10.00")
    lines = line_variants(part, periods[1])
    # A unique constraint is Django's to check (it queries): a line correcting itself.
    stored_self_correction = ExpenditureLine(pk=line.pk, corrects_id=line.pk, **_values(line))

    with translation.override("en"):
        by_database = [messages_of(line.validate_constraints) for line in lines]
        with django_assert_num_queries(0):
            in_memory = [
                messages_of(lambda line=line: validate_constraints_in_memory(line))
                for line in lines
            ]
        corrects_itself = messages_of(
            lambda: validate_constraints_in_memory(stored_self_correction)
        )

    assert in_memory == by_database
    assert by_database[:2] == [[], []] and all(by_database[2:]), by_database
    assert corrects_itself == ["A line cannot correct itself."]


def _values(line: ExpenditureLine) -> dict:
    names = ("participation", "period", "paid_on", "category", "description", "amount")
    return {name: getattr(line, name) for name in names}


# --- Two confirmations at once ------------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_confirmations_of_one_file_at_once_store_it_once(
    ventspils_coordinator, periods, monkeypatch
):
    content = rows_csv(20)
    clients = [Client(), Client()]
    confirmations = []
    for client in clients:
        client.force_login(ventspils_coordinator)
        response = preview(client, content, "spending.csv", partner("ventspils"))
        confirmations.append(confirm_data(response))
    # Each confirmation, its rows checked, waits before storing until the other got there
    # too (or 3 s passed: the project's lock keeps the second from getting there).
    gate = threading.Barrier(2)
    storing = ExpenditureLineResource.bulk_create

    def held(self, *args, **kwargs):
        if self.create_instances:
            with suppress(threading.BrokenBarrierError):
                gate.wait(timeout=3)
        return storing(self, *args, **kwargs)

    monkeypatch.setattr(ExpenditureLineResource, "bulk_create", held)

    results = in_parallel(
        *[
            lambda client=client, data=data: client.post(admin_url(CONFIRM), data).status_code
            for client, data in zip(clients, confirmations, strict=True)
        ]
    )

    assert results == [302, 302], results
    assert ExpenditureLine.objects.count() == 20
    assert ExpenditureLine.history.count() == 20
