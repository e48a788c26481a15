"""Admin for expenditure: coordinators record and submit their organisation's lines with
their documents; controllers certify or reject submitted lines; project managers keep the
reporting periods and exchange rates.

Who may do what is expenditure/scoping.py; the steps are expenditure/services.py. Whatever a
request carries — another partner's line or participation, another project's period, an edit
of a submitted or certified line, a forged action — the answer is a form error, a message, a
403 or a 404, never a 500 and never a changed certified line.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from expenditure import scoping, services
from expenditure.import_admin import ExpenditureImportMixin
from expenditure.models import (
    ExchangeRate,
    ExpenditureLine,
    ReportingPeriod,
    Status,
    SupportingDocument,
)
from partners.models import Participation
from projects.admin import ProjectWideAdmin
from urbact_portal.lib.admin_tools import AuditedAdmin, CachedChoicesInline
from urbact_portal.lib.formatting import format_money


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ProjectWideAdmin, AuditedAdmin):
    list_display = ["project", "number", "start", "end", "report_due"]
    list_filter = ["project"]
    list_select_related = ["project"]
    ordering = ["project__acronym", "number"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ProjectWideAdmin, AuditedAdmin):
    list_display = ["currency", "month", "rate"]
    list_filter = ["currency"]
    search_fields = ["currency"]
    date_hierarchy = "month"


class SupportingDocumentInline(CachedChoicesInline, admin.TabularInline):
    model = SupportingDocument
    extra = 0
    # A plain file input: the stored file has no URL to show (uploads are private); the
    # download link is the `download` column, served after an access check.
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}
    readonly_fields = ["download", "size", "sha256"]

    def get_fields(self, request, obj=None):
        if self._line_editable(request, obj):
            return ["kind", "file", "download", "size", "sha256"]
        return ["kind", "download", "size", "sha256"]

    def _line_editable(self, request, line) -> bool:
        if line is None:
            return True
        return line.status == Status.DRAFT and scoping.may_edit(request.user, line)

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._line_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and self._line_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and self._line_editable(request, obj)

    @admin.display(description=gettext_lazy("file"))
    def download(self, document: SupportingDocument) -> str:
        if document.pk is None:
            return "–"
        url = reverse("expenditure:document", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, document.original_name)


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for rejection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The partner reads it and corrects the line accordingly."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("certify", gettext_lazy("Certify")), ("reject", gettext_lazy("Reject"))]
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for rejection"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the rejection."))
        return data


def _line_link(line: ExpenditureLine) -> str:
    """№ 12 (rejected), linked to the line's change page."""
    url = reverse("admin:expenditure_expenditureline_change", args=[line.pk])
    label = _("№ %(number)s (%(status)s)") % {
        "number": line.pk,
        "status": line.get_status_display().lower(),
    }
    return format_html('<a href="{}">{}</a>', url, label)


@admin.register(ExpenditureLine)
class ExpenditureLineAdmin(ExpenditureImportMixin, AuditedAdmin):
    list_display = [
        "paid_on",
        "partner",
        "period_number",
        "category",
        "description",
        "amount",
        "amount_eur",
        "status",
        "sample",
    ]
    list_filter = ["status", "participation__project", "participation__organisation", "category"]
    list_select_related = ["participation__organisation", "period"]
    search_fields = ["description", "supplier", "document_reference"]
    date_hierarchy = "paid_on"
    recorded = ["participation", *services.RECORDED_FIELDS]
    readonly_fields = [
        "status",
        "rate",
        "rate_month",
        "amount_eur",
        "submitted_at",
        "submitted_by",
        "decided_at",
        "decided_by",
        "rejection_reason",
        "corrects_line",
        "corrected_by_lines",
        "sample",
        "decision",
    ]
    inlines = [SupportingDocumentInline]
    actions = ["submit_lines", "certify_lines", "reject_lines"]

    def get_fields(self, request, obj=None):
        return [*self.recorded, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return [*self.recorded, *self.readonly_fields]
        if obj is not None and obj.corrects_id is not None:
            # A correction stays with the partner of the line it corrects (the model's rule).
            return ["participation", *self.readonly_fields]
        return self.readonly_fields

    # --- which rows ----------------------------------------------------------------------

    def get_queryset(self, request):
        rows = (
            super()
            .get_queryset(request)
            .select_related("participation__organisation", "participation__project", "period")
        )
        return scoping.visible(rows, request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404  # missing or another partner's: the same answer
        return obj

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or scoping.may_see(request.user, obj))

    def _may_write(self, request, obj) -> bool:
        """Only drafts are edited or deleted, and only by their organisation's coordinator."""
        return obj is None or (obj.status == Status.DRAFT and scoping.may_edit(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_write(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_write(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "participation":
            rows = Participation.objects.select_related("organisation", "project")
            kwargs["queryset"] = scoping.editable(rows, request.user, "organisation")
        elif db_field.name == "period":
            own = scoping.editable(Participation.objects.all(), request.user, "organisation")
            kwargs["queryset"] = ReportingPeriod.objects.filter(
                project__in=own.values("project")
            ).select_related("project")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.status = Status.DRAFT
        super().save_model(request, obj, form, change)

    # --- the list's columns ---------------------------------------------------------------

    @admin.display(description=gettext_lazy("partner"), ordering="participation__organisation")
    def partner(self, line: ExpenditureLine) -> str:
        return str(line.participation.organisation)

    @admin.display(description=gettext_lazy("period"), ordering="period__number")
    def period_number(self, line: ExpenditureLine) -> int:
        return line.period.number

    @admin.display(description=gettext_lazy("sample"), boolean=True, ordering="is_sample")
    def sample(self, line: ExpenditureLine) -> bool:
        return line.is_sample

    @admin.display(description=gettext_lazy("decision"))
    def decision(self, line: ExpenditureLine) -> str:
        if line.pk is None or line.status != Status.SUBMITTED:
            return "–"
        url = reverse("admin:expenditure_expenditureline_decide", args=[line.pk])
        return format_html('<a href="{}">{}</a>', url, _("Certify or reject"))

    @admin.display(description=gettext_lazy("corrects"))
    def corrects_line(self, line: ExpenditureLine) -> str:
        if line.corrects_id is None:
            return "–"
        return _line_link(line.corrects)

    @admin.display(description=gettext_lazy("corrected by"))
    def corrected_by_lines(self, line: ExpenditureLine) -> str:
        if line.pk is None:
            return "–"
        corrections = line.corrections.order_by("pk")
        return format_html_join(", ", "{}", ((_line_link(c),) for c in corrections)) or "–"

    # --- the status steps -----------------------------------------------------------------

    def has_submit_permission(self, request) -> bool:
        return request.user.has_perm(scoping.SUBMIT)

    def has_certify_permission(self, request) -> bool:
        return request.user.has_perm(scoping.CERTIFY)

    @admin.action(
        description=gettext_lazy("Submit the selected lines to the controller"),
        permissions=["submit"],
    )
    def submit_lines(self, request, queryset):
        try:
            lines = services.submit(list(queryset), request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(
            request,
            _("%(count)s lines submitted to the controller.") % {"count": len(lines)},
            messages.SUCCESS,
        )
        return None

    @admin.action(description=gettext_lazy("Certify the selected lines"), permissions=["certify"])
    def certify_lines(self, request, queryset):
        self._decide_each(request, queryset, services.certify)

    @admin.action(description=gettext_lazy("Reject the selected lines…"), permissions=["certify"])
    def reject_lines(self, request, queryset):
        form = RejectionForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]

            def step(line, user):
                return services.reject(line, user, reason)

            self._decide_each(request, queryset, step)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject expenditure"),
            "opts": self.model._meta,
            "lines": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/expenditure/reject.html", context)

    def _decide_each(self, request, queryset, step) -> None:
        done = 0
        for line in queryset:
            try:
                step(line, request.user)
            except ValidationError as error:
                self.message_user(request, f"{line}: {' '.join(error.messages)}", messages.ERROR)
            except PermissionDenied:
                message = _("%(line)s: not among the partners you control.") % {"line": line}
                self.message_user(request, message, messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, _("%(count)s lines decided.") % {"count": done}, messages.SUCCESS
            )

    # --- one line's decision page ---------------------------------------------------------

    def get_urls(self):
        decide = path(
            "<path:object_id>/decide/",
            self.admin_site.admin_view(self.decide_view),
            name="expenditure_expenditureline_decide",
        )
        correct = path(
            "<path:object_id>/correct/",
            self.admin_site.admin_view(self.correct_view),
            name="expenditure_expenditureline_correct",
        )
        return [decide, correct, *super().get_urls()]

    def decide_view(self, request, object_id):
        line = self.get_object(request, object_id)
        if not self.has_view_permission(request, line):
            raise Http404
        if not scoping.may_decide(request.user, line):
            raise PermissionDenied
        form = DecisionForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "certify":
                    services.certify(line, request.user)
                else:
                    services.reject(line, request.user, form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("The decision is recorded."), messages.SUCCESS)
                return redirect("expenditure:to_check")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Certify or reject"),
            "opts": self.model._meta,
            "line": line,
            "amount_eur": format_money(line.amount_eur) if line.amount_eur else "–",
            "documents": line.documents.all(),
            "form": form,
        }
        return TemplateResponse(request, "admin/expenditure/decide.html", context)

    # --- correcting a decided line --------------------------------------------------------

    def may_correct(self, request, line: ExpenditureLine) -> bool:
        """Whether the change page offers "Correct this line" (services decide again, on the
        stored row, when it is pressed)."""
        return (
            services.may_correct(request.user, line) and services.correction_refusal(line) is None
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["may_correct"] = obj is not None and self.may_correct(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def correct_view(self, request, object_id):
        """GET: what a correction is, and the button; POST: a new draft that corrects the line,
        opened for editing. Nothing is made on GET."""
        line = self.get_object(request, object_id)
        if not self.has_view_permission(request, line):
            raise Http404
        if not services.may_correct(request.user, line):
            raise PermissionDenied
        if request.method == "POST":
            try:
                new = services.correct(line, request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return redirect("admin:expenditure_expenditureline_change", line.pk)
            message = _(
                "A new draft line corrects line № %(number)s: change what was wrong, "
                "attach its documents and submit it to the controller."
            ) % {"number": line.pk}
            self.message_user(request, message, messages.SUCCESS)
            return redirect("admin:expenditure_expenditureline_change", new.pk)
        refusal = services.correction_refusal(line)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Correct this line"),
            "opts": self.model._meta,
            "line": line,
            "amount_eur": format_money(line.amount_eur) if line.amount_eur else "–",
            "refusal": " ".join(refusal.messages) if refusal else None,
        }
        return TemplateResponse(request, "admin/expenditure/correct.html", context)


# Claims and state co-financing have their own admin module.
from expenditure import claim_admin  # noqa: E402, F401
