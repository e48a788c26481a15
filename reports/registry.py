"""Registering issued reports, and counting what changed since the previous one."""

from __future__ import annotations

from django.db import transaction

from reports.models import IssuedReport


def previous_report(*, project, participation=None) -> IssuedReport | None:
    kind = IssuedReport.Kind.PARTNER if participation else IssuedReport.Kind.PROJECT
    return (
        IssuedReport.objects.filter(kind=kind, project=project, participation=participation)
        .order_by("-issued_at", "-pk")
        .first()
    )


def changes_since(changes, previous: IssuedReport | None) -> int | None:
    """How many of a report's recorded changes (FundingReport.changes: those of what it
    shows, audit/coverage.py) were made since the previous report of its kind was issued
    (None: this is the first such report)."""
    if previous is None:
        return None
    return sum(1 for change in changes if change.when >= previous.issued_at)


@transaction.atomic
def report_register(
    *,
    project,
    participation=None,
    language: str,
    fingerprint: str,
    user=None,
    changes_since_previous: int | None,
    figures: bytes = b"",
    pdf_sha256: str = "",
) -> IssuedReport:
    """Record that a report was issued; returns the register entry. The change count is the
    one the report shows (changes_since(), None for the first of its kind),
    so that the register says what the report says."""
    return IssuedReport.objects.create(
        kind=IssuedReport.Kind.PARTNER if participation else IssuedReport.Kind.PROJECT,
        project=project,
        participation=participation,
        language=language,
        fingerprint=fingerprint,
        issued_to=user if user is not None and user.is_authenticated else None,
        changes_since_previous=changes_since_previous,
        figures=figures.decode("utf-8"),
        pdf_sha256=pdf_sha256,
    )
