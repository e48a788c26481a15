"""The rows of a report's expenditure tables, labelled in the reader's language.

The figures are expenditure/selectors.py's (the same as the JSON's); this only names the rows
of the tables the PDF shows: the project report per partner, per funding source and per cost
category, a partner's report per cost category and per reporting period. Each table's total
row stands once, under the full table (templates/reports/_expenditure_table.html).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from expenditure.selectors import ZERO, Figures, PartnerExpenditure, ProjectExpenditure
from funding.selectors import euro
from urbact_portal.lib.dates import format_date

# A period in which a partner has neither spending nor claims.
NOTHING = Figures(
    planned=None,
    submitted=euro(ZERO),
    certified=euro(ZERO),
    claimed=euro(ZERO),
    received=euro(ZERO),
    erdf_due=euro(ZERO),
)


@dataclass(frozen=True)
class Row:
    label: str
    note: str  # a second line under the label (dates, a short name), or ""
    figures: Figures
    over_budget: bool = False


@dataclass(frozen=True)
class Table:
    title: str
    heading: str  # of the label column
    rows: list[Row]
    total: Figures
    claims: bool  # whether its rows carry ERDF due, claimed and received


def _period_note(period) -> str:
    dates = f"{format_date(period.start)} – {format_date(period.end)}"
    if period.report_due is None:
        return dates
    return _("%(dates)s; report due %(due)s") % {
        "dates": dates,
        "due": format_date(period.report_due),
    }


def project_tables(expenditure: ProjectExpenditure) -> list[Table]:
    return [
        Table(
            _("Expenditure by partner"),
            _("Partner"),
            [
                Row(p.organisation.name, "", p.figures, bool(p.over_budget))
                for p in expenditure.partners
            ],
            expenditure.total,
            claims=True,
        ),
        Table(
            _("Expenditure by funding source"),
            _("Funding source"),
            [
                Row(
                    s.source.name if s.source else _("Budgets without a co-financing plan yet"),
                    "",
                    s.figures,
                )
                for s in expenditure.sources
            ],
            expenditure.total,
            claims=False,
        ),
        Table(
            _("Expenditure by cost category"),
            _("Cost category"),
            [Row(c.label, "", c.figures, c.over_budget) for c in expenditure.categories],
            expenditure.total,
            claims=False,
        ),
    ]


def partner_tables(expenditure: ProjectExpenditure, own: PartnerExpenditure) -> list[Table]:
    by_period = {row.period.pk: row.figures for row in own.periods}
    return [
        Table(
            _("Expenditure by cost category"),
            _("Cost category"),
            [Row(c.label, "", c.figures, c.over_budget) for c in own.categories],
            own.figures,
            claims=False,
        ),
        Table(
            _("Expenditure by reporting period"),
            _("Reporting period"),
            [
                Row(
                    _("Period %(number)s") % {"number": p.period.number},
                    _period_note(p.period),
                    by_period.get(p.period.pk, NOTHING),
                )
                for p in expenditure.periods  # all of them, as in the JSON
            ],
            own.figures,
            claims=True,
        ),
    ]
