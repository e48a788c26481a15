"""The audit trail of one project, readable by a person.

django-simple-history keeps a historical row for every create, change and delete of the
audited models (and urbact_portal/lib/querysets.py makes bulk writes leave one too). This
module reads those rows for everything that belongs to a project — the project, its phases and
milestones, its partners, their organisations and initiatives, budgets, cost categories and
co-financing plans, reporting periods, expenditure lines (each status step: submitted,
certified, rejected, by whom) and their supporting documents, ERDF payment claims and state
co-financing, deleted ones included — and
turns each into a `Change`: who, when, what, and each field's value before and after.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from djmoney.money import Money

from audit.coverage import COVERAGE
from expenditure.models import (
    Claim,
    ExpenditureLine,
    ReportingPeriod,
    StateCoFinancing,
    SupportingDocument,
)
from funding.models import Budget, BudgetLine, CoFinancingShare
from partners.models import City, Initiative, Organisation, Participation
from projects.models import FundingSource, Milestone, Phase, Programme, Project
from urbact_portal.lib.dates import format_date
from urbact_portal.lib.formatting import format_money, format_number
from urbact_portal.lib.grammar import FEMININE, noun_of
from urbact_portal.lib.translation import translated_fields

# Fields that carry no meaning for a reader of the trail.
HIDDEN_FIELDS = {"id", "version"}


@dataclass(frozen=True)
class FieldChange:
    field: str  # its label, as a person reads it
    before: str
    after: str
    name: str = ""  # the model field's name (what audit/coverage.py lists)


@dataclass(frozen=True)
class Change:
    when: dt.datetime
    user: object  # a User, or None for changes made outside a request (commands)
    kind: str  # the model's label, e.g. "funding.budget" (for filtering)
    kind_name: str  # its verbose name, e.g. "budget"
    gender: str  # of kind_name in Latvian, which the action's word agrees with (lib/grammar.py)
    action: str  # "+", "~" or "-"
    record: str  # the record as a person names it
    fields: tuple[FieldChange, ...]
    # The partners it concerns (a city or a funding source may be shared by several);
    # None for project-wide data.
    participations: frozenset[int] | None

    @property
    def action_name(self) -> str:
        """ "izveidots" for a budget, "izveidota" for a co-financing share."""
        if self.gender == FEMININE:
            words = {
                "+": pgettext("feminine", "created"),
                "~": pgettext("feminine", "changed"),
                "-": pgettext("feminine", "deleted"),
            }
        else:
            words = {
                "+": pgettext("masculine", "created"),
                "~": pgettext("masculine", "changed"),
                "-": pgettext("masculine", "deleted"),
            }
        return words[self.action]


def audited_kinds() -> list[tuple[str, str]]:
    """(label, verbose name) of each kind of record the trail covers, for a filter."""
    return [(m._meta.label_lower, str(m._meta.verbose_name)) for m in KINDS]


# What the funding reports cover (audit/coverage.py), and what no report shows yet:
# initiatives, and expenditure with its first-level control (issue 12).
KINDS = [
    *COVERAGE,
    Initiative,
    ReportingPeriod,
    ExpenditureLine,
    SupportingDocument,
    Claim,
    StateCoFinancing,
]


@dataclass(frozen=True)
class _Scope:
    """Which records belong to a project, and to which partner each belongs."""

    filters: dict[type[models.Model], Q]
    participation_of_budget: dict[int, int]
    participation_of_organisation: dict[int, int]
    participations_of_city: dict[int, frozenset[int]]
    participations_of_source: dict[int, frozenset[int]]  # the programme's fund: not here
    participation_of_line: dict[int, int]


def _grouped(pairs) -> dict[int, frozenset[int]]:
    groups: dict[int, set[int]] = defaultdict(set)
    for key, value in pairs:
        groups[key].add(value)
    return {key: frozenset(values) for key, values in groups.items()}


def _scope(project: Project) -> _Scope:
    """Deleted partners, budgets, lines, and past cities and sources included (6 queries, ids
    only)."""
    participations = dict(
        Participation.history.filter(project_id=project.pk)
        .values_list("organisation_id", "id")
        .distinct()
    )
    budgets = dict(
        Budget.history.filter(participation_id__in=participations.values())
        .values_list("id", "participation_id")
        .distinct()
    )
    cities = _grouped(
        (city, participations[organisation])
        for organisation, city in Organisation.history.filter(id__in=participations.keys())
        .values_list("id", "city_id")
        .distinct()
    )
    sources = _grouped(
        (source, budgets[budget])
        for source, budget in CoFinancingShare.history.filter(budget_id__in=budgets.keys())
        .values_list("source_id", "budget_id")
        .distinct()
    )
    lines = dict(
        ExpenditureLine.history.filter(participation_id__in=participations.values())
        .values_list("id", "participation_id")
        .distinct()
    )
    fund = list(Programme.objects.filter(pk=project.programme_id).values_list("fund_id", flat=True))
    return _Scope(
        filters={
            Programme: Q(id=project.programme_id),
            FundingSource: Q(id__in=sources.keys()) | Q(id__in=fund),
            City: Q(id__in=cities.keys()),
            Project: Q(id=project.pk),
            # Ever in the project: a phase or milestone moved away is a change of it too.
            Phase: Q(id__in=Phase.history.filter(project_id=project.pk).values("id")),
            Milestone: Q(id__in=Milestone.history.filter(project_id=project.pk).values("id")),
            Participation: Q(id__in=participations.values()),
            Organisation: Q(id__in=participations.keys()),
            Initiative: Q(organisation_id__in=participations.keys()),
            Budget: Q(id__in=budgets.keys()),
            BudgetLine: Q(budget_id__in=budgets.keys()),
            CoFinancingShare: Q(budget_id__in=budgets.keys()),
            ReportingPeriod: Q(
                id__in=ReportingPeriod.history.filter(project_id=project.pk).values("id")
            ),
            ExpenditureLine: Q(id__in=lines.keys()),
            SupportingDocument: Q(line_id__in=lines.keys()),
            Claim: Q(participation_id__in=participations.values()),
            StateCoFinancing: Q(participation_id__in=participations.values()),
        },
        participation_of_line=lines,
        participation_of_budget=budgets,
        participation_of_organisation=participations,
        participations_of_city=cities,
        participations_of_source={k: v for k, v in sources.items() if k not in set(fund)},
    )


def _history_rows(scope: _Scope, since: dt.datetime | None) -> dict[type[models.Model], list]:
    """The historical rows of the project's records (one query per kind). With `since`, only
    of records changed since then, each with its whole history (an older row is what a
    change is compared with)."""
    rows = {}
    for model, condition in scope.filters.items():
        history = model.history.model.objects.filter(condition)
        if since is not None:
            history = history.filter(
                id__in=model.history.model.objects.filter(
                    condition, history_date__gte=since
                ).values("id")
            )
        rows[model] = list(history.select_related("history_user"))
    return rows


# What naming a record needs beyond its own row (its __str__ follows these keys).
NAME_NEEDS = {
    Budget: ["participation__organisation", "participation__project"],
    CoFinancingShare: ["source"],
    Participation: ["organisation", "project"],
    ReportingPeriod: ["project"],
    Claim: ["participation__organisation", "period"],
    StateCoFinancing: ["participation__organisation", "participation__project"],
}


class _Names:
    """Names for the records and their foreign keys, one query per model for the whole trail;
    deleted records keep their last known name from the trail itself."""

    def __init__(self, rows: dict[type[models.Model], list]):
        wanted: dict[type[models.Model], set] = defaultdict(set)
        for model, model_rows in rows.items():
            wanted[model] |= {r.id for r in model_rows}
            for field in _fields(model):
                if field.is_relation:
                    wanted[field.related_model] |= {getattr(r, field.attname) for r in model_rows}
        self.names = {
            model: {
                obj.pk: str(obj)
                for obj in model._default_manager.filter(pk__in=ids - {None}).select_related(
                    *NAME_NEEDS.get(model, [])
                )
            }
            for model, ids in wanted.items()
        }
        for model, model_rows in rows.items():
            known = self.names[model]
            for row in model_rows:
                if row.id not in known:  # deleted since
                    known[row.id] = _describe(model, row)

    def of(self, model, pk) -> str:
        if pk is None:
            return "–"
        return self.names.get(model, {}).get(pk, f"#{pk}")


def _fields(model: type[models.Model]) -> list[models.Field]:
    # A text kept in both languages shows as its Latvian and English columns; the plain
    # column only repeats one of them.
    both = translated_fields(model)
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in HIDDEN_FIELDS and not f.name.endswith("_currency") and f.name not in both
    ]


def _describe(model, row) -> str:
    try:
        return str(row.instance)
    except Exception:  # a row whose related objects are gone: name it by kind and number
        return f"{model._meta.verbose_name} #{row.id}"


def _value(field: models.Field, row, names: _Names) -> str:
    raw = getattr(row, field.attname)
    if raw is None or raw == "":
        return "–"
    if field.is_relation:
        return names.of(field.related_model, raw)
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if isinstance(raw, Money):
        return format_money(raw)
    if isinstance(raw, dt.date):
        return format_date(raw)
    if isinstance(raw, Decimal):  # "10,00" on a Latvian page; a coordinate keeps its 6 places
        return format_number(raw, places=getattr(field, "decimal_places", None) or 2)
    if isinstance(raw, bool):
        return _("yes") if raw else _("no")
    return str(raw)


def _partner_of(scope: _Scope) -> dict[type[models.Model], Callable]:
    """For each kind of row, how to tell which partner (participation) it belongs to."""
    by_budget = scope.participation_of_budget
    by_organisation = scope.participation_of_organisation

    def one(pk):
        return None if pk is None else frozenset({pk})

    return {
        Participation: lambda r: one(r.id),
        Budget: lambda r: one(r.participation_id),
        BudgetLine: lambda r: one(by_budget.get(r.budget_id)),
        CoFinancingShare: lambda r: one(by_budget.get(r.budget_id)),
        Organisation: lambda r: one(by_organisation.get(r.id)),
        Initiative: lambda r: one(by_organisation.get(r.organisation_id)),
        ExpenditureLine: lambda r: one(r.participation_id),
        Claim: lambda r: one(r.participation_id),
        StateCoFinancing: lambda r: one(r.participation_id),
        SupportingDocument: lambda r: one(scope.participation_of_line.get(r.line_id)),
        City: lambda r: scope.participations_of_city.get(r.id),
        FundingSource: lambda r: scope.participations_of_source.get(r.id),
    }


def _changes_of(model, rows: list, names: _Names, partner_of: Callable) -> Iterable[Change]:
    previous: dict[int, object] = {}
    fields = _fields(model)
    for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(row.id)
        diffs = []
        for field in fields:
            if row.history_type == "-":  # a deletion: what was there, and nothing after
                old, new = _value(field, row, names), "–"
            else:
                old = _value(field, before, names) if before is not None else "–"
                new = _value(field, row, names)
            if old != new:
                diffs.append(FieldChange(str(field.verbose_name), old, new, field.name))
        previous[row.id] = row
        if row.history_type == "~" and not diffs:
            continue  # saved without a change
        yield Change(
            when=row.history_date,
            user=row.history_user,
            kind=model._meta.label_lower,
            kind_name=str(model._meta.verbose_name),
            gender=noun_of(model).gender,
            action=row.history_type,
            record=names.of(model, row.id),
            fields=tuple(diffs),
            participations=partner_of(row),
        )


def project_changes(
    project: Project,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    user_id: int | None = None,
    kind: str | None = None,
    participation_id: int | None = None,
) -> list[Change]:
    """The project's changes, newest first, optionally within [since, until), by one user,
    of one kind of record, or those that concern one partner (its own records and the
    project-wide ones)."""
    scope = _scope(project)
    rows = _history_rows(scope, since)
    names = _Names(rows)
    partner_of = _partner_of(scope)
    changes = [
        change
        for model, model_rows in rows.items()
        for change in _changes_of(model, model_rows, names, partner_of.get(model, lambda r: None))
    ]
    changes = [
        c
        for c in changes
        if (since is None or c.when >= since)
        and (until is None or c.when < until)
        and (user_id is None or (c.user is not None and c.user.pk == user_id))
        and (kind is None or c.kind == kind)
        and (
            participation_id is None
            or c.participations is None
            or participation_id in c.participations
        )
    ]
    return sorted(changes, key=lambda c: c.when, reverse=True)
