"""The expenditure figures as CSV: the same figures as the expenditure page, from
`project_expenditure()`, in the budget CSV's form (funding/exports.py: UTF-8 with a BOM, `;`
and decimal commas in Latvian, numbers without thousands separators, text cells a spreadsheet
will not run).

One rectangular table: a row per partner, the partners' total, a row per funding source, per
cost category and per reporting period; the *Table* column says which breakdown a row belongs
to, the *Notes* column says when a figure includes samples, is over budget or is missing
(a missing figure is an empty cell).
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _

from expenditure.selectors import Figures, ProjectExpenditure

# The budget CSV's dialect and cell rules: one definition for both files.
from funding.exports import _dialect, _number, _SafeWriter


def figures_csv_filename(project, language: str, day: dt.date) -> str:
    """`di4c-expenditure-lv-2026-11-25.csv`: the language and the day the figures were read."""
    return f"{project.slug}-expenditure-{language}-{day.isoformat()}.csv"


def _notes(figures: Figures, *extra: str) -> str:
    notes = list(extra)
    if figures.planned is None:
        notes.append(_("planned not entered"))
    if figures.includes_samples:
        notes.append(_("includes samples"))
    return "; ".join(notes)


def figures_csv(expenditure: ProjectExpenditure) -> str:
    separator, mark = _dialect()
    out = io.StringIO()
    out.write("\ufeff")
    writer = _SafeWriter(out, delimiter=separator, lineterminator="\r\n")
    writer.writerow(
        [
            _("Table"),
            _("Name"),
            _("Notes"),
            _("Planned (EUR)"),
            _("Submitted (EUR)"),
            _("Certified (EUR)"),
            _("ERDF due (EUR)"),
            _("Claimed (EUR)"),
            _("Received (EUR)"),
            _("Remaining (EUR)"),
        ]
    )

    def row(table: str, name: str, figures: Figures, *notes: str) -> None:
        amounts = [
            figures.planned,
            figures.submitted,
            figures.certified,
            figures.erdf_due,
            figures.claimed,
            figures.received,
            figures.remaining,
        ]
        cells = [_number(a.amount if a is not None else None, mark) for a in amounts]
        writer.writerow([table, name, _notes(figures, *notes), *cells])

    over = _("over budget")
    for partner in expenditure.partners:
        flagged = [over] if partner.over_budget else []
        row(_("Partner"), partner.organisation.name, partner.figures, *flagged)
    row(_("Partner"), _("All partners"), expenditure.total)
    for source in expenditure.sources:
        unplanned = _("Budget or co-financing plan not yet entered")
        name = source.source.name if source.source else unplanned
        row(_("Funding source"), name, source.figures)
    for category in expenditure.categories:
        flagged = [over] if category.over_budget else []
        row(_("Cost category"), category.label, category.figures, *flagged)
    for period in expenditure.periods:
        name = _("Period %(number)s") % {"number": period.period.number}
        row(_("Reporting period"), name, period.figures)
    return out.getvalue()
