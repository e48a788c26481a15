"""Supporting documents and the state co-financing in the reports (issue 12, schema 5): each
certified or rejected line lists its documents with the SHA-256 of the file taken at upload,
so the fingerprint covers the evidence and an auditor can check a file handed to them; the
own organisation's state co-financing is in its report and the project's, and the PDFs print
both as the JSON has them, to the cent."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from expenditure import services
from expenditure.models import ExpenditureLine, StateCoFinancing, Status, SupportingDocument
from projects.models import Project
from reports.data import funding_report
from tests import factories as f
from tests.test_expenditure_documents import PDF, upload
from tests.test_expenditure_figures import NOW, partner
from tests.test_report_expenditure_pdf import _extreme_spending, pdf_text
from tests.test_report_layout import _long, _overflowing, extreme  # noqa: F401 (a fixture)
from urbact_portal.lib.formatting import format_money

pytestmark = pytest.mark.django_db

SCAN = b"\x89PNG\r\n\x1a\n a scanned proof of payment"


def uploaded(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def line(periods, private_files) -> ExpenditureLine:
    return f.expenditure_line(partner("ventspils"), periods[1], "480.00")


def decide(line, controller, status=Status.CERTIFIED) -> ExpenditureLine:
    services.submit([line], None, now=NOW)
    line = ExpenditureLine.objects.get(pk=line.pk)
    if status == Status.CERTIFIED:
        services.certify(line, controller, now=NOW)
    else:
        services.reject(line, controller, "No proof of payment", now=NOW)
    return line


def report(demo, partner_slug="ventspils"):
    return funding_report(project=Project.objects.get(pk=demo.pk), partner_slug=partner_slug)


def line_in(data: dict, line: ExpenditureLine) -> dict:
    section = data["expenditure"]
    return next(row for row in section["certified"] + section["rejected"] if row["id"] == line.pk)


def test_the_json_lists_a_decided_line_s_documents_with_the_hash_of_each_file(
    client_for, ventspils_coordinator, demo, line, superuser
):
    response = upload(client_for(ventspils_coordinator), line, "Rēķins 12.pdf", PDF)
    assert response.status_code == 302
    SupportingDocument.objects.create(
        line=line, kind="payment", file=uploaded("Maksājums.png", SCAN)
    )
    decide(line, superuser)
    documents = line_in(report(demo).figures, line)["documents"]
    assert documents == [
        {
            "kind": "invoice",
            "original_name": "Rēķins 12.pdf",
            "size": len(PDF),
            "sha256": hashlib.sha256(PDF).hexdigest(),
        },
        {
            "kind": "payment",
            "original_name": "Maksājums.png",
            "size": len(SCAN),
            "sha256": hashlib.sha256(SCAN).hexdigest(),
        },
    ]


def test_a_rejected_line_lists_its_documents_too(demo, line, superuser):
    SupportingDocument.objects.create(line=line, file=uploaded("Rēķins.pdf", PDF))
    decide(line, superuser, Status.REJECTED)
    [document] = line_in(report(demo).figures, line)["documents"]
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest()


def test_the_hash_is_taken_at_upload_and_never_read_again(demo, line, superuser, private_files):
    document = SupportingDocument.objects.create(line=line, file=uploaded("Rēķins.pdf", PDF))
    decide(line, superuser)
    before = report(demo)
    (private_files / document.file.name).write_bytes(b"%PDF-1.7\n% swapped on the disk\n")
    after = report(demo)
    # The report reads what was stored at upload: a file swapped on the disk since no longer
    # matches the printed hash, which is how an auditor finds out.
    assert after.fingerprint == before.fingerprint
    assert line_in(after.figures, line)["documents"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()


def test_a_file_replaced_while_the_line_is_a_draft_gets_its_own_hash(line):
    document = SupportingDocument.objects.create(line=line, file=uploaded("Rēķins.pdf", PDF))
    other = b"%PDF-1.7\n% the corrected invoice\n"
    document.file = uploaded("Rēķins labots.pdf", other)
    document.save()
    document.refresh_from_db()
    assert (document.original_name, document.size, document.sha256) == (
        "Rēķins labots.pdf",
        len(other),
        hashlib.sha256(other).hexdigest(),
    )


@pytest.mark.parametrize(
    "change",
    [
        {"sha256": hashlib.sha256(b"%PDF-1.7\n% another file\n").hexdigest()},
        {"size": len(PDF) + 1},
        {"original_name": "Rēķins 13.pdf"},
        {"kind": "other"},
    ],
    ids=["content", "size", "name", "kind"],
)
def test_a_changed_document_changes_the_fingerprint(demo, line, superuser, change):
    """A decided line's document changes only by a write to the database itself (a restored
    backup, a data fix; its save refuses): the fingerprint follows, and the trail counts it."""
    document = SupportingDocument.objects.create(line=line, file=uploaded("Rēķins.pdf", PDF))
    decide(line, superuser)
    before = report(demo)
    SupportingDocument.objects.filter(pk=document.pk).update(**change)
    after = report(demo)
    assert after.fingerprint != before.fingerprint
    assert after.changes[0].kind == "expenditure.supportingdocument"


def test_existing_documents_are_fingerprinted_by_the_migration(line, private_files):
    """The migration that added the hash reads each stored file once; a file missing from the
    storage is marked, not a crash."""
    kept = SupportingDocument.objects.create(line=line, file=uploaded("Rēķins.pdf", PDF))
    lost = SupportingDocument.objects.create(line=line, file=uploaded("Zudis.pdf", PDF))
    (private_files / lost.file.name).unlink()
    SupportingDocument.objects.update(sha256="")  # as before the migration
    migration = importlib.import_module("expenditure.migrations.0003_document_sha256")
    migration.fingerprint_documents(apps, None)
    kept.refresh_from_db()
    lost.refresh_from_db()
    assert kept.sha256 == hashlib.sha256(PDF).hexdigest()
    assert lost.sha256 == "missing" and lost.file_missing
    assert not SupportingDocument.history.filter(sha256="").exists()  # the trail's rows too


# --- the state co-financing ------------------------------------------------------------------


@pytest.fixture
def state(demo) -> StateCoFinancing:
    return StateCoFinancing.objects.create(
        participation=partner("ventspils"),
        applied_on=dt.date(2020, 7, 1),
        applied=f.eur("2564.07"),
        advance_received_on=dt.date(2020, 9, 1),
        advance_received=f.eur("2307.66"),
    )


def test_the_own_organisation_s_report_has_its_state_co_financing(demo, state):
    data = report(demo).figures["expenditure"]["state"]
    assert data == {
        "partner": "ventspils",
        "source": "lv-state-budget",
        "planned": "2564.00",  # 5 % of the budget of 51 280,00 €
        "application": {
            "applied_on": "2020-07-01",
            "applied": "2564.07",
            "advance_rate": "90.00",
            "advance_due": "2307.66",
            "advance_received_on": "2020-09-01",
            "advance_received": "2307.66",
            "final_due": "256.41",
            "final_received_on": None,
            "final_received": None,
        },
        "received": "2307.66",
    }
    application = data["application"]
    due = Decimal(application["advance_due"]) + Decimal(application["final_due"])
    assert due == Decimal(application["applied"])  # to the cent
    assert report(demo, None).figures["expenditure"]["state"] == data  # the project's too


def test_before_an_application_the_plan_is_shown(demo):
    data = report(demo).figures["expenditure"]["state"]
    assert data["application"] is None and data["received"] == "0.00"


def test_another_partner_s_report_has_no_state_co_financing(demo, state):
    assert report(demo, "oulu").figures["expenditure"]["state"] is None


# --- the PDF ---------------------------------------------------------------------------------


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_pdf_prints_the_documents_and_the_state_figures_as_the_json_has_them(
    demo, line, superuser, state, language
):
    SupportingDocument.objects.create(line=line, file=uploaded("Rēķins 12.pdf", PDF))
    decide(line, superuser)
    made = report(demo)
    text, _reader = pdf_text(made, language)
    text = _plain(text)
    [document] = line_in(made.figures, line)["documents"]
    kind = "Rēķins" if language == "lv" else "Invoice"
    assert f"{kind}: Rēķins 12.pdf" in text
    # The full hash, wherever the line wraps it.
    assert document["sha256"] in text.replace(" ", "")
    with translation.override(language):
        application = made.figures["expenditure"]["state"]["application"]
        for key in ("applied", "advance_due", "advance_received", "final_due"):
            amount = _plain(format_money(f.eur(application[key])))
            assert amount in text, (key, amount)
    heading = "valsts budžeta līdzfinansējums" if language == "lv" else "State budget co-financing"
    assert heading in text


def test_the_project_pdf_prints_the_state_co_financing(demo, state):
    text, _reader = pdf_text(report(demo, None), "en")
    assert "State budget co-financing of Ventspils Digital Centre" in _plain(text)
    assert "€2,564.07" in _plain(text)


def test_a_missing_file_is_said_to_be_missing(demo, line, superuser):
    document = SupportingDocument.objects.create(line=line, file=uploaded("Zudis.pdf", PDF))
    SupportingDocument.objects.filter(pk=document.pk).update(sha256="missing")
    decide(line, superuser)
    text, _reader = pdf_text(report(demo), "en")
    assert "the file was missing from the storage" in text


# --- the layout ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["lv", "en"])
def test_documents_and_the_state_figures_keep_to_the_page(extreme, settings, language):  # noqa: F811
    """The longest file names, several documents a line and the largest amounts of the state
    co-financing stay on the page (tests/test_report_layout.py's check)."""
    _extreme_spending(extreme)
    settings.PORTAL_OWN_ORGANISATION = "extreme-p1"
    own = extreme.participations.get(organisation__slug="extreme-p1")
    # Written in bulk: the lines are decided already (a save would refuse).
    SupportingDocument.objects.bulk_create(
        SupportingDocument(
            line=made,
            kind=kind,
            file=f"expenditure/{made.pk}-{kind}.pdf",
            original_name=_long(251) + ".pdf",
            size=10 * 1024 * 1024,
            content_type="application/pdf",
            sha256=hashlib.sha256(kind.encode()).hexdigest(),
        )
        for made in ExpenditureLine.objects.filter(participation=own)
        for kind in SupportingDocument.Kind.values
    )
    StateCoFinancing.objects.create(
        participation=own,
        applied_on=dt.date(2020, 7, 1),
        applied=f.eur("999999999.99"),
        advance_received_on=dt.date(2020, 9, 1),
        advance_received=f.eur("899999999.99"),
        final_received_on=dt.date(2022, 9, 1),
        final_received=f.eur("100000000.00"),
    )
    for partner_slug in (None, "extreme-p1"):
        made = funding_report(project=extreme, partner_slug=partner_slug)
        assert made.state is not None
        found = _overflowing(made, language)
        assert found == [], "\n".join(found)
