"""Registering issued reports, and counting what changed since the previous one."""

from __future__ import annotations

from django.db import transaction

from audit.trail import project_changes
from reports.models import IssuedReport

# Kinds of record in the trail whose changes no funding report shows.
NOT_IN_REPORTS = {"partners.initiative"}


def previous_report(*, project, participation=None) -> IssuedReport | None:
    kind = IssuedReport.Kind.PARTNER if participation else IssuedReport.Kind.PROJECT
    return (
        IssuedReport.objects.filter(kind=kind, project=project, participation=participation)
        .order_by("-issued_at", "-pk")
        .first()
    )


def changes_since_previous_report(*, project, participation=None, data_as_of=None) -> int | None:
    """How many recorded changes concern this report's figures since the last report of the
    same kind (None: this is the first such report). `data_as_of`, the time of the last
    change to the report's data when the caller knows it, spares reading the trail when
    nothing changed since."""
    previous = previous_report(project=project, participation=participation)
    if previous is None:
        return None
    if data_as_of is not None and data_as_of < previous.issued_at:
        return 0
    changes = project_changes(
        project,
        since=previous.issued_at,
        participation_id=participation.pk if participation else None,
    )
    return sum(1 for change in changes if change.kind not in NOT_IN_REPORTS)


@transaction.atomic
def report_register(
    *,
    project,
    participation=None,
    language: str,
    fingerprint: str,
    user=None,
    changes_since_previous: int | None,
) -> IssuedReport:
    """Record that a report was issued; returns the register entry. The change count is the
    one the report shows (changes_since_previous_report(), None for the first of its kind),
    so that the register says what the report says."""
    return IssuedReport.objects.create(
        kind=IssuedReport.Kind.PARTNER if participation else IssuedReport.Kind.PROJECT,
        project=project,
        participation=participation,
        language=language,
        fingerprint=fingerprint,
        issued_to=user if user is not None and user.is_authenticated else None,
        changes_since_previous=changes_since_previous,
    )
