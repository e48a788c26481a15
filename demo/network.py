"""The demo network, exactly as ../shared/DOMAIN.md gives it (from the Ventspils news item).

Only facts the sources state are entered: the other partners' budgets are unknown, so they
stay "not yet entered" and the unallocated part of the total shows on the pages.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models, transaction
from djmoney.money import Money

from funding.models import BudgetVersion
from funding.services import budget_set, budget_version_add
from partners.models import City, Initiative, Organisation, Participation
from projects.models import FundingSource, Milestone, Phase, Programme, Project

D = dt.date


# Texts kept in both languages are {"lv": …, "en": …}; the Latvian as the news item writes it
# (../shared/DOMAIN.md, "Latvian names").
def T(lv: str, en: str) -> dict[str, str]:  # noqa: N802 (reads like a table cell)
    return {"lv": lv, "en": en}


SOURCES = [
    # code, name, short name, kind, position
    ("erdf", T("Eiropas Reģionālās attīstības fonds", "European Regional Development Fund"),
     T("ERAF", "ERDF"), FundingSource.Kind.EU_FUND, 10),
    ("lv-state-budget", T("Latvijas valsts budžeta finansējums", "Latvian state budget"),
     T("Valsts budžets", "LV state budget"), "national", 20),
    ("ventspils-municipality",
     T("Ventspils pilsētas pašvaldības līdzfinansējums", "Ventspils municipality"),
     T("Ventspils pašvaldība", "Ventspils municipality"), "municipal", 40),
]  # fmt: skip

# slug, organisation, local name, city, country, lat, lon, role
PARTNERS = [
    ("messina", T("Mesīnas pašvaldības Biznesa inovācijas centrs",
                  "Business Innovation Centre of the Municipality of Messina"), "",
     T("Mesīna", "Messina"), "IT", "38.193", "15.554", Participation.Role.LEAD),
    ("ventspils", T("Ventspils Digitālais centrs", "Ventspils Digital Centre"),
     "Ventspils Digitālais centrs", T("Ventspils", "Ventspils"), "LV",
     "57.389", "21.564", Participation.Role.PARTNER),
    ("saint-quentin", T("Sentkventinas pašvaldība", "Municipality of Saint-Quentin"), "",
     T("Sentkventina", "Saint-Quentin"), "FR", "49.848", "3.287", Participation.Role.PARTNER),
    ("roquetas-de-mar", T("Roquetas de Mar pašvaldība", "Municipality of Roquetas de Mar"), "",
     T("Roquetas de Mar", "Roquetas de Mar"), "ES", "36.764", "-2.615",
     Participation.Role.PARTNER),
    ("portalegre", T("Portalegre pašvaldība", "Municipality of Portalegre"), "",
     T("Portalegre", "Portalegre"), "PT", "39.297", "-7.428", Participation.Role.PARTNER),
    ("botosani", T("Botošani pašvaldība", "Municipality of Botoșani"), "",
     T("Botošani", "Botoșani"), "RO", "47.748", "26.660", Participation.Role.PARTNER),
    ("trikala", T("Trikalas pašvaldība", "Municipality of Trikala"), "",
     T("Trikala", "Trikala"), "GR", "39.555", "21.768", Participation.Role.PARTNER),
    ("oulu", T("Oulu pašvaldība", "City of Oulu"), "", T("Oulu", "Oulu"), "FI",
     "65.012", "25.471", Participation.Role.PARTNER),
]  # fmt: skip

INITIATIVES = [
    ("trikala",
     T("Eksperimentāla autobusu līnija bez vadītāja", "Experimental driverless bus line"),
     T("Eksperimentāla viedā autobusu līnija pilsētā, kurā autobuss kursē bez vadītāja.",
       "An experimental smart bus line in the city that runs without a driver.")),
    ("oulu", T("5G pašvaldības pakalpojumos kopā ar Nokia", "5G in municipal services, with Nokia"),
     T("Kopā ar Nokia pēta, kā pašvaldība var izmantot 5G datu tīklu.",
       "Explores with Nokia how the municipality can use a 5G data network.")),
    ("botosani", T("Pilsētas rajons, kas saražo vairāk enerģijas, nekā patērē",
                   "A district that makes more energy than it uses"),
     T("Pēta pilsētas rajonu, kas saražo vairāk atjaunojamās enerģijas, nekā patērē.",
       "Studies a city district that produces more renewable energy than it consumes.")),
]  # fmt: skip

PHASES = [
    # number, name, network name, approved on, start, planned end, actual end
    (1, T("1. posms", "Phase 1"),
     T("Pilsētu digitālās inovācijas (DI4C)", "Digital Innovation 4 Cities (DI4C)"), None,
     D(2019, 9, 2), D(2020, 3, 2), D(2020, 3, 2)),
    # Planned for 24 months; ran 27 after the programme-wide 3-month COVID extension.
    (2, T("2. posms", "Phase 2"), T("DigiPlace", "DigiPlace"), D(2020, 5, 7), D(2020, 5, 7),
     D(2022, 5, 7), D(2022, 8, 7)),
]  # fmt: skip

M = Milestone.Kind
MILESTONES = [
    # phase, title, kind, start, end, place
    (1, T("Projekta atklāšanas sanāksme", "Kick-off meeting"), M.MEETING,
     D(2019, 10, 16), D(2019, 10, 17), T("Mesīna", "Messina")),
    (1, T("Ekspertu vizīte Ventspilī", "Expert visit to Ventspils"), M.MEETING,
     D(2019, 12, 3), D(2019, 12, 4), T("Ventspils", "Ventspils")),
    (1, T("1. posma noslēguma sanāksme", "Phase 1 closing meeting"), M.MEETING,
     D(2020, 2, 11), D(2020, 2, 12), T("Sentkventina", "Saint-Quentin")),
    (None, T("Ventspils pilsētas dome nolemj piedalīties 2. posmā",
             "Ventspils City Council decides to take part in phase 2"), M.DECISION,
     D(2020, 4, 3), None, T("Ventspils", "Ventspils")),
    (2, T("2. posms apstiprināts", "Phase 2 approved"), M.DECISION, D(2020, 5, 7), None,
     T("", "")),
    (2, T("2. posma atklāšanas sanāksme", "Phase 2 kick-off meeting"), M.MEETING,
     D(2020, 6, 16), D(2020, 6, 17), T("Tiešsaistē", "Online")),
    (2, T("Noslēguma sanāksme", "Final meeting"), M.MEETING, D(2022, 7, 6), D(2022, 7, 8),
     T("Mesīna", "Messina")),
]  # fmt: skip

VENTSPILS_BUDGET = Money(Decimal("51280.00"), "EUR")
VENTSPILS_PLAN = [("erdf", Decimal("85")), ("lv-state-budget", Decimal("5")),
                  ("ventspils-municipality", Decimal("10"))]  # fmt: skip


def _both(values: dict) -> dict:
    """{"name": T(lv, en)} → {"name_lv": lv, "name_en": en}; other values as they are."""
    out = {}
    for key, value in values.items():
        if isinstance(value, dict):
            out |= {f"{key}_{lang}": text for lang, text in value.items()}
        else:
            out[key] = value
    return out


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> models.Model:
    """get-or-create that saves only when something differs: a second run writes nothing,
    so it leaves no entries in the audit trail either. Texts in both languages are looked up
    and stored by their language columns, whatever language is active."""
    lookup, values = _both(lookup), _both(values)
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**(lookup | values))
    elif all(getattr(obj, k) == v for k, v in values.items()):
        return obj
    else:
        for k, v in values.items():
            setattr(obj, k, v)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def load_demo_network() -> Project:
    sources = {
        code: _upsert(
            FundingSource,
            {"code": code},
            {"name": name, "short_name": short, "kind": kind, "position": pos},
        )
        for code, name, short, kind, pos in SOURCES
    }
    programme = _upsert(
        Programme,
        {"name": {"en": "URBACT III"}},
        {
            "name": T("URBACT III", "URBACT III"),
            "fund": sources["erdf"],
            "period_start": D(2014, 1, 1),
            "period_end": D(2020, 12, 31),
            "website": "https://urbact.eu/",
        },
    )
    project = _upsert(
        Project,
        {"slug": "di4c"},
        {
            "programme": programme,
            "name": T("Pilsētu digitālās inovācijas", "Digital Innovation 4 Cities"),
            "current_name": "DigiPlace",
            "acronym": "DI4C",
            "network_type": Project.NetworkType.ACTION_PLANNING,
            "description": T(
                "URBACT III rīcības plānošanas tīkls, kurā astoņas Eiropas mazās un vidējās "
                "pilsētas strādā pie digitālās transformācijas; 2. posmā tas pārdēvēts par "
                "DigiPlace. Katra pilsēta sagatavo integrētās rīcības plānu (IRP).",
                "An URBACT III Action Planning Network of eight small and medium-sized European "
                "cities on digital transformation; renamed DigiPlace in phase 2. Each city "
                "prepares an Integrated Action Plan (IAP).",
            ),
        },
    )
    phases = {}
    for number, name, network_name, approved, start, planned, actual in PHASES:
        phases[number] = _upsert(
            Phase,
            {"project": project, "number": number},
            {
                "name": name,
                "network_name": network_name,
                "approved_on": approved,
                "start": start,
                "planned_end": planned,
                "actual_end": actual,
            },
        )
    for phase, title, kind, start, end, place in MILESTONES:
        _upsert(
            Milestone,
            {"project": project, "title": {"en": title["en"]}},
            {"title": title}
            | {
                "phase": phases.get(phase),
                "kind": kind,
                "start": start,
                "end": end,
                "place": place,
            },
        )
    participations = _load_partners(project)
    _load_planned_version(project)
    budget_set(
        participation=participations["ventspils"],
        total=VENTSPILS_BUDGET,
        plan=[(sources[code], rate) for code, rate in VENTSPILS_PLAN],
    )
    return project


# The figures the article gives are those planned in the phase 2 application, on which the
# council decided on 3 April 2020: planned, not approved (../shared/DOMAIN.md).
PLANNED_VERSION = {
    "kind": BudgetVersion.Kind.PLANNED,
    "date": D(2020, 4, 3),
    "document_reference": T(
        "Ventspils pilsētas domes 2020. gada 3. aprīļa lēmums",
        "Ventspils City Council decision of 3 April 2020",
    ),
    "document_title": T(
        "Plānotais finansējums 2. posma pieteikumā",
        "Planned funding in the phase 2 application",
    ),
    "total": Money(Decimal("714990.00"), "EUR"),
}


def _load_planned_version(project: Project) -> BudgetVersion:
    """Version 1 of the project's budget; entered once (budget_version_add), then kept as
    the demo gives it."""
    if not BudgetVersion.objects.filter(project=project, number=1).exists():
        return budget_version_add(BudgetVersion(project=project, **_both(PLANNED_VERSION)))
    return _upsert(BudgetVersion, {"project": project, "number": 1}, PLANNED_VERSION)


def _load_partners(project: Project) -> dict[str, Participation]:
    participations = {}
    for slug, name, local, city_name, country, lat, lon, role in PARTNERS:
        city = _upsert(
            City,
            {"name": {"en": city_name["en"]}, "country": country},
            {"name": city_name} | {"latitude": Decimal(lat), "longitude": Decimal(lon)},
        )
        org = _upsert(
            Organisation, {"slug": slug}, {"name": name, "local_name": local, "city": city}
        )
        participations[slug] = _upsert(
            Participation, {"project": project, "organisation": org}, {"role": role}
        )
    orgs = {p.organisation.slug: p.organisation for p in participations.values()}
    for slug, title, description in INITIATIVES:
        _upsert(
            Initiative,
            {"organisation": orgs[slug], "title": {"en": title["en"]}},
            {"title": title, "description": description},
        )
    return participations
