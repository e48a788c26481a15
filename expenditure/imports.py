"""The spreadsheet import of expenditure lines (django-import-export, in the admin).

A coordinator picks one of the partners they coordinate and uploads a CSV (UTF-8) or XLSX
file, one line of spending a row, the header in the first row:

    period       the reporting period's number in the partner's project (1, 2, …)
    date paid    2020-06-30 or 30.06.2020
    category     a cost category's code (staff) or its label in English or Latvian
    description  what was paid for
    supplier     who was paid (may be empty)
    reference    the invoice's or document's number: required, it identifies the line
    amount       1234.56 or 1 234,56 (a space or a point between thousands)
    currency     EUR (when empty), RON, …

The identity of a line is: partner, reference, date paid, amount and currency. A row whose
line the partner already has is not recorded again: a draft is updated with the row (period,
category, description, supplier), a submitted, certified or rejected line is left as it is
and the row skipped. Two rows of one file with the same identity are an error.

Every row is checked before anything is stored, by the model's rules (ExpenditureLine.
clean_known: what full_clean checks) and the amount by the admin form's own money field (its
decimals, the currencies offered); one bad row rejects the file with each bad row's number
(as a spreadsheet numbers it: the header is row 1) and the reasons. The rows are stored in one
transaction under the project's lock, checked there against what is stored: nothing is
half-imported and two imports of one file at once do not both store it. Lines are created as
drafts only; the history records each with the importing user.

A fixed number of queries, however many rows: before_import reads once (and locks) what the
rows are checked against, the rows are checked without queries, and stored in bulk (one
INSERT of the new lines and one of their history rows, one UPDATE of changed drafts).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from expenditure.models import ExpenditureLine, ReportingPeriod, Status
from expenditure.rules import EURO
from expenditure.services import RECORDED_FIELDS
from funding.models import CostCategory
from projects.models import Project

# Limits of one upload: beyond them the form refuses the file before reading its rows.
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000

# The columns, as the header names them.
PERIOD = "period"
PAID_ON = "date paid"
CATEGORY = "category"
DESCRIPTION = "description"
SUPPLIER = "supplier"
REFERENCE = "reference"
AMOUNT = "amount"
CURRENCY = "currency"
COLUMNS = (PERIOD, PAID_ON, CATEGORY, DESCRIPTION, SUPPLIER, REFERENCE, AMOUNT, CURRENCY)
REQUIRED_COLUMNS = (PERIOD, PAID_ON, CATEGORY, DESCRIPTION, REFERENCE, AMOUNT)

# The admin form's field → the column an error is shown under.
FIELD_COLUMNS = {
    "period": PERIOD,
    "paid_on": PAID_ON,
    "category": CATEGORY,
    "description": DESCRIPTION,
    "supplier": SUPPLIER,
    "document_reference": REFERENCE,
    "amount": AMOUNT,
}

DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")
SPACES = re.compile(r"[\s\u00a0\u202f']")
NUMBER = re.compile(r"^-?\d+(\.\d+)?\Z")


def spreadsheet_row(number: int) -> int:
    """A data row's number as a spreadsheet shows it (django-import-export counts the rows
    after the header from 1; the header is the spreadsheet's row 1)."""
    return number + 1


def normalise_header(name) -> str:
    return " ".join(str(name or "").replace("_", " ").split()).lower()


def missing_columns(headers) -> list[str]:
    present = {normalise_header(h) for h in headers or ()}
    return [column for column in REQUIRED_COLUMNS if column not in present]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's whole number: 3, not 3.0
    return " ".join(str(value).split())


def parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):  # an XLSX date cell
        if value.time() != dt.time(0):
            raise ValueError(_("Give a date without a time."))
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(
        _("“%(value)s” is not a date: write 2020-06-30 or 30.06.2020.") % {"value": text}
    )


def parse_amount(value) -> Decimal:
    """An amount as written in Latvia or in English: 1 234,56 or 1234.56 (a space, a point
    or a comma between thousands, the last separator being the decimal one). Never a float:
    a spreadsheet's number cell is read by its shortest decimal form (1234.56)."""
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not an amount.") % {"value": value})
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = SPACES.sub("", str(value or ""))
    if "," in text and "." in text:  # 1.234,56 or 1,234.56: the last mark is the decimal one
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal_mark == "," else ",", "")
    elif text.count(",") == 1 or text.count(".") == 1:  # 1234,56 or 1234.56
        decimal_mark = "," if "," in text else "."
    else:  # 1,234,567 or 1.234.567: thousands only
        decimal_mark, text = "", text.replace(",", "").replace(".", "")
    text = text.replace(decimal_mark, ".") if decimal_mark else text
    if not NUMBER.match(text):
        raise ValueError(
            _("“%(value)s” is not an amount: write 1234.56 or 1 234,56.") % {"value": value}
        )
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not an amount.") % {"value": value}) from None


def category_codes() -> dict[str, str]:
    """Each way of writing a cost category — its code, its English and Latvian labels — in
    lower case, to its code."""
    codes = {}
    for category in CostCategory:
        codes[category.value.lower()] = category.value
        for language in ("en", "lv"):
            with translation.override(language):
                codes[str(category.label).lower()] = category.value
    return codes


def parse_category(value, codes: dict[str, str] | None = None) -> str:
    text = _text(value).lower()
    code = (codes or category_codes()).get(text)
    if code is None:
        raise ValueError(
            _("“%(value)s” is not a cost category: write one of %(codes)s.")
            % {"value": _text(value), "codes": ", ".join(CostCategory.values)}
        )
    return code


def parse_period_number(value) -> int:
    text = _text(value)
    if not text.isdigit():
        raise ValueError(_("“%(value)s” is not a period's number.") % {"value": text})
    return int(text)


class ExpenditureLineResource(resources.ModelResource):
    """One row → one draft line of `participation` (chosen on the import's form among the
    partners the user may record lines for)."""

    # What the preview shows of each row (the line as it will be stored).
    period = fields.Field(attribute="period__number", column_name=PERIOD, readonly=True)
    paid_on = fields.Field(
        attribute="paid_on",
        column_name=PAID_ON,
        widget=widgets.DateWidget("%Y-%m-%d"),
        readonly=True,
    )
    category = fields.Field(attribute="category", column_name=CATEGORY, readonly=True)
    description = fields.Field(attribute="description", column_name=DESCRIPTION, readonly=True)
    supplier = fields.Field(attribute="supplier", column_name=SUPPLIER, readonly=True)
    reference = fields.Field(attribute="document_reference", column_name=REFERENCE, readonly=True)
    amount = fields.Field(attribute="amount__amount", column_name=AMOUNT, readonly=True)
    currency = fields.Field(attribute="amount_currency", column_name=CURRENCY, readonly=True)

    class Meta:
        model = ExpenditureLine
        fields = (
            "period",
            "paid_on",
            "category",
            "description",
            "supplier",
            "reference",
            "amount",
            "currency",
        )
        import_order = fields
        use_transactions = True
        # The rows are checked one by one (clean_known, without queries) and stored together:
        # one INSERT of the new lines and one UPDATE of the drafts changed (each with its
        # history rows), however long the file (SQLite splits a statement at 999 values).
        use_bulk = True
        clean_model_instances = False  # import_instance checks each row (clean_known)
        report_skipped = True

    def __init__(self, *, participation=None, user=None, file_name=""):
        super().__init__()
        self.participation = participation
        self.user = user
        self.file_name = file_name
        self._parsed: dict = {}
        self._seen: dict[tuple, int] = {}
        self._changed: set[str] = set()

    @classmethod
    def get_display_name(cls) -> str:
        return str(ExpenditureLine._meta.verbose_name_plural)

    # --- the whole file -------------------------------------------------------------------

    def before_import(self, dataset, **kwargs) -> None:
        """Read once, under the project's lock, what every row is checked against: the
        project's periods, and the partner's lines the file may repeat (locked too, so none
        is submitted until the import ends)."""
        if self.participation is None:
            raise ValidationError(_("Choose the partner the spending is imported for."))
        # Inside the import's transaction: checks and writes of one project one at a time.
        project = Project.objects.locked(self.participation.project_id)
        dataset.headers = [normalise_header(h) for h in dataset.headers or ()]
        self._periods = {p.number: p for p in ReportingPeriod.objects.filter(project=project)}
        self._categories = category_codes()
        self._money = ExpenditureLine._meta.get_field("amount").formfield()
        references = {_text(value) for value in dataset[REFERENCE]} - {""}
        self._existing = self._stored_lines(references)
        self._seen = {}
        self._changed: set[str] = set()

    def _stored_lines(self, references: set[str]) -> dict[tuple, ExpenditureLine]:
        """The partner's lines by identity: a line the controller has (or had) before a draft,
        else the oldest draft (a row never touches a submitted or decided line)."""
        lines = (
            ExpenditureLine.objects.filter(
                participation=self.participation, document_reference__in=references
            )
            .select_for_update()
            .order_by("pk")
        )
        periods = {period.pk: period for period in self._periods.values()}
        found: dict[tuple, ExpenditureLine] = {}
        for line in lines:
            line.period = periods.get(line.period_id) or line.period  # the project's (check_rules)
            line.participation = self.participation
            key = self.identity(
                {
                    "document_reference": line.document_reference,
                    "paid_on": line.paid_on,
                    "amount": line.amount.amount,
                    "currency": str(line.amount.currency),
                }
            )
            kept = found.get(key)
            if kept is None or (kept.status == Status.DRAFT and line.status != Status.DRAFT):
                found[key] = line
        return found

    def after_import(self, dataset, result, **kwargs) -> None:
        # Not ModelResource's: it resets the table's key sequence, for rows imported with
        # their ids; the database gives the lines theirs.
        resources.Resource.after_import(self, dataset, result, **kwargs)
        for bad in [*result.invalid_rows, *result.error_rows]:
            bad.number = spreadsheet_row(bad.number)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if result is not None and result.has_validation_errors():
            self.create_instances.clear()  # the file is refused: nothing to store
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if result is not None and result.has_validation_errors():
            self.update_instances.clear()
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size, result)

    def get_bulk_update_fields(self) -> list[str]:
        # Only the fields some row changes: each one is a CASE of every line in the UPDATE.
        return [name for name in RECORDED_FIELDS if name in self._changed]

    # --- one row --------------------------------------------------------------------------

    def before_import_row(self, row, **kwargs) -> None:
        """Read the row's cells into a line's values, or a ValidationError by column."""
        number = spreadsheet_row(kwargs.get("row_number") or 0)
        errors, parsed = {}, {}
        readers = {
            "period": (PERIOD, parse_period_number),
            "paid_on": (PAID_ON, parse_date),
            "category": (CATEGORY, lambda value: parse_category(value, self._categories)),
            "amount": (AMOUNT, parse_amount),
        }
        for name, (column, read) in readers.items():
            try:
                parsed[name] = read(row.get(column))
            except ValueError as error:
                errors[column] = [str(error)]
        for name, column in (
            ("description", DESCRIPTION),
            ("supplier", SUPPLIER),
            ("document_reference", REFERENCE),
        ):
            parsed[name] = _text(row.get(column))
        parsed["currency"] = _text(row.get(CURRENCY)).upper() or EURO
        if not parsed["document_reference"]:
            errors[REFERENCE] = [
                _("Give the invoice's or document's number: it identifies the line.")
            ]
        if "period" in parsed and parsed["period"] not in self._periods:
            errors[PERIOD] = [
                _("The project has no reporting period %(number)s.") % {"number": parsed["period"]}
            ]
        if errors:
            self._parsed = {}
            raise ValidationError(errors)
        identity = self.identity(parsed)
        if identity in self._seen:
            self._parsed = {}
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        _("The same line as row %(row)s (partner, reference, date paid, amount).")
                        % {"row": self._seen[identity]}
                    ]
                }
            )
        self._seen[identity] = number
        self._parsed = parsed

    def identity(self, parsed: dict) -> tuple:
        return (
            parsed["document_reference"],
            parsed["paid_on"],
            parsed["amount"],
            parsed["currency"],
        )

    def get_or_init_instance(self, instance_loader, row):
        line = self._existing.get(self.identity(self._parsed))
        if line is not None:
            return line, False
        return ExpenditureLine(participation=self.participation), True

    def import_instance(self, instance, row, **kwargs) -> None:
        """The row's values on the line, checked by the model's rules (clean_known: what
        full_clean checks, against what before_import read) and the amount by the form field
        the admin's form uses for it (its decimals, the currencies offered)."""
        if instance.status != Status.DRAFT:
            return  # skipped (skip_row): a submitted or decided line never changes
        parsed = self._parsed
        instance.period = self._periods[parsed["period"]]
        for name in ("paid_on", "category", "description", "supplier", "document_reference"):
            setattr(instance, name, parsed[name])
        errors: dict = {}
        try:
            instance.amount = self._money.clean([parsed["amount"], parsed["currency"]])
        except ValidationError as error:
            errors["amount"] = error.messages
        try:
            instance.clean_known(
                stored_status=None if instance.pk is None else instance.status,
                period_project=instance.period.project_id,
                partner_project=self.participation.project_id,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name not in errors:
                    errors[name] = messages
        if errors:
            raise ValidationError(
                {
                    FIELD_COLUMNS.get(name, NON_FIELD_ERRORS if name == "__all__" else name): [
                        str(message) for message in messages
                    ]
                    for name, messages in errors.items()
                }
            )

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        if import_validation_errors:
            return False
        if instance.status != Status.DRAFT:
            return True
        if original is None or original.pk is None:
            return False
        changed = {f for f in RECORDED_FIELDS if getattr(original, f) != getattr(instance, f)}
        self._changed |= changed
        return not changed

    def save_instance(self, instance, is_create, row, **kwargs) -> None:
        instance.status = Status.DRAFT if is_create else instance.status
        instance._history_user = self.user  # the audit trail names who imported the line
        instance._change_reason = (_("Imported from %(file)s") % {"file": self.file_name})[:100]
        super().save_instance(instance, is_create, row, **kwargs)


# django-import-export's own words on the import pages, which it does not translate into
# Latvian: listed here so that they are in our catalogue (locale/lv), which Django reads first.
LIBRARY_WORDS = [
    gettext_lazy("Import"),
    gettext_lazy("Confirm import"),
    gettext_lazy(
        "Below is a preview of data to be imported. If you are satisfied with the results, "
        "click 'Confirm import'"
    ),
    gettext_lazy("Preview"),
    gettext_lazy("New"),
    gettext_lazy("Skipped"),
    gettext_lazy("Update"),
    gettext_lazy("Errors"),
    gettext_lazy("Row"),
    gettext_lazy("Line number"),
    gettext_lazy("Non field specific"),
    gettext_lazy("Some rows failed to validate"),
    gettext_lazy(
        "Please correct these errors in your data where possible, then reupload it using the "
        "form above."
    ),
    gettext_lazy("This importer will import the following fields: "),
    gettext_lazy("File to import"),
    gettext_lazy("Format"),
    gettext_lazy("Submit"),
]
