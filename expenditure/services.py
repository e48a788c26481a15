"""The status steps of expenditure: submit, certify, reject, correct.

Each step runs in one transaction, locks the rows it changes (SELECT … FOR UPDATE) and
checks the status *of the stored row*, so two controllers deciding the same line at once
cannot both succeed: the second waits for the first, then finds the line decided and gets
an error that says so. Each write names its user, so the audit trail says who took the step.
Who may take which step: expenditure/scoping.py. Refusals are ValidationError (bad state,
missing rate: a sentence for the user) or PermissionDenied (not the user's line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money

from expenditure import rules, scoping
from expenditure.models import FINAL, ExchangeRate, ExpenditureLine, Status

ADD_LINE = "expenditure.add_expenditureline"
# What a coordinator records on a line, and so what a correction may change.
RECORDED_FIELDS = (
    "period",
    "paid_on",
    "category",
    "description",
    "supplier",
    "document_reference",
    "amount",
)


def _locked(pks: Iterable[int]) -> dict[int, ExpenditureLine]:
    """The stored lines, locked until the transaction ends, in key order (no deadlocks)."""
    rows = ExpenditureLine.objects.select_for_update().filter(pk__in=list(pks)).order_by("pk")
    return {row.pk: row for row in rows}


def _locked_one(line: ExpenditureLine) -> ExpenditureLine:
    row = _locked([line.pk]).get(line.pk)
    if row is None:
        raise ValidationError(_("This line no longer exists."), code="missing")
    return row


def _store(row: ExpenditureLine, user) -> None:
    row._status_step = True  # the model lets a submitted line change only by a step
    row._history_user = user  # the trail names who took the step, in a command too
    row.save()


def _month_name(month: dt.date) -> str:
    return f"{month:%Y-%m}"  # as InforEuro's files and the rates' list name a month


def rate_on_submission(line: ExpenditureLine, day: dt.date) -> tuple[object, dt.date]:
    """The rate a line submitted on `day` is converted at, and its month: 1 for the euro,
    else the InforEuro rate of that month; ValidationError when none is entered."""
    month = rules.month_of(day)
    currency = str(line.amount.currency)
    if currency == rules.EURO:
        return rules.ONE, month
    found = ExchangeRate.objects.rate_for(currency, month)
    if found is None:
        raise ValidationError(
            _(
                "There is no exchange rate for %(currency)s for %(month)s, the month of "
                "submission: a project manager enters it (Exchange rates, or import_rates "
                "from the InforEuro file), then submit again."
            )
            % {"currency": currency, "month": _month_name(month)},
            code="no_rate",
        )
    return found.rate, month


@transaction.atomic
def submit(lines: Iterable[ExpenditureLine], user, *, now: dt.datetime | None = None) -> list:
    """Submit draft lines to the controller, all or none: each stores the rate of the month
    of submission and its euro amount, never recomputed later."""
    now = now or timezone.now()
    wanted = [line.pk for line in lines]
    rows = _locked(wanted)
    if len(rows) != len(set(wanted)):
        raise ValidationError(_("A line no longer exists."), code="missing")
    # `user` None: a command run by the operator (the demo's samples), who may do anything.
    if user is not None and not user.has_perm(scoping.SUBMIT):
        raise PermissionDenied
    day = timezone.localdate(now)
    for row in rows.values():
        if user is not None and not scoping.may_edit(user, row):
            raise PermissionDenied
        if row.status != Status.DRAFT:
            raise ValidationError(
                _("“%(line)s” is %(status)s already: only drafts are submitted.")
                % {"line": row, "status": row.get_status_display().lower()},
                code="not_draft",
            )
        row.full_clean()  # the period's project, the correction, the amounts: as stored
        rate, month = rate_on_submission(row, day)
        row.rate, row.rate_month = rate, month
        row.amount_eur = Money(rules.to_euro(row.amount.amount, rate), rules.EURO)
        row.status = Status.SUBMITTED
        row.submitted_at, row.submitted_by = now, user
        _store(row, user)
    return list(rows.values())


def _decidable(line: ExpenditureLine, user) -> ExpenditureLine:
    row = _locked_one(line)
    if not scoping.may_decide(user, row):
        raise PermissionDenied
    if row.status != Status.SUBMITTED:
        if row.status in FINAL:
            message = _("This line was %(status)s already (by %(user)s): nothing was changed.")
        else:
            message = _("This line is a draft: it can be decided once it is submitted.")
        raise ValidationError(
            message % {"status": row.get_status_display().lower(), "user": row.decided_by or "–"},
            code="not_submitted",
        )
    return row


@transaction.atomic
def certify(line: ExpenditureLine, user, *, now: dt.datetime | None = None) -> ExpenditureLine:
    """The controller certifies a submitted line; it never changes again."""
    row = _decidable(line, user)
    row.status = Status.CERTIFIED
    row.decided_at, row.decided_by = now or timezone.now(), user
    _store(row, user)
    return row


@transaction.atomic
def reject(
    line: ExpenditureLine, user, reason: str, *, now: dt.datetime | None = None
) -> ExpenditureLine:
    """The controller rejects a submitted line, saying why; the partner may correct it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the rejection."), code="no_reason")
    row = _decidable(line, user)
    row.status = Status.REJECTED
    row.rejection_reason = reason[:2000]
    row.decided_at, row.decided_by = now or timezone.now(), user
    _store(row, user)
    return row


def may_correct(user, line: ExpenditureLine) -> bool:
    """Whether the user may correct the line's partner's expenditure (who: a coordinator of
    its organisation with the right to record lines; whether the line can be: below)."""
    return user.has_perm(ADD_LINE) and scoping.may_edit(user, line)


def correction_refusal(line: ExpenditureLine) -> ValidationError | None:
    """Why the line cannot be corrected now, or None. Only a decided line is corrected (a
    draft is edited as it is), and one correction at a time: a second one only once the
    first is rejected, so two corrections can never both count. correct() asks it of the
    stored row under its lock; the admin offers its button on the same answer."""
    if line.status not in FINAL:
        return ValidationError(
            _("Only a certified or rejected line is corrected; edit a draft as it is."),
            code="not_final",
        )
    live = line.live_correction()
    if live is not None:
        return ValidationError(
            _(
                "This line already has a correction (№ %(number)s, %(status)s): continue "
                "with that one; a new correction is possible only if it is rejected."
            )
            % {"number": live.pk, "status": live.get_status_display().lower()},
            code="already_corrected",
        )
    return None


@transaction.atomic
def correct(line: ExpenditureLine, user, **fields) -> ExpenditureLine:
    """A new draft line that corrects a certified or rejected one (which stays as it is),
    with the old line's values except `fields` (of RECORDED_FIELDS). Under the old line's
    lock: of two corrections asked at once, the second waits, then is refused."""
    unknown = set(fields) - set(RECORDED_FIELDS)
    if unknown:
        raise TypeError(f"Not a recorded field: {', '.join(sorted(unknown))}")
    row = _locked_one(line)
    if not may_correct(user, row):
        raise PermissionDenied
    refusal = correction_refusal(row)
    if refusal is not None:
        raise refusal
    values = {name: getattr(row, name) for name in RECORDED_FIELDS} | fields
    new = ExpenditureLine(
        participation=row.participation, corrects=row, is_sample=row.is_sample, **values
    )
    new.full_clean()
    new._history_user = user  # the trail names the coordinator who made the correction
    new.save()
    return new
