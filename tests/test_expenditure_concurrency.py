"""Two controllers deciding the same line at once, two corrections of the same line asked at
once: one wins, the other is told (PostgreSQL; the pattern of
tests/test_integrity_concurrency.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from expenditure import services
from expenditure.models import ExpenditureLine
from partners.models import Organisation, Participation
from projects.roles import CONTROLLERS
from tests import factories as f
from tests.conftest import make_user
from tests.test_integrity_concurrency import (
    admin_url,
    held_before_saving,
    in_parallel,
    postgresql_only,
    signed_in,
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_controllers_deciding_one_line_at_once_cannot_both_succeed(
    demo, periods, ventspils_controller
):
    second = make_user("kristine", CONTROLLERS, staff=True)
    Organisation.objects.get(slug="ventspils").controllers.add(second)
    part = Participation.objects.get(organisation__slug="ventspils")
    line = services.submit([f.expenditure_line(part, periods[1], "100.00")], None)[0]

    def decide(step):
        def job():
            with translation.override("en"):
                return step()

        return job

    with held_before_saving(ExpenditureLine, writers=2):
        results = in_parallel(
            decide(lambda: services.certify(line, ventspils_controller)),
            decide(lambda: services.reject(line, second, "Not eligible")),
        )

    refused = [r for r in results if isinstance(r, ValidationError)]
    done = [r for r in results if isinstance(r, ExpenditureLine)]
    assert len(refused) == 1 and len(done) == 1, results
    assert "already" in refused[0].messages[0]
    stored = ExpenditureLine.objects.get(pk=line.pk)
    assert stored.status == done[0].status
    assert stored.history.filter(status__in=["certified", "rejected"]).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_posts_of_correct_this_line_at_once_make_one_correction(
    demo, periods, ventspils_coordinator, ventspils_controller
):
    part = Participation.objects.get(organisation__slug="ventspils")
    line = services.submit([f.expenditure_line(part, periods[1], "100.00")], None)[0]
    services.reject(line, ventspils_controller, "Wrong amount")
    url = admin_url("expenditure_expenditureline_correct", line.pk)
    clients = [signed_in(ventspils_coordinator) for _ in range(2)]

    # Without the old line's lock both would pass the check, and the second insert would
    # break the one-correction constraint: a 500.
    with held_before_saving(ExpenditureLine, writers=2):
        responses = in_parallel(*(lambda c=c: c.post(url) for c in clients))

    assert all(not isinstance(r, BaseException) for r in responses), responses
    correction = ExpenditureLine.objects.get(corrects=line)
    assert sorted(r["Location"] for r in responses) == sorted(
        [
            admin_url("expenditure_expenditureline_change", correction.pk),
            admin_url("expenditure_expenditureline_change", line.pk),  # refused, told why
        ]
    )
    assert correction.history.count() == 1
