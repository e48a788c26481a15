"""Checking a copy against the register: /reports/verify/ and `manage.py verify_report`."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from funding.models import Budget
from reports.models import IssuedReport
from reports.verification import MAX_UPLOAD_BYTES
from tests import factories as f
from urbact_portal.lib.dates import format_datetime

pytestmark = pytest.mark.django_db

VERIFY = "/en/reports/verify/"
PDF = "/projects/di4c/partners/ventspils/reports/funding.pdf"


def upload(client, data: bytes, name="report.pdf"):
    return client.post(VERIFY, {"pdf": SimpleUploadedFile(name, data, "application/pdf")})


def outcome(response) -> str:
    return response.content.decode().split('data-outcome="')[1].split('"')[0]


def tampered(data: bytes) -> bytes:
    i = len(data) // 2
    return data[:i] + bytes([data[i] ^ 1]) + data[i + 1 :]


def test_the_register_keeps_the_figures_and_the_files_sha256(auditor_client, demo):
    content = auditor_client.get(PDF).content
    entry = IssuedReport.objects.get()
    assert entry.pdf_sha256 == hashlib.sha256(content).hexdigest()
    assert hashlib.sha256(entry.figures.encode()).hexdigest() == entry.fingerprint


def test_an_issued_file_is_recognised_byte_for_byte(auditor_client, auditor, demo):
    content = auditor_client.get(PDF).content
    response = upload(auditor_client, content)
    assert response.status_code == 200
    assert outcome(response) == "issued"
    page = response.content.decode()
    assert auditor.get_username() in page and "Ventspils Digital Centre" in page
    assert "figures are the same." in page


def test_a_one_byte_change_is_not_issued(auditor_client, demo):
    content = auditor_client.get(PDF).content
    response = upload(auditor_client, tampered(content))
    assert response.status_code == 200
    assert outcome(response) != "issued"
    assert b"The portal issued this very file" not in response.content


def test_the_same_figures_in_other_bytes_and_what_changed_since(auditor_client, demo):
    auditor_client.get(PDF + "?lang=lv")
    english = auditor_client.get(PDF + "?lang=en").content
    IssuedReport.objects.filter(language="en").delete()  # as if that copy came from elsewhere
    budget = Budget.objects.get()
    budget.total = f.eur("50000.00")
    budget.save()
    response = upload(auditor_client, english)
    assert outcome(response) == "same_figures"
    page = response.content.decode()
    assert "partner.budget.total" in page and "51280.00" in page and "50000.00" in page


def test_a_pasted_fingerprint(auditor_client, demo):
    auditor_client.get(PDF)
    fingerprint = IssuedReport.objects.get().fingerprint
    response = auditor_client.post(VERIFY, {"fingerprint": f"sha256:{fingerprint.upper()}"})
    assert outcome(response) == "same_figures"
    response = auditor_client.post(VERIFY, {"fingerprint": "0" * 64})
    assert outcome(response) == "unknown"
    assert auditor_client.post(VERIFY, {"fingerprint": "not hex"}).status_code == 400


@pytest.mark.parametrize(
    "data",
    [b"", b"hello", b"%PDF-1.7\n garbage", b"%PDF-1.7\n" + b"\x00" * 5000, b"\xff" * 100],
)
def test_bad_uploads_are_never_an_error_page(auditor_client, demo, data):
    response = upload(auditor_client, data)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert outcome(response) == "unknown"


def test_too_big_an_upload_is_refused(auditor_client, demo):
    response = upload(auditor_client, b"%PDF-" + b"0" * MAX_UPLOAD_BYTES)
    assert response.status_code == 400
    assert b"larger than" in response.content


def test_who_may_check(client_for, project_manager, council_member, demo):
    assert client_for(project_manager).get(VERIFY).status_code == 200
    assert client_for(council_member).get(VERIFY).status_code == 403


def test_the_command_exits_0_only_for_an_issued_file(auditor_client, demo, tmp_path, capsys):
    content = auditor_client.get(PDF).content
    good = tmp_path / "good.pdf"
    good.write_bytes(content)
    call_command("verify_report", str(good))
    assert "issued (byte-identical)" in capsys.readouterr().out
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(tampered(content))
    with pytest.raises(CommandError, match="NOT issued"):
        call_command("verify_report", str(bad))
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("verify_report", str(tmp_path / "missing.pdf"))
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(CommandError, match="not a PDF"):
        call_command("verify_report", str(text))


def test_the_change_count_names_the_report_it_counts_from(auditor_client, auditor, demo):
    from tests.test_reports_views import pdf_text

    auditor_client.get("/en" + PDF)
    first = IssuedReport.objects.get()
    text = pdf_text(auditor_client.get("/en" + PDF).content)
    assert "0 recorded changes" in text
    assert "Counted from the previous report" in text
    assert auditor.get_username() in text.split("Counted from the previous report")[1]
    assert first.fingerprint in text.replace(" ", "").replace("\n", "")


def test_the_latvian_page_says_to_whom_and_when_in_riga_time(auditor_client, auditor, demo):
    content = auditor_client.get(PDF).content
    entry = IssuedReport.objects.get()
    page = auditor_client.post(
        "/reports/verify/", {"pdf": SimpleUploadedFile("r.pdf", content, "application/pdf")}
    ).content.decode()
    # "To" once read "Līdz" (until): the column names the recipient.
    assert ">Kam izsniegts<" in page and ">Līdz<" not in page
    assert f'data-label="Kam izsniegts">{auditor.get_username()}<' in page
    assert format_datetime(entry.issued_at, "lv") in page
    # The hashes wrap on a phone instead of widening the page.
    assert f'<code class="hash">{entry.pdf_sha256}</code>' in page
