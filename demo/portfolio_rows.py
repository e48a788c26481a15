"""The rows of the synthetic portfolio, phase by phase, with their audit trail
(demo/portfolio.py runs the phases; demo/portfolio_plan.py decides the figures).

Keys that other rows point to are computed from the project's index (`Keys`), so that a later
phase finds them without reading anything back; the rest are numbered as they come.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.db.models import Model
from django.utils import timezone

from demo.bulk import BulkWriter
from demo.portfolio_plan import (
    AS_OF,
    CURRENCY_OF,
    DAY,
    PERIODS,
    PHASES,
    VERSIONS,
    ProjectPlan,
    cost_lines,
    milestones,
    plan_rates,
)
from expenditure import claim_rules
from expenditure.models import Claim, ExpenditureLine, ReportingPeriod
from expenditure.rules import month_of, to_euro
from funding.models import Budget, BudgetLine, BudgetVersion, CoFinancingShare
from funding.rules import Share
from partners.models import Participation
from projects.models import Milestone, Phase, Project

EURO = "EUR"
SPENT_ON = ["staff", "travel", "expertise", "equipment"]  # what the lines are for
REJECTED = "Synthetic rejection: the invoice does not match the proof of payment."


def riga(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


SETUP_TIME = riga(dt.date(2015, 12, 1), 9)


def both(name: str, lv: str, en: str) -> dict:
    """A text kept in both languages: the default column holds the Latvian, as the portal's."""
    return {name: lv, f"{name}_lv": lv, f"{name}_en": en}


class Batch:
    """The rows of one chunk of projects and their historical rows, written in one go."""

    def __init__(self) -> None:
        self.rows: dict[type[Model], list[dict]] = defaultdict(list)
        self.history: dict[type[Model], list[dict]] = defaultdict(list)

    def add(self, model: type[Model], row: dict, when: dt.datetime, user: int | None) -> None:
        """A record entered at `when` by `user`: the row and its "+" historical row."""
        self.rows[model].append(row)
        self.change(model, row, when, user, kind="+")

    def change(self, model, row: dict, when, user, kind: str = "~") -> None:
        """A historical row only: the record as it was after a change at `when`."""
        self.history[model].append(
            row | {"history_date": when, "history_type": kind, "history_user_id": user}
        )

    def write(self, writer: BulkWriter) -> None:
        for model, rows in self.rows.items():
            writer.write(model, rows)
        for model, rows in self.history.items():
            writer.write(model.history.model, rows, with_pk=False)


def write_with_history(writer: BulkWriter, model, rows: list[dict], when, user) -> None:
    batch = Batch()
    for row in rows:
        batch.add(model, row, when, user)
    batch.write(writer)


class Keys:
    """The primary keys of the rows other rows point to, from the project's index."""

    def __init__(self, context) -> None:
        first = context.ids
        self.partners = context.size.partners
        self.project = lambda i: first[Project] + i
        self.phase = lambda i, k: first[Phase] + i * PHASES + k
        self.period = lambda i, k: first[ReportingPeriod] + i * PERIODS + k
        self.participation = lambda i, j: first[Participation] + i * self.partners + j
        self.version = lambda i, v: first[BudgetVersion] + i * VERSIONS + v
        self.budget = lambda i, j, v: first[Budget] + (i * self.partners + j) * VERSIONS + v


def next_key(context, model: type[Model]) -> int:
    key = context.ids[model]
    context.ids[model] = key + 1
    return key


def write_projects(context, plans: list[tuple[int, ProjectPlan]]) -> None:
    keys, batch = Keys(context), Batch()
    for i, plan in plans:
        manager = context.managers[plan.number % len(context.managers)]
        entered = riga(plan.entered, 9, plan.number % 60)
        n = plan.number
        project = {
            "id": keys.project(i),
            "programme_id": context.programme_id,
            **both("name", f"Sintētiskais projekts {n:05d}", f"Synthetic project {n:05d}"),
            "acronym": f"SYN{n:05d}",
            "slug": f"synthetic-{n:05d}",
            "network_type": Project.NetworkType.ACTION_PLANNING.value,
            **both("description", "", ""),
        }
        batch.add(Project, project, entered, manager)
        project |= both("description", plan.description, plan.description)
        batch.rows[Project][-1] = project
        batch.change(Project, project, entered + 7 * DAY, manager)
        for k, phase in enumerate(plan.phases):
            row = {
                "id": keys.phase(i, k),
                "project_id": keys.project(i),
                "number": phase.number,
                **both("name", f"{phase.number}. posms", f"Phase {phase.number}"),
                **both("network_name", f"Sintētiskais tīkls {n:05d}", f"Synthetic network {n:05d}"),
                "approved_on": phase.approved_on,
                "start": phase.start,
                "planned_end": phase.planned_end,
                "actual_end": phase.actual_end,
            }
            batch.add(Phase, row, entered + dt.timedelta(minutes=1), manager)
        for phase_number, title, kind, start, end in milestones(plan):
            row = {
                "id": next_key(context, Milestone),
                "project_id": keys.project(i),
                "phase_id": keys.phase(i, phase_number - 1),
                **both("title", f"Sintētisks: {title}", f"Synthetic: {title}"),
                "kind": kind,
                "start": start,
                "end": end,
                **both("place", "Tiešsaistē", "Online"),
            }
            batch.add(Milestone, row, entered + dt.timedelta(minutes=2), manager)
        for k, period in enumerate(plan.periods):
            row = {
                "id": keys.period(i, k),
                "project_id": keys.project(i),
                "number": period.number,
                "start": period.start,
                "end": period.end,
                "report_due": period.report_due,
            }
            batch.add(ReportingPeriod, row, entered + dt.timedelta(minutes=3), manager)
    batch.write(context.writer)


def write_budgets(context, plans: list[tuple[int, ProjectPlan]]) -> None:
    keys, batch = Keys(context), Batch()
    for i, plan in plans:
        manager = context.managers[plan.number % len(context.managers)]
        entered = riga(plan.entered, 10, plan.number % 60)
        for j, position in enumerate(plan.partners):
            organisation, _country = context.partner(position)
            row = {
                "id": keys.participation(i, j),
                "project_id": keys.project(i),
                "organisation_id": organisation,
                "role": Participation.Role.LEAD.value
                if j == 0
                else Participation.Role.PARTNER.value,
                "joined_on": plan.phases[0].start,
            }
            batch.add(Participation, row, entered, manager)
        for v in range(len(plan.versions)):
            _version(context, batch, keys, i, plan, v, manager)
    batch.write(context.writer)


def _version(context, batch: Batch, keys: Keys, i: int, plan: ProjectPlan, v: int, manager) -> None:
    version = plan.versions[v]
    n = plan.number
    when = riga(version.date, 10, n % 60)
    document = {
        "planned": ("Sintētisks pieteikums", "Synthetic application"),
        "approved": ("Sintētisks apstiprinājuma lēmums", "Synthetic approval decision"),
    }[version.kind]
    row = {
        "id": keys.version(i, v),
        "project_id": keys.project(i),
        "number": version.number,
        "kind": version.kind,
        "date": version.date,
        **both(
            "document_reference", f"SYN-{n:05d}-{version.number}", f"SYN-{n:05d}-{version.number}"
        ),
        **both("document_title", *document),
        "total": version.total,
        "total_currency": EURO,
        "entered_by_id": manager,
    }
    batch.add(BudgetVersion, row, when, manager)
    current = v == len(plan.versions) - 1
    for j, position in enumerate(plan.partners):
        organisation, country = context.partner(position)
        coordinator = context.coordinator_of[organisation]
        total = version.budgets[j]
        budget = {
            "id": keys.budget(i, j, v),
            "participation_id": keys.participation(i, j),
            "budget_version_id": keys.version(i, v),
            "total": total,
            "total_currency": EURO,
            "office_flat_rate": Decimal("15.00"),
            "version": 1,
        }
        at = when + dt.timedelta(hours=1, minutes=j)
        batch.add(Budget, budget, at, coordinator)
        for source, rate in zip(context.sources, plan_rates(country), strict=True):
            share = {
                "id": next_key(context, CoFinancingShare),
                "budget_id": budget["id"],
                "source_id": source.pk,
                "rate": rate,
            }
            batch.add(CoFinancingShare, share, at, coordinator)
        if current:
            for category, amount in cost_lines(total).items():
                line = {
                    "id": next_key(context, BudgetLine),
                    "budget_id": budget["id"],
                    "category": category,
                    "amount": amount,
                    "amount_currency": EURO,
                }
                batch.add(BudgetLine, line, at, coordinator)


def lines_of(context, index: int, partner: int) -> int:
    """How many lines a partner of the project gets: the total spread evenly."""
    size = context.size
    slots = size.projects * size.partners
    slot = index * size.partners + partner
    return size.lines // slots + (1 if slot < size.lines % slots else 0)


def write_expenditure(context, plans: list[tuple[int, ProjectPlan]]) -> None:
    keys, batch = Keys(context), Batch()
    for i, plan in plans:
        rng = random.Random(f"{context.size.seed}:{plan.number}:lines")
        for j, position in enumerate(plan.partners):
            _partner_lines(context, batch, keys, rng, i, j, plan, position)
    batch.write(context.writer)


def _partner_lines(context, batch, keys, rng, i, j, plan: ProjectPlan, position: int) -> None:
    organisation, country = context.partner(position)
    coordinator = context.coordinator_of[organisation]
    controller = context.controller_of[organisation]
    currency = CURRENCY_OF.get(country, EURO)
    open_periods = [(k, p) for k, p in enumerate(plan.periods) if p.start <= AS_OF]
    certified: dict[int, Decimal] = defaultdict(Decimal)
    decided_on: dict[int, dt.date] = {}
    for number in range(lines_of(context, i, j)):
        k, period = open_periods[number % len(open_periods)]
        last = min(period.end, AS_OF)
        paid_on = period.start + rng.randrange((last - period.start).days + 1) * DAY
        euros = Decimal(rng.randrange(5_000, 800_000)) / 100
        amount = (euros * Decimal("4.9")).quantize(Decimal("0.01")) if currency != EURO else euros
        line = {
            "id": next_key(context, ExpenditureLine),
            "participation_id": keys.participation(i, j),
            "period_id": keys.period(i, k),
            "paid_on": paid_on,
            "category": rng.choice(SPENT_ON),
            "description": f"Synthetic expenditure {plan.number:05d}-{j:02d}-{number:04d}",
            "supplier": f"Synthetic supplier {rng.randint(1, 500):03d}",
            "document_reference": f"SYN-INV-{plan.number:05d}-{j:02d}-{number:04d}",
            "amount": amount,
            "amount_currency": currency,
            "amount_eur_currency": None,
            "is_sample": False,
        }
        created = riga(min(paid_on + 3 * DAY, AS_OF), 11, number % 60)
        submitted = riga(period.end + 20 * DAY, 10, number % 60)
        decided = submitted + dt.timedelta(days=25, hours=2)
        if submitted.date() > AS_OF:
            batch.add(ExpenditureLine, line, created, coordinator)
            continue
        batch.change(ExpenditureLine, line, created, coordinator, kind="+")
        rate = Decimal(1) if currency == EURO else context.rates[month_of(submitted.date())]
        line |= {
            "rate": rate,
            "rate_month": month_of(submitted.date()),
            "amount_eur": to_euro(amount, rate),
            "amount_eur_currency": EURO,
            "status": "submitted",
            "submitted_at": submitted,
            "submitted_by_id": coordinator,
        }
        if decided.date() > AS_OF:
            batch.rows[ExpenditureLine].append(line)
            batch.change(ExpenditureLine, line, submitted, coordinator)
            continue
        batch.change(ExpenditureLine, line, submitted, coordinator)
        accepted = rng.random() < 0.92
        line |= {
            "status": "certified" if accepted else "rejected",
            "decided_at": decided,
            "decided_by_id": controller,
            "rejection_reason": "" if accepted else REJECTED,
        }
        batch.rows[ExpenditureLine].append(line)
        batch.change(ExpenditureLine, line, decided, controller)
        if accepted:
            certified[k] += line["amount_eur"]
        decided_on[k] = max(decided_on.get(k, decided.date()), decided.date())
    _claims(context, batch, keys, i, j, plan, country, certified, decided_on, coordinator)


def _claims(context, batch, keys, i, j, plan, country, certified, decided_on, user) -> None:
    """One claim per period with certified spending: the whole ERDF due on it, as the current
    version's plan splits it (claim_rules.erdf_due, the portal's own rule)."""
    shares = [
        Share(key=source.pk, rate=rate, is_eu_fund=source.is_eu_fund)
        for source, rate in zip(context.sources, plan_rates(country), strict=True)
    ]
    for k, amount in sorted(certified.items()):
        due = claim_rules.erdf_due(amount, shares)
        claimed_on = decided_on[k] + 15 * DAY
        if due <= 0 or claimed_on > AS_OF:
            continue
        claim = {
            "id": next_key(context, Claim),
            "participation_id": keys.participation(i, j),
            "period_id": keys.period(i, k),
            "reference": f"SYN-CLAIM-{plan.number:05d}-{j:02d}-{k + 1}",
            "claimed_on": claimed_on,
            "claimed": due,
            "claimed_currency": EURO,
            "received_currency": None,
        }
        batch.add(Claim, claim, riga(claimed_on, 12), user)
        received_on = claimed_on + 60 * DAY
        if received_on <= AS_OF:
            claim |= {"received_on": received_on, "received": due, "received_currency": EURO}
            batch.rows[Claim][-1] = claim
            batch.change(Claim, claim, riga(received_on, 12), user)


KEYED = [
    Project,
    Phase,
    Milestone,
    ReportingPeriod,
    Participation,
    BudgetVersion,
    Budget,
    CoFinancingShare,
    BudgetLine,
    ExpenditureLine,
    Claim,
]
