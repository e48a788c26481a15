"""The expenditure section in the PDFs (issue 12): both languages show it with its totals and
the certified lines, samples are said to be samples, the attached JSON still hashes to the
printed fingerprint, and the largest amounts and longest texts stay on the page."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from expenditure import services
from expenditure.models import Claim, Status
from projects.models import Project
from reports.data import funding_report
from reports.pdf import render_report
from tests import factories as f
from tests.test_expenditure_figures import NOW, line, partner, spending  # noqa: F401
from tests.test_report_layout import _long, _overflowing, extreme  # noqa: F401

pytestmark = pytest.mark.django_db


def pdf_text(report, language) -> tuple[str, PdfReader]:
    body = render_report(
        report, language=language, generated_at=timezone.now(), generated_by="auditor"
    )
    reader = PdfReader(io.BytesIO(body))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), reader


@pytest.mark.parametrize(
    "language,words",
    [
        ("en", ["Expenditure by partner", "Expenditure by funding source", "ERDF due"]),
        ("lv", ["Izdevumi pa partneriem", "Izdevumi pa finansējuma avotiem", "ERAF"]),
    ],
)
def test_the_project_report_shows_the_totals(demo, spending, language, words):  # noqa: F811
    report = funding_report(project=Project.objects.get(pk=demo.pk))
    text, reader = pdf_text(report, language)
    for word in words:
        assert word in text
    certified = "1 333,34 €" if language == "lv" else "€1,333.34"
    assert certified in text.replace("\u00a0", " ").replace("\u202f", " ")
    attached = reader.attachments["funding.json"][0]
    assert hashlib.sha256(attached).hexdigest() == report.fingerprint
    assert report.fingerprint in text.replace(" ", "") or report.fingerprint[:16] in text


@pytest.mark.parametrize("language", ["lv", "en"])
def test_a_partner_report_lists_the_certificates(demo, periods, spending, language):  # noqa: F811
    report = funding_report(project=Project.objects.get(pk=demo.pk), partner_slug="ventspils")
    text, reader = pdf_text(report, language)
    heading = "Certified expenditure" if language == "en" else "Apliecinātie izdevumi"
    assert heading in text
    claims = "ERDF payment claims" if language == "en" else "ERAF maksājuma pieprasījumi"
    assert claims in text  # each claim with its dates, as in the JSON
    assert "Not eligible" in text  # the rejected line's reason
    number = "№" if language == "en" else "Nr."  # a line's number, as Latvian writes it
    for made in report.certified_lines:
        assert f"{number} {made.pk}" in text
    attached = reader.attachments["funding.json"][0]
    assert hashlib.sha256(attached).hexdigest() == report.fingerprint


def test_sample_lines_are_said_to_be_samples(demo, periods, superuser):
    line(partner("ventspils"), periods[1], "10.00", Status.CERTIFIED, superuser, is_sample=True)
    report = funding_report(project=Project.objects.get(pk=demo.pk), partner_slug="ventspils")
    text, _reader = pdf_text(report, "en")
    assert "not real spending" in text and "(sample)" in text


def _extreme_spending(project):
    from django.contrib.auth import get_user_model

    controller = get_user_model().objects.create_superuser("ctl", password="pw-ctl-1234")
    period = f.reporting_period(project, 1, dt.date(2020, 1, 1), dt.date(2020, 6, 30))
    for part in project.participations.all():
        made = [
            f.expenditure_line(
                part,
                period,
                "999999999.99",
                description=_long(500),
                supplier=_long(200),
                document_reference="X" * 100,
            )
            for _ in range(2)
        ]
        services.submit(made, None, now=NOW)
        services.certify(made[0], controller, now=NOW)
        services.reject(made[1], controller, _long(2000), now=NOW)
        Claim.objects.create(
            participation=part,
            period=period,
            reference="R" * 100,
            claimed_on=dt.date(2020, 9, 30),
            claimed=f.eur("249999999.99"),
            received_on=dt.date(2020, 12, 30),
            received=f.eur("249999999.99"),
        )


@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_expenditure_tables_keep_everything_on_the_page(extreme, language):  # noqa: F811
    _extreme_spending(extreme)
    for partner_slug in (None, "extreme-p1"):
        report = funding_report(project=extreme, partner_slug=partner_slug)
        assert report.expenditure.has_expenditure
        found = _overflowing(report, language)
        assert found == [], "\n".join(found)
