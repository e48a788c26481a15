"""What a funding report shows, gathered once, and its canonical figures.

`funding_report()` builds on `project_funding()` (the budget page's one source of figures)
and adds what only the reports show: phases, milestones and the date of the data. The PDF
templates only present the result.

What a report covers is defined once, in audit/coverage.py; from it come the report's
canonical figures (`report_figures()`: the covered fields of every record it shows, and the
figures computed from them), its "data as of" date and the changes counted since the previous
report (`covered_changes()`). The figures are a JSON document (its schema: README.md,
"Checking a report") in RFC 8785 canonical form; the fingerprint is the SHA-256 of exactly
those bytes, which the portal also serves as `funding.json` and attaches to the PDF. It
leaves out when, by whom and in which language the report was made: both languages' names are in it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

import rfc8785
from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils import timezone, translation

from audit.coverage import PARTNER_REPORT, PROJECT_REPORT, covered_changes, covered_fields
from expenditure.models import ExpenditureLine, Status
from expenditure.selectors import (
    CategoryFigures,
    Figures,
    PartnerExpenditure,
    ProjectExpenditure,
    StateFigures,
    project_expenditure,
)
from funding import rules
from funding.models import BudgetVersion
from funding.selectors import ZERO, PartnerFunding, ProjectFunding, euro, project_funding
from projects.models import FundingSource, Milestone, Phase, Project
from reports import expenditure_tables
from urbact_portal.lib.translation import LANGUAGES  # the languages a report is made in

# The schema of the canonical figures (README.md, "Checking a report"); a new number when it
# changes.
SCHEMA = "urbact-portal/funding-report/6"


@dataclass(frozen=True)
class FundingReport:
    """Everything one report shows. `partner` is set for a partner's report."""

    project: Project
    funding: ProjectFunding
    partner: PartnerFunding | None
    phases: list[Phase]
    milestones: list[Milestone]  # shown in a partner's report only
    expenditure: ProjectExpenditure  # expenditure/selectors.py: the budget page's figures
    # A partner's certified and rejected lines (its report only), each with `corrected_by`
    # (ExpenditureLineQuerySet.with_corrected_by(): a superseded line no longer counts).
    lines: list[ExpenditureLine]
    changes: list  # audit.trail.Change: the recorded changes of what it shows, newest first
    figures: dict  # the canonical figures (report_figures())
    canonical_json: bytes  # their RFC 8785 form: what funding.json serves and the PDF carries
    fingerprint: str  # SHA-256 of canonical_json

    @property
    def kind(self) -> str:
        return PARTNER_REPORT if self.partner else PROJECT_REPORT

    @property
    def version(self) -> BudgetVersion | None:
        """The version of the budget it shows (None: the project has none yet)."""
        return self.funding.version

    @property
    def partner_expenditure(self) -> PartnerExpenditure | None:
        if self.partner is None:
            return None
        pk = self.partner.participation.pk
        return next(p for p in self.expenditure.partners if p.participation.pk == pk)

    @property
    def certified_lines(self) -> list[ExpenditureLine]:
        return [line for line in self.lines if line.status == Status.CERTIFIED]

    @property
    def rejected_lines(self) -> list[ExpenditureLine]:
        return [line for line in self.lines if line.status == Status.REJECTED]

    @property
    def claims(self) -> list:
        """A partner's claims, period by period, oldest first."""
        own = self.partner_expenditure
        return [claim for row in own.periods for claim in row.claims] if own else []

    @property
    def certified_total(self):
        """The certified lines that count (not those a certified correction superseded): the
        partner's certified figure, read from the selectors, not added up again here."""
        own = self.partner_expenditure
        return own.figures.certified if own else euro(ZERO)

    @property
    def rejected_total(self):
        return euro(sum((line.amount_eur.amount for line in self.rejected_lines), ZERO))

    @property
    def state(self) -> StateFigures | None:
        """The own organisation's state co-financing, in the project's reports and in the own
        organisation's (None in another partner's, or when it takes no part)."""
        if self.partner is None:
            return self.expenditure.state
        return own_state(self.expenditure.state, self.partner)

    @property
    def expenditure_tables(self) -> list:
        """The PDF's expenditure tables, labelled in the reader's language."""
        if self.partner is None:
            return expenditure_tables.project_tables(self.expenditure)
        return expenditure_tables.partner_tables(self.expenditure, self.partner_expenditure)

    @property
    def data_as_of(self) -> dt.datetime | None:
        """When anything this report shows last changed (deletions included)."""
        return timezone.localtime(self.changes[0].when) if self.changes else None


def funding_report(
    *, project: Project, partner_slug: str | None = None, version: BudgetVersion | None = None
) -> FundingReport:
    """The data of a project's report, or of one partner's when `partner_slug` is given
    (a 404 when that organisation does not take part in the project), on one version of the
    budget (by default the current one)."""
    funding = project_funding(project, version)
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
    expenditure = project_expenditure(project, funding)
    lines = (
        list(
            ExpenditureLine.objects.with_corrected_by()
            .filter(
                participation=partner.participation,
                status__in=[Status.CERTIFIED, Status.REJECTED],
            )
            .select_related("period")
            .prefetch_related("documents")
            .order_by("period__number", "paid_on", "pk")
        )
        if partner is not None
        else []
    )
    for line in lines:  # the day decided, in the portal's time zone (the JSON and the PDF)
        line.decided_on = timezone.localtime(line.decided_at).date() if line.decided_at else None
    # Names are kept in two languages; the fingerprint reads one, whatever the reader's
    # language, so both copies of a report carry the same one.
    with translation.override(settings.LANGUAGE_CODE):
        figures = report_figures(
            funding=funding,
            partner=partner,
            phases=phases,
            milestones=milestones,
            expenditure=expenditure,
            lines=lines,
        )
        data = canonical(figures)
    return FundingReport(
        project=project,
        funding=funding,
        partner=partner,
        phases=phases,
        milestones=milestones,
        expenditure=expenditure,
        lines=lines,
        changes=covered_changes(
            project,
            participation_id=partner.participation.pk if partner else None,
            version_id=funding.version.pk if funding.version else None,
        ),
        figures=figures,
        canonical_json=data,
        fingerprint=hashlib.sha256(data).hexdigest(),
    )


# --- The canonical figures ------------------------------------------------------------------


def both_languages(obj, field: str) -> dict[str, str]:
    """A text field in both report languages: `<field>_lv`/`<field>_en` where the model has
    them (django-modeltranslation), else the one value for both."""
    return {
        language: getattr(obj, f"{field}_{language}", None) or getattr(obj, field)
        for language in LANGUAGES
    }


# Text fields whose value is a name a reader reads (in both languages in the figures).
NAMES = {
    "name",
    "short_name",
    "network_name",
    "title",
    "place",
    "document_reference",
    "document_title",
}


def _amount(value) -> str | None:
    """An amount or a percentage as a string with two decimals ("51280.00")."""
    if value is None:
        return None
    amount = getattr(value, "amount", value)
    return str(Decimal(amount).quantize(rules.CENT))


# Exchange rates keep their stored places (InforEuro gives up to four decimals).
EXACT = {"rate"}


def _plain(obj, field: models.Field):
    value = getattr(obj, field.attname)
    if value is None:
        return None
    if field.name in EXACT:
        return str(value)
    if field.name in NAMES:
        return both_languages(obj, field.name)
    if hasattr(value, "amount") or isinstance(value, Decimal):
        return _amount(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "code"):  # a country: its ISO code
        return value.code
    return value  # codes, slugs, choices (their stored value), numbers


def _record(obj, report_kind: str, **links) -> dict:
    """The covered fields of `obj` (audit/coverage.py) in canonical form. A link (foreign key)
    is given by the caller as what it shows (an identifier or the linked record); a link
    to the record it sits in (a budget's partner) is left out: the nesting says it."""
    record = {}
    for name in sorted(covered_fields(type(obj), report_kind)):
        field = obj._meta.get_field(name)
        if field.is_relation:
            if name in links:
                record[name] = links[name]
        else:
            record[name] = _plain(obj, field)
    return record


def _source(source: FundingSource, report_kind: str) -> dict:
    return _record(source, report_kind)


def _partner(partner: PartnerFunding, report_kind: str) -> dict:
    org = partner.organisation
    budget = None
    if partner.budget_entered:
        b = partner.participation.version_budgets[0]  # in the version shown (selectors)
        budget = {
            **_record(b, report_kind),
            "plan": sorted(
                (
                    {
                        **_record(share, report_kind, source=part.source.code),
                        "amount": _amount(part.amount),
                    }
                    for share, part in zip(b.shares.all(), partner.parts, strict=False)
                ),
                key=lambda part: part["source"],  # sources by code: see report_figures()
            ),
            "categories": [
                {
                    **_record(line, report_kind),
                    "share": _amount(c.share),
                }
                for line, c in zip(b.lines.all(), partner.categories, strict=False)
            ],
        }
        if len(budget["plan"]) != len(partner.parts):  # a plan the rules could not split
            budget["plan"] = []
        if report_kind == PARTNER_REPORT:
            budget["share_of_approved"] = _amount(partner.share_of_approved)
    return {
        **_record(partner.participation, report_kind),
        "organisation": _record(org, report_kind, city=_record(org.city, report_kind)),
        "budget": budget,
    }


def report_figures(
    *,
    funding: ProjectFunding,
    partner: PartnerFunding | None,
    phases: list[Phase],
    milestones: list[Milestone],
    expenditure: ProjectExpenditure,
    lines: list[ExpenditureLine],
) -> dict:
    """The figures and facts a report shows, as plain JSON values (README.md, "Checking a report"):
    the covered fields of each record it shows and what it computes from them. Lists are
    in the order the report shows them, except sources (by code): their order in the PDF
    is a setting of the portal, not a figure."""
    kind = PARTNER_REPORT if partner else PROJECT_REPORT
    project = funding.project
    programme = project.programme
    sources = list(funding.sources) if partner is None else [part.source for part in partner.parts]
    if programme.fund not in sources:
        sources.append(programme.fund)
    figures = {
        "schema": SCHEMA,
        "report": kind,
        "programme": _record(programme, kind, fund=programme.fund.code),
        "sources": sorted((_source(s, kind) for s in sources), key=lambda s: s["code"]),
        "project": _record(project, kind),  # its programme: above
        # The version of the budget shown (its total: the project's planned total funding).
        "version": _record(funding.version, kind) if funding.version else None,
        "phases": [_record(p, kind) for p in phases],
    }
    if partner is None:
        figures |= {
            "partners": [_partner(p, kind) for p in funding.partners],
            "source_totals": sorted(
                (
                    {
                        "source": t.source.code,
                        "amount": _amount(t.amount),
                        "share": _amount(t.share),
                    }
                    for t in funding.source_totals
                ),
                key=lambda total: total["source"],
            ),
            "unplanned": _amount(funding.unplanned),
            "allocated": _amount(funding.allocated),
            "allocated_share": _amount(funding.allocated_share),
            "unallocated": _amount(funding.unallocated),
            "unallocated_share": _amount(funding.unallocated_share),
            "categories": [
                {"category": c.category, "amount": _amount(c.amount), "share": _amount(c.share)}
                for c in funding.categories
            ],
            "expenditure": _project_expenditure(expenditure),
        }
    else:
        figures |= {
            "partner": _partner(partner, kind),
            "milestones": [
                _record(m, kind, phase=m.phase.number if m.phase else None) for m in milestones
            ],
            "expenditure": _partner_expenditure(expenditure, partner, lines),
        }
    return figures


# --- The expenditure (schema 4; documents, state co-financing: 5; claimed_above_due: 6) ---


def _figures(figures: Figures) -> dict:
    """One row of expenditure figures; null where the row has no such figure (nothing
    planned entered; claims are not kept per cost category or own source)."""
    return {
        "planned": _amount(figures.planned),
        "submitted": _amount(figures.submitted),
        "certified": _amount(figures.certified),
        "erdf_due": _amount(figures.erdf_due),
        "claimed": _amount(figures.claimed),
        "received": _amount(figures.received),
        "remaining": _amount(figures.remaining),
        "includes_samples": figures.includes_samples,
    }


def _category(row: CategoryFigures) -> dict:
    return {"category": row.category, **_figures(row.figures), "over_budget": row.over_budget}


def _project_expenditure(expenditure: ProjectExpenditure) -> dict:
    """The project report's totals: per partner, per source and per cost category."""
    return {
        "includes_samples": expenditure.includes_samples,
        "total": _figures(expenditure.total),
        "partners": [
            {"partner": p.organisation.slug, **_figures(p.figures)} for p in expenditure.partners
        ],
        # By source code; null: partners whose plan is not entered (listed last).
        "sources": sorted(
            (
                {"source": s.source.code if s.source else None, **_figures(s.figures)}
                for s in expenditure.sources
            ),
            key=lambda s: (s["source"] is None, s["source"] or ""),
        ),
        "categories": [_category(c) for c in expenditure.categories],
        "state": _state(expenditure.state),
    }


def _state(state: StateFigures | None) -> dict | None:
    """The own organisation's state co-financing: planned (its plan's state budget share),
    and the application with its two instalments (null: not yet recorded)."""
    if state is None:
        return None
    record = state.record
    return {
        "partner": state.partner.organisation.slug,
        "source": state.source.code if state.source else None,
        "planned": _amount(state.planned),
        "application": None
        if record is None
        else {
            **_record(record, PARTNER_REPORT),
            "advance_due": _amount(state.advance_due),
            "final_due": _amount(state.final_due),
        },
        "received": _amount(state.received),
    }


def _documents(line: ExpenditureLine) -> list[dict]:
    """A decided line's supporting documents, each with the SHA-256 of its file (or
    "missing": expenditure/uploads.py FILE_MISSING)."""
    return [_record(document, PARTNER_REPORT) for document in line.documents.all()]


def _line(line: ExpenditureLine) -> dict:
    record = _record(
        line,
        PARTNER_REPORT,
        period=line.period.number,
        corrects=line.corrects_id,
    )
    record["sample"] = record.pop("is_sample")
    return {
        **record,
        "id": line.pk,
        # The certified correction that supersedes it (it no longer counts), or null.
        "corrected_by": line.corrected_by,
        "currency": str(line.amount.currency),
        # The day decided (who decided: in the audit trail).
        "decided_at": line.decided_on.isoformat() if line.decided_on else None,
    }


def _partner_expenditure(
    expenditure: ProjectExpenditure, partner: PartnerFunding, lines: list[ExpenditureLine]
) -> dict:
    """A partner report's expenditure: its totals, figures per cost category and per period
    (every period of the project) with its claims, its certified and rejected lines with
    their supporting documents, and (the own organisation's only) the state co-financing."""
    own = next(p for p in expenditure.partners if p.participation.pk == partner.participation.pk)
    by_period = {row.period.pk: row for row in own.periods}
    periods = []
    for period in (p.period for p in expenditure.periods):
        row = by_period.get(period.pk)
        periods.append(
            {
                "period": _record(period, PARTNER_REPORT),
                **(_figures(row.figures) if row else _figures(expenditure_tables.NOTHING)),
                # Claimed beyond the ERDF due after a certified correction (schema 6), or null.
                "claimed_above_due": _amount(row.claimed_above_due) if row else None,
                "claims": [
                    _record(claim, PARTNER_REPORT, period=period.number)
                    for claim in (row.claims if row else [])
                ],
            }
        )
    return {
        "includes_samples": own.figures.includes_samples or any(line.is_sample for line in lines),
        "total": _figures(own.figures),
        "categories": [_category(c) for c in own.categories],
        "periods": periods,
        "certified": [
            _line(line) | {"documents": _documents(line)}
            for line in lines
            if line.status == Status.CERTIFIED
        ],
        "rejected": [
            _line(line) | {"documents": _documents(line)}
            for line in lines
            if line.status == Status.REJECTED
        ],
        "state": _state(own_state(expenditure.state, partner)),
    }


def own_state(state: StateFigures | None, partner: PartnerFunding) -> StateFigures | None:
    """The state co-financing in `partner`'s report: only the own organisation's shows it."""
    if state is None or state.partner.participation.pk != partner.participation.pk:
        return None
    return state


def canonical(figures: dict) -> bytes:
    """The figures' one byte string: RFC 8785 (JSON Canonicalization Scheme), UTF-8."""
    return rfc8785.dumps(figures)


def fingerprint(figures: dict) -> str:
    return hashlib.sha256(canonical(figures)).hexdigest()


# --- The name of its file -------------------------------------------------------------------


def report_filename(report: FundingReport, day: dt.date, language: str) -> str:
    """`funding-report-di4c-lv-2026-11-25.pdf`, or `…-di4c-ventspils-lv-…` for a partner:
    the language is in the name, so the Latvian and English copies of a day do not clash."""
    parts = ["funding-report", report.project.slug]
    if report.partner is not None:
        parts.append(report.partner.organisation.slug)
    return f"{'-'.join(parts)}-{language}-{day.isoformat()}.pdf"
