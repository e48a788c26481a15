"""Issuing a funding report: gather (reports/data.py), render (reports/pdf.py), register
(reports/registry.py). The one module that uses all three, so that they need not know of
each other."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation

from projects.models import Project
from reports.data import LANGUAGES, FundingReport, funding_report, report_filename
from reports.registry import changes_since, previous_report, report_register


@dataclass(frozen=True)
class IssuedPdf:
    pdf: bytes
    fingerprint: str
    filename: str
    language: str
    generated_at: dt.datetime
    generated_by: str
    report: FundingReport
    register_entry: object  # the reports.IssuedReport row recording this issue


def issue_report(
    *,
    project: Project,
    partner_slug: str | None = None,
    version=None,
    language: str,
    generated_by: str,
    user=None,
    help_url: str = "/reports/fingerprint/",
) -> IssuedPdf:
    """The one place where a funding report is issued: gather, fingerprint, count the
    changes since the previous report of its kind, render, and register it.

    `version` is the budget version it shows (None: the current one); `user` is who asked
    for it (None from the command line); `help_url`, the page the PDF links to that explains
    how to check it.
    """
    from reports.pdf import render_report  # WeasyPrint is loaded only when a PDF is made

    if language not in LANGUAGES:
        raise ValueError(f"Reports are made in {', '.join(LANGUAGES)}, not {language!r}.")
    with translation.override(language):  # labels (cost categories…) in the report's language
        report = funding_report(project=project, partner_slug=partner_slug, version=version)
    participation = report.partner.participation if report.partner else None
    with transaction.atomic():
        previous_entry = previous_report(project=project, participation=participation)
        previous = changes_since(report.changes, previous_entry)
        generated_at = timezone.localtime()
        pdf = render_report(
            report,
            language=language,
            generated_at=generated_at,
            generated_by=generated_by,
            changes_since_previous=previous,
            previous_report=previous_entry,
            help_url=help_url,
        )
        entry = report_register(
            project=project,
            participation=participation,
            language=language,
            fingerprint=report.fingerprint,
            user=user,
            changes_since_previous=previous,
            figures=report.canonical_json,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        )
    return IssuedPdf(
        pdf=pdf,
        fingerprint=report.fingerprint,
        filename=report_filename(report, generated_at.date(), language),
        language=language,
        generated_at=generated_at,
        generated_by=generated_by,
        report=report,
        register_entry=entry,
    )
