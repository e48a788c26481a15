"""Supporting documents: uploads limited by type and size, stored privately, served only to
those who may see that partner's expenditure (a 404 to everyone else)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from expenditure.models import ExpenditureLine, SupportingDocument
from partners.models import Participation
from tests import factories as f
from tests.admin_forms import change_url, copy_form

PDF = b"%PDF-1.7\n% a tiny invoice\n"


@pytest.fixture
def line(periods, private_files) -> ExpenditureLine:
    part = Participation.objects.get(organisation__slug="ventspils")
    return f.expenditure_line(part, periods[1], "480.00")


def upload(client, line, name: str, content: bytes):
    data = copy_form(client, change_url(line)) | {
        "documents-TOTAL_FORMS": "1",
        "documents-0-kind": "invoice",
        "documents-0-file": SimpleUploadedFile(name, content, content_type="application/pdf"),
        "documents-0-line": str(line.pk),
    }
    return client.post(change_url(line), data)


def test_a_coordinator_attaches_an_invoice_kept_outside_the_public_folders(
    client_for, ventspils_coordinator, line, private_files, settings
):
    response = upload(client_for(ventspils_coordinator), line, "Rēķins 12.pdf", PDF)
    assert response.status_code == 302, response.context and response.context["errors"]
    document = SupportingDocument.objects.get()
    assert (document.original_name, document.size, document.content_type) == (
        "Rēķins 12.pdf",
        len(PDF),
        "application/pdf",
    )
    stored = private_files / document.file.name
    assert stored.read_bytes() == PDF
    assert str(settings.MEDIA_ROOT or "") not in str(stored.parent) or not settings.MEDIA_ROOT
    with pytest.raises(ValueError):
        document.file.url  # no public URL  # noqa: B018


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.exe", b"MZ\x90\x00", "This type of file is not accepted"),
        ("invoice.pdf", b"MZ\x90\x00 a program", "not what its name says"),
        ("photo.png", PDF, "not what its name says"),
    ],
)
def test_uploads_of_a_type_not_accepted_are_refused_with_a_clear_error(
    english, client_for, ventspils_coordinator, line, name, content, message
):
    response = upload(client_for(ventspils_coordinator), line, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SupportingDocument.objects.exists()


def test_uploads_larger_than_the_limit_are_refused(
    english, client_for, ventspils_coordinator, line, settings
):
    settings.EXPENDITURE_UPLOAD_MAX_BYTES = 1024 * 1024
    big = PDF + b"0" * (1024 * 1024)
    response = upload(client_for(ventspils_coordinator), line, "big.pdf", big)
    assert response.status_code == 200
    assert "too large: at most 1 MB" in response.content.decode()
    assert not SupportingDocument.objects.exists()


@pytest.fixture
def document(line) -> SupportingDocument:
    return SupportingDocument.objects.create(
        line=line, kind="invoice", file=SimpleUploadedFile("invoice 7.pdf", PDF)
    )


def document_url(document) -> str:
    with translation.override("en"):
        return reverse("expenditure:document", args=[document.pk])


def test_the_document_is_served_as_an_attachment_to_those_who_may_see_it(
    client_for, document, ventspils_coordinator, ventspils_controller, auditor, project_manager
):
    for user in (ventspils_coordinator, ventspils_controller, auditor, project_manager):
        response = client_for(user).get(document_url(document))
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="invoice 7.pdf"'


def test_the_document_is_a_404_to_everyone_else(
    client_for, document, oulu_coordinator, oulu_controller, council_member, outsider
):
    for user in (oulu_coordinator, oulu_controller, council_member, outsider):
        assert client_for(user).get(document_url(document)).status_code == 404, user
    missing = document_url(document).replace(str(document.pk), str(document.pk + 100))
    assert client_for(oulu_coordinator).get(missing).status_code == 404
    signed_out = client_for(None).get(document_url(document))
    assert signed_out.status_code == 302 and "/login/" in signed_out["Location"]


def test_documents_of_a_submitted_line_can_no_longer_be_added_or_removed(english, document, line):
    from django.core.exceptions import ValidationError

    from expenditure import services

    services.submit([line], None)
    with pytest.raises(ValidationError, match="only while the line is a draft"):
        SupportingDocument.objects.create(
            line=line, kind="payment", file=SimpleUploadedFile("p.pdf", PDF)
        )
    with pytest.raises(ValidationError):
        document.delete()
