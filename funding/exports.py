"""The budget table as CSV: the same figures as the budget page, from `project_funding()`.

UTF-8 with a byte order mark, so that spreadsheet programs keep Latvian letters intact.
Numbers are written plainly, without thousands separators, in the language's decimal
style; in Latvian the separator is `;`, because there the comma is the decimal mark (as
in a spreadsheet set to Latvian).
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from funding.selectors import PartnerFunding, ProjectFunding


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


def budget_csv(funding: ProjectFunding) -> str:
    separator, mark = _dialect()
    out = io.StringIO()
    out.write("\ufeff")
    writer = _SafeWriter(out, delimiter=separator, lineterminator="\r\n")
    unplanned = bool(funding.unplanned.amount)
    header = [_("Partner"), _("City"), _("Country"), _("Role"), _("Total (EUR)")]
    for source in funding.sources:
        header += [f"{source} (EUR)", f"{source} (%)"]
    if unplanned:
        header.append(_("Co-financing plan not yet entered (EUR)"))
    writer.writerow(header)
    for partner in funding.partners:
        writer.writerow(_partner_row(partner, funding, unplanned, mark))
    total_row = [_("Total allocated"), "", "", "", _number(funding.allocated.amount, mark)]
    for total in funding.source_totals:
        total_row += [_number(total.amount.amount, mark), _number(total.share, mark)]
    if unplanned:
        total_row.append(_number(funding.unplanned.amount, mark))
    writer.writerow(total_row)
    writer.writerow([])
    for label, amount in [
        (_("Planned total funding"), funding.approved_total),
        (_("Allocated to partners"), funding.allocated),
        (_("Not yet allocated"), funding.unallocated),
    ]:
        writer.writerow([label, "", "", "", _number(amount.amount, mark)])
    return out.getvalue()


def _partner_row(
    partner: PartnerFunding, funding: ProjectFunding, unplanned: bool, mark: str
) -> list[str]:
    org = partner.organisation
    row = [
        org.name,
        org.city.name,
        str(org.city.country.name),
        str(partner.participation.get_role_display()),
    ]
    if partner.total is None:
        return [*row, _("budget not yet entered")]
    row.append(_number(partner.total.amount, mark))
    for source in funding.sources:
        part = partner.part_from(source)
        row += [
            _number(part.amount.amount if part else None, mark),
            _number(part.rate if part else None, mark),
        ]
    if unplanned:
        row.append(_number(None if partner.plan_entered else partner.total.amount, mark))
    return row
