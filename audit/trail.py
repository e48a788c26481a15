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

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection, models
from django.db.models import ExpressionWrapper, F, Q, Window
from django.db.models.functions import Lag
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from djmoney.money import Money

from audit.coverage import COVERAGE, history_rows, shown_in_reports
from expenditure.models import (
    Claim,
    ExpenditureLine,
    ReportingPeriod,
    StateCoFinancing,
    SupportingDocument,
)
from funding.models import Budget, BudgetLine, BudgetVersion, CoFinancingShare
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
    # The budget version it belongs to (a version, a budget, its lines and shares); None
    # for what every version shares.
    budget_version: int | None = None
    # Whether a report shows the record before or after the change (a draft expenditure line
    # is in no report: audit/coverage.py `shows`).
    reported: bool = dataclasses.field(default=True, compare=False)

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


# What the funding reports cover (audit/coverage.py), and what no report shows: initiatives.
KINDS = [*COVERAGE, Initiative]


@dataclass(frozen=True)
class _Scope:
    """Which records belong to a project, and to which partner each belongs."""

    filters: dict[type[models.Model], Q]
    participation_of_budget: dict[int, int]
    version_of_budget: dict[int, int]
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
        .order_by()
        .distinct()
    )
    budget_rows = set(
        Budget.history.filter(participation_id__in=participations.values())
        .values_list("id", "participation_id", "budget_version_id")
        .order_by()  # not the trail's order, which DISTINCT would have to keep
        .distinct()  # by the database: a budget saved 125,000 times is one row, not 125,000
    )
    budgets = {pk: participation for pk, participation, _version in budget_rows}
    cities = _grouped(
        (city, participations[organisation])
        for organisation, city in Organisation.history.filter(id__in=participations.keys())
        .values_list("id", "city_id")
        .order_by()
        .distinct()
    )
    sources = _grouped(
        (source, budgets[budget])
        for source, budget in CoFinancingShare.history.filter(budget_id__in=budgets.keys())
        .values_list("source_id", "budget_id")
        .order_by()
        .distinct()
    )
    lines = dict(
        ExpenditureLine.history.filter(participation_id__in=participations.values())
        .values_list("id", "participation_id")
        .order_by()
        .distinct()
    )
    fund = list(Programme.objects.filter(pk=project.programme_id).values_list("fund_id", flat=True))
    return _Scope(
        filters={
            Programme: Q(id=project.programme_id),
            FundingSource: Q(id__in=sources.keys()) | Q(id__in=fund),
            City: Q(id__in=cities.keys()),
            Project: Q(id=project.pk),
            BudgetVersion: Q(
                id__in=BudgetVersion.history.filter(project_id=project.pk).values("id")
            ),
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
        version_of_budget={pk: version for pk, _participation, version in budget_rows},
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
        history = history_rows(model).filter(condition)
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
                for obj in _having(model._default_manager, "pk", ids - {None}).select_related(
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


def _having(queryset: models.QuerySet, column: str, ids: set[int]) -> models.QuerySet:
    """The rows with `column` in `ids`, asked of the database even when there are none.
    Django answers `IN ()` itself, without a query: the history page would then make one
    query fewer for each kind of record missing from it, and its count would depend on the
    data (tests/test_portfolio_scale.py). A key is never NULL: no row matches."""
    if ids:
        return queryset.filter(**{f"{column}__in": ids})
    return queryset.filter(**{f"{column}__isnull": True})


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


def _version_of(scope: _Scope) -> dict[type[models.Model], Callable]:
    """For each kind of row that belongs to a budget version, which version."""
    by_budget = scope.version_of_budget
    return {
        BudgetVersion: lambda r: r.id,
        Budget: lambda r: r.budget_version_id,
        BudgetLine: lambda r: by_budget.get(r.budget_id),
        CoFinancingShare: lambda r: by_budget.get(r.budget_id),
    }


def _change(
    model, row, before, names: _Names, partner_of: Callable, version_of: Callable
) -> Change | None:
    """One historical row as a Change, compared with the record's previous row (`before`,
    None for the first); None for a row saved without a change."""
    diffs = []
    for field in _fields(model):
        if row.history_type == "-":  # a deletion: what was there, and nothing after
            old, new = _value(field, row, names), "–"
        else:
            old = _value(field, before, names) if before is not None else "–"
            new = _value(field, row, names)
        if old != new:
            diffs.append(FieldChange(str(field.verbose_name), old, new, field.name))
    if row.history_type == "~" and not diffs:
        return None  # saved without a change
    return Change(
        when=row.history_date,
        user=row.history_user,
        kind=model._meta.label_lower,
        kind_name=str(model._meta.verbose_name),
        gender=noun_of(model).gender,
        action=row.history_type,
        record=names.of(model, row.id),
        fields=tuple(diffs),
        participations=partner_of(row),
        budget_version=version_of(row),
        reported=shown_in_reports(model, row) or shown_in_reports(model, before),
    )


def _changes_of(
    model, rows: list, names: _Names, partner_of: Callable, version_of: Callable
) -> Iterable[Change]:
    previous: dict[int, object] = {}
    for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
        change = _change(model, row, previous.get(row.id), names, partner_of, version_of)
        previous[row.id] = row
        if change is not None:
            yield change


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
    version_of = _version_of(scope)
    changes = [
        change
        for model, model_rows in rows.items()
        for change in _changes_of(
            model,
            model_rows,
            names,
            partner_of.get(model, lambda r: None),
            version_of.get(model, lambda r: None),
        )
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


# --- One page of the trail, filtered and paginated by the database ---------------------------
#
# The history page shows 50 changes of a trail that may hold hundreds of thousands of rows:
# the database finds, orders, counts and cuts them (one UNION over the kinds' history tables),
# and only the rows shown, with the row each is compared with, are loaded and formatted.
# project_changes() above reads the whole trail for the reports' change counts;
# tests/test_history_scale.py checks that both give the same changes.


def project_changes_page(
    project: Project,
    *,
    number,
    per_page: int,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    user_id: int | None = None,
    kind: str | None = None,
    participation_id: int | None = None,
) -> Page:
    """Page `number` of project_changes(project, …) (any value: not a page number is the
    first page, past the end the last), its object_list the page's Changes. A fixed number
    of queries, whatever the trail and the page hold: the scope (6), the page with the
    count, and for every kind of record one for its rows on the page and one per model to name
    them (those not on the page too: _having)."""
    scope = _scope(project)
    parts = [
        _visible_rows(model, condition, since=since, until=until, user_id=user_id)
        for model, condition in _partner_filters(scope, participation_id).items()
        if kind is None or model._meta.label_lower == kind
    ]
    if not parts:
        return Paginator([], per_page).get_page(number)
    page = _TrailRows(parts).page(number, per_page)
    page.object_list = _page_changes(scope, list(page.object_list))
    return page


def _partner_filters(scope: _Scope, participation_id: int | None) -> dict[type[models.Model], Q]:
    """The scope's conditions, narrowed to what concerns one partner: its own records and
    the project-wide ones (as _partner_of tells them apart, row by row)."""
    if participation_id is None:
        return scope.filters
    budgets = [b for b, p in scope.participation_of_budget.items() if p == participation_id]
    organisations = [
        o for o, p in scope.participation_of_organisation.items() if p == participation_id
    ]
    cities = [c for c, ps in scope.participations_of_city.items() if participation_id in ps]
    sources = [s for s, ps in scope.participations_of_source.items() if participation_id in ps]
    shared = set(scope.participations_of_source)  # the others are the programme's fund
    lines = [line for line, p in scope.participation_of_line.items() if p == participation_id]
    own = {
        Participation: Q(id=participation_id),
        Budget: Q(participation_id=participation_id),
        BudgetLine: Q(budget_id__in=budgets),
        CoFinancingShare: Q(budget_id__in=budgets),
        Organisation: Q(id__in=organisations),
        Initiative: Q(organisation_id__in=organisations),
        City: Q(id__in=cities),
        FundingSource: Q(id__in=sources) | ~Q(id__in=shared),
        ExpenditureLine: Q(participation_id=participation_id),
        SupportingDocument: Q(line_id__in=lines),
    }
    return {model: condition & own.get(model, Q()) for model, condition in scope.filters.items()}


def _visible_rows(model, condition: Q, *, since, until, user_id) -> tuple[str, list] | None:
    """The SQL of (kind, history_id, history_date, the previous row's history_id) of each row
    of `model`'s trail that the page shows: within the filters, and not saved without a
    change; None when no row can match.

    Each row is compared with the record's previous one through LAG() over the record's
    rows in date order: one pass along the trail index (lib/history.py TrailHistory),
    instead of looking the previous row up for each row (twice: for the comparison and to
    return its id), which took 0.6 s for 125,000 rows of one budget. The previous row is
    found among all the record's rows, so the date and user filters apply outside the
    window."""
    history = model.history.model.objects
    fields = _fields(model)
    in_order = [F("history_date").asc(), F("history_id").asc()]

    def before(column: str) -> Window:
        return Window(Lag(column), partition_by=[F("id")], order_by=in_order)

    # The whole trail of each record in scope, whose rows may not all be (a cost line moved
    # from another project's budget): the previous row is the record's previous row.
    rows = (
        history.filter(id__in=history.filter(condition).values("id"))
        .annotate(
            trail_in_scope=ExpressionWrapper(condition, output_field=models.BooleanField()),
            trail_previous=before("history_id"),
            **{f"trail_was_{i}": before(f.attname) for i, f in enumerate(fields)},
        )
        .order_by()
        .values(
            "history_id",
            "history_date",
            "history_type",
            "history_user_id",
            "trail_in_scope",
            "trail_previous",
            *[f.attname for f in fields],
            *[f"trail_was_{i}" for i in range(len(fields))],
        )
    )
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a kind filtered on an empty list (no such rows yet)
        return None
    q = connection.ops.quote_name
    # A change: a row created or deleted, the first of its record, or one whose fields
    # differ from the previous row's (NULLs compare equal, as both read "–"; what _change()
    # would drop). Each comparison is true or false, never NULL, which NOT would keep NULL.
    same = [
        f"(({q(f.column)} = trail_was_{i} AND {q(f.column)} IS NOT NULL"
        f" AND trail_was_{i} IS NOT NULL) OR ({q(f.column)} IS NULL AND trail_was_{i} IS NULL))"
        for i, f in enumerate(fields)
    ]
    unchanged = " AND ".join(["history_type = %s", "trail_previous IS NOT NULL", *same])
    where, extra = ["trail_in_scope", f"NOT ({unchanged})"], ["~"]
    if since is not None:
        where.append("history_date >= %s")
        extra.append(connection.ops.adapt_datetimefield_value(since))
    if until is not None:
        where.append("history_date < %s")
        extra.append(connection.ops.adapt_datetimefield_value(until))
    if user_id is not None:
        where.append("history_user_id = %s")
        extra.append(user_id)
    return (
        "SELECT %s AS trail_kind, history_id AS trail_id, history_date AS trail_date, "
        f"trail_previous FROM ({sql}) trail_rows WHERE {' AND '.join(where)}",
        [model._meta.label_lower, *params, *extra],
    )


class _TrailRows:
    """The UNION ALL of the kinds' visible rows (_visible_rows), newest first, a page at a
    time. Written out rather than with
    QuerySet.union(), which cannot filter outside a window; each part's columns are put in
    one order by name."""

    COLUMNS = "trail_kind, trail_id, trail_date, trail_previous"

    def __init__(self, parts: list[tuple[str, list] | None]):
        compiled = [part for part in parts if part is not None]
        if not compiled:  # no kind can have a row: an empty trail, without a query
            compiled = [
                (
                    "SELECT NULL AS trail_kind, NULL AS trail_id, NULL AS trail_date, "
                    "NULL AS trail_previous WHERE 1 = 0",
                    (),
                )
            ]
        self.sql = " UNION ALL ".join(
            f"SELECT {self.COLUMNS} FROM ({sql}) part{i}" for i, (sql, _) in enumerate(compiled)
        )
        self.params = [p for _sql, params in compiled for p in params]

    def page(self, number, per_page: int) -> Page:
        """Page `number` as Paginator.get_page() gives it (not a page number: the first;
        past the end: the last), counted and cut in one query: the database reads and
        compares the whole trail to know which rows are shown, and once is enough."""
        try:
            # Past any trail's end is the last page; the database's integers must hold it.
            number = min(max(int(number), 1), 2**31 // per_page)
        except (TypeError, ValueError, OverflowError):
            number = 1
        order = "trail_date DESC, trail_kind, trail_id DESC"
        numbered = (
            f"SELECT {self.COLUMNS}, COUNT(*) OVER () AS total, "
            f"ROW_NUMBER() OVER (ORDER BY {order}) AS place FROM ({self.sql}) trail"
        )
        # The first row of the page asked for, or of the last page if there is no such page.
        start = "CASE WHEN %s < total THEN %s ELSE ((total - 1) / %s) * %s END"
        sql = (
            f"SELECT {self.COLUMNS}, total, place FROM ({numbered}) numbered "
            f"WHERE place > {start} AND place <= {start} + %s ORDER BY place"
        )
        offset = (number - 1) * per_page
        bounds = [offset, offset, per_page, per_page]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.params, *bounds, *bounds, per_page])
            rows = cursor.fetchall()
        paginator = Paginator([], per_page)
        paginator.count = rows[0][4] if rows else 0  # (a cached property, set here)
        number = (rows[0][5] - 1) // per_page + 1 if rows else 1
        return Page([tuple(row[:4]) for row in rows], number, paginator)


def _page_changes(scope: _Scope, page_rows: list[tuple]) -> list[Change]:
    """The page's rows as Changes, in the page's order: each kind's rows and the rows they
    are compared with in one query, named in one query per model (_Names)."""
    models_by_kind = {m._meta.label_lower: m for m in scope.filters}
    # Every kind, those not on the page too: the same queries on every page (_having).
    wanted: dict[type[models.Model], set[int]] = {model: set() for model in scope.filters}
    for kind, history_id, _when, previous in page_rows:
        wanted[models_by_kind[kind]] |= {history_id, previous} - {None}
    loaded = {
        model: {
            row.history_id: row
            for row in _having(history_rows(model), "history_id", ids).select_related(
                "history_user"
            )
        }
        for model, ids in wanted.items()
    }
    names = _Names({model: list(rows.values()) for model, rows in loaded.items()})
    partner_of = _partner_of(scope)
    version_of = _version_of(scope)
    changes = []
    for kind, history_id, _when, previous in page_rows:
        model = models_by_kind[kind]
        rows = loaded[model]
        change = _change(
            model,
            rows[history_id],
            rows.get(previous),
            names,
            partner_of.get(model, _nobody),
            version_of.get(model, _nobody),
        )
        if change is not None:  # a row whose fields differ only in how they are stored
            changes.append(change)
    return changes


def _nobody(row) -> None:
    return None
