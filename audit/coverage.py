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

from dataclasses import dataclass

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

    def fields(self, report_kind: str) -> frozenset[str]:
        return self.project if report_kind == PROJECT_REPORT else self.partner


def _both(*fields: str) -> Covered:
    return Covered(frozenset(fields), frozenset(fields))


COVERAGE: dict[type, Covered] = {
    Programme: _both("name", "fund"),
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
}


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
        and change.budget_version in (None, version_id)
        and (change.action != "~" or any(f.name in names[change.kind] for f in change.fields))
    ]
