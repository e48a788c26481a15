"""The budget table as CSV: the same figures as the budget page, from `project_funding()`.

UTF-8 with a byte order mark, so that spreadsheet programs keep Latvian letters intact.
Numbers are written plainly, without thousands separators, in the language's decimal
style; in Latvian the separator is `;`, because there the comma is the decimal mark (as
in a spreadsheet set to Latvian).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from funding.selectors import PartnerFunding, ProjectFunding
from urbact_portal.lib.dates import format_date


def _dialect() -> tuple[str, str]:
    """(field separator, decimal mark) for the active language."""
    return (",", ".") if (get_language() or "lv").startswith("en") else (";", ",")


def _number(value: Decimal | None, mark: str) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", mark)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+([.,]\d+)?")


def _cell(value: str) -> str:
    """A text cell a spreadsheet will not run: names typed by coordinators could start with
    `=` (formula injection), so such text gets a leading apostrophe; numbers stay numbers."""
    if value.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row) -> None:
        self._writer.writerow([_cell(str(value)) for value in row])


def budget_csv_filename(project, version, language: str, day: dt.date) -> str:
    """`di4c-budget-v1-lv-2026-11-25.csv`: the budget version, the language and the day the
    figures were read."""
    number = f"-v{version.number}" if version is not None else ""
    return f"{project.slug}-budget{number}-{language}-{day.isoformat()}.csv"


def budget_csv(funding: ProjectFunding) -> str:
    """One rectangular table: every row has the header's columns; numeric columns hold
    numbers or nothing, and the status column says why a figure is missing. Each figure is
    written once, under one label."""
    separator, mark = _dialect()
    out = io.StringIO()
    out.write("\ufeff")
    writer = _SafeWriter(out, delimiter=separator, lineterminator="\r\n")
    unplanned = bool(funding.unplanned.amount)
    header = [_("Partner"), _("City"), _("Country"), _("Role"), _("Status"), _("Total (EUR)")]
    for source in funding.sources:
        header += [f"{source} (EUR)", f"{source} (%)"]
    if unplanned:
        header.append(_("Co-financing plan not yet entered (EUR)"))
    writer.writerow(header)
    for partner in funding.partners:
        writer.writerow(_partner_row(partner, funding, unplanned, mark))
    blank = ["", "", "", ""]
    total_row = [_("Allocated to partners"), *blank, _number(funding.allocated.amount, mark)]
    for total in funding.source_totals:
        total_row += [_number(total.amount.amount, mark), _number(total.share, mark)]
    if unplanned:
        total_row.append(_number(funding.unplanned.amount, mark))
    writer.writerow(total_row)
    rest = [""] * (len(header) - len(blank) - 2)  # a summary row fills only "Total"
    for label, amount in [
        (_("Not yet allocated"), funding.unallocated),
        (_("Planned total funding"), funding.approved_total),
    ]:
        writer.writerow([label, *blank, _number(amount.amount, mark), *rest])
    # Which version of the budget these figures are: described in the text column.
    writer.writerow(
        [_("Budget version"), "", "", "", version_description(funding.version), "", *rest]
    )
    return out.getvalue()


def version_description(version) -> str:
    """ "1. planned, 3 April 2020 – Ventspils City Council decision of 3 April 2020: Planned
    funding in the phase 2 application", as the CSV and the reports state it."""
    if version is None:
        return _("no budget version entered yet")
    return _("%(number)s. %(kind)s, %(date)s – %(document)s") % {
        "number": version.number,
        "kind": version.get_kind_display(),
        "date": format_date(version.date),
        "document": version.document,
    }


def _status(partner: PartnerFunding) -> str:
    if not partner.budget_entered:
        return _("budget not yet entered")
    if not partner.plan_entered:
        return _("plan not yet entered")
    return _("entered")


def _partner_row(
    partner: PartnerFunding, funding: ProjectFunding, unplanned: bool, mark: str
) -> list[str]:
    org = partner.organisation
    row = [
        org.name,
        org.city.name,
        str(org.city.country.name),
        str(partner.participation.get_role_display()),
        _status(partner),
        _number(partner.total.amount if partner.total else None, mark),
    ]
    for source in funding.sources:
        part = partner.part_from(source)
        row += [
            _number(part.amount.amount if part else None, mark),
            _number(part.rate if part else None, mark),
        ]
    if unplanned:
        amount = partner.total.amount if partner.total and not partner.plan_entered else None
        row.append(_number(amount, mark))
    return row
