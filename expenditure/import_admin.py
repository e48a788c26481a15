"""The admin's import of expenditure lines from a spreadsheet: the upload form, its preview,
the confirm step (django-import-export's ImportMixin, tightened). The rows: imports.py.

Who may import for which partner is who may record a line for it in the admin: the add
permission and the partner among `scoping.editable` (the organisations the user coordinates;
superusers every one). The partner is chosen on the form from those and checked again on the
confirm step, whatever the POST carries; the file is read with limits (bytes, rows) and any
file that is not a readable CSV or XLSX with the columns is a form error, never a 500.
Import only: nothing is exported (no spreadsheet formulas leave the portal).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportMixin
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import RowResult
from tablib import Dataset

from expenditure import imports, scoping, services
from partners.models import Participation


class FileRefused(ValueError):
    """An upload that cannot be read as the import's spreadsheet; the message says why."""


class TooManyRows(FileRefused):
    pass


def _too_many() -> TooManyRows:
    return TooManyRows(
        _("The file has more than %(rows)s rows: split it into several files.")
        % {"rows": imports.MAX_ROWS}
    )


class SpreadsheetCSV(base_formats.CSV):
    """CSV as spreadsheets save it: comma- or semicolon-separated (Latvian Excel uses the
    semicolon, the comma being its decimal mark), blank lines ignored."""

    def create_dataset(self, in_stream, **kwargs):
        text = in_stream.decode("utf-8-sig") if isinstance(in_stream, bytes) else in_stream
        text = text.lstrip("\ufeff")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(row)]
        if len(rows) > imports.MAX_ROWS + 1:
            raise _too_many()
        dataset = Dataset()
        if rows:
            dataset.headers = rows[0]
            width = len(rows[0])
            for row in rows[1:]:
                dataset.append((row + [""] * width)[:width])
        return dataset


class SpreadsheetXLSX(base_formats.XLSX):
    """The first sheet of an XLSX file, read no further than the row limit (a small file
    may unpack to a huge sheet), blank rows ignored."""

    def create_dataset(self, in_stream):
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            rows = book.active.iter_rows(values_only=True)
            dataset = Dataset()
            header = next(rows, None)
            if header is None:
                return dataset
            dataset.headers = list(header)
            for row in rows:
                if all(value is None or value == "" for value in row):
                    continue
                if len(dataset) >= imports.MAX_ROWS:
                    raise _too_many()
                dataset.append(list(row)[: len(header)])
            return dataset
        finally:
            book.close()


FORMATS = [SpreadsheetCSV, SpreadsheetXLSX]


def too_large() -> FileRefused:
    return FileRefused(
        _("The file is larger than %(size)s MB.") % {"size": imports.MAX_BYTES // 2**20}
    )


def read_spreadsheet(data: bytes, name: str, file_format) -> Dataset:
    """The upload as a dataset of the import's columns; FileRefused says what is wrong."""
    if len(data) > imports.MAX_BYTES:
        raise too_large()
    extension = Path(name or "").suffix.lower()
    if extension != f".{file_format.get_extension()}":
        raise FileRefused(
            _("Upload a .csv or .xlsx file of the format chosen (this one is “%(name)s”).")
            % {"name": Path(name or "").name}
        )
    try:
        dataset = file_format.create_dataset(data)
    except FileRefused:
        raise
    except UnicodeDecodeError:
        raise FileRefused(_("The CSV file is not UTF-8 text: save it as “CSV UTF-8”.")) from None
    except Exception:  # whatever a damaged or foreign file makes the reader raise
        raise FileRefused(
            _("The file cannot be read as %(format)s.") % {"format": file_format.get_title()}
        ) from None
    missing = imports.missing_columns(dataset.headers)
    if missing:
        raise FileRefused(
            _("The first row lacks the column(s): %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if not len(dataset):
        raise FileRefused(_("The file has no rows under its header."))
    return dataset


def importable_participations(user):
    rows = Participation.objects.select_related("organisation", "project")
    return scoping.editable(rows, user, "organisation").order_by(
        "project__acronym", "organisation__name"
    )


class PartnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, participation) -> str:
        return f"{participation.project.acronym}: {participation.organisation}"


def _partner_field(widget=None) -> PartnerChoice:
    return PartnerChoice(
        queryset=Participation.objects.none(),
        label=gettext_lazy("Partner"),
        widget=widget,
        help_text=gettext_lazy(
            "The lines are recorded as drafts of this partner, in its project: periods are "
            "numbered as in that project."
        ),
    )


class LineImportForm(ImportForm):
    participation = _partner_field()
    field_order = ["resource", "participation", "import_file", "format"]

    def __init__(self, formats, resources, *, user, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        self.fields["participation"].queryset = importable_participations(user)
        self.fields["import_file"].help_text = _(
            "CSV (UTF-8, comma- or semicolon-separated) or XLSX, at most %(rows)s rows and "
            "%(size)s MB, the header in the first row: period, date paid, category, "
            "description, supplier, reference, amount, currency. Dates 2020-06-30 or "
            "30.06.2020; amounts 1234.56 or 1 234,56; currency EUR when empty. A line is "
            "identified by partner, reference, date paid, amount and currency: importing it "
            "again updates its draft and never changes a submitted line."
        ) % {"rows": imports.MAX_ROWS, "size": imports.MAX_BYTES // 2**20}

    def clean(self):
        data = super().clean()
        upload, chosen = data.get("import_file"), data.get("format")
        if upload is None or chosen in (None, ""):
            return data
        if upload.size > imports.MAX_BYTES:  # refused before it is read
            self.add_error("import_file", str(too_large()))
            return data
        try:
            read_spreadsheet(upload.read(), upload.name, self.formats[int(chosen)]())
        except FileRefused as refused:
            self.add_error("import_file", str(refused))
        finally:
            upload.seek(0)
        return data


class LineConfirmForm(ConfirmImportForm):
    participation = _partner_field(widget=forms.HiddenInput)

    def __init__(self, *, user, formats, **kwargs):
        super().__init__(**kwargs)
        self.formats = formats
        self.fields["participation"].queryset = importable_participations(user)

    def clean_format(self) -> str:
        chosen = self.cleaned_data["format"]
        if chosen not in [str(i) for i in range(len(self.formats))]:
            raise ValidationError(_("Choose the file's format."))
        return chosen


class ExpenditureImportMixin(ImportMixin):
    """ImportMixin for ExpenditureLineAdmin (see the module's docstring)."""

    resource_classes = [imports.ExpenditureLineResource]
    import_form_class = LineImportForm
    confirm_form_class = LineConfirmForm
    import_template_name = "admin/expenditure/import.html"
    skip_admin_log = False

    def get_import_formats(self):
        return FORMATS

    def has_import_permission(self, request) -> bool:
        user = request.user
        return user.has_perm(services.ADD_LINE) and importable_participations(user).exists()

    def get_import_form_kwargs(self, request):
        return super().get_import_form_kwargs(request) | {"user": request.user}

    def get_confirm_form_kwargs(self, request, import_form=None):
        kwargs = super().get_confirm_form_kwargs(request, import_form)
        return kwargs | {"user": request.user, "formats": self.get_import_formats()}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["participation"] = import_form.cleaned_data["participation"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        data = getattr(form, "cleaned_data", None) or {}
        upload = data.get("import_file")
        return {
            "participation": data.get("participation"),
            "user": request.user,
            "file_name": getattr(upload, "name", None) or data.get("original_file_name", ""),
        }

    def get_import_data_kwargs(self, **kwargs):
        # One bad row, and nothing of the file is stored (also when it turns bad only
        # between the preview and the confirmation).
        return super().get_import_data_kwargs(**kwargs) | {"rollback_on_validation_errors": True}

    def process_import(self, request, **kwargs):
        """The confirm step: the file kept since the preview, read and checked again; one
        that is gone or no longer readable sends the user back to the upload form."""
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_confirm_form(request)
            if form.is_valid() and not self._kept_file_readable(form):
                self.message_user(
                    request,
                    _("The uploaded file is no longer there: upload it again."),
                    messages.ERROR,
                )
                return HttpResponseRedirect(self._import_url())
        return super().process_import(request, **kwargs)

    def _kept_file_readable(self, form) -> bool:
        file_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
        storage = self.get_tmp_storage_class()(
            name=form.cleaned_data["import_file_name"],
            encoding=None,
            read_mode="rb",
            **self.get_tmp_storage_class_kwargs(),
        )
        try:
            data = storage.read()
            if isinstance(data, str):
                data = data.encode()
            read_spreadsheet(data, form.cleaned_data["original_file_name"], file_format)
        except (OSError, FileRefused):
            return False
        return True

    def _import_url(self) -> str:
        return reverse("admin:expenditure_expenditureline_import", current_app=self.admin_site.name)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Changed since the preview (a line submitted meanwhile, a period removed):
            # nothing was stored; show why, as the preview does.
            context = {
                **self.admin_site.each_context(request),
                "title": _("Import"),
                "opts": self.model._meta,
                "result": result,
                "form": LineImportForm(
                    self.get_import_formats(),
                    self.get_import_resource_classes(request),
                    user=request.user,
                ),
                "import_error_display": self.import_error_display,
                "nothing_imported": True,
            }
            return TemplateResponse(request, [self.import_template_name], context)
        return super().process_result(result, request)

    def add_success_message(self, result, request) -> None:
        totals = result.totals
        self.message_user(
            request,
            _(
                "Import done: %(new)s new draft lines, %(updated)s drafts updated, "
                "%(skipped)s rows already recorded."
            )
            % {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
                "skipped": totals[RowResult.IMPORT_TYPE_SKIP],
            },
            messages.SUCCESS,
        )
