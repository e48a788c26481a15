"""A synthetic portfolio: thousands of projects to measure the portal at scale (issue 13).

Everything is named as made up ("Synthetic project 00042", "Synthetic org 00007") and keeps
the rules the portal enforces (demo/portfolio_plan.py says how), with an audit trail as the
portal would have written it: a "+" row for each record, by the person who entered it, on
a date in the project's life, and "~" rows for what changed later (the description written,
each expenditure line submitted and decided, claims paid).

The portal's own organisation (PORTAL_OWN_ORGANISATION) takes part in every synthetic project,
so that the index lists them all. Rows are written in bulk (demo/bulk.py: COPY on
PostgreSQL), phase by phase, `CHUNK` projects at a time.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from demo import portfolio_rows as rows
from demo.bulk import BulkWriter
from demo.portfolio_plan import AS_OF, COUNTRIES, ProjectPlan, add_months, plan_project
from expenditure.models import ExchangeRate
from partners.models import City, Organisation
from partners.services import coordinators_enable
from projects.models import FundingSource, Programme, Project
from projects.roles import CONTROLLERS, COORDINATORS, PROJECT_MANAGERS, role_group

CHUNK = 250
PREFIX = "synthetic-"
PROGRAMME = "Synthetic programme"
ORGS_PER_COORDINATOR, ORGS_PER_CONTROLLER = 25, 100


# The bulk phases, each run over all projects, CHUNK at a time (demo/portfolio_rows.py).
PHASES = [
    ("projects, phases, milestones, periods", rows.write_projects),
    ("partners, budget versions, budgets, plans", rows.write_budgets),
    ("expenditure lines, claims", rows.write_expenditure),
]


class PortfolioExists(Exception):
    """The database holds synthetic projects already (and --append was not asked for)."""


@dataclass
class Size:
    projects: int
    partners: int
    lines: int
    seed: int = 1


@dataclass
class Context:
    """What every phase needs: the sizes, the pool of organisations and the people."""

    size: Size
    first_number: int  # the number of this run's first project (after those stored)
    sources: list[FundingSource]  # EU fund, national, municipal
    programme_id: int
    own_id: int
    own_country: str
    org_ids: list[int]
    org_countries: list[str]
    coordinator_of: dict[int, int]  # organisation → the user who keeps its data
    controller_of: dict[int, int]  # organisation → its first-level controller
    managers: list[int]
    rates: dict[dt.date, Decimal]  # RON per euro, by month
    writer: BulkWriter
    ids: dict[str, int] = field(default_factory=dict)  # next free key, by table

    def plan(self, index: int) -> ProjectPlan:
        return plan_project(
            self.size.seed, self.first_number + index, len(self.org_ids), self.size.partners
        )

    def partner(self, position: int) -> tuple[int, str]:
        """(organisation id, country) of a plan's partner position."""
        if position < 0:
            return self.own_id, self.own_country
        return self.org_ids[position], self.org_countries[position]


def synthetic_projects():
    return Project.objects.filter(slug__startswith=PREFIX)


def generate(size: Size, *, append: bool, report: Callable[[str], None]) -> Context:
    """Write the portfolio in one transaction, reporting each phase's time."""
    with transaction.atomic():
        existing = synthetic_projects().count()
        if existing and not append:
            raise PortfolioExists(existing)
        writer = BulkWriter()
        setup = lambda: _setup(size, existing, writer)  # noqa: E731
        context = _timed(report, "people, organisations, rates", setup)
        with writer.unindexed(rows.BULK_MODELS):
            for name, phase in PHASES:
                _timed(report, name, lambda phase=phase: _in_chunks(context, phase))
            started = time.monotonic()  # the indexes and keys are made on leaving
        report(f"indexes and foreign keys made again: {time.monotonic() - started:.1f} s")
        _timed(report, "sequences", writer.finish)
        _timed(report, "statistics (ANALYZE)", writer.analyze)
    return context


@transaction.atomic
def make_manager(username: str) -> int:
    """`username` (made when missing, with no password: set one with `changepassword`) as a
    project manager who also coordinates the portal's own organisation: the index lists every
    project the organisation takes part in, and their coordinator's worklist covers them all.
    Returns how many projects that is."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username)
        user.set_unusable_password()
        user.save()
    group = role_group(PROJECT_MANAGERS)
    if group is not None:
        user.groups.add(group)
    own = Organisation.objects.get(slug=settings.PORTAL_OWN_ORGANISATION)
    own.coordinators.add(user)
    coordinators_enable(organisation=own)
    return own.participations.count()


def _timed(report, name: str, work):
    started = time.monotonic()
    result = work()
    report(f"{name}: {time.monotonic() - started:.1f} s")
    return result


def _in_chunks(context: Context, phase) -> None:
    for start in range(0, context.size.projects, CHUNK):
        stop = min(start + CHUNK, context.size.projects)
        phase(context, [(index, context.plan(index)) for index in range(start, stop)])


def _setup(size: Size, existing: int, writer: BulkWriter) -> Context:
    managers = _users("manager", 3, PROJECT_MANAGERS)
    sources = _sources()
    programme = _programme(sources[0])
    pool = max(size.partners, size.projects * size.partners // 20)
    cities = _cities(writer, max(len(COUNTRIES), pool // 5))
    own = _own_organisation(cities[0])
    first_org = Organisation.objects.filter(slug__startswith=PREFIX).count()
    org_ids, countries = _organisations(writer, pool, first_org, cities)
    coordinators = _users(
        "coordinator", -(-(first_org + pool) // ORGS_PER_COORDINATOR), COORDINATORS
    )
    controllers = _users("controller", -(-(first_org + pool) // ORGS_PER_CONTROLLER), CONTROLLERS)
    coordinator_of = {
        org: coordinators[(first_org + i) // ORGS_PER_COORDINATOR] for i, org in enumerate(org_ids)
    }
    controller_of = {
        org: controllers[(first_org + i) // ORGS_PER_CONTROLLER] for i, org in enumerate(org_ids)
    }
    coordinator_of[own.pk], controller_of[own.pk] = coordinators[0], controllers[0]
    _assign(coordinator_of, controller_of)
    rates = _exchange_rates(writer, managers[0])
    return Context(
        size=size,
        first_number=existing + 1,
        sources=sources,
        programme_id=programme.pk,
        own_id=own.pk,
        own_country=own.city.country.code,
        org_ids=org_ids,
        org_countries=countries,
        coordinator_of=coordinator_of,
        controller_of=controller_of,
        managers=managers,
        rates=rates,
        writer=writer,
        ids={model: writer.next_id(model) for model in rows.KEYED},
    )


def _users(kind: str, count: int, role: str) -> list[int]:
    """The synthetic users `synthetic-<kind>-NNNN`, made when missing, in the role `role`."""
    User = get_user_model()
    names = [f"{PREFIX}{kind}-{n:04d}" for n in range(1, count + 1)]
    stored = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    new = [User(username=name, is_staff=True) for name in names if name not in stored]
    for user in new:
        user.set_unusable_password()
    User.objects.bulk_create(new)
    ids = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
    group = role_group(role)
    if group is not None:
        through = User.groups.through
        have = set(through.objects.filter(group=group).values_list("user_id", flat=True))
        through.objects.bulk_create(
            [through(user_id=pk, group=group) for pk in ids.values() if pk not in have]
        )
    return [ids[name] for name in names]


def _named(**texts) -> dict:
    """The same text in both languages' columns (and the default column)."""
    out = {}
    for name, text in texts.items():
        out |= {name: text, f"{name}_lv": text, f"{name}_en": text}
    return out


def _sources() -> list[FundingSource]:
    wanted = [
        ("erdf", "Synthetic ERDF", FundingSource.Kind.EU_FUND, 10),
        ("national", "Synthetic national co-financing", FundingSource.Kind.NATIONAL, 20),
        ("municipal", "Synthetic municipal co-financing", FundingSource.Kind.MUNICIPAL, 40),
    ]
    sources = []
    for code, name, kind, position in wanted:
        source = FundingSource.objects.filter(code=PREFIX + code).first()
        if source is None:
            source = FundingSource(code=PREFIX + code, kind=kind, position=position)
            for key, value in _named(name=name, short_name=name[:40]).items():
                setattr(source, key, value)
            source.save()
        sources.append(source)
    return sources


def _programme(fund: FundingSource) -> Programme:
    programme = Programme.objects.filter(name_en=PROGRAMME).first()
    if programme is None:
        programme = Programme(
            fund=fund, period_start=dt.date(2014, 1, 1), period_end=dt.date(2027, 12, 31)
        )
        for key, value in _named(name=PROGRAMME).items():
            setattr(programme, key, value)
        programme.save()
    return programme


@dataclass(frozen=True)
class SyntheticCity:
    pk: int
    country: str


def _cities(writer: BulkWriter, count: int) -> list[SyntheticCity]:
    stored = list(City.objects.filter(name_en__startswith="Synthetic city").order_by("pk"))
    cities = [SyntheticCity(c.pk, c.country.code) for c in stored]
    first_id, new = writer.next_id(City), []
    rng = random.Random("cities")
    for n in range(len(cities), count):
        code, lat, lon, _erdf, _national = COUNTRIES[n % len(COUNTRIES)]
        row = {
            "id": first_id + len(new),
            **_named(name=f"Synthetic city {n + 1:04d}"),
            "country": code,
            "latitude": Decimal(str(round(lat + rng.uniform(-1.5, 1.5), 3))),
            "longitude": Decimal(str(round(lon + rng.uniform(-1.5, 1.5), 3))),
        }
        new.append(row)
        cities.append(SyntheticCity(row["id"], code))
    rows.write_with_history(writer, City, new, rows.SETUP_TIME, None)
    return cities


def _own_organisation(city: SyntheticCity) -> Organisation:
    """The portal's own organisation (the demo's Ventspils when seed_demo ran; else one made
    here, named as synthetic)."""
    own = Organisation.objects.filter(slug=settings.PORTAL_OWN_ORGANISATION).first()
    if own is None:
        own = Organisation(slug=settings.PORTAL_OWN_ORGANISATION, city_id=city.pk)
        for key, value in _named(name="Synthetic own organisation").items():
            setattr(own, key, value)
        own.save()
    return Organisation.objects.select_related("city").get(pk=own.pk)


def _organisations(writer, count: int, first: int, cities) -> tuple[list[int], list[str]]:
    first_id, new = writer.next_id(Organisation), []
    for n in range(first, first + count):
        city = cities[n % len(cities)]
        new.append(
            {
                "id": first_id + len(new),
                **_named(name=f"Synthetic org {n + 1:05d}"),
                "slug": f"{PREFIX}org-{n + 1:05d}",
                "city_id": city.pk,
                "website": f"https://org-{n + 1:05d}.example.org/",
                "contact_name": f"Synthetic contact {n + 1:05d}",
                "contact_email": f"contact-{n + 1:05d}@example.org",
            }
        )
    rows.write_with_history(writer, Organisation, new, rows.SETUP_TIME, None)
    return [row["id"] for row in new], [
        cities[n % len(cities)].country for n in range(first, first + count)
    ]


def _assign(coordinator_of: dict[int, int], controller_of: dict[int, int]) -> None:
    for field_name, of in [("coordinators", coordinator_of), ("controllers", controller_of)]:
        through = getattr(Organisation, field_name).through
        have = set(
            through.objects.filter(organisation_id__in=list(of)).values_list(
                "organisation_id", "user_id"
            )
        )
        through.objects.bulk_create(
            [
                through(organisation_id=org, user_id=user)
                for org, user in of.items()
                if (org, user) not in have
            ]
        )


def _exchange_rates(writer: BulkWriter, user: int) -> dict[dt.date, Decimal]:
    """A RON rate for every month the generated lines may be submitted in, where none is
    stored (made up, near the real ones)."""
    months, month = [], dt.date(2016, 1, 1)
    while month <= AS_OF:
        months.append(month)
        month = add_months(month, 1)
    stored = set(ExchangeRate.objects.filter(currency="RON").values_list("month", flat=True))
    first_id, new = writer.next_id(ExchangeRate), []
    for n, month in enumerate(m for m in months if m not in stored):
        rate = Decimal("4.4500") + Decimal(months.index(month) % 60) / Decimal(100)
        new.append({"id": first_id + n, "currency": "RON", "month": month, "rate": rate})
    rows.write_with_history(writer, ExchangeRate, new, rows.SETUP_TIME, user)
    return dict(ExchangeRate.objects.filter(currency="RON").values_list("month", "rate"))
