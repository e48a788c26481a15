"""Reports that prove themselves: the canonical figures as funding.json, their SHA-256 as the
fingerprint, and the same bytes attached to the PDF (PDF/A-3)."""

import hashlib
import io
import json
import re

import pytest
import rfc8785
from django.test import Client
from pypdf import PdfReader

from reports.data import SCHEMA, funding_report
from tests.test_reports_views import pdf_text

pytestmark = pytest.mark.django_db

PROJECT_JSON = "/projects/di4c/reports/funding.json"
PARTNER_JSON = "/projects/di4c/partners/ventspils/reports/funding.json"
PROJECT_PDF = "/projects/di4c/reports/funding.pdf"
PARTNER_PDF = "/projects/di4c/partners/ventspils/reports/funding.pdf"


@pytest.mark.parametrize("url", [PROJECT_JSON, PARTNER_JSON])
def test_the_served_json_is_canonical_and_its_sha256_is_the_fingerprint(auditor_client, demo, url):
    response = auditor_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-store"
    body = response.content
    figures = json.loads(body)
    assert figures["schema"] == SCHEMA
    assert rfc8785.dumps(figures) == body  # the served bytes are the canonical form
    fingerprint = hashlib.sha256(body).hexdigest()
    assert response["X-Report-Fingerprint"] == f"sha256:{fingerprint}"
    assert fingerprint in pdf_text(auditor_client.get(url.replace(".json", ".pdf")).content)


def test_the_json_is_the_same_in_either_language(auditor_client, demo):
    latvian = auditor_client.get(PARTNER_JSON).content
    assert auditor_client.get("/en" + PARTNER_JSON).content == latvian
    assert auditor_client.get(PARTNER_JSON + "?lang=en").content == latvian
    figures = json.loads(latvian)
    assert figures["partner"]["organisation"]["name"] == {
        "en": "Ventspils Digital Centre",
        "lv": "Ventspils Digitālais centrs",
    }


def test_the_json_follows_the_schema(auditor_client, demo):
    figures = json.loads(auditor_client.get(PARTNER_JSON).content)
    budget = figures["partner"]["budget"]
    assert budget["total"] == "51280.00"  # amounts as strings with two decimals
    assert figures["phases"][0]["start"].count("-") == 2  # ISO 8601 dates
    assert figures["programme"]["fund"] == "erdf"  # codes as identifiers
    assert {p["source"] for p in budget["plan"]} <= {s["code"] for s in figures["sources"]}


def test_json_downloads_are_closed_as_the_pdfs_are(demo, outsider_client):
    assert Client().get(PROJECT_JSON).status_code == 302  # to the login page
    assert outsider_client.get(PROJECT_JSON).status_code == 403


def test_json_downloads_are_open_as_the_pdfs_are(demo, council_client):
    assert council_client.get(PROJECT_JSON).status_code == 200
    assert council_client.get(
        "/projects/di4c/partners/nobody/reports/funding.json"
    ).status_code == (404)
    assert council_client.post(PROJECT_JSON).status_code == 405


@pytest.mark.parametrize(
    ("pdf", "json_url"), [(PROJECT_PDF, PROJECT_JSON), (PARTNER_PDF, PARTNER_JSON)]
)
@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_pdf_carries_the_figures_and_the_fingerprint(auditor_client, demo, pdf, json_url, lang):
    content = auditor_client.get(f"{pdf}?lang={lang}").content
    reader = PdfReader(io.BytesIO(content))
    attached = reader.attachments["funding.json"][0]
    fingerprint = hashlib.sha256(attached).hexdigest()
    assert attached == auditor_client.get(json_url).content
    assert fingerprint in pdf_text(content)  # the printed fingerprint
    assert fingerprint in reader.metadata["/Keywords"]
    assert fingerprint in reader.metadata["/Subject"]
    assert reader.metadata.title.startswith("Funding report" if lang == "en" else "Finansējuma")
    assert reader.trailer["/Root"]["/Lang"] == lang
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert re.search(rb'pdfaid:part(>|=")3', xmp)  # PDF/A-3
    assert re.search(rb'pdfaid:conformance(>|=")B', xmp)
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged


def test_the_pdf_links_to_the_page_that_explains_the_fingerprint(auditor_client, client, demo):
    text = pdf_text(auditor_client.get(PROJECT_PDF).content)
    assert "http://testserver/reports/fingerprint/" in text
    page = client.get("/en/reports/fingerprint/")
    assert page.status_code == 200
    assert b"sha256sum funding.json" in page.content


def test_the_fingerprint_is_the_sha256_of_the_canonical_json(demo):
    report = funding_report(project=demo)
    assert report.fingerprint == hashlib.sha256(report.canonical_json).hexdigest()
    assert report.canonical_json == rfc8785.dumps(report.figures)


def test_table_totals_stand_once_under_the_whole_table(auditor_client, demo):
    # The demo's partners' table breaks across two pages: its total is on the second only.
    from tests.test_reports_views import pages

    texts = pages(auditor_client.get("/en" + PROJECT_PDF).content)
    assert sum(text.count("Total allocated") for text in texts) == 1
    assert "Total allocated" not in texts[0]
