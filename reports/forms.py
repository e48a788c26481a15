from django import forms
from django.utils.translation import gettext_lazy as _

from reports.verification import MAX_UPLOAD_BYTES, parse_fingerprint


class VerifyForm(forms.Form):
    """A PDF to check, or a fingerprint pasted as text (one of the two)."""

    pdf = forms.FileField(label=_("Report (PDF file)"), required=False)
    fingerprint = forms.CharField(
        label=_("or its fingerprint (SHA-256)"), required=False, max_length=200, strip=True
    )

    def clean_pdf(self):
        pdf = self.cleaned_data.get("pdf")
        if pdf and pdf.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mib)s MiB: no report of ours is."),
                params={"mib": MAX_UPLOAD_BYTES // (1024 * 1024)},
                code="too_big",
            )
        return pdf

    def clean_fingerprint(self):
        text = self.cleaned_data.get("fingerprint", "")
        if not text:
            return None
        fingerprint = parse_fingerprint(text)
        if fingerprint is None:
            raise forms.ValidationError(
                _("A fingerprint is 64 hexadecimal characters (0–9, a–f)."), code="invalid"
            )
        return fingerprint

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("pdf") and not cleaned.get("fingerprint"):
            raise forms.ValidationError(
                _("Choose a PDF file or paste a fingerprint."), code="empty"
            )
        return cleaned
