"""What a funding report covers: the one definition.

Each funding report shows some fields of some records. `COVERAGE` names them, per kind of
report, and everything that must agree with what a report shows is derived from it:

- the report's canonical figures (reports/data.py serialises exactly these fields of each
  record it shows, plus the figures computed from them), hence its fingerprint;
- its "data as of" date and the change count since the previous report (`covered_changes()`
  below: the trail's changes of these fields, of the records this report shows);
- the kinds of record the audit trail reads (audit/trail.py: these, and initiatives, which
  the history page shows but no report does).

A field left out here is not shown by any report, so changing it changes neither the
fingerprint, the date nor the count (tests/test_report_coverage.py checks both directions
for every field named here). Foreign keys name the link a report follows (a partner's
organisation, an organisation's city, a plan line's source); the order of rows in a report
comes from shown fields or from identifiers, never from a field not covered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Exists, OuterRef

from expenditure.models import (
    FINAL,
    Claim,
    ExpenditureLine,
    ReportingPeriod,
    StateCoFinancing,
    Status,
    SupportingDocument,
)
from funding.models import Budget, BudgetLine, BudgetVersion, CoFinancingShare
from partners.models import City, Organisation, Participation
from projects.models import FundingSource, Milestone, Phase, Programme, Project
from urbact_portal.lib.translation import LANGUAGES, translated_fields

PROJECT_REPORT = "project"
PARTNER_REPORT = "partner"


@dataclass(frozen=True)
class Covered:
    project: frozenset[str]  # fields the project report shows
    partner: frozenset[str]  # fields a partner's report shows (of its own records)
    # Which records of the kind the reports show, judged on a record's stored (historical)
    # row; None: all of them. A change counts when the record is shown before or after it.
    shows: Callable[[object], bool] | None = None
    # What `shows` reads beyond the row's own columns: annotations of the historical rows
    # (history_rows() below), so that the trail reads them in the same query.
    reads: dict[str, models.Expression] = field(default_factory=dict)

    def fields(self, report_kind: str) -> frozenset[str]:
        return self.project if report_kind == PROJECT_REPORT else self.partner


def _both(*fields: str) -> Covered:
    return Covered(frozenset(fields), frozenset(fields))


COVERAGE: dict[type, Covered] = {
    Programme: _both("name", "fund", "flexibility_rate"),  # the rate: expenditure flags
    FundingSource: _both("code", "name", "short_name", "kind"),
    Project: _both("slug", "name", "acronym", "network_type", "programme"),
    # The version of the budget a report shows (its total is the project's planned total);
    # who entered it is in the trail, not in the report.
    BudgetVersion: _both(
        "project", "number", "kind", "date", "document_reference", "document_title", "total"
    ),
    # A phase is shown as "Phase N" and its network name; its own `name` is not shown.
    Phase: _both(
        "project", "number", "network_name", "approved_on", "start", "planned_end", "actual_end"
    ),  # fmt: skip
    Milestone: Covered(
        project=frozenset(),  # the project report shows no milestones
        partner=frozenset({"project", "phase", "title", "kind", "start", "end", "place"}),
    ),
    City: _both("name", "country"),
    # The name in the local language is shown in the partner's own report only.
    Organisation: Covered(
        project=frozenset({"slug", "name", "city"}),
        partner=frozenset({"slug", "name", "local_name", "city"}),
    ),
    Participation: _both("project", "organisation", "role"),
    # The office flat rate is shown in the partner's own report only.
    Budget: Covered(
        project=frozenset({"participation", "budget_version", "total"}),
        partner=frozenset({"participation", "budget_version", "total", "office_flat_rate"}),
    ),
    BudgetLine: _both("budget", "category", "amount"),
    CoFinancingShare: _both("budget", "source", "rate"),
    # Expenditure (issue 12). Drafts are the partner's own work in progress: no report shows
    # them (nor counts them), so creating, editing or deleting a draft changes nothing. The
    # project report shows totals per partner, source and category: what a line adds to them
    # (its period too: the ERDF due and the split by source are computed per period). A
    # partner's report lists its certified and rejected lines ("the certificates") and all
    # the project's periods with its figures and claims. Who submitted or certified a line
    # is personal data kept in the trail, not printed: the report gives the date decided.
    ReportingPeriod: Covered(
        project=frozenset(),
        partner=frozenset({"project", "number", "start", "end", "report_due"}),
    ),
    # `corrects` decides, with the correction's status, whether a line still counts
    # (ExpenditureLineQuerySet.counted()): a line superseded by a certified correction no
    # longer adds to any figure, and a partner's report marks it (`corrected_by`).
    ExpenditureLine: Covered(
        project=frozenset({"participation", "period", "category", "amount_eur", "status"})
        | {"corrects", "is_sample"},
        partner=frozenset(
            {
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
                "status",
                "decided_at",
                "rejection_reason",
                "corrects",
                "is_sample",
            }
        ),  # fmt: skip
        shows=lambda row: row.status != Status.DRAFT,
    ),
    Claim: Covered(
        project=frozenset({"participation", "claimed", "received"}),
        partner=frozenset(
            {"participation", "period", "reference", "claimed_on", "claimed", "received_on"}
            | {"received"}
        ),
    ),
    # A partner's report lists the documents of each certified or rejected line, with the
    # SHA-256 of each file (so its fingerprint covers the evidence). Documents change only
    # while their line is a draft (expenditure/models.py): a document counts once its line
    # is decided, judged on the line as it stands (a document of a draft is in no report).
    SupportingDocument: Covered(
        project=frozenset(),
        partner=frozenset({"line", "kind", "original_name", "size", "sha256"}),
        shows=lambda row: row.line_decided,
        reads={
            "line_decided": Exists(
                ExpenditureLine.objects.filter(pk=OuterRef("line_id"), status__in=FINAL)
            )
        },
    ),
    # The own organisation's state co-financing: the expenditure page shows it, so both of
    # the project's reports and the own organisation's report do (audit/trail.py ties it to
    # its partner: another partner's report does not count it).
    StateCoFinancing: _both(
        "participation",
        "applied_on",
        "applied",
        "advance_rate",
        "advance_received_on",
        "advance_received",
        "final_received_on",
        "final_received",
    ),
}


def shown_in_reports(model: type, row) -> bool:
    """Whether the reports show the record as stored in `row` (a historical row or None)."""
    covered = COVERAGE.get(model)
    if row is None or covered is None:
        return False
    return covered.shows is None or covered.shows(row)


def history_rows(model: type) -> models.QuerySet:
    """The historical rows of `model`, with what `shows` reads of other records."""
    rows = model.history.model.objects.all()
    covered = COVERAGE.get(model)
    return rows.annotate(**covered.reads) if covered and covered.reads else rows


def covered_fields(model: type, report_kind: str) -> frozenset[str]:
    """The fields of `model` the report shows; a name kept in both languages is shown in
    both (the canonical figures hold both), so each language's column counts."""
    covered = COVERAGE.get(model)
    if not covered:
        return frozenset()
    fields = covered.fields(report_kind)
    translated = fields & set(translated_fields(model))
    return fields | {f"{name}_{language}" for name in translated for language in LANGUAGES}


def covered_changes(
    project, *, participation_id: int | None = None, version_id: int | None = None
) -> list:
    """The trail's changes (newest first) that change what this report shows: the project's
    report, or with `participation_id` that partner's report, of the budget version
    `version_id`. A change counts when it is of a covered kind, concerns a record the report
    shows (project-wide, or that partner's; that version's, not another's), and creates,
    deletes, or changes a covered field of it."""
    from audit.trail import project_changes

    report_kind = PARTNER_REPORT if participation_id else PROJECT_REPORT
    names = {m._meta.label_lower: covered_fields(m, report_kind) for m in COVERAGE}
    return [
        change
        for change in project_changes(project, participation_id=participation_id)
        if names.get(change.kind)
        and change.reported
        and change.budget_version in (None, version_id)
        and (change.action != "~" or any(f.name in names[change.kind] for f in change.fields))
    ]
