"""What a funding report shows, gathered once, and the fingerprint of its figures.

`funding_report()` builds on `project_funding()` (the budget page's one source of figures)
and adds what only the reports show: phases, milestones and the date of the data. The PDF
templates only present the result.

The fingerprint is a SHA-256 of a canonical serialisation of the figures the report shows
(decimals as strings with two places, a fixed order, codes instead of translated labels).
It leaves out when and by whom the report was made, and the language: two copies with the
same figures carry the same fingerprint, whoever downloads them and in whichever language.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils import timezone, translation

from funding import rules
from funding.models import Budget, BudgetLine, CoFinancingShare
from funding.selectors import PartnerFunding, ProjectFunding, project_funding
from partners.models import Organisation, Participation
from projects.models import FundingSource, Milestone, Phase, Project

FINGERPRINT_VERSION = 1  # bump when the canonical form below changes


@dataclass(frozen=True)
class FundingReport:
    """Everything one report shows. `partner` is set for a partner's report."""

    project: Project
    funding: ProjectFunding
    partner: PartnerFunding | None
    phases: list[Phase]
    milestones: list[Milestone]  # shown in a partner's report only
    data_as_of: dt.datetime | None  # the last change to any of the data shown
    figures: dict  # the canonical figures the fingerprint is made of
    fingerprint: str


def funding_report(*, project: Project, partner_slug: str | None = None) -> FundingReport:
    """The data of a project's report, or of one partner's when `partner_slug` is given
    (a 404 when that organisation does not take part in the project)."""
    funding = project_funding(project)
    partner = None
    if partner_slug is not None:
        partner = next((p for p in funding.partners if p.organisation.slug == partner_slug), None)
        if partner is None:
            raise Http404("This organisation does not take part in the project.")
    phases = list(Phase.objects.filter(project=project).order_by("number"))
    milestones = (
        list(Milestone.objects.filter(project=project).select_related("phase"))
        if partner is not None
        else []
    )
    # Names are kept in two languages; the fingerprint reads one, whatever the reader's
    # language, so both copies of a report carry the same one.
    with translation.override(settings.LANGUAGE_CODE):
        figures = report_figures(
            funding=funding, partner=partner, phases=phases, milestones=milestones
        )
    return FundingReport(
        project=project,
        funding=funding,
        partner=partner,
        phases=phases,
        milestones=milestones,
        data_as_of=data_as_of(project),
        figures=figures,
        fingerprint=fingerprint(figures),
    )


# --- The fingerprint ------------------------------------------------------------------------


def _amount(value) -> str | None:
    if value is None:
        return None
    amount = getattr(value, "amount", value)
    return str(Decimal(amount).quantize(rules.CENT))


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _partner_figures(partner: PartnerFunding) -> dict:
    org = partner.organisation
    return {
        "organisation": org.slug,
        "name": org.name,
        "local_name": org.local_name,
        "city": org.city.name,
        "country": org.city.country.code,
        "role": partner.participation.role,
        "total": _amount(partner.total),
        "plan": [
            {"source": p.source.code, "rate": _amount(p.rate), "amount": _amount(p.amount)}
            for p in partner.parts
        ],
        "categories": [
            {"category": c.category, "amount": _amount(c.amount), "share": _amount(c.share)}
            for c in partner.categories
        ],
        "office_flat_rate": _amount(partner.office_flat_rate) if partner.categories else None,
    }


def report_figures(
    *,
    funding: ProjectFunding,
    partner: PartnerFunding | None,
    phases: list[Phase],
    milestones: list[Milestone],
) -> dict:
    """The figures and facts a report shows, as plain JSON-able values in a fixed order."""
    project = funding.project
    figures = {
        "version": FINGERPRINT_VERSION,
        "report": "partner" if partner else "project",
        "programme": project.programme.name,
        "project": {"slug": project.slug, "name": project.name, "acronym": project.acronym},
        "phases": [
            {
                "number": p.number,
                "name": p.name,
                "network_name": p.network_name,
                "approved_on": _day(p.approved_on),
                "start": _day(p.start),
                "planned_end": _day(p.planned_end),
                "actual_end": _day(p.actual_end),
            }
            for p in phases
        ],
        "sources": [{"code": s.code, "name": s.short_name or s.name} for s in funding.sources],
        "source_totals": [
            {"source": t.source.code, "amount": _amount(t.amount), "share": _amount(t.share)}
            for t in funding.source_totals
        ],
        "unplanned": _amount(funding.unplanned),
        "approved_total": _amount(funding.approved_total),
        "allocated": _amount(funding.allocated),
        "unallocated": _amount(funding.unallocated),
        "allocated_share": _amount(funding.allocated_share),
    }
    if partner is None:
        figures["partners"] = [_partner_figures(p) for p in funding.partners]
        figures["categories"] = [
            {"category": c.category, "amount": _amount(c.amount), "share": _amount(c.share)}
            for c in funding.categories
        ]
    else:
        figures["partner"] = _partner_figures(partner)
        figures["milestones"] = [
            {
                "title": m.title,
                "kind": m.kind,
                "start": _day(m.start),
                "end": _day(m.end),
                "place": m.place,
                "phase": m.phase.number if m.phase else None,
            }
            for m in milestones
        ]
    return figures


def canonical(figures: dict) -> bytes:
    """One byte string per set of figures: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def fingerprint(figures: dict) -> str:
    return hashlib.sha256(canonical(figures)).hexdigest()


# --- The date of the data -------------------------------------------------------------------


def _latest(history_qs) -> Subquery:
    return Subquery(history_qs.order_by("-history_date").values("history_date")[:1])


def data_as_of(project: Project) -> dt.datetime | None:
    """When anything a report of this project shows last changed (deletions included),
    from the audit trail; one query."""
    participations = Participation.history.filter(project_id=OuterRef("pk")).values("id")
    budgets = Budget.history.filter(participation_id__in=participations).values("id")
    organisations = Participation.history.filter(project_id=OuterRef("pk")).values(
        "organisation_id"
    )
    row = (
        Project.objects.filter(pk=project.pk)
        .annotate(
            last_project=_latest(Project.history.filter(id=OuterRef("pk"))),
            last_phases=_latest(Phase.history.filter(project_id=OuterRef("pk"))),
            last_milestones=_latest(Milestone.history.filter(project_id=OuterRef("pk"))),
            last_participations=_latest(Participation.history.filter(project_id=OuterRef("pk"))),
            last_organisations=_latest(Organisation.history.filter(id__in=organisations)),
            last_budgets=_latest(Budget.history.filter(id__in=budgets)),
            last_shares=_latest(CoFinancingShare.history.filter(budget_id__in=budgets)),
            last_lines=_latest(BudgetLine.history.filter(budget_id__in=budgets)),
            last_sources=_latest(FundingSource.history.all()),
        )
        .values(
            "last_project",
            "last_phases",
            "last_milestones",
            "last_participations",
            "last_organisations",
            "last_budgets",
            "last_shares",
            "last_lines",
            "last_sources",
        )
        .first()
    )
    dates = [d for d in (row or {}).values() if d is not None]
    return timezone.localtime(max(dates)) if dates else None


# --- The name of its file -------------------------------------------------------------------

LANGUAGES = ("lv", "en")  # the languages a report is made in


def report_filename(report: FundingReport, day: dt.date) -> str:
    """`funding-report-di4c-2026-11-25.pdf`, or `…-di4c-ventspils-…` for a partner."""
    parts = ["funding-report", report.project.slug]
    if report.partner is not None:
        parts.append(report.partner.organisation.slug)
    return f"{'-'.join(parts)}-{day.isoformat()}.pdf"
