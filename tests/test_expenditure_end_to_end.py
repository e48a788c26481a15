"""Issue 12's "Done when", walked as a new user would, through the admin and the pages: a
coordinator records a line in RON with its invoice and imports more, submits them; a
controller certifies part and rejects one with a reason; the coordinator corrects it with
"Correct this line"; council staff see planned against certified; an auditor's partner report
shows it all under a fingerprint that covers it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import types
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from djmoney.money import Money
from pypdf import PdfReader

from expenditure import rules, services
from expenditure.models import ExpenditureLine, Status, SupportingDocument
from partners.models import Organisation
from projects.roles import CONTROLLERS, COORDINATORS
from tests import factories as f
from tests.admin_forms import admin_url, change_url, copy_form
from tests.conftest import make_user
from tests.test_expenditure_import import HEADER, import_file
from tests.test_expenditure_status import LIST, decide_url, new_line_data, partner
from tests.test_reports_views import pdf_text

SAMPLES = Path(services.__file__).resolve().parent / "samples"
# The month of submission: RON has a rate for it in the sample InforEuro file (4.8499).
NOW = timezone.make_aware(dt.datetime(2020, 10, 5, 10, 0))
PDF = b"%PDF-1.7\n% invoice BT-2020-311\n"
PARTNER_JSON = "/projects/di4c/partners/botosani/reports/funding.json"
PARTNER_PDF = "/projects/di4c/partners/botosani/reports/funding.pdf"
SPENDING = (
    HEADER
    + "2;30.06.2020;staff;Projekta koordinatora alga, jūnijs;;ALGA-2020-06;1 500,00;EUR\n"
    + "2;2020-07-14;travel;Vilciena biļetes;AS Pasažieru vilciens;PV-20-1187;86,40;EUR\n"
    + "2;15.07.2020;expertise;Sanāksmes vadīšana;SIA Idejas;INV-0042;1 234,56;EUR\n"
).encode()


@pytest.fixture
def frozen_now(monkeypatch):
    """The admin's actions take the rate of the month of submission from `timezone.now()`:
    submissions happen in October 2020, as the sample rates cover it."""
    frozen = types.SimpleNamespace(now=lambda: NOW, localdate=timezone.localdate)
    monkeypatch.setattr(services, "timezone", frozen)


@pytest.fixture
def rates(db):
    call_command("import_rates", str(SAMPLES / "rates.csv"))


def line_called(reference: str) -> ExpenditureLine:
    return ExpenditureLine.objects.get(document_reference=reference, corrects=None)


def act(client, action: str, lines, **extra):
    data = {"action": action, "_selected_action": [line.pk for line in lines]} | extra
    response = client.post(admin_url(LIST), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def certified_total() -> Decimal:
    rows = ExpenditureLine.objects.filter(status=Status.CERTIFIED)
    return sum((row.amount_eur.amount for row in rows), Decimal("0.00"))


def euro(amount: Decimal) -> str:
    return f"€{amount:,.2f}"


@pytest.fixture
def botosani_budget(demo):
    """The demo enters no budget for Botoșani: the lead partner's staff enter one (how is
    tested elsewhere), so there is a plan to set the spending against."""
    return f.with_budget(partner("botosani"), "43210.98", erdf_rate="85", own_rate="15")


@pytest.fixture
def botosani_coordinator(demo):
    """Bogdan keeps the Municipality of Botoșani's data, its spending in lei among them."""
    return make_user("bogdan", COORDINATORS, staff=True, organisations=["botosani"])


@pytest.fixture
def botosani_controller(demo):
    """Corina checks and certifies Botoșani's expenditure."""
    user = make_user("corina", CONTROLLERS, staff=True)
    Organisation.objects.get(slug="botosani").controllers.add(user)
    return user


@pytest.fixture
def walk(
    client_for,
    botosani_coordinator,
    botosani_controller,
    botosani_budget,
    periods,
    private_files,
    rates,
    frozen_now,
):
    """Steps 1 and 2: recorded, imported, submitted; certified in part, one line rejected."""
    bogdan = client_for(botosani_coordinator)
    # 1. The RON line, typed in the admin with its invoice attached.
    ron = new_line_data(
        partner("botosani"),
        periods[1],
        paid_on="2020-09-10",
        category="office",
        description="Chirie sală de întâlniri",
        supplier="Casa de Cultură Botoșani",
        document_reference="BT-2020-311",
        amount_0="1250.50",
        amount_1="RON",
    ) | {
        "documents-TOTAL_FORMS": "1",
        "documents-0-kind": "invoice",
        "documents-0-file": SimpleUploadedFile("BT-2020-311.pdf", PDF, "application/pdf"),
    }
    response = bogdan.post(admin_url("expenditure_expenditureline_add"), ron)
    assert response.status_code == 302, response.context and response.context["errors"]
    # ... and the rest of the period's spending imported from a spreadsheet.
    response = import_file(bogdan, SPENDING, "spending.csv", partner("botosani"))
    assert response.status_code == 302
    drafts = list(ExpenditureLine.objects.order_by("pk"))
    assert [line.status for line in drafts] == [Status.DRAFT] * 4

    act(bogdan, "submit_lines", drafts)
    submitted = {line.document_reference: line for line in ExpenditureLine.objects.all()}
    assert {line.status for line in submitted.values()} == {Status.SUBMITTED}
    room = submitted["BT-2020-311"]
    assert (room.rate, room.rate_month) == (Decimal("4.8499"), dt.date(2020, 10, 1))
    assert room.amount_eur == Money(rules.to_euro(Decimal("1250.50"), Decimal("4.8499")), "EUR")
    assert room.amount_eur == Money("257.84", "EUR")
    assert submitted["ALGA-2020-06"].amount_eur == Money("1500.00", "EUR")

    # 2. The controller sees the lines waiting, opens the RON line with its invoice, certifies.
    corina = client_for(botosani_controller)
    waiting = corina.get("/en/expenditure/to-check/")
    assert {line.pk for line in waiting.context["lines"]} == {line.pk for line in drafts}
    page = corina.get(decide_url(room))
    assert page.status_code == 200 and "BT-2020-311.pdf" in page.content.decode()
    document = SupportingDocument.objects.get(line=room)
    invoice = corina.get(f"/en/expenditure/documents/{document.pk}/")
    assert b"".join(invoice.streaming_content) == PDF
    assert corina.post(decide_url(room), {"decision": "certify"}).status_code == 302
    act(corina, "certify_lines", [submitted["ALGA-2020-06"]])
    rejected = corina.post(
        decide_url(submitted["PV-20-1187"]),
        {"decision": "reject", "reason": "The tickets are for a trip outside the project."},
    )
    assert rejected.status_code == 302
    statuses = dict(ExpenditureLine.objects.values_list("document_reference", "status"))
    assert statuses == {
        "BT-2020-311": Status.CERTIFIED,
        "ALGA-2020-06": Status.CERTIFIED,
        "PV-20-1187": Status.REJECTED,
        "INV-0042": Status.SUBMITTED,  # left for later: step 5 certifies it
    }
    # One test client: each step signs its user in again.
    return types.SimpleNamespace(
        bogdan=lambda: client_for(botosani_coordinator),
        corina=lambda: client_for(botosani_controller),
    )


def correct_url(line) -> str:
    return admin_url("expenditure_expenditureline_correct", line.pk)


def correct_in_the_admin(client, line, amount: str) -> ExpenditureLine:
    """What a coordinator does: "Correct this line" on the decided line's page, then the new
    draft's amount changed on the page it opens."""
    page = client.get(change_url(line)).content.decode()
    assert f'action="{correct_url(line)}"' in page, "no 'Correct this line' button"
    response = client.post(correct_url(line), follow=True)
    fixed = ExpenditureLine.objects.get(corrects=line)
    assert response.redirect_chain == [(change_url(fixed), 302)]
    shown = [str(m) for m in response.context["messages"]]
    assert any(f"line № {line.pk}" in m for m in shown), shown
    data = copy_form(client, change_url(fixed)) | {"amount_0": amount}
    assert client.post(change_url(fixed), data).status_code == 302
    fixed.refresh_from_db()
    return fixed


def test_the_coordinator_corrects_the_rejected_line_in_the_admin(walk, botosani_coordinator):
    travel = line_called("PV-20-1187")
    fixed = correct_in_the_admin(walk.bogdan(), travel, "80.00")
    assert (fixed.status, fixed.corrects_id, fixed.amount) == (
        Status.DRAFT,
        travel.pk,
        Money("80.00", "EUR"),
    )
    copied = ("period_id", "paid_on", "category", "description", "document_reference")
    assert [getattr(fixed, name) for name in copied] == [getattr(travel, name) for name in copied]
    assert ExpenditureLine.objects.get(pk=travel.pk).status == Status.REJECTED  # unchanged
    # The trail names who made the correction; each page links the other.
    assert fixed.history.earliest().history_user == botosani_coordinator
    assert change_url(travel) in walk.bogdan().get(change_url(fixed)).content.decode()
    page = walk.bogdan().get(change_url(travel)).content.decode()
    assert change_url(fixed) in page and correct_url(travel) not in page  # one at a time


def test_from_recording_to_the_auditors_fingerprint(
    walk, botosani_coordinator, client_for, council_member, auditor
):
    # 3. The correction: "Correct this line" in the admin, the amount changed, submitted with
    # the admin action and certified on the decision page.
    travel = line_called("PV-20-1187")
    assert "outside the project" in walk.bogdan().get(change_url(travel)).content.decode()
    fixed = correct_in_the_admin(walk.bogdan(), travel, "80.00")
    assert walk.bogdan().get(change_url(fixed)).context["has_change_permission"]
    act(walk.bogdan(), "submit_lines", [fixed])
    assert walk.corina().post(decide_url(fixed), {"decision": "certify"}).status_code == 302
    fixed.refresh_from_db()
    assert (fixed.status, fixed.corrects_id) == (Status.CERTIFIED, travel.pk)
    assert ExpenditureLine.objects.get(pk=travel.pk).status == Status.REJECTED

    # 4. Council staff: planned against certified, to the cent.
    certified = certified_total()
    assert certified == Decimal("1500.00") + Decimal("257.84") + Decimal("80.00")
    page = client_for(council_member).get("/en/projects/di4c/expenditure/")
    assert page.status_code == 200
    figures = page.context["expenditure"]
    botosani = next(p for p in figures.partners if p.organisation.slug == "botosani")
    assert botosani.figures.certified == figures.total.certified == Money(certified, "EUR")
    planned = botosani.figures.planned.amount
    assert planned == Decimal("43210.98")
    body = page.content.decode()
    for amount in (certified, planned, planned - certified):
        assert euro(amount) in body, amount
    assert euro(Decimal("86.40")) not in body  # the rejected line never counts

    # 5. The auditor's partner report: the JSON's figures are the certified lines, and the
    # PDF prints the JSON's SHA-256.
    aiga = client_for(auditor)
    body = aiga.get(PARTNER_JSON).content
    section = json.loads(body)["expenditure"]
    lines = ExpenditureLine.objects.filter(status=Status.CERTIFIED)
    assert sorted(c["id"] for c in section["certified"]) == sorted(line.pk for line in lines)
    assert sorted(Decimal(c["amount_eur"]) for c in section["certified"]) == sorted(
        line.amount_eur.amount for line in lines
    )
    assert Decimal(section["total"]["certified"]) == certified
    ron = next(c for c in section["certified"] if c["currency"] == "RON")
    assert (ron["amount"], ron["rate"], ron["amount_eur"]) == ("1250.50", "4.849900", "257.84")
    assert [(r["amount_eur"], r["rejection_reason"]) for r in section["rejected"]] == [
        ("86.40", "The tickets are for a trip outside the project.")
    ]
    fingerprint = hashlib.sha256(body).hexdigest()
    assert aiga.get(PARTNER_JSON).content == body  # nothing changed: the same fingerprint
    pdf = aiga.get(PARTNER_PDF).content
    assert fingerprint in pdf_text(pdf)
    assert PdfReader(io.BytesIO(pdf)).attachments["funding.json"][0] == body

    # ... and certifying one more line changes what the fingerprint covers.
    certify = walk.corina().post(decide_url(line_called("INV-0042")), {"decision": "certify"})
    assert certify.status_code == 302
    aiga = client_for(auditor)
    after = aiga.get(PARTNER_JSON).content
    assert Decimal(json.loads(after)["expenditure"]["total"]["certified"]) == certified + Decimal(
        "1234.56"
    )
    assert hashlib.sha256(after).hexdigest() != fingerprint
    assert hashlib.sha256(after).hexdigest() in pdf_text(aiga.get(PARTNER_PDF).content)
